"""Stretches of a block already claimed by a span: overlap tests in O(log n)."""
from __future__ import annotations

from bisect import bisect_left
from typing import Iterable


class Occupied:
    def __init__(self, intervals: Iterable[tuple[int, int]]):
        merged: list[list[int]] = []
        for start, end in sorted(intervals):
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        self._starts = [s for s, _ in merged]
        self._ends = [e for _, e in merged]

    def overlaps(self, start: int, end: int) -> bool:
        """Whether [start, end) shares a character with a claimed stretch."""
        i = bisect_left(self._starts, end) - 1  # the last stretch beginning before ``end``
        return i >= 0 and self._ends[i] > start
