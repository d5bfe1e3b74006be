"""Names F1 on OCR'd pages against the same documents typed (issue 4: within 0.05).

Each sample text in inputs/ is typeset as synthetic scans with its structure
(title, section headings, paragraphs, bulleted items; ``tests.support.scans``),
clean at 300 dpi and degraded (skew, blur, noise, JPEG, 150-200 dpi), and
degraded again in other type faces (sans, DejaVu) with other seeds: a check
that what helps one set of pages is not tuned to it. Every
document's pages form a folder source named like the text, so the gold file
applies; the typed text and both scanned versions go through ``make_edition``
and are scored against ../shared/gold with ``pipeline.evaluate.score``. With
``--documents dev`` the same is done for the twelve documents of ../shared/dev,
which no rule was written for.

    python -m benchmarks.bench_ocr_names                   # writes benchmarks/results/ocr_names.json
    python -m benchmarks.bench_ocr_names --documents dev   # writes benchmarks/results/ocr_names_dev.json
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

from pipeline.config import Settings
from pipeline.edition import make_edition
from pipeline.evaluate import GROUPS, score
from tests.support.scans import degrade, parse_blocks, render_pages, save_png

REPO = Path(__file__).resolve().parents[1]
SETS = {  # texts, their gold, the results file
    "samples": (REPO / "inputs", REPO.parent / "shared" / "gold", "ocr_names.json"),
    "dev": (REPO.parent / "shared" / "dev" / "inputs", REPO.parent / "shared" / "dev" / "gold", "ocr_names_dev.json"),
}
CONDITIONS = ("typed", "clean", "degraded", "degraded-faces")
OTHER_FACES = ("sans", "dejavu", "serif")  # for "degraded-faces", document by document


def blocks_of(text: str) -> list[tuple[str, str]]:
    """The text's blocks as the scans typeset them; a plain text's first line is its title."""
    blocks = parse_blocks(text)
    if blocks and not any(kind == "title" for kind, _ in blocks):
        blocks[0] = ("title", blocks[0][1])
    return blocks


def write_scans(text_file: Path, folder: Path, degraded: bool, seed: int, face: str = "serif") -> int:
    folder.mkdir(parents=True)
    pages = render_pages(blocks_of(text_file.read_text(encoding="utf-8")), face=face)
    for n, page in enumerate(pages, 1):
        save_png(degrade(page, seed=seed * 10 + n) if degraded else page, folder / f"page-{n}.png")
    return len(pages)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--documents", choices=sorted(SETS), default="samples")
    inputs, gold, results_name = SETS[ap.parse_args().documents]
    texts = sorted(p for p in inputs.glob("*.txt") if (gold / f"{p.stem}.tsv").is_file())
    if not texts:
        print(f"no texts with gold in {inputs} (gold: {gold})", file=sys.stderr)
        return 2
    settings = Settings(edition_date="2026-01-15")
    results: dict = {"documents": [p.stem for p in texts], "conditions": {}}
    with tempfile.TemporaryDirectory() as tmp:
        for condition in CONDITIONS:
            out = Path(tmp, "out", condition)
            started, pages = time.perf_counter(), 0
            for i, text_file in enumerate(texts):
                source = text_file
                if condition != "typed":
                    source = Path(tmp, condition, text_file.stem)
                    if condition == "degraded-faces":
                        pages += write_scans(text_file, source, True, seed=100 + i,
                                             face=OTHER_FACES[i % len(OTHER_FACES)])
                    else:
                        pages += write_scans(text_file, source, condition == "degraded", seed=i)
                outcome = make_edition(source, out, settings)
                if outcome.status != "ok":
                    print(f"{condition} {text_file.stem}: {outcome.stage}: {outcome.error}", file=sys.stderr)
            result = score(out / "tei", gold)
            results["conditions"][condition] = {
                "pages": pages, "seconds": round(time.perf_counter() - started, 1),
                "groups": {g: _rounded(result["groups"][g]) for g in GROUPS},
                "kinds": {k: _rounded(v) for k, v in result["kinds"].items() if v["gold"]},
            }
    typed = results["conditions"]["typed"]["groups"]["names"]["strict_f1"]
    results["names_f1_gap"] = {c: round(typed - results["conditions"][c]["groups"]["names"]["strict_f1"], 4)
                               for c in CONDITIONS[1:]}
    path = Path(__file__).parent / "results" / results_name
    path.parent.mkdir(exist_ok=True)
    tmp_out = path.with_suffix(".json.tmp")
    tmp_out.write_text(json.dumps(results, indent=2) + "\n")
    os.replace(tmp_out, path)
    print(f"{'':15}{'pages':>6}{'names F1':>10}{'lenient':>9}{'dates F1':>10}{'figures F1':>12}")
    for condition, r in results["conditions"].items():
        g = r["groups"]
        print(f"{condition:15}{r['pages']:>6}{g['names']['strict_f1']:10.3f}{g['names']['lenient_f1']:9.3f}"
              f"{g['dates']['strict_f1']:10.3f}{g['figures']['strict_f1']:12.3f}")
    print("names F1 below typed: " + ", ".join(f"{c} {gap:+.3f}" for c, gap in results["names_f1_gap"].items()))
    return 0


def _rounded(scores: dict) -> dict:
    return {k: round(v, 4) if isinstance(v, float) else v for k, v in scores.items()}


if __name__ == "__main__":
    sys.exit(main())
