"""Atomic file writes: a reader (or a run killed mid-write) never sees half a file."""
from __future__ import annotations

import contextlib
import fcntl
import os
import re
import tempfile
from pathlib import Path

from pipeline.errors import UsageError

TEMP_SUFFIX = ".tmp"


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write to a temporary file beside ``path``, fsync, then rename over it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=TEMP_SUFFIX)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def remove_stale_temp_files(out_dir: Path) -> int:
    """Delete temporary files a killed run left behind (write_atomic's, never the real ones)."""
    removed = 0
    for tmp in Path(out_dir).rglob(f".*{TEMP_SUFFIX}"):
        if tmp.is_file() and ".prefect" not in tmp.parts:
            tmp.unlink(missing_ok=True)
            removed += 1
    return removed


@contextlib.contextmanager
def exclusive_run(out_dir: Path):
    """Hold OUTPUT_DIR/.lock for the run: two runs never write one folder at once.

    The lock is the kernel's (flock), so a killed run releases it.
    """
    with open(Path(out_dir) / ".lock", "a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise UsageError(f"another run is writing to {out_dir}; wait for it to finish") from None
        yield


def natural_key(name: str) -> list:
    """Sort key putting page-2 before page-10."""
    return [int(t) if t.isdigit() else t.casefold() for t in re.split(r"(\d+)", name)]
