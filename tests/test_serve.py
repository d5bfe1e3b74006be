"""Scheduled ingestion: interval parsing, the inbox deployment, and one of its runs."""
import json
from datetime import timedelta
from types import SimpleNamespace

import pytest

from pipeline.cli import main, parse_interval
from pipeline.config import Settings


@pytest.mark.parametrize("text, expected", [
    ("30s", timedelta(seconds=30)), ("5m", timedelta(minutes=5)), ("1h", timedelta(hours=1)),
    ("1h30m", timedelta(minutes=90)), ("2d", timedelta(days=2)), (" 10M ", timedelta(minutes=10)),
])
def test_intervals(text, expected):
    assert parse_interval(text) == expected


@pytest.mark.parametrize("text", ["", "5", "m", "5q", "0s", "-5m", "5 m", "1.5h", "m5"])
def test_bad_intervals_exit_2(text, tmp_path, capsys):
    assert main(["serve", "--inbox", str(tmp_path), "--out", str(tmp_path / "o"), f"--interval={text}"]) == 2
    assert "invalid interval" in capsys.readouterr().err


def test_serve_needs_a_prefect_server(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("pipeline.flows.get_current_settings", lambda: SimpleNamespace(api=SimpleNamespace(url=None)))
    (tmp_path / "inbox").mkdir()
    assert main(["serve", "--inbox", str(tmp_path / "inbox"), "--out", str(tmp_path / "out")]) == 2
    assert "make server" in capsys.readouterr().err


def test_inbox_deployment_runs_the_flow_over_the_inbox_on_its_schedule(prefect_harness, tmp_path, sample_texts):
    from pipeline.flows import inbox_deployment, scheduled_ingest

    inbox, out = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    (inbox / sample_texts[0].name).write_bytes(sample_texts[0].read_bytes())
    settings = Settings(edition_date="2026-01-15", publisher="Test Archive")
    deployment = inbox_deployment(inbox, out, settings, timedelta(minutes=5), "test-inbox")
    assert deployment.name == "test-inbox" and deployment.entrypoint == "pipeline.flows.scheduled_ingest"
    assert [s.schedule.interval for s in deployment.schedules] == [timedelta(minutes=5)]
    assert deployment.concurrency_limit == 1
    params = json.loads(json.dumps(deployment.parameters))  # as the Prefect server stores them
    assert params["inbox"] == str(inbox.resolve()) and params["settings"]["publisher"] == "Test Archive"

    assert scheduled_ingest(**params)["ok"] == 1
    (inbox / sample_texts[1].name).write_bytes(sample_texts[1].read_bytes())  # a new source arrives
    summary = scheduled_ingest(**params)
    assert (summary["ok"], summary["unchanged"]) == (1, 1)
    assert sorted(p.name for p in (out / "tei").iterdir()) == sorted(p.stem + ".xml" for p in sample_texts[:2])
