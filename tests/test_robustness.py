"""Bad inputs, re-runs and crashes lose nothing (issue: robustness)."""
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from lxml import etree

from tests.conftest import REPO
from pipeline.cli import main
from pipeline.tei import TEI_NS
from pipeline.validate import validate_file


def body_text(tei: Path) -> str:
    """The text's words as a reader sees them: inline tags add no space, whitespace folded."""
    return " ".join("".join(etree.parse(str(tei)).find(f"{{{TEI_NS}}}text").itertext()).split())


@pytest.fixture
def mixed_inbox(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET")
    files = {
        "empty.txt": b"",
        "random.txt": bytes((i * 73 + 41) % 256 for i in range(8192)),
        "legacy cp1252.txt": "Café “naïve” façade – déjà vu in Zürich.".encode("cp1252"),
        "utf16 (BOM).txt": "UTF-16 Grüße aus Köln.".encode("utf-16"),
        "shift_jis.txt": "東京都の天気は晴れです。今日は良い日ですね。明日も晴れるでしょう。".encode("shift_jis"),
        "controls.txt": b"Before\x00NUL and\x07bell\x1b escape after.",
        "markup.txt": b"<script>alert(1)</script> & ]]> --> <!-- x --> <![CDATA[ y ]]>",
        "long.txt": ("A very long line of 1945 words " * 70000).encode()[:2_000_000],
        "Dokument über Straße (Kopie).txt": "Ein Dokument über die Straße.".encode(),
        "dup.txt": b"first of two with one stem",
        "dup.text": b"second of two with one stem",
        "letter.jpg": b"Dear Sir, this letter is plain text named like an image.",
        "entity.xml": f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY e SYSTEM "file://{secret}">]><d>&e; entity text</d>'.encode(),
    }
    for name, data in files.items():
        (inbox / name).write_bytes(data)
    (inbox / "empty folder").mkdir()
    return inbox


def test_mixed_inbox(prefect_harness, mixed_inbox, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["run", str(mixed_inbox), "--out", str(out), "--date", "2026-01-15"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    report = {s["source"]: s for s in json.loads((out / "report.json").read_text())["sources"]}
    assert len(report) == 14

    failed = {name: s["error"] for name, s in report.items() if s["status"] == "failed"}
    assert set(failed) == {"empty.txt", "random.txt", "empty folder", "dup.txt"} or \
        set(failed) == {"empty.txt", "random.txt", "empty folder", "dup.text"}
    assert "empty file" in failed["empty.txt"]
    assert "not text" in failed["random.txt"]
    assert "no page images" in failed["empty folder"]

    kept = {
        "legacy cp1252": "Café “naïve” façade – déjà vu in Zürich.",
        "utf16 (BOM)": "UTF-16 Grüße aus Köln.",
        "shift_jis": "東京都の天気は晴れです。",
        "controls": "BeforeNUL andbell escape after.",
        "markup": "<script>alert(1)</script> & ]]> --> <!-- x --> <![CDATA[ y ]]>",
        "Dokument über Straße (Kopie)": "Ein Dokument über die Straße.",
        "letter": "plain text named like an image",
        "entity": "<!ENTITY e SYSTEM",
    }
    for stem, text in kept.items():
        tei = out / "tei" / f"{stem}.xml"
        assert validate_file(tei) == [], stem
        assert text in body_text(tei), stem
    assert "TOPSECRET" not in body_text(out / "tei" / "entity.xml")
    assert len(body_text(out / "tei" / "long.xml")) >= 1_999_000
    assert sorted(p.name for p in tmp_path.iterdir()) == ["inbox", "out", "secret.txt"]


def test_failing_disk_write_is_reported(prefect_harness, tmp_path, sample_texts):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a.txt").write_text("A short text.")
    (inbox / "b.txt").write_text("Another short text.")
    out = tmp_path / "out"
    (out / "tei" / "a.xml").mkdir(parents=True)  # the TEI's place is taken: the rename fails
    assert main(["run", str(inbox), "--out", str(out)]) == 1
    report = {s["source"]: s for s in json.loads((out / "report.json").read_text())["sources"]}
    assert report["a.txt"]["status"] == "failed" and report["a.txt"]["stage"] == "write"
    assert "a.xml" in report["a.txt"]["error"]
    assert report["b.txt"]["status"] == "ok"
    assert not list((out / "tei").glob(".*.tmp"))


def test_kill_9_mid_run_loses_nothing(prefect_harness, tmp_path, sample_texts):
    """A run killed at a random moment leaves only whole files; the next run completes."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    base = sample_texts[2].read_text(encoding="utf-8")
    for i in range(400):
        (inbox / f"doc-{i:03}.txt").write_text(base.replace("Stalin", f"Stalin {i}"), encoding="utf-8")
    out, home = tmp_path / "out", tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update(HOME=str(home), PREFECT_SERVER_ANALYTICS_ENABLED="false", DO_NOT_TRACK="1")
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "run", str(inbox), "--out", str(out)],
                            cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if len(list((out / "tei").glob("*.xml"))) >= 20 if (out / "tei").is_dir() else False:
            break
        time.sleep(0.05)
    assert proc.poll() is None, "the run finished before it could be killed: " + proc.stderr.read().decode()[-500:]
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)

    written = list((out / "tei").glob("*.xml"))
    assert 20 <= len(written) < 400
    for tei in written:  # every file present is whole
        etree.parse(str(tei))
    assert list(home.iterdir()) == [], "the run wrote outside its input and output folders"

    assert main(["run", str(inbox), "--out", str(out)]) == 0
    report = json.loads((out / "report.json").read_text())
    assert report["summary"]["failed"] == 0 and report["summary"]["sources"] == 400
    assert report["summary"]["unchanged"] >= 1
    assert len(list((out / "tei").glob("*.xml"))) == 400
    assert not list(out.rglob(".*.tmp"))
    assert all(validate_file(t) == [] for t in sorted((out / "tei").glob("*.xml"))[::40])
