"""Bad scans beside good sources in one run; broken OCR engines and disks through the CLI (issue 6)."""
from __future__ import annotations

import json
import struct
import tempfile
import time
import zlib
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.validate import validate_file
from tests.conftest import small_pages
from tests.support.engines import CRASH, HANG, fake_tesseract
from tests.support.scans import save_png


def bomb_png(path: Path, side: int = 20000) -> Path:
    """A real 1-bit PNG of side x side white pixels: a few tens of KB on disk, 400 MP decoded."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    squeeze = zlib.compressobj(9)
    row = b"\x00" + b"\xff" * ((side + 7) // 8)  # filter byte, then the row's bits
    data = b"".join(squeeze.compress(row) for _ in range(side)) + squeeze.flush()
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0))
                     + chunk(b"IDAT", data) + chunk(b"IEND", b""))
    return path


def report_of(out: Path) -> dict[str, dict]:
    return {s["source"]: s for s in json.loads((out / "report.json").read_text())["sources"]}


@pytest.fixture
def scan_inbox(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    page = small_pages("Letter from the harbour master at Huludao.")[0]
    save_png(page, inbox / "good scan.png")
    (inbox / "typed.txt").write_text("A typed note about the evacuation.")
    cut = save_png(page, inbox / "truncated.png")
    cut.write_bytes(cut.read_bytes()[: cut.stat().st_size // 2])
    bomb_png(inbox / "bomb.png")
    (inbox / "corrupt.pdf").write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\n" + bytes(range(256)) * 8)
    (inbox / "letter.jpg").write_text("Dear Sir, this letter is plain text named like an image.")
    box = inbox / "box of pages"
    box.mkdir()
    save_png(page, box / "page-1.png")
    save_png(page, box / "page-2.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 40)  # a PNG in name only
    return inbox


def test_bad_scans_beside_good_sources(prefect_harness, scan_inbox, tmp_path, capsys, monkeypatch):
    out = tmp_path / "out"
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "no system temp"))  # any use of /tmp fails
    started = time.monotonic()
    assert main(["run", str(scan_inbox), "--out", str(out), "--date", "2026-01-15"]) == 1
    assert time.monotonic() - started < 120
    assert "Traceback" not in capsys.readouterr().err
    report = report_of(out)
    failed = {name: (s["stage"], s["error"]) for name, s in report.items() if s["status"] == "failed"}
    assert set(failed) == {"truncated.png", "bomb.png", "corrupt.pdf", "box of pages"}
    assert failed["truncated.png"] == ("ocr", failed["truncated.png"][1])
    assert "truncated.png: damaged or truncated image" in failed["truncated.png"][1]
    assert "bomb.png: image of 20000 x 20000 = 400,000,000 pixels is larger than max_image_pixels" in failed["bomb.png"][1]
    assert "corrupt.pdf: cannot open the PDF" in failed["corrupt.pdf"][1]
    assert "page-2.png" in failed["box of pages"][1]
    for stem in ("good scan", "typed", "letter"):
        assert report[next(n for n in report if n.startswith(stem))]["status"] == "ok"
        assert validate_file(out / "tei" / f"{stem}.xml") == [], stem
    assert sorted(p.name for p in (out / "tei").iterdir()) == ["good scan.xml", "letter.xml", "typed.xml"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["inbox", "out"]
    assert not list(out.rglob("*.tmp"))


@pytest.fixture
def small_inbox(tmp_path):
    """A typed note and one small scan."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "note.txt").write_text("A typed note about the evacuation.")
    save_png(small_pages("Letter from the harbour master.")[0], inbox / "scan.png")
    return inbox


def run_with(inbox: Path, out: Path, **settings) -> int:
    """``run`` through the CLI, with these settings in a pipeline.toml given by --config."""
    config = out.parent / "pipeline.toml"
    config.write_text("".join(f"{k} = {json.dumps(v)}\n" for k, v in settings.items()))
    return main(["run", str(inbox), "--out", str(out), "--config", str(config), "--date", "2026-01-15"])


def test_crashing_engine_fails_the_scan_only(prefect_harness, small_inbox, tmp_path, capsys):
    out = tmp_path / "out"
    assert run_with(small_inbox, out, tesseract_cmd=fake_tesseract(tmp_path, CRASH)) == 1
    report = report_of(out)
    assert report["note.txt"]["status"] == "ok"
    assert report["scan.png"]["status"] == "failed" and report["scan.png"]["stage"] == "ocr"
    assert "Tesseract failed on scan.png (exit status 1): Segmentation fault" in report["scan.png"]["error"]
    assert "Traceback" not in capsys.readouterr().err
    assert not (out / "tei" / "scan.xml").exists()


def test_ocr_timeout_fails_the_scan_in_bounded_time(prefect_harness, small_inbox, tmp_path, capsys):
    out = tmp_path / "out"
    started = time.monotonic()
    assert run_with(small_inbox, out, tesseract_cmd=fake_tesseract(tmp_path, HANG), ocr_timeout=1) == 1
    assert time.monotonic() - started < 25  # the engine would sleep 30 s
    report = report_of(out)
    assert report["note.txt"]["status"] == "ok"
    assert report["scan.png"]["stage"] == "ocr"
    assert "ran past the 1 s timeout on scan.png; raise the ocr_timeout setting" in report["scan.png"]["error"]
    assert "Traceback" not in capsys.readouterr().err


def test_missing_tesseract_exits_2_before_any_work(small_inbox, tmp_path, capsys):
    out = tmp_path / "out"
    assert run_with(small_inbox, out, tesseract_cmd=str(tmp_path / "no-tesseract")) == 2
    err = capsys.readouterr().err
    assert "Tesseract not found" in err and "apt-get install tesseract-ocr" in err
    assert "Traceback" not in err
    assert sorted(p.name for p in out.iterdir()) == []  # no report, no TEI, no lock


def test_failing_page_image_write_is_reported(prefect_harness, small_inbox, tmp_path):
    out = tmp_path / "out"
    (out / "pages").mkdir(parents=True)
    (out / "pages" / "scan").write_text("a file where the scan's page folder goes")
    assert run_with(small_inbox, out) == 1
    report = report_of(out)
    assert report["note.txt"]["status"] == "ok"
    assert report["scan.png"]["status"] == "failed" and report["scan.png"]["stage"] == "write"
    assert f"cannot write the page images to {out / 'pages' / 'scan'}" in report["scan.png"]["error"]
    assert not (out / "tei" / "scan.xml").exists()
    assert not list(out.rglob("*.tmp"))


def test_a_killed_runs_temporary_files_and_folders_are_removed(tmp_path):
    from pipeline.fsutil import remove_stale_temp_files

    pages = tmp_path / "pages" / "scan"
    (tmp_path / "pages" / ".scan.x1.tmp" / "ocr-y").mkdir(parents=True)  # Tesseract's folder of a killed run
    pages.mkdir()
    (pages / ".page-0001.png.z.tmp").write_bytes(b"half")
    (pages / "page-0001.png").write_bytes(b"whole")
    assert remove_stale_temp_files(tmp_path) == 2
    assert [p.relative_to(tmp_path).as_posix() for p in sorted(tmp_path.rglob("*"))] == [
        "pages", "pages/scan", "pages/scan/page-0001.png"]
