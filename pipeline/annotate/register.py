"""The authority register: loading, matching (variants, OCR slips) and entity ids.

The register is the bundled domain register plus the archive's own files
(the ``registers`` setting), all TSV (format in ``pipeline/data/README.md``);
a later file's line wins over an earlier one's for the same form, and a line
of type ``none`` records that a form is not a name. Matching is
case-insensitive and accent-blind. On OCR'd text only, a form of six letters
or more also matches at one edit (a substitution, insertion, deletion or
swap: an OCR slip), found through a delete-neighbourhood index so that
lookups stay dictionary lookups, or with a letter OCR splits in two read
back ("rn" for "m", "vv" for "w"). Typed text is matched exactly: a typed
"Nagata" is a name of its own, not a slip for "Nagato".
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from pipeline.errors import UsageError
from pipeline.model import NAME_KINDS

DEFAULT_REGISTER = Path(__file__).resolve().parent.parent / "data" / "authority.tsv"
FUZZY_MIN_LETTERS = 6
_QID = re.compile(r"Q[1-9]\d*")
_OCR_READS = {"rn": "m", "vv": "w"}
_OCR_PAIRS = re.compile("|".join(_OCR_READS))
_GEONAMES = re.compile(r"[1-9]\d*")


NOT_A_NAME = "none"  # the type of a line recording that a form is no name
REGISTER_TYPES = NAME_KINDS + (NOT_A_NAME,)
# Titles and ranks stay outside a person's name (ENCODING.md), so no register form of a person
# begins with one; regnal and religious styles that are part of a conventional name do.
_FORM_TITLES = frozenset("""general colonel lieutenant major captain admiral marshal commander sergeant
president premier chairman secretary ambassador governor minister mr mr. mrs mrs. ms dr dr. professor
generalissimo""".split())


class RegisterError(UsageError):
    """A register file is malformed; the message names the file and line."""


@dataclass(frozen=True)
class Entry:
    id: str
    kind: str
    name: str
    variants: tuple[str, ...] = ()
    wikidata: str | None = None
    geonames: str | None = None


_SPACED_INITIALS = re.compile(r"(?<![^\W\d_])([^\W\d_])\.\s+(?=[^\W\d_]\.)")


def fold(text: str) -> str:
    """Matching key: accents, case, apostrophes and hyphens folded away, spaced initials closed up
    ("U. S." and "U.S." are one form)."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = _SPACED_INITIALS.sub(r"\1.", text)
    text = re.sub(r"[\s\-\u2010-\u2015]+", " ", text.casefold())
    return re.sub(r"[.'’]", "", text).strip()


def slug(text: str) -> str:
    """ASCII slug of a name; a digest when the name has no Latin letters."""
    s = re.sub(r"[^a-z0-9]+", "-", fold(text).encode("ascii", "ignore").decode()).strip("-")
    return s or "x" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]


def entity_id(kind: str, name: str) -> str:
    """A stable xml:id (an NCName) for a name of a kind: ``place-japan``."""
    return f"{kind}-{slug(name)}"


def _acronym(form: str) -> bool:
    """A short form in capitals ("UP", "U.N.", "SCAP"): it names the entry only written so (or, from four
    letters, in title case: "Tass")."""
    letters = _acronym_key(form)
    return 2 <= len(letters) <= 5 and letters.isalpha() and letters.isupper()


def _acronym_key(form: str) -> str:
    """An acronym's letters as written: "U. S." and "U.S." are "US"."""
    return re.sub(r"[.\s]+", "", form)


def _deletes(key: str) -> set[str]:
    return {key[:i] + key[i + 1:] for i in range(len(key))}


@dataclass
class Register:
    entries: list[Entry] = field(default_factory=list)
    _exact: dict[str, Entry] = field(default_factory=dict, repr=False)
    _acronyms: dict[str, Entry] = field(default_factory=dict, repr=False)  # capitals, matched as written
    _deleted: dict[str, list[tuple[str, Entry]]] = field(default_factory=dict, repr=False)
    _memo: dict[tuple[str, bool], Entry | None] = field(default_factory=dict, repr=False)
    _words: set[str] = field(default_factory=set, repr=False)  # the words of every form, folded
    max_tokens: int = 1
    derived: dict = field(default_factory=dict, repr=False)  # what annotation derives from the entries, once

    def add(self, entry: Entry, override: bool = False) -> None:
        """Index an entry's forms; a form already indexed keeps its entry unless ``override``."""
        self.entries.append(entry)
        self._memo.clear()
        self.derived.clear()
        for form in (entry.name, *entry.variants):
            key = fold(form)
            if not key:
                continue
            if _acronym(form):  # "UP" is United Press, "Up" is no name
                if override or _acronym_key(form) not in self._acronyms:
                    self._acronyms[_acronym_key(form)] = entry
                continue
            if override:
                self._exact[key] = entry
            else:
                self._exact.setdefault(key, entry)
            self._words.update(key.split())
            self.max_tokens = max(self.max_tokens, len(key.split()))
            if sum(c.isalpha() for c in key) >= FUZZY_MIN_LETTERS:
                for d in _deletes(key):
                    self._deleted.setdefault(d, []).append((key, entry))

    def lookup(self, form: str, ocr: bool = False) -> Entry | None:
        """The entry for a form: exact (folded); on OCR'd text also at one edit."""
        key = (form, ocr)
        try:
            return self._memo[key]
        except KeyError:
            pass
        if len(self._memo) > 100_000:
            self._memo.clear()
        hit = self._memo[key] = self._lookup(form, ocr)
        return hit

    def _lookup(self, form: str, ocr: bool) -> Entry | None:
        key = fold(form)
        if key.count(" ") > self.max_tokens:
            return None  # longer than every form, even with a space inserted by a slip
        hit = self._exact.get(key) or self._acronyms.get(_acronym_key(form)) or (
            self._acronyms.get(form.upper()) if len(form) >= 4 and form.istitle() else None)  # "Tass" for TASS
        if hit or not ocr or sum(c.isalpha() for c in key) < FUZZY_MIN_LETTERS or _read_right(form) \
                or all(w in self._words for w in key.split()):  # words of the register's own forms: no slips
            return hit
        hit = self._fuzzy(key)
        if hit is None and _OCR_PAIRS.search(key):  # "Kwantung Arrny": letters OCR reads as two
            read = _OCR_PAIRS.sub(lambda m: _OCR_READS[m.group()], key)
            hit = self._exact.get(read) or self._fuzzy(read)
        return hit

    def _fuzzy(self, key: str) -> Entry | None:
        found: dict[str, Entry] = {}
        for d in _deletes(key):  # a letter inserted by OCR
            if d in self._exact:
                found[d] = self._exact[d]
        for cand in (key, *_deletes(key)):  # a letter dropped, changed or swapped
            for form, entry in self._deleted.get(cand, ()):
                if _one_edit(key, form):
                    found[form] = entry
        # the first letter is rarely the slip, a derived adjective is no slip
        # (Korea/Korean), and an ambiguous slip matches nothing
        found = {f: e for f, e in found.items() if f[0] == key[0] and not key.startswith(f)}
        entries = {e.id: e for e in found.values()}
        return next(iter(entries.values())) if len(entries) == 1 else None


def _read_right(form: str) -> bool:
    """A form every word of which is common in a language (once per million words: "German",
    "Missouri") was read as written: a slip that makes a common word is rarer than the word. A rare
    spelling ("Vladivostock") may still be a slip or a variant of a register's form."""
    from pipeline.ocr import language  # the OCR's word lists: only scans are matched at one slip

    words = language.words_of(form)
    return bool(words) and all(any(language.common(w, code) for code in _WORD_LIST_LANGUAGES) for w in words)


_WORD_LIST_LANGUAGES = ("eng", "fra", "deu")


def _one_edit(a: str, b: str) -> bool:
    """Damerau distance exactly one (equal strings are not slips)."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                                  and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


def load_register(*paths: str | Path) -> Register:
    """The bundled register, then each file of ``paths`` (a later file's forms win)."""
    reg = Register()
    for i, path in enumerate((DEFAULT_REGISTER, *paths)):
        for entry in read_register_file(path):
            reg.add(entry, override=i > 0)
    return reg


def read_register_file(path: str | Path) -> list[Entry]:
    """A register TSV: name, type, variants (|-separated), wikidata, geonames; errors name file and line."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as e:
        raise RegisterError(f"register file {path}: {e.strerror or e}") from e
    except UnicodeDecodeError as e:
        raise RegisterError(f"register file {path}: not UTF-8 text ({e.reason} at byte {e.start})") from e
    entries, seen, ids = [], {}, {}
    for lineno, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        where = f"{path}:{lineno}"
        cols = (line.split("\t") + [""] * 5)[:5]
        name, kind, variants, wikidata, geonames = (c.strip() for c in cols)
        if name == "name" and kind == "type":
            continue  # the header
        if not name:
            raise RegisterError(f"{where}: the name column is empty (columns are tab-separated: "
                                "name, type, variants, wikidata, geonames)")
        if kind not in REGISTER_TYPES:
            raise RegisterError(f"{where}: type {kind!r} is not one of {', '.join(REGISTER_TYPES)}"
                                " (columns are tab-separated)")
        if wikidata and not _QID.fullmatch(wikidata):
            raise RegisterError(f"{where}: wikidata id {wikidata!r} is not of the form Q123")
        if geonames and not _GEONAMES.fullmatch(geonames):
            raise RegisterError(f"{where}: geonames id {geonames!r} is not a number")
        if geonames and kind != "place":
            raise RegisterError(f"{where}: a geonames id belongs to a place, not to a {kind}")
        forms = tuple(v.strip() for v in variants.split("|") if v.strip())
        if kind == "person":
            for form in (name, *forms):
                if form.split()[0].lower() in _FORM_TITLES and len(form.split()) > 1:
                    raise RegisterError(f"{where}: {form!r} begins with a title; titles stay outside "
                                        "a person's name (ENCODING.md): leave the title out")
        for authority, value in (("wikidata", wikidata), ("geonames", geonames)):
            if value and (authority, value) in ids:
                raise RegisterError(f"{where}: {authority} id {value} is already the id of line "
                                    f"{ids[authority, value]}: one id, one entity")
            if value:
                ids[authority, value] = lineno
        eid = entity_id(kind, name)
        if eid in seen:
            raise RegisterError(f"{where}: {name!r} duplicates line {seen[eid]}")
        seen[eid] = lineno
        entries.append(Entry(eid, kind, name, forms, wikidata or None, geonames or None))
    return entries


@lru_cache(maxsize=8)
def _cached(paths: tuple[str, ...], stamps: tuple) -> Register:
    return load_register(*paths)


def cached_register(paths: tuple[str, ...] = ()) -> Register:
    """The register of the bundled file and ``paths``, loaded once per process while the files stay the same."""
    return _cached(tuple(paths), tuple(_stamp(p) for p in (DEFAULT_REGISTER, *paths)))


def _stamp(path) -> tuple:
    try:
        st = Path(path).stat()
        return (st.st_mtime_ns, st.st_size)
    except OSError:
        return ()
