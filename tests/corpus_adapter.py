"""A small stand-in for pipeline.structure in annotation tests: text to blocks.

``= Title =`` and ``==Section==`` lines become heads, ``- `` lines items (bibl
under a Books/References heading), ``(a)``/``1.`` paragraphs items with a
label, other blank-line separated text paragraphs.
"""
from __future__ import annotations

import re
from pathlib import Path

from pipeline.model import Block, Document, SourceInfo

_HEAD = re.compile(r"^(=+)\s*(.*?)\s*\1$")
_MARKER = re.compile(r"^(\(([a-z]|\d{1,3})\)|(\d{1,3})\.)\s+")


def to_document(text: str, stem: str = "doc") -> Document:
    blocks: list[Block] = []
    para: list[str] = []
    bibl = False

    def flush():
        if para:
            t = " ".join(para)
            m = _MARKER.match(t)
            blocks.append(Block("item", t[m.end():], label=m.group(1)) if m else Block("p", t))
            para.clear()

    for raw in text.split("\n"):
        line = raw.strip()
        head = _HEAD.match(line)
        if not line:
            flush()
        elif head:
            flush()
            blocks.append(Block("head", head.group(2), depth=len(head.group(1)) - 1))
            bibl = head.group(2).lower() in ("books", "references", "bibliography", "notes", "sources")
        elif raw.startswith("- "):
            flush()
            blocks.append(Block("bibl" if bibl else "item", line[2:]))
        else:
            para.append(line)
    flush()
    source = SourceInfo(path=stem, name=stem, stem=stem, kind="text", media_type="text/plain", size=0, sha256="")
    return Document(source=source, title=stem, blocks=blocks)


def span_items(doc: Document) -> list[tuple[str, str, str]]:
    """(kind, text, normalization) per span, in the gold files' notation."""
    out = []
    for b in doc.blocks:
        for s in b.spans:
            a = s.attrs
            norm = ("when=" + a["when"] if "when" in a else f"from={a['from']};to={a['to']}" if "from" in a
                    else "value=" + a["value"] if "value" in a
                    else f"quantity={a['quantity']};unit={a['unit']}" if "quantity" in a else "")
            out.append((s.kind, " ".join(b.text[s.start:s.end].split()), norm))
    return out


def read_gold(path: Path) -> list[tuple[str, str, str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            kind, text, norm = (line.split("\t") + ["", ""])[:3]
            rows.append((kind, " ".join(text.split()), norm))
    return rows
