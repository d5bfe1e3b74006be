"""OCR benchmark: CER per page and pages per minute on real and synthetic scans, in one run, against
plain Tesseract and OCRmyPDF.

Pages:
- real: the twelve typewritten pages of ``../shared/dev-scans`` (English and French, with ground
  truth; ``--real DIR``). Four of them were held out while the OCR was developed and looked at only
  once a change was settled (``HELD_OUT``); the summary gives both subsets.
- synthetic: the first page of each sample text, clean at 300 dpi, degraded (skew, blur, noise, JPEG,
  150-200 dpi), low-contrast on a shaded grey background, and photographed open in a book (curled
  towards the spine, on a dark table, JPEG turned by its EXIF tag), and its text set as a two-column
  magazine page under a picture and its caption (``tests.support.scans.benchmark_set``).

Each page is a source of its own, read by ``ocr_document`` as a run reads it (default settings, one
Tesseract per page, as many pages at once as there are cores). The same pages are also read with one
reading and no correction (``ocr_combine=False, ocr_correct=False``) and with every reading but no
correction, so the table shows per page what combining readings and the correction did. CER is
computed on the text of the TEI's ``<text>`` (its line ends as the page shows them), whitespace folded.

Baselines: ``tesseract IMAGE -`` (CLI defaults, English), timed one page after the other with one
thread; and OCRmyPDF 17 with ``--deskew --clean --rotate-pages`` (its own virtual environment,
``make bench-setup``; Debian's Ghostscript and unpaper), as many pages at once as there are cores,
one job each. An image without a credible resolution gets ``--image-dpi`` from its width taken as a
page 8.5 inches wide, the estimate OCRmyPDF asks its user for.

    python -m benchmarks.bench_ocr [--real DIR] [--subset dev] [--no-real] [--no-synthetic] [--no-ocrmypdf]
        # writes benchmarks/results/ocr.json
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from lxml import etree
from PIL import Image

from pipeline.config import Settings
from pipeline.model import SourceInfo
from pipeline.ocr import ocr_document
from pipeline.tei import TEI_NS, build_tei
from tests.support.metrics import cer
from tests.support.scans import benchmark_set, save_scan

ROOT = Path(__file__).resolve().parent
RESULTS = ROOT / "results" / "ocr.json"
DEV_SCANS = ROOT.parent.parent / "shared" / "dev-scans"
OCRMYPDF = ROOT / ".venv-ocrmypdf" / "bin" / "ocrmypdf"
HELD_OUT = {"en_ehri_bf19380718_01", "en_ehri_dr19400712_02", "fr_tapus_btv1b10581912k_20",
            "fr_tapus_giono_colline2_21"}
CORES = os.cpu_count() or 1


@dataclass
class Page:
    name: str
    image: Path
    truth: str
    set: str  # "real" | "synthetic"
    condition: str  # "held out" / "dev" for real pages, the degradation for synthetic ones


def real_pages(folder: Path) -> list[Page]:
    pages = []
    for image in sorted((folder / "pages").iterdir()):
        truth = (folder / "truth" / f"{image.stem}.txt").read_text(encoding="utf-8")
        pages.append(Page(image.stem, image, truth, "real", "held out" if image.stem in HELD_OUT else "dev"))
    return pages


def synthetic_pages(folder: Path) -> list[Page]:
    pages = []
    for i, scan in enumerate(benchmark_set()):
        name = f"{scan.name[:3]}-{scan.condition}"
        pages.append(Page(name, save_scan(scan, folder / f"{i:02d}-{name}"), scan.truth, "synthetic",
                          scan.condition))
    return pages


def pipeline_text(page: Page, settings: Settings, tmp: Path) -> tuple[str, str]:
    """The text of the TEI's <text> that ocr_document's reading of the page makes, and its preprocessing note."""
    source = SourceInfo(str(page.image), page.image.name, page.image.stem, "image", "image/png", 0, "0" * 64)
    with tempfile.TemporaryDirectory(dir=tmp) as assets:
        doc = ocr_document(source, settings, Path(assets), "assets")
    text = etree.fromstring(build_tei(doc, settings)).find(f"{{{TEI_NS}}}text")
    return "".join(text.itertext()), doc.ocr["preprocessing"].split(": ", 1)[1]


def run_pipeline(pages: list[Page], settings: Settings, tmp: Path) -> tuple[list[tuple[str, str]], float]:
    t = time.perf_counter()
    with ThreadPoolExecutor(CORES) as pool:
        out = list(pool.map(lambda p: pipeline_text(p, settings, tmp), pages))
    return out, time.perf_counter() - t


def run_plain(pages: list[Page]) -> tuple[list[str], float]:
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    texts, t = [], time.perf_counter()
    for p in pages:
        out = subprocess.run(["tesseract", str(p.image), "-"], capture_output=True, env=env, check=True)
        texts.append(out.stdout.decode("utf-8", "replace"))
    return texts, time.perf_counter() - t


def _image_dpi(path: Path) -> list[str]:
    """--image-dpi for an image whose stated resolution OCRmyPDF finds not credible (under 100 or none)."""
    with Image.open(path) as im:
        dpi = im.info.get("dpi")
        if dpi and round(float(dpi[0])) >= 100:
            return []
        return ["--image-dpi", str(min(600, max(70, round(im.width / 8.5))))]


def run_ocrmypdf(pages: list[Page], tmp: Path) -> tuple[list[str | None], float]:
    env = {k: v for k, v in os.environ.items() if k != "OMP_THREAD_LIMIT"}

    def one(p: Page) -> str | None:
        sidecar, pdf = tmp / f"{p.set}-{p.name}.txt", tmp / f"{p.set}-{p.name}.pdf"
        cmd = [str(OCRMYPDF), "--deskew", "--clean", "--rotate-pages", "--jobs", "1", "-q",
               *_image_dpi(p.image), "--sidecar", str(sidecar), str(p.image), str(pdf)]
        done = subprocess.run(cmd, capture_output=True, env=env)
        if done.returncode != 0:
            print(f"OCRmyPDF failed on {p.name}: {done.stderr.decode()[-300:]}", file=sys.stderr)
            return None
        return sidecar.read_text(encoding="utf-8")

    t = time.perf_counter()
    with ThreadPoolExecutor(CORES) as pool:
        texts = list(pool.map(one, pages))
    return texts, time.perf_counter() - t


def mean(values) -> float | None:
    values = [v for v in values if v is not None]
    return round(sum(values) / len(values), 4) if values else None


def summarize(rows: list[dict], times: dict[str, float]) -> dict:
    n = len(rows)
    speed = {k: round(n * 60 / v, 2) for k, v in times.items() if v}
    summary = {
        "pages": n,
        "mean_cer": {k: mean(r[k] for r in rows) for k in ("pipeline", "uncorrected", "single_reading",
                                                            "plain", "ocrmypdf")},
        "seconds": {k: round(v, 1) for k, v in times.items()},
        "pages_per_minute": speed,
        "pages_worse_than_plain": [r["page"] for r in rows if r["pipeline"] > r["plain"]],
        "pages_worse_than_ocrmypdf": [r["page"] for r in rows if r["ocrmypdf"] is not None
                                      and r["pipeline"] > r["ocrmypdf"]],
        # combining readings and correcting words never raise a page's CER over the single reading's
        "combining_raised_cer": [r["page"] for r in rows if r["uncorrected"] > r["single_reading"]],
        "correction_raised_cer": [r["page"] for r in rows if r["pipeline"] > r["uncorrected"]],
    }
    if times.get("ocrmypdf"):
        summary["time_vs_ocrmypdf"] = round(times["pipeline"] / times["ocrmypdf"], 2)
    summary["time_vs_plain_1thread"] = round(times["pipeline"] / times["plain_1thread"], 2)
    return summary


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--real", type=Path, default=DEV_SCANS, help="folder with pages/ and truth/ (../shared/dev-scans)")
    ap.add_argument("--no-real", action="store_true")
    ap.add_argument("--subset", choices=("all", "dev", "held out"), default="all",
                    help="of the real pages: only those developed on, or only those held out")
    ap.add_argument("--no-synthetic", action="store_true")
    ap.add_argument("--no-ocrmypdf", action="store_true")
    ap.add_argument("--out", type=Path, default=RESULTS, help=f"the results file ({RESULTS.relative_to(ROOT.parent)})")
    args = ap.parse_args(argv)
    if not args.no_ocrmypdf and not OCRMYPDF.exists():
        ap.error(f"{OCRMYPDF} is missing: run `make bench-setup` (or pass --no-ocrmypdf)")
    results = {"machine": {"cores": CORES}, "sets": {}}
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        sets = []
        if not args.no_real:
            sets.append(("real", [p for p in real_pages(args.real) if args.subset in ("all", p.condition)]))
        if not args.no_synthetic:
            sets.append(("synthetic", synthetic_pages(tmp)))
        for name, pages in sets:
            print(f"{name}: {len(pages)} pages", file=sys.stderr)
            full, t_full = run_pipeline(pages, Settings(ocr_workers=1), tmp)
            uncorrected, _ = run_pipeline(pages, Settings(ocr_workers=1, ocr_correct=False), tmp)
            single, _ = run_pipeline(pages, Settings(ocr_workers=1, ocr_correct=False, ocr_combine=False), tmp)
            plain, t_plain = run_plain(pages)
            ocrmypdf, t_ocrmypdf = ([None] * len(pages), 0.0) if args.no_ocrmypdf else run_ocrmypdf(pages, tmp)
            rows = []
            for p, (text, steps), (u, _), (s, _), base, omp in zip(pages, full, uncorrected, single, plain, ocrmypdf):
                rows.append({"page": p.name, "condition": p.condition,
                             "pipeline": round(cer(text, p.truth), 4), "uncorrected": round(cer(u, p.truth), 4),
                             "single_reading": round(cer(s, p.truth), 4), "plain": round(cer(base, p.truth), 4),
                             "ocrmypdf": round(cer(omp, p.truth), 4) if omp is not None else None,
                             "preprocessing": steps})
            times = {"pipeline": t_full, "plain_1thread": t_plain, "ocrmypdf": t_ocrmypdf}
            entry = {"summary": summarize(rows, times), "pages": rows}
            if name == "real":
                entry["subsets"] = {sub: {k: mean(r[k] for r in rows if r["condition"] == sub)
                                          for k in ("pipeline", "uncorrected", "single_reading", "plain", "ocrmypdf")}
                                    for sub in ("dev", "held out")}
            results["sets"][name] = entry
            _print(name, entry)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp_out = args.out.with_suffix(".json.tmp")
    tmp_out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp_out, args.out)
    return 0


def _print(name: str, entry: dict) -> None:
    def pct(v):
        return "   -   " if v is None else f"{v:7.2%}"
    print(f"\n{name}: CER per page (pipeline, no correction, one reading, plain tesseract, OCRmyPDF)")
    for r in entry["pages"]:
        print(f"{r['page']:28} {r['condition']:12} {pct(r['pipeline'])} {pct(r['uncorrected'])} "
              f"{pct(r['single_reading'])} {pct(r['plain'])} {pct(r['ocrmypdf'])}  {r['preprocessing']}")
    s = entry["summary"]
    m = s["mean_cer"]
    print(f"{'mean':41} {pct(m['pipeline'])} {pct(m['uncorrected'])} {pct(m['single_reading'])} "
          f"{pct(m['plain'])} {pct(m['ocrmypdf'])}")
    for sub, v in entry.get("subsets", {}).items():
        print(f"{'mean, ' + sub:41} {pct(v['pipeline'])} {pct(v['uncorrected'])} {pct(v['single_reading'])} "
              f"{pct(v['plain'])} {pct(v['ocrmypdf'])}")
    print(f"seconds: {s['seconds']}; pages/min: {s['pages_per_minute']}; time vs OCRmyPDF "
          f"{s.get('time_vs_ocrmypdf')}, vs plain 1-thread {s['time_vs_plain_1thread']}")
    print(f"worse than plain: {s['pages_worse_than_plain']}; combining raised CER: {s['combining_raised_cer']}; "
          f"correction raised CER: {s['correction_raised_cer']}")


if __name__ == "__main__":
    sys.exit(main())
