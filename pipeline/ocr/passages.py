"""Passages in another script within a page, read again with that script's model.

A page is read with the model of its main language; a model reads another
script as its own letters (a Russian sentence as Latin gibberish) or not at
all (a name in kanji inside an English line comes out as nothing). So after
the page's reading, two kinds of places are read again:

- lines that do not read as the page's language: few of their letters are
  in words its word list knows (and the page's language has one);
- inside a line, stretches of ink that no word covers, at least two
  characters wide, and words read unsurely that the word list does not know.

A "line" far taller than the page's lines is a picture or a rule read as
marks, and is not read again.

They are cut out, stacked into one strip and read with each model of
another script (with the page's own beside it, so Latin words in the line
stay Latin); a line takes the reading that writes mostly that script and
reads far more text surely than its first reading did, a gap the words of
a reading that writes only that script and is sure of them, words of that
language where it has a word list (a degraded English word read surely as
Cyrillic non-words stays as read; a line of a language without a word
list takes a sure reading). The words then
carry the language they were read in. One strip per model keeps the cost to a
few small readings per page, and none where every line reads as the page's
language.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from PIL import Image

from pipeline.ocr import language, preprocess
from pipeline.ocr.words import Line, PageText, Word, median_height

FOREIGN_BELOW = 0.35  # share of a line's letters in known words under which it does not read as the language
EVIDENCE_LETTERS = 3  # shorter words are in every large word list, whatever the language
UNSURE = 50  # confidence under which an unknown word may be in another script
MAX_SHARE = 0.5  # more suspect lines than this share of the page: the page's reading is poor, not foreign
MAX_WITHIN = 0.1  # the same for gaps and unsure words, as a share of the page's words
STRIP_PIECES = 30  # pieces read in one strip (Tesseract refuses images over 32767 pixels high)
FAR_BETTER = 1.25  # a line's new reading must score this much higher than its first
SURE = 70  # mean confidence (by characters) a reading needs where no word list can vouch for it
GAP_WIDTH = 1.5  # line heights of uncovered ink that make a gap (two CJK characters)
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
PAD = 0.25  # of a line's height, around each piece cut out
TALL_LINE = 2.5  # times the median line height: no line of text
MIN_OWN_LETTERS = 3  # a reading in another script needs this many letters no Latin letter looks like
# letters of other scripts that look like Latin letters, or (the CJK strokes) like dashes and bars
LOOKALIKES = set("АВЕЅІЈКМНОРСТХУаеіјорсхуѕԁԛԝΑΒΕΖΗΙΚΜΝΟΡΤΥΧαοτυνκ" "ー一二ニ丁卜ト口ロ工エ")


@dataclass
class _Piece:
    line: Line
    box: tuple[int, int, int, int]  # in pixels of the page image read
    gap: bool  # a stretch within the line (uncovered ink, or an unsure unknown word), not the whole line
    top: int = 0  # where it sits in the strip
    left: int = 0


def read_other_scripts(text: PageText, image: Image.Image, code: str, codes: list[str],
                       recognize: Callable[[Image.Image, str], PageText]) -> int:
    """Read again, in place, the lines and gaps of ``text`` that another script's model reads better;
    returns how many changed. ``recognize(image, languages)`` reads a strip of lines."""
    main = language.LANGUAGES.get(code)
    others = [c for c in codes if c in language.LANGUAGES and main and language.LANGUAGES[c].script != main.script]
    if not others or not text.lines:
        return 0
    # a "line" far taller than the page's lines is a picture or a rule read as letters, not a passage
    usual = median_height(text.lines)
    lines = [ln for ln in text.lines if ln.height <= TALL_LINE * usual]
    pieces = [_Piece(ln, _padded(ln.box, ln, image), False) for ln in lines if _foreign(ln, code)]
    if len(pieces) > MAX_SHARE * len(text.lines):
        return 0
    suspect = {id(p.line) for p in pieces}
    ink = preprocess.ink_mask(image, width=max(1, image.width // 4))
    within = [_Piece(ln, box, True) for ln in lines if id(ln) not in suspect
              for box in _gaps(ln, ink, image) + _unsure_words(ln, code, image)]
    if len(within) > MAX_WITHIN * len(text.words):  # so many: a poor reading, not passages
        within = []
    pieces += within
    if not pieces:
        return 0
    readings: dict[str, list[list[Word]]] = {other: [] for other in others}
    for start in range(0, len(pieces), STRIP_PIECES):
        batch = pieces[start:start + STRIP_PIECES]
        strip = _strip(batch, image)
        for other in others:
            readings[other] += _rows(recognize(strip, other), batch)
    changed = 0
    for k, piece in enumerate(pieces):
        script_of = {other: language.LANGUAGES[other].script for other in others}
        best = None
        for other in others:
            words = readings[other][k]
            share = _script_share(words, script_of[other])
            if not words or _own_letters(words, script_of[other]) < MIN_OWN_LETTERS:
                continue
            if piece.gap:  # where the other language has a word list, its words must be in it
                ok = share == 1 and _mean_conf(words) >= SURE \
                    and (not language.has_words(other) or _reads_as(words, other))
            else:
                ok = (share >= 0.5 and _score(words) > FAR_BETTER * _score(piece.line.words)
                      and (_reads_as(words, other) if language.has_words(other)
                           else _mean_conf(words) >= SURE))
            if ok and (best is None or _score(words) > _score(best[1])):
                best = (other, words)
        if best:
            other, words = best
            for w in words:
                w.language = other
            if piece.gap:  # the new words take the place of those read there
                kept = [w for w in piece.line.words if not piece.box[0] <= (w.box[0] + w.box[2]) / 2 <= piece.box[2]]
                piece.line.words = sorted(kept + words, key=lambda w: w.box[0])
            else:
                piece.line.words = words
            changed += 1
    return changed


def _foreign(line: Line, code: str) -> bool:
    """Whether the line does not read as the language: few of its letters are in words it knows."""
    if not language.has_words(code):
        return False
    letters, known = _known_letters(line.words, code)
    return letters >= 6 and known < FOREIGN_BELOW * letters


def _reads_as(words: list[Word], code: str) -> bool:
    """Whether most of the words' letters are in words the language knows."""
    letters, known = _known_letters(words, code)
    return known >= 0.5 * letters


def _known_letters(words: list[Word], code: str) -> tuple[int, int]:
    """Letters in words of EVIDENCE_LETTERS or more, and those of them in words the language knows."""
    letters = known = 0
    for w in words:
        for word in language.words_of(w.text):
            if len(word) < EVIDENCE_LETTERS:
                continue
            letters += len(word)
            known += len(word) if language.known(word, code) else 0
    return letters, known


def _own_letters(words: list[Word], script: str) -> int:
    """Letters of the script that look like no Latin letter or mark (a Latin line read as Cyrillic is
    all "М. С.", a row of dashes read as Japanese all "ーー")."""
    return sum(1 for w in words for ch in w.text
               if language.script_of(ch) in (script, "Han" if script == "Japanese" else script)
               and ch not in LOOKALIKES)


def _gaps(line: Line, page_ink: np.ndarray, image: Image.Image) -> list[tuple[int, int, int, int]]:
    """Stretches of the line's band with ink that no word box covers, GAP_WIDTH line heights wide or more
    (``page_ink``: the page's ``preprocess.ink_mask``)."""
    height = line.box[3] - line.box[1]
    if height <= 0 or len(line.words) < 2:
        return []
    f = image.width / page_ink.shape[1]
    ink = page_ink[int(line.box[1] / f):max(int(line.box[1] / f) + 1, int(np.ceil(line.box[3] / f)))].any(axis=0)
    covered = np.zeros(len(ink), bool)
    for w in line.words:
        covered[int(w.box[0] / f):int(np.ceil(w.box[2] / f)) + 1] = True
    loose = ink & ~covered
    loose[:int(line.box[0] / f)] = False  # only between the line's own words
    loose[int(np.ceil(line.box[2] / f)):] = False
    gaps = []
    edges = np.flatnonzero(np.diff(np.concatenate(([0], loose.astype(np.int8), [0]))))
    for start, end in zip(edges[::2], edges[1::2]):
        if (end - start) * f >= GAP_WIDTH * height:
            box = (round(start * f), line.box[1], round(end * f), line.box[3])
            gaps.append(_padded(box, line, image))
    return gaps


def _unsure_words(line: Line, code: str, image: Image.Image) -> list[tuple[int, int, int, int]]:
    """The boxes of the line's words read unsurely that the language's word list does not know."""
    if not language.has_words(code):
        return []
    return [_padded(w.box, line, image) for w in line.words
            if w.conf < UNSURE and len(w.text) >= 2 and not _a_known_word(w.text, code)]


def _a_known_word(text: str, code: str) -> bool:
    """Whether the token, its punctuation aside, is one word (or a hyphenated compound) the language knows."""
    core = text.strip(".,;:!?()[]{}\"'«»“”‘’")
    return bool(_WORD.fullmatch(core)) and all(language.known(w, code) for w in language.words_of(core))


def _padded(box, line: Line, image: Image.Image) -> tuple[int, int, int, int]:
    pad = round(PAD * (line.box[3] - line.box[1]))
    return (max(0, box[0] - pad), max(0, box[1] - pad), min(image.width, box[2] + pad),
            min(image.height, box[3] + pad))


def _strip(pieces: list[_Piece], image: Image.Image) -> Image.Image:
    """The pieces one below another on white, a line's height apart, each noting where it sits."""
    gap = max(p.box[3] - p.box[1] for p in pieces)
    width = max(p.box[2] - p.box[0] for p in pieces) + 2 * gap
    height = sum(p.box[3] - p.box[1] + gap for p in pieces) + gap
    strip = Image.new("L", (width, height), 255)
    y = gap
    for p in pieces:
        p.top, p.left = y, gap
        strip.paste(image.crop(p.box), (p.left, p.top))
        y += p.box[3] - p.box[1] + gap
    return strip


def _rows(text: PageText, pieces: list[_Piece]) -> list[list[Word]]:
    """The strip's words by the piece they lie in, moved back to the page's pixels."""
    rows: list[list[Word]] = [[] for _ in pieces]
    for w in text.words:
        middle = (w.box[1] + w.box[3]) / 2
        for k, p in enumerate(pieces):
            if p.top <= middle < p.top + p.box[3] - p.box[1]:
                dx, dy = p.box[0] - p.left, p.box[1] - p.top
                rows[k].append(Word(w.text, (w.box[0] + dx, w.box[1] + dy, w.box[2] + dx, w.box[3] + dy), w.conf,
                                    w.language))
                break
    for row in rows:
        row.sort(key=lambda w: w.box[0])
    return rows


def _script_share(words: list[Word], script: str) -> float:
    counts = language.scripts(" ".join(w.text for w in words))
    total = sum(counts.values())
    if not total:
        return 0.0
    mine = counts.get(script, 0) + (counts.get("Han", 0) if script == "Japanese" else 0)
    return mine / total


def _mean_conf(words: list[Word]) -> float:
    return sum(len(w.text) * w.conf for w in words) / max(1, sum(len(w.text) for w in words))


def _score(words: list[Word]) -> float:
    return sum(len(w.text) * w.conf / 100 for w in words)
