"""The site renders an editor's markup as an edition reads, and says which editions carry hand edits."""
import json
import shutil
from urllib.parse import urlsplit

import pytest
from lxml import html

from pipeline.publish import publish_site
from tests.conftest import REPO

TEXT = "//div[@class='tei-text']"  # the edition's text, not the legend
FIXTURE = REPO / "tests" / "fixtures" / "tei" / "editorial.xml"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("editorial")
    (out / "tei").mkdir()
    shutil.copy(FIXTURE, out / "tei" / "editorial.xml")
    shutil.copy(FIXTURE, out / "tei" / "plain.xml")
    report = {"sources": [
        {"source": "editorial.txt", "stem": "editorial", "status": "unchanged", "edits": {"status": "kept", "places": 3}},
        {"source": "plain.txt", "stem": "plain", "status": "ok", "edits": None}]}
    (out / "report.json").write_text(json.dumps(report))
    return publish_site(out)


@pytest.fixture(scope="module")
def page(site):
    return html.parse(str(site / "editions" / "editorial.html")).getroot()


def text_of(el) -> str:
    return " ".join(el.text_content().split())


def test_a_correction_shows_the_corrected_word_with_the_source_reading_at_hand(page, site):
    corr = page.xpath(TEXT + "//span[contains(@class, 'choice')][contains(@class, 'corr')]")[0]
    assert corr.text == "inform" and "the source reads: infonn" in corr.get("title")
    assert corr.get("tabindex") == "0" and "[the source reads: infonn]" in text_of(corr)
    assert "infonninform" not in text_of(page)
    reg = page.xpath(TEXT + "//span[contains(@class, 'reg')]")[0]
    assert reg.text == "color" and "original spelling: colour" in reg.get("title")
    expan = page.xpath(TEXT + "//span[contains(@class, 'expan')]")[0]
    assert expan.text == "General" and "abbreviated: Gen." in expan.get("title")
    # the search index has the edition's reading, not both readings glued together
    index = (site / "assets" / "search-index.js").read_text()
    assert "information from General MacArthur" in index and "infonn" not in index


def test_notes_become_numbered_notes_after_the_text(page):
    markers = page.xpath(TEXT + "//sup[@class='note-ref']/a")
    assert [m.text for m in markers] == ["a"]
    note = page.get_element_by_id(markers[0].get("href")[1:])
    assert "Checked against the carbon copy." in text_of(note) and "Editor’s note" in text_of(note)
    assert note.xpath(".//a[@class='back']/@href") == [f"#{markers[0].get('id')}"]
    assert "Checked against" not in text_of(page.xpath(TEXT + "//p")[1])  # not run into the text
    # an endnote in a notes div, and a note marker (ref) that links to it
    endnote = page.xpath(TEXT + "//aside[@class='note']")[0]
    assert text_of(endnote).startswith("1 See the first paragraph")
    ref = page.xpath(TEXT + "//sup[@class='note-anchor']/a[@class='ref'][text()='1']")[0]
    assert page.get_element_by_id(ref.get("href")[1:]) is endnote


def test_highlighting_gaps_supplied_added_deleted_and_other_languages_are_marked(page):
    assert page.xpath(TEXT + "//span[@class='hi r-italic']/text()")[0] == "not"
    assert page.xpath(TEXT + "//span[@class='gap']/text()") == ["[…]"]
    assert "illegible" in page.xpath(TEXT + "//span[@class='gap']/@title")[0]
    assert page.xpath(TEXT + "//span[@class='supplied']")[0].text_content() == "[the]"
    assert page.xpath(TEXT + "//ins[@class='add']/text()") == ["Army"]
    assert page.xpath(TEXT + "//del[@class='del']/text()") == ["troops"]
    assert page.xpath(TEXT + "//span[@class='foreign']/@lang") == ["ja", "en"]
    assert page.xpath("//p[@lang='ru']")
    assert "certainty: 0.8" in page.xpath("//a[contains(@class, 'person')]/@title")[0]


def test_letters_tables_and_figures_have_their_own_form(page):
    assert text_of(page.xpath(TEXT + "//div[@class='opener']/p[@class='salute']")[0]) == "Dear Sir,"
    assert page.xpath(TEXT + "//div[@class='closer']/p[@class='signed']")
    table = page.xpath("//table[@class='tei-table']")[0]
    assert table.xpath("caption/text()") == ["Arrivals"] and len(table.xpath(".//th")) == 2
    assert "Plate 1" in text_of(page.xpath("//figure[@class='tei-figure']")[0])


def test_the_index_says_which_editions_carry_hand_edits(site):
    index = html.parse(str(site / "index.html")).getroot()
    rows = {r.xpath("th/a/@href")[0]: r for r in index.xpath("//table[@class='editions']/tbody/tr")}
    flagged = [href for href, row in rows.items() if row.xpath(".//span[contains(@class, 'edited')]")]
    assert len(rows) == 2 and flagged == ["editions/editorial.html"]
    edition = html.parse(str(site / "editions" / "editorial.html")).getroot()
    assert "Hand edits" in edition.xpath("//dl[@class='meta']/dt/text()")
    plain = html.parse(str(site / "editions" / "plain.html")).getroot()
    assert "Hand edits" not in plain.xpath("//dl[@class='meta']/dt/text()")


def test_every_link_on_the_edited_page_resolves(page, site):
    ids = set(page.xpath("//@id"))
    for href in page.xpath("//a/@href"):
        url = urlsplit(href)
        if url.scheme:
            continue
        if not url.path:
            assert url.fragment in ids, href
        else:
            assert (site / "editions" / url.path).resolve().exists(), href
