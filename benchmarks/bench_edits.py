"""Hand edits on documents nobody tuned the merge on: edit each edition, remake it, check every edit survived.

For each text source (default: ../shared/dev/inputs and ../shared/corpus), the
edition is made, a scholar's five edits are made in it (tests/support/edits.py:
italics, a sic/corr correction, a wrong tag removed, a name tagged by hand with
a new standOff entry, a note, and an editor in the header), then it is remade
four times in a row: with a changed setting (publisher, date), then with a
changed source (a paragraph appended), another paragraph inserted after its
first line, and one in its middle. Each time: merged or conflict, every edit still there,
the result valid, and the merge's time.

    .venv/bin/python -m benchmarks.bench_edits [DIR ...]

Writes benchmarks/results/edits.json.
"""
from __future__ import annotations

import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pipeline.edition as edition
from pipeline import edits
from pipeline.config import Settings
from pipeline.edition import make_edition, tei_path
from pipeline.validate import validate_file
from tests.support.edits import assert_scholar_edits, make_scholar_edits

HERE = Path(__file__).resolve().parent
CHANGES = ("after_setting", "after_source", "after_source_start", "after_source_middle")  # the remakes, in order
DEFAULT_DIRS = [HERE.parent.parent / "shared" / "dev" / "inputs", HERE.parent.parent / "shared" / "corpus"]


def _timed_merge():
    """Wrap edits.merge to time each call."""
    times = []
    real = edits.merge

    def merge(*args, **kwargs):
        started = time.perf_counter()
        try:
            return real(*args, **kwargs)
        finally:
            times.append(time.perf_counter() - started)
    edition.edits.merge = merge
    return times, lambda: setattr(edition.edits, "merge", real)


def one(source: Path, work: Path, times: list) -> dict:
    settings = Settings(edition_date="2026-01-15")
    inbox = work / "in"
    inbox.mkdir()
    copy = inbox / source.name
    shutil.copy(source, copy)
    out = work / "out"
    first = make_edition(copy, out, settings)
    if first.status != "ok":
        return {"source": source.name, "made": False, "error": first.error}
    tei = tei_path(out, copy.stem)
    try:
        done = make_scholar_edits(tei)
    except AssertionError as e:
        return {"source": source.name, "made": True, "edited": False, "why": str(e)}
    result = {"source": source.name, "made": True, "edited": True, "edited_valid": validate_file(tei) == []}
    for change in CHANGES:
        if change == "after_setting":
            settings = settings.replace(publisher="Another Archive", edition_date="2026-03-01")
        elif change == "after_source":
            copy.write_text(copy.read_text(encoding="utf-8") + "\nA paragraph added to the source.\n", encoding="utf-8")
        elif change == "after_source_start":  # a paragraph after the source's first line
            first, _, rest = copy.read_text(encoding="utf-8").partition("\n")
            copy.write_text(f"{first}\n\nA paragraph inserted near the start of the source.\n\n{rest}", encoding="utf-8")
        else:  # a paragraph in the middle of the source
            lines = copy.read_text(encoding="utf-8").split("\n")
            middle = len(lines) // 2
            lines[middle:middle] = ["", "A paragraph inserted in the middle of the source.", ""]
            copy.write_text("\n".join(lines), encoding="utf-8")
        count = len(times)
        outcome = make_edition(copy, out, settings)
        entry = {"status": outcome.edits["status"] if outcome.edits else None,
                 "merge_ms": round(1000 * sum(times[count:]), 1), "valid": validate_file(tei) == []}
        if outcome.edits and outcome.edits["status"] == "conflict":
            entry["conflicts"] = outcome.edits["conflicts"]
        else:
            try:
                assert_scholar_edits(tei, done)
                entry["edits_kept"] = True
            except AssertionError as e:
                entry["edits_kept"], entry["lost"] = False, str(e)
        result[change] = entry
    return result


def main(argv: list[str]) -> int:
    dirs = [Path(a) for a in argv] or DEFAULT_DIRS
    sources = sorted(p for d in dirs for p in d.glob("*.txt"))
    times, restore = _timed_merge()
    results = []
    try:
        for source in sources:
            with tempfile.TemporaryDirectory() as tmp:
                results.append(one(source, Path(tmp), times))
    finally:
        restore()
    edited = [r for r in results if r.get("edited")]
    summary = {
        "documents": len(results),
        "edited": len(edited),
        "edited_valid": sum(r["edited_valid"] for r in edited),
        **{f"{change}_{key}": sum(bool(r[change].get(key)) for r in edited)
           for change in CHANGES for key in ("edits_kept", "valid", "conflicts")},
        "merge_ms_median": round(statistics.median(t * 1000 for t in times), 1) if times else None,
        "merge_ms_max": round(max(t * 1000 for t in times), 1) if times else None,
    }
    for r in results:
        flags = " ".join(f"{c}={r[c]['status']}{'' if r[c].get('edits_kept') else ' LOST' if 'lost' in r[c] else ''}"
                         for c in CHANGES if c in r)
        print(f"{r['source']:<55} {flags or r.get('why') or r.get('error')}")
    print(json.dumps(summary, indent=2))
    out = HERE / "results" / "edits.json"
    out.write_text(json.dumps({"summary": summary, "documents": results}, indent=2, ensure_ascii=False) + "\n")
    return 0 if all(summary[f"{c}_edits_kept"] == summary["edited"] for c in CHANGES) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
