"""The data model every stage shares: a source, its blocks, annotations, pages.

Stages pass these plain objects along; TEI is built from them in one place
(``pipeline.tei``). Offsets are character offsets into ``Block.text``.
"""
from __future__ import annotations

from dataclasses import dataclass, field

NAME_KINDS = ("person", "place", "org", "vessel")
# Apparatus inside the text (pipeline.apparatus): a note marker, a page marker, a file or document
# number, a reference to a page, figure or paragraph. Not content: never names, dates or figures.
APPARATUS_KINDS = ("note-anchor", "page-number", "identifier", "reference")


@dataclass(frozen=True)
class SourceInfo:
    """What an archivist dropped in: a file, or a folder of page images."""

    path: str  # absolute path of the file or folder
    name: str  # file or folder name
    stem: str  # name without extension: the edition's file name
    kind: str  # "text" | "image" | "pdf" | "folder"
    media_type: str  # e.g. "text/plain", "image/tiff", "application/pdf"
    size: int  # bytes (sum over a folder's pages)
    sha256: str  # of the file; of the pages' hashes in order for a folder
    encoding: str | None = None  # text sources: the detected character encoding
    files: tuple[str, ...] = ()  # folder sources: page files in reading order


@dataclass
class Span:
    """An annotation over ``Block.text[start:end]``.

    attrs holds the normalized values, by kind: person/place/org/vessel
    ``ref`` (the register entry's xml:id, without '#'); date ``when`` or
    ``from``/``to``; num ``value``; measure ``quantity`` and ``unit``;
    note-anchor and page-number ``n``.
    """

    start: int
    end: int
    kind: str
    attrs: dict[str, str] = field(default_factory=dict)


@dataclass
class Entity:
    """A register entry in the document's standOff."""

    id: str  # stable xml:id, the same for the same entity in every document
    kind: str  # person | place | org | vessel
    name: str  # canonical form
    variants: list[str] = field(default_factory=list)  # other forms seen
    wikidata: str | None = None
    geonames: str | None = None


@dataclass
class Milestone:
    """An empty marker inside a block: a page break or a line beginning."""

    offset: int
    kind: str  # "pb" | "lb"
    facs: str | None = None  # xml:id of the surface (pb) or zone (lb)
    n: str | None = None  # page number for pb
    in_word: bool = False  # lb: the line before ended inside a word, in a hyphen the page shows
    soft_hyphen: bool = False  # lb in a word: that hyphen only breaks the word, and the text leaves it out


@dataclass
class Unclear:
    """A low-confidence OCR word: kept in the text, marked."""

    start: int
    end: int
    cert: float  # 0..1


@dataclass
class Foreign:
    """A passage inside a block in another language than the block's: <foreign xml:lang>."""

    start: int
    end: int
    lang: str  # BCP 47


@dataclass
class Block:
    """One structural unit of the text, in reading order.

    kind: "head" (a heading; depth says its section level, 0 for the text's
    own title), "p", "item" (a list item), "bibl" (a bibliography entry),
    "field" (a form or infobox field: ``label`` is its label, ``text`` its
    value), "row" (a table row: ``cells`` cut the text, ``header`` for a row
    of column heads), "note" (a note, ``n`` its number), "fw" (forme work: a
    page marker on a line of its own, ``n`` the page), and a letter's parts:
    "dateline", "salute" and "signed", in the ``zone`` "opener" or "closer";
    "caption" (a picture's caption on a scanned page: ``figure`` is the
    picture's zone), "figure" (a picture with no caption: no text, ``figure``
    its zone).
    A head at depth d >= 1 opens a <div> nested d deep; following blocks
    belong to it until a head of the same or a lower depth.
    """

    kind: str
    text: str
    depth: int = 0
    label: str | None = None  # list marker kept as text ("(a)", "1."), or a field's label ("Date:")
    n: str | None = None  # the marker's value, e.g. "a" or "1"; a note's number; a page number
    cells: list[tuple[int, int]] = field(default_factory=list)  # rows: (start, end) of each cell in text
    header: bool = False  # rows: a row of column heads
    speaker: str | None = None  # a transcript's turn: its speaker as written ("TI:")
    zone: str | None = None  # a letter's "opener" or "closer"
    spans: list[Span] = field(default_factory=list)
    milestones: list[Milestone] = field(default_factory=list)
    unclear: list[Unclear] = field(default_factory=list)
    lang: str | None = None  # BCP 47, where the block is in another language than the document
    foreign: list[Foreign] = field(default_factory=list)  # passages in yet another language
    figure: str | None = None  # a caption's picture: the id of its zone on the page image


@dataclass
class Zone:
    """A line's box on a page image, in pixels."""

    id: str
    ulx: int
    uly: int
    lrx: int
    lry: int


@dataclass
class Page:
    """A scanned page: a <surface> in the facsimile."""

    id: str
    n: int
    width: int
    height: int
    image: str  # href of the page image, relative to the TEI file
    zones: list[Zone] = field(default_factory=list)
    alto: str | None = None  # href of the page's ALTO, relative to the TEI file


@dataclass(frozen=True)
class CatalogueRecord:
    """What the archive's catalogue says about a source (``pipeline.catalogue``); empty strings: not given."""

    file: str  # the source's file or folder name
    row: int  # where it stands in the catalogue, for messages
    title: str = ""
    creator: str = ""
    date: str = ""  # ISO 8601: YYYY, YYYY-MM, YYYY-MM-DD or a range A/B
    repository: str = ""
    collection: str = ""
    idno: str = ""  # shelfmark or reference code
    rights: str = ""
    languages: tuple[str, ...] = ()  # BCP 47, main first
    notes: str = ""
    type: str = "manuscript"  # "manuscript" (described by msDesc) or "printed" (by bibl)


@dataclass
class Document:
    """One edition in the making."""

    source: SourceInfo
    title: str
    blocks: list[Block] = field(default_factory=list)
    pages: list[Page] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    languages: list[str] = field(default_factory=lambda: ["en"])  # BCP 47, main first
    tools: dict[str, str] = field(default_factory=dict)  # tool name -> version
    changes: list[str] = field(default_factory=list)  # one line per stage run
    ocr: dict[str, str] = field(default_factory=dict)  # engine, languages, preprocessing, mean confidence
    catalogue: CatalogueRecord | None = None  # the catalogue's row for this source

    def text(self) -> str:
        """All block texts joined by newlines (labels included)."""
        return "\n".join(
            (b.label + " " if b.label else "") + b.text for b in self.blocks
        )
