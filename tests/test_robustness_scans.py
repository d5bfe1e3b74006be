"""Bad scans beside good sources in one run; broken OCR engines and disks through the CLI (issue 6)."""
from __future__ import annotations

import json
import stat
import struct
import time
import zlib
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.validate import validate_file
from tests.conftest import small_pages
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


def test_bad_scans_beside_good_sources(prefect_harness, scan_inbox, tmp_path, capsys):
    out = tmp_path / "out"
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
