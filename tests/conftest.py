"""Shared fixtures for the OCR tests: small synthetic pages, quick to read."""
from __future__ import annotations

import pytest

from pipeline.config import Settings
from pipeline.model import SourceInfo
from tests.support.scans import Scan, parse_blocks, render_pages

SMALL = (4.5, 2.6)  # inches: a few lines, read in about a second

SAMPLE = """= Repatriation =
The operation began with the crossing of the frontier river post and the bombardment of the land frontier post.
- carry soldiers to Huludao
- repatriate settlers through Fukuoka
"""


def small_pages(text: str = SAMPLE, **kw) -> list[Scan]:
    kw.setdefault("inches", SMALL)
    kw.setdefault("margin_inches", 0.3)
    return render_pages(parse_blocks(text), **kw)


def source_for(path, kind: str, files: tuple[str, ...] = ()) -> SourceInfo:
    media = {"image": "image/png", "pdf": "application/pdf", "folder": "inode/directory"}[kind]
    return SourceInfo(str(path), path.name, path.stem, kind, media, 0, "0" * 64, files=files)


@pytest.fixture
def settings() -> Settings:
    return Settings(ocr_timeout=60)
