"""One source to one edition: the stages in order, without Prefect.

``make_edition`` is what the flow's task calls and what tests call directly.
It never raises for a bad source: the outcome says what went wrong and where.
"""
from __future__ import annotations

import functools
import hashlib
import json
import os
import time
from collections import Counter
from dataclasses import asdict, dataclass, field, fields
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator
from urllib.parse import quote

import lxml

from pipeline import __version__
from pipeline.annotate import UnregisteredName, annotate
from pipeline.config import Settings
from pipeline.errors import PipelineError, SourceError
from pipeline.fsutil import write_atomic
from pipeline.annotate.register import DEFAULT_REGISTER
from pipeline.annotate.resources import WORD_LIST
from pipeline.ingest import identify, read_text_source, sha256_file
from pipeline.model import CatalogueRecord, Document
from pipeline.ocr import ocr_document
from pipeline.structure import structure
from pipeline.tei import build_tei
from pipeline.validate import validate_bytes

COUNT_NAMES = {"person": "persons", "place": "places", "org": "organisations", "vessel": "vessels",
               "date": "dates", "num": "numbers", "measure": "measures"}


@dataclass
class Outcome:
    """One source's entry in report.json."""

    source: str
    stem: str
    status: str  # "ok" | "failed" | "unchanged" | "duplicate" | "withdrawn" (see pipeline.inventory)
    stage: str | None = None  # the stage that failed
    error: str | None = None
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    deposit: dict | None = None  # the deposit bag's status (pipeline.deposit.Deposit), for valid editions

    def to_json(self) -> dict:
        return asdict(self)


def tei_path(out_dir: Path, stem: str) -> Path:
    return out_dir / "tei" / f"{stem}.xml"


def state_path(out_dir: Path, stem: str) -> Path:
    return out_dir / ".state" / f"{stem}.json"


def make_edition(path: Path, out_dir: Path, settings: Settings, force: bool = False,
                 record: CatalogueRecord | None = None) -> Outcome:
    """Ingest, structure (or OCR), annotate, build TEI, validate, write; ``record`` is the source's catalogue row."""
    started = time.perf_counter()
    outcome = Outcome(source=path.name, stem=path.stem if path.is_file() else path.name, status="failed")
    stage = "ingest"
    try:
        source = identify(path, settings)
        outcome.stem = source.stem
        fingerprint = _fingerprint(source.sha256, settings, record)
        if not force and _unchanged(out_dir, source.stem, fingerprint):
            outcome.status = "unchanged"
            outcome.counts = json.loads(state_path(out_dir, source.stem).read_text())["counts"]
            return outcome
        settings = settings.replace(edition_date=settings.edition_date or _source_date(path))
        stage = "ingest" if source.kind == "text" else "ocr"
        doc = _read(source, settings, out_dir, record)
        stage = "annotate"
        unregistered = annotate(doc, settings)
        doc.changes.append(_annotation_change(doc))
        stage = "tei"
        data = build_tei(doc, settings)
        stage = "validate"
        findings = validate_bytes(data, f"tei/{source.stem}.xml")
        stage = "write"
        write_atomic(tei_path(out_dir, source.stem), data)
        outcome.counts = counts(doc)
        if findings:
            stage = "validate"
            shown = "; ".join(str(f) for f in findings[:3])
            more = f" (and {len(findings) - 3} more)" if len(findings) > 3 else ""
            raise PipelineError(f"the TEI is not valid: {shown}{more}")
        write_atomic(state_path(out_dir, source.stem), json.dumps({
            "source": source.name,
            "sha256": source.sha256,
            "fingerprint": fingerprint,
            "counts": outcome.counts,
            "unregistered": [[u.name, u.kind, u.context] for u in unregistered],
        }, ensure_ascii=False))
        outcome.status = "ok"
    except SourceError as e:  # knows its own stage (ingest, ocr, ...)
        outcome.stage, outcome.error = e.stage, str(e)
    except PipelineError as e:
        outcome.stage, outcome.error = stage, str(e)
    except OSError as e:
        outcome.stage = stage
        outcome.error = f"{e.strerror or e} ({e.filename})" if e.filename else f"{e.strerror or e}"
    finally:
        outcome.seconds = round(time.perf_counter() - started, 3)
    return outcome


def pages_dir(out_dir: Path, stem: str) -> Path:
    """Where a scan's page images and ALTO go; the TEI refers to them as ../pages/<stem>/NAME (URL-quoted)."""
    return out_dir / "pages" / stem


def _read(source, settings: Settings, out_dir: Path, record: CatalogueRecord | None) -> Document:
    if source.kind != "text":
        doc = ocr_document(source, settings, pages_dir(out_dir, source.stem), f"../pages/{quote(source.stem)}")
        _catalogued(doc, record, settings)
        return doc
    decoded = read_text_source(source)
    doc = structure(decoded.text, source)
    doc.source = _with_encoding(source, decoded.encoding)
    _catalogued(doc, record, settings)
    dropped = f", {decoded.dropped} character(s) XML cannot hold removed" if decoded.dropped else ""
    doc.changes.append(f"ingest: decoded {decoded.encoding}, normalized to NFC{dropped}")
    doc.changes.append(f"structure: {len(doc.blocks)} blocks from the text's layout")
    doc.tools["lxml"] = lxml.__version__
    return doc


def _catalogued(doc: Document, record: CatalogueRecord | None, settings: Settings) -> None:
    """The catalogue's title and languages win over what the text suggests; the scripts found are added."""
    languages = record.languages if record and record.languages else (settings.language,)
    detected = detect_languages(doc.text(), languages[0])
    doc.languages = list(dict.fromkeys([*languages, *detected]))
    if record is None:
        return
    doc.catalogue = record
    if record.title:
        doc.title = record.title
    given = [f.name for f in fields(record) if f.name not in ("file", "row", "type") and getattr(record, f.name)]
    doc.changes.append(f"catalogue: {', '.join(given) or 'no fields'} from the archive's catalogue")


def _annotation_change(doc: Document) -> str:
    c = counts(doc)
    names = c["persons"] + c["places"] + c["organisations"] + c["vessels"]
    return (f"annotate: {names} names ({len(doc.entities)} register entries), {c['dates']} dates, "
            f"{c['numbers'] + c['measures']} figures")


def unregistered_names(out_dir: Path, stems: list[str]) -> Iterator[UnregisteredName]:
    """The unregistered names recorded for these editions (unchanged ones included)."""
    for stem in stems:
        try:
            state = json.loads(state_path(out_dir, stem).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        for name, kind, context in state.get("unregistered", []):
            yield UnregisteredName(name, kind, context, stem)


def _with_encoding(source, encoding: str):
    from dataclasses import replace

    return replace(source, encoding=encoding)


def detect_languages(text: str, main: str) -> list[str]:
    """The main language, plus Russian or Japanese where their scripts appear."""
    languages = [main]
    if any("\u0400" <= ch <= "\u04ff" for ch in text) and "ru" not in languages:
        languages.append("ru")
    if any("\u3040" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff" for ch in text) and "ja" not in languages:
        languages.append("ja")
    return languages


def counts(doc: Document) -> dict[str, int]:
    kinds = Counter(span.kind for block in doc.blocks for span in block.spans)
    result = {"blocks": len(doc.blocks), "words": sum(len(b.text.split()) for b in doc.blocks),
              "pages": len(doc.pages)}
    result.update({COUNT_NAMES[k]: kinds.get(k, 0) for k in COUNT_NAMES})
    return result


def _fingerprint(sha256: str, settings: Settings, record: CatalogueRecord | None) -> str:
    described = "-"
    if record:  # what the record says, not where it stands in the catalogue
        data = {k: v for k, v in asdict(record).items() if k != "row"}
        described = hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:16]
    return f"{sha256}:{settings.fingerprint()}:{data_digest(settings)}:{described}:{__version__}"


def data_digest(settings: Settings) -> str:
    """A digest of the data files an edition depends on: the registers, the annotation's English word
    list and the OCR word list. An edit to any of them redoes, on the next run, the editions made with
    the old one (the package's own data, such as the personal names, changes with its version).
    """
    files = [DEFAULT_REGISTER, *settings.registers, WORD_LIST] + (
        [settings.ocr_word_list] if settings.ocr_word_list else [])
    return hashlib.sha256(":".join(_file_digest(str(f)) for f in files).encode()).hexdigest()[:16]


def _file_digest(path: str) -> str:
    try:
        st = os.stat(path)
    except OSError:
        return "missing"
    return _digest_of(path, st.st_mtime_ns, st.st_size)


@functools.lru_cache(maxsize=64)
def _digest_of(path: str, mtime_ns: int, size: int) -> str:
    return sha256_file(Path(path))


def _unchanged(out_dir: Path, stem: str, fingerprint: str) -> bool:
    state, tei = state_path(out_dir, stem), tei_path(out_dir, stem)
    if not (state.is_file() and tei.is_file()):
        return False
    try:
        return json.loads(state.read_text())["fingerprint"] == fingerprint
    except (ValueError, KeyError, OSError):
        return False


def _source_date(path: Path) -> str:
    return datetime.fromtimestamp(path.stat().st_mtime, tz=timezone.utc).date().isoformat()
