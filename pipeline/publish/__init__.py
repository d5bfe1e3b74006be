"""The scholars' edition site: OUTPUT_DIR/site/, static, from the TEI files and report.json.

Works from disk (file://) and from any static host: relative links only, the
search index is a script that assigns a global (no fetch), no server code.
Templates are Jinja2 with autoescaping; the text itself is built with lxml
(``text.py``), so everything from a source is escaped. The site is built in
a temporary folder and renamed into place.

Beside the pages: IIIF manifests and static tiles for scans (``iiif.py``),
the downloads (``downloads.py``: the collection zip, the registers as CSV and
JSON, each edition's plain text from ``plaintext.py``), the search index
(``search.py``) and the timeline (``timeline.py``).
"""
from __future__ import annotations

import json
import os
import shutil
from collections import defaultdict
from pathlib import Path
from urllib.parse import quote

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from pipeline.config import Settings
from pipeline.deposit import bag_path, zip_bag, zip_path
from pipeline.fsutil import replace_dir, temp_dir, write_atomic
from pipeline.validate import copy_schemas
from pipeline.publish.collection import REGISTER_PAGES, Edition, merge_entities, read_collection
from pipeline.publish.downloads import (REGISTERS_CSV, REGISTERS_JSON, register_rows, text_path,
                                        write_collection_zip, write_registers)
from pipeline.publish.iiif import (build_manifest, image_info, manifest_path, service_path, viewer_style_hashes,
                                   write_info, write_tiles)
from pipeline.publish.plaintext import page_lines, plain_text
from pipeline.publish.search import SearchIndex
from pipeline.publish.text import RenderedText, render_text
from pipeline.publish.timeline import MONTHS, mention, month_svg, timeline_svg

STATIC = Path(__file__).parent / "static"
REGISTER_TITLES = {"person": "Persons", "place": "Places", "org": "Organisations", "vessel": "Vessels"}


def publish_site(out_dir: Path, settings: Settings | None = None) -> Path:
    """Build OUTPUT_DIR/site/ and return its path."""
    out_dir = Path(out_dir)
    settings = settings or Settings()
    editions, failures = read_collection(out_dir)
    target = out_dir / "site"
    for leftover in out_dir.glob(".site.*"):  # from a run killed while publishing
        shutil.rmtree(leftover, ignore_errors=True)
    tmp = temp_dir(out_dir, "site")
    try:
        _Site(tmp, out_dir, editions, settings).build(failures)
        replace_dir(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return target


class _Site:
    def __init__(self, root: Path, out_dir: Path, editions: list[Edition], settings: Settings):
        self.root, self.out_dir, self.editions = root, out_dir, editions
        self.base = settings.site_url if settings.site_url.endswith("/") else settings.site_url + "/"
        self.env = Environment(loader=PackageLoader("pipeline.publish", "templates"),
                               autoescape=select_autoescape(default=True), trim_blocks=True, lstrip_blocks=True)
        publishers = sorted({e.publisher for e in editions if e.publisher})
        self.env.globals["site_name"] = publishers[0] if len(publishers) == 1 else "Digital editions"
        self.env.globals["viewer_style_hashes"] = viewer_style_hashes()
        self.env.globals["registers"] = [(f"{page}.html", REGISTER_TITLES[kind]) for kind, page in REGISTER_PAGES.items()]

    def build(self, failures) -> None:
        """One edition at a time: its page is written as soon as it is rendered, its text streamed into
        the search index, and only what the registers and the timeline need is kept."""
        shutil.copytree(STATIC, self.root / "assets")
        copy_schemas(self.root / "schemas")  # what each TEI download declares (<?xml-model href="../schemas/..."?>)
        bags: dict[str, str | None] = {}
        names = defaultdict(lambda: defaultdict(list))  # entity id -> edition stem -> occurrences
        dates = []  # (edition, occurrence)
        manifests: dict[str, str] = {}
        with SearchIndex(self.root / "assets" / "search-index.js") as index:
            for number, e in enumerate(self.editions):
                bags[e.stem] = self.bag_download(e)
                root = e.root
                text = self.edition_text(e)
                lines = page_lines(root)
                write_atomic(self.root / text_path(e.stem), plain_text(root))
                viewer = self.iiif(e, lines)
                if viewer:
                    manifests[e.stem] = manifest_path(e.stem)
                self.write(f"editions/{e.stem}.html", "edition.html", edition=e, text=Markup(text.html),
                           page_breaks=text.page_breaks, bag=bags[e.stem], manifest=manifests.get(e.stem),
                           plain=text_path(e.stem), viewer=viewer,
                           line_pages=self.line_pages(e, lines, dict(text.page_breaks)))
                for occ in text.names:
                    if occ.ref:
                        names[occ.ref][e.stem].append(occ)
                dates.extend((e, occ) for occ in text.dates)
                index.add(number, text.blocks, text.names, text.dates)
            entities = merge_entities(self.editions)
            index.finish(
                [{"title": e.title, "href": f"editions/{e.stem}.html", "record": _record_line(e)} for e in self.editions],
                entities, lambda x: f"{REGISTER_PAGES[x.kind]}.html#{x.id}", lambda x: REGISTER_TITLES[x.kind])
        write_registers(self.root, register_rows(entities, names, self.editions))
        self.write("index.html", "index.html", editions=self.editions, failures=failures, bags=bags,
                   manifests=manifests, collection_zip=write_collection_zip(self.root, self.editions),
                   registers_csv=REGISTERS_CSV, registers_json=REGISTERS_JSON)
        self.registers(entities, names)
        self.timeline(dates)
        self.write("search.html", "search.html")

    def write(self, name: str, template: str, **context) -> None:
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        root = os.path.relpath(self.root, path.parent).replace(os.sep, "/") + "/"
        # streamed: a register page of a large collection is never one string in memory
        stream = self.env.get_template(template).stream(root="" if root == "./" else root, page=name, **context)
        with path.open("w", encoding="utf-8") as f:
            stream.dump(f)

    # per edition: its bag, TEI, page images and text -------------------------------

    def bag_download(self, e: Edition) -> str | None:
        """downloads/bags/<stem>.zip when the edition has a deposit bag."""
        bag, made = bag_path(self.out_dir, e.stem), zip_path(self.out_dir, e.stem)
        if not (bag / "bagit.txt").is_file():
            return None
        href = f"downloads/bags/{e.stem}.zip"
        (self.root / href).parent.mkdir(parents=True, exist_ok=True)
        if made.is_file():  # run --zip made it already (the same bytes zip_bag would give)
            shutil.copyfile(made, self.root / href)
        else:
            zip_bag(bag, self.root / href)
        return href

    def edition_text(self, e: Edition) -> RenderedText:
        """The edition's TEI copied for download, its text rendered (page images copied on the way)."""
        (self.root / "tei").mkdir(exist_ok=True)
        shutil.copyfile(e.tei, self.root / "tei" / e.tei.name)
        return render_text(e, "editions", lambda page: self.page_image(e, page))

    def page_image(self, e: Edition, page) -> str | None:
        """The page image copied into the site, where the TEI's relative link finds it from tei/."""
        if page.image is None or page.image_href is None:
            return None
        for href, file in ((page.image_href, page.image), (page.alto_href, page.alto)):
            dest = self.root / href if href and file else None
            if dest and not dest.is_file():
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(file, dest)
        return page.image_href

    def iiif(self, e: Edition, lines: dict[str, str]) -> list[dict]:
        """Tiles and info.json for each page image, the manifest; the viewer's pages (relative tile sources)."""
        services, viewer = {}, []
        for page in e.pages.values():
            if page.image is None or page.image_href is None:
                continue
            folder = self.root / service_path(e.stem, page)
            width, height, factors, smallest = write_tiles(page.image, folder)
            info = image_info(self.base + quote(service_path(e.stem, page)), width, height, factors, smallest)
            write_info(folder, info)
            services[page.id] = info
            viewer.append({"n": page.n, "tiles": dict(info, id=f"../{quote(service_path(e.stem, page))}")})
        if services:
            manifest = build_manifest(e, self.base, services, lines)
            write_atomic(self.root / manifest_path(e.stem), json.dumps(manifest, ensure_ascii=False, indent=1) + "\n")
        return viewer

    def line_pages(self, e: Edition, lines: dict[str, str], anchors: dict[str, str]) -> list[dict]:
        """A scan's OCR lines page by page, each with its zone, for the line-by-line view."""
        pages = []
        for number, page in enumerate(p for p in e.pages.values() if p.image is not None):
            shown = [{"id": zone, "text": lines[zone], "box": ",".join(map(str, box))}
                     for zone, box in page.zones.items() if lines.get(zone)]
            if shown:
                pages.append({"n": page.n, "index": number, "anchor": anchors.get(page.n), "lines": shown})
        return pages

    # across the collection -----------------------------------------------------------

    def registers(self, entities: dict, occurrences) -> None:
        by_stem = {e.stem: e for e in self.editions}
        for kind, page in REGISTER_PAGES.items():
            members = sorted((x for x in entities.values() if x.kind == kind), key=lambda x: (x.name.casefold(), x.id))
            letters = defaultdict(list)  # initial -> [(entity, [(edition, occurrences)])]
            for x in members:
                initial = x.name[:1].upper() if x.name[:1].isalpha() else "#"
                letters[initial].append((x, [(by_stem[stem], occs) for stem, occs in sorted(occurrences[x.id].items())]))
            self.write(f"{page}.html", "register.html", kind=kind, title=REGISTER_TITLES[kind],
                       count=len(members), letters=list(letters.items()))

    def timeline(self, dates) -> None:
        """The timeline: years (each opened into months) and periods, every bar a link to its mentions."""
        years = defaultdict(lambda: defaultdict(list))  # year -> month (0: none given) -> [(mention, edition, occ)]
        periods, unplaced = [], 0
        for e, occ in dates:
            label = occ.when or f"{occ.start}–{occ.end}"
            m = mention(occ.when, occ.start, occ.end, label)
            if m is None:
                unplaced += 1
            elif m.is_span:
                periods.append((m, e, occ))
            else:
                years[m.year][m.month or 0].append((m, e, occ))
        periods.sort(key=lambda item: (item[0].start, item[0].end))
        period_ids = {id(m): f"period-{i}" for i, (m, _, _) in enumerate(periods, 1)}
        placed = [m for months in years.values() for found in months.values() for m, _, _ in found]
        placed += [m for m, _, _ in periods]
        svg = Markup(timeline_svg(placed, lambda year: f"#y{year}", lambda m: f"#{period_ids[id(m)]}")) if placed else None
        shown = []
        for year, months in sorted(years.items()):
            counts = {month: len(found) for month, found in months.items() if month}
            chart = Markup(month_svg(year, counts, lambda month: f"#y{year}-{month:02d}")) if counts else None
            shown.append((year, chart, [(month, MONTHS[month - 1] if month else None,
                                         sorted(found, key=lambda item: (item[0].start, item[0].label)))
                                        for month, found in sorted(months.items(), key=lambda kv: (kv[0] == 0, kv[0]))]))
        self.write("timeline.html", "timeline.html", svg=svg, years=shown, unplaced=unplaced,
                   periods=[(period_ids[id(m)], m, e, occ) for m, e, occ in periods])

def _record_line(e: Edition) -> str:
    """The catalogue's description as one line of text, for the search."""
    d = e.described
    return " · ".join(x for x in (d.get("creator"), d.get("date_text"), d.get("repository"), d.get("collection"),
                                  d.get("idno")) if x)
