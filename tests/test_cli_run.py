"""The run command end to end through the Prefect flow (one harness for the session)."""
import json
import os


from pipeline.cli import main, prefect_environment
from pipeline.validate import validate_file


def run(inbox, out, *extra):
    return main(["run", str(inbox), "--out", str(out), "--date", "2026-01-15", *extra])


def test_run_writes_tei_and_report(prefect_harness, inbox, tmp_path, capsys):
    out = tmp_path / "out"
    assert run(inbox, out) == 0
    report = json.loads((out / "report.json").read_text())
    assert [s["status"] for s in report["sources"]] == ["ok"] * 3
    assert report["summary"]["ok"] == 3 and report["summary"]["failed"] == 0
    for entry in report["sources"]:
        tei = out / "tei" / f"{entry['stem']}.xml"
        assert validate_file(tei) == []
        assert entry["counts"]["words"] > 100
    assert "[3/3]" in capsys.readouterr().err


def test_bad_sources_are_reported_and_the_run_goes_on(prefect_harness, inbox, tmp_path, capsys):
    (inbox / "empty.txt").write_bytes(b"")
    (inbox / "noise.txt").write_bytes(bytes(range(256)) * 40)
    (inbox / "000_e1d7d39ce82afc03.md").write_text("same stem as a sample")
    out = tmp_path / "out"
    assert run(inbox, out) == 1
    report = json.loads((out / "report.json").read_text())
    by_source = {s["source"]: s for s in report["sources"]}
    assert by_source["empty.txt"]["status"] == "failed" and "empty" in by_source["empty.txt"]["error"]
    assert by_source["noise.txt"]["status"] == "failed" and "not text" in by_source["noise.txt"]["error"]
    clash = [s for s in report["sources"] if s["stem"] == "000_e1d7d39ce82afc03"]
    assert sorted(s["status"] for s in clash) == ["failed", "ok"]
    assert "same stem" in next(s["error"] for s in clash if s["status"] == "failed")
    assert sum(s["status"] == "ok" for s in report["sources"]) == 3
    assert len(list((out / "tei").iterdir())) == 3
    assert "Traceback" not in capsys.readouterr().err


def test_unchanged_sources_are_skipped_and_force_redoes_them(prefect_harness, inbox, tmp_path):
    out = tmp_path / "out"
    assert run(inbox, out) == 0
    tei = next((out / "tei").iterdir())
    before = tei.stat().st_mtime_ns
    assert run(inbox, out) == 0
    assert {s["status"] for s in json.loads((out / "report.json").read_text())["sources"]} == {"unchanged"}
    assert tei.stat().st_mtime_ns == before
    assert run(inbox, out, "--force") == 0
    assert {s["status"] for s in json.loads((out / "report.json").read_text())["sources"]} == {"ok"}


def test_usage_errors_exit_2(tmp_path, capsys):
    assert main(["run", str(tmp_path / "missing"), "--out", str(tmp_path / "o")]) == 2
    assert "input folder not found" in capsys.readouterr().err
    assert main(["run", str(tmp_path)]) == 2
    assert "required: --out" in capsys.readouterr().err
    (tmp_path / "in").mkdir()
    (tmp_path / "bad.toml").write_text("colour = 'blue'\n")
    assert main(["run", str(tmp_path / "in"), "--out", str(tmp_path / "o"), "--config", str(tmp_path / "bad.toml")]) == 2
    assert "unknown setting" in capsys.readouterr().err


def test_the_temporary_server_is_given_time_for_a_first_start(monkeypatch, tmp_path):
    """Prefect's 20 s is too little for the temporary server's first start on a fresh machine; a value
    the user set stands."""
    key = "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"
    monkeypatch.delenv(key, raising=False)
    prefect_environment(tmp_path)
    assert int(os.environ[key]) >= 60
    monkeypatch.setenv(key, "300")
    prefect_environment(tmp_path)
    assert os.environ[key] == "300"
