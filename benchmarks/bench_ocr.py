"""OCR benchmark: CER and pages per minute on synthetic scans, against plain Tesseract.

Pages: the first page of each corpus text, clean at 300 dpi, degraded
(skew, blur, noise, JPEG, 150-200 dpi) and low-contrast on a shaded grey
background (``tests.support.scans.benchmark_set``). All pages form one folder
source, read by ``ocr_document`` (pages concurrently, as in a run). The
baseline is ``tesseract IMAGE stdout`` with CLI defaults, one page after the
other; it is also timed with OMP_THREAD_LIMIT=1 for a fairer speed comparison.

    python -m benchmarks.bench_ocr        # writes benchmarks/results/ocr.json
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pipeline.config import Settings
from pipeline.model import SourceInfo
from pipeline.ocr import ocr_document
from tests.support.metrics import cer
from tests.support.scans import benchmark_set, save_png

RESULTS = Path(__file__).parent / "results" / "ocr.json"


def page_texts(doc) -> list[str]:
    """The document's text cut at its page breaks."""
    pages: list[list[str]] = []
    for b in doc.blocks:
        cuts = [0] + [m.offset for m in b.milestones if m.kind == "pb"] + [len(b.text)]
        for k, (a, z) in enumerate(zip(cuts, cuts[1:])):
            if k:  # after a page break
                pages.append([])
            if pages:
                pages[-1].append(b.text[a:z])
    return [" ".join(p) for p in pages]


def plain(path: Path, one_thread: bool) -> tuple[str, float]:
    env = dict(os.environ)
    env.pop("OMP_THREAD_LIMIT", None)  # the pipeline's wrapper sets it for itself
    if one_thread:
        env["OMP_THREAD_LIMIT"] = "1"
    t = time.perf_counter()
    out = subprocess.run(["tesseract", str(path), "stdout"], capture_output=True, env=env, check=True)
    return out.stdout.decode(), time.perf_counter() - t


def main() -> int:
    scans = benchmark_set()
    rows, times = [], {"pipeline": 0.0, "plain": 0.0, "plain_1thread": 0.0}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp, "scans")
        folder.mkdir()
        paths = [save_png(s, folder / f"{i + 1:02d}-{s.condition}-{s.name}.png") for i, s in enumerate(scans)]
        source = SourceInfo(str(folder), "scans", "scans", "folder", "inode/directory", 0, "",
                            files=tuple(p.name for p in paths))
        t = time.perf_counter()
        doc = ocr_document(source, Settings(), Path(tmp, "assets"), "assets")
        times["pipeline"] = time.perf_counter() - t
        steps = doc.ocr["preprocessing"].split("; ")
        for s, path, text, step in zip(scans, paths, page_texts(doc), steps):
            base, seconds = plain(path, one_thread=False)
            times["plain"] += seconds
            times["plain_1thread"] += plain(path, one_thread=True)[1]
            rows.append({"page": s.name, "condition": s.condition, "dpi": s.dpi,
                         "cer": round(cer(text, s.truth), 4), "cer_plain": round(cer(base, s.truth), 4),
                         "preprocessing": step.split(": ", 1)[1]})
    n = len(rows)
    speed = {k: round(n * 60 / v, 2) for k, v in times.items()}
    summary = {
        "pages": n, "cores": os.cpu_count(), "pages_per_minute": speed,
        "speedup_vs_plain": round(speed["pipeline"] / speed["plain"], 2),
        "speedup_vs_plain_1thread": round(speed["pipeline"] / speed["plain_1thread"], 2),
        "never_worse": all(r["cer"] <= r["cer_plain"] for r in rows),
    }
    RESULTS.parent.mkdir(exist_ok=True)
    tmp_out = RESULTS.with_suffix(".json.tmp")
    tmp_out.write_text(json.dumps({"summary": summary, "pages": rows}, indent=2, ensure_ascii=False) + "\n")
    os.replace(tmp_out, RESULTS)
    print(f"{'page':24} {'condition':13} {'dpi':>4} {'CER':>7} {'plain':>7}  preprocessing")
    for r in rows:
        print(f"{r['page']:24} {r['condition']:13} {r['dpi']:>4} {r['cer']:7.2%} {r['cer_plain']:7.2%}  "
              f"{r['preprocessing']}")
    print(f"pages/min: pipeline {speed['pipeline']}, plain tesseract {speed['plain']} "
          f"(x{summary['speedup_vs_plain']}), plain with one thread {speed['plain_1thread']} "
          f"(x{summary['speedup_vs_plain_1thread']}); never worse than plain: {summary['never_worse']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
