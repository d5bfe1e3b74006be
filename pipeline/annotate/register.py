"""The authority register: loading, matching (variants, OCR slips) and entity ids.

The register is a TSV file the archive maintains (format in
``pipeline/data/README.md``). Matching is case-insensitive and accent-blind;
a form of six letters or more also matches at one edit (a substitution,
insertion, deletion or swap: an OCR slip), found through a delete-neighbourhood
index so that lookups stay dictionary lookups, or with a letter OCR splits in
two read back ("rn" for "m", "vv" for "w").
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


def fold(text: str) -> str:
    """Matching key: accents, case, apostrophes and hyphens folded away."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"[\s\-\u2010-\u2015]+", " ", text.casefold())
    return re.sub(r"[.'’]", "", text).strip()


def slug(text: str) -> str:
    """ASCII slug of a name; a digest when the name has no Latin letters."""
    s = re.sub(r"[^a-z0-9]+", "-", fold(text).encode("ascii", "ignore").decode()).strip("-")
    return s or "x" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]


def entity_id(kind: str, name: str) -> str:
    """A stable xml:id (an NCName) for a name of a kind: ``place-japan``."""
    return f"{kind}-{slug(name)}"


def _deletes(key: str) -> set[str]:
    return {key[:i] + key[i + 1:] for i in range(len(key))}


@dataclass
class Register:
    entries: list[Entry] = field(default_factory=list)
    _exact: dict[str, Entry] = field(default_factory=dict, repr=False)
    _deleted: dict[str, list[tuple[str, Entry]]] = field(default_factory=dict, repr=False)
    _memo: dict[str, Entry | None] = field(default_factory=dict, repr=False)
    max_tokens: int = 1

    def add(self, entry: Entry) -> None:
        self.entries.append(entry)
        self._memo.clear()
        for form in (entry.name, *entry.variants):
            key = fold(form)
            if not key:
                continue
            self._exact.setdefault(key, entry)
            self.max_tokens = max(self.max_tokens, len(key.split()))
            if sum(c.isalpha() for c in key) >= FUZZY_MIN_LETTERS:
                for d in _deletes(key):
                    self._deleted.setdefault(d, []).append((key, entry))

    def lookup(self, form: str) -> Entry | None:
        """The entry for a form: exact (folded) first, then at one edit."""
        try:
            return self._memo[form]
        except KeyError:
            pass
        if len(self._memo) > 100_000:
            self._memo.clear()
        hit = self._memo[form] = self._lookup(form)
        return hit

    def _lookup(self, form: str) -> Entry | None:
        key = fold(form)
        if key.count(" ") > self.max_tokens:
            return None  # longer than every form, even with a space inserted by a slip
        hit = self._exact.get(key)
        if hit or sum(c.isalpha() for c in key) < FUZZY_MIN_LETTERS:
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


def load_register(path: str | Path = DEFAULT_REGISTER) -> Register:
    """Read a register TSV: name, type, variants (|-separated), wikidata, geonames."""
    reg = Register()
    seen: dict[str, int] = {}
    for lineno, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = (line.split("\t") + [""] * 5)[:5]
        name, kind, variants, wikidata, geonames = (c.strip() for c in cols)
        if name == "name" and kind == "type":
            continue  # the header
        if kind not in NAME_KINDS:
            raise RegisterError(f"{path}:{lineno}: type {kind!r} is not one of {', '.join(NAME_KINDS)}")
        if wikidata and not _QID.fullmatch(wikidata):
            raise RegisterError(f"{path}:{lineno}: wikidata id {wikidata!r} is not of the form Q123")
        if geonames and not _GEONAMES.fullmatch(geonames):
            raise RegisterError(f"{path}:{lineno}: geonames id {geonames!r} is not a number")
        eid = entity_id(kind, name)
        if eid in seen:
            raise RegisterError(f"{path}:{lineno}: {name!r} duplicates line {seen[eid]}")
        seen[eid] = lineno
        reg.add(Entry(eid, kind, name, tuple(v.strip() for v in variants.split("|") if v.strip()),
                      wikidata or None, geonames or None))
    return reg


@lru_cache(maxsize=8)
def cached_register(path: str = str(DEFAULT_REGISTER)) -> Register:
    return load_register(path)
