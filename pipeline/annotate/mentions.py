"""A name found in a block, and how strongly its type is evidenced: what the finders hand the resolver."""
from __future__ import annotations

from dataclasses import dataclass

from pipeline.annotate.register import Entry

# Cue strengths: a strong cue can override the register and the document's type.
WEAK, MEDIUM, STRONG, REGISTER = 1, 2, 3, 4

@dataclass
class Mention:
    block: int
    start: int
    end: int
    text: str
    kind: str | None  # None: not typed yet
    strength: int
    entry: Entry | None = None
    coord: int | None = None  # group id of "A, B and C" coordinations
    alias_of: str | None = None  # an unregistered name's other form this one stands for ("AAG")
