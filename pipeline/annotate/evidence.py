"""What the words of an unregistered name say about its type, from data sets made for the job.

A capitalised run the register does not know is a person only on positive
evidence (ENCODING.md, "Beyond the samples"): a common given name opening
it, a common family name closing it after a given name or an initial, a
title or a verb of a person (``names.py``). A run of capitalised common
words ("Grand Total", "Repatriation Activities", "Beloved Darling") has no
such evidence and is no name unless its context says so.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar

from pipeline.annotate import resources
from pipeline.annotate.register import fold

NONE, WEAK, MEDIUM, STRONG = 0, 1, 2, 3
# A single word is a name only this high in some country's ranking (with a second word, COMMON_NAME_RANK)
SINGLE_NAME_RANK = 300
# A given or family name this common is a name even where it is also an English word
NAME_BEFORE_WORD_RANK = 150
_INITIAL = re.compile(r"[A-Z]\.?")
_APOSTROPHE = re.compile(r"['’](?=[A-Z])")  # in a name ("O’Brien"), not a contraction ("I’m")


# Whether a lower-case word is common in the text's language, where that is not English: its common
# words are no names either ("Les", "Janvier", "Dieu" in French)
_OWN_COMMON: ContextVar[Callable[[str], bool] | None] = ContextVar("own_common", default=None)


@contextmanager
def text_language(language_tag: str | None):
    """Weigh evidence, inside the block, for a text in this language (BCP 47; None or English: English only)."""
    common = None
    if language_tag and language_tag != "en":
        from pipeline.ocr import language  # the OCR's word lists, loaded only for such a text

        if code := language.code_of(language_tag):
            def common(word: str) -> bool:
                return language.common(word, code)
    token = _OWN_COMMON.set(common)
    try:
        yield
    finally:
        _OWN_COMMON.reset(token)


def own_word(word: str) -> bool:
    """A common word of the text's language where that is not English ("son" in French is "his",
    no kinship word before a name)."""
    common = _OWN_COMMON.get()
    return common is not None and common(word.lower())


def common_word(word: str) -> bool:
    """A lower-case English word (its possessive and plural too), or a common word of the text's own
    language: capitalised, no evidence of a name.

    The commonest given and family names are names first even where the list also has them as
    words ("John", "Don", "Smith"); an initial is no word.
    """
    if len(word.rstrip(".")) == 1:
        return False
    low = word.lower().replace("’", "'")
    words = resources.common_words()
    if not (low in words or low.removesuffix("'s") in words or (low.endswith("s") and low[:-1] in words)
            or own_word(low)):
        return False
    return not (given_name(word, NAME_BEFORE_WORD_RANK) or family_name(word, NAME_BEFORE_WORD_RANK))


def _name(word: str, accents: bool = False):
    """The word's entry in the names list; with ``accents``, also read without its accents ("Ryūzō")."""
    names = resources.personal_names()
    word = _APOSTROPHE.sub("", word)  # the list spells "O’Brien" as "Obrien"
    return names.get(word.casefold()) or (names.get(_unaccented(word)) if accents else None)


def _unaccented(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", word.casefold()) if not unicodedata.combining(c))


# A Russian patronymic ("Sergeyevna", "Ivanovich") stands between a given name and a family name
_PATRONYMIC = re.compile(r"[A-Z][a-z]+(?:ovich|evich|ovna|evna|ichna|yevich|yevna)")


def given_name(word: str, rank: int = resources.COMMON_NAME_RANK, accents: bool = False) -> bool:
    entry = _name(word, accents)
    return entry is not None and entry.given_rank is not None and entry.given_rank <= rank


def family_name(word: str, rank: int = resources.COMMON_NAME_RANK, accents: bool = False) -> bool:
    entry = _name(word, accents)
    return entry is not None and entry.family_rank is not None and entry.family_rank <= rank


def person_evidence(words: list[str]) -> int:
    """How strongly the words alone read as a personal name.

    A given name and a family name (or initials and a family name) is MEDIUM;
    one of them with the other word unknown is WEAK; a single name is WEAK; a
    word that is also a common English word counts only beside a name that is not. A word
    with a digit in it is no part of a personal name ("I917" is a year misread).
    """
    real = [w for w in words if not _INITIAL.fullmatch(w)]
    if not real or len(words) > 4 or any(c.isdigit() for w in words for c in w) or people(words[-1]):
        return NONE
    plain = [w for w in real if not common_word(w)]
    if not plain:
        return NONE
    first, last = words[0], words[-1]
    if len(words) == 1:  # a word alone must be among the commonest names: the list holds many words
        return WEAK if given_name(first, SINGLE_NAME_RANK) or family_name(first, SINGLE_NAME_RANK) else NONE
    # in a full name a romanization's accents are read away too (a single word must match exactly)
    opens = given_name(first, accents=True) or bool(_INITIAL.fullmatch(first))
    closes = family_name(last, accents=True) or given_name(last, accents=True) \
        or bool(_PATRONYMIC.fullmatch(last))  # East Asian order: family first; "Galina Sergeyevna"
    if opens and closes:
        return MEDIUM
    if (opens or closes or family_name(first, accents=True)) and len(plain) == len(real):
        return WEAK
    return NONE


def state(name: str) -> bool:
    """A state's name, present or historical (ISO 3166): a place."""
    return fold(name) in resources.states()


def city(words: list[str]) -> bool:
    """A large city's name (GeoNames), none of whose words is a common English word ("Amsterdam";
    not "Reading", "Bath")."""
    if any(common_word(w) for w in words if w[:1].isupper()):
        return False
    return " ".join(words).casefold() in resources.cities()


def people(word: str) -> bool:
    """The plural of a people ("Jews", "Czechs", "Germans"): a capitalised plural the English word list
    has beside its singular, which no names list has ("Williams" and "Adams" are family names)."""
    if not word.endswith("s") or _name(word) is not None:
        return False
    proper = resources.proper_words()
    return word in proper and (word[:-1] in proper or word.endswith("es") and word[:-2] in proper)
