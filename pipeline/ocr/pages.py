"""Sources to page images: PNG, JPEG, (multi-page) TIFF, PDF, and folders of page images.

Images are opened under the pixel limit of the settings (a decompression bomb
is refused before it is decoded), turned upright by their EXIF orientation and
brought to 8-bit grey or RGB. A PDF page with a real text layer keeps its text
(with boxes); image-only PDF pages are rasterized at ``settings.pdf_dpi``.
"""
from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

from pipeline.config import Settings
from pipeline.errors import LimitExceeded, SourceError
from pipeline.model import SourceInfo
from pipeline.ocr.words import Line, PageText, Word, union

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".gif", ".webp", ".jp2", ".pnm", ".pbm", ".pgm"}
MIN_TEXT_LAYER = 5  # visible characters; fewer is a stray mark, not a text layer


@dataclass
class PageImage:
    n: int  # page number in the document, from 1
    image: Image.Image  # "L" or "RGB", upright by EXIF
    label: str  # for messages: "scan.tif, page 3"
    dpi: int | None = None  # the file's stated resolution, if plausible
    original: Path | None = None  # a PNG/JPEG file that is this page exactly, to keep as the page image
    text: PageText | None = None  # a PDF page's text layer, boxes in pixels of ``image``


def natural_key(name: str) -> list:
    """Sort key putting page-2 before page-10."""
    return [int(t) if t.isdigit() else t.lower() for t in re.split(r"(\d+)", name)]


def folder_files(source: SourceInfo) -> list[Path]:
    root = Path(source.path)
    if source.files:
        return [root / f for f in source.files]
    files = [p for p in root.iterdir() if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES]
    return sorted(files, key=lambda p: natural_key(p.name))


def page_images(source: SourceInfo, settings: Settings) -> Iterator[PageImage]:
    """The source's pages in order, each decoded only when asked for."""
    if source.kind == "pdf":
        yield from _pdf_pages(Path(source.path), settings)
        return
    files = folder_files(source) if source.kind == "folder" else [Path(source.path)]
    if not files:
        raise SourceError(f"{source.name}: no page images in the folder", stage="ocr")
    n = 0
    for path in files:
        for frame in _image_frames(path, settings, single=len(files) == 1):
            n += 1
            frame.n = n
            yield frame


def _image_frames(path: Path, settings: Settings, single: bool) -> Iterator[PageImage]:
    default, Image.MAX_IMAGE_PIXELS = Image.MAX_IMAGE_PIXELS, settings.max_image_pixels
    try:  # Pillow's bomb guard runs when the header is read, before any pixel is decoded
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            im = Image.open(path)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as e:
        raise _too_big(path.name, settings) from e
    except UnidentifiedImageError as e:
        raise SourceError(f"{path.name}: not an image Pillow can read", stage="ocr") from e
    except OSError as e:
        raise SourceError(f"{path.name}: cannot open ({e})", stage="ocr") from e
    finally:
        Image.MAX_IMAGE_PIXELS = default
    with im:
        frames = getattr(im, "n_frames", 1)
        for i, frame in enumerate(ImageSequence.Iterator(im)):
            label = f"{path.name}, page {i + 1}" if frames > 1 else path.name
            if frame.width * frame.height > settings.max_image_pixels:
                raise _too_big(label, settings)
            try:
                frame.load()
                upright = ImageOps.exif_transpose(frame)
            except (OSError, SyntaxError, ValueError) as e:
                raise SourceError(f"{label}: damaged or truncated image ({e})", stage="ocr") from e
            turned = upright is not frame and frame.getexif().get(0x0112, 1) != 1
            keep = frames == 1 and not turned and im.format in ("PNG", "JPEG")
            yield PageImage(0, _normalize(upright), label, _dpi(frame), path if keep else None)


def _too_big(label: str, settings: Settings) -> LimitExceeded:
    return LimitExceeded(f"{label}: image larger than max_image_pixels ({settings.max_image_pixels:,} pixels); "
                         "raise the setting if the file is trusted", stage="ocr")


def _dpi(im: Image.Image) -> int | None:
    dpi = im.info.get("dpi")
    try:
        value = round(float(dpi[0]))
    except (TypeError, ValueError, IndexError):
        return None
    return value if 100 <= value <= 1200 else None  # 72 or 96 is a screen default, not a scan's


def _normalize(im: Image.Image) -> Image.Image:
    if im.mode in ("L", "RGB"):
        return im
    if im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info):
        rgba = im.convert("RGBA")
        return Image.alpha_composite(Image.new("RGBA", rgba.size, "white"), rgba).convert("RGB")
    if im.mode.startswith("I"):  # 16- or 32-bit grey
        return im.point(lambda v: v / 256).convert("L") if im.mode != "I" else im.convert("L")
    return im.convert("L" if im.mode in ("1", "F") else "RGB")


def _pdf_pages(path: Path, settings: Settings) -> Iterator[PageImage]:
    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as e:
        raise SourceError(f"{path.name}: cannot open the PDF ({e})", stage="ocr") from e
    scale = settings.pdf_dpi / 72
    try:
        for i in range(len(pdf)):
            page = pdf[i]
            label = f"{path.name}, page {i + 1}"
            width, height = page.get_size()
            if width * scale * height * scale > settings.max_image_pixels:
                raise _too_big(label, settings)
            image = page.render(scale=scale).to_pil()
            text = _text_layer(page, height, scale)
            yield PageImage(i + 1, _normalize(image), label, settings.pdf_dpi, None, text)
    except pdfium.PdfiumError as e:
        raise SourceError(f"{path.name}: damaged PDF ({e})", stage="ocr") from e
    finally:
        pdf.close()


def _text_layer(page, height: float, scale: float) -> PageText | None:
    """The page's text as lines of words with pixel boxes, or None if it has no real text."""
    tp = page.get_textpage()
    n = tp.count_chars()
    full = tp.get_text_range(0, n) if n else ""
    if len("".join(full.split())) < MIN_TEXT_LAYER or len(full) != n:
        return None
    lines, words, current, boxes = [], [], "", []

    def end_word():
        nonlocal current, boxes
        if current.strip():
            l, b, r, t = union(boxes)  # PDF points, origin at the bottom left
            words.append(Word(current, (round(l * scale), round((height - t) * scale),
                                        round(r * scale), round((height - b) * scale)), 100.0))
        current, boxes = "", []

    for i, ch in enumerate(full):
        if ch in "\r\n":
            end_word()
            if words:
                lines.append(Line(union([w.box for w in words]), words, 0))
                words = []
        elif ch.isspace():
            end_word()
        else:
            current += ch
            box = tp.get_charbox(i)
            boxes.append((box[0], box[1], box[2], box[3]))
    end_word()
    if words:
        lines.append(Line(union([w.box for w in words]), words, 0))
    return PageText(lines)
