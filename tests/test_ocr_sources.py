"""Sources to pages: formats, order, orientation, limits, damage, PDF text layers."""
from __future__ import annotations

import pytest
from lxml import etree
from PIL import Image

from pipeline.errors import LimitExceeded, SourceError
from pipeline.ocr import ocr_document
from pipeline.ocr.pages import page_images
from tests.conftest import small_pages, source_for
from tests.support.metrics import cer
from tests.support.scans import save_image_pdf, save_png, save_text_pdf, save_tiff


def blank(n: int) -> Image.Image:
    return Image.new("L", (40 + n, 30), 255)


def test_folder_pages_in_natural_order(tmp_path, settings):
    folder = tmp_path / "box"
    folder.mkdir()
    for n in (10, 2, 1):
        blank(n).save(folder / f"page-{n}.png")
    pages = list(page_images(source_for(folder, "folder"), settings))
    assert [p.image.width for p in pages] == [41, 42, 50]
    assert [p.n for p in pages] == [1, 2, 3]


def test_folder_is_one_document_with_pages_in_order(tmp_path, settings):
    folder = tmp_path / "letters"
    folder.mkdir()
    first = small_pages("First page about the frontier river.")[0]
    second = small_pages("Second page about the harbour.")[0]
    save_png(second, folder / "scan-10.png")
    save_png(first, folder / "scan-2.png")
    doc = ocr_document(source_for(folder, "folder"), settings, tmp_path / "out", "../pages/letters")
    assert [p.n for p in doc.pages] == [1, 2]
    assert doc.text().index("First") < doc.text().index("Second")
    pbs = [m for b in doc.blocks for m in b.milestones if m.kind == "pb"]
    assert [(m.facs, m.n) for m in pbs] == [("facs-p1", "1"), ("facs-p2", "2")]


def test_multipage_tiff_yields_every_frame(tmp_path, settings):
    path = save_tiff([small_pages(f"Page {k}")[0] for k in range(3)], tmp_path / "scan.tif")
    pages = list(page_images(source_for(path, "image"), settings))
    assert [p.label for p in pages] == ["scan.tif, page 1", "scan.tif, page 2", "scan.tif, page 3"]
    assert all(p.original is None for p in pages)  # frames are written out as PNG


def test_exif_orientation_is_applied(tmp_path, settings):
    img = Image.new("L", (200, 100), 255)
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90 clockwise to display
    img.save(tmp_path / "phone.jpg", exif=exif)
    [page] = page_images(source_for(tmp_path / "phone.jpg", "image"), settings)
    assert page.image.size == (100, 200)
    assert page.original is None  # the stored JPEG is not upright: keep a PNG instead


def test_image_over_the_pixel_limit_is_refused(tmp_path, settings):
    blank(0).save(tmp_path / "big.png")  # 1,200 pixels
    for limit in (1000, 100):  # over the limit, and over twice the limit (where Pillow would refuse)
        with pytest.raises(LimitExceeded, match="max_image_pixels"):
            list(page_images(source_for(tmp_path / "big.png", "image"), settings.replace(max_image_pixels=limit)))


def test_truncated_png_is_a_source_error(tmp_path, settings):
    path = save_png(small_pages()[0], tmp_path / "cut.png")
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(SourceError, match="truncated"):
        ocr_document(source_for(path, "image"), settings, tmp_path / "out", "../pages/cut")


def test_pdf_text_layer_is_used_and_recorded(tmp_path, settings):
    lines = [["Born-digital report on the evacuation.", "It has a real text layer."], ["Second page text."]]
    path = save_text_pdf(lines, tmp_path / "report.pdf")
    doc = ocr_document(source_for(path, "pdf"), settings.replace(pdf_dpi=100), tmp_path / "out", "../pages/r")
    assert doc.ocr["text_layer_pages"] == "1, 2"
    assert cer(doc.text(), " ".join(sum(lines, []))) == 0
    assert [len(p.zones) for p in doc.pages] == [2, 1]
    z = doc.pages[0].zones[0]
    assert 90 <= z.ulx <= 110 and z.uly < z.lry < doc.pages[0].height / 4  # 1 inch in, near the top
    assert doc.pages[0].alto is None and (tmp_path / "out" / "page-0001.png").is_file()


def test_image_only_pdf_is_ocred(tmp_path, settings):
    scan = small_pages()[0]
    path = save_image_pdf([scan], tmp_path / "scanned.pdf")
    doc = ocr_document(source_for(path, "pdf"), settings, tmp_path / "out", "../pages/scanned")
    assert doc.ocr["text_layer_pages"] == ""
    assert cer(doc.text(), scan.truth) < 0.02
    alto = etree.parse(str(tmp_path / "out" / "page-0001.alto.xml"))
    assert alto.findtext(".//{*}fileName") == "page-0001.png"
    assert doc.pages[0].alto == "../pages/scanned/page-0001.alto.xml"


def test_a_scanned_letter_has_its_parts_and_its_note_markers_are_apparatus(tmp_path, settings):
    text = ("March 3, 1946\n\nMy dear Hanako,\n\nThe winter here is long and the work in the forest is hard. "
            "We are fed twice a day and we sleep in barracks of forty men. There is talk of ships in the "
            "spring.[2]\n\nYours sincerely,\n\nIchiro\n")
    path = tmp_path / "letter.png"
    save_png(small_pages(text, inches=(5.0, 4.0))[0], path)
    doc = ocr_document(source_for(path, "image"), settings, tmp_path / "out", "../pages/letter")
    assert [(b.kind, b.zone) for b in doc.blocks] == [
        ("dateline", "opener"), ("salute", "opener"), ("p", None), ("salute", "closer"), ("signed", "closer")]
    [body] = [b for b in doc.blocks if b.kind == "p"]
    assert [(s.kind, body.text[s.start:s.end]) for s in body.spans] == [("note-anchor", "[2]")]
