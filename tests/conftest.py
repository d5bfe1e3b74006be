"""Shared fixtures: sample paths, deterministic settings, one Prefect harness per session."""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from pipeline.cli import prefect_environment
from pipeline.config import Settings
from pipeline.model import SourceInfo
from tests.support.scans import Scan, parse_blocks, render_pages

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "inputs"
TEI_ALL = Path(os.environ.get("TEI_ALL_RNG", REPO / ".cache" / "tei_all.rng"))

# Prefect's state for this session stays out of the user's ~/.prefect.
os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="prefect-home-"))
prefect_environment(Path(os.environ["PREFECT_HOME"]))  # the rest as a run settles it


# Small synthetic pages for the OCR tests: a few lines, read in about a second.
SMALL = (4.5, 2.6)  # inches
SAMPLE = """= Repatriation =
The operation began with the crossing of the frontier river post and the bombardment of the land frontier post.
- carry soldiers to Huludao
- repatriate settlers through Fukuoka
"""


def small_pages(text: str = SAMPLE, **kw) -> list[Scan]:
    kw.setdefault("inches", SMALL)
    kw.setdefault("margin_inches", 0.3)
    return render_pages(parse_blocks(text), **kw)


def source_for(path, kind: str, files: tuple[str, ...] = ()) -> SourceInfo:
    media = {"image": "image/png", "pdf": "application/pdf", "folder": "inode/directory"}[kind]
    return SourceInfo(str(path), path.name, path.stem, kind, media, 0, "0" * 64, files=files)


@pytest.fixture
def settings() -> Settings:
    return Settings(edition_date="2026-01-15", ocr_timeout=60)


@pytest.fixture(scope="session")
def sample_texts() -> list[Path]:
    return sorted(p for p in SAMPLES.iterdir() if p.suffix == ".txt")


@pytest.fixture
def inbox(tmp_path, sample_texts) -> Path:
    """A folder holding a copy of the three samples, as an archivist would drop them in."""
    folder = tmp_path / "inbox"
    folder.mkdir()
    for p in sample_texts:
        shutil.copy(p, folder)
    return folder


@pytest.fixture(scope="session")
def prefect_harness():
    """One temporary Prefect API for the whole session (it takes seconds to start)."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=60):
        yield


@pytest.fixture(scope="session")
def tei_all():
    """A checker for TEI P5's own tei_all schema (Debian's jing; `make test` fetches the schema)."""
    assert TEI_ALL.is_file(), f"{TEI_ALL} is missing: run `make test-setup` (it fetches tei_all.rng)"
    assert shutil.which("jing"), "jing is missing: run `make test-setup` (apt-get install jing)"

    def check(*files: Path) -> str:
        result = subprocess.run(["jing", str(TEI_ALL), *map(str, files)], capture_output=True, text=True)
        return result.stdout.strip()  # empty when valid

    return check


CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"


@pytest.fixture(scope="session")
def browser(tmp_path_factory):
    """Debian's headless Chromium through chromium-driver, one for the whole session (it takes a second to start)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

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
