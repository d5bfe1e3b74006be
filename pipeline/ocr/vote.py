"""Several readings of one page combined word by word: a vote among binarizations.

A degraded page binarized at different thresholds (or not at all) is misread
in different places: a thin stroke one threshold loses survives in another.
The words of every reading are laid on the primary reading's lines by their
boxes and the line is cut into columns, stretches no word of any reading
crosses the edges of, so "Chapl novo" and "Chaplanovo" share one column. In
each column the text most readings agree on wins; among equally many, the
one read most surely (the weakest word's confidence), the primary's own
where it is a clear majority. A column the primary left empty is filled only
when most readings agree on it. Lines the primary read oddly (words out of
order, a box two lines high) keep the primary's words.
"""
from __future__ import annotations

import statistics
from collections import Counter

from pipeline.ocr.words import Line, PageText, Word

TALL_LINE = 1.8  # a line box this many word heights tall spans two lines of print


def vote(primary: PageText, others: list[PageText]) -> tuple[PageText, int]:
    """The primary reading with each column's text decided by all readings; and how many columns changed.

    The readings' boxes must be in the same pixels; their words are shared, not copied."""
    heights = [w.box[3] - w.box[1] for w in primary.words]
    tall = TALL_LINE * statistics.median(heights) if heights else 0
    on_line: list[dict[int, list[Word]]] = [_assign(primary.lines, other) for other in others]
    lines, changed = [], 0
    for i, line in enumerate(primary.lines):
        lefts = [w.box[0] for w in line.words]
        if lefts != sorted(lefts) or line.box[3] - line.box[1] > tall:
            lines.append(line)
            continue
        readings = [line.words] + [sorted(words.get(i, []), key=lambda w: w.box[0]) for words in on_line]
        words: list[Word] = []
        for left, right in _columns(readings):
            chosen, differs = _decide(readings, left, right)
            words += chosen
            changed += differs
        lines.append(Line(line.box, words, line.block, line.par))
    return PageText(lines), changed


def _assign(lines: list[Line], reading: PageText) -> dict[int, list[Word]]:
    """The reading's words by the primary line they lie on (most of their height inside its box)."""
    out: dict[int, list[Word]] = {}
    for w in reading.words:
        height = max(1, w.box[3] - w.box[1])
        best, share = None, 0.5
        for i, line in enumerate(lines):
            if w.box[2] <= line.box[0] or w.box[0] >= line.box[2]:
                continue
            overlap = (min(w.box[3], line.box[3]) - max(w.box[1], line.box[1])) / height
            if overlap > share:
                best, share = i, overlap
        if best is not None:
            out.setdefault(best, []).append(w)
    return out


def _columns(readings: list[list[Word]]) -> list[tuple[int, int]]:
    """Stretches of the line that no word of any reading crosses the edges of, left to right."""
    columns: list[list[int]] = []
    for left, right in sorted((w.box[0], w.box[2]) for words in readings for w in words):
        if columns and left < columns[-1][1]:
            columns[-1][1] = max(columns[-1][1], right)
        else:
            columns.append([left, right])
    return [(left, right) for left, right in columns]


def _decide(readings: list[list[Word]], left: int, right: int) -> tuple[list[Word], bool]:
    """The column's words by the vote, and whether they differ from the primary's."""
    texts = []  # (reading, text, weakest confidence, words)
    for k, words in enumerate(readings):
        inside = [w for w in words if left <= (w.box[0] + w.box[2]) / 2 <= right]
        if inside:
            texts.append((k, " ".join(w.text for w in inside), min(w.conf for w in inside), inside))
    votes = Counter(text for _, text, _, _ in texts)
    primary = texts[0] if texts and texts[0][0] == 0 else None
    ranked = votes.most_common(2)
    if primary is not None and ranked[0][1] == votes[primary[1]] and (len(ranked) == 1 or ranked[1][1] < ranked[0][1]):
        return primary[3], False  # the primary's reading is the clear majority
    best = max(texts, key=lambda t: (votes[t[1]], t[2]))
    if primary is None and 2 * votes[best[1]] <= len(readings):
        return [], False  # a word only some readings see, where the primary saw none: speckle
    return best[3], primary is None or best[1] != primary[1]

