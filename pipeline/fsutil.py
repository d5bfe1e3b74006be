"""Atomic file writes: a reader (or a run killed mid-write) never sees half a file.

Temporary files and folders are made private by ``tempfile`` (0600, 0700);
before they are renamed into place they get the mode a plain ``open`` or
``mkdir`` would have given them under the process's umask, so colleagues and
a web server can read what a run writes exactly when they could read a file
written by hand.
"""
from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import re
import shutil
import tempfile
import zipfile
from pathlib import Path

from pipeline.errors import UsageError

TEMP_SUFFIX = ".tmp"


def umask() -> int:
    """The process's umask, read without changing it (Linux: /proc), else set and restored."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except OSError:
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def temp_file(directory: Path, name: str) -> tuple[int, str]:
    """A hidden temporary file beside ``directory/name``, with a plain file's mode: (fd, path)."""
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{name}.", suffix=TEMP_SUFFIX)
    os.fchmod(fd, 0o666 & ~umask())
    return fd, tmp


def temp_dir(directory: Path, name: str, suffix: str = TEMP_SUFFIX) -> Path:
    """A hidden temporary folder in ``directory``, with a plain folder's mode."""
    tmp = Path(tempfile.mkdtemp(dir=directory, prefix=f".{name}.", suffix=suffix))
    os.chmod(tmp, 0o777 & ~umask())
    return tmp


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write to a temporary file beside ``path``, fsync, then rename over it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    fd, tmp = temp_file(path.parent, path.name)
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
    between leaves only a hidden ``.NAME.*.old`` folder beside it. Where
    another writer puts its ``target`` in place in between, that one is moved
    aside in turn: the last writer wins, none fails.
    """
    olds = []
    while True:
        if target.exists():
            olds.append(Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.", suffix=".old")))
            try:
                os.replace(target, olds[-1] / target.name)
            except FileNotFoundError:
                pass  # another writer moved it aside first
        try:
            os.replace(new, target)
            break
        except OSError as e:
            if e.errno not in (errno.ENOTEMPTY, errno.EEXIST):
                raise
    for old in olds:
        shutil.rmtree(old)


def write_zip(dest: Path, members: list[tuple[str, Path]], date: str | None) -> Path:
    """A zip of (name in the zip, file) members, written atomically and reproducibly.

    Entries keep the given order and carry ``date`` (ISO 8601, e.g. the
    edition's) instead of the files' times: the same files give the same bytes.
    """
    stamp = tuple(int(part) for part in (date or "1980-01-01")[:10].split("-")) + (0, 0, 0)
    fd, tmp = temp_file(dest.parent, dest.name)
    os.close(fd)
    try:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, file in members:
                entry = zipfile.ZipInfo(name, stamp)
                entry.compress_type = zipfile.ZIP_DEFLATED
                entry.external_attr = 0o644 << 16  # inside the zip: readable by whoever unpacks it
                with open(file, "rb") as src, archive.open(entry, "w") as out:
                    shutil.copyfileobj(src, out, 1 << 20)
        os.replace(tmp, dest)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return dest


def remove_stale_temp_files(out_dir: Path) -> int:
    """Delete temporary files and folders a killed run left behind (never the real ones)."""
    removed = 0
    for tmp in list(Path(out_dir).rglob(f".*{TEMP_SUFFIX}")):
        if ".prefect" in tmp.parts:
            continue
        if tmp.is_dir():
            shutil.rmtree(tmp, ignore_errors=True)
        else:
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
