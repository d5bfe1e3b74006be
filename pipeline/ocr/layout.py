"""Lines of words to Blocks: paragraphs, headings, list items, line and page breaks.

- Paragraphs: a new one starts where Tesseract starts a new block, or where
  the gap above a line is clearly larger than the page's usual gap between
  a paragraph's lines: the gap below lines that run to the right edge (where
  prose wraps), or below any line where none does.
- Captions: a group of at most four lines in type smaller than the body's,
  just under a region the engine took for a picture (or just over it) and
  within its width, is that picture's caption; the picture gets a zone.
  A picture no caption names is a figure of its own, with its zone, before
  the first text below its top.
- Headings: a group of at most three lines whose type is clearly larger or
  bolder than the body text's, measured as the median width of a character
  (larger and bold type are both wider), directly above more text. The first
  block of the document, if it is a heading in the largest type, is the title
  (depth 0); other headings have depth 1.
- List items: a line starting with a bullet glyph (or a small blob Tesseract
  misreads as one). The bullet is markup: it is left out of the text.
- Hyphens: a word's hyphen the engine parts from the rest of the word by
  under half the line's usual gap between words is closed up ("Morris-
  Suzuki" read as two words).
- Hyphenation: a line ending in "word-" followed by a line starting with a
  letter is rejoined. The hyphen is dropped from the text between two
  lower-case letters ("repatri-" + "ation"), unless the document spells that
  word with a hyphen elsewhere ("post-" + "war" where "post-war" occurs), and
  kept next to a digit or a capital ("Sino-" + "Japanese"). The line's <lb>
  milestone then sits inside the word, where the next line begins, marked as
  in a word, and as a soft hyphen where the text left the hyphen out: the TEI
  writes the hyphen as the page shows it (``tei``).
- Tables: a line's words fall into runs parted by gutters (gaps of at least
  two characters). At least three lines of three or more runs, with at most
  two lines between them whose runs are no wider than theirs (a wrapped
  cell's further lines), are a table: each line is a row (a wrapped cell's
  lines stay rows of their own: the text keeps the page's line order). The
  columns are the runs' x-ranges merged where they overlap, leaving out runs
  that cross a gutter (overlapping two runs of another line); each run goes
  into the column it overlaps most.
- Form fields: two or more lines in a row that read as ``Label: value``
  (``structure.form_field``), bulleted or not, each ending short of the
  page's right edge (a line running to it is wrapped prose), are fields: the
  label apart from the value, the line beginning at the label.
- Bibliographies: list items under a heading such as "Books" or "References"
  are bibliography entries, by the same rule as typed text (``structure``).
- Pages: a paragraph running on over a page break (no closing punctuation,
  next page starting in lower case or mid-word) stays one block, with the
  <pb> inside it. Every page's <pb> sits where its first line begins.
- Languages: each word was read in its page's language or, in a passage
  read again (``passages``), in another. A line in another language than the
  one before it starts a new block; a block in another language than the
  document's carries it (xml:lang), and words in yet another language inside
  a block become a foreign passage.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from statistics import median

from pipeline.model import Block, Foreign, Milestone, Unclear, Zone
from pipeline.ocr.language import script_of, tag
from pipeline.ocr.words import Line, PageText, Word, area, median_height, overlap, union
from pipeline.structure import BIBLIOGRAPHY, form_field, item_kind

BULLETS = set("•●▪■◦○∙‣⁃►▸*·–—-")
BULLET_MISREADS = set("e°«»©®@¢oO069+")  # what Tesseract makes of a bullet it does not know
HEAD_RATIO = 1.2  # heading type at least this much larger than body type
CAPTION_RATIO = 0.95  # caption type smaller than this share of body type
CAPTION_GAP = 1.5  # line heights at most between a picture and its caption
TITLE_RATIO = 1.5
TABLE_COLUMNS = 3  # columns a table's rows spread over, at least (two are a label and its text)
TABLE_ROWS = 3  # lines holding that many columns, at least
GUTTER = 2.0  # body character widths: the narrowest gap between a table's columns
PARTED_HYPHEN = 0.5  # of a line's usual gap between words: a narrower gap after a word's hyphen is none
FIELD_SHORT = 10  # body character widths by which a form field's line ends short of the page's right edge
PICTURE_LINES = 3  # line heights: the least width and height of a picture with no caption
EDGE = 0.01  # share of the page's size: a picture with no caption this near an edge is the scan's border
SENTENCE_END = tuple(".!?:;\"”’)")


@dataclass
class OcrPage:
    id: str  # xml:id of the surface
    n: int
    text: PageText
    width: int
    height: int
    language: str = "eng"  # the Tesseract language the page was read in


@dataclass
class _Group:
    kind: str  # "p" | "head" | "item" | "caption" | "row" | "field" | "figure" (a picture with no caption)
    lines: list[Line]
    page: int  # index of the page it starts on
    figure: str | None = None  # a caption's picture zone
    columns: list[tuple[int, int]] = field(default_factory=list)  # a row's table columns, left to right
    label: tuple[int, int] = (0, 0)  # a field's label: where its words begin and end in its line


@dataclass
class _Builder:
    """Accumulates one block's text with its milestones and word confidences."""

    kind: str
    depth: int = 0
    figure: str | None = None
    label: str | None = None  # a field's label
    text: str = ""
    milestones: list[Milestone] = field(default_factory=list)
    words: list[list] = field(default_factory=list)  # [start, end, conf, language]
    cells: list[tuple[int, int]] = field(default_factory=list)  # a row's cells: (start, end) in text

    def block(self, unclear_below: float, main: str) -> Block:
        unclear = [Unclear(s, e, round(c / 100, 2)) for s, e, c, _ in self.words if c < unclear_below * 100]
        languages = {lang for *_, lang in self.words}
        own = languages.pop() if len(languages) == 1 else main
        foreign: list[Foreign] = []
        for s, e, _, lang in self.words:
            if lang == own:
                continue
            if foreign and foreign[-1].lang == tag(lang) and not self.text[foreign[-1].end:s].strip():
                foreign[-1].end = e  # the next word of the same passage
            else:
                foreign.append(Foreign(s, e, tag(lang)))
        return Block(self.kind, self.text, depth=self.depth, label=self.label, milestones=self.milestones,
                     unclear=unclear, lang=tag(own) if own != main else None, foreign=foreign,
                     figure=self.figure, cells=self.cells)


def build_blocks(pages: list[OcrPage], unclear_below: float,
                 main: str | None = None) -> tuple[list[Block], dict[str, list[Zone]]]:
    """Blocks in reading order, and each page's line zones (by page id). ``main``: the document's
    language (Tesseract's code; default: the language most of its letters were read in)."""
    main = main or main_language(pages)
    body = _body_size(pages)
    hyphenated = {w.text.lower() for p in pages for w in p.text.words if "-" in w.text.strip("-")}
    groups = [g for i, p in enumerate(pages) for g in _groups(p, i, body)]
    zones: dict[str, list[Zone]] = {p.id: [] for p in pages}
    zone_ids = {}
    for i, p in enumerate(pages):
        for k, line in enumerate(p.text.lines, 1):
            zid = f"{p.id}-l{k}"
            zone_ids[id(line)] = zid
            zones[p.id].append(_zone(zid, line.box, p))
    _mark_captions(groups, pages, body, zones)
    groups = _with_pictures(groups, pages, zones)
    _mark_headings(groups, body)
    builders: list[_Builder] = []
    pending_pb: list[Milestone] = []  # page breaks of pages with no text yet placed
    page_started = -1
    for g in groups:
        current = builders[-1] if builders else None
        if not (current and g.kind == "p" and current.kind == "p" and g.page != page_started
                and _runs_on(current.text, g.lines[0])):
            current = _Builder(g.kind, depth=1 if g.kind == "head" else 0, figure=g.figure)
            builders.append(current)
        if g.kind == "field":  # a bullet before the label is markup, left out
            current.label = " ".join(w.text for w in g.lines[0].words[g.label[0]:g.label[1]])
        for line in g.lines:
            if g.page > page_started:  # the first line of a page (and of any empty pages before it)
                for j in range(page_started + 1, g.page + 1):
                    pending_pb.append(Milestone(0, "pb", facs=pages[j].id, n=str(pages[j].n)))
                page_started = g.page
            if g.kind == "row":
                _append_row(current, line, g.columns, zone_ids[id(line)], body, pending_pb, pages[g.page].language)
            else:
                skip = g.label[1] if g.kind == "field" else int(g.kind == "item" and _bullet(line))
                _append_line(current, line, zone_ids[id(line)], pending_pb, hyphenated, skip,
                             page_language=pages[g.page].language)
            pending_pb = []
    trailing = [Milestone(0, "pb", facs=p.id, n=str(p.n)) for p in pages[page_started + 1:]]
    if trailing:
        if not builders:
            builders.append(_Builder("p"))
        last = builders[-1]
        last.milestones += [Milestone(len(last.text), m.kind, m.facs, m.n) for m in trailing]
    if builders and builders[0].kind == "head" and _size(groups[0].lines) >= TITLE_RATIO * body \
            and groups[0].page == 0:
        builders[0].depth = 0
    _mark_bibliographies(builders)
    return [b.block(unclear_below, main) for b in builders], zones


def main_language(pages: list[OcrPage]) -> str:
    """The language most of the pages' letters were read in."""
    letters: dict[str, int] = {}
    for p in pages:
        for w in p.text.words:
            code = w.language or p.language
            letters[code] = letters.get(code, 0) + sum(ch.isalpha() for ch in w.text)
    return max(letters, key=letters.get) if letters else (pages[0].language if pages else "eng")


def _line_language(line: Line, page_language: str) -> str:
    """The language most of the line's letters were read in."""
    letters: dict[str, int] = {}
    for w in line.words:
        code = w.language or page_language
        letters[code] = letters.get(code, 0) + sum(ch.isalpha() for ch in w.text) + 1
    return max(letters, key=letters.get)


def _mark_bibliographies(builders: list[_Builder]) -> None:
    """List items under a heading such as "Books" or "References", or that read as references, are
    bibliography entries, as in typed text."""
    in_bibliography = False
    for b in builders:
        if b.kind == "head":
            in_bibliography = bool(BIBLIOGRAPHY.match(b.text.strip()))
        elif b.kind == "item":
            b.kind = item_kind(b.text, in_bibliography)


def _append_line(b: _Builder, line: Line, zone_id: str, pbs: list[Milestone], hyphenated: set[str],
                 skip: int, page_language: str) -> None:
    """The line's words after the first ``skip`` (a bullet, a field's label) at the end of the block."""
    words = line.words[skip:] or line.words
    first = words[0]
    join = b.words and b.text.endswith("-") and len(b.text) > 1 and b.text[-2].isalpha() and first.text[0].isalpha()
    soft = False
    if join:
        head = b.text[b.words[-1][0]:].lower()
        if b.text[-2].islower() and first.text[0].islower() and head + first.text.lower() not in hyphenated:
            b.text, soft = b.text[:-1], True
    elif b.text:
        b.text += " "
    offset = len(b.text)
    b.milestones += [Milestone(offset, m.kind, m.facs, m.n) for m in pbs]
    b.milestones.append(Milestone(offset, "lb", facs=zone_id, in_word=bool(join), soft_hyphen=soft))
    if join:  # the word's two halves: one word, as sure as its less sure half
        b.text += first.text
        b.words[-1][1] = len(b.text)
        b.words[-1][2] = min(b.words[-1][2], first.conf)
        if len(words) > 1:
            b.text += "" if _unspaced(first.text[-1]) and _unspaced(words[1].text[0]) else " "
        words = words[1:]
    _append_words(b, words, page_language)


def _append_words(b: _Builder, words: list[Word], page_language: str) -> None:
    """The words at the end of the block's text, spaced as their script is, each with its confidence; a
    word's hyphen the engine parted from the rest of it by a narrow gap is closed up."""
    gaps = sorted(w.box[0] - before.box[2] for before, w in zip(words, words[1:]))
    usual = gaps[len(gaps) // 2] if gaps else 0
    for k, w in enumerate(words):
        if k and not (_unspaced(words[k - 1].text[-1]) and _unspaced(w.text[0])) \
                and not _parted_hyphen(words[k - 1], w, usual):
            b.text += " "
        b.words.append([len(b.text), len(b.text) + len(w.text), w.conf, w.language or page_language])
        b.text += w.text


def _append_row(b: _Builder, line: Line, columns: list[tuple[int, int]], zone_id: str, char: float,
                pbs: list[Milestone], page_language: str) -> None:
    """A table row: each column's words make one cell (empty where the line has none there)."""
    cells: list[list[Word]] = [[] for _ in columns]
    for run in _segments(line, char):
        cells[_column_of(_extent(run), columns)] += run
    begun = False
    for words in cells:
        if words and b.text:
            b.text += " "
        start = len(b.text)
        if words and not begun:  # the line begins where its first cell's text does
            b.milestones += [Milestone(start, m.kind, m.facs, m.n) for m in pbs]
            b.milestones.append(Milestone(start, "lb", facs=zone_id))
            begun = True
        _append_words(b, words, page_language)
        b.cells.append((start, len(b.text)))


def _parted_hyphen(before: Word, word: Word, usual_gap: int) -> bool:
    """A word's hyphen parted from the rest of it ("Morris- Suzuki"): a letter and a hyphen, then a letter,
    at under half the line's usual gap between words (a dash, or a suspended hyphen as in "pre- and
    post-war", stands a word's space away)."""
    return (len(before.text) > 1 and before.text.endswith("-") and before.text[-2].isalpha()
            and word.text[:1].isalpha() and word.box[0] - before.box[2] < PARTED_HYPHEN * usual_gap)


def _unspaced(ch: str) -> bool:
    """Letters of scripts written without spaces between words (Han, kana), which Tesseract spaces."""
    return script_of(ch) in ("Han", "Japanese")


def _runs_on(text: str, line: Line) -> bool:
    """Whether a paragraph ending in ``text`` continues with ``line`` (over a page break)."""
    first = line.words[0].text
    return bool(text) and (text.endswith("-") or (not text.endswith(SENTENCE_END) and first[:1].islower()))


def _size(lines: list[Line]) -> float:
    """Type size as the median width of a character: unlike heights, it does not
    depend on which letters have ascenders or descenders, and bold type is wider."""
    widths = [(w.box[2] - w.box[0]) / len(w.text) for ln in lines for w in ln.words if len(w.text) > 1]
    return median(widths) if widths else median((w.box[2] - w.box[0]) for ln in lines for w in ln.words)


def _body_size(pages: list[OcrPage]) -> float:
    """The body text's character width: the median over the document's longer lines."""
    lines = [ln for p in pages for ln in p.text.lines]
    long = [ln for ln in lines if len(ln.words) >= 4]
    return _size(long or lines) if lines else 1.0


def _bullet(line: Line) -> bool:
    if len(line.words) < 2:
        return False
    w = line.words[0]
    if len(w.text) != 1:
        return False
    if w.text in BULLETS:
        return True
    small = max(w.box[3] - w.box[1], w.box[2] - w.box[0]) < 0.5 * line.height
    return w.text in BULLET_MISREADS and small


def _groups(ocr_page: OcrPage, page: int, body: float) -> list[_Group]:
    """A page's lines grouped into paragraphs and items (headings are told apart later)."""
    text = ocr_page.text
    if not text.lines:
        return []
    # the usual gap between a paragraph's lines: after lines that run to the right edge (prose wraps
    # there), else after any line of the same block
    right = max(ln.box[2] for ln in text.lines)
    pairs = [(a, b) for a, b in zip(text.lines, text.lines[1:]) if a.block == b.block]
    wrapped = [b.box[1] - a.box[3] for a, b in pairs if a.box[2] >= right - FIELD_SHORT * body]
    gaps = wrapped or [b.box[1] - a.box[3] for a, b in pairs]
    usual = median(gaps) if gaps else 0
    line_height = median_height(text.lines)
    tables = _tables(text.lines, body)
    fields = _fields(text.lines, body, right)
    groups: list[_Group] = []
    prev = None
    for line in text.lines:
        if id(line) in tables:
            groups.append(_Group("row", [line], page, columns=tables[id(line)]))
            prev = line
            continue
        if id(line) in fields:
            groups.append(_Group("field", [line], page, label=fields[id(line)]))
            prev = line
            continue
        bullet = _bullet(line)
        size_jump = prev is not None and max(_size([line]), _size([prev])) > HEAD_RATIO * min(
            _size([line]), _size([prev]))
        new = (prev is None or groups[-1].kind in ("row", "field") or bullet or line.block != prev.block or size_jump
               or line.box[1] - prev.box[3] > usual + 0.5 * line_height
               or _line_language(line, ocr_page.language) != _line_language(prev, ocr_page.language))
        if new:
            groups.append(_Group("item" if bullet else "p", [line], page))
        else:
            groups[-1].lines.append(line)
        prev = line
    return groups


def _fields(lines: list[Line], char: float, right: int) -> dict[int, tuple[int, int]]:
    """The lines that are a form's fields (``structure.form_field``), bulleted or not, two or more in a
    row, each with where its label's words begin and end (by id of the line). A field's line ends short of
    the page's right edge (``right``): one that runs to it is wrapped prose ("Note that: the ships ...")."""
    labels = {}
    for line in lines:
        first = 1 if _bullet(line) else 0
        field = form_field(" ".join(w.text for w in line.words[first:]))
        if field and line.box[2] < right - FIELD_SHORT * char:
            end = first + len(field[0].split())
            if line.words[end - 1].text.endswith(":") and end < len(line.words):
                labels[id(line)] = (first, end)
    found: dict[int, tuple[int, int]] = {}
    for k, line in enumerate(lines):
        if id(line) in labels and any(0 <= j < len(lines) and id(lines[j]) in labels for j in (k - 1, k + 1)):
            found[id(line)] = labels[id(line)]
    return found


def _tables(lines: list[Line], char: float) -> dict[int, list[tuple[int, int]]]:
    """The lines laid out as tables, each with its table's columns (by id of the line)."""
    runs = [[_extent(r) for r in _segments(line, char)] for line in lines]
    spread = [len(r) >= TABLE_COLUMNS for r in runs]
    found: dict[int, list[tuple[int, int]]] = {}
    i = 0
    while i < len(lines):
        if not spread[i]:
            i += 1
            continue
        end = i + 1  # runs on over up to two lines of wrapped cells, no wider than a cell, between rows
        widest = max(b - a for a, b in runs[i])
        while end < len(lines):
            if spread[end]:
                widest = max(widest, *(b - a for a, b in runs[end]))
                end += 1
                continue
            following = next((j for j in range(end + 1, min(end + 3, len(lines))) if spread[j]), None)
            if following is None or any(b - a > widest for line_runs in runs[end:following] for a, b in line_runs):
                break
            end = following
        columns = _columns(runs[i:end]) if sum(spread[i:end]) >= TABLE_ROWS else []
        if len(columns) >= TABLE_COLUMNS:  # runs crossing gutters may leave too few columns standing
            found.update((id(line), columns) for line in lines[i:end])
        i = end
    return found


def _segments(line: Line, char: float) -> list[list[Word]]:
    """A line's words in runs parted by gutters (gaps of at least GUTTER characters)."""
    runs: list[list[Word]] = []
    for w in sorted(line.words, key=lambda w: w.box[0]):
        if runs and w.box[0] - runs[-1][-1].box[2] < GUTTER * char:
            runs[-1].append(w)
        else:
            runs.append([w])
    return runs


def _columns(runs: list[list[tuple[int, int]]]) -> list[tuple[int, int]]:
    """A table's columns, left to right, from the x-ranges of each line's runs of words: those ranges
    merged where they overlap, leaving out the runs that cross a gutter (overlapping two runs of another
    line)."""
    simple = sorted(e for k, line_runs in enumerate(runs) for e in line_runs
                    if not any(sum(_overlap(e, o) > 0 for o in other) >= 2 for j, other in enumerate(runs) if j != k))
    columns: list[tuple[int, int]] = []
    for left, right in simple:
        if columns and left < columns[-1][1]:
            columns[-1] = (columns[-1][0], max(columns[-1][1], right))
        else:
            columns.append((left, right))
    return columns


def _extent(words: list[Word]) -> tuple[int, int]:
    return min(w.box[0] for w in words), max(w.box[2] for w in words)


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return min(a[1], b[1]) - max(a[0], b[0])


def _column_of(extent: tuple[int, int], columns: list[tuple[int, int]]) -> int:
    """The column a run stands in: the one it overlaps most, or else the nearest."""
    return max(range(len(columns)), key=lambda k: _overlap(extent, columns[k]))


def _zone(zid: str, box: tuple[int, int, int, int], page: OcrPage) -> Zone:
    l, t, r, b = box
    return Zone(zid, max(0, l), max(0, t), min(page.width, r), min(page.height, b))


def _mark_captions(groups: list[_Group], pages: list[OcrPage], body: float, zones: dict[str, list[Zone]]) -> None:
    """Mark the groups that caption a picture, and give each captioned picture a zone."""
    for g in groups:
        page = pages[g.page]
        if g.kind != "p" or len(g.lines) > 4 or _size(g.lines) >= CAPTION_RATIO * body:
            continue
        box, near = union([ln.box for ln in g.lines]), CAPTION_GAP * median_height(g.lines)
        for k, pic in enumerate(page.text.pictures, 1):
            across = min(box[2], pic[2]) - max(box[0], pic[0])
            if across >= 0.5 * (box[2] - box[0]) and (0 <= box[1] - pic[3] <= near or 0 <= pic[1] - box[3] <= near):
                g.kind, g.figure = "caption", f"{page.id}-fig{k}"
                if all(z.id != g.figure for z in zones[page.id]):
                    zones[page.id].append(_zone(g.figure, pic, page))
                break


def _with_pictures(groups: list[_Group], pages: list[OcrPage], zones: dict[str, list[Zone]]) -> list[_Group]:
    """The groups with a figure for each picture no caption names, where it stands on its page: before
    the first group below its top. Without a caption to vouch for it, a picture must be one: at least
    PICTURE_LINES line heights each way (not a speck), clear of the image's edges (not the scan's
    border, a shadow or the next page) and apart from the pictures already there (not a part of one)."""
    by_page: list[list[_Group]] = [[] for _ in pages]
    for g in groups:
        by_page[g.page].append(g)
    out: list[_Group] = []
    for i, (page, on_page) in enumerate(zip(pages, by_page)):
        named = {g.figure for g in on_page}
        least = PICTURE_LINES * median_height(page.text.lines)
        margin = EDGE * max(page.width, page.height)
        pictures = list(enumerate(page.text.pictures, 1))
        taken = [pic for k, pic in pictures if f"{page.id}-fig{k}" in named]
        figures = []
        for k, pic in sorted(pictures, key=lambda kp: -area(kp[1])):  # the larger first: a part of one is none
            left, top, right, bottom = pic
            substantial = min(right - left, bottom - top) >= least
            inland = left > margin and top > margin and right < page.width - margin and bottom < page.height - margin
            if substantial and inland and not any(overlap(pic, t) for t in taken):
                taken.append(pic)
                zones[page.id].append(_zone(f"{page.id}-fig{k}", pic, page))
                figures.append((top, _Group("figure", [], i, figure=f"{page.id}-fig{k}")))
        figures.sort(key=lambda f: f[0])
        for g in on_page:
            while figures and figures[0][0] < g.lines[0].box[1]:
                out.append(figures.pop(0)[1])
            out.append(g)
        out += [g for _, g in figures]
    return out


def _mark_headings(groups: list[_Group], body: float) -> None:
    for i, g in enumerate(groups):
        short = len(g.lines) <= 3 and sum(len(ln.words) for ln in g.lines) <= 20
        followed = i + 1 < len(groups)
        if g.kind == "p" and short and followed and _size(g.lines) >= HEAD_RATIO * body \
                and not re.search(r"[.,;]$", g.lines[-1].words[-1].text):
            g.kind = "head"
