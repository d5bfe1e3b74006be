"""Broken OCR engines for fault injection: scripts that answer like Tesseract, then misbehave."""
from __future__ import annotations

import stat
from pathlib import Path

FAKE = """#!/bin/sh
case "$1" in
  --version) echo "tesseract 5.3.0"; exit 0;;
  --list-langs) printf 'List of available languages (2):\\neng\\nosd\\n'; exit 0;;
esac
{action}
"""
CRASH = 'echo "Segmentation fault" >&2; exit 1'
HANG = "exec sleep 30"


def fake_tesseract(folder: Path, action: str) -> str:
    """An executable answering --version and --list-langs, running ``action`` (sh) on recognition."""
    path = folder / f"tesseract-{abs(hash(action))}"
    path.write_text(FAKE.format(action=action))
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return str(path)
