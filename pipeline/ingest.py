"""Ingest: find the sources in an input folder, identify them by content, decode text.

A source is a file (text, image, multi-page TIFF, PDF) or a folder of page
images (one document). Identification reads the bytes, not the extension:
a text file named .jpg is text; random bytes named .txt are not.
"""
from __future__ import annotations

import codecs
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from pipeline.catalogue import is_catalogue
from pipeline.config import Settings
from pipeline.errors import LimitExceeded, SourceError
from pipeline.fsutil import natural_key
from pipeline.model import SourceInfo

IMAGE_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"BM", "image/bmp"),
)
PDF_MAGIC = b"%PDF-"
# Byte-order marks, longest first (UTF-32 LE's BOM begins with UTF-16 LE's).
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32LE"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32BE"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8 (with BOM)"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16LE"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16BE"),
)
# Characters XML 1.0 forbids; everything else is kept.
XML_FORBIDDEN = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# A legacy-encoded text whose decoding is this full of control characters is binary data.
MAX_CONTROL_RATIO = 0.02


@dataclass(frozen=True)
class DecodedText:
    text: str
    encoding: str  # as recorded in the header
    dropped: int  # characters XML 1.0 forbids, removed


def discover(input_dir: Path) -> list[Path]:
    """The sources in ``input_dir``: its files and folders, in natural order.

    Hidden entries are skipped, and so are links that lead outside the folder:
    nothing outside INPUT_DIR is ever read. The catalogue sidecar
    (``pipeline.catalogue``) describes the sources and is not one.
    """
    root = input_dir.resolve()
    found = []
    for entry in input_dir.iterdir():
        if entry.name.startswith("."):
            continue
        if entry.is_symlink() and not _inside(entry.resolve(), root):
            continue
        if is_catalogue(entry):
            continue
        if entry.is_file() or entry.is_dir():
            found.append(entry)
    return sorted(found, key=lambda p: natural_key(p.name))


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def stem_of(path: Path) -> str:
    return path.name if path.is_dir() else (path.stem or path.name)


def needs_ocr(paths: list[Path]) -> bool:
    """Whether any of these sources is a scan (a folder, an image or a PDF)."""
    return any(p.is_dir() or (p.is_file() and sniff(_read_head(p))[1] != "text") for p in paths)


def identify(path: Path, settings: Settings) -> SourceInfo:
    """Identify a source by content; hash it. Raises SourceError for what cannot be a source."""
    if path.is_dir():
        return _identify_folder(path)
    size = path.stat().st_size
    if size == 0:
        raise SourceError("empty file (0 bytes): nothing to ingest")
    head = _read_head(path)
    media_type, kind = sniff(head)
    if kind == "text" and size > settings.max_text_bytes:
        raise LimitExceeded(
            f"text of {size:,} bytes exceeds max_text_bytes ({settings.max_text_bytes:,}); "
            "raise the limit in pipeline.toml to ingest it"
        )
    return SourceInfo(
        path=str(path.resolve()),
        name=path.name,
        stem=stem_of(path),
        kind=kind,
        media_type=media_type,
        size=size,
        sha256=sha256_file(path),
    )


def sniff(head: bytes) -> tuple[str, str]:
    """(media type, kind) from a file's first bytes."""
    for magic, media_type in IMAGE_MAGIC:
        if head.startswith(magic):
            return media_type, "image"
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "image/webp", "image"
    if head.startswith(PDF_MAGIC):
        return "application/pdf", "pdf"
    return "text/plain", "text"


def _identify_folder(path: Path) -> SourceInfo:
    pages = _page_images(path)
    if not pages:
        raise SourceError("folder holds no page images (PNG, JPEG, TIFF, GIF, BMP, WebP)")
    return SourceInfo(
        path=str(path.resolve()),
        name=path.name,
        stem=stem_of(path),
        kind="folder",
        media_type=pages[0][1],
        size=sum(p.stat().st_size for p, _ in pages),
        sha256=_folder_digest(p for p, _ in pages),
        files=tuple(str(p.resolve()) for p, _ in pages),
    )


def _page_images(folder: Path) -> list[tuple[Path, str]]:
    """A folder source's page images in natural order, with their media types."""
    pages = []
    for entry in sorted(folder.iterdir(), key=lambda p: natural_key(p.name)):
        if entry.name.startswith(".") or not entry.is_file() or entry.is_symlink():
            continue
        media_type, kind = sniff(_read_head(entry))
        if kind == "image":
            pages.append((entry, media_type))
    return pages


def _folder_digest(pages) -> str:
    """A folder's content hash: the SHA-256 of its pages' SHA-256s in order."""
    digest = hashlib.sha256()
    for page in pages:
        digest.update(sha256_file(page).encode())
    return digest.hexdigest()


def content_sha256(path: Path) -> str | None:
    """The SHA-256 ``identify`` records for a source, or None when it cannot be read or is empty."""
    try:
        if path.is_dir():
            pages = _page_images(path)
            return _folder_digest(p for p, _ in pages) if pages else None
        return sha256_file(path) if path.stat().st_size else None
    except OSError:
        return None


def _read_head(path: Path, n: int = 16) -> bytes:
    with open(path, "rb") as f:
        return f.read(n)


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def decode_text(data: bytes) -> DecodedText:
    """Decode bytes of unknown encoding to NFC text that XML 1.0 can hold.

    Order: a byte-order mark; strict UTF-8; then the legacy encoding
    charset-normalizer finds most plausible (cp1252, Shift_JIS, ...).
    """
    text, encoding = _decode(data)
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    cleaned, dropped = XML_FORBIDDEN.subn("", text)
    if not cleaned.strip():
        raise SourceError(f"no text: the file decodes ({encoding}) to nothing but whitespace or control characters")
    return DecodedText(cleaned, encoding, dropped)


def _decode(data: bytes) -> tuple[str, str]:
    for bom, codec, label in BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(codec), label
            except UnicodeDecodeError as e:
                raise SourceError(f"starts with a {label} byte-order mark but is not valid {label}: {e.reason} at byte {e.start}") from e
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    guess = _legacy_guess(data)
    if guess is not None:
        text, encoding = guess
        if len(CONTROL.findall(text)) <= MAX_CONTROL_RATIO * max(len(text), 1):
            return text, encoding
    raise SourceError(
        "not text: the bytes are neither UTF-8/UTF-16 nor a recognisable legacy encoding "
        "(binary data? convert it to UTF-8)"
    )


def _legacy_guess(data: bytes) -> tuple[str, str] | None:
    """charset-normalizer's guess, with ties settled for cp1252.

    On short Western texts the detector often ranks several single-byte code
    pages equal; cp1252 is by far the commonest of them in archives, so it
    wins such a tie.
    """
    from charset_normalizer import from_bytes

    results = list(from_bytes(data))
    if not results:
        return None
    best = results[0]
    tied = [m for m in results if (m.chaos, m.coherence) == (best.chaos, best.coherence)]
    if any("cp1252" in m.could_be_from_charset for m in tied):
        return data.decode("cp1252"), "cp1252"
    return str(best), best.encoding


# Extensions of the binary sources the pipeline reads: a file so named that is not one is damaged.
BINARY_EXTENSIONS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".tif": "TIFF", ".tiff": "TIFF",
                     ".gif": "GIF", ".bmp": "BMP", ".webp": "WebP", ".pdf": "PDF"}


def read_text_source(source: SourceInfo) -> DecodedText:
    try:
        return decode_text(Path(source.path).read_bytes())
    except SourceError as e:
        kind = BINARY_EXTENSIONS.get(Path(source.name).suffix.lower())
        if kind is None:
            raise
        raise SourceError(f"named {Path(source.name).suffix} but not a {kind} file: it does not begin with "
                          f"a {kind} signature, and it is not text either (damaged, or another format misnamed?)") from e
