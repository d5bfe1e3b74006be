"""Helpers for the annotation tests: text to an annotated Document, spans as tuples."""
from __future__ import annotations

from pipeline.annotate import annotate
from pipeline.config import Settings
from pipeline.model import Document, SourceInfo
from pipeline.structure import structure


def annotated(text: str, stem: str = "doc") -> Document:
    source = SourceInfo(path=stem, name=stem + ".txt", stem=stem, kind="text",
                        media_type="text/plain", size=len(text), sha256="0" * 64)
    doc = structure(text, source)
    annotate(doc, Settings())
    return doc


def items(doc: Document, kinds: tuple[str, ...] | None = None) -> list[tuple]:
    """(kind, text, attrs without ref) per span, in document order."""
    return [(s.kind, b.text[s.start:s.end], {k: v for k, v in s.attrs.items() if k != "ref"})
            for b in doc.blocks for s in b.spans if kinds is None or s.kind in kinds]


def names(doc: Document) -> list[tuple[str, str]]:
    return [(k, t) for k, t, _ in items(doc, ("person", "place", "org", "vessel"))]
