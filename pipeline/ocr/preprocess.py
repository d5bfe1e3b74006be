"""Image clean-up before OCR: each step a plain function on a Pillow image.

Measures (``skew_angle``, ``measure_text``, ``looks_clean``) and transforms
(``mask_background``, ``rotate``, ``to_text_size``, ``flatten_background``,
``denoise``) used by ``pipeline.ocr.reading``. Tesseract binarizes what it is
given itself; what helps it on real scans is a page without the scanner's
dark surround, text of the size its models read best (and a resolution that
agrees with it), and paper of one brightness. numpy and Pillow suffice: no
OpenCV.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageOps
from scipy import ndimage

TEXT_PX = 20  # the letters' height (``measure_text``, about the x-height) Tesseract reads best at, told READ_DPI
DENOISE_PX = 28  # the same for a denoised page: smoothing needs room between the strokes
READ_DPI = 300  # the resolution Tesseract is told for text brought to TEXT_PX
SCALE_RANGE = (0.5, 3.0)  # how far text is resized: larger type gains nothing, smaller is a blur
MAX_READ_PIXELS = 50_000_000  # an enlarged page stays under this (Tesseract's time grows with the pixels)
NOISY = 2  # a page with this many times the components a 3 x 3 median leaves is read denoised first
BACKGROUND_STEP = 0.5  # the scanner's surround is at most this bright relative to the paper beside it
MAX_SKEW = 6.0  # degrees searched either way
CLEAR_GAIN = 1.05  # a deskew must sharpen the text rows' profile by this factor


def grayscale(img: Image.Image) -> Image.Image:
    """8-bit grey on white, whatever the mode (alpha flattened on white, 16-bit scaled)."""
    if img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info):
        img = img.convert("RGBA")
        flat = Image.new("RGBA", img.size, (255, 255, 255, 255))
        img = Image.alpha_composite(flat, img)
    if img.mode in ("I;16", "I;16B", "I;16L", "I"):
        a = np.asarray(img, dtype=np.float64)
        return Image.fromarray((a * 255 / max(1.0, a.max())).astype(np.uint8))
    return img if img.mode == "L" else img.convert("L")


def mask_background(gray: Image.Image) -> tuple[Image.Image, float]:
    """The page with the scanner's or camera's dark surround painted the paper's colour, and the share
    of the image that was surround.

    The surround is what is dark, touches the image's edge, holds no text and
    steps down sharply from the paper beside it: a shadow across the page
    fades and is left alone, text touching the edge is narrower than the
    opening that finds the surround. Geometry is unchanged, so boxes on the
    masked page are boxes on the page."""
    width = 400
    small = gray.resize((width, max(1, round(gray.height * width / gray.width))), Image.BILINEAR)
    opened = _max_filter(np.asarray(small), 5)  # dark strokes narrower than 5 px vanish
    # (a copy: an image made from an array is read-only, and flood fill would silently leave it as it is)
    dark = Image.fromarray(np.where(opened <= 0.6 * np.percentile(opened, 95), 0, 255).astype(np.uint8)).copy()
    h, w = opened.shape
    label = 0
    edge = [(x, y) for x in range(w) for y in (0, h - 1)] + [(x, y) for y in range(h) for x in (0, w - 1)]
    for xy in edge:  # each dark region touching the edge gets a label 1..254
        if dark.getpixel(xy) == 0 and label < 254:
            label += 1
            ImageDraw.floodfill(dark, xy, label)
    labels = np.asarray(dark)
    surround = np.zeros(labels.shape, bool)
    for k in range(1, label + 1):
        region = labels == k
        inner, ring = _grown(region, 5, shrink=True), _grown(region, 11) & ~_grown(region, 5)
        if region.mean() >= 0.002 and inner.any() and ring.any() \
                and np.median(opened[inner]) < BACKGROUND_STEP * np.median(opened[ring]):
            surround |= region
    surround = _grown(surround, 5)
    share = float(surround.mean())
    if share < 0.005:
        return gray, 0.0
    mask = Image.fromarray((surround * 255).astype(np.uint8)).resize(gray.size, Image.NEAREST)
    paper = int(np.median(np.asarray(gray)[np.asarray(mask) == 0]))
    out = gray.copy()
    out.paste(paper, mask=mask)
    return out, share


def _grown(mask: np.ndarray, size: int, shrink: bool = False) -> np.ndarray:
    return (ndimage.minimum_filter if shrink else ndimage.maximum_filter)(mask, size=size, mode="nearest")


def _max_filter(a: np.ndarray, size: int) -> np.ndarray:
    """Each pixel the brightest within ``size`` x ``size`` around it (edges repeated outwards). scipy's
    filter is separable: Pillow's ``MaxFilter`` ranks the whole window, many times slower on a large image."""
    return ndimage.maximum_filter(a, size=size, mode="nearest")


# compare-exchange steps after which the fifth of nine values is their median (a selection network)
_MEDIAN9 = ((1, 2), (4, 5), (7, 8), (0, 1), (3, 4), (6, 7), (1, 2), (4, 5), (7, 8), (0, 3), (5, 8), (4, 7),
            (3, 6), (1, 4), (2, 5), (4, 7), (4, 2), (6, 4), (4, 2))


def median3(gray: Image.Image) -> Image.Image:
    """A 3 x 3 median (edges repeated outwards, as Pillow's ``MedianFilter(3)``) by whole-array minima and
    maxima over the nine shifted views: several times faster than ranking each window."""
    a = np.pad(np.asarray(gray), 1, mode="edge")
    h, w = a.shape[0] - 2, a.shape[1] - 2
    v = [a[y:y + h, x:x + w] for y in range(3) for x in range(3)]
    for i, j in _MEDIAN9:
        v[i], v[j] = np.minimum(v[i], v[j]), np.maximum(v[i], v[j])
    return Image.fromarray(v[4])


@dataclass(frozen=True)
class TextMeasure:
    height: float | None  # the letters' height in pixels (about the x-height); None without text
    noisy: bool  # most of the ink's components are specks that a 3 x 3 median removes


def measure_text(gray: Image.Image) -> TextMeasure:
    """The letters' height: the median height of the ink's connected components (at most 1500 pixels
    across) once a 3 x 3 median has removed the specks, each weighing as much as its ink. Rules, frames
    and a dark surround (over a twentieth of the page high, or over four times as wide as high) are left
    out. A page is noisy where the median removes most of the components."""
    f = min(1.0, 1500 / gray.width)
    width = max(1, round(gray.width * f))
    labels, n = ndimage.label(ink_mask(median3(gray), width=width))
    noisy = ndimage.label(ink_mask(gray, width=width))[1] > NOISY * max(1, n)
    if not n:
        return TextMeasure(None, noisy)
    boxes = ndimage.find_objects(labels)
    ink = np.bincount(labels.ravel())[1:]
    h = np.array([b[0].stop - b[0].start for b in boxes])
    w = np.array([b[1].stop - b[1].start for b in boxes])
    letters = (h >= 3) & (w >= 2) & (w <= 4 * h) & (h <= 0.05 * labels.shape[0])
    if not letters.any():
        return TextMeasure(None, noisy)
    h, ink = h[letters], ink[letters]
    order = np.argsort(h, kind="stable")
    weight = np.cumsum(ink[order])
    return TextMeasure(float(h[order][np.searchsorted(weight, weight[-1] / 2)]) / f, noisy)


def text_scale(height: float, target: float = TEXT_PX, pixels: int = 0) -> float:
    """The factor that brings letters ``height`` pixels high (``measure_text``) to ``target`` pixels, on a
    page of ``pixels`` pixels (which is not enlarged past MAX_READ_PIXELS)."""
    low, high = SCALE_RANGE
    if pixels:
        high = max(1.0, min(high, (MAX_READ_PIXELS / pixels) ** 0.5))
    f = min(high, max(low, target / height))
    return 1.0 if abs(f - 1) < 0.1 else f


def resized(img: Image.Image, f: float) -> Image.Image:
    return img if f == 1 else img.resize((round(img.width * f), round(img.height * f)), Image.LANCZOS)


def denoised(gray: Image.Image, f: float) -> Image.Image:
    """Resized by ``f`` with its speckle and JPEG ringing removed: a 3 x 3 median at the scan's own
    resolution, then a blur that smooths what noise is left along the strokes."""
    return resized(median3(gray), f).filter(ImageFilter.GaussianBlur(1.5))


def binarized(gray: Image.Image, f: float) -> Image.Image:
    """Resized by ``f``, then black where darker than Otsu's global threshold, else white. Text showing
    through from the back of the leaf is fainter than the ink in front and falls on the paper's side,
    where a threshold that adapts to the neighbourhood (Tesseract's own, too) takes it for ink."""
    img = resized(gray, f)
    a = np.asarray(img)
    return Image.fromarray(np.where(a <= _otsu(a), 0, 255).astype(np.uint8))


def flatten_background(gray: Image.Image) -> Image.Image:
    """Divide out the paper's brightness, estimated by closing the text away at low resolution.

    Uneven lighting, shadows and grey paper become white; ink keeps its
    contrast relative to the paper around it."""
    return _divide(gray, _paper(gray))


def _paper(gray: Image.Image) -> Image.Image:
    """The paper's brightness at an eighth of the resolution: the text closed away, smoothed."""
    small = gray.reduce(8) if min(gray.size) >= 400 else gray
    return Image.fromarray(_max_filter(np.asarray(small), 7)).filter(ImageFilter.GaussianBlur(4))


def _divide(gray: Image.Image, paper: Image.Image) -> Image.Image:
    paper = np.asarray(paper.resize(gray.size, Image.BILINEAR), dtype=np.float32)
    a = np.asarray(gray, dtype=np.float32) / np.maximum(paper, 1) * 255
    return Image.fromarray(np.clip(a, 0, 255).astype(np.uint8))


def looks_clean(gray: Image.Image) -> bool:
    """Evenly lit paper with dark ink: a page to read as it is before trying to clean it."""
    small = gray.reduce(8) if min(gray.size) >= 400 else gray
    paper = _max_filter(np.asarray(small), 7).astype(np.float32)
    # the ink's darkness at half resolution: at an eighth, the strokes of small type blur into the paper
    ink = np.percentile(np.asarray(gray.reduce(2) if min(gray.size) >= 400 else gray), 1)
    p5, p50, p95 = np.percentile(paper, (5, 50, 95))
    return p95 - p5 < 40 and p50 - ink > 160


def stretch(gray: Image.Image) -> Image.Image:
    """Full-range contrast, ignoring the darkest and brightest 0.5%."""
    return ImageOps.autocontrast(gray, cutoff=0.5)


def ink_mask(gray: Image.Image, width: int = 1000) -> np.ndarray:
    """A small boolean map of ink (Otsu on the flattened page), for measuring the page.

    The page is shrunk before its background is divided out: the paper varies
    slowly, so this is the flattened page shrunk, at a fraction of the cost."""
    f = min(1.0, width / gray.width)
    small = gray.resize((max(1, round(gray.width * f)), max(1, round(gray.height * f))), Image.BILINEAR)
    flat = _divide(small, _paper(gray))
    a = np.asarray(median3(flat))  # speckle is not ink...
    ink = a <= _otsu(a)  # (the threshold is the darker class's last level: 0 on a page of pure black and white)
    raw = np.asarray(flat)
    unfiltered = raw <= _otsu(raw)
    # ...unless the strokes are as thin as speckle (a low-resolution or bilevel scan): the median erases them
    return ink if ink.sum() >= 0.5 * unfiltered.sum() else unfiltered


def _otsu(a: np.ndarray) -> int:
    hist = np.bincount(a.ravel(), minlength=256).astype(np.float64)
    w0 = hist.cumsum()
    m0 = (hist * np.arange(256)).cumsum()
    w1 = w0[-1] - w0
    between = (m0[-1] * w0 - m0 * w0[-1]) ** 2 / np.maximum(w0 * w1, 1)
    return int(np.argmax(between))


def skew_angle(gray: Image.Image) -> float:
    """The text's tilt in degrees (counter-clockwise positive), where row profiles are sharpest."""
    mask = Image.fromarray((ink_mask(gray) * 255).astype(np.uint8))

    def sharpness(angle: float) -> float:
        rows = np.asarray(mask.rotate(angle), dtype=np.float64).sum(1)
        return float(np.square(np.diff(rows)).sum())

    best = max(np.arange(-MAX_SKEW, MAX_SKEW + 0.01, 1.0), key=sharpness)
    best = float(max(np.arange(best - 0.8, best + 0.81, 0.1), key=sharpness))
    # an angle that hardly sharpens the rows is noise, not the text's tilt (a page without lines of text)
    return best if sharpness(best) > CLEAR_GAIN * sharpness(0.0) else 0.0


def rotate(img: Image.Image, angle: float) -> Image.Image:
    """Turn counter-clockwise by ``angle`` degrees, filling new corners with the paper colour."""
    if angle % 90 == 0:
        return img.rotate(angle, expand=True)
    fill = 255 if img.mode == "L" else (255,) * len(img.getbands())
    return img.rotate(angle, resample=Image.BICUBIC, expand=True, fillcolor=fill)
