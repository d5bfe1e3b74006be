"""Apparatus inside a block's text: what points at the document rather than saying something.

ENCODING.md, "Beyond the samples": note markers, page markers, file and
document numbers and references to pages, figures and paragraphs are not
content. They are marked here, once, as spans of the kinds in
``APPARATUS_KINDS``; annotation never tags names, dates or figures inside
them, and the TEI keeps them as the Guidelines do (``<ref type="noteAnchor">``,
``<pb n>`` with ``<fw type="pageNum">``, ``<idno>``, ``<ref>``).
"""
from __future__ import annotations

import re

from pipeline.model import APPARATUS_KINDS, Block, Span

# "[Page 997]", "[p. 12]": a page marker in the text; on a line of its own also "- 2 -"
_PAGE = re.compile(r"\[(?:Page|p\.)\s?(?P<n>\d{1,4})\]")
_PAGE_LINE = re.compile(r"\[(?:Page|p\.)\s?(\d{1,4})\]|[-–]\s?(\d{1,4})\s?[-–]")
# A file number of a registry: "740.00115 PW/9–2347", "740.00114 Pacific War/2–2247", "AG 091.4", "APO 235";
# a book's ISBN; an office's file reference ("1423/7/A")
FILE_NUMBER = re.compile(r"\d{3}\.\d{4,6}(?:\s[A-Z][\w ]{0,30}?/\d[\d–/-]*)?|\b(?:AG|APO|CAD|WD)\s\d[\d.]*\b"
                         r"|\bISBN(?:-1[03])?:?\s?(?:97[89][-\s]?)?(?:\d[-\s]?){9}[\dX]\b"
                         r"|\b\d{1,5}/\d{1,4}/[A-Z]{1,3}\b")
# A note marker glued to the word or punctuation it follows ("(MacArthur)6", "Adviser.7", "a.m.10"),
# a bracketed one ("[12]") or a superscript figure.
_GLUED = re.compile(r"(?:(?<=[^\W\d_][.,;:)\]’”\"'])|(?<=[a-z][a-z]))(?P<n>\d{1,3})(?=[\s,;:)]|\.(?:\s|$)|$)")
# "[12]"; on a scan a bracket may be read as a brace or a parenthesis ("[3}", "(5}"), never both as parentheses
_BRACKETED = re.compile(r"\[(?P<n>\d{1,3})[\]})]|[({](?P<m>\d{1,3})[\]}]|\{(?P<k>\d{1,3})\)")
# A marker after a year that ends a sentence: "repatriated by 1950.3 The ..."
_AFTER_YEAR = re.compile(r"(?<=\b(?:1[89]\d\d|20\d\d)\.)(?P<n>\d{1,2})(?=\s+[A-Z“\"]|\s*$)")
_SUPERSCRIPT = re.compile(r"(?<=[^\W\d_]|[.,;:)\]’”\"'])[¹²³⁴⁵⁶⁷⁸⁹⁰]+")  # after a figure it is a power
_SUPERSCRIPT_DIGITS = str.maketrans("¹²³⁴⁵⁶⁷⁸⁹⁰", "1234567890")
# "p. 12", "pp. 40-41", "Fig. 3", "para. 3", "chapter IV", "Plate 5", "chapters 4 and 5"
_PART = r"(?:[IVXLC]+\b|\d+\b)"
REFERENCE = re.compile(r"\b(?:pp?|figs?|paras?|fol|ff|vol|vols)\.\s?\d+(?:\s?[-–]\s?\d+)?\b"
                       r"|\b(?:[Cc]hapter|[Pp]late|[Ff]igure|[Pp]aragraph|[Aa]ppendix|[Aa]nnex)s?\s+" + _PART
                       + r"(?:(?:,\s*|\s*[-–]\s*|,?\s+(?:and|to)\s+)" + _PART + r")*",
                       re.IGNORECASE)
# Words a glued number belongs to: an identifier's letters ("B29", "No.2"), not a note marker
_NOT_BEFORE_ANCHOR = re.compile(r"(?:\b[A-Z]{1,3}-?|\bNos?\.|\bNr\.|\bNo)$")


def page_line(line: str) -> str | None:
    """The page number of a line that is nothing but a page marker ("[Page 997]", "- 2 -")."""
    m = _PAGE_LINE.fullmatch(line.strip())
    return (m.group(1) or m.group(2)) if m else None


def find_apparatus(text: str) -> list[Span]:
    """The apparatus spans of one block's text, in order, never overlapping."""
    found: list[Span] = []
    for m in _PAGE.finditer(text):
        found.append(Span(m.start(), m.end(), "page-number", {"n": m.group("n")}))
    for m in FILE_NUMBER.finditer(text):
        found.append(Span(m.start(), m.end(), "identifier", {"type": "file"}))
    for m in REFERENCE.finditer(text):
        found.append(Span(m.start(), m.end(), "reference", {}))
    for m in _AFTER_YEAR.finditer(text):
        found.append(Span(m.start(), m.end(), "note-anchor", {"n": m.group("n")}))
    for m in _BRACKETED.finditer(text):
        found.append(Span(m.start(), m.end(), "note-anchor", {"n": m.group("n") or m.group("m") or m.group("k")}))
    for m in _SUPERSCRIPT.finditer(text):
        found.append(Span(m.start(), m.end(), "note-anchor", {"n": m.group().translate(_SUPERSCRIPT_DIGITS)}))
    for m in _GLUED.finditer(text):
        if not _NOT_BEFORE_ANCHOR.search(text, max(0, m.start() - 4), m.start()):
            found.append(Span(m.start(), m.end(), "note-anchor", {"n": m.group("n")}))
    out: list[Span] = []
    for span in sorted(found, key=lambda s: (s.start, -s.end)):
        if not out or span.start >= out[-1].end:
            out.append(span)
    return out


def mark_apparatus(block: Block) -> None:
    """Add the block's apparatus spans (a page marker alone on its line is already a "fw" block). An
    identifier a line or page break cuts is left unmarked: TEI's <idno> holds text alone."""
    if block.kind == "fw":
        return
    spans = [s for s in block.spans if s.kind not in APPARATUS_KINDS]
    found = [s for s in find_apparatus(block.text) if s.kind != "identifier"
             or not any(s.start < m.offset < s.end for m in block.milestones)]
    block.spans = sorted(spans + found, key=lambda s: s.start)
