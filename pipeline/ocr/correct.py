"""Post-OCR correction of misread words against a lexicon.

Tesseract's confidences are poorly calibrated on degraded scans (misread
words such as "Manchuna" or "Northem" come back at 85-90), so a word is
judged by the lexicon instead: a word of five letters or more, read with
less than near certainty, that no lexicon knows is replaced by the one
lexicon word a typical OCR slip away (one substitution, for longer words a
deletion or insertion, or a letter read as two: "rn" for "m", "ri" for "n";
a long word may have both). When two words are equally near, none is
chosen. The lexicon is, in order of trust: words read surely
more than once in the document itself, the authority register's names, and
the common words of a word list (setting ``ocr_word_list``: Debian's
wamerican by default).

Only the TEI text changes: the ALTO kept beside each page image holds the
engine's own reading, and each corrected word keeps its confidence, so a
doubtful one stays marked <unclear>.
"""
from __future__ import annotations

import re
import string
from collections import Counter
from functools import lru_cache
from pathlib import Path

from pipeline.annotate.register import cached_register
from pipeline.ocr.words import PageText

MIN_LETTERS = 5  # shorter words have too many neighbours to choose from
INDELS_FROM = 7  # letters; shorter words are only corrected by substitutions (else "Taito" becomes "Tito")
TWO_EDITS_FROM = 8  # letters; from here a confusion and one more edit may combine
SURE = 95  # confidence at which an unknown word is taken as read (clean print reads at 93-96)
DOCUMENT_SURE = 85  # confidence of the readings that make a word the document's own
# a letter the engine splits in two, or two it merges into one (read -> meant)
CONFUSIONS = [("rn", "m"), ("m", "rn"), ("ri", "n"), ("n", "ri"), ("rt", "n"), ("n", "rt"), ("li", "h"), ("h", "li"),
              ("cl", "d"), ("d", "cl"), ("vv", "w"), ("w", "vv"), ("ni", "m"), ("m", "ni"), ("ii", "u"), ("u", "ii")]
_CORE = re.compile(r"^([^A-Za-z]*)([A-Za-z]+)((?:['’]s)?[^A-Za-z]*)$")
_LETTERS = string.ascii_lowercase


def correct_pages(pages: list[PageText], word_list: str = "") -> int:
    """Correct misread words in place across one document's pages; returns how many changed.

    ``word_list``: a file of known words, one a line ("" for none)."""
    words = [w for page in pages for w in page.words]
    seen = Counter(m.group(2).lower() for w in words if w.conf >= DOCUMENT_SURE and (m := _CORE.match(w.text)))
    document = {word for word, n in seen.items() if n >= 2 and len(word) >= MIN_LETTERS}
    lexicons = (document, _register_words(), _system_words(word_list) if word_list else frozenset())
    changed = 0
    for before, w in zip([None, *words], words):
        m = _CORE.match(w.text)
        broken = w.text.endswith("-") or (before is not None and before.text.endswith("-"))
        if not m or len(m.group(2)) < MIN_LETTERS or broken or w.conf >= SURE:
            continue  # not a plain word, too short, part of a word broken at a line end, or surely read
        core = m.group(2)
        if any(core.lower() in lexicon for lexicon in lexicons):
            continue
        better = _best(core.lower(), lexicons)
        if better:
            w.text = m.group(1) + _cased_like(better, core) + m.group(3)
            changed += 1
    return changed


def _best(word: str, lexicons: tuple) -> str | None:
    """The single nearest known word: fewest edits first, then the most trusted lexicon."""
    found: dict[str, tuple[int, int]] = {}
    for cost, candidate in _variants(word):
        for trust, lexicon in enumerate(lexicons):
            if candidate in lexicon:
                key = (cost, trust)
                if candidate not in found or key < found[candidate]:
                    found[candidate] = key
                break
    if not found:
        return None
    best = min(found.values())
    winners = [c for c, key in found.items() if key == best]
    return winners[0] if len(winners) == 1 else None


def _variants(word: str):
    """(edits, string) for every string one OCR slip from ``word``; two for long words."""
    for variant in _one_edit(word):
        yield 1, variant
    for variant in _confusions(word):
        yield 1, variant
        if len(word) >= TWO_EDITS_FROM:
            for twice in _one_edit(variant):
                yield 2, twice


def _one_edit(word: str):
    """Substitutions; deletions and insertions too where the word is long enough."""
    indels = len(word) >= INDELS_FROM
    for i in range(len(word) + 1):
        head, tail = word[:i], word[i:]
        if tail:
            if indels:
                yield head + tail[1:]
            for c in _LETTERS:
                if c != tail[0]:
                    yield head + c + tail[1:]
        if indels:
            for c in _LETTERS:
                yield head + c + tail


def _confusions(word: str):
    for read, meant in CONFUSIONS:
        start = word.find(read)
        while start >= 0:
            yield word[:start] + meant + word[start + len(read):]
            start = word.find(read, start + 1)


def _cased_like(word: str, model: str) -> str:
    if model.isupper():
        return word.upper()
    if model[0].isupper():
        return word[0].upper() + word[1:]
    return word


@lru_cache(maxsize=1)
def _register_words() -> frozenset[str]:
    names = [n for e in cached_register().entries for n in (e.name, *e.variants)]
    return frozenset(w.lower() for n in names for w in re.findall(r"[A-Za-z]+", n))


@lru_cache(maxsize=2)
def _system_words(path: str) -> frozenset[str]:
    """The system word list's common words (its proper nouns are left out: names are an open class,
    and "Shinko" must not become "Shinto"; the register and the document supply names); empty where
    no list is installed."""
    try:
        lines = Path(path).read_text(encoding="utf-8", errors="replace").split()
    except OSError:
        return frozenset()
    return frozenset(w for w in lines if w.isalpha() and w.isascii() and w.islower())
