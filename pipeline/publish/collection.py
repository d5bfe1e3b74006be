"""The collection as the site sees it, read from OUTPUT_DIR: the TEI files and report.json.

Plain data only; ``pipeline.publish.text`` turns each edition's body into HTML.
"""
from __future__ import annotations

import json
import posixpath
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from urllib.parse import unquote

from lxml import etree

from pipeline.deposit import document_description

from pipeline.tei import NAME_ELEMENTS, REGISTER, TEI_NS, XML_ID
from pipeline.validate import safe_parser

NS = {"t": TEI_NS}
REGISTER_PAGES = {"person": "persons", "place": "places", "org": "organisations", "vessel": "vessels"}
SOURCE_TYPES = {"text": "typed text", "image": "scanned image", "pdf": "PDF", "folder": "scanned pages"}
AUTHORITIES = {"wikidata": "https://www.wikidata.org/wiki/{}", "geonames": "https://www.geonames.org/{}"}


@dataclass
class Entity:
    """A register entry, merged over every edition that names it (xml:ids are stable across editions)."""

    id: str
    kind: str
    name: str
    variants: list[str] = field(default_factory=list)
    authorities: dict[str, str] = field(default_factory=dict)  # "wikidata" -> "Q17"

    def links(self) -> list[tuple[str, str, str]]:
        """(authority, id, url) for each authority id."""
        return [(k, v, AUTHORITIES[k].format(v)) for k, v in sorted(self.authorities.items())]


@dataclass
class Page:
    id: str
    n: str
    image: Path | None  # the page image on disk, when it is there
    width: str | None = None
    height: str | None = None
    alto: Path | None = None  # the page's ALTO on disk, when it is there
    zones: dict[str, tuple[int, int, int, int]] = field(default_factory=dict)  # zone id -> x, y, w, h (pixels)
    # where the image and ALTO sit in the site and the collection zip (which mirror OUTPUT_DIR's tei/ and pages/)
    image_href: str | None = None
    alto_href: str | None = None


@dataclass
class Edition:
    stem: str
    tei: Path
    title: str
    idno: str
    publisher: str
    licence: str
    licence_url: str | None
    date: str | None
    language: str
    source: dict[str, str]  # filename, sha256, size, media type, encoding, kind
    status: str
    pages: dict[str, Page]  # surface xml:id -> page
    entities: list[Entity]
    tag_counts: Counter  # TEI element name -> occurrences inside <text>
    described: dict[str, str] = field(default_factory=dict)  # the catalogue's description (deposit.document_description)
    edits: str | None = None  # hand edits the edition carries (report.json): "kept", "merged", "resolved"

    @property
    def root(self) -> etree._Element:
        """The TEI, parsed anew: a collection's trees are never all in memory at once."""
        return etree.parse(str(self.tei), safe_parser()).getroot()

    @property
    def source_type(self) -> str:
        return SOURCE_TYPES.get(self.source.get("kind", ""), self.source.get("kind") or "unknown")

    def count(self, *tags: str) -> int:
        return sum(self.tag_counts[tag] for tag in tags)


@dataclass
class Failure:
    """A source the site does not publish: failed, a duplicate of another, or withdrawn."""

    source: str
    stage: str | None
    error: str | None
    status: str = "failed"


def read_report(out_dir: Path) -> dict:
    path = out_dir / "report.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {"sources": []}


PUBLISHED = ("ok", "unchanged")


def read_collection(out_dir: Path) -> tuple[list[Edition], list[Failure]]:
    """Editions to publish and the sources that are not published, with why.

    With a report, an edition is published when its source succeeded or was
    unchanged in the last run; a TEI whose source failed, duplicates another
    or is gone is not. Without a report, every TEI is.
    """
    report = read_report(out_dir)
    status = {s["stem"]: s["status"] for s in report["sources"] if s["status"] in PUBLISHED}
    failures = [Failure(s["source"], s.get("stage"), s.get("error"), s["status"])
                for s in report["sources"] if s["status"] not in PUBLISHED]
    edits = {s["stem"]: s["edits"]["status"] for s in report["sources"]
             if s["status"] in PUBLISHED and s.get("edits") and s["edits"]["status"] in ("kept", "merged", "resolved")}
    editions = []
    for tei in sorted((out_dir / "tei").glob("*.xml")):
        if report["sources"] and tei.stem not in status:
            continue
        try:
            editions.append(read_edition(tei, status.get(tei.stem, "not in report"), edits.get(tei.stem)))
        except etree.XMLSyntaxError as e:  # not from this pipeline's run, or damaged since
            failures.append(Failure(tei.name, "publish", f"cannot read the TEI: {e}"))
    return editions, failures


def read_edition(tei: Path, status: str, edits: str | None = None) -> Edition:
    root = etree.parse(str(tei), safe_parser()).getroot()
    pub = root.find("t:teiHeader/t:fileDesc/t:publicationStmt", NS)
    bibl = root.find("t:teiHeader/t:fileDesc/t:sourceDesc/t:bibl", NS)
    licence = pub.find("t:availability/t:licence", NS)
    date = pub.find("t:date", NS)
    language = root.get("{http://www.w3.org/XML/1998/namespace}lang") or "en"
    return Edition(
        stem=tei.stem,
        tei=tei,
        title=_text(root.find("t:teiHeader/t:fileDesc/t:titleStmt/t:title", NS)) or tei.stem,
        idno=_text(pub.find("t:idno", NS)),
        publisher=_text(pub.find("t:publisher", NS)),
        licence=_text(licence),
        licence_url=licence.get("target") if licence is not None else None,
        date=date.get("when") if date is not None else None,
        language=language,
        source=_source(bibl),
        status=status,
        pages=_pages(root, tei),
        entities=_entities(root),
        tag_counts=Counter(etree.QName(el).localname for text in root.iterfind(".//t:text", NS)
                           for el in text.iterdescendants(f"{{{TEI_NS}}}*")),
        described=document_description(root),
        edits=edits,
    )


def _source(bibl) -> dict[str, str]:
    if bibl is None:
        return {}
    found = {"kind": bibl.get("type", "")}
    for key, path in (("filename", "t:idno[@type='filename']"), ("sha256", "t:idno[@type='SHA-256']"),
                      ("size", "t:extent/t:measure"), ("media_type", "t:note[@type='mediaType']"),
                      ("encoding", "t:note[@type='encoding']"), ("pages", "t:note[@type='pages']")):
        el = bibl.find(path, NS)
        if el is not None:
            found[key] = _text(el)
    return found


def _pages(root, tei: Path) -> dict[str, Page]:
    """The facsimile's surfaces; image and ALTO URLs are relative to the TEI file."""
    pages = {}
    for surface in root.iterfind("t:facsimile/t:surface", NS):
        graphic = surface.find("t:graphic", NS)
        alto = surface.find("t:media[@type='alto']", NS)
        size = (graphic.get("width"), graphic.get("height")) if graphic is not None else (None, None)
        page = Page(surface.get(XML_ID), surface.get("n") or str(len(pages) + 1), _local(tei, graphic),
                    *(s.removesuffix("px") if s else None for s in size), alto=_local(tei, alto),
                    image_href=site_path(graphic.get("url") if graphic is not None else None),
                    alto_href=site_path(alto.get("url") if alto is not None else None))
        for zone in surface.iterfind("t:zone", NS):
            try:
                ulx, uly, lrx, lry = (round(float(zone.get(k))) for k in ("ulx", "uly", "lrx", "lry"))
            except (TypeError, ValueError):
                continue
            page.zones[zone.get(XML_ID)] = (ulx, uly, lrx - ulx, lry - uly)
        pages[page.id] = page
    return pages


def site_path(url: str | None) -> str | None:
    """A URL relative to the TEI (``../pages/<stem>/page-0001.png``) as a path from the site's root,
    where tei/ and pages/ stand as in OUTPUT_DIR; None for one that leads anywhere else."""
    if not url or "://" in url or url.startswith("/"):
        return None
    path = posixpath.normpath(posixpath.join("tei", unquote(url)))
    return None if path == ".." or path.startswith("../") or path.startswith("tei/") else path


def _local(tei: Path, el) -> Path | None:
    """The file an element's relative @url names, when it is there."""
    url = el.get("url") if el is not None else None
    if not url or "://" in url:
        return None
    candidate = (tei.parent / unquote(url)).resolve()
    return candidate if candidate.is_file() else None


def _entities(root) -> list[Entity]:
    entities = []
    for kind, list_tag, entry_tag in REGISTER:
        for entry in root.iterfind(f"t:standOff/t:{list_tag}/t:{entry_tag}", NS):
            name_tag = "objectName" if entry_tag == "object" else NAME_ELEMENTS[kind]
            names = entry.findall(f".//t:{name_tag}", NS)
            main = [_text(n) for n in names if n.get("type") != "variant"]
            variants = [_text(n) for n in names if n.get("type") == "variant"]
            ids = {i.get("type"): _text(i) for i in entry.iterfind("t:idno", NS) if i.get("type") in AUTHORITIES}
            entities.append(Entity(entry.get(XML_ID), kind, (main or variants or [entry.get(XML_ID)])[0],
                                   variants, ids))
    return entities


def merge_entities(editions: list[Edition]) -> dict[str, Entity]:
    """One entry per xml:id across the collection; variants and authority ids are pooled."""
    merged: dict[str, Entity] = {}
    for edition in editions:
        for e in edition.entities:
            if e.id not in merged:
                merged[e.id] = Entity(e.id, e.kind, e.name, list(e.variants), dict(e.authorities))
                continue
            known = merged[e.id]
            for variant in [e.name, *e.variants]:
                if variant != known.name and variant not in known.variants:
                    known.variants.append(variant)
            for k, v in e.authorities.items():
                known.authorities.setdefault(k, v)
    return merged


def _text(el) -> str:
    return " ".join("".join(el.itertext()).split()) if el is not None else ""
