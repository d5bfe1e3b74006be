"""The timeline: every date the collection mentions, as inline SVG drawn here.

Single dates stack up as a bar per year (taller: mentioned more often);
spans (``from``/``to``) lie as horizontal bars in lanes beneath. Each bar is
a link to its mentions: a year's bar to that year, which opens into a bar per
month, each leading to that month's mentions; a period's bar to the period.
The pictures are groups of links, each named for what it leads to (not one
image holding links), the grid and axis hidden from assistive technology as
decoration. Month-day dates without a year cannot be placed and are counted
instead.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from lxml import etree

SVG_NS = "http://www.w3.org/2000/svg"
YEAR = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")
WIDTH, LEFT, RIGHT = 960, 48, 24
BAR_AREA, LANE = 150, 12
INK, ACCENT, SPAN, MUTED = "#1d2733", "#8a3b12", "#2f5d8a", "#5b6570"


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


@dataclass
class Mention:
    start: float  # fractional years
    end: float
    label: str  # the normalized value, e.g. 1945-08-30 or 1904–1905
    year: int  # the year it is listed under
    is_span: bool
    month: int | None = None  # 1-12 for a single date that gives its month


def mention(when: str | None, start: str | None, end: str | None, label: str) -> Mention | None:
    """Place a date on the time axis; None when it has no year (``--08-20``) or is malformed."""
    if when:
        point = _year(when)
        month = int(when[5:7]) if point is not None and len(when) >= 7 else None
        return Mention(point, point, label, int(point), False, month) if point is not None else None
    a, b = _year(start or ""), _year(end or "", end_of_period=True)
    if a is None or b is None or b < a:
        return None
    return Mention(a, b, label, int(a), True)


def _year(value: str, end_of_period: bool = False) -> float | None:
    m = YEAR.match(value)
    if not m:
        return None
    year, month, day = int(m[1]), int(m[2] or 0), int(m[3] or 0)
    if end_of_period and not month:
        return year + 0.999
    return year + (max(month, 1) - 1) / 12 + (max(day, 1) - 1) / 365


def timeline_svg(mentions: list[Mention], anchor_of_year, anchor_of_period) -> str:
    """The SVG as a string; ``anchor_of_year(year)`` and ``anchor_of_period(mention)`` give the bars' link targets."""
    lo = math.floor(min(m.start for m in mentions))
    hi = math.floor(max(m.end for m in mentions)) + 1
    step = _tick_step(hi - lo)
    lo, hi = lo - lo % step, hi + (-hi) % step
    scale = (WIDTH - LEFT - RIGHT) / (hi - lo)
    lanes = _lanes([m for m in mentions if m.is_span])
    axis_y = 20 + BAR_AREA
    height = axis_y + 34 + len(lanes) * LANE + (10 if lanes else 0)

    svg = _el("svg", viewBox=f"0 0 {WIDTH} {height}", width="100%", role="group",
              **{"aria-labelledby": "timeline-title", "aria-describedby": "timeline-desc"})
    points = Counter(m.year for m in mentions if not m.is_span)
    _el("title", svg, id="timeline-title").text = "Timeline of the dates the collection mentions"
    _el("desc", svg, id="timeline-desc").text = (
        f"{sum(points.values())} dates in {len(points)} years and {sum(len(l) for l in lanes)} periods, "
        f"from {lo} to {hi}. Each bar links to its dates; the list below the picture holds the same dates by year.")

    def x(year: float) -> float:
        return LEFT + (year - lo) * scale

    tallest = max(points.values(), default=1)
    grid = _el("g", svg, **{"aria-hidden": "true"})
    for year in range(lo, hi + 1, step):  # grid and labels
        _el("line", grid, x1=f"{x(year):.1f}", x2=f"{x(year):.1f}", y1="14", y2=f"{axis_y + 6}", stroke="#d5d9de")
        _el("text", grid, x=f"{x(year):.1f}", y=f"{axis_y + 22}", fill=MUTED, **{"font-size": "13", "text-anchor": "middle"}).text = str(year)
    _el("line", grid, x1=str(LEFT), x2=str(WIDTH - RIGHT), y1=str(axis_y), y2=str(axis_y), stroke=INK)
    bar = max(2.0, min(scale * 0.8, 24.0))
    for year, n in sorted(points.items()):
        h = max(4.0, BAR_AREA * n / tallest)
        name = f"{year}: {n} date{'s' if n != 1 else ''}"
        link = _el("a", svg, href=anchor_of_year(year), **{"aria-label": name})
        _el("title", link).text = name
        _el("rect", link, x=f"{x(year + 0.5) - bar / 2:.1f}", y=f"{axis_y - h:.1f}", width=f"{bar:.1f}",
            height=f"{h:.1f}", fill=ACCENT, rx="1.5")
        if bar >= 6:  # room to print the count above the bar
            _el("text", link, x=f"{x(year + 0.5):.1f}", y=f"{axis_y - h - 4:.1f}", fill=INK,
                **{"font-size": "11", "text-anchor": "middle", "aria-hidden": "true"}).text = str(n)
    for i, lane in enumerate(lanes):
        y = axis_y + 34 + i * LANE
        for m in lane:
            link = _el("a", svg, href=anchor_of_period(m), **{"aria-label": f"Period {m.label}"})
            _el("title", link).text = m.label
            _el("rect", link, x=f"{x(m.start):.1f}", y=f"{y:.1f}", width=f"{max(3.0, (m.end - m.start) * scale):.1f}",
                height=str(LANE - 4), fill=SPAN, rx="3")
    return etree.tostring(svg, encoding="unicode")


def month_svg(year: int, counts: dict[int, int], anchor_of_month) -> str:
    """A year opened into months: a bar per month that has dates, each a link to that month's mentions."""
    width, height, left, area = 480, 120, 8, 80
    slot = (width - 2 * left) / 12
    svg = _el("svg", viewBox=f"0 0 {width} {height}", width="100%", role="group", **{"aria-label": f"{year} by month"})
    tallest = max(counts.values(), default=1)
    axis = _el("g", svg, **{"aria-hidden": "true"})
    _el("line", axis, x1=str(left), x2=str(width - left), y1=str(area + 8), y2=str(area + 8), stroke=INK)
    for month in range(1, 13):
        cx = left + (month - 0.5) * slot
        _el("text", axis, x=f"{cx:.1f}", y=str(area + 26), fill=MUTED,
            **{"font-size": "12", "text-anchor": "middle"}).text = MONTHS[month - 1][:3]
        n = counts.get(month, 0)
        if not n:
            continue
        h = max(4.0, area * n / tallest)
        name = f"{MONTHS[month - 1]} {year}: {n} date{'s' if n != 1 else ''}"
        link = _el("a", svg, href=anchor_of_month(month), **{"aria-label": name})
        _el("title", link).text = name
        _el("rect", link, x=f"{cx - slot * 0.35:.1f}", y=f"{area + 8 - h:.1f}", width=f"{slot * 0.7:.1f}",
            height=f"{h:.1f}", fill=ACCENT, rx="1.5")
        _el("text", link, x=f"{cx:.1f}", y=f"{area + 4 - h:.1f}", fill=INK,
            **{"font-size": "11", "text-anchor": "middle", "aria-hidden": "true"}).text = str(n)
    return etree.tostring(svg, encoding="unicode")


def _tick_step(years: int) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 500):
        if years / step <= 12:
            return step
    return 1000


def _lanes(spans: list[Mention]) -> list[list[Mention]]:
    """Pack spans into as few rows as keep them from overlapping."""
    lanes: list[list[Mention]] = []
    for m in sorted(spans, key=lambda m: (m.start, m.end)):
        for lane in lanes:
            if lane[-1].end < m.start:
                lane.append(m)
                break
        else:
            lanes.append([m])
    return lanes


def _el(tag: str, parent=None, **attrs) -> etree._Element:
    el = etree.Element(f"{{{SVG_NS}}}{tag}", nsmap={None: SVG_NS}) if parent is None else etree.SubElement(parent, f"{{{SVG_NS}}}{tag}")
    for key, value in attrs.items():
        el.set(key, value)
    return el
