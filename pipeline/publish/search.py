"""The search index, ``assets/search-index.js``: a script assigning ``window.SEARCH_INDEX``, so file:// pages load it.

    {"fold": {letter: replacement},          letters Unicode decomposition leaves alone (ß, ø, ł, æ...)
     "entries": [[doc, anchor, text, [name...], [date...]]],   a block of text, the register entries
                                             it names (indexes into "names") and the dates it tags (ISO 8601,
                                             a range as FROM/TO)
     "docs": [{"title", "href", "record"}],  an edition, with its catalogue record as one line
     "names": [[name, [variants], href, register]]}

Written as the editions are rendered, a block at a time. ``static/search.js``
folds text and query alike (case, accents, punctuation, the table above), so
``oconnell`` finds O'Connell; a name matches a block that mentions its entity
under any form, so a search for one name of a place finds the editions that
use another; ``1946`` and ``1946-06`` match the dates tagged in those periods.
"""
from __future__ import annotations

import json
from pathlib import Path

from pipeline.publish.collection import Entity
from pipeline.publish.text import Occurrence

# Letters that NFKD does not decompose into a base letter and marks, as a reader would type them.
FOLD = {"ß": "ss", "ẞ": "ss", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ø": "o", "Ø": "o", "ł": "l", "Ł": "l",
        "đ": "d", "Đ": "d", "ð": "d", "Ð": "d", "þ": "th", "Þ": "th", "ı": "i", "ŀ": "l", "ħ": "h", "Ħ": "h"}


class SearchIndex:
    def __init__(self, path: Path):
        self.path, self.first = path, True
        self.name_index: dict[str, int] = {}  # entity id -> position in "names", in order of first mention

    def __enter__(self):
        self.file = self.path.open("w", encoding="utf-8")
        self.file.write(f'window.SEARCH_INDEX = {{"fold":{js_json(FOLD)},"entries":[')
        return self

    def add(self, doc: int, blocks: list[tuple[str, str]], names: list[Occurrence], dates: list[Occurrence]) -> None:
        by_block_names: dict[str, list[int]] = {}
        for occ in names:
            if occ.ref and occ.block:
                found = by_block_names.setdefault(occ.block, [])
                index = self.name_index.setdefault(occ.ref, len(self.name_index))
                if index not in found:
                    found.append(index)
        by_block_dates: dict[str, list[str]] = {}
        for occ in dates:
            value = occ.when or (f"{occ.start or ''}/{occ.end or ''}" if occ.start or occ.end else None)
            if value and occ.block:
                by_block_dates.setdefault(occ.block, []).append(value)
        for anchor, text in blocks:
            entry = [doc, anchor, text, by_block_names.get(anchor, []), by_block_dates.get(anchor, [])]
            self.file.write(("" if self.first else ",") + js_json(entry))
            self.first = False

    def finish(self, docs: list[dict], entities: dict[str, Entity], href_of, register_of) -> None:
        for entity_id in entities:  # entries no published text mentions are still found by name
            self.name_index.setdefault(entity_id, len(self.name_index))
        names = [None] * len(self.name_index)
        for entity_id, index in self.name_index.items():
            x = entities.get(entity_id)
            names[index] = ([x.name, x.variants, href_of(x), register_of(x)] if x
                            else [entity_id, [], None, None])  # a ref to an entry no register has
        self.file.write(f'],"docs":{js_json(docs)},"names":{js_json(names)}}};\n')

    def __exit__(self, *exc):
        self.file.close()


def js_json(value) -> str:
    # ensure_ascii and the escaped "</" keep a source's "</script>" inert even if this were inlined
    return json.dumps(value, ensure_ascii=True, separators=(",", ":")).replace("</", "<\\/")
