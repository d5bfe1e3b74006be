"""The three-way merge of hand edits, on small TEI documents: every kind of edit, with the new output
changing elsewhere (merged) or at the same place (a conflict, nothing lost)."""
import pytest
from lxml import etree

from pipeline.edits import edited_places, merge, same_document
from pipeline.tei import TEI_NS

NS = {"t": TEI_NS}

BASE = """<?xml version='1.0' encoding='UTF-8'?>
<?xml-model href="../schemas/tei_pipeline.rng" type="application/xml" schematypens="http://relaxng.org/ns/structure/1.0"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:lang="en">
 <teiHeader>
  <fileDesc>
   <titleStmt>
    <title>Landing</title>
   </titleStmt>
   <publicationStmt>
    <publisher>Test Archive</publisher>
   </publicationStmt>
  </fileDesc>
  <revisionDesc>
   <change when="2026-01-15">ingest: test</change>
  </revisionDesc>
 </teiHeader>
 <text>
  <body>
   <p>General <persName ref="#person-douglas-macarthur">Douglas MacArthur</persName> landed in <placeName ref="#place-japan">Japan</placeName> on <date when="1945-08-30">August 30, 1945</date>.</p>
   <p>The infonnation reached <placeName ref="#place-tokyo">Tokyo</placeName> late in the evening of that day.</p>
   <p>The <orgName ref="#org-red-army">Red Army</orgName> waited.</p>
   <p>A third paragraph closes the text.</p>
  </body>
 </text>
</TEI>
"""


def edit(doc: str, *replacements: tuple[str, str]) -> str:
    for old, new in replacements:
        assert old in doc, old
        doc = doc.replace(old, new, 1)
    return doc


def merged(edited: str, new: str, base: str = BASE):
    result = merge(base.encode(), edited.encode(), new.encode(), "2026-02-01")
    assert not result.conflicts, result.conflicts
    return result.data.decode()


# the new output changes the header and the last paragraph; the edits are elsewhere
NEW = edit(BASE, ("Test Archive", "Another Archive"), ("closes the text", "ends the text"))

EDITS = {
    "corrected word": (("The infonnation", "The <choice><sic>infonnation</sic><corr>information</corr></choice>"),
                       "<corr>information</corr>"),
    "tag added": (("late in the evening", "late in the <hi rend=\"italic\">evening</hi>"), '<hi rend="italic">evening</hi>'),
    "tag removed": (('<placeName ref="#place-japan">Japan</placeName>', "Japan"), "landed in Japan on"),
    "tag retyped": (('<placeName ref="#place-tokyo">Tokyo</placeName>', '<orgName ref="#place-tokyo">Tokyo</orgName>'),
                    '<orgName ref="#place-tokyo">Tokyo</orgName>'),
    "tag moved": (('General <persName ref="#person-douglas-macarthur">Douglas MacArthur</persName>',
                   '<persName ref="#person-douglas-macarthur">General Douglas MacArthur</persName>'),
                  '<persName ref="#person-douglas-macarthur">General Douglas MacArthur</persName>'),
    "changed @ref": (('ref="#org-red-army"', 'ref="#org-soviet-army"'), 'ref="#org-soviet-army"'),
    "attribute added": (('<date when="1945-08-30">', '<date when="1945-08-30" cert="high">'), 'cert="high"'),
    "note": (("of that day.", "of that day.<note type=\"editorial\">Checked against the carbon copy.</note>"),
             "<note type=\"editorial\">Checked against the carbon copy.</note>"),
    "header change": (("<title>Landing</title>", "<title>Landing</title>\n    <editor xml:id=\"ed\">K. Scholar</editor>"),
                      '<editor xml:id="ed">K. Scholar</editor>'),
    "paragraph added": (("<p>A third", "<p>An editor's paragraph.</p>\n   <p>A third"), "<p>An editor's paragraph.</p>"),
}


@pytest.mark.parametrize("kind", sorted(EDITS))
def test_each_kind_of_edit_is_carried_into_a_new_output(kind):
    replacement, expected = EDITS[kind]
    result = merged(edit(BASE, replacement), NEW)
    assert expected in result
    assert "Another Archive" in result and "ends the text" in result  # the new output's changes too
    etree.fromstring(result.encode())
    assert 'type="hand-edits" when="2026-02-01"' in result  # the header records the carried edits


def test_all_edits_at_once_are_carried():
    edited = edit(BASE, *(replacement for replacement, _ in EDITS.values()))
    result = merged(edited, NEW)
    for _, expected in EDITS.values():
        assert expected in result
    assert "ends the text" in result and "Another Archive" in result


def test_a_new_output_that_changed_nothing_keeps_the_edited_file_byte_for_byte():
    edited = edit(BASE, EDITS["note"][0])
    result = merge(BASE.encode(), edited.encode(), BASE.encode(), "2026-02-01")
    assert result.data == edited.encode() and result.carried == 1


def test_edits_next_to_changes_of_the_new_output_merge_finely():
    # the same paragraph: the editor corrects one word, the new output tags another
    edited = edit(BASE, ("The infonnation", "The information"))
    new = edit(BASE, ("late in the evening", "late in the <date>evening</date>"))
    result = merged(edited, new)
    assert "The information reached" in result and "<date>evening</date>" in result


def test_attributes_changed_apart_on_one_tag_merge():
    edited = edit(BASE, ('<persName ref="#person-douglas-macarthur">', '<persName ref="#person-dm">'))
    new = edit(BASE, ('<persName ref="#person-douglas-macarthur">', '<persName ref="#person-douglas-macarthur" type="military">'))
    result = merged(edited, new)
    tag = etree.fromstring(result.encode()).find(".//t:persName", NS)
    assert tag.get("ref") == "#person-dm" and tag.get("type") == "military"


@pytest.mark.parametrize("edited_change, new_change", [
    (("The infonnation", "The information"), ("The infonnation", "The infonnatlon")),  # one word, two readings
    (('ref="#place-tokyo"', 'ref="#place-edo"'), ('ref="#place-tokyo"', 'ref="#place-tokyo-to"')),  # one attribute
    (("Test Archive", "Scholar Press"), ("Test Archive", "Another Archive")),  # one header field
    (('<placeName ref="#place-japan">Japan</placeName>', "Japan"), ("Japan</placeName>", "Japan (Honshu)</placeName>")),
])
def test_changes_of_one_place_on_both_sides_conflict_and_lose_nothing(edited_change, new_change):
    edited, new = edit(BASE, edited_change), edit(BASE, new_change)
    result = merge(BASE.encode(), edited.encode(), new.encode(), "2026-02-01")
    assert result.data is None and len(result.conflicts) == 1
    conflict = result.conflicts[0]
    line = next(i for i, text in enumerate(edited.splitlines(), 1) if edited_change[1] in text)
    assert conflict.line == line
    assert conflict.edited and conflict.new and conflict.edited != conflict.new
    assert str(line) in str(conflict)


def test_the_same_change_on_both_sides_is_no_conflict():
    change = ("The infonnation", "The information")
    result = merge(BASE.encode(), edit(BASE, change).encode(), edit(BASE, change, ("closes", "ends")).encode())
    assert not result.conflicts and "The information" in result.data.decode() and "ends the text" in result.data.decode()


def test_reserializing_is_not_an_edit():
    reserialized = etree.tostring(etree.fromstring(BASE.encode()).getroottree(), xml_declaration=True,
                                  encoding="UTF-8").decode().replace('<date when="1945-08-30">', "<date  when='1945-08-30' >")
    assert same_document(BASE.encode(), reserialized.encode())
    assert not same_document(BASE.encode(), edit(BASE, ("closes", "ends")).encode())
    assert edited_places(BASE.encode(), edit(BASE, ("closes", "ends"), ("Tokyo<", "Edo<")).encode()) == 2


def test_merging_twice_records_the_carried_edits_once():
    edited = edit(BASE, EDITS["note"][0])
    once = merged(edited, NEW)
    twice = merged(once, NEW, base=BASE)  # a rerun after a kill between writing the TEI and the state
    assert twice.count('type="hand-edits"') == 1
    assert twice.count("Checked against the carbon copy") == 1


def test_a_paragraph_the_new_output_adds_beside_an_edit_does_not_meet_it():
    # a note at the end of the last paragraph; the new output appends a paragraph after it
    edited = edit(BASE, ("closes the text.</p>", "closes the text.<note>An editor's note.</note></p>"))
    new = edit(BASE, ("closes the text.</p>", "closes the text.</p>\n   <p>A paragraph added to the source.</p>"))
    result = merged(edited, new)
    assert "closes the text.<note>An editor's note.</note></p>\n   <p>A paragraph added to the source.</p>" in result
    # a name tagged at the start of the first paragraph; the new output inserts a paragraph before it
    edited = edit(BASE, ("<p>General ", "<p><persName>General</persName> "))
    new = edit(BASE, ("<p>General ", "<p>A paragraph added to the source.</p>\n   <p>General "))
    result = merged(edited, new)
    assert "<p>A paragraph added to the source.</p>\n   <p><persName>General</persName> " in result
