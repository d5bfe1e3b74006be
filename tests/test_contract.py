"""The command line's contract on a user's slips: exit 2 with a message, never a traceback;
outputs readable under the umask; withdrawn, renamed and duplicated sources."""
import json
import os
import shutil
import stat

import pytest

from pipeline import __version__
from pipeline.annotate.register import RegisterError
from pipeline.cli import main
from pipeline.config import Settings, load_settings
from pipeline.errors import PipelineError, UsageError
from pipeline.fsutil import temp_dir, write_atomic, write_zip


def run(inbox, out, *extra):
    return main(["run", str(inbox), "--out", str(out), "--date", "2026-01-15", *extra])


# --- settings: checked from their declarations, before any work --------------------------

def config(tmp_path, body: str):
    path = tmp_path / "pipeline.toml"
    path.write_text(body, encoding="utf-8")
    return path


def test_a_toml_date_is_a_date(tmp_path):
    assert load_settings(config(tmp_path, "edition_date = 2026-01-15\n")).edition_date == "2026-01-15"


@pytest.mark.parametrize("body,expected", [
    ('workers = "two"', "setting workers = 'two': expected a valid integer"),
    ("workers = -1", "setting workers = -1: expected greater than or equal to 0"),
    ('unclear_below = "high"', "setting unclear_below = 'high': expected a valid number"),
    ("unclear_below = 1.5", "expected less than or equal to 1"),
    ("edition_date = 2026-01-15T10:00:00", "a date without a time of day is expected"),
    ('edition_date = "15/01/2026"', "an ISO 8601 date (YYYY-MM-DD) is expected"),
    ('ocr_languages = "eng, rus"', "Tesseract language codes joined by '+'"),
    ("ocr_correct = 1", "setting ocr_correct = 1: expected a valid boolean"),
])
def test_a_bad_setting_names_the_setting_the_value_and_what_is_expected(tmp_path, body, expected):
    with pytest.raises(UsageError) as err:
        load_settings(config(tmp_path, body))
    assert expected in str(err.value) and str(tmp_path / "pipeline.toml") in str(err.value)


@pytest.mark.parametrize("option,value,expected", [
    ("--workers", "-1", "--workers = -1: expected greater than or equal to 0"),
    ("--date", "2026-99-99", "--date = '2026-99-99': an ISO 8601 date"),
    ("--lang", "eng rus", "--lang = 'eng rus'"),
])
def test_a_bad_option_exits_2_before_any_work(tmp_path, inbox, capsys, option, value, expected):
    out = tmp_path / "out"
    assert main(["run", str(inbox), "--out", str(out), option, value]) == 2
    err = capsys.readouterr().err
    assert expected in err and "Traceback" not in err
    assert not out.exists()


def test_a_bad_config_file_exits_2_without_a_traceback(tmp_path, inbox, capsys):
    path = config(tmp_path, 'workers = "two"\n')
    assert main(["run", str(inbox), "--out", str(tmp_path / "out"), "--config", str(path)]) == 2
    err = capsys.readouterr().err
    assert "setting workers = 'two'" in err and "Traceback" not in err


def test_settings_made_in_code_are_checked_too():
    with pytest.raises(ValueError, match="pdf_dpi"):
        Settings(pdf_dpi=0)
    with pytest.raises(ValueError, match="edition_date"):
        Settings().replace(edition_date="yesterday")


# --- messages ------------------------------------------------------------------------------

def test_a_file_given_as_the_input_folder_is_told_so(tmp_path, sample_texts, capsys):
    assert main(["run", str(sample_texts[0]), "--out", str(tmp_path / "out")]) == 2
    assert "is a file, not a folder" in capsys.readouterr().err


def test_validate_of_a_missing_file_is_a_usage_error(tmp_path, capsys):
    assert main(["validate", str(tmp_path / "missing.xml"), "--format", "github"]) == 2
    captured = capsys.readouterr()
    assert "not a file" in captured.err and "line=0" not in captured.out


def test_version_names_the_program(capsys):
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"archive-pipeline {__version__}"


def test_a_malformed_register_is_a_usage_error():
    assert issubclass(RegisterError, PipelineError) and issubclass(RegisterError, UsageError)


def test_a_damaged_image_is_not_told_to_get_an_extension(tmp_path, settings):
    from pipeline.edition import make_edition

    damaged = tmp_path / "scan.png"
    damaged.write_bytes(b"\x00\x01garbage" + bytes(range(256)) * 8)
    outcome = make_edition(damaged, tmp_path / "out", settings)
    assert outcome.status == "failed"
    assert "named .png but not a PNG file" in outcome.error and "extension" not in outcome.error


# --- file modes follow the umask -------------------------------------------------------------

@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_atomic_writes_have_the_mode_a_plain_write_would_have(tmp_path, umask_022):
    write_atomic(tmp_path / "a.txt", "x")
    write_zip(tmp_path / "a.zip", [("a.txt", tmp_path / "a.txt")], "2026-01-15")
    assert mode(tmp_path / "a.txt") == mode(tmp_path / "a.zip") == 0o644
    assert mode(temp_dir(tmp_path, "d")) == 0o755
    os.umask(0o077)
    write_atomic(tmp_path / "private.txt", "x")
    assert mode(tmp_path / "private.txt") == 0o600


def test_a_run_writes_readable_files_under_umask_022(prefect_harness, inbox, tmp_path, umask_022):
    out = tmp_path / "out"
    assert run(inbox, out) == 0
    for path in [out / "report.json", out / "unregistered-names.csv", *(out / "tei").iterdir()]:
        assert mode(path) == 0o644, path
    for folder in [out / "tei", out / "deposit", out / "site"]:
        assert mode(folder) == 0o755, folder


# --- withdrawn, renamed and duplicated sources ----------------------------------------------------

def report(out):
    return {s["source"]: s for s in json.loads((out / "report.json").read_text())["sources"]}


def test_withdrawn_renamed_and_duplicate_sources(prefect_harness, inbox, tmp_path, capsys):
    out = tmp_path / "out"
    assert run(inbox, out) == 0
    gone, moved, kept = sorted(inbox.iterdir())
    gone.unlink()
    moved.rename(inbox / "renamed.txt")
    shutil.copy(kept, inbox / "zz-copy.txt")
    assert run(inbox, out) == 0
    entries = report(out)
    assert entries[gone.name]["status"] == "withdrawn" and "--prune" in entries[gone.name]["error"]
    assert entries[moved.name]["status"] == "withdrawn"
    assert "its content is now renamed.txt" in entries[moved.name]["error"]
    assert entries["renamed.txt"]["status"] == "ok"
    assert entries[kept.name]["status"] == "unchanged"
    assert entries["zz-copy.txt"]["status"] == "duplicate" and kept.name in entries["zz-copy.txt"]["error"]
    assert not (out / "tei" / "zz-copy.xml").exists()
    # kept, but nothing stale passes for current: the site publishes only current editions
    assert (out / "tei" / f"{gone.stem}.xml").is_file() and (out / "deposit" / gone.stem).is_dir()
    site = sorted(p.stem for p in (out / "site" / "editions").iterdir())
    assert site == sorted(["renamed", kept.stem])
    index = (out / "site" / "index.html").read_text()
    assert "withdrawn" in index and "duplicate" in index
    assert "2 withdrawn" in capsys.readouterr().err

    assert run(inbox, out, "--prune") == 0
    for stem in (gone.stem, moved.stem):
        assert not (out / "tei" / f"{stem}.xml").exists()
        assert not (out / "deposit" / stem).exists() and not (out / ".state" / f"{stem}.json").exists()
    assert "were removed (--prune)" in report(out)[gone.name]["error"]
    assert run(inbox, out) == 0
    assert {s["status"] for s in report(out).values()} == {"unchanged", "duplicate"}


# --- the archive's registers ------------------------------------------------------------------

def statuses(out):
    return {s["status"] for s in report(out).values()}


def test_a_register_edit_redoes_the_editions_on_the_next_run(prefect_harness, inbox, tmp_path):
    out = tmp_path / "out"
    own = tmp_path / "ours.tsv"
    own.write_text("name\ttype\nGrand Total\tnone\n", encoding="utf-8")
    settings = config(tmp_path, 'registers = ["ours.tsv"]\n')
    assert run(inbox, out, "--config", str(settings)) == 0 and statuses(out) == {"ok"}
    assert run(inbox, out, "--config", str(settings)) == 0 and statuses(out) == {"unchanged"}
    own.write_text("name\ttype\nGrand Total\tnone\nTomarioru\tplace\n", encoding="utf-8")
    assert run(inbox, out, "--config", str(settings)) == 0 and statuses(out) == {"ok"}


def test_a_malformed_register_line_exits_2_naming_file_and_line(tmp_path, inbox, capsys):
    (tmp_path / "ours.tsv").write_text("Tomari\tplace\nGeneral Tojo\tperson\n", encoding="utf-8")
    settings = config(tmp_path, 'registers = ["ours.tsv"]\n')
    assert main(["run", str(inbox), "--out", str(tmp_path / "out"), "--config", str(settings)]) == 2
    err = capsys.readouterr().err
    assert f"{tmp_path / 'ours.tsv'}:2: 'General Tojo' begins with a title" in err and "Traceback" not in err


def test_prune_keeps_a_withdrawn_editions_hand_edits(tmp_path, sample_texts, settings):
    from pipeline.edition import make_edition
    from pipeline.inventory import withdrawn_editions

    out = tmp_path / "out"
    stems = [make_edition(p, out, settings).stem for p in sample_texts[:2]]
    tei = out / "tei" / f"{stems[0]}.xml"
    hand_edited = tei.read_text(encoding="utf-8").replace("Japan", "Nippon", 1)
    tei.write_text(hand_edited, encoding="utf-8")
    outcomes = withdrawn_editions(out, set(), {}, prune=True)
    assert [o.status for o in outcomes] == ["withdrawn", "withdrawn"]
    assert not any((out / "tei").iterdir())
    assert (out / "pruned" / f"{stems[0]}.xml").read_text(encoding="utf-8") == hand_edited
    assert not (out / "pruned" / f"{stems[1]}.xml").exists()  # an unedited edition is simply removed
    assert "hand-edited TEI is kept in pruned/" in outcomes[0].error
