"""Languages and scripts of OCR'd text: which Tesseract model reads it, which words it knows.

Every language the pipeline reads has a Tesseract model, a BCP 47 tag for the
TEI and, where wordfreq has one, a word list with frequencies (wordfreq's
lists are made from many corpora and include the names common in them). The
words of a reading say which language it is in: the share of its words that
are common in each language (function words decide), and a script is told by
its Unicode letters. A word "reads as language" when the word list of its
language knows it.
"""
from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from wordfreq import get_frequency_dict


@dataclass(frozen=True)
class Language:
    code: str  # Tesseract's model, e.g. "fra"
    tag: str  # BCP 47 for xml:lang, e.g. "fr"
    script: str  # "Latin", "Cyrillic", "Han", "Japanese", "Hangul"
    words: str | None  # wordfreq's language, None where it has no list worth checking words against


LANGUAGES = {lang.code: lang for lang in (
    Language("eng", "en", "Latin", "en"),
    Language("fra", "fr", "Latin", "fr"),
    Language("deu", "de", "Latin", "de"),
    Language("rus", "ru", "Cyrillic", "ru"),
    Language("jpn", "ja", "Japanese", None),  # written without spaces: no words to look up
    Language("chi_sim", "zh-Hans", "Han", None),
    Language("chi_tra", "zh-Hant", "Han", None),
    Language("kor", "ko", "Hangul", None),
)}
AUTO = "auto"  # the ocr_languages setting that has the pipeline choose per page and passage
COMMON = 3.0  # Zipf frequency (once per million words) from which a word is common in a language
MIN_WORDS = 8  # words a text needs before its common words tell languages of one script apart
_ELISION = re.compile(r"^(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu)['’]", re.IGNORECASE)  # French "l'", "qu'"
_LETTERS = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


def tag(code: str) -> str:
    """The BCP 47 tag of a Tesseract language (its own code where the pipeline does not know it)."""
    return LANGUAGES[code].tag if code in LANGUAGES else code


def code_of(language_tag: str) -> str | None:
    """The Tesseract language of a BCP 47 tag ("fr" -> "fra"), None where the pipeline has none."""
    return next((lang.code for lang in LANGUAGES.values() if lang.tag == language_tag), None)


def script_of(ch: str) -> str | None:
    """The script of one letter: Latin, Cyrillic, Han, Japanese (kana), Hangul; None for others."""
    o = ord(ch)
    if o < 0x250 or 0x1E00 <= o < 0x1F00:
        return "Latin" if ch.isalpha() else None
    if 0x400 <= o < 0x530:
        return "Cyrillic"
    if 0x3040 <= o < 0x3100 or 0x31F0 <= o < 0x3200 or 0xFF66 <= o < 0xFFA0:
        return "Japanese"
    if 0x4E00 <= o < 0xA000 or 0x3400 <= o < 0x4DC0 or 0xF900 <= o < 0xFB00:
        return "Han"
    if 0xAC00 <= o < 0xD7B0 or 0x1100 <= o < 0x1200 or 0x3130 <= o < 0x3190:
        return "Hangul"
    return None


def scripts(text: str) -> dict[str, int]:
    """Letters of each script in ``text``."""
    out: dict[str, int] = {}
    for ch in text:
        s = script_of(ch)
        if s:
            out[s] = out.get(s, 0) + 1
    return out


def words_of(text: str) -> list[str]:
    """The words of ``text`` as a word list spells them: lower case, split at hyphens, elisions dropped."""
    out = []
    for w in _LETTERS.findall(unicodedata.normalize("NFC", text)):
        w = _ELISION.sub("", w.lower().replace("’", "'"))
        if w:
            out.append(w)
    return out


@lru_cache(maxsize=None)
def _frequencies(words: str, size: str) -> dict[str, float]:
    return get_frequency_dict(words, size)


def zipf(word: str, code: str) -> float:
    """The word's Zipf frequency in the language (0 where its list lacks it or it has none)."""
    lang = LANGUAGES.get(code)
    if lang is None or lang.words is None:
        return 0.0
    f = _frequencies(lang.words, "large").get(word)
    return math.log10(f) + 9 if f else 0.0


def known(word: str, code: str) -> bool:
    """Whether the language's word list has ``word`` (a lower-case word of ``words_of``)."""
    lang = LANGUAGES.get(code)
    return lang is not None and lang.words is not None and word in _frequencies(lang.words, "large")


# Inflectional endings by language, longest first: a word list built from text lacks many rare forms
# of a known word (French "taisions", of "taire"), which another form of the same stem shows is a word
INFLECTIONS = {
    "fra": sorted("""e es ent ons ez ais ait ions iez aient a as âmes âtes èrent erai eras era erons erez eront
        erais erait erions eriez eraient é ée és ées er ant i ie is ies it îmes îtes irent ir issons issez issent
        issais issait issions issiez issaient x""".split(), key=len, reverse=True),
    "deu": sorted("e en er es em n s st t te ten test tet et est".split(), key=len, reverse=True),
    "eng": sorted("s es ed ing er est ly".split(), key=len, reverse=True),
}
MIN_STEM = 4  # letters: a shorter stem and an ending would make too many misreadings words
OTHER_FORMS = 2  # other forms of the stem the list must have


def inflected(word: str, code: str) -> bool:
    """Whether ``word`` (lower case) is a form of a stem the language's word list has other forms of:
    at least two, with the language's endings."""
    endings = INFLECTIONS.get(code, ())
    for ending in endings:
        stem = word[:-len(ending)]
        if word.endswith(ending) and len(stem) >= MIN_STEM:
            others = sum(known(stem + other, code) for other in endings if other != ending)
            if others >= OTHER_FORMS:
                return True
    return False


def common(word: str, code: str) -> bool:
    """Whether ``word`` is common in the language (once per million words: its small list has it)."""
    lang = LANGUAGES.get(code)
    return lang is not None and lang.words is not None \
        and _frequencies(lang.words, "small").get(word, 0) >= 10 ** (COMMON - 9)


def has_words(code: str) -> bool:
    lang = LANGUAGES.get(code)
    return lang is not None and lang.words is not None


def common_share(text: str, code: str) -> float:
    """The share of the text's words that are common in the language (its small list, 0 without one)."""
    lang = LANGUAGES.get(code)
    words = words_of(text)
    if not words or lang is None or lang.words is None:
        return 0.0
    return sum(1 for w in words if common(w, code)) / len(words)


def identify(text: str, candidates: list[str]) -> str | None:
    """The candidate language the text reads as: among those of its main script, the one whose common
    words it uses most; None when no candidate fits (no letters, or a script no candidate writes)."""
    counts = scripts(text)
    if not counts:
        return None
    main = max(counts, key=counts.get)
    fitting = [c for c in candidates if c in LANGUAGES and _writes(LANGUAGES[c].script, main)]
    if len(fitting) <= 1:
        return fitting[0] if fitting else None
    if len(words_of(text)) < MIN_WORDS:
        return fitting[0]  # too few words to tell languages of one script apart
    shares = {c: common_share(text, c) for c in fitting}
    best = max(fitting, key=lambda c: shares[c])  # ties: the candidate named first
    return best if shares[best] > 0 else fitting[0]


def by_script(text: str, codes: list[str]) -> str | None:
    """The first of ``codes`` that writes the script most of the text's letters are in."""
    counts = scripts(text)
    if not counts:
        return None
    main = max(counts, key=counts.get)
    return next((c for c in codes if c in LANGUAGES and _writes(LANGUAGES[c].script, main)), None)


def _writes(language_script: str, letters: str) -> bool:
    """Whether a language of ``language_script`` writes letters of the script ``letters``."""
    if language_script == "Japanese":
        return letters in ("Japanese", "Han")
    return language_script == letters
