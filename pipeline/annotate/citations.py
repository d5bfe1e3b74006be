"""Names a text's conventions write in a fixed form, found before the name finder reads the rest.

A citation's imprint (``Cambridge, MA: Harvard University Press, 2012``:
places and a publisher), an inverted personal name (``Tamaki, Setsuko``), an
organisation named with the acronym its initials spell (``Recovery of
Allied Prisoners of War and Internees (RAPWI)``) and a bibliography's authors.
"""
from __future__ import annotations

import re

from pipeline.annotate import evidence as E
from pipeline.annotate import lexicon as L
from pipeline.annotate.mentions import REGISTER, STRONG, Mention
from pipeline.annotate.occupied import Occupied
from pipeline.annotate.register import Register

_BIBL_AUTHOR = re.compile(r"(?:^|;\s*|\band\s+)([A-Z][\w'’\-]+,\s+[A-Z][\w'’\-]*(?:\s+[A-Z]\.?)*)(?=[.,;]|\s+and\b|$)")
_INVERTED = re.compile(r"(?<![\w,] )(?<![\w,])(?P<surname>[A-Z][\w'’]+(?:-[A-Z][\w'’]+)?),\s(?P<given>[A-Z][a-z'’-]+"
                       r"(?:\s(?:[A-Z][a-z'’-]+|[A-Z]\.))?)(?=[.,;:]|\s*$|(?<=\.)\s)")
_INITIAL_TOKEN = re.compile(r"[A-Z]\.")
# A citation's imprint: place (with a state's code), publisher, year ("New York: W. W. Norton, 1999")
_IMPRINT = re.compile(r"(?:(?<=[.(;]\s)|(?<=^)|(?<=\())(?P<city>[A-Z][\w'’]+(?:\s[A-Z][\w'’]+){0,2})(?:,\s(?P<state>[A-Z]{2}))?"
                      r":\s(?P<publisher>(?:[A-Z][\w'’]*\.?\s?)+?(?:(?:&|and|of)\s[A-Z][\w'’]*\.?\s?)*?)"
                      r"(?=,\s(?:1[5-9]|20)\d\d\b)")
_DEFINED_ACRONYM = re.compile(r"\s\(([A-Z]{3,10})\)")
_NAME_WORD = re.compile(r"[^\W\d_][\w'’]*|&")


def conventional_names(bi: int, text: str, register: Register, ocr: bool, bibliography: bool) -> list[Mention]:
    """The names of one block written in a fixed form, none overlapping another."""
    out = bibliography_authors(bi, text) if bibliography else inverted_names(bi, text, register)
    out.extend(imprints(bi, text, register))
    out.extend(acronym_definitions(bi, text, register, ocr, Occupied([(m.start, m.end) for m in out])))
    return out


def bibliography_authors(bi: int, text: str) -> list[Mention]:
    """"Watt, Lori", "Hara, K. M.": the authors opening a bibliography's entry."""
    return [Mention(bi, m.start(1), m.end(1), m.group(1), "person", STRONG) for m in _BIBL_AUTHOR.finditer(text)]


def imprints(bi: int, text: str, register: Register) -> list[Mention]:
    """"Cambridge, MA: Harvard University Press, 2012": a citation's places, publisher and year."""
    out = []
    for m in _IMPRINT.finditer(text):
        for group, kind in (("city", "place"), ("state", "place"), ("publisher", "org")):
            if m.group(group):
                entry = register.lookup(m.group(group))
                out.append(Mention(bi, m.start(group), m.end(group), m.group(group), entry.kind if entry else kind,
                                   REGISTER if entry else STRONG, entry))
    return out


def inverted_names(bi: int, text: str, register: Register) -> list[Mention]:
    """"Tamaki, Setsuko", "CALDER-HOLT, Alasdair James", "Tamanoi, Mariko Asano": a surname, a comma,
    a given name and further names or initials."""
    out = []
    for m in _INVERTED.finditer(text):
        surname, given = m.group("surname"), m.group("given").split()
        if register.lookup(surname) or E.common_word(surname) or not all(
                _INITIAL_TOKEN.fullmatch(g) or E.given_name(g, accents=True) or E.family_name(g, accents=True)
                for g in given) or not E.given_name(given[0], accents=True):
            continue
        out.append(Mention(bi, m.start(), m.end(), m.group(), "person", STRONG))
    return out


def acronym_definitions(bi: int, text: str, register: Register, ocr: bool, taken: Occupied) -> list[Mention]:
    """"Recovery of Allied Prisoners of War and Internees (RAPWI)": the name its initials spell is
    an organisation's (unless it names a place), and so is the acronym."""
    out = []
    for m in _DEFINED_ACRONYM.finditer(text):
        acronym = m.group(1)
        words = list(_NAME_WORD.finditer(text[:m.start()]))
        kept, letters = [], ""
        for w in reversed(words):  # walk back over the words whose initials end the acronym
            word = w.group()
            if word.lower() in L.CONNECTORS or word == "&":
                kept.append(w)
                continue
            if not word[0].isupper() or not acronym[:len(acronym) - len(letters)].endswith(word[0]):
                break
            kept.append(w)
            letters = word[0] + letters
            if letters == acronym:
                break
        while kept and kept[-1].group().lower() in L.CONNECTORS:
            kept.pop()
        if letters != acronym or len(kept) < 2 or text[kept[0].end():m.start()].strip():
            continue
        start, end = kept[-1].start(), kept[0].end()
        if taken.overlaps(start, m.end()):
            continue
        entry = register.lookup(text[start:end], ocr)
        kind = entry.kind if entry else "org"
        out.append(Mention(bi, start, end, text[start:end], kind, REGISTER if entry else STRONG, entry))
        out.append(Mention(bi, m.start(1), m.end(1), acronym, kind, REGISTER if entry else STRONG, entry,
                           alias_of=None if entry else text[start:end]))
    return out
