"""Names: find persons, places, organisations and vessels, and type them.

Capitalised token runs are cut into segments: the longest forms the
register knows, and between them unknown runs. Unknown segments are typed
from their own words (heads such as Island, Army, Maru; prefixes such as
Port, Northern) and from their context (titles, prepositions, "(now X)",
vessel nouns, coordination); names written in a fixed form (citations,
inverted names, defined acronyms) come from ``citations.py`` first.
``resolve.py`` then gives every name one type and one entity per document.
"""
from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass

from pipeline.annotate import evidence as E
from pipeline.annotate import lexicon as L
from pipeline.annotate.citations import conventional_names
from pipeline.annotate.mentions import MEDIUM, REGISTER, STRONG, Mention
from pipeline.annotate.occupied import Occupied
from pipeline.annotate.register import NOT_A_NAME, Entry, Register

# A word: letters/digits with inner hyphens, dots or apostrophes ("Baikal-Amur", "No.2", "L-12"). An
# apostrophe goes before a small letter ("Sejima’s") or after a one-letter prefix ("O’Brien"); before a
# capital after a longer word it parts two words (a scan's slash read as a quote: "Gegenmiao’Koken").
TOKEN_RE = re.compile(r"[^\W_](?:\w|[-.](?=\w)|['’](?=[^\W_])(?![A-Z])|(?<=\b\w)['’](?=[A-Z]))*")
_POSSESSIVE = re.compile(r"['’]s$")
_IDENT = re.compile(r"[A-Z]{1,3}-?\d+[A-Za-z]?")  # L-12, I-58, B29
_ORDINAL = re.compile(r"\d+(?:st|nd|rd|th)")
_SENTENCE_END = re.compile(r"(?:^|[.!?:;—]|[.!?:;]['\"’”)\]]|[\"“‘])\s*$")  # "TOKYO — Members"
_NOW = re.compile(r"\s*\((?:now|formerly|today|present-day|modern)\b", re.IGNORECASE)
_IN_NOW = re.compile(r"\((?:now|formerly|today|present-day|modern)\s+$", re.IGNORECASE)
# Lists are bounded ({0,8}) so that a failed match never rescans a long run of words.
_ORG_LIST = re.compile(
    r"\b(?:[A-Z][a-z]+,\s+){0,8}[A-Z][a-z]+,?\s+and\s+[A-Z][a-z]+\s+(?:"
    + "|".join(w.capitalize() for w in sorted(L.ORG_HEADS)) + r")\b"
)
_NOTE_GLUED = re.compile(r"((?!No\b|Nos\b)[^\W\d_][\w'’-]*)\.\d+$")  # "Senzaki.2", not "No.2"
_ORG_OF_LIST = re.compile(  # "Ministry of Health, Labor and Welfare", "Ministry of Health and Welfare"
    r"\b(?:" + "|".join(w.capitalize() for w in sorted(L.ORG_FIRST)) + r")\s+of\s+(?:the\s+)?"
    r"(?:[A-Z][a-z]+,\s+){0,8}[A-Z][a-z]+,?\s+and\s+(?P<last>[A-Z][a-z]+)\b(?!\s+[A-Z])"
)
_UNIT_NUMBER = re.compile(r" \d+\b(?![.,]\d)")
_ROMAN = re.compile(r"[IVX]{2,5}")
_SUFFIX = re.compile(r",\s(?:Jr|Sr)\.")
_NUMBER_BEFORE = re.compile(r"(?:^|(?<=[\s(]))(\d{1,4}) $")
_NAMED = re.compile(r"\b(?:a|an|the|one)\s+(\w+)\s+(?:named|called)\s+$", re.IGNORECASE)
_POSSESSED = re.compile(r"['’]s\b")
_NOUN_ENDS = re.compile(r"\s*(?:[.,;:!?)]|$|\s(?:and|or|but|to|in|from|was|were|is)\b)")
_DOTTED = re.compile(r"(?:[A-Z]\.)+[A-Z]")
_COMPANY = re.compile(r"\s?&\s?(?:Co\.|Company|Sons)(?:,?\s(?:Ltd|Inc)\.?)?")
# "The Ambassador in China (Stuart)", "the Supreme Commander ... (MacArthur)": an office holder named
_OFFICE_HOLDER = re.compile(r"\b(?:" + "|".join(sorted(L.PERSON_TITLES - L.OFFICE_WORDS - L.COMMON, key=len, reverse=True))
                            + r")\b[^()]{0,60}\($", re.IGNORECASE)
# "the town of Tomari", "the port of Maizuru": a place noun and "of" before the name
_PLACE_OF = re.compile(r"\b(?:city|town|village|port|island|islands|province|district|prefecture|county|region"
                       r"|capital|harbou?r|river|gulf|bay|sea|peninsula|oblast)\s+of\s+(?:the\s+)?$", re.IGNORECASE)
_CAPITAL_AFTER = re.compile(r" [A-Z]")
_LOWER_WORD_AFTER = re.compile(r"\s+[a-z]")
_TWO_WORDS = re.compile(r"\W*([\w\-]+)\s+([\w\-]+)")
_WORDS_BEFORE = re.compile(r"(?:([\w\-]+)\W+)?([\w\-]+)\W*$")
_SAINT = re.compile(r"\b(?:St|Saint|Ste)\.?\s+$")
_UNIT_LETTER = re.compile(r"[A-Z]$")
_AFTER_NUMBER = re.compile(r"\d\s?°?\s?$")
_TITLE_CUES = frozenset("record records book books novel newspaper magazine journal titled entitled film song poem memoir memoirs diary series".split())
_SUFFIX_PLACE = {"based", "occupied", "held", "controlled", "born", "bound", "administered", "ruled"}

@dataclass
class _Tok:
    start: int
    end: int
    text: str
    low: str
    suffix: str = ""  # "based" in "Manchuria-based"


def _tokens(text: str) -> list[_Tok]:
    toks = []
    for m in TOKEN_RE.finditer(text):
        s, e, t = m.start(), m.end(), m.group()
        if _POSSESSIVE.search(t) and not _inner_possessive(text, s, t[:-2]):
            e -= 2
            t = t[:-2]
        elif text[e:e + 1] in ("'", "’") and _inner_possessive(text, s, t):
            e += 1  # "Workers' Party"
            t = text[s:e]
        if _UNIT_LETTER.match(t) and _AFTER_NUMBER.search(text, max(0, s - 8), s):
            continue  # "minus 40 C.", "28 F": a unit, not an initial
        note = _NOTE_GLUED.match(t)
        if note:
            t = note.group(1)
            e = s + len(t)
        suffix = ""
        if "-" in t:
            head, _, tail = t.rpartition("-")
            if tail.islower() and head[:1].isupper() and tail not in L.ORDINAL_WORDS and E.common_word(tail):
                suffix, t = tail, head  # "Manchuria-based", not "Koken-miao"
                e = s + len(head)
        toks.append(_Tok(s, e, t, t.lower(), suffix))
    return toks


def _inner_possessive(text: str, start: int, word: str) -> bool:
    """A possessive inside a proper name: of a collective ("People's Republic") or a
    saint ("St. John's"), not of the name itself ("Stalin's order")."""
    if word.lower() in L.COLLECTIVE_POSSESSORS or _SAINT.search(text, max(0, start - 6), start):
        return True
    # a plural's bare apostrophe before a capitalised word: "Residents' Association", "Girls' High School"
    end = start + len(word)
    return word.endswith("s") and text[end:end + 1] in ("'", "’") and bool(_CAPITAL_AFTER.match(text, end + 1))


def _is_cap(tok: _Tok) -> bool:
    c = tok.text[0]
    return c.isupper() or bool(_ORDINAL.fullmatch(tok.text))


def _prev_word(text: str, start: int) -> str:
    """The word before a name, lower-cased; a locative preposition before "the" or "of" counts as the
    word before ("in the Kremlin", "out of Yehho")."""
    m = _WORDS_BEFORE.search(text, max(0, start - 30), start)
    if not m:
        return ""
    word, before = m.group(2).lower(), (m.group(1) or "").lower()
    if (word == "the" and before in L.LOCATIVE_PREPOSITIONS and before not in ("on", "off", "onto")) \
            or (word == "of" and before == "out"):  # not "on the Sibajak": ships are boarded too
        return before if word == "the" else "out-of"
    return word


def _sentence_initial(text: str, start: int) -> bool:
    return bool(_SENTENCE_END.search(text[max(0, start - 4):start])) or start == 0


class NameFinder:
    """Finds name mentions block by block; typing is settled in ``resolve``."""

    def __init__(self, register: Register, ocr: bool = False):
        self.reg = register
        self.ocr = ocr  # OCR'd text: the register also matches forms at one slip
        self.coord_ids = 0

    def find(self, bi: int, text: str, kind: str, taken: list[tuple[int, int]]) -> list[Mention]:
        self.reading = kind
        # how much evidence a name needs: the register's word alone in a table's column heads;
        # a strong cue in a bibliography or a heading in title case; the usual elsewhere
        strict = REGISTER if kind == "columns" else STRONG if kind == "bibl" else MEDIUM if (
            kind == "head" and _title_case(text)) else 0
        out = conventional_names(bi, text, self.reg, self.ocr, bibliography=kind == "bibl")
        for m in (*_ORG_LIST.finditer(text), *_ORG_OF_LIST.finditer(text)):
            if any(o.start <= m.start() < o.end or m.start() <= o.start < m.end() for o in out):
                continue
            entry = self.reg.lookup(m.group(), self.ocr)
            if m.re is _ORG_OF_LIST and not entry and self.reg.lookup(m.group("last"), self.ocr):
                continue  # "the Bank of Japan and Korea": two names
            out.append(Mention(bi, m.start(), m.end(), m.group(), "org", REGISTER if entry else STRONG, entry))
        blocked = Occupied(taken + [(m.start, m.end) for m in out])
        toks = [t for t in _tokens(text) if not blocked.overlaps(t.start, t.end)]
        for chunk in _chunks(text, toks):
            out.extend(self._segments(bi, text, chunk, strict))
        self._coordinate(text, out)
        out.sort(key=lambda m: m.start)
        return out

    # -- segmentation -----------------------------------------------------
    def _segments(self, bi: int, text: str, chunk: list[_Tok], strict: int) -> list[Mention]:
        n, i, segs = len(chunk), 0, []
        while i < n:
            hit = self._longest(text, chunk, i)
            if chunk[i].low in L.CONNECTORS and not hit:  # a connector opens a name only the register knows ("La Perouse Strait")
                i += 1
                continue
            if hit:
                j, entry = hit
                segs.append([i, j, entry])
                i = j
                continue
            j = i + 1
            while j < n and chunk[j].low not in L.CONNECTORS and not self._starts_known(text, chunk, i, j):
                j += 1
            segs.append([i, j, None])
            i = j
        segs = self._named_after(text, chunk, self._merge_of(text, chunk, segs))
        out = []
        for i, j, entry in segs:
            m = self._mention(bi, text, chunk, i, j, entry, strict)
            if m and not (m.strength < STRONG and j - i == 1 and _titled_by_event(chunk, i)):
                out.append(m)
        return out

    def _named_after(self, text: str, chunk: list[_Tok], segs: list[list]) -> list[list]:
        """Known places or organisations, then an unknown run with a generic head, are one
        name: a facility ("Port Arthur Naval Base", "Mitsubishi Nagasaki Shipyard") or an
        organisation ("Japan Association of Siberian Detainees", "Korea Electric Company")."""
        out: list[list] = []
        run = None  # where in ``out`` the adjacent known places and organisations before i begin
        for i, j, entry in segs:
            adjacent = run is not None and out[-1][1] == i
            if entry is None and adjacent and not _is_ordinal(chunk[i]) and (
                    chunk[j - 1].low in L.HEADS or chunk[i].low in L.ORG_FIRST and j - i > 2):
                start = out[run][0]
                out[run:] = [[start, j, self._known(text, chunk, start, j)]]
                run = None
                continue
            if entry is not None and entry.kind in ("place", "org"):
                run = run if adjacent else len(out)
            else:
                run = None
            out.append([i, j, entry])
        return out

    def _longest(self, text: str, chunk: list[_Tok], i: int) -> tuple[int, Entry] | None:
        for j in range(min(len(chunk), i + self.reg.max_tokens), i, -1):
            if chunk[j - 1].low in L.CONNECTORS:
                continue
            entry = self._known(text, chunk, i, j)
            if entry:
                return j, entry
        return None

    def _known(self, text: str, chunk: list[_Tok], i: int, j: int) -> Entry | None:
        """The register's entry for the words i..j; runs longer than every form are not looked up."""
        return None if j - i > self.reg.max_tokens else self.reg.lookup(text[chunk[i].start:chunk[j - 1].end], self.ocr)

    def _starts_known(self, text: str, chunk: list[_Tok], i: int, j: int) -> bool:
        """A known name starts at j, unless it is one word after an unknown name word
        ("Masamichi Musashi" is a person, not a name and the battleship)."""
        hit = self._longest(text, chunk, j)
        if not hit:
            return False
        before = chunk[j - 1].low
        plain_word = not (before in L.COMMON or before in L.PERSON_TITLES or before in L.EVENT_WORDS
                          or before in L.PLACE_PREFIXES or before in L.PLACE_FIRST or _is_demonym(chunk[j - 1])
                          or E.common_word(chunk[j - 1].text))
        return not (hit[0] == j + 1 and plain_word)

    def _merge_of(self, text: str, chunk: list[_Tok], segs: list[list]) -> list[list]:
        """Join "Bank | of | Japan", "Sea | of | Okhotsk", "North | Korea" into one name."""
        out: list[list] = []
        for seg in segs:
            if out:
                prev = out[-1]
                gap = [t.low for t in chunk[prev[1]:seg[0]]]
                last = chunk[prev[1] - 1].low
                first = chunk[prev[0]].low
                joins_of = gap in (["of"], ["of", "the"]) and prev[2] is None and (
                    (last in L.ORG_FIRST | L.PLACE_FIRST | {"republic", "kingdom", "commonwealth", "empire", "staff", "state"}
                     and prev[1] - prev[0] == 1 or last in L.ORG_HEADS or last in L.FACILITY_HEADS)
                    and first not in L.EVENT_WORDS
                    # not "of the Chinese Nationalist" forces, nor a unit of a known force
                    # ("Sixth Fleet of the Soviet Navy")
                    and not all(_is_demonym(t) for t in chunk[seg[0]:seg[1]])
                    and not (seg[2] is not None and seg[2].kind == "org" and prev[1] - prev[0] > 1)
                    # nor "Units of the Pacific Fleet", nor an office ("Office of the Assistant Director")
                    and not (seg[2] is not None and seg[2].kind == "org" and E.common_word(chunk[prev[0]].text)
                             and last not in L.ORG_FIRST)
                    and not all(t.low in L.PERSON_TITLES or t.low in L.OFFICE_TERMS for t in chunk[seg[0]:seg[1]]))
                prefix = not gap and prev[2] is None and prev[1] - prev[0] == 1 and last in L.PLACE_PREFIXES \
                    and seg[2] is not None and seg[2].kind == "place"
                # "Paramushiro | Islands", "Tokyo | Bay": a known place and a generic head
                head = not gap and prev[2] is not None and prev[2].kind == "place" and seg[2] is None \
                    and seg[1] - seg[0] == 1 and chunk[seg[0]].low in L.PLACE_HEADS
                port = not gap and prev[2] is None and prev[1] - prev[0] == 1 and last in L.PLACE_FIRST
                # "Eighth | United States Army": a numbered unit of a known force
                ordinal = not gap and prev[2] is None and prev[1] - prev[0] == 1 \
                    and _is_ordinal(chunk[prev[0]]) and seg[2] is not None and seg[2].kind == "org"
                # "University of Hawaii | Press": a name, then an organisation's head alone
                org_head = not gap and seg[2] is None and seg[1] - seg[0] == 1 and chunk[seg[0]].low in L.ORG_HEADS \
                    and chunk[seg[0]].low not in L.PLACE_HEADS and (prev[2] is None or prev[2].kind in ("place", "org"))
                # "Mongolian | Red Cross Society", "International | Red Cross": a national or other body of a
                # registered organisation whose name is generic (common words only)
                modifier = not gap and prev[2] is None and prev[1] - prev[0] == 1 and seg[2] is not None \
                    and seg[2].kind == "org" and (_is_demonym(chunk[prev[0]]) or chunk[prev[0]].low in L.BODY_ADJECTIVES) \
                    and all(E.common_word(t.text) for t in chunk[seg[0]:seg[1]])
                # "Red Cross Society | of | China": a registered organisation of a registered place
                of_place = gap in (["of"], ["of", "the"]) and prev[2] is not None and prev[2].kind == "org" \
                    and last in L.ORG_HEADS and seg[2] is not None and seg[2].kind == "place"
                if joins_of or prefix or head or port or ordinal or of_place or org_head or modifier:
                    whole = self._known(text, chunk, prev[0], seg[1])
                    out[-1] = [prev[0], seg[1], whole]
                    continue
            out.append(seg)
        return out

    # -- one segment --------------------------------------------------------
    def _mention(self, bi, text, chunk, i, j, entry, strict) -> Mention | None:
        toks = chunk[i:j]
        titled = False
        if entry is None and j - i == 1 and toks[0].low in L.OCEAN_ADJECTIVES \
                and _prev_word(text, toks[0].start) == "the" and _NOUN_ENDS.match(text, toks[0].end):
            return Mention(bi, toks[0].start, toks[0].end, toks[0].text, "place", MEDIUM)  # "to the Pacific": the ocean
        if entry is None:
            toks = deque(toks)  # trimmed at both ends in O(1) a word
            # strip titles, demonyms and sentence openers from the front
            while toks and (toks[0].low in L.PERSON_TITLES or toks[0].low in L.COMMON
                            or _is_demonym(toks[0]) or toks[0].low in L.EVENT_WORDS
                            or _office(toks)) and not _keeps_front(toks):
                if toks[0].low in L.EVENT_WORDS and len(toks) > 1:
                    return None  # "Operation Iceberg": the title of an operation
                if toks[0].low in L.REGNAL_STYLES and len(toks) == 2 and not self.reg.lookup(toks[1].text) \
                        and not E.given_name(toks[1].text, E.SINGLE_NAME_RANK):
                    titled = True
                    break  # "Emperor Meiji": the style is part of a conventional name
                titled |= toks[0].low in L.PERSON_TITLES and (toks[0].low not in L.COMMON
                                                              or toks[0].low in L.HONORIFICS)
                toks.popleft()
            if titled and toks and all(E.common_word(t.text) for t in toks):
                return None  # "Staff Writer": an office, not a name
            if all(t.low in L.PERSON_TITLES or t.low in L.OFFICE_TERMS for t in chunk[i:j]):
                return None  # "Commanding General", "Political Adviser": an office
            while len(toks) > 1 and _sentence_initial(text, toks[0].start) and E.common_word(toks[0].text) \
                    and not (toks[0].low in L.PLACE_FIRST or toks[0].low in L.PERSON_TITLES or toks[0].low in L.ORG_FIRST or toks[0].low in L.PLACE_PREFIXES
                             or _keeps_front(list(toks))):
                toks.popleft()  # "Passed Cape Shiono", "Sent Tokyo": a sentence's first word, then the name
            if toks and _ORDINAL.fullmatch(toks[0].text) and toks[-1].low not in L.ORG_HEADS:
                return None  # "the 38th parallel", "70th anniversary"
            # a name with an event or document word is a title ("Cold War", "Postwar
            # Forced Detention History"), not tagged; a facility keeps its head
            # ("Fushun War Criminals Management Center")
            if toks and toks[-1].low not in L.HEADS and any(
                    t.low in L.EVENT_WORDS or _ROMAN.fullmatch(t.text) for t in toks):
                return None
            if toks and toks[-1].low in ("no", "nos", "number", "vol"):
                return None  # the label of an identifier ("Summation No. 3")
            # demonyms end a name unless an organisation's head follows ("Handenzawa Japanese")
            while len(toks) > 1 and _is_demonym(toks[-1]):
                toks.pop()
            if len(toks) > 1 and toks[-1].low in L.GOVERNMENT_HEADS and (
                    all(_is_demonym(t) for t in list(toks)[:-1])
                    or (place := self.reg.lookup(text[toks[0].start:toks[-1].start].rstrip(), self.ocr))
                    and place.kind == "place"):
                toks.pop()  # "U. S. Govt", "Chinese Govt": a government described, the place kept
                if all(_is_demonym(t) for t in toks):
                    return None
            toks = list(toks)
            while len(toks) > 2 and E.common_word(toks[-1].text) and toks[-1].low not in L.HEADS \
                    and E.person_evidence([t.text for t in toks[:-1]]) >= MEDIUM:
                toks.pop()  # "Iwao Peter Sano Interview": a name, then a common noun
            if not toks or all(t.low in L.PLACE_PREFIXES or t.low in L.CONNECTORS for t in toks):
                return None
            if any(t.suffix in ("class", "type", "style") for t in toks):
                return None
        start, end = toks[0].start, toks[-1].end
        if toks[-1].low in ("jr", "sr") and text[end:end + 1] == ".":
            end += 1
        elif (len(toks) > 1 and all(len(t.text) == 1 and t.text.isupper() for t in toks[-2:])
              or _DOTTED.fullmatch(toks[-1].text) or toks[-1].low in ("ltd", "inc", "co", "corp")) \
                and text[end:end + 1] == ".":
            end += 1  # "U. S.", "U.S.": initials keep their last period
        if entry is None and (company := _COMPANY.match(text, end)):
            end = company.end()  # "C. Itoh & Co.": a firm's name with its "& Co."
        elif (suffix := _SUFFIX.match(text, end)) and entry is None:
            end = suffix.end()  # "George Atcheson, Jr."
        elif entry is None and (toks[-1].low in L.ORG_HEADS or toks[-1].low in L.NUMBERED_FACILITIES) \
                and (num := _UNIT_NUMBER.match(text, end)):
            end = num.end()  # "Task Force 58", "Unit 731", "Camp 14"
        if entry is None and len(toks) > 1 and toks[-1].low in L.ORG_HEADS and (
                num := _NUMBER_BEFORE.search(text, max(0, start - 8), start)):
            start = num.start(1)  # "130 Australian General Hospital": a unit's number opens its name
        name = text[start:end]
        prev = _prev_word(text, start)
        after = text[end:end + 40]
        nxt = re.match(r"\W*([\w\-]+)", after)
        nxt = nxt.group(1) if nxt else ""
        if entry is None:
            entry = self.reg.lookup(name, self.ocr)
        if entry is not None and entry.kind == NOT_A_NAME:
            return None
        if entry is None and (len(toks) == 1 and _gentilic(name, self.reg) or E.people(toks[-1].text)):
            return None  # a people, not a place ("Austrians", "Czech Jews")
        # "the transport Antrim Star"; not "Transport. Trucks of the corps", across a sentence's end
        vessel_cue = prev in L.VESSEL_CUES and bool(re.search(r"[\w\-] +$", text[max(0, start - 8):start]))
        if entry is not None:
            kind, strength = entry.kind, REGISTER
            if vessel_cue and kind != "vessel" and not prev.endswith("s"):  # "the ships SCAP has sent"
                kind, strength, entry = "vessel", STRONG, None
            return Mention(bi, start, end, name, kind, strength, entry)
        kind, strength = self._type(toks, text, start, end, prev, nxt, titled, vessel_cue)
        initial = _sentence_initial(text, start) or (i == 0 and toks[0] is chunk[0] and _sentence_initial(text, chunk[0].start))
        if nxt.lower() in L.CLASS_NOUNS_AFTER and kind != "vessel" or re.fullmatch(r"[A-Z]{1,6}s?", name):
            return None  # "Liberty ships"; an unknown acronym ("FD", "POWs")
        if strength < strict or strength < STRONG and prev in _TITLE_CUES:
            return None  # a heading in Title Case, a bibliography, a work's title
        if strength < STRONG and initial and len(toks) == 1:
            kind, strength = None, 0  # a sentence opener: a name only if the document says so elsewhere
        if _IDENT.fullmatch(name) and kind != "vessel":
            kind, strength = None, 0  # an identifier: a name only if coordinated with a vessel
        return Mention(bi, start, end, name, kind, strength)

    def _type(self, toks, text, start, end, prev, nxt, titled, vessel_cue) -> tuple[str | None, int]:
        first, last = toks[0].low, toks[-1].low
        if last in L.VESSEL_HEADS or first in L.VESSEL_PREFIXES or vessel_cue:
            return "vessel", STRONG
        if first in ("st", "saint") and last in L.PLACE_HEADS:
            return "place", STRONG  # "St. Mary's Church": a building
        if len(toks) > 1 and (body := self.reg.lookup(text[toks[1].start:end], self.ocr)) and body.kind == "org":
            return "org", STRONG  # "British Red Cross Society": a body of a registered organisation
        if _COMPANY.match(text, toks[-1].end) or last in L.ORG_HEADS and len(toks) > 1 \
                or first in L.ORG_FIRST and len(toks) > 2 or any(
                t.low in L.ORG_FIRST and u.low == "of" for t, u in zip(toks, toks[1:-1])):
            return "org", STRONG
        if (last in L.PLACE_HEADS or first in L.PLACE_FIRST or first in L.PLACE_PREFIXES) and len(toks) > 1:
            return "place", STRONG
        if last in L.NUMBERED_FACILITIES and _UNIT_NUMBER.match(text, toks[-1].end):
            return "place", STRONG
        if _NOW.match(text, end) or _IN_NOW.search(text, max(0, start - 16), start) \
                or _PLACE_OF.search(text, max(0, start - 24), start):
            return "place", STRONG
        if titled or prev in L.PERSON_CUES_BEFORE and not E.own_word(prev):
            return "person", STRONG
        if E.state(text[start:end]):
            return "place", STRONG  # "to Austria", though a names list has it as a given name
        if text[end:end + 1] == ")" and _OFFICE_HOLDER.search(text, max(0, start - 80), start):
            return "person", STRONG
        if named := _NAMED.search(text, max(0, start - 30), start):  # "a man named Asada"
            noun = named.group(1).lower()
            if noun in L.NAMED_PERSON:
                return "person", STRONG
            if noun in L.NAMED_PLACE:
                return "place", STRONG
        if toks[-1].suffix in _SUFFIX_PLACE:
            return "place", MEDIUM
        if nxt in L.PLACE_NOUNS_AFTER and text[end:end + 1] == " " or _heads_place_phrase(text, end):
            return "place", MEDIUM
        cued = nxt in L.PERSON_CUES_AFTER or bool((two := _TWO_WORDS.match(text, end))
                                                  and f"{two[1]} {two[2]}" in L.PERSON_CUES_AFTER)
        if cued and len(toks) > 1:
            return "person", MEDIUM
        person = E.person_evidence([t.text for t in toks])
        if prev in L.PLACE_PREPOSITIONS and not E.common_word(toks[0].text) and (len(toks) == 1 or person) and (
                not person or prev in L.LOCATIVE_PREPOSITIONS and not _POSSESSED.match(text, end)
                and (person < MEDIUM or len(toks) > 1)):
            return "place", MEDIUM  # "overland to Tunghua", "near Iida", "near Ben Luc"; not "a copy to Underwood"
        if prev == "the" and person and person < STRONG:
            return None, 0  # "attacks by the Viet Minh": names of persons do not take "the"
        if len(toks) == 2 and (known := self.reg.lookup(toks[1].text)) and known.kind == "place" \
                and not E.given_name(toks[0].text, E.SINGLE_NAME_RANK):
            return "place", MEDIUM  # "Yuzhny Sakhalin", "Kita Ezo": a known place qualified
        # a large city, over a names list's weak word ("Amsterdam" is a family name there), but not over a
        # common given name ("Lincoln wept") unless a preposition of place stands before it ("to Lincoln")
        if (not person or person < MEDIUM and (prev in L.PLACE_PREPOSITIONS
                                               or not E.given_name(toks[0].text, E.SINGLE_NAME_RANK))) \
                and E.city([t.text for t in toks]):
            return "place", MEDIUM
        if cued and not person and not E.common_word(toks[0].text):
            return "person", STRONG  # "Sejima was born": no place, a verb of a person (even opening a sentence)
        if person:
            return "person", STRONG if self.reading == "salute" else max(person, MEDIUM if prev == "by" else person)
        if self.reading == "salute" and len(toks) == 1 and not E.common_word(toks[0].text):
            return "person", STRONG  # "Sarah, my darling:": whom a letter greets
        if prev == "by" and (E.family_name(toks[-1].text) or E.given_name(toks[0].text)):
            return "person", MEDIUM  # "reported by Rigg"
        return None, 0

    # -- coordination -----------------------------------------------------
    def _coordinate(self, text: str, mentions: list[Mention]) -> None:
        """Mark mentions joined by ", " / "and" / "or" as one coordination group. A comma alone joins no
        name that a lower-case word follows: the clause ended at the comma ("From Siberia, Sejima wrote"),
        where "Toyama, Japan." and "A, B and C" are lists."""
        mentions.sort(key=lambda m: m.start)
        for a, b in zip(mentions, mentions[1:]):
            gap = text[a.end:b.start]
            alias = gap.strip() == "(" and text[b.end:b.end + 1] == ")"  # "Horonai (Poronai)"
            clause = gap.strip(" )") == "," and _LOWER_WORD_AFTER.match(text, b.end)
            if alias or re.fullmatch(r"\)?\s*(?:,|,?\s+(?:and|or)|/)\s*(?:the\s+)?", gap) and not clause:
                if a.coord is None:
                    self.coord_ids += 1
                    a.coord = self.coord_ids
                b.coord = a.coord


_PHRASE_WORD = re.compile(r"\s*(\([^()]{1,30}\)|[\w\-]+)")


def _heads_place_phrase(text: str, end: int) -> bool:
    """The name modifies a place noun a few words on: "Horonai (Poronai) Japanese frontier river post"."""
    pos = end
    for _ in range(4):
        m = _PHRASE_WORD.match(text, pos)
        if not m:
            return False
        word, pos = m.group(1), m.end()
        low = word.lower()
        if low in L.PLACE_NOUNS_AFTER:
            return True
        if word.startswith("(") or low in L.DEMONYMS:
            continue
        if not word.islower() or low in L.COMMON:
            return False
    return False


def _keeps_front(toks: list[_Tok]) -> bool:
    """The first word belongs to the name: an organisation named with its ordinal
    ("First Army") or its adjective ("Imperial Japanese Army"), but an adjective before
    a unit's number does not ("Japanese 32nd Army", "Soviet First Army Group")."""
    ofs = [k for k, t in enumerate(toks) if t.low == "of"]
    if ofs:  # "Japanese Residents' Association of Pyongyang": the head stands before "of"
        toks = list(toks)[:ofs[0]]
    if len(toks) < 2 or toks[-1].low not in L.ORG_HEADS:
        return False
    return _is_ordinal(toks[0]) or toks[0].low not in L.COMMON and not _is_ordinal(toks[1]) \
        and (toks[0].low not in L.PERSON_TITLES or toks[0].low in L.OFFICE_WORDS or len(toks) == 2)


def _office(toks: list[_Tok]) -> bool:
    """A collective's office before a name: "People's Commissar" Beria."""
    return len(toks) > 1 and toks[1].low in L.PERSON_TITLES and toks[0].low[-1] in "'’s" \
        and re.sub(r"['’]s?$", "", toks[0].low) in L.COLLECTIVE_POSSESSORS


def _is_ordinal(tok: _Tok) -> bool:
    """"32nd", "Eighth", "Twenty-fifth"."""
    return bool(_ORDINAL.fullmatch(tok.text)) or tok.low.rpartition("-")[2] in L.ORDINAL_WORDS


def _titled_by_event(chunk: list[_Tok], i: int) -> bool:
    """The word ends a title: "Report of the Surgeon", "History of the Regiment"."""
    return i >= 3 and [t.low for t in chunk[i - 2:i]] == ["of", "the"] and chunk[i - 3].low in L.EVENT_WORDS


def _is_demonym(tok: _Tok) -> bool:
    return all(p in L.DEMONYMS for p in tok.low.split("-"))


_GENTILIC = re.compile(r"(?:ians?|ans?|ese|is)$")


def _gentilic(word: str, register: Register) -> bool:
    """A people or its adjective named after a place the register knows or a state: "Manchurians",
    "Formosans", "Okinawans", "Austrian", "Italian", "German" (a final -y of the place dropped)."""
    if len(word) >= 4 and E.state(f"{word} Republic"):
        return True  # the adjective of a state's official name: "Czech", "French", "Italian"
    m = _GENTILIC.search(word)
    if not m or len(word) < 6:
        return False
    stem = word[:m.start()]
    places = [stem + end for end in ("ia", "a", "", "y")] + [word.removesuffix("s") + "y"]
    return any(E.state(p) or (e := register.lookup(p)) is not None and e.kind == "place" for p in places)


def _chunks(text: str, toks: list[_Tok]) -> list[list[_Tok]]:
    """Runs of capitalised words joined by single spaces (connectors allowed inside)."""
    chunks, cur = [], []
    for k, t in enumerate(toks):
        gap = text[cur[-1].end:t.start] if cur else ""
        joined = cur and not cur[-1].suffix and (gap == " " or gap == ". " and _abbrev(cur[-1]))
        if _is_cap(t) or (t.low in L.CONNECTORS and joined and _connects(text, toks, k)):
            if cur and not joined:
                chunks.append(cur)
                cur = []
            cur.append(t)
        elif cur:
            chunks.append(cur)
            cur = []
    if cur:
        chunks.append(cur)
    # connectors never start or end a chunk
    return [c for c in (_trim(c) for c in chunks) if c]


def _abbrev(tok: _Tok) -> bool:
    """An initial or an abbreviated title that a period does not end: "John R. Hodge", "Col. Smith"."""
    return (len(tok.text) == 1 and tok.text.isupper()) or tok.low in L.PERSON_TITLES or tok.low in ("st", "mt", "ft") \
        or bool(_DOTTED.fullmatch(tok.text))


def _connects(text: str, toks: list[_Tok], k: int) -> bool:
    """A connector (or "of the") followed, across single spaces, by a capitalised word."""
    for n in range(k + 1, min(k + 3, len(toks))):
        if text[toks[n - 1].end:toks[n].start] != " ":
            return False
        if _is_cap(toks[n]):
            return True
        if toks[n].low not in L.CONNECTORS:
            return False
    return False


def _trim(chunk: list[_Tok]) -> list[_Tok]:
    while chunk and chunk[0].low in L.CONNECTORS and not _is_cap(chunk[0]):
        chunk = chunk[1:]
    while chunk and chunk[-1].low in L.CONNECTORS and not _is_cap(chunk[-1]):
        chunk = chunk[:-1]
    return chunk


def _title_case(text: str) -> bool:
    words = [w for w in re.findall(r"[^\W\d_]{4,}", text)]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) / len(words) >= 0.7
