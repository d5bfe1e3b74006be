import re

from lxml import etree

from pipeline.model import Block, Document, Entity, Milestone, Page, SourceInfo, Span, Unclear, Zone
from pipeline.tei import TEI_NS, build_tei
from pipeline.validate import validate_bytes

NS = {"t": TEI_NS}
SOURCE = SourceInfo("/in/doc.txt", "doc.txt", "doc", "text", "text/plain", 42, "ab" * 32, "UTF-8")


def parse(data: bytes):
    return etree.fromstring(data)


def annotated_doc() -> Document:
    text = "General Douglas MacArthur landed in Japan on August 30, 1945 with 1,200 men."
    block = Block("p", text, spans=[
        Span(8, 25, "person", {"ref": "person-douglas-macarthur"}),
        Span(36, 41, "place", {"ref": "place-japan"}),
        Span(45, 60, "date", {"when": "1945-08-30"}),
        Span(66, 71, "num", {"value": "1200"}),
    ], unclear=[Unclear(16, 30, 0.31)], milestones=[Milestone(0, "pb", "s1", "1"), Milestone(20, "lb", "s1-l2")])
    doc = Document(SOURCE, "Landing", blocks=[Block("head", "Landing"), block],
                   pages=[Page("s1", 1, 1000, 1400, "../pages/doc/p1.png", [Zone("s1-l2", 1, 2, 30, 40)])])
    doc.entities = [Entity("person-douglas-macarthur", "person", "Douglas MacArthur", ["MacArthur"], "Q127417"),
                    Entity("place-japan", "place", "Japan", [], "Q17", "1861060")]
    doc.changes = ["ingest: test"]
    return doc


def test_spans_unclear_and_milestones_nest_properly(settings):
    root = parse(build_tei(annotated_doc(), settings))
    p = root.find(".//t:body/t:p", NS)
    assert "".join(p.itertext()) == annotated_doc().blocks[1].text
    pers = p.find("t:persName", NS)
    assert pers.get("ref") == "#person-douglas-macarthur"
    assert "".join(pers.itertext()) == "Douglas MacArthur"
    # the unclear word crossing the name's end is split at the boundary
    unclear = p.findall(".//t:unclear", NS)
    assert ["".join(u.itertext()) for u in unclear] == ["MacArthur", " land"]
    assert unclear[0].getparent() is pers and unclear[1].getparent() is p
    assert pers.find(".//t:lb", NS).get("facs") == "#s1-l2"
    assert p[0].tag == f"{{{TEI_NS}}}pb"
    assert p.find("t:date", NS).get("when") == "1945-08-30"
    assert p.find("t:num", NS).get("value") == "1200"


def test_header_describes_source_and_registers_are_in_standoff(settings):
    root = parse(build_tei(annotated_doc(), settings))
    bibl = root.find(".//t:sourceDesc/t:bibl", NS)
    assert bibl.findtext("t:idno[@type='SHA-256']", namespaces=NS) == "ab" * 32
    assert bibl.findtext("t:idno[@type='filename']", namespaces=NS) == "doc.txt"
    assert bibl.find("t:extent/t:measure", NS).get("quantity") == "42"
    assert root.findtext(".//t:publicationStmt/t:idno", namespaces=NS) == "urn:x-archive:edition:doc-abababababab"
    assert [c.get("when") for c in root.iterfind(".//t:revisionDesc/t:change", NS)] == ["2026-01-15"]
    person = root.find(".//t:standOff/t:listPerson/t:person", NS)
    assert person.get("{http://www.w3.org/XML/1998/namespace}id") == "person-douglas-macarthur"
    assert person.findtext("t:idno[@type='wikidata']", namespaces=NS) == "Q127417"
    assert root.find(".//t:facsimile/t:surface/t:zone", NS).get("lrx") == "30"


def test_output_is_deterministic_and_valid(settings):
    first, second = build_tei(annotated_doc(), settings), build_tei(annotated_doc(), settings)
    assert first == second
    assert validate_bytes(first, "doc.xml") == []


def test_markup_characters_are_escaped(settings):
    text = "<script>alert(1)</script> & ]]> --> \"q\""
    doc = Document(SOURCE, text, blocks=[Block("p", text)])
    data = build_tei(doc, settings)
    assert b"<script>" not in data
    assert parse(data).findtext(".//t:body/t:p", namespaces=NS) == text


def test_mixed_content_gets_no_added_whitespace(settings):
    block = Block("p", "AB", spans=[Span(0, 1, "num", {"value": "1"}), Span(1, 2, "num", {"value": "2"})])
    data = build_tei(Document(SOURCE, "t", blocks=[block]), settings)
    assert re.search(rb'<num value="1">A</num><num value="2">B</num></p>', data)


def hyphenated_doc() -> Document:
    """A scanned page's block whose lines break inside words: "repatri-|ation" (a soft hyphen the text
    leaves out) and "Sino-|Japanese" (a compound's hyphen), with a name across the first break."""
    text = "the repatriation of Rumanians after the Sino-Japanese war"
    soft, hard = len("the repatri"), len("the repatriation of Ruma")
    compound = len("the repatriation of Rumanians after the Sino-")
    block = Block("p", text, spans=[Span(20, 29, "place", {})], milestones=[
        Milestone(0, "lb", "s1-l1"), Milestone(soft, "lb", "s1-l2", in_word=True, soft_hyphen=True),
        Milestone(hard, "lb", "s1-l3", in_word=True, soft_hyphen=True),
        Milestone(compound, "lb", "s1-l4", in_word=True)])
    zones = [Zone(f"s1-l{k}", 1, 10 * k, 30, 10 * k + 8) for k in range(1, 5)]
    return Document(SOURCE, "Lines", blocks=[block], pages=[Page("s1", 1, 1000, 1400, "p1.png", zones)])


def test_a_line_ending_inside_a_word_keeps_the_pages_hyphen(settings):
    data = build_tei(hyphenated_doc(), settings)
    assert validate_bytes(data, "lines.xml") == []
    p = parse(data).find(".//t:body/t:p", NS)
    # as the page shows it: each hyphen, then the line break, which is no space between words
    assert " ".join("".join(p.itertext()).split()) == \
        "the repatri- ation of Ruma- nians after the Sino- Japanese war"
    breaks = [(lb.get("break"), lb.get("type")) for lb in p.iter(f"{{{TEI_NS}}}lb")]
    assert breaks == [(None, None), ("no", "softHyphen"), ("no", "softHyphen"), ("no", None)]
    assert p.find("t:placeName", NS).find("t:lb", NS).get("facs") == "#s1-l3"  # the name holds its break


def test_the_reading_joins_a_word_broken_over_lines(settings):
    from pipeline.publish.plaintext import page_lines, plain_text
    from pipeline.tei import reading_text

    root = parse(build_tei(hyphenated_doc(), settings))
    joined = "the repatriation of Rumanians after the Sino-Japanese war"
    assert " ".join(reading_text(root.find(".//t:body/t:p", NS)).split()) == joined
    assert plain_text(root) == joined + "\n"
    # the line view shows each line as written, its hyphen included
    assert page_lines(root) == {"s1-l1": "the repatri-", "s1-l2": "ation of Ruma-", "s1-l3": "nians after the Sino-",
                                "s1-l4": "Japanese war"}


def test_the_site_shows_a_word_broken_over_lines_joined(settings):
    from types import SimpleNamespace

    from pipeline.publish.text import render_text

    root = parse(build_tei(hyphenated_doc(), settings))
    edition = SimpleNamespace(root=root, pages={}, entities=[], stem="doc")
    rendered = render_text(edition, "editions", lambda page: None)
    shown = " ".join("".join(etree.fromstring(rendered.html, etree.HTMLParser()).itertext()).split())
    assert "the repatriation of Rumanians after the Sino-Japanese war" in shown
    assert rendered.blocks[0][1] == "the repatriation of Rumanians after the Sino-Japanese war"  # searched as read


def test_a_numbered_bibliography_entry_keeps_its_number_in_its_text(settings):
    from pipeline.structure import structure

    text = "A review [1].\n\nReferences\n\n[1] Watt, Lori. When Empire Comes Home. Cambridge, MA: Harvard, 2009.\n"
    data = build_tei(structure(text, SOURCE), settings)
    assert validate_bytes(data, "review.xml") == []  # a listBibl holds no label
    bibl = parse(data).find(".//t:listBibl/t:bibl", NS)
    assert bibl.get("n") == "1" and "".join(bibl.itertext()).startswith("[1] Watt, Lori.")
