"""Writing a derived data file of ``pipeline/data``: a gzipped table, the same data giving the same bytes."""
from __future__ import annotations

import gzip
from pathlib import Path


def write_table(path: Path, header: str, rows: list[str]) -> None:
    """``header`` (a ``#`` comment naming the columns and the source) and one tab-separated row a line."""
    with gzip.GzipFile(path, "wb", mtime=0) as f:  # mtime 0: no timestamp in the file
        f.write(("\n".join([header, *rows]) + "\n").encode("utf-8"))
