"""Command line: ``python -m pipeline run|serve|validate|evaluate|verify ...``.

The one place exceptions become exit codes: 0 all good, 1 some sources failed
(or files are invalid), 2 usage or environment errors.
"""
from __future__ import annotations

import argparse
import os
import re
import sys
from datetime import timedelta
from pathlib import Path

from pipeline import __version__
from pipeline.catalogue import load_catalogue
from pipeline.errors import ExitCode, PipelineError, UsageError
from pipeline.fsutil import exclusive_run, remove_stale_temp_files
from pipeline.ingest import discover, needs_ocr


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # usage errors exit 2 with a hint, as argparse does, but via our codes
        self.print_usage(sys.stderr)
        print(f"{self.prog}: error: {message}", file=sys.stderr)
        sys.exit(ExitCode.USAGE)


# The command-line option that overrides each setting, for messages about a bad value.
OPTIONS = {"ocr_languages": "--lang", "edition_date": "--date", "workers": "--workers"}


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m pipeline", description="Archival sources to validated TEI P5.")
    parser.add_argument("--version", action="version", version=f"archive-pipeline {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    run = sub.add_parser("run", help="run the ingestion flow over a folder of sources")
    run.add_argument("input_dir", type=Path, help="folder of sources: text files, images, TIFF, PDF, folders of page images")
    run.add_argument("--out", type=Path, required=True, help="output folder (tei/, report.json, ...)")
    run.add_argument("--config", type=Path, help="settings file (TOML); default: ./pipeline.toml if present")
    run.add_argument("--lang", dest="ocr_languages", help="OCR languages: auto (default: each page's and passage's language found) or "
                          "Tesseract codes joined by '+' to force them, e.g. eng+rus")
    run.add_argument("--date", dest="edition_date", help="date written into the editions (ISO 8601); default: each source's modification date")
    run.add_argument("--workers", type=int, help="sources processed at once (default: number of cores)")
    run.add_argument("--force", action="store_true", help="redo every source, even unchanged ones")
    run.add_argument("--discard-edits", action="store_true",
                     help="drop hand edits of the TEI: each edited edition is replaced by the pipeline's output "
                          "(the edited file is kept in OUTPUT_DIR/.state/STEM.discarded.xml)")
    run.add_argument("--zip", dest="make_zip", action="store_true", help="also write each deposit bag as a zip")
    run.add_argument("--prune", action="store_true",
                     help="remove the editions, bags and pages of sources no longer in the input folder")
    run.add_argument("--dask-address", metavar="tcp://HOST:PORT",
                     help="run the tasks on this Dask cluster (its workers must see the input and output folders)")

    serve = sub.add_parser("serve", help="ingest new or changed sources from an inbox folder on a schedule")
    serve.add_argument("--inbox", type=Path, required=True, help="folder archivists drop sources into")
    serve.add_argument("--out", type=Path, required=True, help="output folder (tei/, report.json, ...)")
    serve.add_argument("--interval", type=parse_interval, default="5m",
                       help="time between passes: a number with s, m, h or d, e.g. 30s, 5m, 1h30m (default: 5m)")
    serve.add_argument("--name", default="inbox", help="the deployment's name in Prefect (default: inbox)")
    serve.add_argument("--config", type=Path, help="settings file (TOML); default: ./pipeline.toml if present")
    serve.add_argument("--lang", dest="ocr_languages", help="OCR languages: auto, or Tesseract codes joined by '+'")
    serve.add_argument("--workers", type=int, help="sources processed at once (default: number of cores)")
    serve.add_argument("--dask-address", metavar="tcp://HOST:PORT", help="run the tasks on this Dask cluster")

    validate = sub.add_parser("validate", help="validate TEI files against the project's RELAX NG and Schematron")
    validate.add_argument("files", nargs="+", type=Path, metavar="FILE")
    validate.add_argument("--format", choices=("text", "junit", "github"), default="text",
                          help="text: FILE:LINE: error: [rule] message; junit: JUnit XML; github: Actions annotations")
    validate.add_argument("--schema", action="append", metavar="tei_all|FILE", default=[],
                          help="validate against TEI's own tei_all (bundled; about 10 s to load) or a RELAX NG (.rng) "
                               "and/or ISO Schematron (.sch) file instead of the project's schema; give it twice "
                               "for a grammar and rules")
    from pipeline.evaluate import GROUPS, parse_threshold

    evaluate = sub.add_parser("evaluate", help="score TEI annotations against gold TSV files (ENCODING.md section 4)",
                              description="Score TEI annotations against gold TSV files (ENCODING.md section 4). "
                                          "Exit 1 when a group's strict F1 is below its --min-f1 threshold.")
    evaluate.add_argument("tei_dir", type=Path, metavar="TEI_DIR", help="folder of NAME.xml editions")
    evaluate.add_argument("--gold", type=Path, required=True, metavar="GOLD_DIR", help="folder of NAME.tsv gold files")
    evaluate.add_argument("--json", action="store_true", help="print the scores as JSON")
    evaluate.add_argument("--details", action="store_true",
                          help="also F1 per document and what the strict misses are (type confusions, "
                               "boundary slips, missed and spurious items, with examples)")
    evaluate.add_argument("--min-f1", type=parse_threshold, action="append", default=[], metavar="GROUP=X",
                          help=f"exit 1 when GROUP's strict F1 is below X (groups: {', '.join(GROUPS)}); repeatable")

    verify = sub.add_parser("verify", help="check deposit bags in full: every checksum, missing and extra files")
    verify.add_argument("bags", nargs="+", type=Path, metavar="BAG")
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as e:  # --help, --version, or a usage error argparse has already printed
        return int(e.code or 0)
    try:
        if args.command == "run":
            return cmd_run(args)
        if args.command == "serve":
            return cmd_serve(args)
        if args.command == "validate":
            return cmd_validate(args)
        if args.command == "evaluate":
            return cmd_evaluate(args)
        if args.command == "verify":
            return cmd_verify(args)
    except PipelineError as e:
        print(f"error: {e}", file=sys.stderr)
        return int(e.exit_code)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    return ExitCode.USAGE


def cmd_run(args) -> int:
    from pipeline.config import load_settings

    settings = load_settings(args.config, OPTIONS, ocr_languages=args.ocr_languages,
                             edition_date=args.edition_date, workers=args.workers)
    _check_folders(args.input_dir, args.out)
    _check_registers(settings)
    sources = discover(args.input_dir)
    load_catalogue(args.input_dir, [p.name for p in sources])  # a bad catalogue stops the run before any work
    if needs_ocr(sources):  # fail early, before any work, when OCR cannot run
        from pipeline.ocr.tesseract import check_languages, version

        version(settings.tesseract_cmd)
        check_languages(settings.ocr_languages, settings.tesseract_cmd)
    with exclusive_run(args.out):
        remove_stale_temp_files(args.out)
        prefect_environment(args.out)
        from pipeline.flows import run

        summary = run(args.input_dir, args.out, settings, force=args.force, make_zip=args.make_zip,
                      dask_address=args.dask_address, prune=args.prune, discard_edits=args.discard_edits)
    problems = summary["failed"] or summary["deposit_failed"] or not summary["site"]
    return ExitCode.SOURCES_FAILED if problems else ExitCode.OK


def cmd_serve(args) -> int:
    from pipeline.config import load_settings

    settings = load_settings(args.config, OPTIONS, ocr_languages=args.ocr_languages, workers=args.workers)
    _check_folders(args.inbox, args.out)
    _check_registers(settings)
    prefect_environment(args.out)
    from pipeline.flows import serve

    serve(args.inbox, args.out, settings, args.interval, args.name, dask_address=args.dask_address)
    return ExitCode.OK


def cmd_validate(args) -> int:
    from pipeline.validate import format_github, format_junit, format_text, load_schema, validate_file

    missing = [str(p) for p in args.files if not p.is_file()]
    if missing:
        raise UsageError(f"not a file: {', '.join(missing)}")
    schema = load_schema(*args.schema)
    findings = [f for path in args.files for f in validate_file(path, schema)]
    if args.format == "junit":
        sys.stdout.write(format_junit([str(p) for p in args.files], findings))
    elif args.format == "github":
        sys.stdout.write(format_github(findings))
    else:
        sys.stdout.write(format_text(findings))
        bad = len({f.file for f in findings})
        print(f"{len(args.files) - bad} valid, {bad} invalid", file=sys.stderr)
    return ExitCode.SOURCES_FAILED if findings else ExitCode.OK


def cmd_evaluate(args) -> int:
    import json

    from pipeline.evaluate import below_thresholds, diagnose, format_details, format_table, score

    for label, folder in (("TEI", args.tei_dir), ("gold", args.gold)):
        if not folder.is_dir():
            raise UsageError(f"{label} folder not found: {folder}")
    if not any(args.gold.glob("*.tsv")):
        raise UsageError(f"no gold files (*.tsv) in {args.gold}")
    result = score(args.tei_dir, args.gold)
    details = diagnose(args.tei_dir, args.gold) if args.details else None
    if args.json:
        sys.stdout.write(json.dumps({**result, **(details or {})}, indent=1) + "\n")
    else:
        sys.stdout.write(format_table(result) + (format_details(details) if details else ""))
    failed = below_thresholds(result, args.min_f1)
    for group, x, f1 in failed:
        print(f"{group}: strict F1 {f1:.3f} is below the required {x:.3f}", file=sys.stderr)
    if result["missing"]:
        print(f"warning: {len(result['missing'])} gold document(s) have no TEI: "
              + " ".join(result["missing"]), file=sys.stderr)
    return ExitCode.SOURCES_FAILED if failed else ExitCode.OK


def cmd_verify(args) -> int:
    from pipeline.deposit import verify_bag

    bad = 0
    for bag in args.bags:
        problems = verify_bag(bag)
        print("\n".join(problems) if problems else f"{bag}: valid")
        bad += bool(problems)
    print(f"{len(args.bags) - bad} valid, {bad} with problems", file=sys.stderr)
    return ExitCode.SOURCES_FAILED if bad else ExitCode.OK


def _check_folders(input_dir: Path, out: Path) -> None:
    """The input folder exists, the output folder is outside it and can be created."""
    if input_dir.is_file():
        raise UsageError(f"{input_dir} is a file, not a folder: give the folder that holds the sources "
                         "(a single file can go in a folder of its own)")
    if not input_dir.is_dir():
        raise UsageError(f"input folder not found: {input_dir}")
    if out.resolve() == input_dir.resolve() or input_dir.resolve() in out.resolve().parents:
        raise UsageError("--out must not be inside the input folder (outputs would be read as sources)")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise UsageError(f"cannot create the output folder {out}: {e.strerror}") from e


def _check_registers(settings) -> None:
    """Read the registers before any work: a malformed line is a usage error naming file and line."""
    from pipeline.annotate.register import cached_register

    cached_register(settings.registers)


INTERVAL = re.compile(r"(\d+)([smhd])")
UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}


def parse_interval(text: str) -> timedelta:
    """'30s', '5m', '1h', '1h30m', '2d' as a timedelta (argparse turns the error into exit 2)."""
    parts = INTERVAL.findall(text.strip().lower())
    if not parts or "".join(n + u for n, u in parts) != text.strip().lower():
        raise argparse.ArgumentTypeError(f"invalid interval {text!r}: use a number with s, m, h or d, e.g. 30s, 5m, 1h")
    interval = sum((timedelta(**{UNITS[u]: int(n)}) for n, u in parts), timedelta())
    if not interval:
        raise argparse.ArgumentTypeError(f"invalid interval {text!r}: it must be longer than zero")
    return interval


def prefect_environment(out_dir: Path) -> None:
    """Settle Prefect's environment before it is imported.

    Without a Prefect server (PREFECT_API_URL) or home of the user's choosing,
    the temporary server keeps its database in OUTPUT_DIR/.prefect: a run
    writes nothing outside its input and output folders. Analytics (failing
    network calls here) and routine chatter are off. The temporary server is
    given 90 s to start, not Prefect's 20: its first start on a fresh machine
    (database created, modules compiled) takes longer.
    """
    if not os.environ.get("PREFECT_API_URL") and not os.environ.get("PREFECT_HOME"):
        os.environ["PREFECT_HOME"] = str((out_dir / ".prefect").resolve())
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("DO_NOT_TRACK", "1")
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "90")
    os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "WARNING")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
