"""Document forms and apparatus: what a text's layout says, kept as TEI encodes it, and never annotated
as content. The texts are written for these tests."""
import re

import pytest
from lxml import etree

from pipeline.apparatus import find_apparatus
from pipeline.config import Settings
from pipeline.model import SourceInfo
from pipeline.structure import structure
from pipeline.tei import TEI_NS, build_tei
from pipeline.validate import validate_bytes
from tests.annotate_helpers import annotated, items

SOURCE = SourceInfo("/in/doc.txt", "doc.txt", "doc", "text", "text/plain", 1, "0" * 64)
NS = {"t": TEI_NS}


def shape(text):
    return [(b.kind, b.label, b.text) for b in structure(text, SOURCE).blocks]


def test_form_fields_keep_their_labels_out_of_the_value():
    text = "= Camp 7 =\n\nInfobox\n- Location: Taishet\n- Date Opened: 3 May 1946\n\nName: Kenji Sato\nUnit: 107th Division\n"
    assert shape(text)[2:] == [("field", "Location:", "Taishet"), ("field", "Date Opened:", "3 May 1946"),
                               ("field", "Name:", "Kenji Sato"), ("field", "Unit:", "107th Division")]


def test_a_table_is_rows_of_cells_under_a_header():
    text = ("Returns by port\n\n[Page 12]\nPort of Entry Soldiers Civilians\nMaizuru 10,210 3,118\n"
            "Hakodate 4,003 912\nGrand Total 14,213 4,030\n")
    doc = structure(text, SOURCE)
    rows = [b for b in doc.blocks if b.kind == "row"]
    assert [b.header for b in rows] == [True, False, False, False]
    assert [[b.text[s:e] for s, e in b.cells] for b in rows[1:]] == [
        ["Maizuru", "10,210", "3,118"], ["Hakodate", "4,003", "912"], ["Grand Total", "14,213", "4,030"]]
    assert [(b.kind, b.n) for b in doc.blocks if b.kind == "fw"] == [("fw", "12")]


def test_table_headers_and_totals_are_not_names_and_cells_bound_figures():
    doc = annotated("Returns by port\n\nPort of Entry Soldiers Civilians\nMaizuru 10,210 3,118\n"
                    "Grand Total 14,213 4,030\n")
    assert [(k, t) for k, t, _ in items(doc)] == [
        ("place", "Maizuru"), ("num", "10,210"), ("num", "3,118"), ("num", "14,213"), ("num", "4,030")]


def test_notes_headings_speakers_and_numbered_paragraphs():
    text = ("Abstract\nThe camps held many men for years after the war ended.\n\n"
            "SK: We worked in the forest in winter and slept in tents.\n\n"
            "MT: How cold was it?\n\n"
            "1. The first point of the report stands alone.\n2. The second point follows it.\n\n"
            "Notes\n1. See the camp records.\n2. Interview of 1998.\n")
    assert shape(text) == [
        ("head", None, "Abstract"), ("p", None, "The camps held many men for years after the war ended."),
        ("p", None, "We worked in the forest in winter and slept in tents."), ("p", None, "How cold was it?"),
        ("item", "1.", "The first point of the report stands alone."), ("item", "2.", "The second point follows it."),
        ("head", None, "Notes"), ("note", "1.", "See the camp records."), ("note", "2.", "Interview of 1998.")]
    assert [b.speaker for b in structure(text, SOURCE).blocks][2:4] == ["SK:", "MT:"]


def test_a_letter_has_an_opener_and_a_closer():
    text = ("March 3, 1946\n\nNakhodka, USSR\n\nMy dear Hanako,\n\nThe winter here is long and the work is hard.\n\n"
            "Yours ever,\n\nIchiro\n")
    doc = structure(text, SOURCE)
    assert [(b.kind, b.zone) for b in doc.blocks] == [
        ("dateline", "opener"), ("dateline", "opener"), ("salute", "opener"), ("p", None),
        ("salute", "closer"), ("signed", "closer")]
    root = etree.fromstring(build_tei(doc, Settings(edition_date="2026-01-15")))
    assert [etree.QName(e).localname for e in root.find(".//t:body", NS)] == ["opener", "p", "closer"]


@pytest.mark.parametrize("text,expected", [
    ("the Supreme Commander (MacArthur)6 agreed", [("note-anchor", "6")]),
    ("For Political Adviser.7 In connection", [("note-anchor", "7")]),
    ("Deptel 196, Feb 18, 11 a.m.10 follows", [("note-anchor", "10")]),
    ("as the report said.[12] Then", [("note-anchor", "[12]")]),
    ("the company.[3} He then.(5} She", [("note-anchor", "[3}"), ("note-anchor", "(5}")]),  # brackets misread
    ("steps (1) and (2) of the plan", []),  # an enumeration in parentheses
    ("nothing further was learned until 1950.3", [("note-anchor", "3")]),  # a paragraph's last marker
    ("agreement [Page 991] provided", [("page-number", "[Page 991]")]),
    ("740.00115 PW/9–2347: Telegram", [("identifier", "740.00115 PW/9–2347")]),
    ("see pp. 40-41 and Fig. 3, chapter IV", [("reference", "pp. 40-41"), ("reference", "Fig. 3"),
                                                ("reference", "chapter IV")]),
    ("the No.2 Shinko Maru and the B29 and 1,200 men", []),
    ("I am less convinced by chapters 4 and 5, which move on; Chapters 2-4 and the 5 tables",
     [("reference", "chapters 4 and 5"), ("reference", "Chapters 2-4")]),
])
def test_apparatus_in_the_text(text, expected):
    found = find_apparatus(text)
    assert [(s.kind, text[s.start:s.end]) for s in found] == [
        (k, t if k != "note-anchor" or t.startswith("[") else t) for k, t in expected]


def test_apparatus_is_never_content():
    doc = annotated("740.00114 PW/2–1847: Telegram\n\nThe Ambassador (Stuart) reported on 3 May 1946 that "
                    "12 ships came [Page 991] to Tokyo.4\n")
    assert [(k, t) for k, t, _ in items(doc) if k in ("date", "num")] == [("date", "3 May 1946"), ("num", "12")]


def test_every_form_is_valid_tei_and_keeps_every_word_in_order(tei_all, tmp_path):
    text = ("740.00115 PW/9–2347\n\nReport of the Camp Office\n\nInfobox\n- Location: Taishet\n\n"
            "Port Soldiers Civilians\nMaizuru 10,210 3,118\nHakodate 4,003 912\n\n"
            "SK: We worked in the forest.4\n\nMarch 3, 1946\n\nMy dear Hanako,\n\nThe work [Page 2] is hard.\n\n"
            "Notes\n1. See p. 12.\n")
    doc = annotated(text)
    data = build_tei(doc, Settings(edition_date="2026-01-15"))
    assert validate_bytes(data, "doc.xml") == []
    (tmp_path / "doc.xml").write_bytes(data)
    assert tei_all(tmp_path / "doc.xml") == ""
    body = etree.fromstring(data).find(".//t:text", NS)
    assert re.findall(r"\w+", "".join(body.itertext())) == re.findall(r"\w+", text)


def test_the_site_shows_each_form(tmp_path):
    from pipeline.edition import make_edition
    from pipeline.publish import publish_site
    from pipeline.report import summarize, write_report

    source = tmp_path / "in" / "forms.txt"
    source.parent.mkdir()
    source.write_text("Camp report\n\nPort Soldiers Civilians\nMaizuru 10,210 3,118\nHakodate 4,003 912\n\n"
                      "SK: We worked in the forest.4\n\nMarch 3, 1946\n\nMy dear Hanako,\n\nThe work [Page 2] is hard.\n\n"
                      "Notes\n1. See p. 12.\n", encoding="utf-8")
    out = tmp_path / "out"
    outcome = make_edition(source, out, Settings(edition_date="2026-01-15"))
    assert outcome.status == "ok", outcome.error
    write_report(out, [outcome], summarize([outcome], 0.0))
    page = etree.HTML((publish_site(out) / "editions" / "forms.html").read_text(encoding="utf-8"))
    assert [th.text for th in page.iterfind(".//table[@class='tei-table']//th")] == ["Port", "Soldiers", "Civilians"]
    assert page.find(".//div[@class='sp']/span[@class='speaker']").text == "SK:"
    assert page.find(".//sup[@class='note-anchor']").text == "4"
    assert [p.get("class") for p in page.find(".//div[@class='opener']")] == ["dateline", "salute"]
    assert page.find(".//aside[@class='note']") is not None and page.find(".//span[@class='fw']").text == "[Page 2]"
