"""What a scholar downloads from the site: the collection as one zip, the registers as data, plain texts.

``downloads/collection.zip`` holds every published edition's TEI under
``tei/`` and the page images and ALTO files it points to under ``pages/``,
at the same relative paths (``../pages/<stem>/...`` from ``tei/``), so every
``graphic/@url`` and ``media/@url`` resolves inside the unpacked zip; beside
them ``text/<stem>.txt`` and the registers. The registers are
``downloads/registers.csv`` (an entity a row) and ``downloads/registers.json``
(each entity with its mentions by edition).
"""
from __future__ import annotations

import csv
import io
import json
import posixpath
from pathlib import Path

from pipeline.fsutil import write_atomic, write_zip
from pipeline.publish.collection import Edition, Entity

KIND_NAMES = {"person": "person", "place": "place", "org": "organisation", "vessel": "vessel"}
CSV_COLUMNS = ("id", "type", "name", "variants", "wikidata", "geonames", "editions", "mentions", "mentions_by_edition")
ZIP = "downloads/collection.zip"
REGISTERS_CSV, REGISTERS_JSON = "downloads/registers.csv", "downloads/registers.json"


def text_path(stem: str) -> str:
    return f"text/{stem}.txt"


def page_files(edition: Edition) -> list[tuple[str, Path]]:
    """(path inside the zip, file) of each page image and ALTO the TEI points to (the TEI sits in tei/)."""
    return [(href, file) for page in edition.pages.values()
            for href, file in ((page.image_href, page.image), (page.alto_href, page.alto)) if href and file]


def register_rows(entities: dict[str, Entity], mentions, editions: list[Edition]) -> list[dict]:
    """One entry per register entity: its forms, authority ids and mentions by edition.

    ``mentions``: entity id -> edition stem -> the occurrences rendered on the edition's page.
    """
    titles = {e.stem: e.title for e in editions}
    rows = []
    for x in sorted(entities.values(), key=lambda x: (x.kind, x.name.casefold(), x.id)):
        found = mentions.get(x.id, {})
        rows.append({
            "id": x.id,
            "type": KIND_NAMES[x.kind],
            "name": x.name,
            "variants": list(x.variants),
            "authorities": dict(sorted(x.authorities.items())),
            "mentions": [{"edition": stem, "title": titles.get(stem, stem), "count": len(occs),
                          "forms": sorted({o.text for o in occs}),
                          "href": f"editions/{stem}.html#{occs[0].anchor}"}
                         for stem, occs in sorted(found.items())],
        })
    return rows


def registers_csv(rows: list[dict]) -> str:
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({
            "id": row["id"], "type": row["type"], "name": row["name"],
            "variants": " | ".join(row["variants"]),
            "wikidata": row["authorities"].get("wikidata", ""), "geonames": row["authorities"].get("geonames", ""),
            "editions": len(row["mentions"]), "mentions": sum(m["count"] for m in row["mentions"]),
            "mentions_by_edition": " | ".join(f"{m['edition']}: {m['count']}" for m in row["mentions"]),
        })
    return out.getvalue()


def write_registers(site: Path, rows: list[dict]) -> None:
    write_atomic(site / REGISTERS_CSV, registers_csv(rows))
    write_atomic(site / REGISTERS_JSON, json.dumps({"entities": rows}, ensure_ascii=False, indent=1) + "\n")


def write_collection_zip(site: Path, editions: list[Edition]) -> str | None:
    """The zip of every edition's TEI, plain text and page files, and the registers; its path in the site."""
    if not editions:
        return None
    members: list[tuple[str, Path]] = []
    seen: set[str] = set()
    for e in editions:
        for name, file in [(f"tei/{e.tei.name}", e.tei), (text_path(e.stem), site / text_path(e.stem)), *page_files(e)]:
            if name not in seen:
                seen.add(name)
                members.append((name, file))
    members += [(posixpath.basename(name), site / name) for name in (REGISTERS_CSV, REGISTERS_JSON)]
    latest = max((e.date for e in editions if e.date), default=None)
    (site / ZIP).parent.mkdir(parents=True, exist_ok=True)
    write_zip(site / ZIP, members, latest)
    return ZIP
