"""Languages and scripts: per page, per passage, marked in the TEI; and a real typescript crop."""
from __future__ import annotations

from pathlib import Path

from lxml import etree
from PIL import Image

from pipeline.config import Settings
from pipeline.model import SourceInfo
from pipeline.ocr import language, ocr_document, passages, preprocess
from pipeline.ocr.words import Line, PageText, Word
from pipeline.tei import build_tei
from pipeline.validate import validate_bytes
from tests.conftest import small_pages, source_for
from tests.support.metrics import cer
from tests.support.scans import mixed_script_page, save_png

FIXTURES = Path(__file__).parent / "fixtures" / "scans"
TEI = "{http://www.tei-c.org/ns/1.0}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
FRENCH = """= Rapport =
Les prisonniers sont arrivés à la gare après une journée de marche sous la pluie.
Le médecin du camp a décidé que les malades seraient soignés à l'hôpital de la ville.
"""


def ocr_scan(tmp_path, scan, settings, name="page"):
    path = save_png(scan, tmp_path / f"{name}.png")
    return ocr_document(source_for(path, "image"), settings, tmp_path / "out", f"../pages/{name}")


def test_identify_by_common_words_and_script():
    codes = ["eng", "fra", "deu", "rus", "jpn", "chi_sim", "kor"]
    assert language.identify("The ship left the harbour with the returnees on board.", codes) == "eng"
    assert language.identify("Les prisonniers sont arrivés à la gare après une journée de marche.", codes) == "fra"
    assert language.identify("Die Gefangenen kamen nach einem langen Marsch am Bahnhof an.", codes) == "deu"
    assert language.identify("Эшелон прибыл в Находку.", codes) == "rus"
    assert language.identify("引揚船は舞鶴に入港した。", codes) == "jpn"
    assert language.identify("1946 - 12", codes) is None
    assert language.words_of("L'hôpital d’après-guerre") == ["hôpital", "après", "guerre"]


def test_a_french_page_is_read_with_the_french_model(tmp_path, settings):
    scan = small_pages(FRENCH, face="dejavu")[0]
    doc = ocr_scan(tmp_path, scan, settings)
    assert doc.ocr["preprocessing"].endswith(", fra") and doc.languages == ["fr"]
    assert "arrivés à la gare après une journée" in doc.text()
    assert cer(doc.text(), scan.truth) < 0.01
    tei = etree.fromstring(build_tei(doc, settings))
    assert tei.get(XML_LANG) == "fr" and not tei.findall(f".//{TEI}p[@{XML_LANG}]")


def test_passages_in_other_scripts_are_read_with_their_models_and_marked(tmp_path, settings, tei_all):
    scan = mixed_script_page()
    doc = ocr_scan(tmp_path, scan, settings)
    assert "Эшелон прибыл в Находку с опозданием на два дня." in doc.text()
    assert "The transport ship 氷川丸 left Maizuru" in doc.text()
    assert cer(doc.text(), scan.truth) < 0.02
    assert doc.languages == ["en", "ru", "ja"]
    russian = [b for b in doc.blocks if b.lang == "ru"]
    assert len(russian) == 1 and russian[0].text.startswith("Эшелон") and russian[0].text.endswith("дня.")
    ship = next(b for b in doc.blocks if "氷川丸" in b.text)
    assert [(ship.text[f.start:f.end], f.lang) for f in ship.foreign] == [("氷川丸", "ja")]
    data = build_tei(doc, settings)
    assert validate_bytes(data, "mixed.xml") == []
    (tmp_path / "mixed.xml").write_bytes(data)
    assert tei_all(tmp_path / "mixed.xml") == ""
    tei = etree.fromstring(data)
    assert [p.get(XML_LANG) for p in tei.iter(f"{TEI}p") if p.get(XML_LANG)] == ["ru"]
    assert ["".join(f.itertext()) for f in tei.iter(f"{TEI}foreign")] == ["氷川丸"]
    assert tei.find(f".//{TEI}foreign").get(XML_LANG) == "ja"


def test_forced_languages_read_no_passage_again(tmp_path, settings):
    doc = ocr_scan(tmp_path, mixed_script_page(), settings.replace(ocr_languages="eng"))
    assert "passage" not in doc.ocr["preprocessing"] and doc.languages == ["en"]
    assert not any(b.lang or b.foreign for b in doc.blocks)


def test_the_scanners_dark_surround_is_masked(tmp_path, settings):
    scan = small_pages()[0]
    framed = Image.new("L", (scan.image.width + 300, scan.image.height + 240), 25)
    framed.paste(scan.image, (170, 90))
    masked, share = preprocess.mask_background(framed)
    assert 0.2 < share < 0.5 and min(masked.getpixel((5, 5)), masked.getpixel((framed.width - 5, 100))) > 200
    scan.image = framed
    doc = ocr_scan(tmp_path, scan, settings)
    assert "surround masked" in doc.ocr["preprocessing"]
    assert cer(doc.text(), scan.truth) < 0.01


def test_a_shadow_across_the_page_is_not_taken_for_the_surround():
    scan = small_pages()[0]
    w, h = scan.image.size
    shade = Image.linear_gradient("L").rotate(90).resize((w, h))  # dark at the left edge, fading out
    shaded = Image.composite(scan.image.point(lambda v: v * 0.35), scan.image, shade.point(lambda v: 255 - v))
    assert preprocess.mask_background(shaded)[1] == 0.0


def test_a_real_small_type_typescript_reads_as_it_should(tmp_path):
    """A crop of a 1955 Wiener Library testimony (EHRI, CC BY 4.0): 96 dpi, small type."""
    path = FIXTURES / "ehri-wl16560044-06-crop.png"
    truth = (FIXTURES / "ehri-wl16560044-06-crop.txt").read_text(encoding="utf-8")
    source = SourceInfo(str(path), path.name, path.stem, "image", "image/png", 0, "0" * 64)
    doc = ocr_document(source, Settings(ocr_timeout=60), tmp_path / "out", "x")
    assert "scale x" in doc.ocr["preprocessing"]  # enlarged to the size the models read best
    # (the vote of earlier versions made this "She gentile vat scaeieniali 81604 snot naa married to a gentile")
    assert "She was a gentile with some Jewish blood who had been married to a" in " ".join(doc.text().split())
    assert cer(doc.text(), truth) < 0.05


def test_foreign_passages_nest_inside_names_and_are_cut_at_their_edges():
    from pipeline.model import Block, Document, Foreign, Milestone, Span, Unclear

    text = "The ship 氷川丸 Maru sailed; Эшелон прибыл."
    ship = text.index("氷川丸")
    ru = text.index("Эшелон")
    block = Block("p", text, spans=[Span(ship, ship + 8, "vessel", {}), Span(ru, ru + 6, "place", {})],
                  foreign=[Foreign(ship, ship + 3, "ja"), Foreign(ru - 1, len(text), "ru")],
                  unclear=[Unclear(ship + 1, ship + 2, 0.4)], milestones=[Milestone(ship + 1, "lb")])
    doc = Document(SourceInfo("/x", "x.png", "x", "image", "image/png", 1, "0" * 64), "x", blocks=[block])
    tei = etree.fromstring(build_tei(doc, Settings(edition_date="2026-01-15")))
    p = tei.find(f".//{TEI}body/{TEI}p")
    assert "".join(p.itertext()) == text
    name = p.find(f"{TEI}name")
    foreign = name.find(f"{TEI}foreign")  # inside the vessel's name, holding the line break and the unclear letter
    assert foreign.get(XML_LANG) == "ja" and "".join(foreign.itertext()) == "氷川丸"
    assert [c.tag for c in foreign] == [f"{TEI}lb", f"{TEI}unclear"]
    russian = [f for f in p.iter(f"{TEI}foreign") if f.get(XML_LANG) == "ru"]
    # the Russian passage is cut where the place name inside it begins and ends
    assert ["".join(f.itertext()) for f in russian] == [" ", "Эшелон", " прибыл."]
    assert russian[1].getparent().tag == f"{TEI}placeName"


def _passage_line(y, words, height=30):
    """A line of (text, confidence) words, each 100 px wide, at ``y``."""
    boxes = [(100 + 120 * k, y, 200 + 120 * k, y + height) for k in range(len(words))]
    return Line((boxes[0][0], y, boxes[-1][2], y + height), [Word(t, b, c) for (t, c), b in zip(words, boxes)], 1)


def _strip_reader():
    """A recognizer that reads nothing, and the heights of the strips it was given."""
    heights = []

    def recognize(strip, codes):
        heights.append(strip.height)
        return PageText()

    return recognize, heights


def test_a_poor_reading_is_not_taken_for_passages_and_strips_stay_small():
    image = Image.new("L", (2000, 3000), 255)
    recognize, heights = _strip_reader()
    line = _passage_line
    garbled = PageText([line(40 * k, [("xqzvt", 40), ("wbrrk", 40), ("jjqz", 40)]) for k in range(60)])
    assert passages.read_other_scripts(garbled, image, "eng", ["eng", "rus", "jpn"], recognize) == 0
    assert heights == []  # most lines read as no language: the page is poor, nothing is read again
    # a page of known words with a few unsure unknown ones: read in strips of at most STRIP_PIECES pieces
    good = [("the", 95), ("people", 95), ("arrived", 95), ("there", 95)] * 3
    lines = [line(40 * k, good + ([("7K)IIH.", 30)] if k < 35 else [])) for k in range(70)]
    assert passages.read_other_scripts(PageText(lines), image, "eng", ["eng", "rus"], recognize) == 0
    assert len(heights) == 2 and max(heights) < 32767  # 35 pieces: two strips, one model


def test_an_unsure_word_read_again_takes_another_scripts_words_only_where_that_language_knows_them():
    image = Image.new("L", (2000, 3000), 255)

    def reader(word):
        def recognize(strip, codes):  # one word over the strip's single piece, read surely
            return PageText([Line((0, 0, strip.width, strip.height), [Word(word, (0, 0, strip.width, strip.height),
                                                                         92)], 1)])
        return recognize

    def page():
        good = [("the", 95), ("people", 95), ("arrived", 95), ("there", 95)]
        return PageText([_passage_line(40 * k, good) for k in range(5)]
                        + [_passage_line(400, [("the", 95), ("ship", 95), ("rnestricted", 30)])])

    text = page()  # a degraded English word the Russian model reads surely as no Russian word: kept
    assert passages.read_other_scripts(text, image, "eng", ["eng", "rus"], reader("гезиклед")) == 0
    assert text.lines[-1].words[-1].text == "rnestricted"
    text = page()  # a Russian word there is taken, and marked
    assert passages.read_other_scripts(text, image, "eng", ["eng", "rus"], reader("прибыл")) == 1
    assert [(w.text, w.language) for w in text.lines[-1].words][-1] == ("прибыл", "rus")


def test_a_picture_read_as_a_tall_line_is_not_read_again_as_a_passage():
    image = Image.new("L", (2000, 3000), 255)
    recognize, read = _strip_reader()
    text = [_passage_line(40 * k, [("the", 95), ("people", 95), ("arrived", 95), ("there", 95)]) for k in range(20)]
    picture = _passage_line(900, [(":", 17), ("tes2", 0)], height=260)  # unsure, unknown: suspect, were it a line
    assert passages.read_other_scripts(PageText(text + [picture]), image, "eng", ["eng", "rus"], recognize) == 0
    assert read == []
    text[5].words.append(Word("7K)IIH.", (700, 200, 800, 230), 30))  # the same on a line of text is read again
    passages.read_other_scripts(PageText(text + [picture]), image, "eng", ["eng", "rus"], recognize)
    assert len(read) == 1
