"""Reading one page: the scanner's surround, orientation, skew, curled lines, text size, the language's
model, and a choice among cleaned images.

Tesseract binarizes what it is given itself; what it needs from us is a page
without the scanner's dark surround (``preprocess.mask_background``), its
lines straight (skew turned away, curled lines straightened: ``dewarp``), text
of the size its models read best with a resolution that agrees with it
(``preprocess.measure_text``: small type is enlarged, large type reduced), and
the model of the page's language. A page that looks clean (even paper, dark
ink) is read in grey as it is, any other with its paper flattened to one
brightness. A reading with high confidence whose words cover the page's ink
is kept. Otherwise the page is read from the other images too (flattened,
then denoised: speckle and JPEG ringing removed, and binarized at one
global threshold: what shows through from the back of the leaf falls on the
paper's side), and another reading replaces the first only where far more of
it reads as the language, surely (``_reads_as``): on real pages the readings
of a readable page differ by a few characters either way, so the first one
stands unless another is clearly better. Word by word, what another image's
reading reads as far likelier language replaces the chosen reading's (``fer``
where another reads ``for``: ``_mended``); the plain reading (the page as plain
Tesseract reads it) then restores lines the cleaning lost, and words as well.

Languages (setting ``ocr_languages``): "auto" reads a page with English
first and again with the language its words are in where that is another
Latin-script language (``language.identify``); a page that still reads badly
is asked of Tesseract's OSD for its orientation and script and read again,
turned or with that script's model. Passages in another script within a page
are read again by ``passages``. Any other setting is the Tesseract languages
every page is read with, as given.
"""
from __future__ import annotations

import difflib
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from pipeline.config import Settings
from pipeline.ocr import alto as alto_xml
from pipeline.ocr import dewarp, language, passages, preprocess, tesseract
from pipeline.ocr.pages import PageImage
from pipeline.ocr.words import Box, Line, PageText, Word, area, inside, median_height, overlap, union

GOOD_CONF = 85  # mean word confidence of a page read well (clean print reads at 93-96)
GOOD_COVER = 0.9  # share of the page's ink inside recognized words
CERTAIN_CONF = 93  # a page read at this mean confidence, its ink covered and no line unsure, is not read plain
POOR_CONF, POOR_COVER = 60, 0.5  # below either, a page may be turned or in another script: ask OSD
MIN_SKEW = 1.0  # degrees; Tesseract finds the lines of a page skewed less than this itself, and
# turning the image resamples it (on real typescripts skewed 0.3-1.3 degrees, deskewing gained nothing)
FAR_BETTER = 1.25  # another image's reading replaces the first where its score is this much higher
SURE_LINE = 70  # mean confidence (by characters) of a line only the plain reading has, for it to be added
NOISE_LINE = 50  # a line of letters only the chosen image shows, read with less confidence, is noise
SAME_SPAN = 0.8  # share of the two readings' joint width their words must share to be read in the same place
MORE_FREQUENT = 2  # Zipf steps (a hundredfold frequency) a word taken from the other reading must rise by
LANGUAGE_WORD = 4  # letters: a word this long the word list knows counts as language in an unsure line
PICTURE_LINE = 2.0  # a line this many times the page's usual height, read less surely than SURE_LINE, is noise
SCRIPT_LANGUAGES = {"Cyrillic": ("rus",), "Japanese": ("jpn",), "Han": ("chi_sim", "chi_tra", "jpn"),
                    "Hangul": ("kor",), "Korean": ("kor",)}  # OSD's script names -> models to try


@dataclass
class PageReading:
    page: PageImage
    upright: Image.Image  # the page image the boxes refer to (turned and deskewed source)
    text: PageText  # boxes in pixels of ``upright``
    alto: bytes | None  # Tesseract's ALTO, boxes in pixels of ``upright``
    steps: str  # preprocessing applied, for the header
    changed: bool  # ``upright`` differs geometrically from the source image
    cover: float = 1.0  # share of the ink read as words, in the image that was read
    language: str = ""  # the Tesseract language(s) the page was read with: "fra", or "eng+rus" as given
    turn: int = 0  # degrees the source was turned counter-clockwise (OSD)
    angle: float = 0.0  # degrees it was then deskewed counter-clockwise
    warp: dewarp.Warp | None = None  # how its curled lines were then straightened
    plain: bool = False  # the image read was the page as plain Tesseract reads it (grey, as scanned)


def read_page(page: PageImage, settings: Settings, workdir: Path | None = None) -> PageReading:
    """Read one page; Tesseract's temporary files go into ``workdir`` (default: the system's)."""
    if page.text is not None:  # a PDF page's own text layer
        reader = _Reader(page, settings, workdir, [])
        code = (language.identify(page.text.text(), reader.codes) if reader.auto else None) or reader.codes[0]
        return PageReading(page, page.image, page.text, None, "none (text layer)", False, language=code)
    original = preprocess.grayscale(page.image)
    gray, surround = preprocess.mask_background(original)
    reader = _Reader(page, settings, workdir, [f"surround masked ({surround:.0%})"] if surround else [])
    reading = reader.read(gray, 0, reader.codes[0] if reader.auto else settings.ocr_languages)
    if reading.text.mean_conf() < POOR_CONF or reading.cover < POOR_COVER:
        found = tesseract.osd(gray, timeout=settings.ocr_timeout, cmd=settings.tesseract_cmd,
                              what=page.label, workdir=workdir)
        codes = [reading.language]
        if reader.auto and found.script in SCRIPT_LANGUAGES:
            codes = [c for c in SCRIPT_LANGUAGES[found.script] if c in reader.codes] or codes
        for turn in dict.fromkeys([0, found.rotate or 0]):
            for code in codes:
                if (turn, code) != (0, reading.language):
                    other = reader.read(preprocess.rotate(gray, -turn) if turn else gray, turn, code)
                    if other.text.score() > reading.text.score():
                        reading = other
    if settings.ocr_combine and not reading.plain and not _near_certain(reading):
        reading = reader.against_plain(reading, original)
    return reading


class _Reader:
    """Reads one page's images with the settings' languages."""

    def __init__(self, page: PageImage, settings: Settings, workdir: Path | None, steps: list[str]):
        self.page, self.settings, self.workdir, self.steps = page, settings, workdir, steps
        self.auto = settings.ocr_languages == language.AUTO
        self.codes = tesseract.check_languages(settings.ocr_languages, settings.tesseract_cmd)

    def recognize(self, image: Image.Image, code: str, dpi: int | None, psm: int = 3) -> tuple[PageText, bytes]:
        s = self.settings
        return tesseract.recognize(image, languages=code, dpi=dpi, timeout=s.ocr_timeout, cmd=s.tesseract_cmd,
                                   what=self.page.label, workdir=self.workdir, psm=psm)

    def read(self, gray: Image.Image, turn: int, code: str) -> PageReading:
        steps = self.steps + ([f"rotate {turn}"] if turn else [])
        measure = preprocess.measure_text(gray)  # before deskewing: turning smooths specks into blobs
        angle = preprocess.skew_angle(gray)
        if abs(angle) < MIN_SKEW:
            angle = 0.0
        else:
            gray = preprocess.rotate(gray, angle)
            steps.append(f"deskew {angle:+.1f}")
        warp = dewarp.find_warp(gray, measure.height)
        if warp:
            gray = warp.apply(gray)
            steps.append(f"lines straightened (by up to {warp.most:.0f} px)")
        height = measure.height
        dpi = preprocess.READ_DPI if height else (self.page.dpi or preprocess.READ_DPI)

        def scale_to(target: float) -> float:
            return preprocess.text_scale(height, target, gray.width * gray.height) if height else 1.0

        images: list[tuple[str, float, Callable[[float], Image.Image]]] = [
            ("grey", scale_to(preprocess.TEXT_PX), lambda f: preprocess.resized(gray, f)),
            ("flattened", scale_to(preprocess.TEXT_PX),
             lambda f: preprocess.resized(preprocess.flatten_background(gray), f)),
            ("denoised", scale_to(preprocess.DENOISE_PX),
             lambda f: preprocess.denoised(preprocess.flatten_background(gray), f)),
            ("binarized", scale_to(preprocess.TEXT_PX),
             lambda f: preprocess.binarized(preprocess.flatten_background(gray), f)),
        ]
        if measure.noisy:  # specks everywhere: read denoised first (the engine crawls over a page of noise)
            images = [images[2], images[1], images[3]]
        elif not preprocess.looks_clean(gray):
            images = images[1:]  # shaded or faint: read with the paper flattened first
        name, scale, make = images[0]
        image = make(scale)
        text, alto = self.recognize(image, code, dpi)
        if self.auto:  # the model of the language the page's words are in
            found = language.identify(text.text(), self.codes)
            if found and found != code:  # (models' confidences differ: only a far worse reading is refused)
                other = self.recognize(image, found, dpi)
                if FAR_BETTER * other[0].score() >= text.score():
                    (text, alto), code = other, found
        cover = _cover(text, image)
        chosen = name
        combine = self.settings.ocr_combine and not (text.mean_conf() >= GOOD_CONF and cover >= GOOD_COVER)
        others = []
        if combine:
            for other_name, other_scale, other_make in images[1:]:
                other_image = other_make(other_scale)
                other_text, other_alto = self.recognize(other_image, code, dpi)
                if _reads_as(other_text, code) > FAR_BETTER * _reads_as(text, code):
                    others.append((text, scale))
                    text, alto, image, chosen, scale = other_text, other_alto, other_image, other_name, other_scale
                    cover = _cover(text, image)
                else:
                    others.append((other_text, other_scale))
        taken = 0
        for other_text, other_scale in others:  # the images read alike: their boxes differ by scale alone
            text, n = _mended(text, _scaled(other_text, scale / other_scale), lambda b: b, code)
            taken += n
        # the image read is the page as plain Tesseract reads it: no safeguard to read
        plain = chosen == "grey" and scale == 1 and not angle and not warp and not self.steps \
            and dpi == self.page.dpi
        if combine:
            chosen += f" (of {len(images)} images read" + (f", {taken} word(s) taken from others)" if taken else ")")
        if scale != 1:
            steps.append(f"scale x{scale:.2f}")
        steps.append(chosen)
        if self.auto and self.settings.ocr_combine:
            found = passages.read_other_scripts(
                text, image, code, self.codes,
                lambda crop, codes: self.recognize(crop, codes, dpi, psm=6)[0])
            if found:
                steps.append(f"{found} passage(s) in another script read again")
        if not self.auto:  # the languages given: each word is in the one that writes its script
            for w in text.words:
                found = language.by_script(w.text, self.codes)
                w.language = found if found and found != self.codes[0] else None
        upright = self.page.image
        if turn:
            upright = preprocess.rotate(upright, -turn)
        if angle:
            upright = preprocess.rotate(upright, angle)
        if warp:
            upright = warp.apply(upright)
        return PageReading(self.page, upright, _scaled(text, 1 / scale), alto_xml.rescale(alto, 1 / scale),
                           ", ".join(steps + [code]), bool(turn or angle or warp), cover, code, turn, angle,
                           warp, plain)

    def against_plain(self, reading: PageReading, gray: Image.Image) -> PageReading:
        """The safeguard: the page read as plain Tesseract reads it too (grey, turned upright where it was
        turned, at its own scale and stated resolution, else Tesseract's estimate), and reconciled with the
        chosen reading.

        The plain reading replaces the chosen one where it reads far better as the language (``_reads_as``,
        the same margin as between the cleaned images). Otherwise the two are compared line by line where
        one has text and the other none: a line only the plain reading has, read surely, was lost by the
        cleaning and is added; a line only the cleaned image shows, read unsurely, is noise the cleaning
        made (a scanner's edge, a rule or specks read as letters) and is dropped. Within the lines both
        read, a word the other reading reads as far likelier language is taken from it (``_mended``)."""
        turn, code = reading.turn, reading.language
        image = preprocess.rotate(gray, -turn) if turn else gray
        text, alto = self.recognize(image, code, self.page.dpi)
        if _reads_as(text, code) > FAR_BETTER * _reads_as(reading.text, code):
            to_plain = _to_plain(reading, image.size)
            merged, added, dropped = _reconciled(text, reading.text, to_plain, code)
            merged, taken = _mended(merged, reading.text, to_plain, code)
            steps = [f"rotate {turn}"] if turn else []
            upright = preprocess.rotate(self.page.image, -turn) if turn else self.page.image
            note = "plain reading" + (f" ({_changes(added, dropped, taken)} from the cleaned image)"
                                      if added or dropped or taken else "")
            return PageReading(self.page, upright, merged, alto, ", ".join(steps + [note, code]), bool(turn),
                               _cover(merged, image), code, turn, plain=True)
        to_first = _from_plain(reading, image.size)
        merged, added, dropped = _reconciled(reading.text, text, to_first, code)
        merged, taken = _mended(merged, text, to_first, code)
        if added or dropped or taken:
            reading.text = merged
            reading.steps = reading.steps.rsplit(", ", 1)[0] \
                + f", plain reading: {_changes(added, dropped, taken)}, {code}"
        return reading


def _near_certain(reading: PageReading) -> bool:
    """Read as clean print reads (93-96), the page's ink covered, and no line of letters read unsurely."""
    text = reading.text
    usual = median_height(text.lines)
    return text.mean_conf() >= CERTAIN_CONF and reading.cover >= GOOD_COVER \
        and not any(_noise(ln, usual, text.pictures) for ln in text.lines)


def _reads_as(text: PageText, code: str) -> float:
    """How much of the reading reads as the language, surely: the characters of the words its word list
    knows, weighted by confidence (all words, where it has no list), times the reading's mean confidence.
    Garbage read from noise adds nothing, and lowers the mean."""
    if not language.has_words(code):
        return text.score() * text.mean_conf() / 100
    return text.mean_conf() / 100 * sum(
        len(w.text) * w.conf / 100 for w in text.words
        if (words := language.words_of(w.text)) and all(language.known(x, code) for x in words))


def _changes(added: int, dropped: int, taken: int) -> str:
    return " and ".join(([f"{added} line(s) added"] if added else []) + ([f"{dropped} dropped"] if dropped else [])
                        + ([f"{taken} word(s) taken"] if taken else []))


def _reconciled(first: PageText, other: PageText, to_first: Callable[[Box], Box],
                code: str) -> tuple[PageText, int, int]:
    """``first`` reconciled with ``other`` where one reads text and the other none (or noise): a line of
    ``first`` that is noise (``_noise``) is dropped unless ``other`` reads something unsure there too or
    the line reads as the language (``_reads_as_language``), and a line ``other`` reads surely is added
    where ``first`` now reads nothing. Boxes of ``other`` are brought into those of ``first`` by
    ``to_first``. Returns the lines and how many were added and dropped."""
    theirs = [Line(to_first(ln.box), [Word(w.text, to_first(w.box), w.conf, w.language) for w in ln.words],
                   ln.block, ln.par) for ln in other.lines]
    sure = [ln for ln in theirs if _line_conf(ln) >= SURE_LINE]
    unsure_words = [w.box for ln in theirs if _line_conf(ln) < SURE_LINE for w in ln.words]
    usual, pictures = median_height(first.lines), first.pictures + [to_first(b) for b in other.pictures]
    lines = [ln for ln in first.lines if not _noise(ln, usual, pictures) or _read_there(ln, unsure_words)
             or _reads_as_language(ln, code)]
    dropped = len(first.lines) - len(lines)
    mine = [w.box for ln in lines for w in ln.words]
    added = 0
    for ln in sorted(sure, key=lambda ln: ln.box[1]):
        if _read_there(ln, mine):
            continue
        above = [k for k, other_ln in enumerate(lines)
                 if other_ln.box[3] <= ln.box[1] + (ln.box[3] - ln.box[1]) / 2
                 and other_ln.box[0] < ln.box[2] and ln.box[0] < other_ln.box[2]]
        if above:  # it continues the block of the line above it
            k = max(above, key=lambda k: lines[k].box[3])
            ln.block, ln.par = lines[k].block, lines[k].par
            lines.insert(k + 1, ln)
        else:  # a block of its own, before the first line below it
            ln.block = min((x.block for x in lines), default=0) - 1
            lines.insert(next((k for k, x in enumerate(lines) if x.box[1] > ln.box[1]), len(lines)), ln)
        added += 1
    return PageText(lines, pictures), added, dropped


def _mended(first: PageText, other: PageText, to_first: Callable[[Box], Box], code: str) -> tuple[PageText, int]:
    """Words of ``first`` replaced by what ``other`` reads in the same place where that is far likelier
    language: within a line, where the two readings' words differ (aligned by their texts), ``other``'s
    words replace ``first``'s when both contain letters, they span the same width (``SAME_SPAN``), each of
    ``other``'s words is a word of the language, the least frequent of them ``MORE_FREQUENT`` Zipf steps
    above the least frequent of ``first``'s (``fer`` -> ``for``, ``asa`` -> ``as a``), and ``other``
    read them at least as surely. A word of the language is never replaced by a rarer one or by a
    non-word, so a line read well is left as it is. Returns the lines and how many words were taken."""
    theirs = sorted((Word(w.text, to_first(w.box), w.conf, w.language) for w in other.words),
                    key=lambda w: w.box[0])
    taken = 0
    for ln in first.lines:
        left, top, right, bottom = ln.box
        there = [w for w in theirs if top <= (w.box[1] + w.box[3]) / 2 <= bottom
                 and left <= (w.box[0] + w.box[2]) / 2 <= right]
        if not there:
            continue
        matcher = difflib.SequenceMatcher(None, [w.text for w in ln.words], [w.text for w in there], autojunk=False)
        words = []
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            mine, yours = ln.words[i1:i2], there[j1:j2]
            if op == "replace" and _far_likelier(yours, mine, code):
                words.extend(yours)
                taken += len(yours)
            elif op != "insert":
                words.extend(mine)
        ln.words = words
    return first, taken


def _far_likelier(yours: list[Word], mine: list[Word], code: str) -> bool:
    """Whether ``yours`` is far likelier language than ``mine`` in the same place (``_mended``)."""
    if any(w.language for w in yours + mine):  # a passage read in another language's model
        return False
    a, b = union([w.box for w in mine]), union([w.box for w in yours])
    if min(a[2], b[2]) - max(a[0], b[0]) < SAME_SPAN * (max(a[2], b[2]) - min(a[0], b[0])):
        return False
    mine_words = [x for w in mine for x in language.words_of(w.text)]
    your_words = [language.words_of(w.text) for w in yours]
    if not mine_words or not all(your_words) or min(w.conf for w in yours) < min(w.conf for w in mine):
        return False
    rarest_mine = min(language.zipf(x, code) for x in mine_words)
    rarest_yours = min(language.zipf(x, code) for ws in your_words for x in ws)
    return rarest_yours > 0 and rarest_yours >= rarest_mine + MORE_FREQUENT


def _noise(line: Line, usual_height: float, pictures: list[Box]) -> bool:
    """Letters, or marks without a letter or digit, read unsurely: what specks, rules, a picture and a
    scanner's edge become (a page number read unsurely, "- 2 -", is no such line); or anything read short
    of surely in a "line" far taller than the page's lines (``usual_height``), or inside a region the
    engine took for a picture: the shading of a picture (type that large, a heading's, and words printed
    in a picture read surely)."""
    chars = "".join(w.text for w in line.words)
    conf = _line_conf(line)
    if conf < SURE_LINE and (line.height > PICTURE_LINE * usual_height or inside(line.box, pictures)):
        return True
    return conf < NOISE_LINE and (any(ch.isalpha() for ch in chars) or not any(map(str.isdigit, chars)))


def _reads_as_language(line: Line, code: str) -> bool:
    """Whether most of the line's letters are in words of the language of four letters or more, two such
    words at least: text a faint or degraded page shows, read unsurely; specks and shading read as
    fragments ("SSE EP mete S : 3 Ot ee Rig"), not as words that long."""
    if not language.has_words(code):
        return False
    words = [x for w in line.words for x in language.words_of(w.text)]
    known = [x for x in words if len(x) >= LANGUAGE_WORD and language.known(x, code)]
    return len(known) >= 2 and 2 * sum(map(len, known)) >= sum(map(len, words))


def _line_conf(line: Line) -> float:
    """The line's confidence by characters."""
    n = sum(len(w.text) for w in line.words)
    return sum(len(w.text) * w.conf for w in line.words) / n if n else 0.0


def _read_there(line: Line, boxes: list[Box]) -> bool:
    """Whether any of ``boxes`` overlaps a word of the line (by a third of the smaller box)."""
    return any(3 * overlap(w.box, b) > min(area(w.box), area(b)) for w in line.words for b in boxes)


def _from_plain(reading: PageReading, size: tuple[int, int]) -> Callable[[Box], Box]:
    """Boxes on the page as read plain (of ``size``) to boxes on the image ``reading`` was read from: deskewed,
    then straightened."""
    turned = _rotated(reading.angle, size)
    if reading.warp is None:
        return turned
    return lambda b: reading.warp.to_straight(turned(b))


def _to_plain(reading: PageReading, size: tuple[int, int]) -> Callable[[Box], Box]:
    """The inverse of ``_from_plain``."""
    unturned = _unrotated(reading.angle, size)
    if reading.warp is None:
        return unturned
    return lambda b: unturned(reading.warp.to_source(b))


def _rotated(angle: float, size: tuple[int, int]) -> Callable[[Box], Box]:
    """Boxes on an image of ``size`` to boxes on that image turned by ``angle`` degrees (``preprocess.rotate``:
    counter-clockwise, expanded)."""
    return _turning(angle, size, inverse=False)


def _unrotated(angle: float, size: tuple[int, int]) -> Callable[[Box], Box]:
    """The inverse of ``_rotated(angle, size)``."""
    return _turning(angle, size, inverse=True)


def _turning(angle: float, size: tuple[int, int], inverse: bool) -> Callable[[Box], Box]:
    if not angle:
        return lambda b: b
    c, s = math.cos(math.radians(angle)), math.sin(math.radians(angle))
    w, h = size
    tw, th = abs(w * c) + abs(h * s), abs(w * s) + abs(h * c)  # the turned image's size

    def point(x: float, y: float) -> tuple[float, float]:
        if inverse:
            dx, dy = x - tw / 2, y - th / 2
            return c * dx - s * dy + w / 2, s * dx + c * dy + h / 2
        dx, dy = x - w / 2, y - h / 2
        return c * dx + s * dy + tw / 2, -s * dx + c * dy + th / 2

    def box(b: Box) -> Box:
        xs, ys = zip(*(point(x, y) for x in (b[0], b[2]) for y in (b[1], b[3])))
        return round(min(xs)), round(min(ys)), round(max(xs)), round(max(ys))

    return box


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

    return PageText([Line(box(ln.box), [Word(w.text, box(w.box), w.conf, w.language) for w in ln.words], ln.block,
                          ln.par) for ln in text.lines], [box(b) for b in text.pictures])
