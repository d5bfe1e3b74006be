"""The edition site: links resolve, content is escaped, registers/timeline/downloads are there."""
import csv
import json
import re
import zipfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from lxml import etree, html

from pipeline.deposit import deposit_edition
from pipeline.publish import publish_site
from tests.site_fixture import HOSTILE_TITLE, LANDING, LETTER, PUBLISHED, SETTINGS, build_output

TEI = {"tei": "http://www.tei-c.org/ns/1.0"}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    inbox, out = build_output(tmp_path_factory.mktemp("site"))
    for stem, name in PUBLISHED:
        assert deposit_edition(inbox / name, stem, out, SETTINGS).status == "bagged"
    return publish_site(out)


def page(site: Path, name: str):
    return html.parse(str(site / name)).getroot()


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_every_local_link_and_anchor_resolves(site):
    checked = 0
    for path in pages(site):
        doc = html.parse(str(path)).getroot()
        for el, attr in [(el, a) for a in ("href", "src") for el in doc.iter() if isinstance(el.tag, str) and el.get(a)]:
            url = urlsplit(el.get(attr))
            if url.scheme in ("http", "https", "mailto"):
                continue
            assert not url.scheme and not url.netloc, f"{path.name}: absolute link {el.get(attr)}"
            target = (path.parent / unquote(url.path)).resolve() if url.path else path
            assert target.is_file(), f"{path.relative_to(site)}: {el.get(attr)} does not exist"
            assert site.resolve() in target.parents, f"{path.name}: {el.get(attr)} leaves the site"
            if url.fragment and target.suffix == ".html":
                ids = html.parse(str(target)).getroot().xpath("//@id")
                assert url.fragment in ids, f"{path.relative_to(site)}: no #{url.fragment} in {target.name}"
            checked += 1
    assert checked > 50


def test_each_edition_links_its_tei_and_bag(site):
    for stem, _ in PUBLISHED:
        doc = page(site, f"editions/{stem}.html")
        links = doc.xpath("//a/@href")
        assert f"../tei/{stem}.xml" in links
        assert f"../downloads/bags/{stem}.zip" in links
        assert (site / "tei" / f"{stem}.xml").read_bytes() == (site.parent / "tei" / f"{stem}.xml").read_bytes()
    index_links = page(site, "index.html").xpath("//a/@href")
    for name in ("downloads/collection.zip", "downloads/registers.csv", "downloads/registers.json"):
        assert name in index_links and (site / name).is_file()


def test_markup_from_a_source_is_shown_as_text_and_runs_nothing(site):
    doc = page(site, "editions/hostile.html")
    text = doc.text_content()
    assert '<script>alert("xss")</script>' in text
    assert "<img src=x onerror=alert(1)>" in text
    assert doc.xpath("string(//h1)") == HOSTILE_TITLE and HOSTILE_TITLE in doc.xpath("string(//title)")
    assert HOSTILE_TITLE in [a.text_content() for a in page(site, "index.html").iter("a")]
    for path in pages(site):
        doc = html.parse(str(path)).getroot()
        assert all(s.get("src", "").endswith(("search-index.js", "search.js", "viewer.js", "openseadragon.min.js"))
                   and not (s.text or "").strip() for s in doc.iter("script")), path.name
        assert not doc.xpath("//@*[starts-with(name(), 'on')]"), path.name
        assert not doc.xpath("//img[@src='x']")
        assert "Content-Security-Policy" in doc.xpath("//meta/@http-equiv")
    index = (site / "assets" / "search-index.js").read_text()
    assert "</script" not in index and "alert" in index


def test_invalid_edition_is_listed_as_failed_not_published(site):
    assert not (site / "editions" / "broken.html").exists()
    assert not (site / "tei" / "broken.xml").exists()
    failures = page(site, "index.html").xpath("//ul[@class='failures']/li")
    assert len(failures) == 1 and "broken.txt" in failures[0].text_content()


def test_index_shows_counts_and_status(site):
    rows = {row.xpath("string(th)").strip(): [" ".join(" ".join(c.itertext()).split()) for c in row.xpath("td")]
            for row in page(site, "index.html").xpath("//table[@class='editions']/tbody/tr")}
    # title: source, pages, persons, places, dates, figures, status, downloads
    assert rows["Port Toro"][:7] == ["scanned pages scan", "1", "0", "2", "3", "1", "valid"]
    assert rows["Landing"][:7] == ["typed text landing.txt", "0", "1", "1", "1", "1", "valid"]


def test_names_dates_and_figures_are_highlighted_with_normalized_values(site):
    doc = page(site, "editions/landing.html")
    person = doc.xpath("//a[contains(@class, 'ent person')]")[0]
    assert person.text_content() == "Douglas MacArthur"
    assert person.get("href") == "../persons.html#person-douglas-macarthur"
    date = doc.xpath("//div[@class='tei-text']//span[@class='date']")[0]
    assert date.xpath("string(span[@class='norm'])") == "1945-08-30"
    assert doc.xpath("string(//div[@class='tei-text']//span[@class='num']/span[@class='norm'])") == "1200"
    assert doc.xpath("//aside[@class='legend']")
    heading = doc.xpath("//div[@class='tei-text']/h2")[0]
    assert heading.text_content() == "Landing"


def test_scan_page_shows_the_page_image_beside_the_text(site):
    doc = page(site, "editions/scan.html")
    img = doc.xpath("//span[@class='pb']/a[@class='facs']/img")[0]
    assert img.get("src") == "../pages/scan/page-1.png" and img.get("alt") == "Scan of page 1"
    assert (site / "pages" / "scan" / "page-1.png").is_file()
    assert doc.xpath("//div[@class='tei-text']//span[@class='unclear']")[0].text_content() == "reached"
    assert doc.xpath("//nav[@class='pages']/a/@href") == ["#page-1"]
    measure = doc.xpath("//span[@class='measure']")[0]
    # "30 percent" normalizes to itself: the value is in the tooltip, not repeated beside the text
    assert measure.get("title") == "Measure: 30 percent" and not measure.xpath("span[@class='norm']")


def test_registers_link_occurrences_across_the_collection_and_authorities(site):
    places = page(site, "places.html")
    japan = places.get_element_by_id("place-japan")
    occurrences = japan.xpath(".//ul[@class='occurrences']/li")
    assert [li.xpath("string(a[1])") for li in occurrences] == ["Landing", "Port Toro"]
    assert "https://www.wikidata.org/wiki/Q17" in japan.xpath(".//a/@href")
    assert "https://www.geonames.org/1861060" in japan.xpath(".//a/@href")
    vessels = page(site, "vessels.html")
    assert vessels.get_element_by_id("vessel-zarnitsa").xpath("string(h3)") == "Zarnitsa"
    assert places.xpath("//nav[@class='initials']//a/text()") == ["J", "K", "P"]
    assert page(site, "organisations.html").get_element_by_id("org-red-army") is not None
    persons = page(site, "persons.html").get_element_by_id("person-douglas-macarthur")
    assert "Also: MacArthur" in persons.text_content()


def test_timeline_years_open_into_months_and_every_bar_leads_to_its_mentions(site):
    doc = page(site, "timeline.html")
    svg = doc.xpath("//figure[@class='timeline']/svg")[0]
    # links are not inside an image: the picture is a named group of named links
    assert svg.get("role") == "group" and svg.xpath("title") and not doc.xpath("//*[@role='img']//a")
    links = svg.xpath(".//a")
    assert [a.get("href") for a in links] == ["#y1945", "#y1946", "#period-1"]
    assert [a.get("aria-label") for a in links] == ["1945: 3 dates", "1946: 1 date", "Period 1904–1905"]
    assert all(g.get("aria-hidden") == "true" for g in svg.xpath("g"))
    assert len(svg.xpath(".//rect")) == 2 + 1  # two years with single dates (1945, 1946), one period (1904-1905)
    y1945 = doc.get_element_by_id("y1945")
    months = y1945.xpath(".//figure[@class='months']/svg//a")
    assert [(a.get("href"), a.get("aria-label")) for a in months] == [("#y1945-08", "August 1945: 2 dates")]
    august = doc.get_element_by_id("y1945-08")
    assert [li.xpath("string(span)") for li in august.xpath(".//li")] == ["1945-08-16", "1945-08-30"]
    assert "no month given" in y1945.xpath("string(section[2]/h4)") and len(y1945.xpath("section[2]//li")) == 1
    period = doc.get_element_by_id("period-1")
    assert period.xpath("string(span)") == "1904–1905" and period.xpath("a/@href")[0].startswith("editions/scan.html#o")


def test_pages_are_accessible(site):
    for path in pages(site):
        doc = html.parse(str(path)).getroot()
        name = path.relative_to(site)
        assert doc.get("lang"), name
        assert len(doc.xpath("//h1")) == 1, name
        assert doc.xpath("//main[@id='main']") and doc.xpath("//a[@class='skip'][@href='#main']"), name
        assert doc.xpath("//nav[@aria-label]") and doc.xpath("//form[@role='search']//label[@for='q']"), name
        assert all(img.get("alt") for img in doc.iter("img")), name
        levels = [int(h.tag[1]) for h in doc.iter("h1", "h2", "h3", "h4", "h5", "h6")]
        assert all(b - a <= 1 for a, b in zip(levels, levels[1:])), f"{name}: heading levels skip: {levels}"


def test_publishing_runs_on_its_own_and_replaces_the_old_site(site):
    (site / "stale.html").write_text("old")
    again = publish_site(site.parent)
    assert again == site and not (site / "stale.html").exists()
    assert not [p for p in site.parent.iterdir() if re.match(r"\.site\.", p.name)]


def test_a_damaged_tei_is_listed_not_published(tmp_path):
    (tmp_path / "tei").mkdir()
    (tmp_path / "tei" / "damaged.xml").write_text("<TEI><unclosed>")
    site = publish_site(tmp_path)  # no report.json either: publishing works from the TEI alone
    assert not (site / "editions" / "damaged.html").exists()
    assert "cannot read the TEI" in page(site, "index.html").xpath("string(//ul[@class='failures'])")


def test_an_edition_shows_what_the_catalogue_says_of_the_document(site):
    doc = page(site, "editions/letter.html")
    meta = {dt.text_content(): " ".join(dd.text_content().split()) for dt, dd in
            zip(doc.xpath("//dl[@class='meta']/dt"), doc.xpath("//dl[@class='meta']/dd"))}
    assert doc.xpath("string(//h1)") == "Letter on the sailing from Maoka"
    assert meta["Creator"] == "Mary Smith" and meta["Date"] == "1946-06-12"
    assert meta["Held by"] == "National Archive of Somewhere, Smith papers, MS 12/3"
    assert meta["Notes"] == "Carbon copy" and meta["Rights"] == "Public domain"
    row = [r for r in page(site, "index.html").xpath("//table[@class='editions']/tbody/tr")
           if r.xpath("string(th/a)") == "Letter on the sailing from Maoka"][0]
    assert "Mary Smith, 1946-06-12" in row.xpath("string(th)") and "MS 12/3" in row.xpath("string(th)")


def test_the_collection_zip_holds_what_its_tei_points_to(site, tmp_path):
    with zipfile.ZipFile(site / "downloads" / "collection.zip") as archive:
        names = set(archive.namelist())
        archive.extractall(tmp_path)
    assert {f"tei/{stem}.xml" for stem, _ in PUBLISHED} | {f"text/{stem}.txt" for stem, _ in PUBLISHED} <= names
    assert {"registers.csv", "registers.json", "pages/scan/page-1.png", "pages/scan/page-1.alto.xml"} <= names
    pointed = 0
    for tei in (tmp_path / "tei").glob("*.xml"):
        for url in etree.parse(str(tei)).xpath("//tei:graphic/@url | //tei:media/@url", namespaces=TEI):
            target = (tei.parent / unquote(url)).resolve()
            assert target.is_file() and tmp_path.resolve() in target.parents, f"{tei.name}: {url} dangles"
            pointed += 1
    assert pointed == 2  # the scan's page image and its ALTO
    assert (tmp_path / "pages/scan/page-1.png").read_bytes() == (site.parent / "pages/scan/page-1.png").read_bytes()


def test_registers_download_as_csv_and_json_with_mentions_by_edition(site):
    rows = {r["id"]: r for r in csv.DictReader((site / "downloads" / "registers.csv").open(encoding="utf-8"))}
    japan = rows["place-japan"]
    assert (japan["type"], japan["name"], japan["wikidata"], japan["geonames"]) == ("place", "Japan", "Q17", "1861060")
    assert (japan["editions"], japan["mentions"], japan["mentions_by_edition"]) == ("2", "2", "landing: 1 | scan: 1")
    assert rows["place-kholmsk"]["variants"] == "Maoka"
    data = json.loads((site / "downloads" / "registers.json").read_text(encoding="utf-8"))
    kholmsk = next(x for x in data["entities"] if x["id"] == "place-kholmsk")
    assert kholmsk["variants"] == ["Maoka"] and kholmsk["authorities"] == {"wikidata": "Q203433"}
    [mention] = kholmsk["mentions"]
    assert (mention["edition"], mention["count"], mention["forms"]) == ("letter", 1, ["Maoka"])
    assert mention["href"].startswith("editions/letter.html#o")
    assert len(data["entities"]) == len(rows) == 7


def test_each_edition_has_its_plain_text(site):
    assert (site / "text" / "letter.txt").read_text(encoding="utf-8") == LETTER + "\n"
    assert (site / "text" / "landing.txt").read_text(encoding="utf-8").split("\n\n") == [
        "Landing", LANDING, "The Red Army waited.\n"]
    scan = (site / "text" / "scan.txt").read_text(encoding="utf-8")
    assert scan.startswith("[Page 1]\n\nZarnitsa reached Port Toro")
    assert "../text/letter.txt" in page(site, "editions/letter.html").xpath("//a/@href")


def test_a_scan_links_its_iiif_manifest(site):
    doc = page(site, "editions/scan.html")
    assert "../iiif/scan/manifest.json" in doc.xpath("//a/@href")
    manifest = json.loads((site / "iiif" / "scan" / "manifest.json").read_text())
    assert [c["label"] for c in manifest["items"]] == [{"none": ["Page 1"]}]
    assert doc.xpath("//section[@class='viewer']/@data-pages")
    assert not (site / "iiif" / "landing").exists()  # typed texts have no images
