"""One source to one edition: the stages in order, without Prefect.

``make_edition`` is what the flow's task calls and what tests call directly.
It never raises for a bad source: the outcome says what went wrong and where.

Hand edits: the pipeline's own last output of each edition is kept as
OUTPUT_DIR/.state/<stem>.xml. A TEI in tei/ that differs from it was edited
by hand: an unchanged source keeps it (validated, re-bagged, published); a
remade edition gets the edits by a three-way merge (``pipeline.edits``); a
conflict leaves the edited file untouched and puts the three versions in
OUTPUT_DIR/conflicts/<stem>/. Every write is atomic and the state file is
written last, so a run killed at any point leaves the edited file intact and
the next run redoes the merge.
"""
from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import json
import os
import shutil
import time
from collections import Counter
from dataclasses import asdict, dataclass, field, fields
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator
from urllib.parse import quote

import lxml
from lxml import etree

from pipeline import __version__, edits
from pipeline.annotate import UnregisteredName, annotate
from pipeline.config import Settings
from pipeline.errors import PipelineError, SourceError
from pipeline.annotate.register import DEFAULT_REGISTER
from pipeline.annotate.resources import WORD_LIST
from pipeline.fsutil import replace_dir, temp_dir, write_atomic
from pipeline.ingest import identify, read_text_source, sha256_file
from pipeline.model import CatalogueRecord, Document
from pipeline.ocr import ocr_document
from pipeline.structure import structure
from pipeline.tei import TEI_NS, build_tei
from pipeline.validate import Finding, copy_schemas, validate_bytes

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
    # hand edits of the TEI, when it has them: {"status": "kept" | "merged" | "resolved" | "conflict" |
    # "discarded", "places": n, "conflicts": [{"line", "edited", "new", "base"}], "aside": "conflicts/<stem>"}
    edits: dict | None = None

    def to_json(self) -> dict:
        return asdict(self)


def tei_path(out_dir: Path, stem: str) -> Path:
    return out_dir / "tei" / f"{stem}.xml"


def state_path(out_dir: Path, stem: str) -> Path:
    return out_dir / ".state" / f"{stem}.json"


def base_path(out_dir: Path, stem: str) -> Path:
    """The pipeline's own last output of the edition: what hand edits are measured against."""
    return out_dir / ".state" / f"{stem}.xml"


def conflicts_dir(out_dir: Path, stem: str) -> Path:
    return out_dir / "conflicts" / stem


def make_edition(path: Path, out_dir: Path, settings: Settings, force: bool = False,
                 record: CatalogueRecord | None = None, discard_edits: bool = False) -> Outcome:
    """Ingest, structure (or OCR), annotate, build TEI, validate, carry hand edits, write.

    ``record`` is the source's catalogue row; ``discard_edits`` drops hand edits of its TEI.
    """
    started = time.perf_counter()
    outcome = Outcome(source=path.name, stem=path.stem if path.is_file() else path.name, status="failed")
    stage = "ingest"
    try:
        source = identify(path, settings)
        outcome.stem = source.stem
        fingerprint = _fingerprint(source.sha256, settings, record)
        state = _read_state(out_dir, source.stem)
        edited = edited_file(out_dir, source.stem)
        if not force and state.get("fingerprint") == fingerprint and tei_path(out_dir, source.stem).is_file():
            stage = "edits"
            _keep(outcome, out_dir, state, edited, discard_edits)
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
        outcome.counts = counts(doc)
        new_state = {"source": source.name, "sha256": source.sha256, "fingerprint": fingerprint,
                     "counts": outcome.counts, "unregistered": [[u.name, u.kind, u.context] for u in unregistered]}
        if findings:
            if edited is None:  # written for inspection; an edited file is never overwritten by it
                write_atomic(tei_path(out_dir, source.stem), data)
            raise PipelineError(f"the TEI is not valid: {_shown(findings)}")
        stage = "edits"
        if edited is not None and discard_edits:
            _discard(outcome, out_dir, source.stem, edited)
        elif edited is not None:
            if not _carry(outcome, out_dir, source.stem, state, edited, data, settings, new_state):
                return outcome
            copy_schemas(out_dir / "schemas")
            write_atomic(base_path(out_dir, source.stem), data)
            write_atomic(state_path(out_dir, source.stem), json.dumps(new_state, ensure_ascii=False))
            outcome.status = "ok"
            return outcome
        stage = "write"
        copy_schemas(out_dir / "schemas")
        write_atomic(tei_path(out_dir, source.stem), data)
        write_atomic(base_path(out_dir, source.stem), data)
        write_atomic(state_path(out_dir, source.stem), json.dumps(new_state, ensure_ascii=False))
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
        _catalogued(doc, record, settings, read=doc.languages)  # the OCR tells pages' and passages' languages
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


def _catalogued(doc: Document, record: CatalogueRecord | None, settings: Settings,
                read: list[str] | None = None) -> None:
    """The catalogue's title and languages win over what the text suggests; the scripts found are added.
    ``read``: the languages a scan's pages and passages were read in (main first), which the OCR told."""
    languages = record.languages if record and record.languages else tuple(read or (settings.language,))
    detected = read or detect_languages(doc.text(), languages[0])
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
    list and the OCR word list, and the version of pycountry, whose states are places. An edit to any of
    them redoes, on the next run, the editions made with the old one (the package's own data, such as the
    personal names, changes with its version).
    """
    files = [DEFAULT_REGISTER, *settings.registers, WORD_LIST] + (
        [settings.ocr_word_list] if settings.ocr_word_list else [])
    parts = [_file_digest(str(f)) for f in files] + [f"pycountry {_pycountry_version()}"]
    return hashlib.sha256(":".join(parts).encode()).hexdigest()[:16]


@functools.cache
def _pycountry_version() -> str:
    return importlib.metadata.version("pycountry")  # read from its metadata once, not for every source


def _file_digest(path: str) -> str:
    try:
        st = os.stat(path)
    except OSError:
        return "missing"
    return _digest_of(path, st.st_mtime_ns, st.st_size)


@functools.lru_cache(maxsize=64)
def _digest_of(path: str, mtime_ns: int, size: int) -> str:
    return sha256_file(Path(path))


def _read_state(out_dir: Path, stem: str) -> dict:
    try:
        return json.loads(state_path(out_dir, stem).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def edited_file(out_dir: Path, stem: str) -> bytes | None:
    """The TEI's bytes when it differs in substance from the pipeline's last output; else None.

    Without a recorded output (an edition made before outputs were kept) a
    TEI cannot be told from an edited one: it is taken as the pipeline's.
    """
    tei, base = tei_path(out_dir, stem), base_path(out_dir, stem)
    if not (tei.is_file() and base.is_file()):
        return None
    data = tei.read_bytes()
    return None if edits.same_document(data, base.read_bytes()) else data


def _keep(outcome: Outcome, out_dir: Path, state: dict, edited: bytes | None, discard_edits: bool) -> None:
    """An unchanged source: its edition stays; an edited one is validated (or dropped with --discard-edits)."""
    stem = outcome.stem
    outcome.status, outcome.counts = "unchanged", state.get("counts", {})
    tei = tei_path(out_dir, stem)
    if state.get("conflict"):  # the inputs went back to what the edits were made on: nothing conflicts now
        shutil.rmtree(conflicts_dir(out_dir, stem), ignore_errors=True)
        write_atomic(state_path(out_dir, stem), json.dumps({k: v for k, v in state.items() if k != "conflict"},
                                                           ensure_ascii=False))
    if not base_path(out_dir, stem).is_file():  # adopt the TEI as the pipeline's output (see edited_file)
        write_atomic(base_path(out_dir, stem), tei.read_bytes())
    if edited is None:
        return
    if discard_edits:
        _discard(outcome, out_dir, stem, edited)
        write_atomic(tei, base_path(out_dir, stem).read_bytes())
        return
    findings = validate_bytes(edited, f"tei/{stem}.xml")
    outcome.edits = {"status": "kept", "places": _places(out_dir, stem, edited)}
    if findings:
        outcome.status, outcome.stage = "failed", "validate"
        outcome.error = f"the hand-edited TEI is not valid: {_shown(findings)}"
        return
    outcome.counts = tei_counts(edits.parse(edited).getroot())


def _carry(outcome: Outcome, out_dir: Path, stem: str, state: dict, edited: bytes, data: bytes,
           settings: Settings, new_state: dict) -> bool:
    """Carry the hand edits into the new output ``data`` and write the result to tei/.

    False (the outcome says why) when they conflict: tei/<stem>.xml stays as
    edited, conflicts/<stem>/ gets the three versions, the state is kept so
    that the next run tries again.
    """
    aside = conflicts_dir(out_dir, stem)
    if state.get("conflict") and not aside.exists():
        # the editor resolved a conflict and removed conflicts/<stem>/: the TEI is their edit of the new output
        findings = validate_bytes(edited, f"tei/{stem}.xml")
        outcome.edits = {"status": "resolved", "places": edits.edited_places(data, edited)}
        if findings:
            outcome.stage, outcome.error = "validate", f"the hand-edited TEI is not valid: {_shown(findings)}"
            return False
        outcome.counts = new_state["counts"] = tei_counts(edits.parse(edited).getroot())
        return True
    base = base_path(out_dir, stem).read_bytes()
    result = edits.merge(base, edited, data, settings.edition_date)
    conflicts = result.conflicts
    if not conflicts:
        findings = validate_bytes(result.data, f"tei/{stem}.xml")
        if findings:
            conflicts = [edits.Conflict(f.line, "the merged edition", "", f"not valid: {f.message}") for f in findings[:5]]
    if conflicts:
        _set_aside(out_dir, stem, base, edited, data, conflicts)
        write_atomic(state_path(out_dir, stem), json.dumps({**state, "conflict": True}, ensure_ascii=False))
        outcome.stage = "merge"
        outcome.edits = {"status": "conflict", "places": result.carried, "aside": str(aside.relative_to(out_dir)),
                         "conflicts": [c.to_json() for c in conflicts]}
        shown = "; ".join(str(c) for c in conflicts[:3]) + (f" (and {len(conflicts) - 3} more)" if len(conflicts) > 3 else "")
        outcome.error = (f"hand edits of tei/{stem}.xml conflict with the remade edition: {shown}. The edited file "
                         f"is untouched; {aside.relative_to(out_dir)}/ holds base.xml, edited.xml and new.xml: "
                         "resolve by hand in tei/, then delete that folder (or run with --discard-edits)")
        return False
    if result.data != edited:
        write_atomic(tei_path(out_dir, stem), result.data)
    if aside.exists():
        shutil.rmtree(aside, ignore_errors=True)
    outcome.edits = {"status": "merged", "places": result.carried}
    outcome.counts = new_state["counts"] = tei_counts(edits.parse(result.data).getroot())
    return True


def _set_aside(out_dir: Path, stem: str, base: bytes, edited: bytes, new: bytes, conflicts) -> None:
    """conflicts/<stem>/: the three versions and the places, written whole (in a temporary folder, then renamed)."""
    target = conflicts_dir(out_dir, stem)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = temp_dir(target.parent, stem)
    try:
        (tmp / "base.xml").write_bytes(base)
        (tmp / "edited.xml").write_bytes(edited)
        (tmp / "new.xml").write_bytes(new)
        (tmp / "CONFLICTS.txt").write_text("".join(f"{c}\n" for c in conflicts), encoding="utf-8")
        replace_dir(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _discard(outcome: Outcome, out_dir: Path, stem: str, edited: bytes) -> None:
    """--discard-edits: the edited file is kept in .state/<stem>.discarded.xml, then replaced by the caller."""
    write_atomic(out_dir / ".state" / f"{stem}.discarded.xml", edited)
    shutil.rmtree(conflicts_dir(out_dir, stem), ignore_errors=True)
    outcome.edits = {"status": "discarded", "aside": f".state/{stem}.discarded.xml"}


def _places(out_dir: Path, stem: str, edited: bytes) -> int:
    try:
        return edits.edited_places(base_path(out_dir, stem).read_bytes(), edited)
    except etree.XMLSyntaxError:
        return 0


def _shown(findings: list[Finding]) -> str:
    shown = "; ".join(str(f) for f in findings[:3])
    return shown + (f" (and {len(findings) - 3} more)" if len(findings) > 3 else "")


TEI_COUNTS = {"persons": "persName", "places": "placeName", "organisations": "orgName", "dates": "date",
              "numbers": "num", "measures": "measure"}
TEI_BLOCKS = ("p", "head", "item", "bibl", "ab", "cell", "note")


def tei_counts(root) -> dict[str, int]:
    """The counts of ``counts`` read from a TEI (a hand-edited one has no Document behind it)."""
    text = root.find(f"{{{TEI_NS}}}text")
    names = Counter(etree.QName(el).localname for el in text.iter(f"{{{TEI_NS}}}*")) if text is not None else Counter()
    vessels = len(text.findall(f".//{{{TEI_NS}}}name[@type='vessel']")) if text is not None else 0
    result = {"blocks": sum(names[tag] for tag in TEI_BLOCKS),
              # a word broken over two lines (<lb break="no"/>) is one word
              "words": len(" ".join(text.itertext()).split()) - len(text.findall(f".//{{{TEI_NS}}}lb[@break='no']"))
              if text is not None else 0,
              "pages": len(root.findall(f"{{{TEI_NS}}}facsimile/{{{TEI_NS}}}surface"))}
    result.update({key: names[tag] for key, tag in TEI_COUNTS.items()})
    result["vessels"] = vessels
    return {key: result[key] for key in ("blocks", "words", "pages", *COUNT_NAMES.values())}


def _source_date(path: Path) -> str:
    return datetime.fromtimestamp(path.stat().st_mtime, tz=timezone.utc).date().isoformat()
