"""The scholars' edition site: OUTPUT_DIR/site/, static, from the TEI files and report.json.

Works from disk (file://) and from any static host: relative links only, the
search index is a script that assigns a global (no fetch), no server code.
Templates are Jinja2 with autoescaping; the text itself is built with lxml
(``text.py``), so everything from a source is escaped. The site is built in
a temporary folder and renamed into place.
"""
from __future__ import annotations

import json
import os
import shutil
from collections import defaultdict
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from pipeline.deposit import bag_path, zip_bag, zip_path
from pipeline.fsutil import replace_dir, temp_dir, write_zip
from pipeline.validate import copy_schemas
from pipeline.publish.collection import REGISTER_PAGES, Edition, merge_entities, read_collection
from pipeline.publish.text import RenderedText, render_text
from pipeline.publish.timeline import mention, timeline_svg

STATIC = Path(__file__).parent / "static"
REGISTER_TITLES = {"person": "Persons", "place": "Places", "org": "Organisations", "vessel": "Vessels"}


def publish_site(out_dir: Path) -> Path:
    """Build OUTPUT_DIR/site/ and return its path."""
    out_dir = Path(out_dir)
    editions, failures = read_collection(out_dir)
    target = out_dir / "site"
    for leftover in out_dir.glob(".site.*"):  # from a run killed while publishing
        shutil.rmtree(leftover, ignore_errors=True)
    tmp = temp_dir(out_dir, "site")
    try:
        _Site(tmp, out_dir, editions).build(failures)
        replace_dir(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return target


class _Site:
    def __init__(self, root: Path, out_dir: Path, editions: list[Edition]):
        self.root, self.out_dir, self.editions = root, out_dir, editions
        self.env = Environment(loader=PackageLoader("pipeline.publish", "templates"),
                               autoescape=select_autoescape(default=True), trim_blocks=True, lstrip_blocks=True)
        publishers = sorted({e.publisher for e in editions if e.publisher})
        self.env.globals["site_name"] = publishers[0] if len(publishers) == 1 else "Digital editions"
        self.env.globals["registers"] = [(f"{page}.html", REGISTER_TITLES[kind]) for kind, page in REGISTER_PAGES.items()]

    def build(self, failures) -> None:
        """One edition at a time: its page is written as soon as it is rendered, its text streamed into
        the search index, and only what the registers and the timeline need is kept."""
        shutil.copytree(STATIC, self.root / "assets")
        copy_schemas(self.root / "schemas")  # what each TEI download declares (<?xml-model href="../schemas/..."?>)
        bags: dict[str, str | None] = {}
        names = defaultdict(lambda: defaultdict(list))  # entity id -> edition stem -> occurrences
        dates = []  # (edition, occurrence)
        with _SearchIndex(self.root / "assets" / "search-index.js") as index:
            for number, e in enumerate(self.editions):
                bags[e.stem] = self.bag_download(e)
                text = self.edition_text(e)
                self.write(f"editions/{e.stem}.html", "edition.html", edition=e, text=Markup(text.html),
                           page_breaks=text.page_breaks, bag=bags[e.stem])
                for occ in text.names:
                    if occ.ref:
                        names[occ.ref][e.stem].append(occ)
                dates.extend((e, occ) for occ in text.dates)
                index.add(number, text.blocks)
            entities = merge_entities(self.editions)
            index.finish(
                docs=[{"title": e.title, "href": f"editions/{e.stem}.html"} for e in self.editions],
                names=[[x.name, x.variants, f"{REGISTER_PAGES[x.kind]}.html#{x.id}", REGISTER_TITLES[x.kind]]
                       for x in entities.values()])
        self.write("index.html", "index.html", editions=self.editions, failures=failures, bags=bags,
                   collection_zip=self.collection_zip())
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
        if page.image is None:
            return None
        href = f"pages/{e.stem}/{page.image.name}"
        dest = self.root / href
        if not dest.is_file():
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(page.image, dest)
        return href

    def collection_zip(self) -> str | None:
        if not self.editions:
            return None
        name = "downloads/collection-tei.zip"
        (self.root / "downloads").mkdir(exist_ok=True)
        latest = max((e.date for e in self.editions if e.date), default=None)
        write_zip(self.root / name, [(f"tei/{e.tei.name}", e.tei) for e in self.editions], latest)
        return name

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
        by_year = defaultdict(list)
        placed, unplaced = [], 0
        for e, occ in dates:
            label = occ.when or f"{occ.start}–{occ.end}"
            m = mention(occ.when, occ.start, occ.end, label)
            if m is None:
                unplaced += 1
                continue
            placed.append(m)
            by_year[m.year].append((m, e, occ))
        svg = Markup(timeline_svg(placed, lambda year: f"#y{year}")) if placed else None
        years = [(year, sorted(found, key=lambda item: (item[0].start, item[0].end))) for year, found in sorted(by_year.items())]
        self.write("timeline.html", "timeline.html", svg=svg, years=years, unplaced=unplaced)


class _SearchIndex:
    """assets/search-index.js, ``window.SEARCH_INDEX = {"entries": [...], "docs": [...], "names": [...]}``,
    written as the editions are rendered. A script, not JSON, so that file:// pages can load it."""

    def __init__(self, path: Path):
        self.path, self.first = path, True

    def __enter__(self):
        self.file = self.path.open("w", encoding="utf-8")
        self.file.write('window.SEARCH_INDEX = {"entries":[')
        return self

    def add(self, doc: int, blocks: list[tuple[str, str]]) -> None:
        for anchor, text in blocks:
            self.file.write(("" if self.first else ",") + _js_json([doc, anchor, text]))
            self.first = False

    def finish(self, docs: list, names: list) -> None:
        self.file.write(f'],"docs":{_js_json(docs)},"names":{_js_json(names)}}};\n')

    def __exit__(self, *exc):
        self.file.close()


def _js_json(value) -> str:
    # ensure_ascii and the escaped "</" keep a source's "</script>" inert even if this were inlined
    return json.dumps(value, ensure_ascii=True, separators=(",", ":")).replace("</", "<\\/")
