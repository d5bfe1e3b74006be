#!/usr/bin/env python3
"""Build pipeline/data/personal-names.tsv.gz from the names-dataset package.

names-dataset (PyPI, by Philippe Rémy) holds the given and family names of
106 countries with their popularity rank in each. The annotation needs only
whether a word is a common given or family name somewhere, so this keeps the
best rank of each name of Latin letters ranked within RANK_LIMIT in some
country: a small file read in a fraction of a second, where the package
itself takes 2 GB and ten seconds to load.

    pip install names-dataset==3.3.1 && python scripts/build_name_data.py
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

from derived_data import write_table

RANK_LIMIT = 3000
OUT = Path(__file__).resolve().parent.parent / "pipeline" / "data" / "personal-names.tsv.gz"
LATIN = re.compile(r"[A-Za-zÀ-ÖØ-öø-ɏ][A-Za-zÀ-ÖØ-öø-ɏ'’-]+")


def best_rank(entry: dict | None) -> int | None:
    ranks = [r for r in ((entry or {}).get("rank") or {}).values() if r]
    return min(ranks) if ranks else None


def main() -> int:
    try:
        from names_dataset import NameDataset
    except ImportError:
        print("install names-dataset first: pip install names-dataset==3.3.1", file=sys.stderr)
        return 2
    data = NameDataset()
    rows: dict[str, list[int | None]] = {}
    for column, table in ((0, data.first_names), (1, data.last_names)):
        for name, entry in table.items():
            rank = best_rank(entry)
            if rank is None or rank > RANK_LIMIT or not LATIN.fullmatch(name):
                continue
            key = name.casefold()
            row = rows.setdefault(key, [None, None])
            row[column] = rank if row[column] is None else min(row[column], rank)
    write_table(OUT, f"# name\tgiven_rank\tfamily_rank (best rank in any country; names-dataset 3.3.1, ranks <= {RANK_LIMIT})",
                [f"{name}\t{given or ''}\t{family or ''}" for name, (given, family) in sorted(rows.items())])
    print(f"{OUT}: {len(rows):,} names")
    return 0


if __name__ == "__main__":
    sys.exit(main())
