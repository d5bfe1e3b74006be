"""Figures (ENCODING.md section 1, Figures): cardinal numbers and measures.

Numbers in digits or words, with a following scale word inside the span;
a following unit makes the span a measure. Years and other date parts are
left to the date annotator (callers pass the spans already taken), and
identifiers, ordinals, list markers and a bare "one" are not figures.
"""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from pipeline.annotate.occupied import Occupied
from pipeline.model import Span

UNITS = {
    "%": "percent", "percent": "percent", "per cent": "percent", "pct": "percent",
    "kg": "kg", "kgs": "kg", "kilogram": "kg", "kilograms": "kg", "kilogramme": "kg", "kilogrammes": "kg",
    "ton": "t", "tons": "t", "tonne": "t", "tonnes": "t", "-ton": "t", "-tonne": "t",
    "carat": "ct", "carats": "ct",
    "c": "Cel", "°c": "Cel", "° c": "Cel", "degrees celsius": "Cel", "degrees centigrade": "Cel",
    "f": "degF", "°f": "degF", "° f": "degF", "degrees fahrenheit": "degF",
    "km": "km", "kilometre": "km", "kilometres": "km", "kilometer": "km", "kilometers": "km",
    "-kilometre": "km", "-kilometer": "km",
    "mile": "mi", "miles": "mi", "-mile": "mi",
    "hectare": "ha", "hectares": "ha", "ha": "ha",
}
SMALL = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
SCALES = {"hundred": 100, "thousand": 1000, "million": 10**6, "billion": 10**9, "trillion": 10**12}

_WORD = r"(?:" + "|".join(sorted([*SMALL, *TENS], key=len, reverse=True)) + r")"
_SCALE = r"(?:hundred|thousand|million|billion|trillion)"
# "twenty-five", "one hundred and twenty", "three thousand five hundred"
_WORDS = (rf"(?:{_WORD}(?:[-\s]{_WORD})?|an?(?=\s+{_SCALE}))"  # "a hundred" is a figure, "a" alone is not
          rf"(?:\s+{_SCALE}(?:\s+(?:and\s+)?{_WORD}(?:[-\s]{_WORD})?)?)*")
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_UNIT = (r"%|\s?°\s?[CF]\b|\s?(?:per\s+cent|percent|pct|kgs?|kilogram(?:me)?s?|tons?|tonnes?|carats?"
         r"|degrees\s+(?:Celsius|centigrade|Fahrenheit)|[CF](?![\w'’])|km|kilomet(?:re|er)s?|miles?|hectares?|ha)\b"
         r"|-(?:tonne|ton|kilometre|kilometer|mile)\b")
FIGURE_RE = re.compile(
    rf"(?P<sign>\b(?:minus|plus)\s+|(?<![\w\-])[-\u2212](?=\d))?"
    rf"(?:(?P<digits>(?<![\w.,/:])(?<![^\W\d_]-)(?:{_DIGITS}))(?:\s+(?P<dscale>{_SCALE}))?"
    rf"|(?P<words>\b{_WORDS}\b))"
    rf"(?P<unit>{_UNIT})?",
    re.IGNORECASE,
)
# A capitalised word before a number makes it part of a name or an identifier
# ("Order Number 9898", "Task Force 58") when it stands inside a sentence; at a
# sentence's start only identifier nouns do ("Volume 7", "Clause 9").
_BEFORE_WORD = re.compile(r"([A-Z][\w]*)(\.?)\s*$")
_IDENT_WORDS = frozenset(
    "No Nos Number Numbers Volume Vol Clause Article Art Section Sec Chapter Ch Page Unit Hill Route Table "
    "Figure Fig Order Item Box File Folder Annex Appendix Plate Room Flight Paragraph Para Part Book "
    "Tape Reel Side Exhibit Document Doc Case Roll Frame Sheet Folio Serial Radio Telegram Despatch Dispatch".split()
)
_LOWER_IDENT = re.compile(r"\b(?:(?:p|pp|no|nos|vol|vols|para|art|sec|fig|ch|cf)\.|(?:file|sheets?|entry|entries|folios?"
                          r"|box|boxes|folders?|items?|exhibits?|serial|reels?|tapes?|docket|case))\s*$")
_LIST_MARKER = re.compile(r"\s*\(?\d{1,3}[.)]\s")
# A list marker run into the previous item: "… p. 14. 2. Report of …".
_MARKER_AFTER_SENTENCE = re.compile(r"[.!?]\s+$")
_MARKER = re.compile(r"\d{1,3}\.\s+[A-Z]")
_RANGE_BEFORE = re.compile(r"(\d+)\s*[-\u2010-\u2015]\s*$")  # "pp. 211-215": the end of a range
OPENERS = frozenset(
    "About Almost Approximately Around Over Under Nearly Some Up To Only Just Another All Of Those These "
    "The A An And But Between From With Without At In On By For Roughly Perhaps Fewer More Less Exactly "
    "Barely Less Than Estimated An Additional Another Total Still Yet Then When While After Before".split()
)
_ORDINAL_AFTER = re.compile(r"(?:st|nd|rd|th)\b|\.\d|[:/]\d|[\w]")
_TIME_AFTER = re.compile(r"\s*(?:a\.m\.|p\.m\.|am\b|pm\b|hours?\s+GMT|o['’]clock)", re.IGNORECASE)
# A number inside a code that mixes letters, digits and hyphens
_IN_CODE = re.compile(r"[^\W\d_]\w*-(?:\w+-)*$")
_CODE_TAIL = re.compile(r"(?:-\w+)*(?!\w)")
# "(1) evidence ...; (2) logistic ...": an enumerator inside a paragraph, a list marker
_ENUMERATOR = re.compile(r"\((?:[1-9]|1\d)\)(?=\s)")


def _value(m: re.Match) -> Decimal | None:
    if m.group("digits"):
        v = Decimal(m.group("digits").replace(",", ""))
        if m.group("dscale"):
            v *= SCALES[m.group("dscale").lower()]
        return v
    return _words_value(m.group("words"))


def _words_value(text: str) -> Decimal | None:
    total, current = 0, 0
    for w in re.split(r"[-\s]+", text.lower()):
        if w in SMALL:
            current += SMALL[w]
        elif w in TENS:
            current += TENS[w]
        elif w == "hundred":
            current = (current or 1) * 100
        elif w in SCALES:
            total += (current or 1) * SCALES[w]
            current = 0
    return Decimal(total + current)


def plain(v: Decimal) -> str:
    """A plain decimal string: "6900000", "1.5"."""
    if v == v.to_integral_value():
        return str(int(v))
    return format(v.normalize(), "f")


def find_figures(text: str, taken: list[tuple[int, int]]) -> list[Span]:
    """num and measure spans of one block that do not overlap ``taken``."""
    spans = []
    occupied = Occupied(taken)
    for m in FIGURE_RE.finditer(text):
        start, end = m.span()
        if occupied.overlaps(start, end):
            continue
        core_start = m.start("digits") if m.group("digits") else m.start("words")
        core_end = m.end("dscale") if m.group("dscale") else m.end("digits") if m.group("digits") else m.end("words")
        if m.group("words"):
            if m.group("words").lower() == "one":
                continue  # "one" states a quantity only with a scale word ("one million")
        elif _ORDINAL_AFTER.match(text, core_end) and not m.group("unit") and not m.group("dscale"):
            continue  # 113th, 1.2.3, 10:30, 12a
        if _TIME_AFTER.match(text, core_end):
            continue
        if core_start and _ENUMERATOR.match(text, core_start - 1):
            continue
        if _IN_CODE.search(text, max(0, core_start - 40), core_start) and _CODE_TAIL.match(text, core_end):
            continue  # "denshovh-siwao-01-0014": a code of letters and digits
        if _identifier(text, core_start, words=bool(m.group("words"))) and not m.group("sign"):
            continue
        if text[max(0, core_start - 1):core_start] in ("[", "^") or _note_marker(text, core_start, core_end):
            continue
        try:
            value = _value(m)
        except (InvalidOperation, ArithmeticError):
            continue
        if value is None:
            continue
        unit = m.group("unit")
        sign = m.group("sign") or ""
        if unit:
            code = UNITS.get(re.sub(r"\s+", " ", unit.strip().lower()).replace("° ", "°"))
            if code is None:
                continue
            if sign.strip().lower() == "minus" or sign in ("-", "\u2212"):
                value = -value
            s = start if sign else core_start
            spans.append(Span(s, end, "measure", {"quantity": plain(value), "unit": code}))
        else:
            spans.append(Span(core_start, core_end, "num", {"value": plain(value)}))
    return spans


_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+(?![\d,])")


def _identifier(text: str, start: int, words: bool = False) -> bool:
    """The number is an identifier's or a list marker ("Volume 7", "p. 14", "pp. 211-215", "1. ").

    A number in words is an identifier's only after an identifier noun ("Chapter Four"): after
    another capitalised word it counts ("at Tunhua two days later").
    """
    if start == 0 and _LIST_MARKER.match(text):
        return True
    if _MARKER.match(text, start) and _MARKER_AFTER_SENTENCE.search(text, max(0, start - 4), start):
        return True
    rng = _RANGE_BEFORE.search(text, max(0, start - 12), start)
    if words:
        before = _BEFORE_WORD.search(text, max(0, start - 30), start)
        return bool(before) and before.group(1) in _IDENT_WORDS
    return _labelled(text, start) or bool(rng) and _labelled(text, rng.start(1))


def _labelled(text: str, start: int) -> bool:
    """A label stands before the number: "p. 14", "Volume 7", "Order Number 9898"."""
    if _LOWER_IDENT.search(text, max(0, start - 8), start):
        return True
    before = _BEFORE_WORD.search(text, max(0, start - 30), start)
    if not before or before.group(1) in OPENERS:
        return False
    word, period = before.group(1), before.group(2)
    if word in _IDENT_WORDS:
        return True
    if period or _GROUPED.match(text, start):  # "Welfare. Twenty-five": the word ended a sentence;
        return False  # "South China 112,681": a number grouped in thousands is a quantity, no designation
    head = text[max(0, before.start() - 200):before.start()].rstrip()
    return bool(head) and head[-1] not in ".!?:;\"“(" and not head.endswith("—")


def _note_marker(text: str, start: int, end: int) -> bool:
    """An endnote reference glued to a word or sentence end: "surrendered.12", "Japan,3"."""
    prev = text[start - 1:start] if start else ""
    return prev in (".", ",", ";", ")", "\u201d", '"') and start >= 2 and text[start - 2].isalpha()
