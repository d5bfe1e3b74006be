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

from pipeline.annotate import resources

NONE, WEAK, MEDIUM, STRONG = 0, 1, 2, 3
# A single word is a name only this high in some country's ranking (with a second word, COMMON_NAME_RANK)
SINGLE_NAME_RANK = 300
_INITIAL = re.compile(r"[A-Z]\.?")


def common_word(word: str) -> bool:
    """A lower-case English word (its possessive and plural too): capitalised, no evidence of a name."""
    low = word.lower().replace("’", "'")
    words = resources.common_words()
    return low in words or low.removesuffix("'s") in words or (low.endswith("s") and low[:-1] in words)


def _name(word: str):
    return resources.personal_names().get(word.casefold())


def given_name(word: str, rank: int = resources.COMMON_NAME_RANK) -> bool:
    entry = _name(word)
    return entry is not None and entry.given_rank is not None and entry.given_rank <= rank


def family_name(word: str, rank: int = resources.COMMON_NAME_RANK) -> bool:
    entry = _name(word)
    return entry is not None and entry.family_rank is not None and entry.family_rank <= rank


def person_evidence(words: list[str]) -> int:
    """How strongly the words alone read as a personal name.

    A given name and a family name (or initials and a family name) is MEDIUM;
    one of them with the other word unknown is WEAK; a single name is WEAK; a
    word that is also a common English word counts only beside a name that is not.
    """
    real = [w for w in words if not _INITIAL.fullmatch(w)]
    if not real or len(words) > 4:
        return NONE
    plain = [w for w in real if not common_word(w)]
    if not plain:
        return NONE
    first, last = words[0], words[-1]
    if len(words) == 1:  # a word alone must be among the commonest names: the list holds many words
        return WEAK if given_name(first, SINGLE_NAME_RANK) or family_name(first, SINGLE_NAME_RANK) else NONE
    opens = given_name(first) or bool(_INITIAL.fullmatch(first))
    closes = family_name(last) or given_name(last)  # East Asian order puts the family name first
    if opens and closes:
        return MEDIUM
    if (opens or closes or family_name(first)) and len(plain) == len(real):
        return WEAK
    return NONE
