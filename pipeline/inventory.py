"""What a run makes, set against what OUTPUT_DIR already holds.

Before any edition is made the flow settles which sources get one: the first
source of each stem (another source of that stem would overwrite its TEI) and
one source of each content (a copy under another name is a ``duplicate``, not
a second edition). After the run, every edition whose source is no longer in
the input folder is ``withdrawn``: nothing is deleted behind an archivist's
back, but it is reported, left off the site, and removed with ``--prune``
(a hand-edited TEI is kept in ``OUTPUT_DIR/pruned/``).
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from pipeline.deposit import bag_path, zip_path
from pipeline.edition import Outcome, base_path, conflicts_dir, edited_file, pages_dir, state_path, tei_path
from pipeline.fsutil import write_atomic
from pipeline.ingest import content_sha256, stem_of


def sources_to_make(paths: list[Path], out_dir: Path) -> tuple[list[Path], list[Outcome], dict[str, str]]:
    """(sources to make editions of, outcomes of those that get none, content digest -> source name).

    Of sources with one content, the one whose stem already holds that edition
    is kept (an added copy does not take the edition over), else the first.
    """
    by_stem: dict[str, Path] = {}
    skipped: list[Outcome] = []
    for path in paths:
        stem = stem_of(path)
        if stem in by_stem:
            skipped.append(Outcome(source=path.name, stem=stem, status="failed", stage="discover",
                                   error=f"another source has the same stem {stem!r} ({by_stem[stem].name}); "
                                         "rename one of them"))
        else:
            by_stem[stem] = path
    digests = {path: content_sha256(path) for path in by_stem.values()}
    owner: dict[str, Path] = {}
    for path, digest in digests.items():
        if digest is None:
            continue  # unreadable: making its edition reports why
        held = _state(out_dir, stem_of(path)).get("sha256") == digest
        if digest not in owner or held and _state(out_dir, stem_of(owner[digest])).get("sha256") != digest:
            owner[digest] = path
    keep = []
    for path, digest in digests.items():
        first = owner.get(digest) if digest else None
        if first is None or first == path:
            keep.append(path)
        else:
            skipped.append(Outcome(source=path.name, stem=stem_of(path), status="duplicate", stage="discover",
                                   error=f"same content as {first.name}, whose edition it already is; "
                                         "remove the copy or change one of them"))
    return keep, skipped, {digest: path.name for digest, path in owner.items()}


def withdrawn_editions(out_dir: Path, current_stems: set[str], sources_by_digest: dict[str, str],
                       prune: bool = False) -> list[Outcome]:
    """An outcome for each edition in OUTPUT_DIR whose source is gone; with ``prune``, its files are removed."""
    stems = {p.stem for p in (out_dir / "tei").glob("*.xml")} | {p.stem for p in (out_dir / ".state").glob("*.json")}
    outcomes = []
    for stem in sorted(stems - current_stems):
        state = _state(out_dir, stem)
        source = state.get("source") or stem
        renamed = sources_by_digest.get(state.get("sha256", ""))
        why = f"{source} is no longer in the input folder" + (f" (its content is now {renamed})" if renamed else "")
        if prune:
            edited = edited_file(out_dir, stem)
            for path in edition_files(out_dir, stem):
                _remove(path)
            error = f"{why}; its edition, bag and pages were removed (--prune)"
            if edited is not None:  # a scholar's corrections are never deleted
                write_atomic(pruned_path(out_dir, stem), edited)
                error += f"; its hand-edited TEI is kept in {pruned_path(out_dir, stem).relative_to(out_dir)}"
        else:
            error = f"{why}; its edition, bag and pages are kept but not published (run with --prune to remove them)"
        outcomes.append(Outcome(source=source, stem=stem, status="withdrawn", stage="discover", error=error))
    return outcomes


def pruned_path(out_dir: Path, stem: str) -> Path:
    """Where --prune keeps the hand-edited TEI of a withdrawn edition."""
    return out_dir / "pruned" / f"{stem}.xml"


def edition_files(out_dir: Path, stem: str) -> list[Path]:
    """Everything OUTPUT_DIR holds for one edition (the site is rebuilt from the rest)."""
    return [tei_path(out_dir, stem), state_path(out_dir, stem), base_path(out_dir, stem), conflicts_dir(out_dir, stem),
            pages_dir(out_dir, stem), bag_path(out_dir, stem), zip_path(out_dir, stem)]


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


def _state(out_dir: Path, stem: str) -> dict:
    try:
        return json.loads(state_path(out_dir, stem).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
