"""What recognition yields for one page: lines of words with boxes and confidences.

Tesseract's TSV and a PDF's text layer are both read into these, so layout
analysis does not care where the words came from. Boxes are in pixels of the
page image: (left, top, right, bottom).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from statistics import median

Box = tuple[int, int, int, int]


@dataclass
class Word:
    text: str
    box: Box
    conf: float  # 0..100; 100 for words from a text layer
    language: str | None = None  # the Tesseract language it was read in, where not its page's


@dataclass
class Line:
    box: Box
    words: list[Word]
    block: int  # the engine's block number: lines of one block belong together
    par: int = 0  # the engine's paragraph number within the block

    @property
    def height(self) -> int:
        return self.box[3] - self.box[1]


@dataclass
class PageText:
    lines: list[Line] = field(default_factory=list)
    pictures: list[Box] = field(default_factory=list)  # regions the engine's layout analysis took for pictures

    @property
    def words(self) -> list[Word]:
        return [w for line in self.lines for w in line.words]

    def score(self) -> float:
        """Confidence-weighted characters: rewards reading more text and reading it surely."""
        return sum(len(w.text) * w.conf / 100 for w in self.words)

    def mean_conf(self) -> float:
        words = self.words
        return sum(w.conf for w in words) / len(words) if words else 0.0

    def text(self) -> str:
        return " ".join(w.text for w in self.words)


def median_height(lines: list[Line]) -> float:
    """The usual height of the lines (the median), 0 without lines."""
    return float(median(ln.height for ln in lines)) if lines else 0.0


def area(box: Box) -> int:
    return max(1, (box[2] - box[0]) * (box[3] - box[1]))


def overlap(a: Box, b: Box) -> int:
    """The area two boxes share."""
    dx, dy = min(a[2], b[2]) - max(a[0], b[0]), min(a[3], b[3]) - max(a[1], b[1])
    return dx * dy if dx > 0 and dy > 0 else 0


def inside(box: Box, regions: list[Box], share: float = 0.5) -> bool:
    """Whether at least ``share`` of ``box``'s area lies within one of ``regions``."""
    return any(overlap(box, r) >= share * area(box) for r in regions)


def union(boxes: list[Box]) -> Box:
    return (min(b[0] for b in boxes), min(b[1] for b in boxes),
            max(b[2] for b in boxes), max(b[3] for b in boxes))
