"""Annotation: names with registers, dates and figures (ENCODING.md sections 1-2).

``annotate`` fills every block's spans and the document's register entries,
and returns the names the authority register does not know.
"""
from __future__ import annotations

import re
from collections.abc import Callable

from pipeline.annotate import evidence as E
from pipeline.annotate import lexicon as L
from pipeline.annotate import resources
from pipeline.annotate.dates import YearContext, find_dates, find_times, writes_clock_times, writes_day_first
from pipeline.annotate.figures import find_figures
from pipeline.annotate.mentions import Mention
from pipeline.annotate.names import NameFinder
from pipeline.annotate.resolve import original_script_forms, resolve, restatements
from pipeline.annotate.register import Register, cached_register, entity_id
from pipeline.annotate.unregistered import UnregisteredName, write_unregistered_csv
from pipeline.config import Settings
from pipeline.model import APPARATUS_KINDS, Block, Document, Entity, Span

__all__ = ["annotate", "UnregisteredName", "write_unregistered_csv"]
CONTEXT_CHARS = 40


def annotate(doc: Document, settings: Settings, register: Register | None = None) -> list[UnregisteredName]:
    """Fill ``block.spans`` and ``doc.entities``; return the names the register lacks. A document in
    another language than English has that language's common words weighed as no names too."""
    with E.text_language(doc.languages[0] if doc.languages else None):
        return _annotate(doc, settings, register)


def _annotate(doc: Document, settings: Settings, register: Register | None) -> list[UnregisteredName]:
    reg = register if register is not None else cached_register(settings.registers)
    views = [annotation_view(block) for block in doc.blocks]
    years = YearContext(day_first=writes_day_first(views), clock=writes_clock_times(views))
    times = [find_times(view, years) for view in views]
    views = [_blanked(view, spans) for view, spans in zip(views, times)]  # a time is no year, no figure
    finder = NameFinder(reg, ocr=doc.source.kind != "text")
    dates: list[list[Span]] = []
    mentions: list[Mention] = []
    for bi, (block, view) in enumerate(zip(doc.blocks, views)):
        found = find_dates(view, years)
        dates.append(found)
        for m in finder.find(bi, view, _reading(block), [(s.start, s.end) for s in found]):
            m.text = block.text[m.start:m.end]  # the view may read capitals as title case
            mentions.append(m)
    _columns_share_a_type(doc.blocks, mentions, finder)
    mentions = resolve(mentions)
    mentions += original_script_forms(views, mentions)
    restated = restatements(views, mentions, [[(s.start, s.end) for s in d] for d in dates], reg,
                            [block.text for block in doc.blocks])
    covered: dict[int, list[tuple[int, int]]] = {}
    for m in restated:
        covered.setdefault(m.block, []).append((m.start, m.end))
    mentions = sorted([m for m in mentions if not any(
        s <= m.start and m.end <= e for s, e in covered.get(m.block, ()))] + restated,
        key=lambda m: (m.block, m.start))

    entities: dict[str, Entity] = {}
    unregistered: list[UnregisteredName] = []
    canonical: dict[tuple[str, str], str] = {}  # (kind, surname) -> full name, for unregistered persons
    for m in mentions:
        if m.entry is None and m.kind == "person" and " " in m.text:
            canonical.setdefault((m.kind, m.text.split()[-1]), m.text)
    names: list[list[Span]] = [[] for _ in doc.blocks]
    for m in mentions:
        if m.entry is not None:
            e = m.entry
            ent = entities.setdefault(e.id, Entity(e.id, e.kind, e.name, [], e.wikidata, e.geonames))
        else:
            name = canonical.get((m.kind, m.text), m.alias_of or m.text)
            eid = entity_id(m.kind, name)
            ent = entities.setdefault(eid, Entity(eid, m.kind, name))
            text = doc.blocks[m.block].text
            context = " ".join(text[max(0, m.start - CONTEXT_CHARS):m.end + CONTEXT_CHARS].split())
            unregistered.append(UnregisteredName(m.text, m.kind, context))
        if m.text != ent.name and m.text not in ent.variants:
            ent.variants.append(m.text)
        names[m.block].append(Span(m.start, m.end, m.kind, {"ref": ent.id}))

    for block, view, block_times, block_dates, block_names in zip(doc.blocks, views, times, dates, names):
        apparatus = [s for s in block.spans if s.kind in APPARATUS_KINDS]
        taken = sorted(block_dates + block_names, key=lambda s: s.start)
        figures = find_figures(view, [(s.start, s.end) for s in taken])
        block.spans = _non_overlapping(apparatus + block_times + taken + figures)
    doc.entities = sorted(entities.values(), key=lambda e: e.id)
    return unregistered


def _columns_share_a_type(blocks: list[Block], mentions: list[Mention], finder: NameFinder) -> None:
    """The names that open a table's rows are one coordination ("Huludao", "Tangku", "Tsingtao"):
    a row label with no evidence of its own takes the type its neighbours are known by."""
    first_cell: dict[int, Mention] = {}
    for m in mentions:
        block = blocks[m.block]
        if block.kind == "row" and not block.header and block.cells and m.start == block.cells[0][0]:
            first_cell.setdefault(m.block, m)
    group = None
    for bi, block in enumerate(blocks):
        if block.kind != "row":
            group = None
            continue
        if bi in first_cell:
            if group is None:
                finder.coord_ids += 1
                group = finder.coord_ids
            first_cell[bi].coord = first_cell[bi].coord or group


def annotation_view(block: Block) -> str:
    """The block's text as the annotators read it, offsets unchanged: apparatus blanked out, and
    the gaps between a table row's cells made a barrier no name, date or figure crosses."""
    if block.kind == "fw":  # forme work is all apparatus
        return " " * len(block.text)
    chars = list(_cased(block.text))
    for span in block.spans:
        if span.kind in APPARATUS_KINDS:
            chars[span.start:span.end] = " " * (span.end - span.start)
    for (_, end), (start, _) in zip(block.cells, block.cells[1:]):
        chars[end:start] = "|" * (start - end)
    return "".join(chars)


def _blanked(view: str, spans: list[Span]) -> str:
    for span in spans:
        view = view[:span.start] + " " * (span.end - span.start) + view[span.end:]
    return view


# words: a longer text in capitals is prose (a telegram's body), not a heading
PROSE_IN_CAPITALS = 12


_WORD = re.compile(r"[^\W\d_]+")


def _cased(text: str) -> str:
    """Capitals read as the same text would be typed (capitals change nothing, ENCODING.md): a heading
    in title case, longer text in sentence case; other text as it is."""
    if not _in_capitals(text):
        return text
    return _sentence_cased(text) if len(_WORD.findall(text)) > PROSE_IN_CAPITALS else _title_cased(text)


def _sentence_cased(text: str) -> str:
    """Prose in capitals: a common English word in lower case, any other word (a name, a word the list
    lacks) capitalised, so that only names stand out as they would in prose."""
    words = resources.common_words()
    return _recased(text, lambda low: low in words or low in L.CONNECTORS)


def _in_capitals(text: str) -> bool:
    """A line set in capitals ("REPORT ON THE ARMY ADVISORY GROUP"): two words or more, no lower case."""
    words = re.findall(r"[^\W\d_]{3,}", text)
    return len(words) >= 2 and all(w.isupper() for w in words)


def _title_cased(text: str) -> str:
    """Capitals read as a heading in title case; capitals change nothing (ENCODING.md), so the usual
    rules then apply. "of", "the", "and" stay in lower case."""
    return _recased(text, lambda low: low in L.CONNECTORS or low in L.COMMON and len(low) <= 3)


def _recased(text: str, lower: Callable[[str], bool]) -> str:
    """Each word in lower case where ``lower`` says so, else capitalised; an initial stays a capital.
    Letter for letter, so offsets are unchanged."""
    def word(m: re.Match) -> str:
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in m.group())
        return low if len(low) > 1 and lower(low) else low[:1].upper() + low[1:]
    return _WORD.sub(word, text)


def _reading(block: Block) -> str:
    """How the name finder reads a block: a table's column heads, headings in title case and
    bibliographies strictly (only well-evidenced names), other text as prose."""
    if block.kind == "row" and block.header:
        return "columns"
    if block.kind in ("field", "dateline", "signed"):
        return "field"
    return block.kind


def _non_overlapping(spans: list[Span]) -> list[Span]:
    out: list[Span] = []
    for s in sorted(spans, key=lambda s: (s.start, -s.end)):
        if s.end > s.start and (not out or s.start >= out[-1].end):
            out.append(s)
    return out
