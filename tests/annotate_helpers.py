"""Helpers for the annotation tests: text to an annotated Document, spans as tuples."""
from __future__ import annotations

from pipeline.annotate import annotate
from pipeline.config import Settings
from pipeline.model import Document, SourceInfo
from pipeline.structure import structure


def annotated(text: str, stem: str = "doc", ocr: bool = False, language: str = "en") -> Document:
    """The text annotated as typed text, or (``ocr``) as the text of a scan, in ``language`` (BCP 47)."""
    source = SourceInfo(path=stem, name=stem + (".png" if ocr else ".txt"), stem=stem, kind="image" if ocr else "text",
                        media_type="image/png" if ocr else "text/plain", size=len(text), sha256="0" * 64)
    doc = structure(text, source)
    doc.languages = [language]
    annotate(doc, Settings())
    return doc


def items(doc: Document, kinds: tuple[str, ...] | None = None) -> list[tuple]:
    """(kind, text, attrs without ref) per span, in document order."""
    return [(s.kind, b.text[s.start:s.end], {k: v for k, v in s.attrs.items() if k != "ref"})
            for b in doc.blocks for s in b.spans if kinds is None or s.kind in kinds]


def names(doc: Document) -> list[tuple[str, str]]:
    return [(k, t) for k, t, _ in items(doc, ("person", "place", "org", "vessel"))]
