"""evaluate agrees with the reference scorer (tests/fixtures/reference/score.py) and gates on thresholds."""
import importlib.util
import json
import shutil
from pathlib import Path

import pytest

from pipeline.annotate import annotate
from pipeline.cli import main
from pipeline.evaluate import format_table, score
from pipeline.ingest import identify, read_text_source
from pipeline.structure import structure
from pipeline.tei import build_tei

REPO = Path(__file__).resolve().parent.parent
GOLD = REPO / "tests" / "gold"
REFERENCE_SCORER = REPO / "tests" / "fixtures" / "reference" / "score.py"


@pytest.fixture(scope="module")
def tei_dir(tmp_path_factory):
    """TEI editions of the samples, made by the real stages."""
    from pipeline.config import Settings

    out = tmp_path_factory.mktemp("tei")
    settings = Settings(edition_date="2026-01-15")
    for path in sorted((REPO / "inputs").glob("*.txt")):
        source = identify(path, settings)
        doc = structure(read_text_source(source).text, source)
        annotate(doc, settings)
        (out / f"{source.stem}.xml").write_bytes(build_tei(doc, settings))
    return out


@pytest.fixture(scope="module")
def reference():
    spec = importlib.util.spec_from_file_location("reference_score", REFERENCE_SCORER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def altered_gold(tmp_path_factory):
    """The gold with lines dropped, texts cut and normalizations changed, so scores are not all 1."""
    out = tmp_path_factory.mktemp("gold")
    for path in sorted(GOLD.glob("*.tsv")):
        lines = []
        for i, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
            kind, text, norm = (line.split("\t") + ["", ""])[:3]
            if i % 7 == 3:
                continue
            if i % 11 == 5:
                text = text.split()[0]  # a boundary slip: lenient only
            if i % 5 == 1 and "=" in norm:
                norm = norm.replace("1", "2")
            lines.append(f"{kind}\t{text}\t{norm}")
        (out / path.name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out


def test_agrees_with_score_py_on_the_gold(tei_dir, reference):
    assert score(tei_dir, GOLD) == reference.score(str(tei_dir), str(GOLD))


def test_agrees_with_score_py_when_scores_are_imperfect(tei_dir, reference, altered_gold, tmp_path):
    partial = tmp_path / "tei"
    partial.mkdir()
    for p in sorted(tei_dir.glob("*.xml"))[:2]:  # one edition missing
        shutil.copy(p, partial / p.name)
    ours = score(partial, altered_gold)
    assert ours == reference.score(str(partial), str(altered_gold))
    assert ours["missing"] and ours["groups"]["names"]["strict_f1"] < ours["groups"]["names"]["lenient_f1"] < 1
    assert ours["groups"]["dates"]["norm_acc"] < 1


def test_table_and_json_output(tei_dir, capsys):
    assert main(["evaluate", "--gold", str(GOLD), str(tei_dir)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split() == ["gold", "pred", "P", "R", "F1", "lenF1", "norm"]
    assert out == format_table(score(tei_dir, GOLD))
    assert main(["evaluate", "--gold", str(GOLD), str(tei_dir), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["groups"].keys() == {"names", "dates", "figures"}


def test_min_f1_gates(tei_dir, altered_gold, capsys):
    assert main(["evaluate", "--gold", str(GOLD), str(tei_dir), "--min-f1", "names=0.9",
                          "--min-f1", "figures=0.95"]) == 0
    assert main(["evaluate", "--gold", str(altered_gold), str(tei_dir), "--min-f1", "names=0.99"]) == 1
    assert "names: strict F1" in capsys.readouterr().err


@pytest.mark.parametrize("args,message", [
    (["--gold", "/nonexistent", "."], "gold folder not found"),
    (["--gold", ".", "/nonexistent"], "TEI folder not found"),
    (["--min-f1", "names=2", "--gold", ".", "."], "outside 0..1"),
    (["--min-f1", "people=0.5", "--gold", ".", "."], "GROUP one of names, dates, figures"),
    (["."], "--gold"),
])
def test_usage_errors_exit_2(args, message, capsys):
    assert main(["evaluate", *args]) == 2
    assert message in capsys.readouterr().err
