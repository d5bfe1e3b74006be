"""The samples in inputs/: golden TEI, words kept in order, valid against tei_all too."""
import os
import re

import pytest
from lxml import etree

from tests.conftest import REPO
from pipeline.edition import make_edition
from pipeline.tei import TEI_NS

GOLDEN = REPO / "tests" / "golden"
WORD = re.compile(r"\w+")
# Tool versions differ between machines; everything else must match byte for byte.
VERSIONS = re.compile(rb'(<application ident="(?!archive-pipeline)[^"]+" version=")[^"]+"')


@pytest.fixture(scope="module")
def editions(tmp_path_factory, sample_texts):
    from pipeline.config import Settings

    out = tmp_path_factory.mktemp("out")
    outcomes = [make_edition(p, out, Settings(edition_date="2026-01-15")) for p in sample_texts]
    assert all(o.status == "ok" for o in outcomes), [o.error for o in outcomes]
    return {p: out / "tei" / f"{o.stem}.xml" for p, o in zip(sample_texts, outcomes)}


def test_golden_tei(editions):
    """Regenerate after an intended change: UPDATE_GOLDEN=1 pytest tests/test_samples.py"""
    for source, tei in editions.items():
        golden = GOLDEN / tei.name
        actual = VERSIONS.sub(rb'\1*"', tei.read_bytes())
        if os.environ.get("UPDATE_GOLDEN"):
            golden.parent.mkdir(exist_ok=True)
            golden.write_bytes(actual)
        assert actual == golden.read_bytes(), f"{tei.name} differs from {golden}"


def test_words_kept_in_order(editions):
    for source, tei in editions.items():
        text = etree.parse(str(tei)).find(f"{{{TEI_NS}}}text")
        assert WORD.findall(" ".join(text.itertext())) == WORD.findall(source.read_text(encoding="utf-8"))


def test_valid_against_tei_all(editions, tei_all):
    assert tei_all(*editions.values()) == ""
