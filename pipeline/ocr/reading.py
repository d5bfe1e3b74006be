"""Reading one page: orientation, deskew, and the choice between plain and cleaned images.

A page that looks clean (even paper, dark ink) is first read as it is (grey,
straightened if skewed), any other page first as ``preprocess.clean`` makes
it. A reading with high confidence whose words cover the page's ink is kept;
otherwise the other image is read too and the reading with more confidently
read characters wins. So a clean page read well is never altered. A page that still reads badly is
checked for orientation (Tesseract's OSD) and, if turned, read again upright.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image

from pipeline.config import Settings
from pipeline.ocr import alto as alto_xml
from pipeline.ocr import preprocess, tesseract
from pipeline.ocr.pages import PageImage
from pipeline.ocr.words import Line, PageText, Word

GOOD_CONF = 85  # mean word confidence of a page read well (clean print reads at 93-96)
GOOD_COVER = 0.9  # share of the page's ink inside recognized words
MIN_SKEW = 0.3  # degrees; Tesseract copes with less by itself


@dataclass
class PageReading:
    page: PageImage
    upright: Image.Image  # the page image the boxes refer to (turned and deskewed source)
    text: PageText  # boxes in pixels of ``upright``
    alto: bytes | None  # Tesseract's ALTO, boxes in pixels of ``upright``
    steps: str  # preprocessing applied, for the header
    changed: bool  # ``upright`` differs geometrically from the source image
    cover: float = 1.0  # share of the ink read as words, in the image that was read


def read_page(page: PageImage, settings: Settings) -> PageReading:
    if page.text is not None:  # a PDF page's own text layer
        return PageReading(page, page.image, page.text, None, "none (text layer)", False)
    gray = preprocess.grayscale(page.image)
    reading = _read(page, gray, 0, settings)
    if reading.text.mean_conf() < 60 or reading.cover < 0.5:
        turn = tesseract.orientation(gray, timeout=settings.ocr_timeout, cmd=settings.tesseract_cmd,
                                     what=page.label)
        if turn:
            turned = _read(page, preprocess.rotate(gray, -turn), turn, settings)
            if turned.text.score() > reading.text.score():
                reading = turned
    return reading


def _read(page: PageImage, gray: Image.Image, turn: int, settings: Settings) -> PageReading:
    steps = [f"rotate {turn}"] if turn else []
    angle = preprocess.skew_angle(gray)
    if abs(angle) < MIN_SKEW:
        angle = 0.0
    else:
        gray = preprocess.rotate(gray, angle)
        steps.append(f"deskew {angle:+.1f}")
    dpi = page.dpi or 300
    candidates = [lambda: preprocess.Candidate("grey", gray, 1.0, dpi), lambda: preprocess.clean(gray, dpi)]
    if not preprocess.looks_clean(gray):  # shaded or faint: the cleaned image first
        candidates.reverse()
    best = None
    for make in candidates:  # stop at the first good reading
        cand = make()
        text, alto = _recognize(cand.image, cand.dpi, page, settings)
        cover = _cover(text, cand.image)
        if best is None or text.score() > best[0].score():
            best = (text, alto, cand, cover)
        if text.mean_conf() >= GOOD_CONF and cover >= GOOD_COVER:
            break
    text, alto, cand, cover = best
    scale, chosen = cand.scale, cand.name
    upright = page.image
    if turn:
        upright = preprocess.rotate(upright, -turn)
    if angle:
        upright = preprocess.rotate(upright, angle)
    return PageReading(page, upright, _scaled(text, 1 / scale), alto_xml.rescale(alto, 1 / scale),
                       ", ".join(steps + [chosen]), bool(turn or angle), cover)


def _recognize(img: Image.Image, dpi: int, page: PageImage, settings: Settings) -> tuple[PageText, bytes]:
    return tesseract.recognize(img, languages=settings.ocr_languages, dpi=dpi, timeout=settings.ocr_timeout,
                               cmd=settings.tesseract_cmd, what=page.label)


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
