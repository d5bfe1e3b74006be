"""One type per name in the document, and the names it states again.

``resolve`` settles each name's type over the document (a strong local cue
keeps its own), joins surnames to full names and firms' short forms to the
firm; ``restatements`` finds names written again in other capitals and
organisations' acronyms; ``original_script_forms`` a name's form in its own
script after it.
"""
from __future__ import annotations

import re

from pipeline.annotate import evidence as E
from pipeline.annotate import lexicon as L
from pipeline.annotate.mentions import MEDIUM, REGISTER, STRONG, Mention
from pipeline.annotate.occupied import Occupied
from pipeline.annotate.register import NOT_A_NAME, Entry, Register

_EAST_ASIAN = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"  # kana, Han, Hangul
_ORIGINAL_SCRIPT = re.compile(rf" \(([{_EAST_ASIAN}](?:[ ・{_EAST_ASIAN}]*[{_EAST_ASIAN}])?)\)")
# a firm's name: "C. Itoh & Co.", "Kinta Consolidated Tin Dredging Ltd."
_FIRM = re.compile(r"(?:&\s?(?:Co\.|Company|Sons)|\b(?:Company|Corporation|Kaisha|Ltd\.?|Inc\.?))$")


def resolve(mentions: list[Mention]) -> list[Mention]:
    """One type per name in the document; surnames join their full names.

    Returns the mentions that stay names, in document order. A mention keeps
    a type of its own only when a strong local cue says so (the mine layer
    Okhotsk among places called Okhotsk).
    """
    _spread_coordination(mentions)
    full_names: dict[str, Mention] = {}
    typed: set[str] = set()
    for m in mentions:
        if m.kind == "person" and m.entry is None and " " in m.text:
            full_names.setdefault(_surname(m.text), m)
        if m.kind is not None:
            typed.add(m.text)
    firms = [m.text for m in mentions if m.kind == "org" and _FIRM.search(m.text)]
    short = {m.text for m in mentions if m.entry is None and m.strength < STRONG and m.kind != "org" and any(
        o.startswith(m.text + " ") or _without_initials(o).startswith(m.text + " ") for o in firms)}
    mentions = [m for m in mentions if m.kind is not None or m.text in typed or m.text in full_names
                or m.text in short]
    best: dict[str, tuple[int, str]] = {}
    for m in mentions:
        if m.entry is None and " " not in m.text and m.text in full_names and m.strength < STRONG:
            m.kind, m.strength = "person", MEDIUM
        key = m.text
        if m.entry is None and m.kind is not None and (key not in best or m.strength > best[key][0]):
            best[key] = (m.strength, m.kind)
    for m in mentions:  # "C. Itoh" and "Itoh" after "C. Itoh & Co.": short forms of the firm
        if m.text in short:
            m.kind, m.strength = "org", STRONG
            best[m.text] = (STRONG, "org")
            full_names.pop(m.text.split()[-1], None)
    for text in full_names:  # the surname of a person named in full is that person, whatever weaker cue
        if text in best and best[text][0] < STRONG:
            best[text] = (MEDIUM, "person")
    for m in mentions:
        if m.entry is None and m.strength < STRONG:
            m.kind = best[m.text][1]
    return mentions


def original_script_forms(views: list[str], mentions: list[Mention]) -> list[Mention]:
    """A name's form in its own script, in brackets right after it ("Koken-miao (葛根廟)", "Sejima
    (瀬島 龍三)"): the same entity, as another form of it."""
    return [Mention(m.block, f.start(1), f.end(1), f.group(1), m.kind, m.strength, m.entry,
                    alias_of=m.alias_of or m.text if m.entry is None else None)
            for m in mentions if (f := _ORIGINAL_SCRIPT.match(views[m.block], m.end))]


def _register_forms(register: Register) -> dict[str, list[tuple[str, Entry]]]:
    """The register's names of several words with a word no common English word, by their first
    word case-folded (built once a register, kept with it)."""
    if "restated forms" not in register.derived:
        index: dict[str, list[tuple[str, Entry]]] = {}
        for entry in register.entries:
            if entry.kind == NOT_A_NAME:
                continue
            for form in (entry.name, *entry.variants):
                words = _WORD.findall(form)
                if len(words) > 1 and not all(E.common_word(w) for w in words):
                    index.setdefault(words[0].casefold(), []).append((form, entry))
        register.derived["restated forms"] = index
    return register.derived["restated forms"]


def _surname(name: str) -> str:
    """A full name's surname: the last word, or the first of an inverted "Watt, Lori"."""
    return name.split(",")[0].split()[-1] if "," in name else name.split()[-1]


def _without_initials(name: str) -> str:
    return re.sub(r"^(?:[A-Z]\.\s?)+", "", name)


def _spread_coordination(mentions: list[Mention]) -> None:
    """Weakly typed members of "A, B and C" take the type of the best-cued member."""
    groups: dict[int, list[Mention]] = {}
    for m in mentions:
        if m.coord is not None:
            groups.setdefault(m.coord, []).append(m)
    for members in groups.values():
        lead = max(members, key=lambda m: m.strength)
        if lead.strength < MEDIUM or lead.kind is None:
            continue
        for m in members:
            if m.strength < MEDIUM and m.entry is None and not all(E.common_word(w) for w in m.text.split()):
                m.kind, m.strength = lead.kind, MEDIUM


def restatements(views: list[str], mentions: list[Mention], taken: list[list[tuple[int, int]]],
                 register: Register, texts: list[str] | None = None) -> list[Mention]:
    """Names the document or the register states in other capitals, and organisations' acronyms.

    Capitals change nothing (ENCODING.md): a name found once is the same name
    in a heading in lower case or in capitals ("army advisory group", "ARMY
    ADVISORY GROUP"), and a register's name of several words is one however it
    is capitalised ("the Kwantung army") when one of its words is no common
    English word. An organisation's initials ("AAG" for "Army Advisory Group")
    stand for it wherever they occur. ``texts``: the blocks' texts as written, where the views read
    capitals otherwise (the views themselves where not given).
    """
    texts = texts or views
    found_forms: dict[str, list[tuple[str, Mention]]] = {}  # first word, case-folded -> (form, mention)
    acronyms: dict[str, Mention] = {}
    for m in mentions:
        words = _WORD.findall(m.text)
        if m.kind in ("org", "place", "vessel") and len(words) >= 2:
            found_forms.setdefault(words[0].casefold(), []).append((m.text, m))
        significant = [p for w in words if w.lower() not in L.CONNECTORS for p in w.split("-")]
        if m.kind == "org" and len(significant) >= 2 and all(w[:1].isupper() for w in significant):
            acronyms.setdefault("".join(w[0] for w in significant).upper(), m)
    known = _register_forms(register)
    by_block: dict[int, list[tuple[int, int]]] = {}
    for m in mentions:  # a weakly typed guess gives way to a register name restated around it
        if m.entry is not None or m.strength >= STRONG:
            by_block.setdefault(m.block, []).append((m.start, m.end))
    out = []
    for bi, view in enumerate(views):
        occupied = Occupied(taken[bi] + by_block.get(bi, []))
        claimed: list[tuple[int, int]] = []
        for word in _WORD.finditer(view):
            start = word.start()
            if any(a <= start < b for a, b in claimed):
                continue
            hit = _restated(view, word, found_forms, known, acronyms)
            if hit is None:
                continue
            end, source = hit
            text = view[start:end]
            generic = _lower_case_head(texts[bi][start:end])
            if generic and source.entry is None and text[:1].isupper():
                # "the Motaoling heights": the head a heading in capitals gave the name ("THE MOTAOLING
                # HEIGHTS") is generic, lower-case in the prose: outside the name, here and in the heading
                end -= len(generic)
                text = view[start:end]
                if source.text.isupper():
                    source.end -= len(generic)
                    source.text = source.text[:-len(generic)]
            if text == source.text or occupied.overlaps(start, end):
                continue  # the form as found is tagged wherever its context allows
            claimed.append((start, end))
            out.append(Mention(bi, start, end, text, source.kind, source.strength, source.entry,
                               alias_of=source.alias_of or source.text if source.entry is None else None))
    return out


_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_LAST_WORD = re.compile(r"\s+([^\W\d_][\w'’-]*)$")


def _lower_case_head(text: str) -> str:
    """The text's last word with the space before it, where it is a lower-case place or organisation
    head ("heights", "army"); else ""."""
    m = _LAST_WORD.search(text)
    return m.group() if m and m.group(1).islower() and m.group(1) in L.HEADS else ""


def _restated(view: str, word: re.Match, found_forms: dict, known: dict, acronyms: dict):
    """(end, source mention) of the longest restated form starting at this word, if any."""
    if word.group() in acronyms:
        return word.end(), acronyms[word.group()]
    key = word.group().casefold()
    candidates = found_forms.get(key, []) + [
        (form, Mention(-1, 0, 0, form, entry.kind, REGISTER, entry)) for form, entry in known.get(key, ())]
    for form, source in sorted(candidates, key=lambda c: -len(c[0])):
        end = word.start() + len(form)
        text = view[word.start():end]
        if text.casefold() == form.casefold() and not _WORD_CHAR.match(view, end):
            if source.block < 0 and text == form:
                continue  # the register's own spelling: the finder has already read it in context
            return end, source
    return None


_WORD_CHAR = re.compile(r"[\w'’-]")
