"""A scholar's edits of an edition, made as an editor would (in the file, with lxml), and checks that they are there.

The five edits of issue 13's acceptance test: italics, a note, a wrong tag
removed, a sic/corr correction, a name tagged by hand with a new standOff entry
(plus an editor in the header the note's @resp points to).
"""
from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from pipeline.tei import TEI_NS, XML_ID

NS = {"t": TEI_NS}
T = f"{{{TEI_NS}}}"
NOTE = "Checked against the original typescript."
HAND_PERSON = "person-kiyoshi-hand"
REMOVABLE = ("placeName", "orgName", "persName", "date", "num")


def _split_word(parent, attr: str, pattern: str):
    """(text before, word, text after) of the first match in parent.text or a child's tail."""
    value = getattr(parent, attr) or ""
    match = re.search(pattern, value)
    if not match:
        return None
    return value[:match.start(1)], match.group(1), value[match.end(1):]


def _wrap_first(body, pattern: str, make, skip=()) -> str:
    """Wrap the first word matching ``pattern`` in a paragraph's own text (not inside a name) with ``make(word)``."""
    for p in body.iter(f"{T}p"):
        if any(id(p) == id(s) for s in skip):
            continue
        for holder, attr in [(p, "text")] + [(child, "tail") for child in p]:
            found = _split_word(holder, attr, pattern)
            if not found:
                continue
            before, word, after = found
            el = make(word)
            setattr(holder, attr, before)
            if attr == "text":
                p.insert(0, el)
            else:
                holder.addnext(el)
            el.tail = after
            return word
    raise AssertionError(f"no word matching {pattern!r} to edit")


def make_scholar_edits(tei: Path) -> dict[str, str]:
    """Edit the TEI in place; returns what each edit changed (for ``assert_scholar_edits``)."""
    tree = etree.parse(str(tei))
    root = tree.getroot()
    body = root.find(".//t:body", NS)
    done: dict[str, str] = {}

    # an editor in the header, whom the note's @resp points to
    title_stmt = root.find(".//t:titleStmt", NS)
    editor = etree.SubElement(title_stmt, f"{T}editor")
    editor.set(XML_ID, "ed-scholar")
    editor.text = "K. Scholar"
    editor.tail, title_stmt[-2].tail = title_stmt[-2].tail, "\n    "

    # italics
    def hi(word):
        el = etree.Element(f"{T}hi", rend="italic")
        el.text = word
        return el
    done["italics"] = _wrap_first(body, r"\b([a-z]{7,})\b", hi)

    # a sic/corr correction: the text as the source has it, the editor's correction beside it
    def choice(word):
        el = etree.Element(f"{T}choice")
        etree.SubElement(el, f"{T}sic").text = word
        etree.SubElement(el, f"{T}corr", resp="#ed-scholar").text = word.upper()
        return el
    done["correction"] = _wrap_first(body, r"\b([a-z]{6})\b", choice)

    # a wrong tag removed: the first place name (or other name, date, figure) of the text loses its markup
    wrong = next(el for tag in REMOVABLE for el in body.iter(f"{T}{tag}"))
    words = "".join(wrong.itertext())
    parent, previous = wrong.getparent(), wrong.getprevious()
    keep = words + (wrong.tail or "")
    if previous is not None:
        previous.tail = (previous.tail or "") + keep
    else:
        parent.text = (parent.text or "") + keep
    parent.remove(wrong)
    done["removed"], done["removed_tag"] = words, etree.QName(wrong).localname
    done["removed_left"] = str(_tagged(body, done["removed_tag"], words))  # how many such tags with these words are left

    # a name tagged by hand, with its new register entry
    def pers(word):
        el = etree.Element(f"{T}persName", ref=f"#{HAND_PERSON}")
        el.text = word
        return el
    done["name"] = _wrap_first(body, r"(?<![\w-])([A-Z][a-z]{3,})(?![\w-])", pers)
    persons = _list_person(root)
    person = etree.SubElement(persons, f"{T}person")
    person.set(XML_ID, HAND_PERSON)
    etree.SubElement(person, f"{T}persName").text = done["name"]
    if len(persons) > 2:
        person.tail, persons[-2].tail = persons[-2].tail, persons[-3].tail

    # a note at the end of the last paragraph
    last = list(body.iter(f"{T}p"))[-1]
    note = etree.SubElement(last, f"{T}note", type="editorial", resp="#ed-scholar")
    note.text = NOTE
    done["note"] = NOTE

    tei.write_bytes(etree.tostring(tree, xml_declaration=True, encoding="UTF-8") + b"\n")
    return done


def assert_scholar_edits(tei: Path, done: dict[str, str]) -> None:
    root = etree.parse(str(tei)).getroot()
    body = root.find(".//t:body", NS)
    assert any("".join(h.itertext()) == done["italics"] and h.get("rend") == "italic"
               for h in body.iter(f"{T}hi")), "italics lost"
    assert any(c.findtext("t:sic", namespaces=NS) == done["correction"]
               and c.findtext("t:corr", namespaces=NS) == done["correction"].upper()
               for c in body.iter(f"{T}choice")), "sic/corr correction lost"
    assert str(_tagged(body, done["removed_tag"], done["removed"])) == done["removed_left"], "the removed tag came back"
    hand = [p for p in body.iter(f"{T}persName") if p.get("ref") == f"#{HAND_PERSON}"]
    assert hand and "".join(hand[0].itertext()) == done["name"], "hand-tagged name lost"
    entry = next((p for p in root.iterfind(".//t:standOff/t:listPerson/t:person", NS) if p.get(XML_ID) == HAND_PERSON), None)
    assert entry is not None and entry.findtext("t:persName", namespaces=NS) == done["name"], "standOff entry lost"
    assert any(n.text == NOTE and n.get("resp") == "#ed-scholar" for n in body.iter(f"{T}note")), "note lost"
    assert any(e.get(XML_ID) == "ed-scholar" for e in root.iterfind(".//t:titleStmt/t:editor", NS)), "editor lost"


def _tagged(body, tag: str, words: str) -> int:
    return sum("".join(el.itertext()) == words for el in body.iter(f"{T}{tag}"))


def _list_person(root):
    """The standOff's listPerson, made (with the standOff) where the edition has none."""
    standoff = root.find("t:standOff", NS)
    if standoff is None:
        standoff = etree.Element(f"{T}standOff")
        root.find("t:text", NS).addprevious(standoff)
        standoff.text, standoff.tail = "\n  ", "\n "
    persons = standoff.find("t:listPerson", NS)
    if persons is None:
        persons = etree.Element(f"{T}listPerson")
        standoff.insert(0, persons)
        persons.text, persons.tail = "\n   ", "\n  "
    return persons
