"""Character error rate, the measure the OCR targets are stated in."""
from __future__ import annotations

import numpy as np


def fold(text: str) -> str:
    return " ".join(text.split())


def levenshtein(a: str, b: str) -> int:
    """Edit distance, one numpy row at a time (insertions via a running minimum)."""
    if not a or not b:
        return len(a) or len(b)
    bb = np.frombuffer(b.encode("utf-32-le"), dtype=np.uint32)
    ramp = np.arange(len(b) + 1)
    row = ramp.copy()
    for i, ch in enumerate(a.encode("utf-32-le").decode("utf-32-le"), 1):
        t = np.empty_like(row)
        t[0] = i
        t[1:] = np.minimum(row[1:] + 1, row[:-1] + (bb != ord(ch)))
        row = np.minimum.accumulate(t - ramp) + ramp
    return int(row[-1])


def cer(hypothesis: str, truth: str) -> float:
    """Edits needed to turn the whitespace-folded hypothesis into the truth, per truth character."""
    truth = fold(truth)
    return levenshtein(fold(hypothesis), truth) / max(1, len(truth))
