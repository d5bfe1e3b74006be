"""Issue 15's acceptance run: a two-page TIFF scan, a typed letter and the archive's catalogue through the flow.

The scan is typeset from tests/fixtures/catalogued/reception_report.txt at test
time; the letter and catalogue.csv are fixtures as an archivist would drop them.
"""
import csv
import json
import shutil
import zipfile
from pathlib import Path
from urllib.parse import unquote

import bagit
import pytest
from lxml import etree, html
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from pipeline.cli import main
from pipeline.config import Settings
from pipeline.publish.iiif import check_manifest
from pipeline.validate import validate_file
from tests.conftest import SMALL
from tests.support.scans import parse_blocks, render_pages, save_tiff

FIXTURES = Path(__file__).parent / "fixtures" / "catalogued"
TEI = {"t": "http://www.tei-c.org/ns/1.0"}
SITE_URL = "https://archive.example.org/editions/site/"
SCAN_TITLE = "Report on the reception of repatriates at Hakodate"
LETTER_TITLE = "Letter to Daniel O'Connell on the sailings from Maoka"


def make_inbox(folder: Path) -> Path:
    folder.mkdir()
    for name in ("letter.txt", "catalogue.csv"):
        shutil.copy(FIXTURES / name, folder / name)
    pages = (FIXTURES / "reception_report.txt").read_text(encoding="utf-8").split("\n\n")
    scans = [render_pages(parse_blocks(text), inches=SMALL, margin_inches=0.3)[0] for text in pages]
    save_tiff(scans, folder / "reception_report.tif")
    return folder


@pytest.fixture(scope="module")
def run(prefect_harness, tmp_path_factory):
    from pipeline.flows import run as run_flow

    tmp = tmp_path_factory.mktemp("catalogued")
    inbox, out = make_inbox(tmp / "inbox"), tmp / "out"
    summary = run_flow(inbox, out, Settings(edition_date="2026-01-15", site_url=SITE_URL))
    return summary, out


def test_the_run_succeeds_and_the_catalogue_is_no_source(run):
    summary, out = run
    report = json.loads((out / "report.json").read_text())
    assert sorted(s["source"] for s in report["sources"]) == ["letter.txt", "reception_report.tif"]
    assert summary["failed"] == 0 and summary["site"]


def test_tei_carries_the_catalogue_title_and_ms_identifier(run, tei_all):
    _, out = run
    scan, letter = out / "tei" / "reception_report.xml", out / "tei" / "letter.xml"
    assert validate_file(scan) == [] and validate_file(letter) == []
    assert tei_all(scan, letter) == ""
    root = etree.parse(str(scan)).getroot()
    assert root.xpath("string(//t:titleStmt/t:title)", namespaces=TEI) == SCAN_TITLE
    assert root.xpath("string(//t:titleStmt/t:author)", namespaces=TEI) == "Hakodate Repatriation Office"
    ident = root.xpath("//t:sourceDesc/t:msDesc/t:msIdentifier", namespaces=TEI)[0]
    assert [(etree.QName(el).localname, el.text) for el in ident] == [
        ("repository", "National Archive of Somewhere"), ("collection", "Repatriation records"), ("idno", "RR 4/17")]
    assert root.xpath("string(//t:profileDesc/t:creation/t:date/@when)", namespaces=TEI) == "1946-06"
    assert len(root.xpath("//t:facsimile/t:surface", namespaces=TEI)) == 2
    letter_root = etree.parse(str(letter)).getroot()
    assert letter_root.xpath("string(//t:titleStmt/t:title)", namespaces=TEI) == LETTER_TITLE
    # no holding given: the letter is described by a bibl beside the file's
    assert letter_root.xpath("string(//t:sourceDesc/t:bibl[2]/t:author)", namespaces=TEI) == "Mary Smith"


def test_bag_info_describes_the_document(run):
    _, out = run
    info = bagit.Bag(str(out / "deposit" / "reception_report")).info
    assert info["Title"] == SCAN_TITLE and info["Internal-Sender-Identifier"] == "RR 4/17"
    assert info["Internal-Sender-Description"] == "Held by National Archive of Somewhere, Repatriation records"
    assert info["Creator"] == "Hakodate Repatriation Office" and info["Date"] == "1946-06"


def test_the_scan_page_links_a_manifest_with_two_canvases(run):
    _, out = run
    site = out / "site"
    page = html.parse(str(site / "editions" / "reception_report.html")).getroot()
    assert page.xpath("string(//h1)") == SCAN_TITLE
    href = page.xpath("//a[@class='iiif']/@href")[0]
    manifest = json.loads((site / "editions" / href).resolve().read_text())
    check_manifest(manifest)
    assert manifest["id"] == SITE_URL + "iiif/reception_report/manifest.json"
    assert manifest["label"] == {"en": [SCAN_TITLE]}
    assert {"label": {"en": ["Shelfmark"]}, "value": {"none": ["RR 4/17"]}} in manifest["metadata"]
    assert manifest["seeAlso"][0]["id"] == SITE_URL + "tei/reception_report.xml"
    assert len(manifest["items"]) == 2
    for canvas in manifest["items"]:
        body = canvas["items"][0]["items"][0]["body"]
        for url in (body["id"], body["service"][0]["id"] + "/info.json", canvas["thumbnail"][0]["id"]):
            assert (site / unquote(url.removeprefix(SITE_URL))).is_file(), url
        lines = canvas["annotations"][0]["items"]
        assert lines and all(a["target"].startswith(canvas["id"] + "#xywh=") for a in lines)
    assert "Maoka" in " ".join(a["body"]["value"] for a in manifest["items"][0]["annotations"][0]["items"])


def test_the_collection_zip_holds_the_page_images_its_tei_points_to(run, tmp_path):
    _, out = run
    with zipfile.ZipFile(out / "site" / "downloads" / "collection.zip") as archive:
        archive.extractall(tmp_path)
    tei = tmp_path / "tei" / "reception_report.xml"
    urls = etree.parse(str(tei)).xpath("//t:graphic/@url | //t:media/@url", namespaces=TEI)
    assert len(urls) == 4  # two page images, two ALTO files
    for url in urls:
        assert (tei.parent / unquote(url)).resolve().is_file(), url


def test_registers_download_as_csv_and_json(run):
    _, out = run
    rows = {r["name"]: r for r in csv.DictReader((out / "site" / "downloads" / "registers.csv").open(encoding="utf-8"))}
    assert "Maoka" in rows["Kholmsk"]["variants"] and "letter: " in rows["Kholmsk"]["mentions_by_edition"]
    entities = json.loads((out / "site" / "downloads" / "registers.json").read_text())["entities"]
    kholmsk = next(x for x in entities if x["name"] == "Kholmsk")
    assert "letter" in [m["edition"] for m in kholmsk["mentions"]]


@pytest.mark.parametrize("query", ["oconnell", "Kholmsk"])
def test_search_finds_the_letter(run, browser, query):
    _, out = run
    browser.get((out / "site" / "search.html").as_uri() + "?q=" + query)
    WebDriverWait(browser, 5).until(lambda d: "for “" in d.find_element(By.ID, "search-status").text)
    titles = [a.text for a in browser.find_elements(By.CSS_SELECTOR, "#search-results > li.result-edition > a")]
    assert LETTER_TITLE in titles


def test_a_bad_catalogue_stops_the_run_before_any_work(tmp_path, capsys):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(FIXTURES / "letter.txt", inbox)
    (inbox / "catalogue.csv").write_text("file,title,date\nletter.txt,A letter,1946-13-01\nlettre.txt,Missing,1946\n",
                                         encoding="utf-8")
    assert main(["run", str(inbox), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "catalogue.csv, row 2 (letter.txt): date '1946-13-01' is not a date" in err
    assert "catalogue.csv, row 3 (lettre.txt): no source named 'lettre.txt'" in err and "did you mean 'letter.txt'?" in err
    assert not (tmp_path / "out" / "tei").exists()
