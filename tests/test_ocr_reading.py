"""Reading real (synthetic) pages: accuracy, orientation, cleaning, scripts, assets."""
from __future__ import annotations

from lxml import etree
from PIL import Image, ImageDraw

from pipeline.ocr import ocr_document, reading
from pipeline.ocr.words import Line, PageText, Word, union
from pipeline.tei import TEI_NS, build_tei
from pipeline.validate import validate_tree
from tests.conftest import SAMPLE, small_pages, source_for
from tests.support.metrics import cer
from tests.support.scans import (Scan, _font, corpus_files, degrade, low_contrast, magazine_page, parse_blocks,
                                 photographed, render_pages, save_png, save_scan)

RUSSIAN = """= Report =
The delegation arrived in Moscow in the spring.
Делегация прибыла в Москву весной.
"""


def ocr_scan(tmp_path, scan, settings, name="page"):
    path = save_png(scan, tmp_path / f"{name}.png")
    return ocr_document(source_for(path, "image"), settings, tmp_path / "out", f"../pages/{name}")


def test_clean_page_is_read_accurately_and_structured(tmp_path, settings):
    scan = small_pages()[0]
    doc = ocr_scan(tmp_path, scan, settings)
    assert cer(doc.text(), scan.truth) <= 0.005
    assert [(b.kind, b.depth) for b in doc.blocks] == [("head", 0), ("p", 0), ("item", 0), ("item", 0)]
    assert doc.title == "Repatriation"
    assert doc.blocks[2].text == "carry soldiers to Huludao"  # the bullet is markup, not text
    steps = doc.ocr["preprocessing"]
    assert steps.endswith("grey, eng") and "images read" not in steps  # a clean page is read once, in grey
    assert doc.ocr["lexicon_corrections"].startswith("0 word(s)")  # and its words as read
    assert doc.languages == ["en"] and doc.ocr["languages"] == "eng (chosen per page and passage)"
    assert doc.tools["tesseract"].startswith("5.") and doc.changes[0].startswith("OCR: 1 page(s)")


def test_zones_and_milestones_are_consistent(tmp_path, settings):
    doc = ocr_scan(tmp_path, small_pages()[0], settings)
    page = doc.pages[0]
    assert (page.width, page.height) == (1350, 780) and page.image == "../pages/page/page-0001.png"
    assert (tmp_path / "out" / "page-0001.png").read_bytes() == (tmp_path / "page.png").read_bytes()
    assert not list((tmp_path / "out").glob("*.tmp"))
    lbs = [m for b in doc.blocks for m in b.milestones if m.kind == "lb"]
    assert [m.facs for m in lbs] == [z.id for z in page.zones] == [f"facs-p1-l{k}" for k in range(1, 6)]
    for z in page.zones:
        assert 0 <= z.ulx < z.lrx <= page.width and 0 <= z.uly < z.lry <= page.height
    second_line = doc.blocks[1].milestones[1]
    assert doc.blocks[1].text[second_line.offset:].startswith("and the bombardment")


def test_turned_page_is_read_upright(tmp_path, settings):
    scan = small_pages()[0]
    scan.image = scan.image.rotate(90, expand=True)
    doc = ocr_scan(tmp_path, scan, settings)
    assert cer(doc.text(), scan.truth) < 0.02
    assert doc.ocr["preprocessing"].startswith("1: rotate 90")
    assert (doc.pages[0].width, doc.pages[0].height) == (1350, 780)  # the kept image is upright


def test_faint_shaded_page_is_flattened(tmp_path, settings):
    scan = low_contrast(small_pages()[0], seed=3)
    doc = ocr_scan(tmp_path, scan, settings)
    assert cer(doc.text(), scan.truth) < 0.03
    assert "flattened" in doc.ocr["preprocessing"]


def test_skewed_low_resolution_page_is_straightened(tmp_path, settings):
    scan = degrade(small_pages(size_pt=12)[0], seed=1, dpi=200, skew=2.5)
    doc = ocr_scan(tmp_path, scan, settings)
    assert cer(doc.text(), scan.truth) < 0.05
    assert "deskew -2.5" in doc.ocr["preprocessing"]


def test_phone_photo_of_a_curled_book_page_is_read_upright_and_straightened(tmp_path, settings):
    scan = small_pages(corpus_files()[0].read_text(encoding="utf-8"), inches=(6, 4))[0]
    photo = photographed(scan, seed=1, curl=0.2)  # a JPEG whose pixels are stored turned, with an EXIF tag
    path = save_scan(photo, tmp_path / "photo")
    doc = ocr_document(source_for(path, "image"), settings, tmp_path / "out", "../pages/photo")
    assert cer(doc.text(), scan.truth) < 0.01
    steps = doc.ocr["preprocessing"]
    assert "surround masked" in steps and "lines straightened" in steps
    page = doc.pages[0]
    with Image.open(path) as stored:
        assert stored.width < stored.height  # the pixels as the phone stored them, turned
    assert page.width > page.height  # the kept image is upright (and deskewed, straightened)
    assert page.image == "../pages/photo/page-0001.png"
    for z in page.zones:
        assert 0 <= z.ulx < z.lrx <= page.width and 0 <= z.uly < z.lry <= page.height


def test_flat_page_photographed_at_a_slant_is_read_with_its_lines_levelled(tmp_path, settings):
    scan = small_pages(corpus_files()[1].read_text(encoding="utf-8"), inches=(6, 4))[0]
    photo = photographed(scan, seed=2, curl=0.0, slant=0.8)  # lines converge towards the far side
    doc = ocr_document(source_for(save_scan(photo, tmp_path / "slant"), "image"), settings, tmp_path / "out",
                       "../pages/slant")
    assert cer(doc.text(), scan.truth) < 0.02
    assert "lines straightened" in doc.ocr["preprocessing"]


def test_magazine_page_reads_in_column_order_with_its_caption_apart(tmp_path, settings):
    scan = magazine_page(corpus_files()[0].read_text(encoding="utf-8"), seed=0)
    doc = ocr_scan(tmp_path, scan, settings)
    assert cer(doc.text(), scan.truth) < 0.01  # title, caption, first column, second column
    caption = "waiting on the quay before boarding the transport ships."
    captions = [b for b in doc.blocks if caption in b.text]
    assert [(b.kind, b.text.endswith(caption)) for b in captions] == [("caption", True)]  # a block of its own
    picture = next(z for z in doc.pages[0].zones if z.id == captions[0].figure)  # the picture above it
    line = next(z for z in doc.pages[0].zones if z.id == captions[0].milestones[0].facs)
    assert picture.lry <= line.uly and picture.lrx - picture.ulx > 0.3 * doc.pages[0].width
    tree = etree.ElementTree(etree.fromstring(build_tei(doc, settings)))
    figure = tree.find(f".//{{{TEI_NS}}}figure")
    assert figure.get("facs") == f"#{picture.id}" and "".join(figure.find(f"{{{TEI_NS}}}head").itertext()).endswith(
        caption)
    assert validate_tree(tree, "magazine.xml") == []


def test_a_paragraph_under_a_picture_in_body_type_is_no_caption_and_the_picture_a_figure(tmp_path, settings):
    scan = magazine_page(corpus_files()[0].read_text(encoding="utf-8"), seed=0, caption_pt=10)
    doc = ocr_scan(tmp_path, scan, settings)
    assert "caption" not in [b.kind for b in doc.blocks]
    [figure] = [b for b in doc.blocks if b.kind == "figure"]
    picture = next(z for z in doc.pages[0].zones if z.id == figure.figure)
    assert picture.lrx - picture.ulx > 0.3 * doc.pages[0].width
    tree = etree.ElementTree(etree.fromstring(build_tei(doc, settings)))
    [element] = tree.iterfind(f".//{{{TEI_NS}}}figure")
    assert element.get("facs") == f"#{picture.id}" and not len(element)
    assert validate_tree(tree, "magazine.xml") == []


def test_given_languages_are_used_as_given(tmp_path, settings):
    scan = small_pages(RUSSIAN, face="dejavu")[0]
    doc = ocr_scan(tmp_path, scan, settings.replace(ocr_languages="eng+rus"))
    assert "Делегация прибыла в Москву весной." in doc.text()
    assert cer(doc.text(), scan.truth) < 0.02
    assert doc.ocr["languages"] == "eng+rus" and doc.languages == ["en", "ru"]
    assert [b.lang for b in doc.blocks] == [None, None, "ru"]  # the Russian line is a passage of its own
    # one language forced: no other is tried
    doc = ocr_scan(tmp_path, scan, settings.replace(ocr_languages="eng"), name="forced")
    assert not any("\u0400" <= ch <= "\u04ff" for ch in doc.text()) and doc.ocr["languages"] == "eng"


def test_low_confidence_words_are_marked_not_dropped(tmp_path, settings):
    scan = small_pages(SAMPLE)[0]
    # smudge the last word of the paragraph until Tesseract is unsure of it
    box = (700, 290, 960, 340)
    scan.image.paste(scan.image.crop(box).resize((35, 7)).resize((260, 50), Image.BICUBIC), box)
    doc = ocr_scan(tmp_path, scan, settings)
    unclear = [(b, u) for b in doc.blocks for u in b.unclear]
    assert unclear and all(0 <= u.cert < settings.unclear_below for _, u in unclear)
    assert all(b.text[u.start:u.end].strip() for b, u in unclear)  # the words stay in the text


def test_a_bilevel_low_resolution_page_is_measured_and_read(tmp_path, settings):
    """A fax-like page: pure black and white at 100 dpi, strokes a pixel wide."""
    from pipeline.ocr import preprocess

    scan = small_pages(size_pt=14, dpi=100)[0]
    scan.image = scan.image.point(lambda v: 255 if v > 160 else 0)
    assert preprocess.ink_mask(scan.image).mean() > 0.02  # its ink is seen...
    assert preprocess.skew_angle(scan.image) == 0.0  # ...so it is not turned by a guess
    doc = ocr_scan(tmp_path, scan, settings)
    assert cer(doc.text(), scan.truth) < 0.03



def show_through(scan):
    """The back of the leaf showing through: its text mirrored, a third as dark as the ink."""
    import numpy as np

    front = np.asarray(scan.image, dtype=np.float32)
    back = np.asarray(scan.image.transpose(Image.FLIP_LEFT_RIGHT), dtype=np.float32)
    scan.image = Image.fromarray(np.clip(np.minimum(front, 255 - (255 - back) * 0.35) * 0.92 + 10, 0, 255)
                                 .astype(np.uint8))
    return scan


def test_text_showing_through_from_the_back_is_left_out(tmp_path, settings):
    text = corpus_files()[1].read_text(encoding="utf-8")
    scan = show_through(render_pages(parse_blocks(text), face="dejavu")[0])
    doc = ocr_scan(tmp_path, scan, settings)
    assert cer(doc.text(), scan.truth) < 0.02
    assert "binarized (of " in doc.ocr["preprocessing"]  # one global threshold leaves the fainter back out


def test_small_type_is_enlarged(tmp_path, settings):
    scan = small_pages(size_pt=6)[0]
    doc = ocr_scan(tmp_path, scan, settings)
    steps = doc.ocr["preprocessing"]
    assert float(steps.split("scale x")[1].split(",")[0]) > 1.1
    assert cer(doc.text(), scan.truth) <= 0.01


def _line(text: str, top: int, conf: float, block: int = 1, height: int = 30) -> Line:
    words, left = [], 100
    for word in text.split():
        words.append(Word(word, (left, top, left + 20 * len(word), top + height), conf))
        left += 20 * len(word) + 20
    return Line(union([w.box for w in words]), words, block)


def test_plain_reading_restores_a_sure_line_and_drops_noise():
    cleaned = PageText([_line("The delegation arrived", 100, 95), _line("iiil llr ,ii", 160, 30),
                        _line("in the spring.", 280, 94)])
    plain = PageText([_line("The delegation arrived", 100, 96), _line("in Moscow at last", 220, 91),
                      _line("in the spring.", 280, 95)])
    merged, added, dropped = reading._reconciled(cleaned, plain, lambda box: box, "eng")
    assert (added, dropped) == (1, 1)
    assert [" ".join(w.text for w in ln.words) for ln in merged.lines] == [
        "The delegation arrived", "in Moscow at last", "in the spring."]  # in its place, in the block above
    assert merged.lines[1].block == merged.lines[0].block


def test_marks_read_unsurely_from_a_picture_are_dropped_but_not_an_unsure_page_number():
    cleaned = PageText([_line("The delegation arrived", 100, 95), _line("— » : _ *", 160, 30),
                        _line("- 2 -", 400, 30)])
    plain = PageText([_line("The delegation arrived", 100, 96)])
    merged, added, dropped = reading._reconciled(cleaned, plain, lambda box: box, "eng")
    assert (added, dropped) == (0, 1)
    assert [" ".join(w.text for w in ln.words) for ln in merged.lines] == ["The delegation arrived", "- 2 -"]


def test_what_a_picture_shows_read_as_a_tall_unsure_line_is_dropped_but_not_a_large_heading():
    cleaned = PageText([_line("Repatriation", 40, 94, height=90), _line(": 5", 200, 60, height=100),
                        _line("The delegation arrived", 400, 95), _line("in the spring.", 440, 94),
                        _line("- 2 -", 600, 60)])
    plain = PageText([_line("Repatriation", 40, 95, height=90), _line("The delegation arrived", 400, 96)])
    merged, added, dropped = reading._reconciled(cleaned, plain, lambda box: box, "eng")
    assert (added, dropped) == (0, 1)
    assert [" ".join(w.text for w in ln.words) for ln in merged.lines] == [
        "Repatriation", "The delegation arrived", "in the spring.", "- 2 -"]


def test_an_unsure_line_that_reads_as_the_language_is_kept_where_the_plain_reading_lost_it():
    cleaned = PageText([_line("The delegation arrived", 100, 95), _line("this dangerous situation and sent", 160, 40),
                        _line("ii ae ll oe", 220, 40), _line("in the spring.", 280, 94)])
    plain = PageText([_line("The delegation arrived", 100, 96), _line("in the spring.", 280, 95)])
    merged, added, dropped = reading._reconciled(cleaned, plain, lambda box: box, "eng")
    assert (added, dropped) == (0, 1)
    assert _texts(merged) == ["The delegation arrived", "this dangerous situation and sent", "in the spring."]
    # in a language without a word list, an unsure line is noise as before
    _, _, dropped = reading._reconciled(cleaned, plain, lambda box: box, "kor")
    assert dropped == 2


def test_an_unsure_line_both_readings_show_is_kept():
    cleaned = PageText([_line("Rumanian policy", 100, 40)])
    plain = PageText([_line("Rurnanian po1icy", 100, 45)])
    merged, added, dropped = reading._reconciled(cleaned, plain, lambda box: box, "eng")
    assert (added, dropped) == (0, 0) and merged.lines == cleaned.lines


def _texts(text: PageText) -> list[str]:
    return [" ".join(w.text for w in ln.words) for ln in text.lines]


def test_words_the_plain_reading_reads_as_far_likelier_language_are_taken_from_it():
    cleaned = PageText([_line("spoke fer the", 100, 74), _line("on August 15, asa mere", 160, 80)])
    plain = PageText([_line("spoke for the", 100, 95), _line("on August 15, as a mere", 160, 90)])
    left, top, right, bottom = cleaned.lines[1].words[3].box  # "asa": where plain reads "as a"
    as_, a, mere = plain.lines[1].words[3:]
    as_.box, a.box, mere.box = (left, top, right - 25, bottom), (right - 15, top, right, bottom), \
        cleaned.lines[1].words[4].box
    merged, taken = reading._mended(cleaned, plain, lambda box: box, "eng")
    assert _texts(merged) == ["spoke for the", "on August 15, as a mere"] and taken == 3


def test_a_word_of_the_language_is_not_replaced_by_a_likelier_one_a_nonword_or_a_less_sure_reading():
    cleaned = PageText([_line("a gentile with some", 100, 90), _line("married to Austria", 160, 60),
                        _line("spoke fer the", 220, 90)])
    plain = PageText([_line("a gentle with some", 100, 95), _line("married scaeieniali Australia", 160, 95),
                      _line("spoke for the", 220, 70)])
    merged, taken = reading._mended(cleaned, plain, lambda box: box, "eng")
    assert _texts(merged) == ["a gentile with some", "married to Austria", "spoke fer the"] and taken == 0


def test_boxes_turned_and_turned_back_agree():
    size, box = (1200, 1600), (300, 400, 520, 440)
    there = reading._rotated(1.2, size)(box)
    assert there != box
    back = reading._unrotated(1.2, size)(there)
    # a box's corners turned give a larger upright box: turned back, it still holds the original
    assert back[0] <= box[0] + 1 and back[1] <= box[1] + 1 and back[2] >= box[2] - 1 and back[3] >= box[3] - 1
    assert max(abs(a - b) for a, b in zip(back, box)) < 12


TABLE = [("Maizuru", "Koan Maru", "2,400 men"), ("Hakata", "Unzen Maru", "1,950 men"),
         ("Sasebo", "Hikawa Maru", "3,100 men"), ("Uraga", "Meiyu Maru", "880 men")]


def test_a_typed_table_on_a_scan_is_read_as_rows_with_a_cell_per_column(tmp_path, settings):
    image = Image.new("L", (1800, 700), 255)
    draw = ImageDraw.Draw(image)
    font = _font("serif", False, 42)
    draw.text((100, 80), "Ships that reached the ports of Japan in the first week of May.", font=font, fill=0)
    for k, cells in enumerate(TABLE):
        for x, cell in zip((100, 650, 1250), cells):
            draw.text((x, 220 + 90 * k), cell, font=font, fill=0)
    truth = " ".join(["Ships that reached the ports of Japan in the first week of May."] + [" ".join(c) for c in TABLE])
    doc = ocr_scan(tmp_path, Scan(image, truth, 300), settings)
    assert cer(doc.text(), truth) < 0.02
    rows = [b for b in doc.blocks if b.kind == "row"]
    assert [[b.text[s:e] for s, e in b.cells] for b in rows] == [list(c) for c in TABLE]
    tree = etree.ElementTree(etree.fromstring(build_tei(doc, settings)))
    cells = [["".join(c.itertext()) for c in row] for row in tree.iterfind(f".//{{{TEI_NS}}}table/{{{TEI_NS}}}row")]
    assert [[" ".join(c.split()) for c in row] for row in cells] == [list(c) for c in TABLE]
    assert validate_tree(tree, "table.xml") == []
