"""Dates (ENCODING.md section 1, Dates): find calendar expressions, normalize to ISO 8601.

Day-and-month dates without a year take the year of the nearest earlier date
in the document that names one, and a day ordinal standing for a date ("on
the 22nd", "October 3rd, 5th and 6th") its month too; ``YearContext``
carries them across blocks, so the caller must feed blocks in document
order. Month names are read in any case ("24 february 1947": capitals change
nothing), but a lower-case "may" or "march" only with a year. Numeric dates
are month-day-year unless the document writes the day first (a first part
over 12 somewhere); two-digit years are 19xx.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.model import Span

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6,
    "july": 7, "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
_MONTH = (r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
          r"|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?)")
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:1\d{3}|20\d{2}|2100)"
_DASH = r"\s*[-\u2010-\u2015]\s*"
_TO = rf"(?:{_DASH}|\s+(?:to|until|till)\s+)"
# Tags mark which alternative matched; the order puts longer forms first.
_PATTERNS = [
    # 15 Aug 50 - 20 Sep 50, 15 August – 2 September 1945
    ("dmy_dmy", rf"(?P<d1>{_DAY})\s+(?P<m1>{_MONTH})(?:,?\s+(?P<y1>{_YEAR}|\d{{2}}))?{_TO}"
                rf"(?P<d2>{_DAY})\s+(?P<m2>{_MONTH}),?\s+(?P<y2>{_YEAR}|\d{{2}})"),
    # April 1 to June 22, 1945
    ("mdy_mdy", rf"(?P<m1>{_MONTH})\s+(?P<d1>{_DAY})(?:,?\s+(?P<y1>{_YEAR}))?{_TO}"
                rf"(?P<m2>{_MONTH})\s+(?P<d2>{_DAY}),?\s+(?P<y2>{_YEAR})"),
    # 16–18 August 1945 / 16 to 18 August
    ("dd_m_y", rf"(?P<d1>{_DAY}){_TO}(?P<d2>{_DAY})\s+(?:of\s+)?(?P<m>{_MONTH})(?:,?\s+(?P<y>{_YEAR}))?"),
    # August 16–18, 1945
    ("m_dd_y", rf"(?P<m>{_MONTH})\s+(?P<d1>{_DAY}){_TO}(?P<d2>{_DAY})(?:,?\s+(?P<y>{_YEAR}))?"),
    # 9 August 1945, 9th of August, 1945; 1 Jul 49 (two-digit year: military notes)
    ("d_m_y", rf"(?P<d>{_DAY})\s+(?:of\s+)?(?P<m>{_MONTH}),?\s+(?P<y>{_YEAR}|\d{{2}}(?![\d,.]\d))"),
    # August 9, 1945
    ("m_d_y", rf"(?P<m>{_MONTH})\s+(?P<d>{_DAY}),?\s+(?P<y>{_YEAR})"),
    # August 1945 – May 1946
    ("my_my", rf"(?P<m1>{_MONTH}),?\s+(?P<y1>{_YEAR}){_TO}(?P<m2>{_MONTH}),?\s+(?P<y2>{_YEAR})"),
    # August 1945; Apr 47
    ("m_y", rf"(?P<m>{_MONTH}),?\s+(?P<y>{_YEAR}|(?:3[2-9]|[4-9]\d)(?![\d,.]\d))"),
    # 20 August
    ("d_m", rf"(?P<d>{_DAY})\s+(?:of\s+)?(?P<m>{_MONTH})"),
    # August 20
    ("m_d", rf"(?P<m>{_MONTH})\s+(?P<d>{_DAY})(?![\d,.:]?\d)"),
    # 1945-08-14: ISO 8601
    ("iso", r"(?P<y>1\d{3}|20\d{2})-(?P<mo>0[1-9]|1[0-2])-(?P<d>0[1-9]|[12]\d|3[01])"),
    # December to March (1946): months, the second in the next year when it comes first in the calendar
    ("m_m", rf"(?P<m1>{_MONTH}){_TO}(?P<m2>{_MONTH})(?:,?\s+(?P<y>{_YEAR}))?"),
    # 10-12-46, 10/12/1946 (month first unless the document writes the day first)
    ("numeric", r"(?P<a>[01]?\d|[23]\d)(?P<sep>[-/.])(?P<b>[0-3]?\d)(?P=sep)(?P<y>1[89]\d\d|20\d\d|\d\d)(?![\d/.-]\d)"),
    # 1904–05, 1946 to 1948
    ("y_y", rf"(?P<y1>{_YEAR}){_TO}(?P<y2>{_YEAR}|\d{{2}})"),
    # the 1930s
    ("decade", r"(?P<dec>1\d{2}0|20\d0)s"),
    # a month alone: kept only after a preposition or "early/late" (see _MONTH_ALONE_AFTER)
    ("m", rf"(?P<m>{_MONTH})"),
    ("y", rf"(?P<y>{_YEAR})"),
]


def _tagged(tag: str, pattern: str) -> str:
    """Prefix the pattern's group names with its tag, so all alternatives share one regex."""
    body = re.sub(r"\(\?P<(\w+)>", rf"(?P<{tag}__\1>", pattern).replace("(?P=sep)", f"(?P={tag}__sep)")
    return rf"(?P<{tag}>\b" + body + r"(?:\b|(?<=\.)(?!\w)))"  # "Dec." keeps its period


# The lookahead lets the scan skip, cheaply, every position no date can start at.
DATE_RE = re.compile(r"(?=[0-9adfjmnosADFJMNOS])(?:" + "|".join(_tagged(tag, pat) for tag, pat in _PATTERNS) + ")",
                     re.IGNORECASE)
# Lower-case month names that are more often words: a date only with a year
_WORD_MONTHS = {"may", "march"}
# Ordinals coordinated with a day-and-month date: "October 3rd, 5th and 6th"
_MORE_DAYS = re.compile(r"(?:,\s*|,?\s+and\s+)((?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th))\b")
# A day ordinal standing for a date: "on the 22nd", "by the 3rd"
_DAY_ALONE = re.compile(r"\b(?:on|by|until|till|since|from|to)\s+the\s+((?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th))\b"
                        r"(?=\s*(?:[.,;:)!?]|$|\s(?:and|or|but|when|at|in|to|of|he|she|they|we|I|a|an|the)\b))",
                        re.IGNORECASE)  # not "from the 18th Division"
# each pattern's own groups: its tag -> [(group name in DATE_RE, short name)]
_GROUPS_OF = {tag: [(name, name[len(tag) + 2:]) for name in DATE_RE.groupindex if name.startswith(tag + "__")]
              for tag, _ in _PATTERNS}
_MONTH_ALONE_AFTER = re.compile(
    r"\b(?:in|of|by|since|until|till|during|through|from|to|early|late|mid|end|before|after|that|this"
    r"|last|next|each|every)[\s-]+$",
    re.IGNORECASE,
)
# Words before a number that make it an identifier, not a year.
_IDENT_BEFORE = re.compile(
    r"(?:\b(?:No|Nos|Number|Numbers|Order|Volume|Vol|Clause|Article|Art|Section|Sec|Chapter|Ch|Page|p|pp"
    r"|Item|Unit|Hill|Route|Room|Box|File|Folio|Document|Doc|Serial|Code|Flight|Table|Figure|Fig)\.?\s*|[#№/:\-])$",
    re.IGNORECASE,
)
# Words after a number that make it a count, not a year ("1500 men").
_COUNT_AFTER = re.compile(
    r"\s*[-\u2010-\u2015]?\s*(?:men|people|persons|troops|soldiers|civilians|feet|head|aircraft|personnel"
    r"|prisoners|POWs|refugees|kg|km|t|ton|tons|tonnes?|miles?|hectares?|%|percent|per\s+cent|carats?|C|F|°)\b",
)


# "1423/7/A": a file reference, not a year
_REFERENCE_AFTER = re.compile(r"/\d")


@dataclass
class YearContext:
    """The year and month of the nearest earlier dates that named them (None: none yet), and
    whether the document writes numeric dates day first."""

    year: int | None = None
    month: int | None = None
    day_first: bool = False
    clock: bool = False  # the document writes times of day as four figures ("0915", "1630")


# A time of day in four figures: "0915", "1630 hrs"
_CLOCK = re.compile(r"(?<![\w,:/-])(?<!\d\.)(?P<h>[01]\d|2[0-3])(?P<m>[0-5]\d)(?![\w:/-]|[.,]\d)(?P<unit>\s?(?:hrs?|hours|h|GMT|Z|local)\b)?")


# "at 1045", "until 1100": a time when no year of the period can be meant (below 1800)
_AT_CLOCK = re.compile(r"\b(?:at|until|till)\s+(?:about\s+|approximately\s+)?$", re.IGNORECASE)


def writes_clock_times(texts) -> bool:
    """Whether the document writes times of day in four figures: one with a leading zero or a unit."""
    return any(m.group("h").startswith("0") or m.group("unit") for text in texts for m in _CLOCK.finditer(text))


def find_times(text: str, ctx: YearContext) -> list[Span]:
    """Times of day in four figures: a leading zero or a unit says so; in a document that writes its
    times so, also a figure no year of the period can be (below 1800)."""
    spans = []
    for m in _CLOCK.finditer(text):
        figure = m.group("h") + m.group("m")
        if m.group("h").startswith("0") or m.group("unit") or int(figure) < 1800 and (
                ctx.clock or _AT_CLOCK.search(text, max(0, m.start() - 24), m.start())):
            spans.append(Span(m.start(), m.end("m"), "time", {"when": f"{m.group('h')}:{m.group('m')}:00"}))
    return spans


def writes_day_first(texts) -> bool:
    """Whether some numeric date of the texts can only be day-month-year (a first part over 12)."""
    for text in texts:
        for m in re.finditer(r"\b(\d{1,2})([-/.])(\d{1,2})\2(?:\d{4}|\d{2})\b", text):
            if int(m.group(1)) > 12 >= int(m.group(3)):
                return True
    return False


def _y(text: str) -> int:
    return 1900 + int(text) if len(text) == 2 else int(text)


def _ym(year: int | None, month: int) -> str:
    return f"{year:04d}-{month:02d}" if year else f"--{month:02d}"


def _ymd(year: int | None, month: int, day: int) -> str | None:
    if day > _MONTH_DAYS[month]:
        return None
    if year and month == 2 and day == 29 and not (year % 4 == 0 and (year % 100 or year % 400 == 0)):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}" if year else f"--{month:02d}-{day:02d}"


_MONTH_DAYS = {1: 31, 2: 29, 3: 31, 4: 30, 5: 31, 6: 30, 7: 31, 8: 31, 9: 30, 10: 31, 11: 30, 12: 31}


def _month(text: str) -> int:
    return MONTHS[text.rstrip(".").lower()]


def _day(text: str) -> int:
    return int(text.rstrip("stndrh"))


def _normalize(tag: str, g: dict, ctx: YearContext) -> dict[str, str] | None:
    """ISO attributes for one match, updating the inherited year; None when not a date."""
    if tag in ("d_m_y", "m_d_y", "m_y", "y"):
        ctx.year = _y(g["y"])
    if tag in ("dmy_dmy", "mdy_mdy"):
        y2 = _y(g["y2"])
        y1 = _y(g["y1"]) if g["y1"] else y2
        ctx.year = y2
        a = _ymd(y1, _month(g["m1"]), _day(g["d1"]))
        b = _ymd(y2, _month(g["m2"]), _day(g["d2"]))
        return {"from": a, "to": b} if a and b and a < b else None
    if tag == "my_my":
        ctx.year = _y(g["y2"])
        return {"from": _ym(_y(g["y1"]), _month(g["m1"])), "to": _ym(ctx.year, _month(g["m2"]))}
    if tag in ("dd_m_y", "m_dd_y"):
        if g["y"]:
            ctx.year = _y(g["y"])
        m = _month(g["m"])
        a, b = _ymd(ctx.year, m, _day(g["d1"])), _ymd(ctx.year, m, _day(g["d2"]))
        return {"from": a, "to": b} if a and b and a < b else None
    if tag in ("d_m_y", "m_d_y", "d_m", "m_d"):
        when = _ymd(ctx.year, _month(g["m"]), _day(g["d"]))
        return {"when": when} if when else None
    if tag in ("m_y", "m"):
        return {"when": _ym(ctx.year, _month(g["m"]))}
    if tag == "y":
        return {"when": f"{ctx.year:04d}"}
    if tag == "iso":
        ctx.year = int(g["y"])
        when = _ymd(ctx.year, int(g["mo"]), int(g["d"]))
        return {"when": when} if when else None
    if tag == "m_m":
        m1, m2 = _month(g["m1"]), _month(g["m2"])
        if g["y"]:
            ctx.year = _y(g["y"])
        y1 = ctx.year - 1 if g["y"] and m2 < m1 else ctx.year
        y2 = y1 + 1 if y1 and m2 < m1 else y1
        if y1 is None and m2 < m1:
            return None  # "--12" to "--03" cannot say which comes first
        return {"from": _ym(y1, m1), "to": _ym(y2, m2)}
    if tag == "numeric":
        a, b = int(g["a"]), int(g["b"])
        day, month = (a, b) if ctx.day_first else (b, a)
        if not 1 <= month <= 12:
            return None
        ctx.year, ctx.month = _y(g["y"]), month
        when = _ymd(ctx.year, month, day) if day else None
        return {"when": when} if when else None
    if tag == "y_y":
        a, b = g["y1"], g["y2"]
        if len(b) == 2:
            b = a[:2] + b
        if int(b) <= int(a):
            return None
        ctx.year = int(b)
        return {"from": a, "to": b}
    if tag == "decade":
        return {"from": g["dec"], "to": str(int(g["dec"]) + 9)}
    return None


def find_dates(text: str, ctx: YearContext) -> list[Span]:
    """Date spans of one block, in order; ``ctx`` carries the inherited year."""
    spans = []
    for m in DATE_RE.finditer(text):
        tag = m.lastgroup
        g = {short: m.group(name) for name, short in _GROUPS_OF[tag]}
        start, end = m.span()
        if tag in ("y", "y_y", "decade", "d_m_y") and _IDENT_BEFORE.search(text[max(0, start - 12):start]):
            continue
        if tag == "m" and not g["m"].endswith(".") and not _MONTH_ALONE_AFTER.search(text, max(0, start - 12), start):
            continue  # a month alone, unless abbreviated ("Dec."), only after "in", "by", "early" ...
        if tag in ("y", "y_y") and (_COUNT_AFTER.match(text, end) or _in_number(text, start, end)
                                    or _REFERENCE_AFTER.match(text, end)):
            continue
        if tag == "y" and not 1000 <= int(g["y"]) <= 2100:
            continue
        month = g.get("m") or g.get("m2")
        if any(g.get(k) in _WORD_MONTHS for k in ("m", "m1", "m2")) and not (g.get("y") or g.get("y2")):
            continue  # "they may 20", "march 20 miles"
        if tag == "numeric" and _in_number(text, start, end):
            continue
        attrs = _normalize(tag, g, ctx)
        if not attrs:
            continue
        spans.append(Span(start, end, "date", attrs))
        if month:
            ctx.month = _month(month)
        if tag in ("d_m_y", "m_d_y", "d_m", "m_d"):
            spans.extend(_more_days(text, end, ctx))
    spans.extend(_days_alone(text, spans, ctx))
    return sorted(spans, key=lambda s: s.start)


def _more_days(text: str, end: int, ctx: YearContext) -> list[Span]:
    """"5th and 6th" after "October 3rd": dates of the same month."""
    out = []
    for m in iter(lambda: _MORE_DAYS.match(text, out[-1].end if out else end), None):
        when = _ymd(ctx.year, ctx.month, _day(m.group(1)))
        if when is None:
            break
        out.append(Span(m.start(1), m.end(1), "date", {"when": when}))
    return out


def _days_alone(text: str, found: list[Span], ctx: YearContext) -> list[Span]:
    """"on the 22nd": a date of the month last named (only once a month has been named)."""
    out = []
    for m in _DAY_ALONE.finditer(text):
        if ctx.month is None or any(s.start <= m.start(1) < s.end for s in found):
            continue
        when = _ymd(ctx.year, ctx.month, _day(m.group(1)))
        if when:
            out.append(Span(m.start(1), m.end(1), "date", {"when": when}))
    return out


def _in_number(text: str, start: int, end: int) -> bool:
    """Part of a longer figure such as 1,945 or 1945.5."""
    before = text[max(0, start - 1):start]
    after = text[end:end + 2]
    return before in (",", ".") or (len(after) == 2 and after[0] in ",." and after[1].isdigit())
