"""The edition site in Debian's headless Chromium (Selenium + chromium-driver; never a browser download).

One browser for the whole module; the site is opened from disk (file://) and
from a small static HTTP server.
"""
import functools
import http.server
import shutil
import threading

import pytest
from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from pipeline.deposit import deposit_edition
from pipeline.publish import publish_site
from tests.site_fixture import PUBLISHED, SETTINGS, build_output

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    inbox, out = build_output(tmp_path_factory.mktemp("browser"))
    for stem, name in PUBLISHED:
        deposit_edition(inbox / name, stem, out, SETTINGS)
    return publish_site(out)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    assert shutil.which(CHROMIUM) and shutil.which(CHROMEDRIVER), \
        "Chromium is missing: run `make test-setup` (apt-get install chromium chromium-driver)"
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--no-first-run", "--window-size=1280,1000",
                 f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def http_root(site):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


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


def test_scan_shows_its_page_image(browser, site, tmp_path):
    browser.get((site / "editions" / "scan.html").as_uri())
    img = browser.find_element(By.CSS_SELECTOR, ".facs img")
    assert browser.execute_script("return arguments[0].complete && arguments[0].naturalWidth", img) == 600
    text = browser.find_element(By.CSS_SELECTOR, ".tei-text p")
    assert img.location["x"] > text.location["x"]  # beside the text, to its right
    browser.save_screenshot(str(tmp_path / "scan.png"))
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


def test_search_finds_text_and_register_entries(browser, site):
    browser.get((site / "search.html").as_uri() + "?q=macarthur")
    results = WebDriverWait(browser, 5).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#search-results li"))
    assert [r.find_element(By.TAG_NAME, "a").text for r in results] == ["Douglas MacArthur", "Landing"]
    assert browser.find_element(By.CSS_SELECTOR, "#search-results mark").text == "MacArthur"
    box = browser.find_element(By.ID, "q")
    box.clear()
    box.send_keys("port toro")
    WebDriverWait(browser, 5).until(lambda d: "result" in d.find_element(By.ID, "search-status").text
                                    and "port toro" in d.find_element(By.ID, "search-status").text)
    links = [a.text for a in browser.find_elements(By.CSS_SELECTOR, "#search-results li > a")]
    assert links == ["Port Toro", "Port Toro"]  # the register entry, then the edition
    browser.find_elements(By.CSS_SELECTOR, "#search-results li > a")[1].click()
    assert "/editions/scan.html#b" in browser.current_url
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
    for name in ("index.html", "timeline.html", "places.html", "editions/scan.html"):
        browser.get(http_root + name)
        assert browser.find_element(By.TAG_NAME, "h1").text
        assert problems(browser) == [], name
    browser.get(http_root + "timeline.html")
    bar = browser.find_element(By.CSS_SELECTOR, "figure.timeline svg a[href='#y1945'] rect")
    assert bar.size["height"] > 20
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
