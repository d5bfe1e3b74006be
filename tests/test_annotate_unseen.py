"""Unseen-style documents written for these tests (tests/fixtures/unseen), scored like the gold.

The texts are new (an encyclopedia article, news, an official report with
numbered paragraphs and endnotes, OCR'd text with slips and hyphenation) and
their gold was written by ENCODING.md before the annotator ran on them; the
register holds none of their less known names. They guard the rule classes,
not single lines.
"""
from pathlib import Path

import pytest

from pipeline.annotate import annotate
from pipeline.config import Settings
from pipeline.evaluate import score
from pipeline.ingest import identify, read_text_source
from pipeline.structure import structure
from pipeline.tei import build_tei

UNSEEN = Path(__file__).resolve().parent / "fixtures" / "unseen"
TARGETS = {"names": 0.85, "dates": 0.9, "figures": 0.9}
NORM_TARGETS = {"dates": 0.95, "figures": 0.97}


def write_tei(corpus: Path, out: Path) -> None:
    settings = Settings(edition_date="2026-01-15")
    out.mkdir(parents=True, exist_ok=True)
    for path in sorted(corpus.glob("*.txt")):
        source = identify(path, settings)
        doc = structure(read_text_source(source).text, source)
        annotate(doc, settings)
        (out / f"{source.stem}.xml").write_bytes(build_tei(doc, settings))


@pytest.fixture(scope="module")
def scores(tmp_path_factory):
    out = tmp_path_factory.mktemp("unseen-tei")
    write_tei(UNSEEN / "corpus", out)
    result = score(out, UNSEEN / "gold")
    assert not result["missing"]
    return result["groups"]


@pytest.mark.parametrize("group", sorted(TARGETS))
def test_unseen_fixtures_reach_strict_f1(scores, group):
    assert scores[group]["strict_f1"] >= TARGETS[group], scores[group]


@pytest.mark.parametrize("group", sorted(NORM_TARGETS))
def test_unseen_fixtures_normalize(scores, group):
    assert scores[group]["norm_acc"] >= NORM_TARGETS[group], scores[group]


if __name__ == "__main__":  # print the scores: python -m tests.test_annotate_unseen
    import json
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        write_tei(UNSEEN / "corpus", Path(tmp))
        print(json.dumps(score(tmp, UNSEEN / "gold")["groups"], indent=1))
