"""Task granularity: which sources share a task run.

A task run costs Prefect 10 ms on an idle machine and 40-60 ms on a busy one
(its API calls contend with the stages): several times a small text's whole
edition. So small text sources travel in batches, and a scan (a folder of
pages, an image, a PDF) or a big text gets a task of its own, where that
cost is nothing beside the work. Batches stay small enough that every worker
gets several (an even load, steady progress) and that no task holds much
text. Only paths are planned here: no source is read beyond its first bytes.
"""
from __future__ import annotations

import math
from pathlib import Path

from pipeline.ingest import sniff

MAX_BATCH = 200  # sources per task run: about a second of work for small texts
MAX_BATCH_BYTES = 8 * 1024 * 1024  # text per task run
SOLO_BYTES = 1024 * 1024  # a text this big gets a task of its own
BATCHES_PER_WORKER = 4


def plan_batches(paths: list[Path], workers: int) -> list[list[Path]]:
    """Group ``paths`` into task-sized lists, keeping their order within each group."""
    solo, light = [], []
    for path in paths:
        size = _light_text_size(path)
        if size is None:
            solo.append([path])
        else:
            light.append((path, size))
    target = max(1, min(MAX_BATCH, math.ceil(len(light) / (max(1, workers) * BATCHES_PER_WORKER))))
    batches, batch, batch_bytes = [], [], 0
    for path, size in light:
        if batch and (len(batch) >= target or batch_bytes + size > MAX_BATCH_BYTES):
            batches.append(batch)
            batch, batch_bytes = [], 0
        batch.append(path)
        batch_bytes += size
    if batch:
        batches.append(batch)
    return solo + batches  # the long tasks first, so they do not end the run alone


def _light_text_size(path: Path) -> int | None:
    """The size of a small text file; None for a folder, a scan, a big file or one we cannot read."""
    try:
        if not path.is_file():
            return None
        size = path.stat().st_size
        if size > SOLO_BYTES:
            return None
        with open(path, "rb") as f:
            _, kind = sniff(f.read(16))
    except OSError:
        return None
    return size if kind == "text" else None
