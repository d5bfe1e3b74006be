"""The catalogue sidecar: what an archive's catalogue says about each source, keyed by file name.

``catalogue.csv`` (or ``catalogue.json``) in the input folder is not a source:
discovery leaves it out, and its rows describe the sources beside it::

    file,title,creator,date,repository,collection,idno,rights,language,notes,type
    letter.txt,Letter to Daniel O'Connell,Mary Smith,1946-06-12,National Archive,Smith papers,MS 12/3,,en,,

Only ``file`` is required; every other column may be left out or empty. The
whole file is checked before any work (a row for a file that is not there, a
bad date, an unknown language code, a repeated file: all are reported at
once, each naming its row), since an edition published with the wrong
catalogue data is worse than one not yet made. Columns the pipeline does not
use are ignored with a warning, so an archive's own export can be dropped in.
"""
from __future__ import annotations

import csv
import difflib
import io
import json
import re
from dataclasses import dataclass, fields
from datetime import date as _date
from pathlib import Path

from pipeline.errors import UsageError
from pipeline.model import CatalogueRecord

NAMES = ("catalogue.csv", "catalogue.json")
# column -> the header spellings an archive's export may use (compared case- and space-insensitively)
COLUMNS = {
    "file": ("file", "filename", "file name", "source"),
    "title": ("title",),
    "creator": ("creator", "author"),
    "date": ("date", "date of document"),
    "repository": ("repository", "archive", "institution"),
    "collection": ("collection", "fonds", "series"),
    "idno": ("idno", "shelfmark", "call number", "reference", "reference code"),
    "rights": ("rights", "licence", "license"),
    "language": ("language", "languages"),
    "notes": ("notes", "note", "description"),
    "type": ("type",),
}
TYPES = ("manuscript", "printed")
DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
LANGUAGE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
DATE_HELP = "use ISO 8601: YYYY, YYYY-MM, YYYY-MM-DD, or a range such as 1945/1947"


class CatalogueError(UsageError):
    """The catalogue sidecar cannot be used: every problem found, one a line, each naming its row."""


@dataclass
class Catalogue:
    path: Path | None
    records: dict[str, CatalogueRecord]  # source file or folder name -> record
    warnings: list[str]

    def get(self, name: str) -> CatalogueRecord | None:
        return self.records.get(name)


def is_catalogue(path: Path) -> bool:
    """Whether ``path`` is a catalogue sidecar (not a source)."""
    return path.is_file() and path.name.lower() in NAMES


def find_catalogue(input_dir: Path) -> Path | None:
    found = sorted(p for p in Path(input_dir).iterdir() if is_catalogue(p))
    if len(found) > 1:
        raise CatalogueError(f"{input_dir}: more than one catalogue ({', '.join(p.name for p in found)}); keep one")
    return found[0] if found else None


def load_catalogue(input_dir: Path, source_names: list[str]) -> Catalogue:
    """The input folder's catalogue, checked against the sources found there (none: an empty catalogue)."""
    path = find_catalogue(input_dir)
    if path is None:
        return Catalogue(None, {}, [])
    rows, warnings = _read_rows(path)
    records, problems, seen = {}, [], {}
    known = set(source_names)
    for number, row in rows:
        where = f"{path.name}, row {number}"
        name = (row.get("file") or "").strip().rstrip("/")
        if not name:
            problems.append(f"{where}: the 'file' cell is empty; give the source's file or folder name")
            continue
        where = f"{where} ({name})"
        if name in seen:
            problems.append(f"{where}: {name} is described twice (first in row {seen[name]}); keep one row")
            continue
        seen[name] = number
        if name not in known:
            problems.append(f"{where}: no source named {name!r} in {input_dir}{_suggestion(name, source_names)}; "
                            "correct the name or remove the row")
        try:
            records[name] = _record(name, number, row)
        except ValueError as e:
            problems.append(f"{where}: {e}")
    if problems:
        raise CatalogueError("the catalogue has problems:\n  " + "\n  ".join(problems))
    return Catalogue(path, records, warnings)


def _read_rows(path: Path) -> tuple[list[tuple[int, dict[str, str]]], list[str]]:
    """(row number, {column: text}) for each row, columns under their canonical names; and warnings."""
    try:
        data = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise CatalogueError(f"{path.name}: not UTF-8 text ({e.reason} at byte {e.start}); save it as UTF-8") from e
    except OSError as e:
        raise CatalogueError(f"{path.name}: cannot read it: {e.strerror}") from e
    if path.suffix.lower() == ".json":
        raw = _json_rows(path, data)
    else:
        reader = csv.DictReader(io.StringIO(data, newline=""))
        if not reader.fieldnames:
            raise CatalogueError(f"{path.name}: empty; its first row must name the columns, one of them 'file'")
        raw = [(i, row) for i, row in enumerate(reader, start=2) if any((v or "").strip() for v in row.values() if isinstance(v, str))]
    headers = {h for _, row in raw for h in row if h is not None}
    mapping, unused = {}, []
    for header in sorted(headers, key=str):
        column = _column(header)
        if column is None:
            unused.append(header)
        elif column in mapping.values():
            raise CatalogueError(f"{path.name}: columns {header!r} and "
                                 f"{next(h for h, c in mapping.items() if c == column)!r} both mean {column!r}; keep one")
        else:
            mapping[header] = column
    if "file" not in mapping.values():
        raise CatalogueError(f"{path.name}: no 'file' column; one column must give each source's file or folder "
                             f"name (headed {', '.join(repr(a) for a in COLUMNS['file'])})")
    warnings = [f"{path.name}: column {h!r} is not used (known: {', '.join(COLUMNS)})" for h in unused]
    rows = []
    for number, row in raw:
        extra = row.get(None)  # csv: cells beyond the header
        if extra and any(v.strip() for v in extra):
            raise CatalogueError(f"{path.name}, row {number}: more cells than the header has columns; "
                                 "quote cells that contain commas")
        rows.append((number, {mapping[h]: _cell(v) for h, v in row.items() if h in mapping}))
    return rows, warnings


def _json_rows(path: Path, data: str) -> list[tuple[int, dict]]:
    """A list of objects each with "file", or an object of objects keyed by file name; rows numbered from 1."""
    try:
        value = json.loads(data)
    except ValueError as e:
        raise CatalogueError(f"{path.name}: not valid JSON: {e}") from e
    if isinstance(value, dict) and all(isinstance(row, dict) for row in value.values()):
        value = [{"file": name, **row} for name, row in value.items()]
    if not isinstance(value, list) or not all(isinstance(row, dict) for row in value):
        raise CatalogueError(f"{path.name}: expected a list of objects (each with \"file\") or an object keyed by file name")
    return list(enumerate(value, start=1))


def _column(header) -> str | None:
    key = " ".join(str(header).replace("_", " ").split()).lower()
    return next((column for column, names in COLUMNS.items() if key in names), None)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):  # JSON: a list of languages, say
        return "; ".join(_cell(v) for v in value)
    return " ".join(str(value).split())


def _record(name: str, number: int, row: dict[str, str]) -> CatalogueRecord:
    """Raises ValueError naming the bad cell."""
    date = row.get("date", "")
    if date:
        check_date(date)
    languages = tuple(code for code in re.split(r"[;,\s]+", row.get("language", "")) if code)
    for code in languages:
        if not LANGUAGE.match(code):
            raise ValueError(f"language {code!r} is not a BCP 47 code such as en, fr or ru; "
                             "separate several with ';'")
    kind = row.get("type", "").lower()
    if kind and kind not in TYPES:
        raise ValueError(f"type {row['type']!r} is not one of {', '.join(TYPES)} (empty: manuscript)")
    values = {f.name: row.get(f.name, "") for f in fields(CatalogueRecord) if f.name not in ("file", "row", "languages", "type")}
    return CatalogueRecord(file=name, row=number, languages=languages, type=kind or "manuscript", **values)


def check_date(value: str) -> tuple[str, str | None]:
    """(from or when, to or None) of an ISO 8601 date or range ``A/B``; ValueError saying how to write it."""
    parts = value.split("/")
    if len(parts) > 2 or not all(_valid_date(p) for p in parts):
        raise ValueError(f"date {value!r} is not a date: {DATE_HELP}")
    if len(parts) == 2 and _padded(parts[0]) > _padded(parts[1], end=True):
        raise ValueError(f"date {value!r}: the range ends before it begins")
    return parts[0], parts[1] if len(parts) == 2 else None


def _valid_date(text: str) -> bool:
    m = DATE.match(text.strip())
    if not m:
        return False
    year, month, day = int(m[1]), int(m[2] or 1), int(m[3] or 1)
    try:
        _date(year, month, day)
    except ValueError:
        return False
    return True


def _padded(text: str, end: bool = False) -> str:
    return text + ("-12-31"[len(text) - 4:] if end else "-01-01"[len(text) - 4:])


def _suggestion(name: str, names: list[str]) -> str:
    close = difflib.get_close_matches(name.casefold(), [n.casefold() for n in names], n=1, cutoff=0.75)
    match = next((n for n in names if close and n.casefold() == close[0]), None)
    return f" (did you mean {match!r}?)" if match else ""
