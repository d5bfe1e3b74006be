"""The OCR stage: scanned sources (images, PDFs, folders of pages) to a Document.

Pages are read concurrently, each by a single-threaded Tesseract process
(see ``tesseract``); their images and ALTO files are written to the assets
folder, their lines become zones of the facsimile, and the text becomes
blocks with <pb>/<lb> milestones and <unclear> marks (see ``layout``).
"""
from __future__ import annotations

import functools
import os
import shutil
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from pipeline.config import Settings
from pipeline.errors import SourceError
from pipeline.fsutil import temp_dir, temp_file
from pipeline.model import Block, Document, Page, SourceInfo
from pipeline.ocr import alto as alto_xml
from pipeline.ocr import tesseract
from pipeline.ocr.correct import correct_pages
from pipeline.ocr.language import AUTO, tag
from pipeline.ocr.layout import OcrPage, build_blocks, main_language
from pipeline.ocr.pages import page_images
from pipeline.ocr.reading import PageReading, read_page
from pipeline.structure import mark_forms, reads_as_title

__all__ = ["ocr_document"]


def ocr_document(source: SourceInfo, settings: Settings, assets_dir: Path, assets_href: str) -> Document:
    """OCR a scanned source; page images and ALTO go to ``assets_dir``, referred to as ``assets_href/NAME``."""
    version = tesseract.version(settings.tesseract_cmd)
    tesseract.check_languages(settings.ocr_languages, settings.tesseract_cmd)
    assets_dir = Path(assets_dir)
    _writing(assets_dir, lambda: assets_dir.mkdir(parents=True, exist_ok=True))
    workers = settings.ocr_workers or os.cpu_count() or 1
    # Tesseract's temporary files stay inside OUTPUT_DIR (a killed run's are removed by the next)
    workdir = _writing(assets_dir, temp_dir, assets_dir.parent, assets_dir.name)
    try:
        return _ocr_pages(source, settings, assets_dir, assets_href, version,
                          functools.partial(read_page, workdir=workdir), workers)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _ocr_pages(source: SourceInfo, settings: Settings, assets_dir: Path, assets_href: str, version: str,
               read: Callable, workers: int) -> Document:
    pages: list[Page] = []
    ocr_pages: list[OcrPage] = []
    steps: list[str] = []
    confs: list[float] = []
    text_layer: list[str] = []
    for reading in _in_order(read, page_images(source, settings), settings, workers):
        n = reading.page.n
        page_id = f"facs-p{n}"
        image_name = _writing(assets_dir, _write_image, reading, assets_dir, f"page-{n:04d}")
        alto_name = None
        if reading.alto is not None:
            alto_name = f"page-{n:04d}.alto.xml"
            _writing(assets_dir, _write_atomic, assets_dir / alto_name,
                     alto_xml.point_to_image(reading.alto, image_name))
        width, height = reading.upright.size
        page = Page(page_id, n, width, height, f"{assets_href}/{image_name}",
                    alto=f"{assets_href}/{alto_name}" if alto_name else None)
        pages.append(page)
        ocr_pages.append(OcrPage(page_id, n, reading.text, width, height, reading.language.split("+")[0]))
        steps.append(f"{n}: {reading.steps}")
        confs += [w.conf for w in reading.text.words]
        if reading.page.text is not None:
            text_layer.append(str(n))
    if not pages:
        raise SourceError(f"{source.name}: no pages", stage="ocr")
    corrected = None
    if settings.ocr_correct:
        read_by_engine = [p for p in ocr_pages if str(p.n) not in text_layer]
        corrected = correct_pages([p.text for p in read_by_engine], [p.language for p in read_by_engine],
                                  settings.ocr_word_list)
    main = main_language(ocr_pages)
    blocks, zones = build_blocks(ocr_pages, settings.unclear_below, main)
    mark_forms(blocks)
    for page in pages:
        page.zones = zones[page.id]
    title = _title(blocks, source.stem)
    mean = sum(confs) / len(confs) if confs else 0.0
    used = _languages_read(ocr_pages, main)
    doc = Document(source=source, title=title, blocks=blocks, pages=pages, languages=[tag(c) for c in used])
    doc.tools["tesseract"] = version
    doc.ocr = {
        "engine": f"Tesseract {version}",
        "languages": "+".join(used) + (" (chosen per page and passage)" if settings.ocr_languages == AUTO else ""),
        "preprocessing": "; ".join(steps),
        "mean_confidence": f"{mean / 100:.2f}",
        "text_layer_pages": ", ".join(text_layer),
    }
    if corrected is not None:
        extra = f", {settings.ocr_word_list}" if settings.ocr_word_list else ""
        doc.ocr["lexicon_corrections"] = (f"{corrected} word(s) against the document's own words, the authority "
                                          f"register{extra} and wordfreq's word list of each word's language; "
                                          "ALTO keeps the engine's reading")
    read_from = f"{len(pages) - len(text_layer)} page(s) by Tesseract {version} ({doc.ocr['languages']})"
    if text_layer:
        read_from += f", {len(text_layer)} from the PDF's text layer"
    doc.changes.append(f"OCR: {read_from}; mean word confidence {mean / 100:.2f}")
    return doc


def _languages_read(pages: list[OcrPage], main: str) -> list[str]:
    """The Tesseract languages the pages and passages were read in, the main one first."""
    letters: dict[str, int] = {}
    for p in pages:
        for w in p.text.words:
            code = w.language or p.language
            letters[code] = letters.get(code, 0) + len(w.text)
    others = sorted((c for c in letters if c != main), key=lambda c: -letters[c])
    return [main] + others


def _title(blocks: list[Block], stem: str) -> str:
    """The first heading the layout found (larger type); else the first line of the page when it stands
    alone, begins with a capital and reads as a title (page numbers before it passed over); else the stem."""
    head = next((b.text for b in blocks if b.kind == "head"), None)
    if head:
        return head
    for block in blocks:
        if not any(ch.isalpha() for ch in block.text):
            continue  # a page or folio number: "- 2 -", "685"
        alone = sum(m.kind == "lb" for m in block.milestones) <= 1
        return block.text if alone and block.text[:1].isupper() and reads_as_title(block.text) else stem
    return stem


def _in_order(fn: Callable, items: Iterable, settings: Settings, workers: int) -> Iterator[PageReading]:
    """fn(item, settings) over items on a thread pool, results in order, at most 2 x workers pages in memory."""
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="ocr") as pool:
        queue: deque[Future] = deque()
        try:
            for item in items:
                queue.append(pool.submit(fn, item, settings))
                if len(queue) >= 2 * workers:
                    yield queue.popleft().result()
            while queue:
                yield queue.popleft().result()
        finally:
            for f in queue:
                f.cancel()


def _writing(assets_dir: Path, write: Callable, *args):
    """write(*args); a failing disk write is the source's failure at stage "write", saying where."""
    try:
        return write(*args)
    except OSError as e:
        raise SourceError(f"cannot write the page images to {assets_dir}: {e.strerror or e}"
                          + (f" ({e.filename})" if e.filename and str(e.filename) != str(assets_dir) else ""),
                          stage="write") from e


def _write_image(reading: PageReading, assets_dir: Path, stem: str) -> str:
    """The page image: the source file itself where it is one, else a PNG of the upright page."""
    original = reading.page.original
    if original is not None and not reading.changed:
        name = stem + original.suffix.lower()
        _write_atomic(assets_dir / name, copy_from=original)
        return name
    name = stem + ".png"
    _write_atomic(assets_dir / name, image=reading.upright)
    return name


def _write_atomic(path: Path, data: bytes | None = None, *, copy_from: Path | None = None, image=None) -> None:
    fd, tmp = temp_file(path.parent, path.name)
    try:
        with os.fdopen(fd, "wb") as f:
            if data is not None:
                f.write(data)
            elif copy_from is not None:
                with open(copy_from, "rb") as src:
                    shutil.copyfileobj(src, f)
            else:
                # zlib's fastest level: lossless all the same, a tenth larger, a third of the time
                image.save(f, format="PNG", compress_level=1)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
