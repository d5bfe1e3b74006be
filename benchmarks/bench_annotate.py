"""Words per second, text to annotated and validated TEI, on one core, by stage.

usage: python benchmarks/bench_annotate.py [INPUT_DIR] [--repeat N] [--out DIR]

Runs ingest, structure, annotate, TEI and validation over every text source
in INPUT_DIR (default: inputs/ or ../shared/corpus) N times in this one
process (Prefect is not involved) and prints each stage's share and the
words per second of the whole chain and of annotation alone. Times are the
process's CPU time (one thread), so other work on the machine does not
count; the one-off loading of the schemas and of the name data is reported
apart. With --out, the TEI files are written to DIR/tei (for scoring with
evaluate).
"""
from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline.annotate import annotate, resources  # noqa: E402
from pipeline.config import Settings  # noqa: E402
from pipeline.ingest import identify, read_text_source  # noqa: E402
from pipeline.structure import structure  # noqa: E402
from pipeline.tei import build_tei  # noqa: E402
from pipeline.validate import validate_bytes  # noqa: E402

STAGES = ("ingest", "structure", "annotate", "tei", "validate")


def default_input() -> Path:
    here = Path(__file__).resolve().parent.parent
    for candidate in (here / "inputs", here.parent / "shared" / "corpus"):
        if any(candidate.glob("*.txt")):
            return candidate
    return here / "inputs"


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("input_dir", nargs="?", type=Path, default=default_input())
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--out", type=Path)
    args = ap.parse_args(argv)
    sources = sorted(args.input_dir.glob("*.txt"))
    if not sources:
        print(f"no .txt sources in {args.input_dir}", file=sys.stderr)
        return 2
    settings = Settings(edition_date="2026-01-01")
    seconds: dict[str, float] = defaultdict(float)
    words = 0
    clock = time.process_time
    t = clock()
    validate_bytes(b"<TEI xmlns='http://www.tei-c.org/ns/1.0'/>", "warm-up")  # compile the schemas once
    resources.common_words(), resources.personal_names()
    print(f"one-off loading (schemas, word list, personal names): {clock() - t:.2f} s")
    for _ in range(args.repeat):
        for path in sources:
            t0 = clock()
            source = identify(path, settings)
            text = read_text_source(source).text
            t1 = clock()
            doc = structure(text, source)
            t2 = clock()
            annotate(doc, settings)
            t3 = clock()
            data = build_tei(doc, settings)
            t4 = clock()
            findings = validate_bytes(data, path.name)
            t5 = clock()
            for stage, dt in zip(STAGES, (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4)):
                seconds[stage] += dt
            words += len(text.split())
            if args.out and _ == 0:
                (args.out / "tei").mkdir(parents=True, exist_ok=True)
                (args.out / "tei" / f"{source.stem}.xml").write_bytes(data)
                for f in findings:
                    print(f"invalid: {f}", file=sys.stderr)
    total = sum(seconds.values())
    print(f"{words} words in {total:.3f} s: {words / total:,.0f} words/s end to end (one core)")
    for stage in STAGES:
        print(f"  {stage:10} {seconds[stage]:8.3f} s {100 * seconds[stage] / total:5.1f}%"
              f" {words / seconds[stage]:>12,.0f} words/s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
