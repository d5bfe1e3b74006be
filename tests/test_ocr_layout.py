"""Layout rules on hand-made word boxes: hyphenation, page breaks, unclear words."""
from __future__ import annotations

from lxml import etree

from pipeline.config import Settings
from pipeline.model import Document, Page, SourceInfo
from pipeline.ocr import alto
from pipeline.ocr.layout import OcrPage, build_blocks
from pipeline.ocr.words import Line, PageText, Word
from pipeline.structure import mark_forms
from pipeline.tei import TEI_NS, build_tei
from pipeline.validate import validate_bytes

SOURCE = SourceInfo("/in/memo.png", "memo.png", "memo", "image", "image/png", 1, "0" * 64)


def line(y: int, *words: str, conf: float = 95, block: int = 1, size: int = 20) -> Line:
    out, x = [], 100
    for w in words:
        out.append(Word(w, (x, y, x + size * len(w), y + 2 * size), conf))
        x += size * (len(w) + 1)
    return Line((100, y, x, y + 2 * size), out, block)


def page(n: int, *lines: Line) -> OcrPage:
    return OcrPage(f"facs-p{n}", n, PageText(list(lines)), 2000, 3000)


def test_hyphenated_line_end_is_rejoined_with_lb_inside_the_word():
    [b], _ = build_blocks([page(1, line(100, "the", "repatri-"), line(150, "ation", "began"))], 0.6)
    assert b.text == "the repatriation began"
    lb = [m for m in b.milestones if m.kind == "lb"]
    assert [m.offset for m in lb] == [0, len("the repatri")]
    assert [(m.in_word, m.soft_hyphen) for m in lb] == [(False, False), (True, True)]


def test_hyphen_of_a_compound_is_kept():
    [b], _ = build_blocks([page(1, line(100, "the", "Sino-"), line(150, "Japanese", "war", "and", "a", "well-"),
                                line(200, "known", "and", "well-known", "fact"))], 0.6)
    assert b.text == "the Sino-Japanese war and a well-known and well-known fact"
    breaks = [(m.in_word, m.soft_hyphen) for m in b.milestones if m.kind == "lb"]
    assert breaks == [(False, False), (True, False), (True, False)]  # in a word, the hyphen kept in the text


def test_paragraph_runs_on_over_a_page_break():
    blocks, zones = build_blocks([page(1, line(100, "Soviet", "troops", "landed", "in")),
                                  page(2, line(100, "the", "port", "city."))], 0.6)
    [b] = blocks
    assert b.text == "Soviet troops landed in the port city."
    pb = [(m.offset, m.facs, m.n) for m in b.milestones if m.kind == "pb"]
    assert pb == [(0, "facs-p1", "1"), (len("Soviet troops landed in "), "facs-p2", "2")]
    assert [z.id for z in zones["facs-p2"]] == ["facs-p2-l1"]


def test_empty_pages_keep_their_page_breaks():
    blocks, zones = build_blocks([page(1), page(2, line(100, "Text", "here.")), page(3)], 0.6)
    pbs = [(m.offset, m.facs) for b in blocks for m in b.milestones if m.kind == "pb"]
    assert pbs == [(0, "facs-p1"), (0, "facs-p2"), (len("Text here."), "facs-p3")]
    assert zones["facs-p1"] == []


def test_unclear_words_carry_their_confidence():
    [b], _ = build_blocks([page(1, line(100, "clear"), line(150, "smudged", conf=42), line(200, "half-"),
                                line(250, "read", conf=30))], 0.6)
    assert b.text == "clear smudged halfread" or b.text == "clear smudged half-read"
    spans = [(b.text[u.start:u.end], u.cert) for u in b.unclear]
    assert spans == [("smudged", 0.42), (b.text.split()[-1], 0.3)]  # a rejoined word: its less sure half


def test_items_under_a_bibliography_heading_are_bibl():
    blocks, _ = build_blocks([page(1, line(100, "The", "army", "withdrew", "from", "the", "port", "in", "autumn."),
                                  line(200, "•", "Tianshui", "Association", "and", "more"),
                                  line(300, "Books", size=30, block=2),
                                  line(400, "•", "Watt,", "Lori.", "Settler", "Colonialism", block=3))], 0.6)
    assert [(b.kind, b.text) for b in blocks] == [
        ("p", "The army withdrew from the port in autumn."), ("item", "Tianshui Association and more"),
        ("head", "Books"), ("bibl", "Watt, Lori. Settler Colonialism")]


def test_an_item_that_reads_as_a_reference_is_bibl_under_any_heading():
    # the "Books" heading lost to a poor scan: the entry's form still makes it a reference
    blocks, _ = build_blocks([page(1, line(100, "•", "Japanese", "settlers", "in", "Manchuria"),
                                  line(200, "•", "Watt,", "Lori.", "“Settler", "Colonialism”", block=2))], 0.6)
    assert [(b.kind, b.text) for b in blocks] == [
        ("item", "Japanese settlers in Manchuria"), ("bibl", "Watt, Lori. “Settler Colonialism”")]


def test_a_small_round_or_crossed_blob_before_an_item_is_a_misread_bullet():
    def item(y: int, mark: str, small: bool) -> Line:
        ln = line(y, "x", "Fushun", "War", "Criminals", "Management", "Center", block=1 if small else 2)
        h = 12 if small else 40
        ln.words[0] = Word(mark, (100, y + 14, 100 + h, y + 14 + h), 60)
        return ln
    blocks, _ = build_blocks([page(1, *(item(100 * k, mark, True) for k, mark in enumerate("+6e•", 1)),
                                   item(500, "6", False))], 0.6)
    assert [(b.kind, b.text.split()[0]) for b in blocks] == [("item", "Fushun")] * 4 + [("p", "6")]


def _with_picture(*lines: Line, picture=(100, 300, 1100, 900)) -> OcrPage:
    p = page(1, *lines)
    p.text.pictures = [picture]
    return p


BODY = [line(1000 + 50 * k, "the", "ships", "left", "the", "port", "at", "dawn", "and", "sailed", "north", block=3)
        for k in range(4)]


def test_small_type_just_under_a_picture_is_its_caption():
    caption = line(920, "Evacuees", "on", "the", "quay.", size=15, block=2)
    blocks, zones = build_blocks([_with_picture(caption, *BODY)], 0.6)
    assert [b.kind for b in blocks] == ["caption", "p"]
    assert blocks[0].text == "Evacuees on the quay." and blocks[0].figure == "facs-p1-fig1"
    [picture] = [z for z in zones["facs-p1"] if z.id == blocks[0].figure]
    assert (picture.ulx, picture.uly, picture.lrx, picture.lry) == (100, 300, 1100, 900)


def test_a_caption_may_stand_over_its_picture():
    caption = line(250, "Evacuees", "on", "the", "quay.", size=15, block=2)
    blocks, _ = build_blocks([_with_picture(caption, *BODY)], 0.6)
    assert blocks[0].kind == "caption"


def test_no_caption_in_body_type_far_from_the_picture_or_beside_it():
    body_type = line(920, "Evacuees", "on", "the", "quay.", block=2)
    far = line(1250, "Evacuees", "on", "the", "quay.", size=15, block=2)
    beside = line(920, "Evacuees", "on", "the", "quay.", size=15, block=2)
    for lines, picture in [((body_type, *BODY), (100, 300, 1100, 900)), ((*BODY, far), (100, 300, 1100, 900)),
                           ((beside, *BODY), (1200, 300, 1900, 900))]:
        blocks, zones = build_blocks([_with_picture(*lines, picture=picture)], 0.6)
        assert "caption" not in [b.kind for b in blocks]
        [figure] = [b for b in blocks if b.kind == "figure"]  # the picture stands on its own
        assert figure.text == "" and figure.figure == "facs-p1-fig1"


def test_a_picture_with_no_caption_is_a_figure_before_the_text_below_it():
    above = line(200, "the", "ships", "left", "the", "port", "at", "dawn", "and", "sailed", "north", block=1)
    blocks, zones = build_blocks([_with_picture(above, *BODY)], 0.6)
    assert [b.kind for b in blocks] == ["p", "figure", "p"]
    [picture] = [z for z in zones["facs-p1"] if z.id == blocks[1].figure]
    assert (picture.ulx, picture.uly, picture.lrx, picture.lry) == (100, 300, 1100, 900)


def test_specks_borders_and_parts_of_a_picture_are_no_figures():
    caption = line(920, "Evacuees", "on", "the", "quay.", size=15, block=2)
    for pictures, lines in [([(500, 500, 530, 520)], BODY),  # a speck
                            ([(0, 300, 80, 2900)], BODY),  # a strip along the scan's edge
                            ([(100, 300, 1100, 900), (150, 350, 1000, 800)], (caption, *BODY))]:  # a part of one
        p = page(1, *lines)
        p.text.pictures = pictures
        blocks, _ = build_blocks([p], 0.6)
        assert "figure" not in [b.kind for b in blocks], pictures


def test_a_picture_is_a_region_the_engine_read_no_line_in():
    xml = b"""<alto xmlns="http://www.loc.gov/standards/alto/ns-v3#"><Layout><Page><PrintSpace>
      <Illustration ID="a" HPOS="100" VPOS="300" WIDTH="1000" HEIGHT="600"/>
      <Illustration ID="b" HPOS="0" VPOS="0" WIDTH="2000" HEIGHT="3000"/>
    </PrintSpace></Page></Layout></alto>"""
    # the whole page called a picture, as on a noisy scan, holds the lines read: no picture
    assert alto.pictures(xml, BODY) == [(100, 300, 1100, 900)]


def placed(y: int, *cells: tuple[int, str], size: int = 20) -> Line:
    """A line whose runs of words start at the given x positions."""
    out = []
    for x, text in cells:
        for w in text.split():
            out.append(Word(w, (x, y, x + size * len(w), y + 2 * size), 95))
            x += size * (len(w) + 1)
    return Line((out[0].box[0], y, out[-1].box[2], y + 2 * size), out, 1)


PROSE = ("The", "committee", "met", "in", "the", "morning", "and", "read", "the", "list", "of", "names.")


def _cells(block) -> list[str]:
    return [block.text[a:b] for a, b in block.cells]


def test_lines_in_three_columns_are_table_rows_with_a_cell_per_column():
    blocks, _ = build_blocks([page(1, line(100, *PROSE),
                                   placed(200, (100, "Gabor Berger."), (700, "Hugo Roth."), (1300, "Josef Weiner.")),
                                   placed(250, (100, "Max Singer"), (700, "Family Brock."), (1300, "Boris Roth.")),
                                   placed(300, (100, "Alexander Knapp."), (700, "Jakob Singer."), (1300, "Ida Gr.")),
                                   line(400, *PROSE))], 0.6)
    assert [b.kind for b in blocks] == ["p", "row", "row", "row", "p"]
    assert _cells(blocks[1]) == ["Gabor Berger.", "Hugo Roth.", "Josef Weiner."]
    assert _cells(blocks[3]) == ["Alexander Knapp.", "Jakob Singer.", "Ida Gr."]
    assert [m.offset for m in blocks[2].milestones if m.kind == "lb"] == [0]


def test_a_wrapped_cell_is_a_row_whose_other_cells_are_empty():
    rows = [placed(100, (100, "35"), (400, "1 v.h."), (800, "commentaires sur le")),
            placed(150, (800, "chant")),
            placed(200, (100, "36"), (400, "1 v.p.h."), (800, "informations")),
            placed(250, (100, "37"), (400, "2 v.h."), (800, "cantique"))]
    blocks, _ = build_blocks([page(1, *rows)], 0.6)
    assert [b.kind for b in blocks] == ["row"] * 4
    assert _cells(blocks[1]) == ["", "", "chant"]
    lb = [m for m in blocks[1].milestones if m.kind == "lb"]
    assert [m.offset for m in lb] == [blocks[1].cells[2][0]]  # where the line's text begins


def test_prose_lines_and_labelled_fields_are_no_table():
    fields = [placed(100 + 50 * k, (100, label), (500, value))
              for k, (label, value) in enumerate([("TO:", "Colonel Smith"), ("FROM:", "the Adviser"),
                                                  ("SUBJECT:", "Repatriation"), ("DATE:", "5 May 1946")])]
    blocks, _ = build_blocks([page(1, *fields, line(400, *PROSE), line(450, *PROSE), line(500, *PROSE))], 0.6)
    assert "row" not in {b.kind for b in blocks}


def test_a_table_does_not_run_on_into_the_prose_after_it():
    rows = [placed(100 + 50 * k, (100, a), (700, b), (1300, c))
            for k, (a, b, c) in enumerate([("Eduard Roth", "Family Balassa.", "Wilhelm Singer."),
                                           ("Alexander Knapp.", "Family Brock.", "Family Gruen."),
                                           ("Gabor Berger.", "Ernst Berger.", "Boris Weiner.")])]
    after = [line(300, *PROSE), line(350, *PROSE), placed(400, (100, "publicity."), (1000, ":"), (1500, ":"))]
    blocks, _ = build_blocks([page(1, *rows, *after)], 0.6)
    assert [b.kind for b in blocks] == ["row", "row", "row", "p"]


def test_lines_whose_runs_straddle_each_other_are_no_table():
    # the inner runs of each line overlap two runs of the other: only the outermost stand as columns
    a = placed(100, (100, "a" * 15), (500, "b" * 15), (900, "c" * 15))
    b = placed(150, (350, "d" * 10), (750, "e" * 10), (1150, "f" * 10))
    blocks, _ = build_blocks([page(1, a, b, placed(200, (100, "g" * 15), (500, "h" * 15), (900, "i" * 15)))], 0.6)
    assert "row" not in {b.kind for b in blocks}


def test_labelled_lines_are_form_fields_whose_line_begins_at_the_label():
    fields = [line(100 + 50 * k, *label.split(), *value.split())
              for k, (label, value) in enumerate([("TO:", "Colonel Smith"), ("Date Start:", "5 May 1946"),
                                                  ("\u2022 Location:", "Taishet")])]
    prose = [line(250, "Note", "that:", "the", "ships", "sailed", "at", "dawn", "and", "the", "camps", "were", "empty")]
    blocks, zones = build_blocks([page(1, *fields, *prose)], 0.6)
    assert [(b.kind, b.label, b.text) for b in blocks] == [
        ("field", "TO:", "Colonel Smith"), ("field", "Date Start:", "5 May 1946"), ("field", "Location:", "Taishet"),
        ("p", None, "Note that: the ships sailed at dawn and the camps were empty")]
    doc = Document(SOURCE, "Memo", blocks, pages=[Page("facs-p1", 1, 2000, 3000, "p.png", zones["facs-p1"])])
    data = build_tei(doc, Settings(edition_date="2026-01-15"))
    assert validate_bytes(data, "memo.xml") == []
    label = etree.fromstring(data).find(".//t:body//t:label", {"t": TEI_NS})
    assert [etree.QName(c).localname for c in label] == ["pb", "lb"] and label.xpath("string()") == "TO:"


def test_a_file_number_read_unsurely_or_over_two_lines_is_still_valid_tei():
    blocks, zones = build_blocks([page(1, line(100, "740.00115", "PW/9–2347:", "Telegram", conf=40),
                                       line(200, "The", "Ambassador", "filed", "it", "under", "AG"),
                                       line(250, "091.4", "in", "May."))], 0.6)
    mark_forms(blocks)
    assert [(b.text[s.start:s.end], s.kind) for b in blocks for s in b.spans] == [
        ("740.00115 PW/9–2347", "identifier")]  # the one cut by a line break is left unmarked
    doc = Document(SOURCE, "Telegram", blocks, pages=[Page("facs-p1", 1, 2000, 3000, "p.png", zones["facs-p1"])])
    assert validate_bytes(build_tei(doc, Settings(edition_date="2026-01-15")), "telegram.xml") == []


def test_a_hyphen_parted_from_its_word_by_a_narrow_gap_is_closed_up():
    def word(text, x0, x1):
        return Word(text, (x0, 100, x1, 140), 90)
    words = [word("Tessa", 100, 200), word("Morris-", 230, 360), word("Suzuki", 364, 480), word("and", 510, 570),
             word("pre-", 600, 670), word("and", 700, 760), word("post-war", 790, 950)]
    [b], _ = build_blocks([page(1, Line((100, 100, 950, 140), words, 1))], 0.6)
    assert b.text == "Tessa Morris-Suzuki and pre- and post-war"


def test_lines_apart_by_more_than_wrapped_prose_lines_are_paragraphs_of_their_own():
    prose = ("the", "ambassador", "encloses", "a", "copy", "of", "the", "tabulation")
    rows = [line(300, "South", "China", "112,681"), line(400, "North", "China", "239,286"), line(500, "Total", "351,967")]
    blocks, _ = build_blocks([page(1, line(100, *prose), line(150, *prose), line(200, "of", "persons."), *rows)], 0.6)
    assert [b.text for b in blocks] == [" ".join(prose * 2) + " of persons.", "South China 112,681",
                                        "North China 239,286", "Total 351,967"]
    # double spacing throughout (a typescript's): the gap below wrapped lines is the usual one
    spaced = [line(100 + 100 * k, *prose) for k in range(3)] + [line(400, "of", "persons.")]
    [b], _ = build_blocks([page(1, *spaced)], 0.6)
    assert b.text == " ".join(prose * 3) + " of persons."
