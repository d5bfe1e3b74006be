"""Post-OCR correction of misread words against a lexicon.

Tesseract's confidences are poorly calibrated on degraded scans (misread
words such as "Manchuna" or "Northem" come back at 85-90), so a word is
judged by the lexicon instead: a word of five letters or more, read with
less than near certainty, that no lexicon knows is replaced by the one
lexicon word a typical OCR slip away (one substitution, for longer words a
deletion or insertion, or a letter read as two: "rn" for "m", "ri" for "n";
a long word may have both). When two words are equally near, none is
chosen, unless one alone is a typical slip (a letter of like shape: "Jooting"
for "looting"; a double letter read once: "milion"). A mark read for a thin
letter is corrected too ("Heal:h", "Kuri!", "Genera)" where no bracket is
open), and the head of a hyphenated word ("Minchurta-based"). The lexicon
is, in order of trust: words read surely more than once
in the document itself, the authority register's names, then their
variants, and the common words of a word list (setting ``ocr_word_list``:
Debian's wamerican by default). A long capitalised word may also be two
edits from a name of the document or register, and a run of capitalised
words is corrected word for word to a register name it nearly spells, a
word the engine split rejoined ("Douglas Mac Arthur"), a letter read as two
counting as one slip ("Nonhem Territories").

Numbers follow the document: where it surely groups thousands with commas,
"62.000" is a comma misread; an em dash between digits is a range's en dash.

Degraded scans also gain capitals ("contrary to Customary international
law"): a capitalised word alone between lower-case words mid-sentence is
lowered when it is a common word no register name uses, or one the document
surely reads in lower case elsewhere.

Only the TEI text changes: the ALTO kept beside each page image holds the
engine's own reading, and each corrected word keeps its confidence, so a
doubtful one stays marked <unclear>.
"""
from __future__ import annotations

import re
import string
from collections import Counter
from functools import lru_cache
from itertools import groupby, islice
from pathlib import Path

from pipeline.annotate.dates import MONTHS
from pipeline.annotate.register import cached_register
from pipeline.ocr.words import PageText, Word, union

MIN_LETTERS = 5  # shorter words have too many neighbours to choose from...
CONFUSION_FROM = 4  # ...but a letter read as two ("Bena" for "Beria") is corrected from four
PHRASE_MAX_WORDS = 7  # the longest register name matched as a run of words
NAME_EDITS_FROM = 7  # letters; from here a capitalised word may be two edits from a name of the document or register
INDELS_FROM = 7  # letters; shorter words are only corrected by substitutions (else "Taito" becomes "Tito")
TWO_EDITS_FROM = 8  # letters; from here a confusion and one more edit may combine
SURE = 95  # confidence at which an unknown word is taken as read (clean print reads at 93-96)
DOCUMENT_SURE = 85  # confidence of the readings that make a word the document's own
# a letter the engine splits in two, or two it merges into one (read -> meant)
CONFUSIONS = [("rn", "m"), ("m", "rn"), ("ri", "n"), ("n", "ri"), ("rt", "n"), ("n", "rt"), ("li", "h"), ("h", "li"),
              ("cl", "d"), ("d", "cl"), ("vv", "w"), ("w", "vv"), ("ni", "m"), ("m", "ni"), ("ii", "u"), ("u", "ii")]
_CORE = re.compile(r"^([^A-Za-z]*)([A-Za-z]+)((?:['’]s)?[^A-Za-z]*)$")
_GLYPH_INSIDE = re.compile(r"^([^A-Za-z]*)([A-Za-z]{2,})[^A-Za-z\s'’-]([A-Za-z]+)((?:['’]s)?[^A-Za-z]*)$")
_GLYPH_AFTER = re.compile(r"^([^A-Za-z]*)([A-Za-z]{3,})([)}\]!|1])([^A-Za-z]*)$")
_HYPHENATED = re.compile(r"^([^A-Za-z]*)([A-Za-z]+)(-[a-z]+[^A-Za-z]*)$")
_COMMA_GROUPED = re.compile(r"(?<![\d.,])[1-9]\d{0,2}(?:,\d{3})+(?![\d]|[.,]\d)")
_POINT_GROUPED = re.compile(r"(?<![\d.,])[1-9]\d{0,2}(?:\.\d{3})+(?![\d]|[.,]\d)")
_POINT_GROUPED_TWICE = re.compile(r"(?<![\d.,])[1-9]\d{0,2}(?:\.\d{3}){2,}(?![\d]|[.,]\d)")
_EM_DASH_RANGE = re.compile(r"(?<=\d)—(?=\d)")
_THIN_LETTERS = "lit"  # what a bracket, bar or "!" after a word most often was
# letters of like shape in common book faces, which the engine takes for one another
_LOOK_ALIKE = frozenset(frozenset(p) for p in "il lt jl ij ft fl ce co eo ao ae nu nh bh uv vy gq".split())
_LETTERS = string.ascii_lowercase
_ALWAYS_CAPITALISED = frozenset(MONTHS) | frozenset("monday tuesday wednesday thursday friday saturday sunday".split())
_LOWER_START = re.compile(r"\W*[a-z]")
_SENTENCE_END = re.compile(r"[.!?:;][\"”’')\]]*$")


def correct_pages(pages: list[PageText], word_list: str = "") -> int:
    """Correct misread words in place across one document's pages; returns how many changed.

    ``word_list``: a file of known words, one a line ("" for none)."""
    paragraphs = [list(lines) for page in pages for _, lines in groupby(page.lines, key=lambda ln: (ln.block, ln.par))]
    # each word with the one before and after it in its paragraph (None at its ends)
    runs = [[w for line in lines for w in line.words] for lines in paragraphs]
    flow = [(before, w, after) for run in runs for before, w, after in zip([None, *run], run, [*run[1:], None])]
    sure = [m.group(2) for _, w, _ in flow if w.conf >= DOCUMENT_SURE and (m := _CORE.match(w.text))]
    seen = Counter(word.lower() for word in sure)
    document = {word for word, n in seen.items() if n >= 2 and len(word) >= MIN_LETTERS}
    lexicons = (document, *_register_words(), _system_words(word_list) if word_list else frozenset())
    common = lexicons[-1]
    # words to write in lower case mid-sentence: the document's own lower-case words, and common words
    # that no register name uses (the register's "Army" or "Labor" may begin a name)
    lower_case = {word for word, n in Counter(word for word in sure if word.islower()).items() if n >= 2}
    in_names = _register_all()
    names = None  # the pool of two-edit name corrections, made when first needed

    def pool() -> set[str]:
        nonlocal names
        names = names if names is not None else document | _register_names()
        return names

    changed, depth = 0, 0
    for before, w, after in flow:
        depth = 0 if before is None else depth  # open brackets in the paragraph so far
        opened = depth > 0
        depth = max(0, depth + w.text.count("(") - w.text.count(")"))
        text = _EM_DASH_RANGE.sub("–", w.text)  # the engine reads a range's en dash as an em dash
        parts = None  # (before the word, the word, after it)
        if w.conf < SURE:  # else surely read
            parts = (_glyph_after_word(text, opened, lexicons) or _groups(_CORE.match(text))
                     or _glyph_in_word(text, lexicons)
                     or _groups(_HYPHENATED.match(text)))  # "Minchurta-based": the head corrected on its own
        if parts is not None:
            head, core, tail = parts
            broken = w.text.endswith("-") or (before is not None and before.text.endswith("-"))
            if not broken:  # a part of a word broken at a line end is not a word
                core = _better(core, lexicons, pool) or core
            low = core.lower()
            if ((low in lower_case or (low in common and low not in in_names)) and low not in _ALWAYS_CAPITALISED
                    and _stray_capital(before, core, tail, after)):
                core = low
            text = head + core + tail
        if text != w.text:
            w.text = text
            changed += 1
    changed += _thousands_separators([w for _, w, _ in flow])
    return changed + sum(_correct_phrases(lines, lexicons) for lines in paragraphs)


def _thousands_separators(words: list[Word]) -> int:
    """Where the document surely groups thousands with commas ("375,000") and never with points, a number
    grouped with points ("62.000", "3.210.000") is a comma misread: two groups always, one if unsure."""
    def sure(pattern: re.Pattern) -> bool:
        return any(w.conf >= DOCUMENT_SURE and pattern.search(w.text) for w in words)
    if not sure(_COMMA_GROUPED) or sure(_POINT_GROUPED_TWICE):
        return 0
    changed = 0
    for w in words:
        m = _POINT_GROUPED.search(w.text)
        if m and (m.group().count(".") > 1 or w.conf < SURE):
            w.text = w.text[:m.start()] + m.group().replace(".", ",") + w.text[m.end():]
            changed += 1
    return changed


def _better(core: str, lexicons: tuple, pool) -> str | None:
    """The known word ``core`` misreads, or None; ``pool()`` gives the names a long capitalised word may be
    two edits from."""
    low = core.lower()
    if len(core) < CONFUSION_FROM or any(low in lexicon for lexicon in lexicons):
        return None  # too short, or known
    found = _candidates(low, lexicons)
    if not found and core[0].isupper() and len(core) >= NAME_EDITS_FROM:
        found = _near_names(low, pool())
    better = _single(found, low)
    return _cased_like(better, core) if better else None


def _groups(m: re.Match | None) -> tuple[str, str, str] | None:
    return m.groups()[:3] if m else None


def _glyph_in_word(text: str, lexicons: tuple) -> tuple[str, str, str] | None:
    """A word with one mark read inside it ("Heal:h"), as the parts of the known word it misreads."""
    m = _GLYPH_INSIDE.match(text)
    if not m:
        return None
    head, left, right, tail = m.groups()
    found = _candidates_of([(1, left.lower() + c + right.lower()) for c in _LETTERS]
                           + [(1, (left + right).lower())], lexicons)
    better = _single(found, None)
    return (head, _cased_like(better, left + right), tail) if better else None


def _glyph_after_word(text: str, opened: bool, lexicons: tuple) -> tuple[str, str, str] | None:
    """A thin letter at a word's end read as a mark: "Kuri!", "Genera)" (a bracket nothing opened)."""
    m = _GLYPH_AFTER.match(text)
    if not m:
        return None
    head, core, mark, tail = m.groups()
    if mark == ")" and (opened or "(" in head):
        return None
    if mark != ")" and any(core.lower() in lexicon for lexicon in lexicons):
        return None  # a known word and a mark after it ("Wow!")
    better = _single(_candidates_of([(1, core.lower() + c) for c in _THIN_LETTERS], lexicons), None)
    return (head, _cased_like(better, core), tail) if better else None


def _correct_phrases(lines, lexicons: tuple) -> int:
    """A run of capitalised words near a name of the register, word for word: one unknown word a
    slip or two away ("Imperial Japanese Anny"), or a word the engine split ("Douglas Mac Arthur")."""
    slots = [(line, w) for line in lines for w in line.words]
    changed, i = 0, 0
    while i < len(slots):
        run = _capitalised_run(slots, i)
        if len(run) < 2:
            i += 1
            continue
        for size in range(min(len(run), PHRASE_MAX_WORDS + 1), 1, -1):
            hit = next(((start, form) for start in range(len(run) - size + 1)
                        if (form := _phrase_match([w for _, w in run[start:start + size]], lexicons))), None)
            if hit:
                start, form = hit
                changed += _apply_phrase(run[start:start + size], form)
                break
        i += len(run)
    return changed


def _capitalised_run(slots, i: int) -> list:
    """The capitalised words from slot i on; a word followed by punctuation ends the run."""
    run = []
    for line, w in islice(slots, i, None):
        m = _CORE.match(w.text)
        if not m or not m.group(2)[0].isupper() or (run and m.group(1)):
            break
        run.append((line, w))
        if m.group(3):
            break
    return run


def _phrase_match(words: list[Word], lexicons: tuple) -> tuple[str, ...] | None:
    """The register name these words misread, word for word (two words may be one split by the engine)."""
    cores = [_CORE.match(w.text).group(2) for w in words]
    confs = [w.conf for w in words]
    budget = 1 if sum(map(len, cores)) < 12 else 2
    readings = [(cores, confs, None)]
    readings += [(cores[:k] + [cores[k] + cores[k + 1]] + cores[k + 2:],
                  confs[:k] + [min(confs[k:k + 2])] + confs[k + 2:], k) for k in range(len(cores) - 1)]
    for reading, reading_confs, joined in readings:
        for form in _register_phrases().get((len(reading), reading[0][0].lower()), ()):
            cost = 0
            for read, meant, conf in zip(reading, form, reading_confs):
                if read.lower() == meant.lower():
                    continue
                if any(read.lower() in lexicon for lexicon in lexicons) or conf >= SURE:
                    break  # a known word, or one surely read, is not a misreading
                cost += _ocr_distance(read.lower(), meant.lower(), budget)
                if cost > budget:
                    break
            else:
                if joined is not None or cost:
                    return form if joined is None else form[:joined] + ("", ) + form[joined:]
    return None


def _apply_phrase(run: list, form: tuple[str, ...]) -> int:
    """Write the form's words over the run's; an empty slot joins its word to the next (a split word)."""
    changed = 0
    for k, ((line, w), meant) in enumerate(zip(run, form)):
        if meant == "":  # w and the next word are one: w takes the name's word, the next goes
            nxt_line, nxt = run[k + 1]
            if nxt_line is not line:
                return changed  # split across lines: leave it
            i = line.words.index(w)
            line.words[i:i + 2] = [Word(w.text + nxt.text, union([w.box, nxt.box]), min(w.conf, nxt.conf))]
            run[k + 1] = (line, line.words[i])
            changed += 1
        elif _CORE.match(w.text).group(2) != meant:
            m = _CORE.match(w.text)
            w.text = m.group(1) + meant + m.group(3)
            changed += 1
    return changed


def _stray_capital(before: Word | None, core: str, tail: str, after: Word | None) -> bool:
    """A capital misread mid-sentence ("forced Labor."): a capitalised word alone between lower-case words."""
    if not (core[0].isupper() and core[1:].islower()):
        return False
    if before is None or not _LOWER_START.match(before.text) or _SENTENCE_END.search(before.text):
        return False
    return after is None or _SENTENCE_END.search(tail) is not None or not after.text[:1].isupper()


def _candidates(word: str, lexicons: tuple) -> dict[str, tuple[int, int]]:
    """Known words an OCR slip from ``word``, each with (edits, trust: its most trusted lexicon)."""
    return _candidates_of(_variants(word), lexicons)


def _candidates_of(variants, lexicons: tuple) -> dict[str, tuple[int, int]]:
    """The known words among (edits, string) variants, each with (edits, trust: its most trusted lexicon)."""
    found: dict[str, tuple[int, int]] = {}
    for cost, candidate in variants:
        for trust, lexicon in enumerate(lexicons):
            if candidate in lexicon:
                key = (cost, trust)
                if candidate not in found or key < found[candidate]:
                    found[candidate] = key
                break
    return found


def _single(found: dict[str, tuple], word: str | None) -> str | None:
    """The one candidate with the best key; among tied ones, the one a typical slip away from ``word``
    ("Jooting": looting, not footing; "milion": million, not minion); None when there is no single choice."""
    if not found:
        return None
    best = min(found.values())
    winners = [c for c, key in found.items() if key == best]
    if len(winners) > 1 and word is not None:
        winners = [c for c in winners if _typical_slip(word, c)]
    return winners[0] if len(winners) == 1 else None


def _typical_slip(word: str, candidate: str) -> bool:
    """The two differ by a letter of like shape, or by a letter doubled ("milion" for "million")."""
    if len(word) == len(candidate):
        diff = [frozenset(pair) for pair in zip(word, candidate) if pair[0] != pair[1]]
        return len(diff) == 1 and diff[0] in _LOOK_ALIKE
    short, long = sorted((word, candidate), key=len)
    return len(long) == len(short) + 1 and any(
        long[:i + 1] + long[i + 2:] == short and long[i] == long[i + 1] for i in range(len(long) - 1))


def _near_names(word: str, names: set[str]) -> dict[str, tuple[int]]:
    """Names of similar length within two edits of ``word`` ("Musastu" for "Musashi"), by edits."""
    found = {}
    for name in names:
        if abs(len(name) - len(word)) <= 2 and name[0] == word[0]:
            cost = _distance(word, name, 2)
            if cost <= 2:
                found[name] = (cost,)
    return found


def _distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance, or limit + 1 as soon as it must exceed ``limit``."""
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
        if min(row) > limit:
            return limit + 1
    return row[-1]


def _ocr_distance(a: str, b: str, limit: int) -> int:
    """Edits from ``a`` to ``b`` where a letter read as two ("rn" for "m") is one edit; limit + 1 beyond."""
    cost = _distance(a, b, limit)
    if cost > 1 and limit >= 1:
        for variant in _confusions(a):
            cost = min(cost, 1 + _ocr_distance(variant, b, limit - 1))
    return cost


def _variants(word: str):
    """(edits, string) for every string one OCR slip from ``word``; two for long words."""
    if len(word) >= MIN_LETTERS:
        for variant in _one_edit(word):
            yield 1, variant
        for i in range(len(word)):  # a double letter read as one ("milion"), or one as two
            yield 1, word[:i + 1] + word[i:]
            if word[i:i + 2] == word[i] * 2:
                yield 1, word[:i] + word[i + 1:]
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
def _register_phrases() -> dict[tuple[int, str], list[tuple[str, ...]]]:
    """The register's names of two or more capitalised words, by word count and first letter."""
    phrases: dict[tuple[int, str], list[tuple[str, ...]]] = {}
    for e in cached_register().entries:
        for form in (e.name, *e.variants):
            words = tuple(form.split())
            if len(words) >= 2 and all(w.isalpha() and w[0].isupper() for w in words):
                phrases.setdefault((len(words), words[0][0].lower()), []).append(words)
    return phrases


@lru_cache(maxsize=1)
def _register_all() -> frozenset[str]:
    """Every word of the register's names and variants."""
    names, variants = _register_words()
    return names | variants


@lru_cache(maxsize=1)
def _register_names() -> frozenset[str]:
    """The register's name words of NAME_EDITS_FROM letters or more (the pool of two-edit corrections)."""
    return frozenset(w for w in _register_all() if len(w) >= NAME_EDITS_FROM - 2)


@lru_cache(maxsize=1)
def _register_words() -> tuple[frozenset[str], frozenset[str]]:
    """The words of the register's names, then those only its variants have ("Tokio" yields to "Tokyo")."""
    def words(names):
        return frozenset(w.lower() for n in names for w in re.findall(r"[A-Za-z]+", n))
    entries = cached_register().entries
    names = words(e.name for e in entries)
    return names, words(v for e in entries for v in e.variants) - names


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
