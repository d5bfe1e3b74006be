"""Reading one page: orientation, deskew, and the choice between plain and cleaned images.

A page that looks clean (even paper, dark ink) is first read as it is (grey,
straightened if skewed), any other page first as ``preprocess.clean`` makes
it. A reading with high confidence whose words cover the page's ink is kept;
otherwise the other image is read too and the reading with more confidently
read characters wins. So a clean page read well is never altered. Where the
cleaned image wins without near certainty, it is also read under a global
threshold and not binarized at all, and the three readings vote word by word
(``vote``): each loses different strokes of a degraded page, and the global
threshold drops what shows through from the back of the leaf. A page that
still reads badly is checked for orientation (Tesseract's OSD) and, if
turned, read again upright.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from pipeline.config import Settings
from pipeline.ocr import alto as alto_xml
from pipeline.ocr import preprocess, tesseract
from pipeline.ocr.pages import PageImage
from pipeline.ocr.vote import vote
from pipeline.ocr.words import Line, PageText, Word

GOOD_CONF = 85  # mean word confidence of a page read well (clean print reads at 93-96)
GOOD_COVER = 0.9  # share of the page's ink inside recognized words
MIN_SKEW = 0.3  # degrees; Tesseract copes with less by itself
VOTE_BELOW = 95  # mean confidence under which a cleaned page is read from all its binarizations
FAR_BETTER = 1.25  # a reading whose score is this much higher than the first one's leads the vote


@dataclass
class PageReading:
    page: PageImage
    upright: Image.Image  # the page image the boxes refer to (turned and deskewed source)
    text: PageText  # boxes in pixels of ``upright``
    alto: bytes | None  # Tesseract's ALTO, boxes in pixels of ``upright``
    steps: str  # preprocessing applied, for the header
    changed: bool  # ``upright`` differs geometrically from the source image
    cover: float = 1.0  # share of the ink read as words, in the image that was read


def read_page(page: PageImage, settings: Settings, workdir: Path | None = None) -> PageReading:
    """Read one page; Tesseract's temporary files go into ``workdir`` (default: the system's)."""
    if page.text is not None:  # a PDF page's own text layer
        return PageReading(page, page.image, page.text, None, "none (text layer)", False)
    gray = preprocess.grayscale(page.image)
    reading = _read(page, gray, 0, settings, workdir)
    if reading.text.mean_conf() < 60 or reading.cover < 0.5:
        turn = tesseract.orientation(gray, timeout=settings.ocr_timeout, cmd=settings.tesseract_cmd,
                                     what=page.label, workdir=workdir)
        if turn:
            turned = _read(page, preprocess.rotate(gray, -turn), turn, settings, workdir)
            if turned.text.score() > reading.text.score():
                reading = turned
    return reading


def _read(page: PageImage, gray: Image.Image, turn: int, settings: Settings, workdir: Path | None) -> PageReading:
    steps = [f"rotate {turn}"] if turn else []
    angle = preprocess.skew_angle(gray)
    if abs(angle) < MIN_SKEW:
        angle = 0.0
    else:
        gray = preprocess.rotate(gray, angle)
        steps.append(f"deskew {angle:+.1f}")
    dpi = page.dpi or 300

    def recognize(cand: preprocess.Candidate):
        return tesseract.recognize(cand.image, languages=settings.ocr_languages, dpi=cand.dpi,
                                   timeout=settings.ocr_timeout, cmd=settings.tesseract_cmd,
                                   what=page.label, workdir=workdir)

    # shaded or faint: the cleaned image first
    order = ("grey", "cleaned") if preprocess.looks_clean(gray) else ("cleaned", "grey")
    cleaned, best = None, None
    for kind in order:  # stop at the first good reading
        if kind == "grey":
            cand = preprocess.Candidate("grey", gray, 1.0, dpi)
        else:
            cleaned = preprocess.clean(gray, dpi)
            cand = cleaned.binarized()
        text, alto = recognize(cand)
        cover = _cover(text, cand.image)
        if best is None or text.score() > best[0].score():
            best = (text, alto, cand, cover, kind)
        if text.mean_conf() >= GOOD_CONF and cover >= GOOD_COVER:
            break
    text, alto, cand, cover, kind = best
    scale, chosen = cand.scale, cand.name
    if kind == "cleaned" and text.mean_conf() < VOTE_BELOW:
        readings = [(text, alto, cand)] + [(*recognize(c), c) for c in cleaned.alternatives()]
        # the first binarization leads the vote, unless another reads far more text surely (show-through)
        lead = max(readings[1:], key=lambda r: r[0].score())
        if lead[0].score() > FAR_BETTER * text.score():
            readings.remove(lead)
            readings.insert(0, lead)
        (text, alto, cand), others = readings[0], [r[0] for r in readings[1:]]
        text, changed = vote(text, others)
        chosen = f"{cand.name}, {len(readings)} readings voted word by word ({changed} changed)"
    upright = page.image
    if turn:
        upright = preprocess.rotate(upright, -turn)
    if angle:
        upright = preprocess.rotate(upright, angle)
    return PageReading(page, upright, _scaled(text, 1 / scale), alto_xml.rescale(alto, 1 / scale),
                       ", ".join(steps + [chosen]), bool(turn or angle), cover)


def _cover(text: PageText, image: Image.Image) -> float:
    """Share of the page's ink that lies inside recognized words (boxes in pixels of ``image``)."""
    ink = preprocess.ink_mask(image)
    total = ink.sum()
    if not total:
        return 1.0
    f = ink.shape[1] / image.width
    inside = np.zeros_like(ink)
    for w in text.words:
        inside[int(w.box[1] * f):int(w.box[3] * f) + 1, int(w.box[0] * f):int(w.box[2] * f) + 1] = True
    return float((ink & inside).sum() / total)


def _scaled(text: PageText, f: float) -> PageText:
    if f == 1:
        return text

    def box(b):
        return tuple(round(v * f) for v in b)

    return PageText([Line(box(ln.box), [Word(w.text, box(w.box), w.conf) for w in ln.words], ln.block, ln.par)
                     for ln in text.lines])
