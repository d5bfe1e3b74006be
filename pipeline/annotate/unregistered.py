"""Names the register does not know, listed for an archivist to review.

The CSV's first five columns are the register's own (name, type, variants,
wikidata, geonames: ``pipeline/data/README.md``), so reviewed rows can be
copied from a spreadsheet straight into a register file (a spreadsheet copies
them tab-separated); the columns after them say how often the name occurs,
in which editions and in what words.
"""
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
    edition: str = ""  # the stem of the edition it occurs in


COLUMNS = ["name", "type", "variants", "wikidata", "geonames", "count", "editions", "contexts"]


def write_unregistered_csv(path: str | Path, items: Iterable[UnregisteredName]) -> None:
    """One row per (name, type), most frequent first: count, editions, up to three distinct contexts."""
    counts: Counter[tuple[str, str]] = Counter()
    contexts: dict[tuple[str, str], list[str]] = {}
    editions: dict[tuple[str, str], dict[str, None]] = {}
    for item in items:
        key = (item.name, item.kind)
        counts[key] += 1
        seen = contexts.setdefault(key, [])
        if len(seen) < MAX_CONTEXTS and item.context not in seen:
            seen.append(item.context)
        if item.edition:
            editions.setdefault(key, {})[item.edition] = None
    buffer = io.StringIO(newline="")
    w = csv.writer(buffer)
    w.writerow(COLUMNS)
    for (name, kind), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        w.writerow([name, kind, "", "", "", n, " ".join(editions.get((name, kind), {})),
                    " | ".join(contexts[(name, kind)])])
    write_atomic(Path(path), buffer.getvalue())
