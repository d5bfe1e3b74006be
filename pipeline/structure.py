"""Structure: typed text to a Document of blocks (ENCODING.md section 3).

Recognised forms: the wiki-style export (``= Title =``, ``==Section==``,
``- item``), the news article (a title line, paragraphs that may begin with
a no-break space, ``(a)``/``1.`` items), and any other text as paragraphs,
with what a document's layout says about its parts:

- a group of short lines (no blank line between them) is read line by line:
  ``Label: value`` lines are form fields, lines ending in figures are table
  rows (a line of capitalised words above them their header), a lone page
  marker (``[Page 997]``) is forme work;
- ``TI: ...`` turns of a transcript are speeches of their speaker;
- a short line alone between blank lines, without closing punctuation, is a
  heading (in a text with no ``==`` headings);
- numbered paragraphs under a *Notes* heading are notes;
- a letter's opening lines (date, place, salutation) and closing lines
  (valediction, signature) are its opener and closer.

Apparatus inside the text (note markers, page markers, file numbers,
references) is marked by ``pipeline.apparatus``; annotation reads both.
"""
from __future__ import annotations

import re

from pipeline.apparatus import FILE_NUMBER, mark_apparatus, page_line
from pipeline.model import Block, Document, SourceInfo

HEADING = re.compile(r"^(=+)\s*(.*?)\s*\1\s*$")
BULLET = re.compile(r"^\s*[-*\u2022\u2013]\s+(.*\S)\s*$")
# "(a) ...", "(iv) ...", "(12) ...", "a) ...", "1. ...", "12) ...", "[12] ..." at the start of a paragraph
MARKER = re.compile(r"^\s*(\(([a-z]|[ivx]{1,5}|\d{1,3})\)|([a-z])\)|(\d{1,3})[.)]|\[(\d{1,3})\])\s+(?=\S)")
BIBLIOGRAPHY = re.compile(
    r"^(books|bibliography|references|further reading|sources|literature|works cited|selected works)$",
    re.IGNORECASE,
)
NOTES = re.compile(r"^(notes|endnotes|footnotes|notes and references)$", re.IGNORECASE)
# A list item that reads as a reference, whatever its heading: Surname, Forename. "Title ...
REFERENCE = re.compile(r"^[A-Z][\w'’\-]+,\s+[A-Z][\w'’\-]*\.?(?:\s+[A-Z][\w'’\-]*\.?){0,2}\.\s+[“\"‘«]")
# "Date Start: 5 September", "SUBJECT: Repatriation": a short label, a colon, a value
FIELD = re.compile(r"^(?P<label>[^\W\d_][\w'’./()&\- ]{0,38}?[\w)]):\s+(?P<value>\S.*)$")
# "TI: So back to ...": a speaker's initials or name in capitals opening a turn of a transcript
# ... or a label in capitals, a title before it ("THE PRESIDENT:", "MR. COMYNS CARR:", "THE WITNESS:")
SPEAKER = re.compile(r"^(?P<label>[A-Z][A-Z.]{0,5}|(?:(?:THE|MR|MRS|MS|DR|MISS|GENERAL|COLONEL|CAPTAIN|JUDGE)\.?\s)?"
                     r"[A-Z][A-Z'’-]+(?:\s[A-Z][A-Z'’-]+){0,2}):\s+(?P<value>\S.*)$")
# A table row: a label, then one or more figures ("South China 112,681 13,985 126,666")
ROW = re.compile(r"^(?P<label>.*?\D)??\s*(?P<figures>(?:[-–(]?\d[\d,.]*[)%]?\s+)*[-–(]?\d[\d,.]*[)%]?)$")
FIGURE = re.compile(r"[-–(]?\d[\d,.]*[)%]?")
# A date on a line of its own: "March 27, 1947", "27 March 1947", "March 13."
DATE_LINE = re.compile(r"(?:\d{1,2}\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
                       r"(?:\s+\d{1,2}(?:st|nd|rd|th)?)?,?(?:\s+\d{4})?\.?", re.IGNORECASE)
# Letters: a salutation ("Dear Sir:", "Sarah, My Beloved Darling:") and a valediction ("Yours truly,")
SALUTATION = re.compile(r"^(?:(?:my )?dear(?:est)?\b|to whom|gentlemen\b|sir\b|madam\b|[^\W\d_][\w'’ .,]{0,40}?"
                        r"\b(?:darling|dear|dearest|sweetheart|beloved|love)\b)[^.!?]{0,60}[:,]$", re.IGNORECASE)
VALEDICTION = re.compile(r"^(?:(?:yours|sincerely|faithfully|respectfully|cordially|affectionately|with love|"
                         r"love|best wishes|regards|kind regards|your (?:loving|devoted|affectionate)\b)"
                         r"[\w ,’']{0,30}),?$", re.IGNORECASE)
# A memo's header labels: fields, not speakers ("TO: ...", "SUBJECT: ...")
MEMO_LABELS = frozenset("TO FROM RE CC BCC BY ATTN SUBJECT DATE REF FILE ENCL".split())
# A short line alone is a heading: a few words without closing punctuation
HEAD_MAX_WORDS, HEAD_MAX_CHARS = 16, 110
NOTE_AT_END = re.compile(r"(?<=[^\W\d_][.)\]’”])\d{1,3}$")
# A first paragraph this short, on one line, not ending a sentence, is a title.
TITLE_MAX_CHARS = 150
# Lines of a "short-line" group: no longer than this they are read one by one.
SHORT_LINE_CHARS = 80


def item_kind(text: str, in_bibliography: bool) -> str:
    """A list item is a bibliography entry under a heading such as "Books", or when it reads as a reference."""
    return "bibl" if in_bibliography or REFERENCE.match(text) else "item"


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
    marked = any(HEADING.match(line.strip()) for line in lines)
    blocks = _Reader(marked).read(lines)
    mark_forms(blocks)
    header_title = None
    if title is None:
        title = _take_title(blocks) if not _docket(blocks[0].text if blocks else "") else None
        header_title = title or _heading_title(blocks)
    if title is not None:
        blocks.insert(0, Block("head", title, depth=0))
        mark_apparatus(blocks[0])
    return Document(source=source, title=title or header_title or source.stem, blocks=blocks)


class _Reader:
    """Lines to blocks, one group of non-blank lines at a time."""

    def __init__(self, marked_headings: bool):
        self.marked = marked_headings  # the text marks its headings with "=="; short lines are not guessed
        self.blocks: list[Block] = []
        self.section = ""  # the kind of the current section: "", "bibliography" or "notes"

    def read(self, lines: list[str]) -> list[Block]:
        group: list[str] = []
        for raw in lines + [""]:
            if raw.strip():
                group.append(raw)
            elif group:
                self.group(group)
                group = []
        return self.blocks

    def group(self, lines: list[str]) -> None:
        para: list[str] = []

        def flush():
            if para:
                self.paragraph(" ".join(para))
                para.clear()

        short = _short_line_group(lines)
        rows = sum(_row(line.strip()) is not None for line in lines)
        for k, raw in enumerate(lines):
            line = raw.strip()
            heading = HEADING.match(line)
            bullet = BULLET.match(raw)
            if heading and heading.group(2):
                flush()
                self.heading(heading.group(2), max(len(heading.group(1)) - 1, 1))
            elif bullet:
                flush()
                self.item(bullet.group(1))
            elif k == 0 and len(lines) > 1 and not self.marked and _looks_like_heading(line) \
                    and _row(lines[1].strip()) is None and not FIELD.match(line):
                self.heading(line, 1)  # "Abstract" over its paragraph, with no blank line between
            elif short:
                self.line(line, lines[k + 1] if k + 1 < len(lines) else "", rows)
            else:
                if para and MARKER.match(line) and para[-1].endswith((".", ":", ";")):
                    flush()  # a numbered paragraph starts on a line of its own
                para.append(line)
        flush()

    def heading(self, text: str, depth: int) -> None:
        self.blocks.append(Block("head", text, depth=depth))
        self.section = "bibliography" if BIBLIOGRAPHY.match(text) else "notes" if NOTES.match(text) else ""

    def item(self, text: str) -> None:
        field = FIELD.match(text)
        if field and _field_label(field.group("label")):
            self.blocks.append(Block("field", field.group("value"), label=field.group("label") + ":"))
        else:
            self.blocks.append(Block(item_kind(text, self.section == "bibliography"), text))

    def line(self, line: str, following: str, rows: int) -> None:
        """One line of a short-line group: a page marker, a field, a table row or a line of its own.

        A line ending in one figure is a row only among other rows ("Historical Background (1)" alone is not).
        """
        page = page_line(line)
        if page:
            self.blocks.append(Block("fw", line, n=page))
            return
        field = form_field(line)
        if field:
            self.blocks.append(Block("field", field[1], label=field[0]))
            return
        if MARKER.match(line):
            self.paragraph(line)
            return
        row = _row(line)
        if row is not None and (rows > 1 or len(row.cells) > 2):
            self.blocks.append(row)
            return
        if _column_heads(line) and _row(following.strip()) is not None:
            self.blocks.append(Block("row", line, cells=_word_cells(line), header=True))
            return
        self.blocks.append(Block("p", line))

    def paragraph(self, text: str) -> None:
        speaker = SPEAKER.match(text)
        if speaker and speaker.group("label") not in MEMO_LABELS:
            self.blocks.append(Block("p", speaker.group("value"), speaker=speaker.group("label") + ":"))
            return
        if not self.marked and _looks_like_heading(text):
            self.heading(text, 1)
            return
        m = MARKER.match(text)
        if not m:
            self.blocks.append(Block("p", text))
            return
        label, rest = m.group(1), text[m.end():]
        inner = MARKER.match(rest)  # "340. 1. Information requested ...": a number, then a numbered paragraph
        if inner and m.group(4) and inner.group(4):
            label, rest = f"{label} {inner.group(1)}", rest[inner.end():]
        n = m.group(2) or m.group(3) or m.group(4) or m.group(5)
        numbered = m.group(4) or m.group(5)
        kind = "note" if self.section == "notes" and numbered else item_kind(rest, self.section == "bibliography")
        self.blocks.append(Block(kind, rest, label=label, n=n))


def _short_line_group(lines: list[str]) -> bool:
    """A group of several lines each too short to be wrapped prose, or holding fields or table rows.

    Wrapped prose runs its lines to the margin; lists, forms and tables end
    their lines early. A group whose lines are mostly short is read line by line.
    """
    plain = [line.strip() for line in lines if not HEADING.match(line.strip()) and not BULLET.match(line)]
    if len(plain) < 2:
        return False
    structured = sum(len(line) <= SHORT_LINE_CHARS or _row(line) is not None or bool(FIELD.match(line))
                     for line in plain)
    return structured == len(plain) and sum(not line.rstrip().endswith((".", ",", ";")) or _row(line) is not None
                                            for line in plain) > len(plain) / 2


def form_field(line: str) -> tuple[str, str] | None:
    """A line that is a form's field: its label (with the colon) and its value, which is not a lone figure
    (a table's row ends in those)."""
    field = FIELD.match(line)
    if field and _field_label(field.group("label")) and not FIGURE.fullmatch(field.group("value")):
        return field.group("label") + ":", field.group("value")
    return None


def _field_label(label: str) -> bool:
    """A form's label: one to five words, none of them a sentence's."""
    words = label.split()
    return 1 <= len(words) <= 5 and not label.endswith(".") and label[0].isupper()


def _row(line: str) -> Block | None:
    """A table row: a label (possibly empty) and the figures that end the line, one cell each.

    A date ("March 27, 1947") or a file number ("APO 500") alone on a line is no row.
    """
    m = ROW.match(line)
    if not m or DATE_LINE.fullmatch(line) or FILE_NUMBER.fullmatch(line):
        return None
    figures = list(FIGURE.finditer(line, m.start("figures")))
    if any(f.start() and not line[f.start() - 1].isspace() for f in figures):
        return None  # "A0", ":0": a figure glued to a word is no cell of its own
    label = (m.group("label") or "").rstrip()
    if label and (len(label.split()) > 8 or label.endswith((".", ","))):
        return None  # a sentence that ends in a number
    if not label and len(figures) < 2:
        return None
    if len(figures) == 1 and re.fullmatch(r"1[5-9]\d\d|20\d\d", figures[0].group()):
        return None  # "Date 1945": a year, not a column of figures
    cells = ([(0, len(label))] if label else []) + [(f.start(), f.end()) for f in figures]
    return Block("row", line, cells=cells)


def _column_heads(line: str) -> bool:
    """A table's header line: a few capitalised words, no figures, no closing punctuation."""
    words = line.split()
    return 1 <= len(words) <= 8 and not any(c.isdigit() for c in line) and not line.endswith((".", ",", ";", ":")) \
        and sum(w[0].isupper() for w in words if len(w) > 3) == sum(1 for w in words if len(w) > 3) > 0


def _word_cells(line: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"\S+(?: (?:of|the|and|in|by|for) \S+)*", line)]


def _looks_like_heading(text: str) -> bool:
    """A line of a few words, capitalised, one phrase without closing punctuation (a note marker aside)."""
    words = text.split()
    bare = NOTE_AT_END.sub("", text.rstrip())
    return (len(words) <= HEAD_MAX_WORDS and len(text) <= HEAD_MAX_CHARS and text[0].isupper()
            and not bare.endswith((".", ",", ";", ":", "!", "?", "”", '"')) and not re.search(r"[.!?] [A-Z]", bare)
            and not MARKER.match(text) and not page_line(text))


def _take_title(blocks: list[Block]) -> str | None:
    """The text's first short line is its title: taken out of the blocks to head the text."""
    if len(blocks) < 2 or not _title_line(blocks[0]):
        return None
    return blocks.pop(0).text


def _title_line(block: Block) -> bool:
    return (block.kind in ("p", "head") and block.depth <= 1 and not block.zone and not block.speaker
            and len(block.text) <= TITLE_MAX_CHARS and not block.text.rstrip().endswith((".", ":", ";", ",")))


def _heading_title(blocks: list[Block]) -> str | None:
    """A title for the header when the text opens with a file number: the heading that follows it
    (it stays in its place in the text)."""
    i = 0
    while i < len(blocks) and blocks[i].kind == "p" and _docket(blocks[i].text):
        i += 1
    if 0 < i < len(blocks) and blocks[i].kind == "head":
        return blocks[i].text
    return None


def _docket(text: str) -> bool:
    return bool(FILE_NUMBER.match(text))


def mark_forms(blocks: list[Block]) -> None:
    """What the blocks' text says they are, typed or read from a page: a letter's parts, and the
    apparatus inside each block."""
    _letter_parts(blocks)
    for block in blocks:
        mark_apparatus(block)


def _letter_parts(blocks: list[Block]) -> None:
    """A letter's salutation and the short lines above it (not the document's title) are its opener; a
    valediction and the lines after it, its closer."""
    for i, block in enumerate(blocks):
        if block.kind == "p" and not block.speaker and SALUTATION.match(block.text):
            block.kind = "salute"
            j = i - 1
            while j >= 0 and (blocks[j].kind == "p" or blocks[j].kind == "head" and blocks[j].depth) \
                    and not blocks[j].speaker \
                    and len(blocks[j].text) <= HEAD_MAX_CHARS and blocks[j].zone is None \
                    and (blocks[j].kind == "head" or not blocks[j].text.rstrip().endswith(".")):
                blocks[j].kind, blocks[j].depth = "dateline", 0
                j -= 1
            for part in blocks[j + 1:i + 1]:
                part.zone = "opener"
        elif block.kind == "p" and VALEDICTION.match(block.text) and len(blocks) - i <= 5 \
                and all(len(after.text) <= HEAD_MAX_CHARS for after in blocks[i + 1:]):
            block.kind, block.zone = "salute", "closer"
            for after in blocks[i + 1:]:  # the signature, and the place and date beneath it
                after.kind, after.depth, after.zone, after.cells, after.header = "signed", 0, "closer", [], False


def reads_as_title(text: str) -> bool:
    """Short, with letters, and not ending as a sentence, a clause or an address line does."""
    text = text.strip()
    return (len(text) <= TITLE_MAX_CHARS and any(ch.isalpha() for ch in text)
            and not text.endswith((".", ":", ";", ",")))
