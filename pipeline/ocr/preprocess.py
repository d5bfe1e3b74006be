"""Image clean-up before OCR: each step a plain function on a Pillow image.

Measures (``skew_angle``, ``line_height``) and transforms (``rotate``,
``flatten_background``, ``sauvola``...) used by ``pipeline.ocr.reading``, which
reads a page as it is and, where that reads badly, as ``clean`` makes it:
background flattened, denoised, upsampled if the text is small, binarized.
numpy and Pillow suffice: no OpenCV.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageFilter, ImageOps

TARGET_LINE_PX = 24  # height of a text line's inked rows (see line_height) for 11 pt type at 300 dpi
MAX_SKEW = 6.0  # degrees searched either way
CLEAR_GAIN = 1.05  # a deskew must sharpen the text rows' profile by this factor


@dataclass
class Candidate:
    name: str  # the steps applied, e.g. "deskew 2.1°, normalize, sauvola"
    image: Image.Image  # what Tesseract reads
    scale: float  # its pixels per pixel of the page image
    dpi: int  # resolution to tell Tesseract


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


def flatten_background(gray: Image.Image) -> Image.Image:
    """Divide out the paper's brightness, estimated by closing the text away at low resolution.

    Uneven lighting, shadows and grey paper become white; ink keeps its
    contrast relative to the paper around it."""
    return _divide(gray, _paper(gray))


def _paper(gray: Image.Image) -> Image.Image:
    """The paper's brightness at an eighth of the resolution: the text closed away, smoothed."""
    small = gray.reduce(8) if min(gray.size) >= 400 else gray
    return small.filter(ImageFilter.MaxFilter(7)).filter(ImageFilter.GaussianBlur(4))


def _divide(gray: Image.Image, paper: Image.Image) -> Image.Image:
    paper = np.asarray(paper.resize(gray.size, Image.BILINEAR), dtype=np.float32)
    a = np.asarray(gray, dtype=np.float32) / np.maximum(paper, 1) * 255
    return Image.fromarray(np.clip(a, 0, 255).astype(np.uint8))


def looks_clean(gray: Image.Image) -> bool:
    """Evenly lit paper with dark ink: a page to read as it is before trying to clean it."""
    small = gray.reduce(8) if min(gray.size) >= 400 else gray
    paper = np.asarray(small.filter(ImageFilter.MaxFilter(7)), dtype=np.float32)
    # the ink's darkness at half resolution: at an eighth, the strokes of small type blur into the paper
    ink = np.percentile(np.asarray(gray.reduce(2) if min(gray.size) >= 400 else gray), 1)
    p5, p50, p95 = np.percentile(paper, (5, 50, 95))
    return p95 - p5 < 40 and p50 - ink > 160


def stretch(gray: Image.Image) -> Image.Image:
    """Full-range contrast, ignoring the darkest and brightest 0.5%."""
    return ImageOps.autocontrast(gray, cutoff=0.5)


def sauvola(gray: Image.Image, window: int, k: float = 0.3, r: float = 128) -> Image.Image:
    """Sauvola's adaptive threshold: ink where darker than mean * (1 + k (std/r - 1)) around it.

    The local mean and deviation vary slowly, so they are computed on a grid of
    4 x 4 cells and interpolated: a tenth of the time of the full-resolution sums."""
    a = np.asarray(gray, dtype=np.float32)
    H, W = a.shape
    c = 4
    h, w = H // c, W // c
    cells = a[:h * c, :w * c].reshape(h, c, w, c)
    m1, m2 = cells.mean((1, 3), dtype=np.float64), (cells.astype(np.float64) ** 2).mean((1, 3))
    half = max(1, window // (2 * c))
    mean, sq = _box_mean(m1, half), _box_mean(m2, half)
    std = np.sqrt(np.maximum(sq - mean * mean, 0))
    threshold = Image.fromarray((mean * (1 + k * (std / r - 1))).astype(np.float32), "F").resize((W, H),
                                                                                                  Image.BILINEAR)
    return Image.fromarray(np.where(a > np.asarray(threshold), 255, 0).astype(np.uint8))


def _box_mean(a: np.ndarray, half: int) -> np.ndarray:
    """Mean over a (2 half + 1)-square window around each cell, edges reflected."""
    n = 2 * half + 1
    s = np.pad(a, ((half + 1, half), (half + 1, half)), mode="reflect").cumsum(0).cumsum(1)
    s[0, :] = 0
    s[:, 0] = 0
    return (s[n:, n:] - s[:-n, n:] - s[n:, :-n] + s[:-n, :-n]) / (n * n)


def ink_mask(gray: Image.Image, width: int = 1000) -> np.ndarray:
    """A small boolean map of ink (Otsu on the flattened page), for measuring the page.

    The page is shrunk before its background is divided out: the paper varies
    slowly, so this is the flattened page shrunk, at a fraction of the cost."""
    f = min(1.0, width / gray.width)
    small = gray.resize((max(1, round(gray.width * f)), max(1, round(gray.height * f))), Image.BILINEAR)
    flat = _divide(small, _paper(gray))
    a = np.asarray(flat.filter(ImageFilter.MedianFilter(3)))  # speckle is not ink...
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


def line_height(gray: Image.Image) -> float | None:
    """Median ink height of the text lines, in pixels of ``gray`` (None without text)."""
    mask = ink_mask(gray)
    f = gray.width / mask.shape[1]
    profile = mask.sum(1)
    rows = profile > max(2, 0.2 * profile.max())  # text rows, not noise between them (nor on an empty page)
    edges = np.flatnonzero(np.diff(np.concatenate(([0], rows.astype(np.int8), [0]))))
    runs = edges[1::2] - edges[::2]
    runs = runs[runs >= 3]
    return float(np.median(runs)) * f if len(runs) else None


def rotate(img: Image.Image, angle: float) -> Image.Image:
    """Turn counter-clockwise by ``angle`` degrees, filling new corners with the paper colour."""
    if angle % 90 == 0:
        return img.rotate(angle, expand=True)
    fill = 255 if img.mode == "L" else (255,) * len(img.getbands())
    return img.rotate(angle, resample=Image.BICUBIC, expand=True, fillcolor=fill)


@dataclass
class Cleaned:
    """A page flattened, stretched, denoised and upsampled if small, before binarization."""
    image: Image.Image
    line_px: float  # text line height in pixels of ``image``
    scale: float
    dpi: int
    steps: str

    def binarized(self) -> Candidate:
        """Sauvola's threshold with a window about a line high: the cleaned image to read first."""
        window = 2 * round(self.line_px * 0.6) + 1
        return Candidate(f"{self.steps}, sauvola", sauvola(self.image, window), self.scale, self.dpi)

    def alternatives(self) -> list[Candidate]:
        """The same page under one global threshold (Otsu's), and left grey. A degraded page loses
        different strokes in each, so their readings can outvote the first one's slips
        (``pipeline.ocr.vote``); and a global threshold leaves out what shows through from the back
        of the leaf, which a local one takes for ink where the front has none."""
        a = np.asarray(self.image)
        otsu = Image.fromarray(np.where(a <= _otsu(a), 0, 255).astype(np.uint8))
        return [Candidate(f"{self.steps}, otsu", otsu, self.scale, self.dpi),
                Candidate(self.steps, self.image, self.scale, self.dpi)]


def clean(gray: Image.Image, dpi: int) -> Cleaned:
    """Flattened, stretched, denoised, upsampled if the text is small; to be binarized."""
    img = stretch(flatten_background(gray))
    height = line_height(img) or TARGET_LINE_PX
    # a 3 x 3 median at the scan's own resolution removes speckle and JPEG ringing;
    # a slight blur after upsampling smooths what noise is left along the strokes
    img = img.filter(ImageFilter.MedianFilter(3))
    steps = ["normalize", "denoise"]
    scale = 1.0
    if height < 0.8 * TARGET_LINE_PX:  # small type or a low-resolution scan
        scale = min(3.0, TARGET_LINE_PX / height)
        img = img.resize((round(img.width * scale), round(img.height * scale)), Image.LANCZOS)
        steps.append(f"upsample x{scale:.2f}")
    img = img.filter(ImageFilter.GaussianBlur(1))
    return Cleaned(img, height * scale, scale, round(dpi * scale), ", ".join(steps))
