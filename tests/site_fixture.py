"""A small run's output with everything the site shows: annotations, a scan, a hostile source, a failure.

Annotation and OCR come from other parts of the pipeline; here their output is
made directly with pipeline.tei.build_tei, from real source files, so that
deposit (which checks the source's hash against the TEI) accepts them.
"""
from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

from pipeline.config import Settings
from pipeline.edition import Outcome, counts, make_edition
from pipeline.fsutil import write_atomic
from pipeline.ingest import identify
from pipeline.model import Block, CatalogueRecord, Document, Entity, Milestone, Page, Span, Unclear, Zone
from pipeline.report import summarize, write_report
from pipeline.tei import build_tei

SETTINGS = Settings(edition_date="2026-01-15", publisher="Test Archive", contact_email="archive@example.org",
                    organisation_address="1 Archive Lane, Somewhere")
HOSTILE_TITLE = "<script>alert('title')</script> & <b>bold</b>"
HOSTILE = f"= {HOSTILE_TITLE} =\n\n" 'Dangerous <script>alert("xss")</script> and <img src=x onerror=alert(1)> text.\n\nA second paragraph.\n'
LANDING = "General Douglas MacArthur landed in Japan on August 30, 1945 with 1,200 men."
SCAN_LINES = ["Zarnitsa reached Port Toro on 16 August 1945.", "Japan had held the port 1904-05 to 1945 and 30 percent."]
ENTITIES = {
    "person-douglas-macarthur": Entity("person-douglas-macarthur", "person", "Douglas MacArthur", ["MacArthur"], "Q127417"),
    "place-japan": Entity("place-japan", "place", "Japan", [], "Q17", "1861060"),
    "place-port-toro": Entity("place-port-toro", "place", "Port Toro", [], None, "2121052"),
    "vessel-zarnitsa": Entity("vessel-zarnitsa", "vessel", "Zarnitsa"),
    "org-red-army": Entity("org-red-army", "org", "Red Army", [], "Q190905"),
    "place-kholmsk": Entity("place-kholmsk", "place", "Kholmsk", ["Maoka"], "Q203433"),
    "person-daniel-o-connell": Entity("person-daniel-o-connell", "person", "Daniel O'Connell"),
}
LETTER = "Dear Mr. O’Connell, the steamer left Maoka on 12 June 1946 with the Café Zürich’s cook aboard."
LETTER_RECORD = CatalogueRecord("letter.txt", 2, title="Letter on the sailing from Maoka", creator="Mary Smith",
                                date="1946-06-12", repository="National Archive of Somewhere",
                                collection="Smith papers", idno="MS 12/3", rights="Public domain",
                                languages=("en",), notes="Carbon copy")


# (stem, source name) of the editions that validate, are bagged and published
PUBLISHED = (("landing", "landing.txt"), ("scan", "scan"), ("hostile", "hostile.txt"), ("letter", "letter.txt"))


def build_output(tmp: Path) -> tuple[Path, Path]:
    """(input folder, output folder) as a run leaves them, before deposit and publishing."""
    inbox, out = tmp / "inbox", tmp / "out"
    inbox.mkdir()
    outcomes = [_landing(inbox, out), _scan(inbox, out), _hostile(inbox, out), _letter(inbox, out), _invalid(inbox, out)]
    write_report(out, outcomes, summarize(outcomes, 0.0))
    return inbox, out


def _write_edition(doc: Document, out: Path) -> Outcome:
    write_atomic(out / "tei" / f"{doc.source.stem}.xml", build_tei(doc, SETTINGS))
    return Outcome(doc.source.name, doc.source.stem, "ok", counts=counts(doc))


def _landing(inbox: Path, out: Path) -> Outcome:
    path = inbox / "landing.txt"
    path.write_text("= Landing =\n\n" + LANDING + "\n\nThe Red Army waited.\n", encoding="utf-8")
    text = Block("p", LANDING, spans=[
        Span(8, 25, "person", {"ref": "person-douglas-macarthur"}),
        Span(36, 41, "place", {"ref": "place-japan"}),
        Span(45, 60, "date", {"when": "1945-08-30"}),
        Span(66, 71, "num", {"value": "1200"}),
    ])
    army = Block("p", "The Red Army waited.", spans=[Span(4, 12, "org", {"ref": "org-red-army"})])
    doc = Document(identify(path, SETTINGS), "Landing", blocks=[Block("head", "Landing"), text, army])
    doc.entities = [ENTITIES[k] for k in ("person-douglas-macarthur", "place-japan", "org-red-army")]
    doc.changes = ["ingest: test fixture"]
    return _write_edition(doc, out)


def _scan(inbox: Path, out: Path) -> Outcome:
    """A folder of one page image, 'OCRed': a facsimile, pb/lb, an unclear word, page image and ALTO."""
    folder = inbox / "scan"
    folder.mkdir()
    image = Image.new("RGB", (600, 300), "white")
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(SCAN_LINES):
        draw.text((20, 40 + 60 * i), line, fill="black")
    image.save(folder / "page-1.png")
    pages = out / "pages" / "scan"
    pages.mkdir(parents=True)
    image.save(pages / "page-1.png")
    (pages / "page-1.alto.xml").write_text('<alto xmlns="http://www.loc.gov/standards/alto/ns-v4#"/>\n')
    text = " ".join(SCAN_LINES)
    second = len(SCAN_LINES[0]) + 1
    block = Block("p", text, spans=[
        _span(text, "Zarnitsa", "vessel", ref="vessel-zarnitsa"),
        _span(text, "Port Toro", "place", ref="place-port-toro"),
        _span(text, "16 August 1945", "date", when="1945-08-16"),
        _span(text, "Japan", "place", ref="place-japan"),
        _span(text, "1904-05", "date", **{"from": "1904", "to": "1905"}),
        _span(text, "1945 and", "date", when="1945", length=4),
        _span(text, "30 percent", "measure", quantity="30", unit="percent"),
    ], unclear=[Unclear(9, 16, 0.42)],
        milestones=[Milestone(0, "pb", "scan-p1", "1"), Milestone(0, "lb", "scan-p1-l1"), Milestone(second, "lb", "scan-p1-l2")])
    page = Page("scan-p1", 1, 600, 300, "../pages/scan/page-1.png",
                [Zone("scan-p1-l1", 20, 40, 580, 60), Zone("scan-p1-l2", 20, 100, 580, 120)], "../pages/scan/page-1.alto.xml")
    doc = Document(identify(folder, SETTINGS), "Port Toro", blocks=[block], pages=[page])
    doc.entities = [ENTITIES[k] for k in ("vessel-zarnitsa", "place-port-toro", "place-japan")]
    doc.changes = ["ocr: test fixture"]
    return _write_edition(doc, out)


def _letter(inbox: Path, out: Path) -> Outcome:
    """A typed letter the catalogue describes; a place under its other name, an apostrophe and accents."""
    path = inbox / "letter.txt"
    path.write_text(LETTER + "\n", encoding="utf-8")
    block = Block("p", LETTER, spans=[
        _span(LETTER, "O’Connell", "person", ref="person-daniel-o-connell"),
        _span(LETTER, "Maoka", "place", ref="place-kholmsk"),
        _span(LETTER, "12 June 1946", "date", when="1946-06-12"),
    ])
    doc = Document(identify(path, SETTINGS), LETTER_RECORD.title, blocks=[block], catalogue=LETTER_RECORD)
    doc.entities = [ENTITIES[k] for k in ("person-daniel-o-connell", "place-kholmsk")]
    doc.changes = ["ingest: test fixture"]
    return _write_edition(doc, out)


def _span(text: str, words: str, kind: str, length: int | None = None, **attrs) -> Span:
    start = text.index(words)
    return Span(start, start + (length or len(words)), kind, attrs)


def _hostile(inbox: Path, out: Path) -> Outcome:
    """Markup in a source, through the real text path: it must stay text everywhere."""
    path = inbox / "hostile.txt"
    path.write_text(HOSTILE, encoding="utf-8")
    return make_edition(path, out, SETTINGS)


def _invalid(inbox: Path, out: Path) -> Outcome:
    """A TEI that fails validation (a @ref to nothing): reported failed, never bagged or published."""
    path = inbox / "broken.txt"
    path.write_text("Nobody here.\n", encoding="utf-8")
    doc = Document(identify(path, SETTINGS), "Broken", blocks=[
        Block("p", "Nobody here.", spans=[Span(0, 6, "person", {"ref": "person-missing"})])])
    _write_edition(doc, out)
    return Outcome(path.name, "broken", "failed", stage="validate", error="the TEI is not valid: @ref resolves to nothing")
