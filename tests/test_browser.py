"""The edition site in Debian's headless Chromium (Selenium + chromium-driver; never a browser download).

One browser for the whole test session (``browser`` in conftest.py); the site is opened from disk (file://) and
from a small static HTTP server.
"""
import functools
import http.server
import threading
from pathlib import Path

import pytest
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from pipeline.deposit import deposit_edition
from pipeline.publish import publish_site
from tests.site_fixture import PUBLISHED, SETTINGS, build_output



@pytest.fixture(scope="module")
def site(tmp_path_factory):
    inbox, out = build_output(tmp_path_factory.mktemp("browser"))
    for stem, name in PUBLISHED:
        deposit_edition(inbox / name, stem, out, SETTINGS)
    return publish_site(out)


@pytest.fixture(scope="module")
def http_root(site):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    missing: list[str] = []  # paths the site asked for that are not there

    def log_message(self, *args):
        pass

    def log_request(self, code="-", size="-"):
        if str(code).startswith(("4", "5")):
            _QuietHandler.missing.append(self.path)


def problems(driver) -> list[str]:
    """Console errors and warnings since the last call (CSP violations are errors too)."""
    return [entry["message"] for entry in driver.get_log("browser") if entry["level"] in ("SEVERE", "WARNING")]


def no_alert(driver) -> bool:
    try:
        driver.switch_to.alert
    except NoAlertPresentException:
        return True
    return False


def test_index_and_edition_from_disk_with_highlights_and_links(browser, site, tmp_path):
    browser.get((site / "index.html").as_uri())
    assert browser.find_element(By.TAG_NAME, "h1").text == "Editions"
    browser.find_element(By.LINK_TEXT, "Landing").click()
    assert browser.current_url.endswith("/editions/landing.html")
    person = browser.find_element(By.CSS_SELECTOR, ".tei-text a.ent.person")
    assert person.text == "Douglas MacArthur" and person.is_displayed()
    # the highlight is visible: a coloured wash behind the name
    assert person.value_of_css_property("background-color") not in ("rgba(0, 0, 0, 0)", "transparent")
    norms = [n.text for n in browser.find_elements(By.CSS_SELECTOR, ".tei-text .norm")]
    assert "1945-08-30" in [n.lower() for n in norms] and "1200" in norms
    browser.save_screenshot(str(tmp_path / "edition.png"))
    person.click()
    assert browser.current_url.endswith("/persons.html#person-douglas-macarthur")
    occurrence = browser.find_element(By.CSS_SELECTOR, "#person-douglas-macarthur .occurrences a[href*='landing.html#o']")
    assert occurrence.text == "Douglas MacArthur"
    occurrence.click()
    assert "/editions/landing.html#o" in browser.current_url
    assert browser.find_element(By.CSS_SELECTOR, ":target").text == "Douglas MacArthur"
    assert problems(browser) == []


def test_scan_page_zooms_and_outlines_a_line_on_the_page(browser, site, tmp_path):
    browser.get((site / "editions" / "scan.html").as_uri())
    viewer = browser.find_element(By.CSS_SELECTOR, "section.viewer")
    text = browser.find_element(By.CSS_SELECTOR, ".tei-text p")
    assert viewer.is_displayed() and viewer.location["x"] > text.location["x"]  # beside the text
    loaded = "var i = window.editionViewer.world.getItemAt(0); return !!i && i.getFullyLoaded()"
    WebDriverWait(browser, 10).until(lambda d: d.execute_script(loaded))
    assert not browser.find_element(By.CSS_SELECTOR, ".facs img").is_displayed()  # the viewer stands in for it
    zoom = "return window.editionViewer.viewport.getZoom(true)"
    before = browser.execute_script(zoom)
    browser.find_element(By.CSS_SELECTOR, "button[data-action='zoom-in']").click()
    WebDriverWait(browser, 5).until(lambda d: d.execute_script(zoom) > before * 1.3)
    # line by line: the line's zone is outlined where the TEI puts it on the page
    browser.find_element(By.CSS_SELECTOR, "button[data-view='lines']").click()
    assert not browser.find_element(By.CSS_SELECTOR, ".tei-text").is_displayed()
    line = browser.find_element(By.ID, "line-scan-p1-l2")
    assert line.text == "Japan had held the port 1904-05 to 1945 and 30 percent."
    line.click()
    WebDriverWait(browser, 5).until(lambda d: d.find_element(By.CSS_SELECTOR, "section.viewer").get_attribute("data-zone") == "scan-p1-l2")
    WebDriverWait(browser, 5).until(lambda d: d.find_element(By.CSS_SELECTOR, ".zone-highlight").size["width"] > 0)
    box = browser.execute_script("""
        var r = document.querySelector('.zone-highlight').getBoundingClientRect();
        var v = window.editionViewer, item = v.world.getItemAt(0);
        var p = item.viewportToImageCoordinates(v.viewport.pointFromPixel(new OpenSeadragon.Point(
            r.left - v.container.getBoundingClientRect().left, r.top - v.container.getBoundingClientRect().top), true));
        return [p.x, p.y];""")
    assert abs(box[0] - 20) < 3 and abs(box[1] - 100) < 3  # zone scan-p1-l2 starts at 20,100 on the page image
    browser.save_screenshot(str(tmp_path / "scan-lines.png"))
    assert problems(browser) == []


def test_markup_from_a_source_runs_nothing(browser, site):
    browser.get((site / "editions" / "hostile.html").as_uri())
    assert no_alert(browser)
    body = browser.find_element(By.TAG_NAME, "main").text
    assert '<script>alert("xss")</script>' in body and "<img src=x onerror=alert(1)>" in body
    browser.get((site / "search.html").as_uri() + "?q=dangerous")
    WebDriverWait(browser, 5).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#search-results li"))
    assert no_alert(browser)
    assert "<script>" in browser.find_element(By.ID, "search-results").text
    assert problems(browser) == []


def search(browser, site, query: str) -> list:
    browser.get((site / "search.html").as_uri() + "?q=" + query)
    WebDriverWait(browser, 5).until(lambda d: "for “" in d.find_element(By.ID, "search-status").text
                                    or "No results" in d.find_element(By.ID, "search-status").text)
    return browser.find_elements(By.CSS_SELECTOR, "#search-results > li")


def test_search_finds_text_and_register_entries(browser, site):
    results = search(browser, site, "macarthur")
    assert [r.find_element(By.TAG_NAME, "a").text for r in results] == ["Douglas MacArthur", "Landing"]
    assert browser.find_element(By.CSS_SELECTOR, "#search-results mark").text == "MacArthur"
    box = browser.find_element(By.ID, "q")
    box.clear()
    box.send_keys("port toro")
    WebDriverWait(browser, 5).until(lambda d: "port toro" in d.find_element(By.ID, "search-status").text)
    links = [a.text for a in browser.find_elements(By.CSS_SELECTOR, "#search-results > li > a")]
    assert links == ["Port Toro", "Port Toro"]  # the register entry, then the edition
    browser.find_elements(By.CSS_SELECTOR, "#search-results > li > a")[1].click()
    assert "/editions/scan.html#b" in browser.current_url
    assert problems(browser) == []


def test_search_folds_case_accents_and_punctuation(browser, site):
    for query, marked in (("oconnell", "O’Connell"), ("OCONNELL", "O’Connell"), ("cafe zurichs", "Café"),
                          ("zürich", "Zürich")):
        [letter] = search(browser, site, query)[-1:]
        assert letter.find_element(By.TAG_NAME, "a").text == "Letter on the sailing from Maoka", query
        assert letter.find_element(By.TAG_NAME, "mark").text == marked, query
    assert problems(browser) == []


def test_search_finds_every_edition_mentioning_a_name_under_any_register_form(browser, site):
    results = search(browser, site, "Kholmsk")
    assert [r.find_element(By.TAG_NAME, "a").text for r in results] == ["Kholmsk", "Letter on the sailing from Maoka"]
    why = results[1].find_element(By.CSS_SELECTOR, ".why").text
    assert "“Kholmsk”: mentions Kholmsk (places register) as “Maoka”" in why
    assert results[1].find_element(By.CSS_SELECTOR, ".passages a").get_attribute("href").split("#")[1].startswith("b")
    [entry, letter] = search(browser, site, "maoka")  # the variant finds the entry and the text
    assert "in the text" in letter.find_element(By.CSS_SELECTOR, ".why").text
    assert problems(browser) == []


def test_search_finds_dates_by_iso_value_and_year(browser, site):
    assert [r.find_element(By.TAG_NAME, "a").text for r in search(browser, site, "1946-06")] == ["Letter on the sailing from Maoka"]
    assert "the date 1946-06-12" in browser.find_element(By.CSS_SELECTOR, ".why").text
    assert [r.find_element(By.TAG_NAME, "a").text for r in search(browser, site, "1946")] == ["Letter on the sailing from Maoka"]
    # a period takes in the years it spans: 1904-1905 on the scan
    assert [r.find_element(By.TAG_NAME, "a").text for r in search(browser, site, "1905")] == ["Port Toro"]
    assert search(browser, site, "1946-07") == []
    assert [r.find_element(By.TAG_NAME, "a").text for r in search(browser, site, "1945-08 japan")] == ["Landing", "Port Toro"]
    assert problems(browser) == []


def test_search_from_the_header_form(browser, site):
    browser.get((site / "index.html").as_uri())
    box = browser.find_element(By.ID, "q")
    box.send_keys("Zarnitsa")
    box.submit()
    WebDriverWait(browser, 5).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#search-results li"))
    assert "search.html?q=Zarnitsa" in browser.current_url
    assert problems(browser) == []


def test_site_from_a_static_http_server(browser, http_root, tmp_path):
    for name in ("index.html", "timeline.html", "places.html", "editions/scan.html", "search.html?q=kholmsk"):
        browser.get(http_root + name)
        assert browser.find_element(By.TAG_NAME, "h1").text
        assert problems(browser) == [], name
    browser.get(http_root + "editions/scan.html")
    loaded = "var i = window.editionViewer.world.getItemAt(0); return !!i && i.getFullyLoaded()"
    WebDriverWait(browser, 10).until(lambda d: d.execute_script(loaded))
    browser.get(http_root + "timeline.html")
    bar = browser.find_element(By.CSS_SELECTOR, "figure.timeline svg a[href='#y1945'] rect")
    assert bar.size["height"] > 20
    bar.click()
    assert browser.current_url.endswith("#y1945")
    browser.find_element(By.CSS_SELECTOR, "#y1945 figure.months a[href='#y1945-08']").click()
    assert browser.find_element(By.CSS_SELECTOR, ":target h4").text == "August 1945"
    assert _QuietHandler.missing == []  # every tile, image and script the pages asked for was there
    browser.save_screenshot(str(tmp_path / "timeline.png"))
    browser.get(http_root + "index.html")
    browser.save_screenshot(str(tmp_path / "index.png"))


CONTRAST_JS = """
function rgb(s) { return s.match(/[\\d.]+/g).map(Number); }
function lum(c) {
  var v = c.slice(0, 3).map(function (x) { x /= 255; return x <= 0.03928 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4); });
  return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2];
}
function background(el) {
  for (; el; el = el.parentElement) {
    var c = rgb(getComputedStyle(el).backgroundColor);
    if (c.length < 4 || c[3] > 0) { return c; }
  }
  return [255, 255, 255];
}
var worst = [];
document.querySelectorAll(arguments[0]).forEach(function (el) {
  var a = lum(rgb(getComputedStyle(el).color)), b = lum(background(el));
  var ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  if (ratio < 4.5) { worst.push(el.className + " '" + el.textContent + "' " + ratio.toFixed(2)); }
});
return worst;
"""


def test_text_and_highlights_have_sufficient_contrast(browser, site):
    selector = "p, li, dt, dd, a, th, td, h1, h2, .ent, .date, .num, .measure, .norm, .unclear, .pbn, .status, .muted"
    for name in ("index.html", "editions/landing.html", "editions/scan.html", "timeline.html"):
        browser.get((site / name).as_uri())
        assert browser.execute_script(CONTRAST_JS, selector) == [], name


AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
PAGE_TYPES = ("index.html", "editions/landing.html", "editions/scan.html", "editions/letter.html", "persons.html",
              "places.html", "timeline.html", "search.html?q=kholmsk")


def serious_violations(browser) -> list[str]:
    """axe-core's serious and critical findings on the page shown (injected through WebDriver: the
    page's own policy admits only the site's scripts)."""
    browser.execute_script(AXE.read_text(encoding="utf-8"))
    result = browser.execute_async_script(
        "var done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']}).then(function (r) { done(r.violations); });")
    return [f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']}" for v in result if v["impact"] in ("serious", "critical")]


def test_axe_finds_no_serious_violation_on_any_page_type(browser, site):
    found = {}
    for name in PAGE_TYPES:
        path, _, query = name.partition("?")
        browser.get((site / path).as_uri() + (f"?{query}" if query else ""))
        if "scan" in name:
            browser.find_element(By.CSS_SELECTOR, "button[data-view='lines']").click()  # both views are checked
        if serious_violations(browser):
            found[name] = serious_violations(browser)
    assert found == {}


def test_axe_reports_links_inside_an_image(browser, site):
    """The check can fail: the timeline's old form, links inside role="img", is a serious violation."""
    browser.get((site / "timeline.html").as_uri())
    browser.execute_script("document.querySelector('figure.timeline svg').setAttribute('role', 'img');")
    assert any(v.startswith("nested-interactive (serious)") for v in serious_violations(browser))
