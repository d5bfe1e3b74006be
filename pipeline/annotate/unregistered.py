"""Names the register does not know, listed for an archivist to review."""
from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from pipeline.fsutil import write_atomic

MAX_CONTEXTS = 3


@dataclass(frozen=True)
class UnregisteredName:
    name: str
    kind: str  # person | place | org | vessel
    context: str  # the words around the mention


def write_unregistered_csv(path: str | Path, items: Iterable[UnregisteredName]) -> None:
    """One row per (name, kind): count and up to three distinct contexts, most frequent first."""
    counts: Counter[tuple[str, str]] = Counter()
    contexts: dict[tuple[str, str], list[str]] = {}
    for item in items:
        key = (item.name, item.kind)
        counts[key] += 1
        seen = contexts.setdefault(key, [])
        if len(seen) < MAX_CONTEXTS and item.context not in seen:
            seen.append(item.context)
    buffer = io.StringIO(newline="")
    w = csv.writer(buffer)
    w.writerow(["name", "kind", "count", "contexts"])
    for (name, kind), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        w.writerow([name, kind, n, " | ".join(contexts[(name, kind)])])
    write_atomic(Path(path), buffer.getvalue())
