from pipeline.model import SourceInfo
from pipeline.structure import structure

SOURCE = SourceInfo("/in/doc.txt", "doc.txt", "doc", "text", "text/plain", 1, "0" * 64)


def shape(doc):
    return [(b.kind, b.depth, b.label, b.text) for b in doc.blocks]


def test_wiki_export_sections_lists_and_bibliography():
    text = (
        "= The Title =\n\nIntro paragraph.\n\n==Section==\nFirst line\ncontinues here.\n"
        "- one\n- two\n\n===Sub===\nDeep.\n\n== See also ==\n- Other article\n\n==Books==\n- Watt, Lori. \"A Book\"\n"
    )
    doc = structure(text, SOURCE)
    assert doc.title == "The Title"
    assert shape(doc) == [
        ("head", 0, None, "The Title"),
        ("p", 0, None, "Intro paragraph."),
        ("head", 1, None, "Section"),
        ("p", 0, None, "First line continues here."),
        ("item", 0, None, "one"),
        ("item", 0, None, "two"),
        ("head", 2, None, "Sub"),
        ("p", 0, None, "Deep."),
        ("head", 1, None, "See also"),
        ("item", 0, None, "Other article"),
        ("head", 1, None, "Books"),
        ("bibl", 0, None, 'Watt, Lori. "A Book"'),
    ]


def test_news_article_title_nbsp_paragraphs_and_marked_items():
    text = (
        "Hard labor in Siberia\n\n\u00a0In the early hours, forces moved.\n\n\u00a0The order stated:\n\n"
        "\u00a0(a) 150,000 POWs to the railway.\n\n\u00a0(b) 75,000 POWs to the mines.\n\n"
        "\u00a01. reprisal against Japan;\n\n\u00a0Closing words.\n"
    )
    doc = structure(text, SOURCE)
    assert doc.title == "Hard labor in Siberia"
    assert shape(doc) == [
        ("head", 0, None, "Hard labor in Siberia"),
        ("p", 0, None, "In the early hours, forces moved."),
        ("p", 0, None, "The order stated:"),
        ("item", 0, "(a)", "150,000 POWs to the railway."),
        ("item", 0, "(b)", "75,000 POWs to the mines."),
        ("item", 0, "1.", "reprisal against Japan;"),
        ("p", 0, None, "Closing words."),
    ]
    assert [b.n for b in doc.blocks if b.kind == "item"] == ["a", "b", "1"]


def test_plain_text_is_paragraphs_and_the_stem_is_the_title():
    doc = structure("A first sentence that ends.\nSame paragraph.\n\nSecond paragraph.", SOURCE)
    assert doc.title == "doc"
    assert shape(doc) == [("p", 0, None, "A first sentence that ends. Same paragraph."),
                          ("p", 0, None, "Second paragraph.")]


def test_a_year_or_sentence_at_paragraph_start_is_not_a_list_marker():
    doc = structure("1945 was the year.\n\nA. Smith wrote it.\n\nIt cost 3.5 million.", SOURCE)
    assert all(b.kind == "p" and b.label is None for b in doc.blocks)


def test_a_list_item_in_the_form_of_a_reference_is_bibl_under_any_heading():
    text = "= T =\n\n==See also==\n- Tokyo, Japan (1945)\n- Hara, K. M. “Sakhalin Islands”\n- Watt, Lori. \"A Book\"\n"
    assert [b.kind for b in structure(text, SOURCE).blocks] == ["head", "head", "item", "bibl", "bibl"]


def test_bracketed_numbers_open_entries_under_references_and_notes():
    text = ("A review citing a book [1] and an article [2].\n\nReferences\n\n"
            "[1] Watt, Lori. When Empire Comes Home. Cambridge, MA: Harvard University Asia Center, 2009.\n"
            "[2] Ibid., pp. 43-58.\n\nNotes\n\n[1] The author's own count.\n")
    blocks = structure(text, SOURCE).blocks
    assert [(b.kind, b.label, b.n) for b in blocks] == [
        ("p", None, None), ("head", None, None), ("bibl", "[1]", "1"), ("bibl", "[2]", "2"),
        ("head", None, None), ("note", "[1]", "1")]
    assert blocks[2].text.startswith("Watt, Lori.")
