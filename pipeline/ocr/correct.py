"""Post-OCR correction of misread words, against lexicons of the word's own language.

A word is changed only on evidence that it was misread, and only into a word
one typical OCR slip away:

- it is read with less than near certainty (confidence under SURE: on real
  typescripts nine in ten unknown words read under it are misreadings); a
  word read a little more surely (under SURE_OF_NAMES) is changed only into
  a name of the document or the register a typical slip away (below), and
  never from a personal name ("Saviet"; not an author's rare word into a
  commoner one, nor "Yuzhny" into the register's "Yuzhno");
- no lexicon knows it: not the document's own words (read surely more than
  once), not the authority register's names and variants, not the word list
  of its language (wordfreq's, which has the names common in its corpora),
  nor any other language of its script commonly uses it (so "ressemble" in
  an English letter stays French). A word any of them knows is kept as read;
- exactly one known word is a typical slip away: a substituted letter, for
  longer words an inserted or dropped one, a letter read as two ("rn" for
  "m", "ri" for "n") or a double letter read once; in long words two slips
  may combine, such as two letters of like shape ("Viadivastok"). A name's
  capital I read as "l" is a capital again ("losif"). Between equally near
  candidates a letter of like shape decides ("Jooting": looting); a word of
  the document or the register goes before the word list's, and among the
  word list's the far more frequent one (ten times) is taken, else none. A
  word-list candidate must be common (once per million words).

Marks read for a thin letter ("Heal:h", "Kuri!", "Genera)" where no bracket
is open) and the head of a hyphenated word ("Minchurta-based") follow the
same rules. A run of capitalised words one slip from a name of the register
is corrected word for word, a word the engine split rejoined ("Imperial
Japanese Anny", "Douglas Mac Arthur"), as are two words that are a one-word
name of the register as written ("Mac Arthur", "TOK YO"). Numbers follow the
document: where it surely groups thousands with commas, "62.000" is a comma
misread; an em dash between digits is a range's en dash. A bar alone between words, before a
lower-case one, is the capital I a sans face draws as a bar, and a lone "1"
opening a sentence before one is the pronoun, in a language where "I" is a
very common word ("Perhaps | mentioned", "1 put in"); a bar before a month
and a number is the day 1 ("| June 1949").

Only the TEI text changes: the ALTO kept beside each page image holds the
engine's own reading, and each corrected word keeps its confidence, so a
doubtful one stays marked <unclear>.
"""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from itertools import combinations, groupby, islice
from pathlib import Path

from pipeline.annotate import evidence as E
from pipeline.annotate.dates import MONTHS
from pipeline.annotate.register import cached_register
from pipeline.ocr import language
from pipeline.ocr.words import PageText, Word, union

MIN_LETTERS = 5  # shorter words have too many neighbours to choose from...
CONFUSION_FROM = 4  # ...but a letter read as two ("Bena" for "Beria") is corrected from four
PHRASE_MAX_WORDS = 7  # the longest register name matched as a run of words
INDELS_FROM = 7  # letters; shorter words are only corrected by substitutions (else "Taito" becomes "Tito")
TWO_EDITS_FROM = 8  # letters; from here a confusion and one more edit, or two letters of like shape, may combine
SURE = 90  # confidence at which an unknown word is taken as read...
SURE_OF_NAMES = 93  # ...unless a name of the document or the register is a slip away (real pages: under it,
# more than half the unknown words are misread, but many are an author's rare words a word list would "correct")
NAME_TIERS = 3  # the lexicon tiers of names: the document's words, the register's names and its variants
DOCUMENT_SURE = 85  # confidence of the readings that make a word the document's own
LONE_BAR_WORD = 6.0  # Zipf frequency of "i" from which a lone bar between words is the word "I" (English's pronoun)
CLEAR_WINNER = 1.0  # Zipf units (a factor of ten) by which the word list's candidate must be the commonest
# a letter the engine splits in two, or two it merges into one (read -> meant)
CONFUSIONS = [("rn", "m"), ("m", "rn"), ("ri", "n"), ("n", "ri"), ("rt", "n"), ("n", "rt"), ("li", "h"), ("h", "li"),
              ("cl", "d"), ("d", "cl"), ("vv", "w"), ("w", "vv"), ("ni", "m"), ("m", "ni"), ("ii", "u"), ("u", "ii")]
_L = r"[^\W\d_]"  # a letter of any script
_CORE = re.compile(rf"^(\W*)({_L}+)((?:['’]s)?\W*)$")
_GLYPH_INSIDE = re.compile(rf"^(\W*)({_L}{{2,}})[^\w\s'’-]({_L}+)((?:['’]s)?\W*)$")
_GLYPH_AFTER = re.compile(rf"^(\W*)({_L}{{3,}})([)}}\]!|1])(\W*)$")
_HYPHENATED = re.compile(rf"^(\W*)({_L}+)(-{_L}+\W*)$")
_COMMA_GROUPED = re.compile(r"(?<![\d.,])[1-9]\d{0,2}(?:,\d{3})+(?![\d]|[.,]\d)")
_POINT_GROUPED = re.compile(r"(?<![\d.,])[1-9]\d{0,2}(?:\.\d{3})+(?![\d]|[.,]\d)")
_POINT_GROUPED_TWICE = re.compile(r"(?<![\d.,])[1-9]\d{0,2}(?:\.\d{3}){2,}(?![\d]|[.,]\d)")
_EM_DASH_RANGE = re.compile(r"(?<=\d)—(?=\d)")
_THIN_LETTERS = "lit"  # what a bracket, bar or "!" after a word most often was
# letters of like shape in common book faces, which the engine takes for one another
_LOOK_ALIKE = frozenset(frozenset(p) for p in "il lt jl ij ft fl ce co eo ao ae nu nh bh uv vy gq".split())
_SHAPED_LIKE = {c: "".join(sorted(o for pair in _LOOK_ALIKE if c in pair for o in pair if o != c))
                for pair in _LOOK_ALIKE for c in pair}  # each letter's look-alikes


class _Lexicons:
    """What one document's correction knows: its own words, the register, a word list, each language's."""

    def __init__(self, document: set[str], extra: frozenset[str]):
        names, variants = _register_words()
        self.tiers = (document, names, variants, extra)  # most trusted first; the language's list comes last

    def known(self, word: str, code: str) -> bool:
        if any(word in tier for tier in self.tiers) or language.known(word, code) or language.inflected(word, code):
            return True
        script = language.LANGUAGES[code].script
        return any(language.common(word, other) for other, lang in language.LANGUAGES.items()
                   if other != code and lang.script == script)

    def best(self, variants, word: str | None, code: str, names_only: bool = False) -> str | None:
        """The one known word among (edits, string) variants to take, or None (see the module's rules);
        ``names_only``: among the document's words and the register's names, a typical slip away."""
        found: dict[str, tuple[int, int, float]] = {}  # candidate -> (edits, trust, -frequency)
        last = len(self.tiers)
        tiers = self.tiers[:NAME_TIERS] if names_only else self.tiers
        for cost, candidate in variants:
            trust = next((t for t, tier in enumerate(tiers) if candidate in tier), None)
            frequency = language.zipf(candidate, code)
            if trust is None and frequency >= language.COMMON and not names_only:
                trust = last
            if trust is not None and (candidate not in found or (cost, trust) < found[candidate][:2]):
                found[candidate] = (cost, trust, -frequency)
        if names_only and word is not None:  # a sure reading was misread only in a typical way
            found = {c: key for c, key in found.items() if _typical_slip(word, c)}
        if not found:
            return None
        best = min(key[:2] for key in found.values())
        winners = [c for c, key in found.items() if key[:2] == best]
        if len(winners) > 1 and word is not None:
            winners = [c for c in winners if _typical_slip(word, c)] or winners
        if len(winners) > 1 and best[1] == last:  # the word list's: only a far commoner word
            winners.sort(key=lambda c: found[c][2])
            if -found[winners[0]][2] >= -found[winners[1]][2] + CLEAR_WINNER:
                winners = winners[:1]
        return winners[0] if len(winners) == 1 else None


def correct_pages(pages: list[PageText], languages: list[str], word_list: str = "") -> int:
    """Correct misread words in place across one document's pages; returns how many changed.

    ``languages``: each page's Tesseract language (a word read in another carries its own);
    ``word_list``: a file of more known words, one a line ("" for none)."""
    page_of = {id(w): code for page, code in zip(pages, languages) for w in page.words}
    paragraphs = [list(lines) for page in pages for _, lines in groupby(page.lines, key=lambda ln: (ln.block, ln.par))]
    # each word with the one before it in its paragraph (None at its start) and the two after it
    runs = [[w for line in lines for w in line.words] for lines in paragraphs]
    flow = [(run[i - 1] if i else None, w, run[i + 1:i + 3]) for run in runs for i, w in enumerate(run)]
    sure = [m.group(2) for _, w, _ in flow if w.conf >= DOCUMENT_SURE and (m := _CORE.match(w.text))]
    seen = Counter(word.lower() for word in sure)
    document = {word for word, n in seen.items() if n >= 2 and len(word) >= MIN_LETTERS}
    lexicons = _Lexicons(document, _word_list(word_list) if word_list else frozenset())

    changed, depth = 0, 0
    for before, w, following in flow:
        depth = 0 if before is None else depth  # open brackets in the paragraph so far
        opened = depth > 0
        depth = max(0, depth + w.text.count("(") - w.text.count(")"))
        code = w.language or page_of[id(w)]
        text = _EM_DASH_RANGE.sub("–", w.text)  # the engine reads a range's en dash as an em dash
        text = _lone_stroke(text, before, following, code)
        broken = w.text.endswith("-") or (before is not None and before.text.endswith("-"))
        if w.conf < SURE and not broken and language.has_words(code):  # a part of a broken word is no word
            parts = (_glyph_after_word(text, opened, lexicons, code) or _groups(_CORE.match(text))
                     or _glyph_in_word(text, lexicons, code)
                     or _groups(_HYPHENATED.match(text)))  # "Minchurta-based": the head corrected on its own
            if parts is not None:
                head, core, tail = parts
                text = head + (_better(core, lexicons, code) or core) + tail
        elif w.conf < SURE_OF_NAMES and not broken and language.has_words(code) \
                and (parts := _groups(_CORE.match(text)) or _groups(_HYPHENATED.match(text))):
            head, core, tail = parts  # read surely, yet a slip from a name the document or the register holds
            text = head + (_better(core, lexicons, code, names_only=True) or core) + tail
        if text != w.text:
            w.text = text
            changed += 1
    changed += _thousands_separators([w for _, w, _ in flow])
    return changed + sum(_correct_phrases(lines, lexicons, page_of) for lines in paragraphs)


def _lone_stroke(text: str, before: Word | None, following: list[Word], code: str) -> str:
    """A stroke standing alone as a word, as what it stands for: the capital I, which a sans face draws
    as a bar, between words before a lower-case one ("Perhaps | mentioned"), and the pronoun read as the
    digit opening a sentence ("1 put in a complaint"), where "I" is a very common word; the day 1 read
    as a bar before a month and a number ("| June 1949"). ``following``: the next words of the paragraph."""
    if not following or text not in ("|", "1"):
        return text
    after = following[0]
    if after.text[:1].islower() and language.zipf("i", code) >= LONE_BAR_WORD and (
            text == "|" and before is not None or text == "1" and (before is None or before.text[-1:] in ".!?")):
        return "I"
    if text == "|" and after.text.rstrip(",.").lower() in MONTHS and following[1:] \
            and following[1].text[:1].isdigit():
        return "1"
    return text


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


def _better(core: str, lexicons: _Lexicons, code: str, names_only: bool = False) -> str | None:
    """The known word ``core`` misreads, or None; ``names_only``: only a word of the document or the
    register's names, and not from a word that is itself a personal name."""
    low = core.lower()
    if len(core) < CONFUSION_FROM or lexicons.known(low, code):
        return None  # too short, or known
    if names_only and (E.given_name(core) or E.family_name(core)):
        return None
    better = lexicons.best(_variants(low, _alphabet(code)), low, code, names_only)
    return _cased_like(better, core, code) if better else None


def _groups(m: re.Match | None) -> tuple[str, str, str] | None:
    return m.groups()[:3] if m else None


def _glyph_in_word(text: str, lexicons: _Lexicons, code: str) -> tuple[str, str, str] | None:
    """A word with one mark read inside it ("Heal:h"), as the parts of the known word it misreads."""
    m = _GLYPH_INSIDE.match(text)
    if not m:
        return None
    head, left, right, tail = m.groups()
    variants = [(1, left.lower() + c + right.lower()) for c in _alphabet(code)] + [(1, (left + right).lower())]
    better = lexicons.best(variants, None, code)
    return (head, _cased_like(better, left + right, code), tail) if better else None


def _glyph_after_word(text: str, opened: bool, lexicons: _Lexicons, code: str) -> tuple[str, str, str] | None:
    """A thin letter at a word's end read as a mark: "Kuri!", "Genera)" (a bracket nothing opened)."""
    m = _GLYPH_AFTER.match(text)
    if not m:
        return None
    head, core, mark, tail = m.groups()
    if mark == ")" and (opened or "(" in head):
        return None
    if mark != ")" and lexicons.known(core.lower(), code):
        return None  # a known word and a mark after it ("Wow!")
    better = lexicons.best([(1, core.lower() + c) for c in _THIN_LETTERS], None, code)
    return (head, _cased_like(better, core, code), tail) if better else None


def _correct_phrases(lines, lexicons: _Lexicons, page_of: dict[int, str]) -> int:
    """A run of capitalised words near a name of the register, word for word: one unknown word a
    slip or two away ("Imperial Japanese Anny"), or a word the engine split ("Douglas Mac Arthur", a
    one-word name: "Mac Arthur")."""
    slots = [(line, w) for line in lines for w in line.words]
    changed, i = 0, 0
    while i < len(slots):
        run = _capitalised_run(slots, i)
        if len(run) < 2:
            i += 1
            continue
        for size in range(min(len(run), PHRASE_MAX_WORDS + 1), 1, -1):
            hit = next(((start, form) for start in range(len(run) - size + 1)
                        if (form := _phrase_match([w for _, w in run[start:start + size]], lexicons, page_of))),
                       None)
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


def _phrase_match(words: list[Word], lexicons: _Lexicons, page_of: dict[int, str]) -> tuple[str, ...] | None:
    """The register name these words misread, word for word (two words may be one split by the engine)."""
    cores = [_CORE.match(w.text).group(2) for w in words]
    confs = [w.conf for w in words]
    codes = [w.language or page_of.get(id(w), "eng") for w in words]
    budget = 1 if sum(map(len, cores)) < 12 else 2
    readings = [(cores, confs, None)]
    readings += [(cores[:k] + [cores[k] + cores[k + 1]] + cores[k + 2:],
                  confs[:k] + [min(confs[k:k + 2])] + confs[k + 2:], k) for k in range(len(cores) - 1)]
    for reading, reading_confs, joined in readings:
        if len(reading) == 1:  # two words that are one name of the register as written ("Mac Arthur", "TOK YO")
            name = reading[0]
            if name in _register_single_names() or name.isupper() and name.title() in _register_single_names():
                return "", name
            continue
        for form in _register_phrases().get((len(reading), reading[0][0].lower()), ()):
            cost = 0
            for read, meant, conf, code in zip(reading, form, reading_confs, codes):
                if read.lower() == meant.lower():
                    continue
                if lexicons.known(read.lower(), code) or conf >= SURE:
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
            line.words[i:i + 2] = [Word(w.text + nxt.text, union([w.box, nxt.box]), min(w.conf, nxt.conf),
                                        w.language)]
            run[k + 1] = (line, line.words[i])
            changed += 1
        elif _CORE.match(w.text).group(2) != meant:
            m = _CORE.match(w.text)
            w.text = m.group(1) + meant + m.group(3)
            changed += 1
    return changed


def _typical_slip(word: str, candidate: str) -> bool:
    """The two differ by a letter of like shape, a letter doubled ("milion" for "million") or a letter
    read as two ("dunng" for "during")."""
    if candidate in set(_confusions(word)):
        return True
    if len(word) == len(candidate):
        diff = [frozenset(pair) for pair in zip(word, candidate) if pair[0] != pair[1]]
        return len(diff) == 1 and diff[0] in _LOOK_ALIKE
    short, long = sorted((word, candidate), key=len)
    return len(long) == len(short) + 1 and any(
        long[:i + 1] + long[i + 2:] == short and long[i] == long[i + 1] for i in range(len(long) - 1))


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


def _variants(word: str, letters: str):
    """(edits, string) for every string one OCR slip from ``word``; two for long words."""
    if len(word) >= MIN_LETTERS:
        for variant in _one_edit(word, letters):
            yield 1, variant
        for i in range(len(word)):  # a double letter read as one ("milion"), or one as two
            yield 1, word[:i + 1] + word[i:]
            if word[i:i + 2] == word[i] * 2:
                yield 1, word[:i] + word[i + 1:]
    for variant in _confusions(word):
        yield 1, variant
        if len(word) >= TWO_EDITS_FROM:
            for twice in _one_edit(variant, letters):
                yield 2, twice
    if len(word) >= TWO_EDITS_FROM:  # two letters each read as one of like shape ("Viadivastok")
        for i, j in combinations(range(len(word)), 2):
            for a in _SHAPED_LIKE.get(word[i], ""):
                for b in _SHAPED_LIKE.get(word[j], ""):
                    yield 2, word[:i] + a + word[i + 1:j] + b + word[j + 1:]


def _one_edit(word: str, letters: str):
    """Substitutions; deletions and insertions too where the word is long enough."""
    indels = len(word) >= INDELS_FROM
    for i in range(len(word) + 1):
        head, tail = word[:i], word[i:]
        if tail:
            if indels:
                yield head + tail[1:]
            for c in letters:
                if c != tail[0]:
                    yield head + c + tail[1:]
        if indels:
            for c in letters:
                yield head + c + tail


def _confusions(word: str):
    for read, meant in CONFUSIONS:
        start = word.find(read)
        while start >= 0:
            yield word[:start] + meant + word[start + len(read):]
            start = word.find(read, start + 1)


def _cased_like(word: str, model: str, code: str) -> str:
    """``word`` in the case of the misreading ``model``; a capital that was itself misread ("Jooting" for
    "looting") is not kept, and a name's capital I read as "l" is restored."""
    if model.isupper() and len(model) > 1:
        return word.upper()
    if model[0] == "l" and word[0] == "i" and language.zipf(word, code) < language.COMMON:
        return "I" + word[1:]  # a name's I ("losif"), not a common word's i ("lnformation")
    if model[0].isupper() and (word[0] == model[0].lower() or not model[1:].islower()):
        return word[0].upper() + word[1:]
    return word


@lru_cache(maxsize=None)
def _alphabet(code: str) -> str:
    """The lower-case letters of the language: those of its thousand commonest words."""
    lang = language.LANGUAGES.get(code)
    if lang is None or lang.words is None:
        return ""
    from wordfreq import top_n_list

    return "".join(sorted({ch for w in top_n_list(lang.words, 1000) for ch in w if ch.isalpha()}))


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
def _register_single_names() -> frozenset[str]:
    """The register's names and variants of one word, as written."""
    return frozenset(form for e in cached_register().entries for form in (e.name, *e.variants)
                     if form.isalpha() and form[0].isupper())


@lru_cache(maxsize=1)
def _register_words() -> tuple[frozenset[str], frozenset[str]]:
    """The words of the register's names, then those only its variants have ("Tokio" yields to "Tokyo")."""
    def words(names):
        return frozenset(w.lower() for n in names for w in re.findall(rf"{_L}+", n))
    entries = cached_register().entries
    names = words(e.name for e in entries)
    return names, words(v for e in entries for v in e.variants) - names


@lru_cache(maxsize=2)
def _word_list(path: str) -> frozenset[str]:
    """A file's words, one a line, in lower case; empty where the file cannot be read."""
    try:
        lines = Path(path).read_text(encoding="utf-8", errors="replace").split()
    except OSError:
        return frozenset()
    return frozenset(w.lower() for w in lines if w.isalpha())
