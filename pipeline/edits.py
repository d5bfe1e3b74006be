"""Hand edits of an edition: detect them, carry them into a remade edition, say what happened.

The pipeline keeps its own last output of each edition (the *base*, in
OUTPUT_DIR/.state/). A TEI in OUTPUT_DIR/tei/ that differs from it in
substance (not only in serialization) has been edited by hand.

When an edition is remade, ``merge`` carries the edits into the new output
by a three-way merge of base, edited file and new output, at the level of
text and markup: each document becomes a sequence of tokens (a start tag with
its attributes, an end tag, a word with the spaces after it, a comment, a
processing instruction), the two changes (base to edited, base to new) are
found with difflib, and the classic diff3 rule applies to each changed
region: taken from whichever side changed it, kept where both made the same
change, a conflict where both changed it differently. A conflicting region
is merged again more finely (token by token, a start tag attribute by
attribute), so a corrected word beside a retagged one, or an edited @ref on
a name the new output retyped, still merge. The merged tokens must nest
again; otherwise that place is a conflict too. Nothing is written here: the
caller writes the result atomically, or keeps the edited file as it is.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from lxml import etree

from pipeline.tei import TEI_NS, append_text
from pipeline.validate import safe_parser

WORD = re.compile(r"\s+|[^\W_]+\s*|.\s*", re.S)  # leading spaces; a word or one other character, with the spaces after
FINE_LIMIT = 4000  # tokens: a conflicting region up to this size is merged again token by token
SNIPPET = 90  # characters of each side shown for a conflict
CHANGE_TYPE = "hand-edits"


class Tag:
    """A start tag (with its attributes in document order), an end tag, a comment or a PI.

    Equal when kind, name and the set of attributes agree: attribute order
    is serialization, not substance.
    """

    __slots__ = ("kind", "name", "attrs", "_key")

    def __init__(self, kind: str, name: str, attrs: tuple = ()):
        self.kind, self.name, self.attrs = kind, name, attrs
        self._key = (kind, name, frozenset(attrs))

    def __eq__(self, other):
        return isinstance(other, Tag) and self._key == other._key

    def __hash__(self):
        return hash(self._key)

    def __repr__(self):
        return f"Tag{self._key!r}"


@dataclass
class Conflict:
    """A place both the hand edits and the new output changed, differently."""

    line: int  # in the edited file
    edited: str  # the edited file's version of the place
    new: str  # the new output's version
    base: str  # what both started from

    def __str__(self) -> str:
        return f"line {self.line}: edited {self.edited!r}, the new output has {self.new!r} (was {self.base!r})"

    def to_json(self) -> dict:
        return {"line": self.line, "edited": self.edited, "new": self.new, "base": self.base}


@dataclass
class MergeResult:
    data: bytes | None  # the merged TEI; None when there are conflicts
    carried: int = 0  # places where the hand edits were taken
    conflicts: list[Conflict] = field(default_factory=list)


# --- detecting ---------------------------------------------------------------------

def parse(data: bytes) -> etree._ElementTree:
    return etree.ElementTree(etree.fromstring(data, safe_parser()))


def same_document(a: bytes, b: bytes) -> bool:
    """Equal, or equal once canonicalized (attribute order, quoting, empty-element form)."""
    if a == b:
        return True
    try:
        return etree.tostring(parse(a), method="c14n") == etree.tostring(parse(b), method="c14n")
    except etree.XMLSyntaxError:
        return False


def edited_places(base: bytes, edited: bytes) -> int:
    """How many places of the base the edited file changed (0 for an unedited file)."""
    base_tokens, _ = tokenize(parse(base))
    edited_tokens, _ = tokenize(parse(edited))
    return sum(1 for op in _opcodes(base_tokens, edited_tokens) if op[0] != "equal")


# --- tokens --------------------------------------------------------------------------

def tokenize(tree: etree._ElementTree) -> tuple[list, list[int]]:
    """The document as tokens, and the (approximate) line of each in its file."""
    tokens, lines = [], []
    line = 1

    def add(token, at: int) -> None:
        tokens.append(token)
        lines.append(at)

    def text(value: str | None) -> None:
        nonlocal line
        for piece in WORD.findall(value or ""):
            add(piece, line)
            line += piece.count("\n")

    def walk(el) -> None:
        nonlocal line
        if isinstance(el, etree._Comment):
            add(Tag("c", el.text or ""), el.sourceline or line)
        elif isinstance(el, etree._ProcessingInstruction):
            add(Tag("p", el.target, (("", el.text or ""),)), el.sourceline or line)
        elif isinstance(el.tag, str):
            line = max(line, el.sourceline or line)
            add(Tag("s", el.tag, tuple(el.attrib.items())), line)
            text(el.text)
            for child in el:
                walk(child)
                text(child.tail)
            add(Tag("e", el.tag), line)
        else:  # an entity reference left unresolved: kept as its name
            add(Tag("p", "entity", (("", el.text or ""),)), line)

    root = tree.getroot()
    for node in reversed(list(root.itersiblings(preceding=True))):
        walk(node)
    walk(root)
    for node in root.itersiblings():
        walk(node)
    return tokens, lines


class Unbalanced(Exception):
    def __init__(self, index: int):
        super().__init__(index)
        self.index = index


def rebuild(tokens: list, nsmap: dict) -> bytes:
    """Tokens back to a serialized document; raises Unbalanced where tags no longer nest."""
    stack: list[etree._Element] = []
    before, after, root = [], [], None
    for i, token in enumerate(tokens):
        if isinstance(token, str):
            if stack:
                append_text(stack[-1], token)
            elif token.strip():
                raise Unbalanced(i)
            continue
        if token.kind == "s":
            el = etree.Element(token.name, nsmap=nsmap) if not stack else etree.SubElement(stack[-1], token.name)
            for key, value in token.attrs:
                el.set(key, value)
            if not stack:
                if root is not None:
                    raise Unbalanced(i)
                root = el
            stack.append(el)
        elif token.kind == "e":
            if not stack or stack[-1].tag != token.name:
                raise Unbalanced(i)
            stack.pop()
        else:
            node = etree.Comment(token.name) if token.kind == "c" else etree.ProcessingInstruction(token.name, token.attrs[0][1])
            if stack:
                stack[-1].append(node)
            else:
                (before if root is None else after).append(node)
    if stack or root is None:
        raise Unbalanced(len(tokens))
    for node in before:
        root.addprevious(node)
    for node in after:
        root.addnext(node)
    return etree.tostring(root.getroottree(), xml_declaration=True, encoding="UTF-8") + b"\n"


# --- three-way merge --------------------------------------------------------------------

def merge(base: bytes, edited: bytes, new: bytes, date: str | None = None) -> MergeResult:
    """Carry the changes from ``base`` to ``edited`` into ``new``.

    When the new output brings nothing the edited file lacks, the edited
    file is the result, byte for byte. Otherwise a ``change`` in the
    revisionDesc records that hand edits were carried (dated ``date``).
    """
    base_tree, edited_tree, new_tree = parse(base), parse(edited), parse(new)
    base_tokens, _ = tokenize(base_tree)
    edited_tokens, edited_lines = tokenize(edited_tree)
    new_tokens, _ = tokenize(new_tree)
    merged, carried, conflicts = [], 0, []
    new_brings = False
    for region in _merge3(base_tokens, edited_tokens, new_tokens):
        kind = region[0]
        if kind == "unchanged":
            merged += base_tokens[region[1]:region[2]]
        elif kind in ("edited", "same"):
            merged += edited_tokens[region[1]:region[2]]
            carried += kind == "edited"
        elif kind == "new":
            merged += new_tokens[region[1]:region[2]]
            new_brings = True
        else:
            _, z0, z1, a0, a1, b0, b1 = region
            fine = _fine_merge(base_tokens[z0:z1], edited_tokens[a0:a1], new_tokens[b0:b1])
            if fine is None:
                line = edited_lines[min(a0, len(edited_lines) - 1)] if edited_lines else 0
                conflicts.append(Conflict(line, _snippet(edited_tokens[a0:a1]), _snippet(new_tokens[b0:b1]),
                                          _snippet(base_tokens[z0:z1])))
            else:
                merged += fine
                carried += 1
                new_brings = True
    if conflicts:
        return MergeResult(None, carried, conflicts)
    if not new_brings:
        return MergeResult(edited, carried)
    nsmap = {**new_tree.getroot().nsmap, **edited_tree.getroot().nsmap}
    try:
        data = rebuild(merged, nsmap)
    except Unbalanced as e:
        line = _line_near(merged, e.index, edited_tokens, edited_lines)
        return MergeResult(None, carried, [Conflict(line, "the hand edits' markup", "the new output's markup",
                                                    "tags that no longer nest once both are merged")])
    return MergeResult(record_carried_edits(data, carried, date) if carried else data, carried)


def record_carried_edits(data: bytes, places: int, date: str | None) -> bytes:
    """Add a revisionDesc change saying hand edits were carried (once per date and count)."""
    tree = parse(data)
    header = tree.getroot().find(f"{{{TEI_NS}}}teiHeader")
    if header is None:
        return data
    revisions = header.find(f"{{{TEI_NS}}}revisionDesc")
    if revisions is None:
        revisions = etree.SubElement(header, f"{{{TEI_NS}}}revisionDesc")
        revisions.text = "\n   "
        revisions.tail = "\n "
    text = f"hand edits carried into the remade edition by a three-way merge ({places} place{'s' if places != 1 else ''})"
    for change in revisions.iterfind(f"{{{TEI_NS}}}change"):
        if change.get("type") == CHANGE_TYPE and change.get("when") == date and change.text == text:
            return data
    last = revisions[-1] if len(revisions) else None
    change = etree.SubElement(revisions, f"{{{TEI_NS}}}change", type=CHANGE_TYPE)
    if date:
        change.set("when", date)
    change.text = text
    if last is not None:  # the same indentation as the changes before it
        change.tail = last.tail
        last.tail = last.getprevious().tail if last.getprevious() is not None else revisions.text
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8") + b"\n"


def _merge3(base: list, a: list, b: list, autojunk: bool = True):
    """diff3 over token lists: ("unchanged", z0, z1), ("same", a0, a1) where both sides agree,
    ("edited", a0, a1), ("new", b0, b1), ("conflict", z0, z1, a0, a1, b0, b1)."""
    iz = ia = ib = 0
    for zmatch, zend, amatch, aend, bmatch, bend in _sync_regions(base, a, b, autojunk):
        if amatch > ia or bmatch > ib or zmatch > iz:
            base_part, a_part, b_part = base[iz:zmatch], a[ia:amatch], b[ib:bmatch]
            if a_part == b_part:
                yield ("same", ia, amatch)
            elif a_part == base_part:
                yield ("new", ib, bmatch)
            elif b_part == base_part:
                yield ("edited", ia, amatch)
            else:
                yield ("conflict", iz, zmatch, ia, amatch, ib, bmatch)
        if zend > zmatch:
            yield ("unchanged", zmatch, zend)
        iz, ia, ib = zend, aend, bend


def _sync_regions(base: list, a: list, b: list, autojunk: bool = True):
    """Stretches of the base that both a and b keep, as (z0, z1, a0, a1, b0, b1), ending with a sentinel."""
    a_blocks, b_blocks = _matching_blocks(base, a, autojunk), _matching_blocks(base, b, autojunk)
    ia = ib = 0
    regions = []
    while ia < len(a_blocks) and ib < len(b_blocks):
        a_base, a_at, a_len = a_blocks[ia]
        b_base, b_at, b_len = b_blocks[ib]
        start, end = max(a_base, b_base), min(a_base + a_len, b_base + b_len)
        if start < end:
            regions.append((start, end, a_at + start - a_base, a_at + end - a_base,
                            b_at + start - b_base, b_at + end - b_base))
        if a_base + a_len < b_base + b_len:
            ia += 1
        else:
            ib += 1
    regions.append((len(base), len(base), len(a), len(a), len(b), len(b)))
    return regions


def _matching_blocks(x: list, y: list, autojunk: bool = True) -> list[tuple[int, int, int]]:
    """difflib's matching blocks, with the common head and tail matched first (edits are usually few)."""
    head = 0
    limit = min(len(x), len(y))
    while head < limit and x[head] == y[head]:
        head += 1
    tail = 0
    while tail < limit - head and x[len(x) - 1 - tail] == y[len(y) - 1 - tail]:
        tail += 1
    blocks = [(0, 0, head)] if head else []
    inner = difflib.SequenceMatcher(None, x[head:len(x) - tail], y[head:len(y) - tail], autojunk=autojunk)
    blocks += [(i + head, j + head, n) for i, j, n in inner.get_matching_blocks() if n]
    if tail:
        blocks.append((len(x) - tail, len(y) - tail, tail))
    return _slide(x, y, blocks)


def _slide(x: list, y: list, blocks: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """Place each pure insertion or deletion where its tags balance, else as far right as it goes.

    An inserted paragraph after the last one can be read as ``</p> <p> new``
    before the old ``</p>`` or as ``<p> new </p>`` after it; a diff picks one
    at random. Both diffs of a merge must place a change alike, and the
    balanced reading is the one an editor's change beside it does not touch
    (a note at the end of that paragraph, a name tagged at its start).
    """
    blocks = [list(b) for b in blocks]
    for k in range(len(blocks) - 1):
        here, after = blocks[k], blocks[k + 1]
        if not here[2]:
            continue  # absorbed by a slide before it
        i_end, j_end = here[0] + here[2], here[1] + here[2]
        if after[0] == i_end and after[1] > j_end:
            seq, a0, a1 = y, j_end, after[1]  # y[a0:a1] inserted
        elif after[1] == j_end and after[0] > i_end:
            seq, a0, a1 = x, i_end, after[0]  # x[a0:a1] deleted
        else:
            continue
        left = 0
        while left < here[2] and seq[a1 - 1 - left] == seq[a0 - 1 - left]:
            left += 1
        right = 0
        while right < after[2] and seq[a0 + right] == seq[a1 + right]:
            right += 1
        if not (left or right):
            continue
        shift = max(range(-left, right + 1), key=lambda s: (_balanced(seq[a0 + s:a1 + s]), s))
        here[2] += shift
        after[0], after[1], after[2] = after[0] + shift, after[1] + shift, after[2] - shift
    return [tuple(b) for b in blocks if b[2]]


def _balanced(tokens: list) -> bool:
    """The start and end tags among these tokens close each other, with nothing left open."""
    open_tags = []
    for token in tokens:
        if isinstance(token, Tag) and token.kind == "s":
            open_tags.append(token.name)
        elif isinstance(token, Tag) and token.kind == "e":
            if not open_tags or open_tags.pop() != token.name:
                return False
    return not open_tags


def _opcodes(x: list, y: list):
    """Equal and changed stretches between two token lists, from the matching blocks."""
    i = j = 0
    for xi, yj, n in _matching_blocks(x, y) + [(len(x), len(y), 0)]:
        if xi > i or yj > j:
            yield ("change", i, xi, j, yj)
        if n:
            yield ("equal", xi, xi + n, yj, yj + n)
        i, j = xi + n, yj + n


def _fine_merge(base: list, a: list, b: list) -> list | None:
    """A conflicting region merged again: finer alignment, then token by token; None if it still conflicts."""
    if len(base) == len(a) == len(b):
        merged = []
        for z, x, y in zip(base, a, b):
            token = _merge_token(z, x, y)
            if token is None:
                return None
            merged.append(token)
        return merged
    if max(len(base), len(a), len(b)) > FINE_LIMIT or not base:
        return None
    merged = []
    for region in _merge3(base, a, b, autojunk=False):
        kind = region[0]
        if kind == "unchanged":
            merged += base[region[1]:region[2]]
        elif kind in ("edited", "same"):
            merged += a[region[1]:region[2]]
        elif kind == "new":
            merged += b[region[1]:region[2]]
        else:
            _, z0, z1, a0, a1, b0, b1 = region
            if (z1 - z0, a1 - a0, b1 - b0) == (len(base), len(a), len(b)):
                return None  # no finer alignment found
            fine = _fine_merge(base[z0:z1], a[a0:a1], b[b0:b1])
            if fine is None:
                return None
            merged += fine
    return merged


def _merge_token(base, a, b):
    """One token changed on both sides: equal changes, or a start tag whose attributes changed apart."""
    if a == b or b == base:
        return a
    if a == base:
        return b
    if not all(isinstance(t, Tag) and t.kind == "s" for t in (base, a, b)) or not base.name == a.name == b.name:
        return None
    z, x, y = dict(base.attrs), dict(a.attrs), dict(b.attrs)
    attrs = {}
    for key in list(x) + [k for k in y if k not in x]:
        if x.get(key) == y.get(key) or y.get(key) == z.get(key):
            value = x.get(key)
        elif x.get(key) == z.get(key):
            value = y.get(key)
        else:
            return None
        if value is not None:
            attrs[key] = value
    return Tag("s", a.name, tuple(attrs.items()))


def _snippet(tokens: list) -> str:
    parts = []
    for token in tokens:
        if isinstance(token, str):
            parts.append(token)
        elif token.kind == "s":
            attrs = "".join(f' {etree.QName(k).localname}="{v}"' for k, v in token.attrs)
            parts.append(f"<{etree.QName(token.name).localname}{attrs}>")
        elif token.kind == "e":
            parts.append(f"</{etree.QName(token.name).localname}>")
        else:
            parts.append("<!-- -->" if token.kind == "c" else f"<?{token.name}?>")
    text = " ".join("".join(parts).split())
    return text if len(text) <= SNIPPET else text[:SNIPPET - 1] + "…"


def _line_near(merged: list, index: int, edited_tokens: list, edited_lines: list[int]) -> int:
    """The edited file's line nearest to a merged token (by the last edited start tag before it)."""
    positions = {id(t): i for i, t in enumerate(edited_tokens)}
    for token in reversed(merged[:index + 1]):
        if id(token) in positions:
            return edited_lines[positions[id(token)]]
    return 0
