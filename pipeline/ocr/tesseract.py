"""The one module that runs Tesseract (through pytesseract).

Every failure of the engine becomes a project exception whose message says
what to do: a missing binary or language pack is an EnvironmentProblem, a
crash or a timeout on a page an OcrError. Tesseract is pinned to one thread
(OMP_THREAD_LIMIT=1): its OpenMP threads slow it down when pages already run
side by side, and even alone (about 10 s a page with default threads against
3-4 s with one, on this project's machines).
"""
from __future__ import annotations

import functools
import os
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytesseract
from PIL import Image

from pipeline.errors import EnvironmentProblem, OcrError
from pipeline.ocr import alto as alto_xml
from pipeline.ocr.language import AUTO, LANGUAGES
from pipeline.ocr.words import Line, PageText, Word, union

INSTALL = "install tesseract-ocr: apt-get install tesseract-ocr"

# pytesseract hands its subprocesses os.environ; it has no per-call environment.
os.environ["OMP_THREAD_LIMIT"] = "1"


def _missing(cmd: str) -> EnvironmentProblem:
    return EnvironmentProblem(f"Tesseract not found (tesseract_cmd={cmd!r}): {INSTALL}, "
                              "or point the tesseract_cmd setting at the binary")


def _run(cmd: str, *args: str) -> str:
    try:
        out = subprocess.run([cmd, *args], capture_output=True, timeout=60, check=True)
    except FileNotFoundError as e:
        raise _missing(cmd) from e
    except (OSError, subprocess.SubprocessError) as e:
        raise EnvironmentProblem(f"Tesseract ({cmd!r}) does not run: {e}; reinstall it: "
                                 "apt-get install --reinstall tesseract-ocr") from e
    return out.stdout.decode("utf-8", "replace") + out.stderr.decode("utf-8", "replace")


@functools.lru_cache(maxsize=8)
def version(cmd: str = "tesseract") -> str:
    """Tesseract's version, e.g. '5.3.0'."""
    first = _run(cmd, "--version").strip().splitlines()
    if not first or not first[0].startswith("tesseract "):
        raise EnvironmentProblem(f"{cmd!r} does not look like Tesseract (--version said "
                                 f"{first[:1]}): {INSTALL}")
    return first[0].split()[1]


@functools.lru_cache(maxsize=8)
def installed_languages(cmd: str = "tesseract") -> frozenset[str]:
    return frozenset(line.strip() for line in _run(cmd, "--list-langs").splitlines()[1:] if line.strip())


def check_languages(languages: str, cmd: str = "tesseract") -> list[str]:
    """The codes of 'eng+rus+jpn', each checked to have its language data installed; for 'auto', the
    languages the pipeline tells apart (``pipeline.ocr.language``) that are installed, English first."""
    if languages == AUTO:
        have = installed_languages(cmd)
        codes = ["eng"] + [c for c in LANGUAGES if c != "eng" and c in have]
    else:
        codes = [c for c in languages.split("+") if c]
    if not codes:
        raise EnvironmentProblem("no OCR language given: set ocr_languages, e.g. 'auto', 'eng' or 'eng+rus'")
    have = installed_languages(cmd)
    for code in codes + ["osd"]:
        if code not in have:
            package = "tesseract-ocr-" + code.lower().replace("_", "-")
            raise EnvironmentProblem(f"Tesseract has no language data for {code!r}: install {package} "
                                     f"(apt-get install {package}); installed: {', '.join(sorted(have))}")
    return codes


def recognize(image: Image.Image, *, languages: str, dpi: int | None, timeout: float, cmd: str = "tesseract",
              what: str = "page", workdir: Path | None = None, psm: int = 3) -> tuple[PageText, bytes]:
    """OCR one page image: its lines of words (and the regions taken for pictures) and Tesseract's ALTO XML,
    from one run.

    ``psm``: Tesseract's page segmentation mode (3: a page, 6: one block of
    lines, 7: one line). ``dpi`` None: Tesseract estimates the resolution from the text, as it does for
    an image that states none. Tesseract's input and output files live in a temporary folder inside
    ``workdir``."""
    with tempfile.TemporaryDirectory(prefix="ocr-", dir=workdir) as tmp:
        src, base = Path(tmp, "page.pgm"), Path(tmp, "out")
        _grey(image).save(src, format="PPM")  # uncompressed: 10x quicker to write than PNG
        resolution = f" --dpi {dpi}" if dpi else ""
        _tesseract(str(src), str(base), languages, f"--psm {psm}{resolution} tsv alto", timeout, cmd, what)
        try:
            tsv = base.with_suffix(".tsv").read_text(encoding="utf-8")
            alto = base.with_suffix(".xml").read_bytes()
        except OSError as e:
            raise OcrError(f"Tesseract wrote no output for {what} ({e.strerror}); "
                           f"check that {cmd!r} is a working Tesseract") from e
    text = parse_tsv(tsv)
    text.pictures = alto_xml.pictures(alto, text.lines)
    return text, alto


@dataclass(frozen=True)
class Osd:
    """What Tesseract's orientation and script detection says about a page."""
    rotate: int | None  # degrees to turn it counter-clockwise to make it upright; None when unsure
    script: str | None  # "Latin", "Cyrillic", "Han", "Japanese", "Hangul", ...; None when unsure


def osd(image: Image.Image, *, timeout: float, cmd: str = "tesseract", what: str = "page",
        workdir: Path | None = None) -> Osd:
    """The page's orientation and script by Tesseract's OSD.

    Each is None when OSD cannot tell (too little text on the page, which
    Tesseract reports as a failure; that is not an error of the page)."""
    with tempfile.TemporaryDirectory(prefix="osd-", dir=workdir) as tmp:
        src = Path(tmp, "page.pgm")
        _grey(image).save(src, format="PPM")
        try:
            _tesseract(str(src), str(Path(tmp, "out")), "osd", "--psm 0 --dpi 300", timeout, cmd, what)
            report = Path(tmp, "out.osd").read_text(encoding="utf-8")
        except (OcrError, OSError):
            return Osd(None, None)
    values = dict(line.split(": ", 1) for line in report.splitlines() if ": " in line)

    def sure(value: str, confidence: str, at_least: float):
        try:
            return values[value].strip() if float(values[confidence]) >= at_least else None
        except (KeyError, ValueError):
            return None

    rotate = sure("Rotate", "Orientation confidence", 2)
    return Osd(int(rotate) if rotate is not None and rotate.lstrip("-").isdigit() else None,
               sure("Script", "Script confidence", 1))


def _grey(image: Image.Image) -> Image.Image:
    return image if image.mode == "L" else image.convert("L")  # convert() would copy a grey image


def _tesseract(src: str, base: str, lang: str, config: str, timeout: float, cmd: str, what: str) -> None:
    pytesseract.pytesseract.tesseract_cmd = cmd  # pytesseract keeps the binary as a module global
    try:
        pytesseract.pytesseract.run_tesseract(src, base, extension="", lang=lang, config=config,
                                              timeout=timeout)
    except pytesseract.TesseractNotFoundError as e:
        raise _missing(cmd) from e
    except pytesseract.TesseractError as e:
        raise OcrError(f"Tesseract failed on {what} (exit status {e.status}): {e.message or 'no message'}") from e
    except RuntimeError as e:  # pytesseract's only RuntimeError: the process ran past its timeout
        raise OcrError(f"Tesseract ran past the {timeout:g} s timeout on {what}; "
                       "raise the ocr_timeout setting for very large pages") from e


def parse_tsv(tsv: str) -> PageText:
    """Tesseract's TSV to lines of words (levels: 4 a line, 5 a word)."""
    page = PageText()
    lines: dict[tuple[int, int, int], Line] = {}
    for row in tsv.splitlines()[1:]:
        cells = row.split("\t")
        if len(cells) < 12 or cells[0] not in ("4", "5"):
            continue
        level, _, block, par, line = map(int, cells[:5])
        left, top, width, height = map(int, cells[6:10])
        box = (left, top, left + width, top + height)
        key = (block, par, line)
        if level == 4:
            lines[key] = Line(box, [], block, par)
            page.lines.append(lines[key])
        elif cells[11].strip() and key in lines:
            lines[key].words.append(Word(cells[11].strip(), box, max(0.0, float(cells[10]))))
    page.lines = [ln for ln in page.lines if ln.words]
    for ln in page.lines:  # the line's box as its words span it, without empty margins
        ln.box = union([w.box for w in ln.words])
    return page
