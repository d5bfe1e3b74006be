"""Structure: typed text to a Document of blocks (ENCODING.md section 3).

Recognised forms: the wiki-style export (``= Title =``, ``==Section==``,
``- item``), the news article (a title line, paragraphs that may begin with
a no-break space, ``(a)``/``1.`` items), and any other text as paragraphs.
"""
from __future__ import annotations

import re

from pipeline.model import Block, Document, SourceInfo

HEADING = re.compile(r"^(=+)\s*(.*?)\s*\1\s*$")
BULLET = re.compile(r"^\s*[-*\u2022\u2013]\s+(.*\S)\s*$")
# "(a) ...", "(iv) ...", "(12) ...", "a) ...", "1. ...", "12) ..." at the start of a paragraph
MARKER = re.compile(r"^\s*(\(([a-z]|[ivx]{1,5}|\d{1,3})\)|([a-z])\)|(\d{1,3})[.)])\s+(?=\S)")
BIBLIOGRAPHY = re.compile(
    r"^(books|bibliography|references|further reading|sources|literature|works cited|selected works)$",
    re.IGNORECASE,
)
# A list item that reads as a reference, whatever its heading: Surname, Forename. "Title ...
REFERENCE = re.compile(r"^[A-Z][\w'’\-]+,\s+[A-Z][\w'’\-]*\.?(?:\s+[A-Z][\w'’\-]*\.?){0,2}\.\s+[“\"‘«]")


def item_kind(text: str, in_bibliography: bool) -> str:
    """A list item is a bibliography entry under a heading such as "Books", or when it reads as a reference."""
    return "bibl" if in_bibliography or REFERENCE.match(text) else "item"


# A first paragraph this short, on one line, not ending a sentence, is a title.
TITLE_MAX_CHARS = 150


def structure(text: str, source: SourceInfo) -> Document:
    """Blocks in reading order; the title from the text or, failing that, the stem."""
    lines = text.split("\n")
    title = None
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is not None:
        m = HEADING.match(lines[first].strip())
        if m and len(m.group(1)) == 1 and m.group(2):
            title = m.group(2)
            lines = lines[first + 1:]
    blocks = _blocks(lines)
    if title is None and _looks_like_title(blocks):
        title = blocks.pop(0).text
    if title is not None:
        blocks.insert(0, Block("head", title, depth=0))
    return Document(source=source, title=title or source.stem, blocks=blocks)


def _blocks(lines: list[str]) -> list[Block]:
    blocks: list[Block] = []
    para: list[str] = []
    in_bibliography = False

    def flush():
        if para:
            blocks.append(_paragraph(" ".join(para)))
            para.clear()

    for raw in lines:
        line = raw.strip()
        heading = HEADING.match(line)
        bullet = BULLET.match(raw)
        if not line:
            flush()
        elif heading and heading.group(2):
            flush()
            depth = max(len(heading.group(1)) - 1, 1)
            blocks.append(Block("head", heading.group(2), depth=depth))
            in_bibliography = bool(BIBLIOGRAPHY.match(heading.group(2)))
        elif bullet:
            flush()
            blocks.append(Block(item_kind(bullet.group(1), in_bibliography), bullet.group(1)))
        else:
            para.append(line)
    flush()
    return blocks


def _paragraph(text: str) -> Block:
    m = MARKER.match(text)
    if not m:
        return Block("p", text)
    label = m.group(1)
    n = m.group(2) or m.group(3) or m.group(4)
    return Block("item", text[m.end():], label=label, n=n)


def _looks_like_title(blocks: list[Block]) -> bool:
    return len(blocks) >= 2 and blocks[0].kind == "p" and reads_as_title(blocks[0].text)


def reads_as_title(text: str) -> bool:
    """Short, with letters, and not ending as a sentence, a clause or an address line does."""
    text = text.strip()
    return (len(text) <= TITLE_MAX_CHARS and any(ch.isalpha() for ch in text)
            and not text.endswith((".", ":", ";", ",")))
