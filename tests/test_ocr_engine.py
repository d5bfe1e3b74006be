"""Tesseract's failures become the project's errors, with messages that say what to do."""
from __future__ import annotations

import stat

import pytest

from pipeline.errors import EnvironmentProblem, OcrError
from pipeline.ocr import ocr_document
from tests.conftest import small_pages, source_for
from tests.support.scans import save_png

FAKE = """#!/bin/sh
case "$1" in
  --version) echo "tesseract 5.3.0"; exit 0;;
  --list-langs) printf 'List of available languages (2):\\neng\\nosd\\n'; exit 0;;
esac
{action}
"""


def fake_tesseract(tmp_path, action: str) -> str:
    path = tmp_path / f"tesseract-{abs(hash(action))}"
    path.write_text(FAKE.format(action=action))
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return str(path)


@pytest.fixture
def page(tmp_path):
    return source_for(save_png(small_pages("A line of text.")[0], tmp_path / "page.png"), "image")


def test_crashing_tesseract_is_an_ocr_error(tmp_path, settings, page):
    cmd = fake_tesseract(tmp_path, 'echo "Segmentation fault" >&2; exit 1')
    with pytest.raises(OcrError, match=r"failed on page.png \(exit status 1\): Segmentation fault"):
        ocr_document(page, settings.replace(tesseract_cmd=cmd), tmp_path / "out", "x")
    assert not list((tmp_path / "out").glob("*.png"))  # nothing half-written


def test_hanging_tesseract_times_out(tmp_path, settings, page):
    cmd = fake_tesseract(tmp_path, "exec sleep 30")
    with pytest.raises(OcrError, match=r"ran past the 1 s timeout on page.png; raise the ocr_timeout"):
        ocr_document(page, settings.replace(tesseract_cmd=cmd, ocr_timeout=1), tmp_path / "out", "x")


def test_missing_tesseract_says_how_to_install(tmp_path, settings, page):
    with pytest.raises(EnvironmentProblem, match="apt-get install tesseract-ocr"):
        ocr_document(page, settings.replace(tesseract_cmd=str(tmp_path / "nowhere")), tmp_path / "out", "x")


def test_missing_language_names_the_package(tmp_path, settings, page):
    with pytest.raises(EnvironmentProblem, match=r"'fra': install tesseract-ocr-fra"):
        ocr_document(page, settings.replace(ocr_languages="eng+fra"), tmp_path / "out", "x")
    with pytest.raises(EnvironmentProblem, match="tesseract-ocr-chi-sim"):
        ocr_document(page, settings.replace(ocr_languages="chi_sim"), tmp_path / "out", "x")
