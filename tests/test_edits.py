"""Hand-edited editions through every kind of re-run (make_edition, without Prefect):
a plain re-run, --force, a changed setting, a changed source, a newer pipeline; conflicts; --discard-edits;
a kill in the middle of writing the merge."""
import json
import os
import shutil
import subprocess
import sys

import pytest

import pipeline.edition as edition
from pipeline.fsutil import remove_stale_temp_files
from pipeline.edition import base_path, conflicts_dir, make_edition, state_path, tei_path
from pipeline.validate import validate_file
from tests.conftest import REPO, SAMPLES
from tests.support.edits import assert_scholar_edits, make_scholar_edits

SAMPLE = "002_337df533c3dec025.txt"


@pytest.fixture
def edited(tmp_path, settings):
    """An edition made once, then edited by a scholar: (source, out, tei, what the edits changed)."""
    source = tmp_path / "in" / SAMPLE
    source.parent.mkdir()
    shutil.copy(SAMPLES / SAMPLE, source)
    out = tmp_path / "out"
    assert make_edition(source, out, settings).status == "ok"
    tei = tei_path(out, source.stem)
    done = make_scholar_edits(tei)
    assert validate_file(tei) == [], validate_file(tei)
    return source, out, tei, done


def test_a_plain_rerun_keeps_the_edited_file_validates_and_counts_it(edited, settings):
    source, out, tei, done = edited
    before = tei.read_bytes()
    outcome = make_edition(source, out, settings)
    assert outcome.status == "unchanged" and outcome.edits["status"] == "kept"
    assert outcome.edits["places"] >= 5
    assert tei.read_bytes() == before
    assert outcome.counts["persons"] == json.loads(state_path(out, source.stem).read_text())["counts"]["persons"] + 1


def test_an_invalid_edit_fails_with_its_line_and_the_file_stays(edited, settings):
    source, out, tei, _ = edited
    broken = tei.read_text(encoding="utf-8").replace("<hi ", "<b ", 1).replace("</hi>", "</b>", 1)
    tei.write_text(broken, encoding="utf-8")
    outcome = make_edition(source, out, settings)
    assert outcome.status == "failed" and outcome.stage == "validate"
    line = next(i for i, text in enumerate(broken.splitlines(), 1) if "<b " in text)
    assert f"tei/{source.stem}.xml:{line}:" in outcome.error and "<b> is not allowed here" in outcome.error
    assert tei.read_text(encoding="utf-8") == broken


def test_force_keeps_every_edit_byte_for_byte(edited, settings):
    source, out, tei, done = edited
    before = tei.read_bytes()
    outcome = make_edition(source, out, settings, force=True)
    assert outcome.status == "ok" and outcome.edits["status"] == "merged"
    assert tei.read_bytes() == before  # the new output is the old one: nothing to merge into


@pytest.mark.parametrize("change", ["setting", "source", "pipeline version"])
def test_a_remade_edition_carries_every_edit(edited, settings, change, monkeypatch):
    source, out, tei, done = edited
    if change == "setting":
        settings = settings.replace(publisher="Another Archive", edition_date="2026-03-01")
    elif change == "source":
        source.write_text(source.read_text(encoding="utf-8") + "\nA paragraph added to the source at Maizuru.\n",
                          encoding="utf-8")
    else:
        monkeypatch.setattr(edition, "__version__", "99.0")
        monkeypatch.setattr("pipeline.tei.__version__", "99.0")
    outcome = make_edition(source, out, settings)
    assert outcome.status == "ok", outcome.error
    assert outcome.edits["status"] == "merged" and outcome.edits["places"] >= 5
    assert validate_file(tei) == []
    assert_scholar_edits(tei, done)
    text = tei.read_text(encoding="utf-8")
    assert 'type="hand-edits"' in text  # the header records the carried edits
    if change == "setting":
        assert "<publisher>Another Archive</publisher>" in text and 'when="2026-03-01"' in text
    elif change == "source":
        assert "A paragraph added to the source at" in text
    else:
        assert 'ident="archive-pipeline" version="99.0"' in text
    # the state now holds the new pipeline output, and a plain re-run keeps the merged file
    assert b'type="hand-edits"' not in base_path(out, source.stem).read_bytes()
    merged = tei.read_bytes()
    again = make_edition(source, out, settings)
    assert again.status == "unchanged" and again.edits["status"] == "kept" and tei.read_bytes() == merged


def conflicting_setup(edited, settings):
    source, out, tei, _ = edited
    text = tei.read_text(encoding="utf-8").replace("<publisher>Archive Digitization Project</publisher>",
                                                    "<publisher>Scholar Press</publisher>")
    tei.write_text(text, encoding="utf-8")
    return source, out, tei, settings.replace(publisher="Another Archive")


def test_a_conflict_keeps_the_edited_file_sets_the_versions_aside_and_is_reported(edited, settings):
    source, out, tei, changed = conflicting_setup(edited, settings)
    before = tei.read_bytes()
    base_before = base_path(out, source.stem).read_bytes()
    outcome = make_edition(source, out, changed)
    assert outcome.status == "failed" and outcome.stage == "merge"
    assert tei.read_bytes() == before  # untouched
    conflict = outcome.edits["conflicts"][0]
    line = next(i for i, t in enumerate(before.decode().splitlines(), 1) if "Scholar Press" in t)
    assert conflict["line"] == line and "Scholar Press" in conflict["edited"] and "Another Archive" in conflict["new"]
    assert f"line {line}" in outcome.error and "conflicts/" in outcome.error
    aside = conflicts_dir(out, source.stem)
    assert (aside / "edited.xml").read_bytes() == before
    assert (aside / "base.xml").read_bytes() == base_before
    assert b"Another Archive" in (aside / "new.xml").read_bytes()
    assert "Scholar Press" in (aside / "CONFLICTS.txt").read_text()
    assert base_path(out, source.stem).read_bytes() == base_before  # the next run merges again
    assert make_edition(source, out, changed).stage == "merge"
    # resolved by hand: the editor keeps their publisher and deletes the conflicts folder
    shutil.rmtree(aside)
    resolved = make_edition(source, out, changed)
    assert resolved.status == "ok" and resolved.edits["status"] == "resolved"
    assert tei.read_bytes() == before
    assert b"Another Archive" in base_path(out, source.stem).read_bytes()
    assert make_edition(source, out, changed).status == "unchanged"


def test_discard_edits_drops_them_and_keeps_a_copy(edited, settings):
    source, out, tei, _ = edited
    edited_bytes = tei.read_bytes()
    outcome = make_edition(source, out, settings, discard_edits=True)
    assert outcome.edits["status"] == "discarded"
    assert tei.read_bytes() == base_path(out, source.stem).read_bytes()
    assert (out / ".state" / f"{source.stem}.discarded.xml").read_bytes() == edited_bytes
    shutil.copy(out / ".state" / f"{source.stem}.discarded.xml", tei)
    remade = make_edition(source, out, settings.replace(publisher="Another Archive"), discard_edits=True)
    assert remade.status == "ok" and remade.edits["status"] == "discarded"
    assert b"K. Scholar" not in tei.read_bytes() and b"Another Archive" in tei.read_bytes()


def test_an_unedited_edition_has_no_edits_and_is_remade_as_before(tmp_path, settings):
    source = SAMPLES / SAMPLE
    out = tmp_path / "out"
    first = make_edition(source, out, settings)
    assert first.edits is None and base_path(out, source.stem).read_bytes() == tei_path(out, source.stem).read_bytes()
    second = make_edition(source, out, settings.replace(publisher="Another Archive"))
    assert second.status == "ok" and second.edits is None
    assert b"Another Archive" in tei_path(out, source.stem).read_bytes()
    assert (out / "schemas" / "tei_pipeline.rng").is_file()  # what the xml-model declarations point to


KILLER = """
import os, signal, sys
from pathlib import Path
import pipeline.fsutil as fsutil
from pipeline.config import Settings
from pipeline.edition import make_edition
real = os.replace
def replace(src, dst):
    if Path(dst).name == sys.argv[3] and Path(dst).parent.name == "tei":
        os.kill(os.getpid(), signal.SIGKILL)  # the merged file is written out, not yet renamed over the edit
    return real(src, dst)
fsutil.os.replace = replace
make_edition(Path(sys.argv[1]), Path(sys.argv[2]), Settings(edition_date="2026-01-15", publisher="Another Archive"))
"""


def test_a_kill_in_the_middle_of_the_merge_leaves_the_edited_file_intact(edited, settings):
    source, out, tei, done = edited
    before = tei.read_bytes()
    killed = subprocess.run([sys.executable, "-c", KILLER, str(source), str(out), tei.name], cwd=REPO,
                            capture_output=True, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert killed.returncode == -9, killed.stderr.decode()
    assert tei.read_bytes() == before
    # what the kill left is a hidden temporary file, which the next run removes before it starts
    assert [p.name for p in tei.parent.iterdir() if not p.name.startswith(".")] == [tei.name]
    assert remove_stale_temp_files(out) >= 1
    outcome = make_edition(source, out, settings.replace(publisher="Another Archive"))
    assert outcome.status == "ok" and outcome.edits["status"] == "merged"
    assert_scholar_edits(tei, done)
