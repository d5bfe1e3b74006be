"""Tesseract's failures become the project's errors, with messages that say what to do."""
from __future__ import annotations

import pytest

from pipeline.errors import EnvironmentProblem, OcrError
from pipeline.ocr import ocr_document
from tests.conftest import small_pages, source_for
from tests.support.engines import CRASH, HANG, fake_tesseract
from tests.support.scans import save_png


@pytest.fixture
def page(tmp_path):
    return source_for(save_png(small_pages("A line of text.")[0], tmp_path / "page.png"), "image")


def test_crashing_tesseract_is_an_ocr_error(tmp_path, settings, page):
    cmd = fake_tesseract(tmp_path, CRASH)
    with pytest.raises(OcrError, match=r"failed on page.png \(exit status 1\): Segmentation fault"):
        ocr_document(page, settings.replace(tesseract_cmd=cmd), tmp_path / "out", "x")
    assert not list((tmp_path / "out").glob("*.png"))  # nothing half-written


def test_hanging_tesseract_times_out(tmp_path, settings, page):
    cmd = fake_tesseract(tmp_path, HANG)
    with pytest.raises(OcrError, match=r"ran past the 1 s timeout on page.png; raise the ocr_timeout"):
        ocr_document(page, settings.replace(tesseract_cmd=cmd, ocr_timeout=1), tmp_path / "out", "x")


def test_missing_tesseract_says_how_to_install(tmp_path, settings, page):
    with pytest.raises(EnvironmentProblem, match="apt-get install tesseract-ocr"):
        ocr_document(page, settings.replace(tesseract_cmd=str(tmp_path / "nowhere")), tmp_path / "out", "x")


def test_missing_language_names_the_package(tmp_path, settings, page):
    with pytest.raises(EnvironmentProblem, match=r"'ita': install tesseract-ocr-ita"):
        ocr_document(page, settings.replace(ocr_languages="eng+ita"), tmp_path / "out", "x")
    with pytest.raises(EnvironmentProblem, match="tesseract-ocr-chi-sim-vert"):
        ocr_document(page, settings.replace(ocr_languages="chi_sim_vert"), tmp_path / "out", "x")
