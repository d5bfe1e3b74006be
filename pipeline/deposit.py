"""Deposit: each valid edition as a BagIt bag, and a full fixity check of bags.

A bag under ``OUTPUT_DIR/deposit/<stem>/`` holds, below ``data/``::

    tei/<stem>.xml          the edition (hand edits included: what OUTPUT_DIR/tei/ holds)
    schemas/                the schemas the edition declares (<?xml-model href="../schemas/..."?>)
    source/<name>           the original source, byte for byte (a folder: its page images)
    pages/<stem>/...        scans: page images and ALTO (the TEI's relative links still resolve)
    validation.json         the validation report (no findings: nothing invalid is bagged)

Bags are built in a temporary folder beside the target and renamed into
place, so a killed run leaves no half bag. Dates come from the edition,
never the clock.
"""
from __future__ import annotations

import hashlib
import json
import shutil
import threading
from dataclasses import asdict, dataclass
from pathlib import Path

import bagit
from lxml import etree

from pipeline import __version__
from pipeline.config import Settings
from pipeline.errors import PipelineError, UsageError
from pipeline.fsutil import replace_dir, temp_dir, write_zip
from pipeline.ingest import identify
from pipeline.tei import TEI_NS
from pipeline.validate import RNG_FILE, SCH_FILE, copy_schemas, safe_parser, validate_file

CHECKSUMS = ("sha256", "sha512")
NS = {"t": TEI_NS}
# bagit.make_bag changes the process's working directory while it runs: the
# working directory changes only under this lock, and deposits use absolute paths.
_CWD = threading.Lock()


class DepositError(PipelineError):
    """An edition cannot be deposited (invalid TEI, changed source, unreadable files)."""


@dataclass
class Deposit:
    """One edition's entry under ``deposit`` in report.json."""

    status: str  # "bagged" | "kept" (unchanged source, bag already there) | "failed"
    bag: str | None = None  # relative to OUTPUT_DIR
    zip: str | None = None
    error: str | None = None

    def to_json(self) -> dict:
        return asdict(self)


def bag_path(out_dir: Path, stem: str) -> Path:
    return out_dir / "deposit" / stem


def zip_path(out_dir: Path, stem: str) -> Path:
    return out_dir / "deposit" / f"{stem}.zip"


def deposit_edition(source: Path, stem: str, out_dir: Path, settings: Settings,
                    unchanged: bool = False, make_zip: bool = False) -> Deposit:
    """Bag one edition (and zip it); never raises for a problem with the edition."""
    with _CWD:  # no make_bag is in another folder just now
        source, out_dir = Path(source).absolute(), Path(out_dir).absolute()
    bag, archive = bag_path(out_dir, stem), zip_path(out_dir, stem)
    result = Deposit(status="failed")
    try:
        if unchanged and _bag_holds(bag, out_dir / "tei" / f"{stem}.xml"):
            result.status = "kept"
        else:
            build_bag(source, stem, out_dir, settings)
            archive.unlink(missing_ok=True)  # made from the old bag
            result.status = "bagged"
        result.bag = str(bag.relative_to(out_dir))
        if make_zip:
            if not archive.is_file():
                zip_bag(bag, archive)
            result.zip = str(archive.relative_to(out_dir))
    except PipelineError as e:  # DepositError, or the source is now unreadable as a source
        result.status, result.error = "failed", str(e)
    except (OSError, bagit.BagError) as e:
        result.status, result.error = "failed", f"cannot make the bag: {e}"
    return result


def _bag_holds(bag: Path, tei: Path) -> bool:
    """The bag is there and holds this very TEI (a hand edit since it was made means a new bag)."""
    manifest = bag / "manifest-sha256.txt"
    if not (bag / "bagit.txt").is_file() or not manifest.is_file() or not tei.is_file():
        return False
    wanted = f"data/tei/{tei.name}"
    for line in manifest.read_text(encoding="utf-8").splitlines():
        digest, _, name = line.partition(" ")
        if name.strip() == wanted:
            return digest.lower() == _digest(tei, "sha256")
    return False


def remove_leftovers(out_dir: Path) -> None:
    """Temporary folders and zips a killed run left in ``deposit/``."""
    folder = out_dir / "deposit"
    for leftover in [*folder.glob(".*.tmp"), *folder.glob(".*.old")] if folder.is_dir() else []:
        if leftover.is_dir():
            shutil.rmtree(leftover, ignore_errors=True)
        else:
            leftover.unlink(missing_ok=True)


def build_bag(source: Path, stem: str, out_dir: Path, settings: Settings) -> Path:
    """Build the bag in a temporary folder, then rename it over ``deposit/<stem>``."""
    tei = out_dir / "tei" / f"{stem}.xml"
    findings = validate_file(tei)
    if findings:
        raise DepositError(f"not deposited: the TEI is not valid ({findings[0]})")
    meta = edition_metadata(tei)
    info = identify(source, settings)
    if info.sha256 != meta["source_sha256"]:
        raise DepositError(f"not deposited: {source.name} changed since its edition was made; run again")

    target = bag_path(out_dir, stem)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = temp_dir(target.parent, stem)
    try:
        _copy(tei, tmp / "tei" / tei.name)
        copy_schemas(tmp / "schemas")
        if info.files:  # a folder of page images
            for page in info.files:
                _copy(Path(page), tmp / "source" / source.name / Path(page).name)
        else:
            _copy(source, tmp / "source" / source.name)
        pages = out_dir / "pages" / stem
        if pages.is_dir():
            shutil.copytree(pages, tmp / "pages" / stem)
        report = {"tei": f"tei/{tei.name}", "valid": True, "findings": [],
                  "validator": f"archive-pipeline {__version__}: RELAX NG {RNG_FILE} and ISO Schematron {SCH_FILE}"}
        (tmp / "validation.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
        with _CWD:
            bagit.make_bag(str(tmp), bag_info(meta, settings), checksums=list(CHECKSUMS))
        replace_dir(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return target


def edition_metadata(tei: Path) -> dict:
    """What bag-info.txt needs from an edition's header."""
    root = etree.parse(str(tei), safe_parser()).getroot()

    def text(path: str) -> str:
        return " ".join((root.findtext(path, namespaces=NS) or "").split())

    date = root.find("t:teiHeader/t:fileDesc/t:publicationStmt/t:date", NS)
    described = document_description(root)
    return {
        "title": text("t:teiHeader/t:fileDesc/t:titleStmt/t:title"),
        "idno": text("t:teiHeader/t:fileDesc/t:publicationStmt/t:idno"),
        "date": date.get("when") if date is not None else None,
        "source_sha256": text("t:teiHeader/t:fileDesc/t:sourceDesc/t:bibl/t:idno[@type='SHA-256']"),
        **{f"document_{key}": value for key, value in described.items()},
    }


def document_description(root) -> dict[str, str]:
    """What the header says of the document itself (from the catalogue): creator, date, where it is held,
    shelfmark, rights, languages, notes; empty strings where it says nothing. The site reads it too."""
    def text(path: str) -> str:
        return "; ".join(" ".join("".join(el.itertext()).split()) for el in root.xpath(path, namespaces=NS))

    header, source = "/t:TEI/t:teiHeader/t:fileDesc", "/t:TEI/t:teiHeader/t:fileDesc/t:sourceDesc"
    creation = root.find("t:teiHeader/t:profileDesc/t:creation/t:date", NS)
    when = ""
    if creation is not None:
        when = creation.get("when") or "/".join(v for v in (creation.get("from"), creation.get("to")) if v)
    held = f"{source}/t:msDesc/t:msIdentifier"
    return {
        "creator": text(f"{header}/t:titleStmt/t:author"),
        "date": when,
        "date_text": " ".join((creation.text or "").split()) if creation is not None else "",
        "repository": text(f"{held}/t:repository") or text(f"{source}/t:bibl/t:note[@type='holding']"),
        "collection": text(f"{held}/t:collection"),
        "idno": text(f"{held}/t:idno") or text(f"{source}/t:bibl/t:idno[@type='shelfmark']"),
        "rights": text(f"{header}/t:publicationStmt/t:availability/t:p"),
        "languages": " ".join(root.xpath("/t:TEI/t:teiHeader/t:profileDesc/t:langUsage/t:language/@ident", namespaces=NS)),
        "notes": text(f"{source}/t:msDesc/t:msContents/t:msItem/t:note | {source}/t:bibl[position() > 1]/t:note[not(@type)]"),
    }


def bag_info(meta: dict, settings: Settings) -> dict[str, str]:
    """bag-info.txt: the organisation, the edition, and what the catalogue says of the document
    (RFC 8493's Internal-Sender-* and Bag-Group-Identifier for its shelfmark, holding and collection)."""
    by = ", ".join(x for x in (meta.get("document_creator"), meta.get("document_date_text")) if x)
    holding = ", ".join(x for x in (meta.get("document_repository"), meta.get("document_collection")) if x)
    info = {
        "Source-Organization": settings.publisher,
        "Organization-Address": settings.organisation_address,
        "Contact-Email": settings.contact_email,
        "External-Identifier": meta["idno"],
        "External-Description": " ".join(x for x in (meta["title"] + (f" ({by})" if by else ""),
                                                      meta.get("document_notes")) if x),
        "Title": meta["title"],
        "Creator": meta.get("document_creator"),
        "Date": meta.get("document_date"),
        "Internal-Sender-Identifier": meta.get("document_idno"),
        "Internal-Sender-Description": f"Held by {holding}" if holding else None,
        "Bag-Group-Identifier": meta.get("document_collection"),
        "Rights": meta.get("document_rights"),
        "Bagging-Date": meta["date"] or settings.edition_date,
        "Bag-Software-Agent": f"archive-pipeline {__version__} (bagit.py {bagit.VERSION})",
    }
    return {key: value for key, value in info.items() if value}


def zip_bag(bag: Path, dest: Path) -> Path:
    """The bag as a zip under one top folder, dated from bag-info: the same bag gives the same bytes."""
    files = sorted(p for p in bag.rglob("*") if p.is_file())
    members = [(f"{bag.name}/{file.relative_to(bag).as_posix()}", file) for file in files]
    return write_zip(dest, members, bagit.Bag(str(bag)).info.get("Bagging-Date"))


# --- verify -------------------------------------------------------------------

def verify_bag(path: Path) -> list[str]:
    """Every problem with a bag, one line each: missing, extra and altered files.

    Every checksum of every manifest is recomputed (not only Payload-Oxum).
    Raises UsageError when ``path`` is not a bag at all.
    """
    try:
        bag = bagit.Bag(str(path))
    except bagit.BagError as e:
        raise UsageError(f"{path}: not a bag: {e}") from e
    missing, extra = bag.compare_manifests_with_fs()
    problems = [f"{path}: missing: {name}" for name in sorted(missing)]
    problems += [f"{path}: extra file not in the manifests: {name}" for name in sorted(extra)]
    for name, expected in sorted(bag.entries.items()):
        file = Path(path) / name
        if not file.is_file():
            if name not in missing:
                problems.append(f"{path}: missing: {name}")
            continue
        wrong = [alg for alg, digest in sorted(expected.items()) if _digest(file, alg) != digest.lower()]
        if wrong:
            problems.append(f"{path}: altered: {name} ({', '.join(wrong)} differ)")
    if not problems:
        try:  # the library's own complete check, as a second opinion
            bag.validate(fast=False)
        except bagit.BagError as e:
            problems.append(f"{path}: invalid bag: {e}")
    return problems


def _digest(file: Path, alg: str) -> str:
    with file.open("rb") as f:
        return hashlib.file_digest(f, alg).hexdigest()


# --- files ----------------------------------------------------------------------

def _copy(src: Path, dest: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dest)
