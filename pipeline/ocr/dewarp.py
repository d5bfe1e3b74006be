"""Straightening curled lines of text: a book page photographed open, a sheet that did not lie flat.

The text lines themselves are the model of the page's surface: each line is
found as a run of ink smeared along it, its centre traced column by column
and fitted with a cubic; where the lines bend by more than a fraction of the
letters' height, or converge (a page photographed at a slant: each line is
straight but tilted unlike the others), every column of the image is moved
up or down so that each traced line becomes straight and level, the
displacement between lines interpolated and smoothed. A page whose lines are
straight and parallel (a flatbed scan, skewed or not) is left as it is. Only
vertical displacement is undone: the letters' narrowing towards a book's
spine or the far edge is within what the engine reads.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image
from scipy import ndimage

from pipeline.ocr import preprocess
from pipeline.ocr.words import Box

CURLED = 0.3  # a quarter of the lines bend, or tilt unlike the rest, by this share of the letters' height:
# the page is straightened
MIN_LINES = 3  # traced lines needed to say how the page bends
MEASURE_WIDTH = 1000  # the ink is traced on the page shrunk to this width


@dataclass(frozen=True)
class Warp:
    """Vertical displacement per pixel, held at low resolution: the straightened page's pixel (x, y) shows
    the source's (x, y + shift(x, y))."""

    shift: np.ndarray  # float32 (rows, cols) of the measured page, in source pixels
    size: tuple[int, int]  # the source's (width, height)

    @property
    def most(self) -> float:
        """The largest shift, in source pixels."""
        return float(np.abs(self.shift).max())

    def apply(self, img: Image.Image) -> Image.Image:
        """The image (of ``size``) with its lines straightened; any mode Pillow splits into bands."""
        if img.size != self.size:
            raise ValueError(f"warp made for {self.size}, image is {img.size}")
        w, h = self.size
        fill = 255 if img.mode in ("L", "RGB") else 0
        bands = [np.asarray(b, dtype=np.float32) for b in img.split()]
        out = [np.empty((h, w), np.uint8) for _ in bands]
        xs = np.arange(w)
        for top in range(0, h, 512):  # in strips: full-size coordinate arrays of a photo run to gigabytes
            rows = np.arange(top, min(h, top + 512), dtype=np.float32)[:, None]
            src_y = rows + self._at(xs[None, :].astype(np.float32), rows)
            # each column only moves up or down: the source is read between the two rows around src_y
            y0 = np.floor(src_y).astype(np.intp)
            t = src_y - y0
            for band, o in zip(bands, out):
                above, below = (np.where((y >= 0) & (y < h), band[np.clip(y, 0, h - 1), xs], fill)
                                for y in (y0, y0 + 1))
                o[top:top + len(rows)] = np.clip(above + (below - above) * t, 0, 255)
        return Image.merge(img.mode, [Image.fromarray(o) for o in out]) if len(out) > 1 else Image.fromarray(out[0])

    def _at(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """The shift at source-resolution points (arrays that broadcast), bilinear in the low-resolution
        field, points beyond its edge taking the edge's value."""
        rows, cols = self.shift.shape
        w, h = self.size
        r = np.clip(y * (rows / h), 0, rows - 1)
        c = np.clip(x * (cols / w), 0, cols - 1)
        r0, c0 = np.floor(r).astype(np.intp), np.floor(c).astype(np.intp)
        r1, c1 = np.minimum(r0 + 1, rows - 1), np.minimum(c0 + 1, cols - 1)
        tr, tc = r - r0, c - c0
        f = self.shift
        top = f[r0, c0] + (f[r0, c1] - f[r0, c0]) * tc
        bottom = f[r1, c0] + (f[r1, c1] - f[r1, c0]) * tc
        return top + (bottom - top) * tr

    def to_source(self, box: Box) -> Box:
        """A box on the straightened page to the source (by the shift at its centre)."""
        dy = float(self._at(np.array([(box[0] + box[2]) / 2]), np.array([(box[1] + box[3]) / 2]))[0])
        return box[0], round(box[1] + dy), box[2], round(box[3] + dy)

    def to_straight(self, box: Box) -> Box:
        """A box on the source to the straightened page (the inverse of ``to_source``, by two steps of
        fixed-point iteration: the shift varies slowly)."""
        x, y = np.array([(box[0] + box[2]) / 2]), (box[1] + box[3]) / 2
        dy = 0.0
        for _ in range(2):
            dy = float(self._at(x, np.array([y - dy]))[0])
        return box[0], round(box[1] - dy), box[2], round(box[3] - dy)


def find_warp(gray: Image.Image, letter_height: float | None) -> Warp | None:
    """How to straighten the page's lines (``letter_height`` from ``preprocess.measure_text``), or None where
    they are straight, or too few to tell."""
    if not letter_height:
        return None
    f = min(1.0, MEASURE_WIDTH / gray.width)
    ink = preprocess.ink_mask(gray, width=MEASURE_WIDTH)
    hx = letter_height * f
    if hx < 2:
        return None
    lines = _traced_lines(ink, hx)
    if len(lines) < MIN_LINES:
        return None
    bend = np.percentile([_bend(xs, fit) for xs, fit in lines], 75)
    if bend < CURLED * hx and np.percentile(_tilts(lines), 75) < CURLED * hx:
        return None
    return Warp(_field(lines, ink.shape, hx) / f, gray.size)


def _traced_lines(ink: np.ndarray, hx: float) -> list[tuple[np.ndarray, np.poly1d]]:
    """The page's lines of text: ink smeared along the line by a word's space (letters and words join, lines
    stay apart), each run at least a dozen letters long and about one line high; for each, the columns it
    spans and a cubic through its centre, column by column."""
    smear = ndimage.binary_closing(ink, structure=np.ones((1, max(3, round(2 * hx)))))
    labels, n = ndimage.label(smear)
    lines = []
    for k, where in enumerate(ndimage.find_objects(labels), 1):
        if where is None or where[1].stop - where[1].start < 12 * hx:
            continue
        part = labels[where] == k
        counts = part.sum(0)
        cols = np.nonzero(counts)[0]
        if np.median(counts[cols]) > 2.5 * hx:  # lines run together, a picture, a block of specks
            continue
        rows = np.arange(part.shape[0], dtype=np.float64)[:, None]
        centre = (part * rows).sum(0)[cols] / counts[cols] + where[0].start
        xs = cols.astype(np.float64) + where[1].start
        lines.append((xs, np.poly1d(np.polyfit(xs, centre, 3))))
    return lines


def _bend(xs: np.ndarray, fit: np.poly1d) -> float:
    """How far the fitted line departs from the straight line through its ends."""
    x0, x1 = xs[0], xs[-1]
    grid = np.linspace(x0, x1, 50)
    chord = fit(x0) + (fit(x1) - fit(x0)) * (grid - x0) / max(1.0, x1 - x0)
    return float(np.abs(fit(grid) - chord).max())


def _tilts(lines: list[tuple[np.ndarray, np.poly1d]]) -> np.ndarray:
    """How far each line's ends rise or fall from where the page's usual slope would put them: lines that
    converge tilt unlike one another, a skewed page's lines all alike."""
    slopes = np.array([(fit(xs[-1]) - fit(xs[0])) / max(1.0, xs[-1] - xs[0]) for xs, fit in lines])
    lengths = np.array([xs[-1] - xs[0] for xs, _ in lines])
    return np.abs(slopes - np.median(slopes)) * lengths / 2


def _field(lines: list[tuple[np.ndarray, np.poly1d]], shape: tuple[int, int], hx: float) -> np.ndarray:
    """The shift at every pixel of the measured page: each line is moved onto the row of its mean height, the
    shift between lines interpolated along each column, held beyond the first and last line and carried
    sideways to the nearest column a line crosses, then smoothed."""
    h, w = shape
    cols = np.arange(w, dtype=np.float64)
    targets = np.array([np.mean(fit(xs)) for xs, fit in lines])
    order = np.argsort(targets)
    targets = targets[order]
    shifts = np.full((len(lines), w), np.nan)  # each line's shift at each column it reaches (a little beyond)
    for i, k in enumerate(order):
        xs, fit = lines[k]
        near = (cols >= xs[0] - 2 * hx) & (cols <= xs[-1] + 2 * hx)
        shifts[i, near] = fit(np.clip(cols[near], xs[0], xs[-1])) - targets[i]
    field = np.zeros(shape, np.float32)
    rows = np.arange(h, dtype=np.float64)
    crossed = ~np.isnan(shifts).all(0)
    for x in np.nonzero(crossed)[0]:
        here = ~np.isnan(shifts[:, x])
        field[:, x] = np.interp(rows, targets[here], shifts[here, x])
    known = np.nonzero(crossed)[0]
    nearest = known[np.abs(known[None, :] - np.arange(w)[:, None]).argmin(1)]
    return ndimage.gaussian_filter(field[:, nearest], sigma=2 * hx)
