"""Atomic file writes: a reader (or a run killed mid-write) never sees half a file."""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write to a temporary file beside ``path``, fsync, then rename over it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
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


def replace_dir(new: Path, target: Path) -> None:
    """Rename the folder ``new`` to ``target``: an old ``target`` is moved aside first, then removed.

    Readers see the old folder or the new one, never a mix; a run killed in
    between leaves only a hidden ``.NAME.*.old`` folder beside it.
    """
    old = None
    if target.exists():
        old = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.", suffix=".old"))
        os.replace(target, old / target.name)
    os.replace(new, target)
    if old is not None:
        shutil.rmtree(old)


def natural_key(name: str) -> list:
    """Sort key putting page-2 before page-10."""
    import re

    return [int(t) if t.isdigit() else t.casefold() for t in re.split(r"(\d+)", name)]
