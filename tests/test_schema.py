"""The customisation takes an editor's work and the pipeline's document structure, and stays inside tei_all."""
import gzip
import re

import pytest
from lxml import etree

from pipeline.validate import TEI_ALL_FILE, load_schema, schema_dir, validate_file
from tests.conftest import REPO, TEI_ALL

FIXTURES = REPO / "tests" / "fixtures" / "tei"
EDITORIAL = FIXTURES / "editorial.xml"
RNG = "{http://relaxng.org/ns/structure/1.0}"


def test_the_editorial_fixture_is_valid_here_and_against_tei_all(tei_all):
    assert validate_file(EDITORIAL) == []
    assert tei_all(EDITORIAL) == ""


def variants(tmp_path):
    """The fixture with each element of the text dropped in turn, and with each optional attribute removed:
    documents the customisation accepts in many more shapes, each checked against tei_all."""
    text = EDITORIAL.read_text(encoding="utf-8")
    made = []
    tree = etree.parse(str(EDITORIAL))
    body = tree.getroot().find(".//{http://www.tei-c.org/ns/1.0}body")
    elements = [el for el in body.iter() if isinstance(el.tag, str) and el is not body]
    for i, el in enumerate(elements):
        copy = etree.parse(str(EDITORIAL))
        victim = [e for e in copy.getroot().find(".//{http://www.tei-c.org/ns/1.0}body").iter()
                  if isinstance(e.tag, str)][i + 1]
        parent = victim.getparent()
        if victim.tail:
            previous = victim.getprevious()
            if previous is not None:
                previous.tail = (previous.tail or "") + victim.tail
            else:
                parent.text = (parent.text or "") + victim.tail
        parent.remove(victim)
        path = tmp_path / f"drop-{i}.xml"
        copy.write(str(path), xml_declaration=True, encoding="UTF-8")
        made.append(path)
    stripped = re.sub(r' (?:cert|resp|rend|type|place|n|reason|quantity|unit)="[^"]*"', "", text)
    path = tmp_path / "stripped.xml"
    path.write_text(stripped, encoding="utf-8")
    made.append(path)
    return made


def test_every_variant_the_customisation_accepts_is_valid_against_tei_all(tmp_path, tei_all):
    accepted = [p for p in variants(tmp_path) if not [f for f in validate_file(p) if f.rule == "relaxng"]]
    assert len(accepted) > 60
    assert tei_all(*accepted) == ""


def test_the_bundled_tei_all_is_the_one_the_tests_fetch():
    with gzip.open(schema_dir() / TEI_ALL_FILE) as f:
        assert f.read() == TEI_ALL.read_bytes()


@pytest.mark.parametrize("element", ["choice", "sic", "corr", "orig", "reg", "abbr", "expan", "note", "hi", "gap",
                                     "unclear", "supplied", "add", "del", "foreign", "rs", "ref", "fw", "pb", "table",
                                     "row", "cell", "list", "label", "item", "opener", "closer", "dateline", "salute",
                                     "signed", "address", "addrLine", "figure", "head", "figDesc", "ab", "seg", "lb",
                                     "editor", "respStmt", "change"])
def test_the_schema_defines_the_editing_and_structure_vocabulary(element):
    grammar = etree.parse(str(schema_dir() / "tei_pipeline.rng"))
    assert grammar.getroot().find(f".//{RNG}element[@name='{element}']") is not None


def test_tei_all_takes_tei_from_elsewhere_that_the_project_rules_reject(tmp_path):
    other = tmp_path / "letter.xml"
    other.write_text("""<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>A letter</title>
      </titleStmt><publicationStmt><p>Unpublished</p></publicationStmt><sourceDesc><p>A letter</p></sourceDesc>
      </fileDesc></teiHeader><text><body><div type="letter"><p>Dear <persName>Ann</persName>,</p>
      <lg><l>a line of verse</l></lg></div></body></text></TEI>""", encoding="utf-8")
    assert validate_file(other)  # the project's provenance rules and narrower grammar say no
    assert validate_file(other, load_schema("tei_all")) == []
