"""TEI: a Document to TEI P5 XML. The only place TEI is built.

Deterministic: the same Document and Settings give the same bytes. Dates in
the file come from settings.edition_date (or the source's own date, which the
caller resolves into it), never from the clock.
"""
from __future__ import annotations

from dataclasses import replace

from lxml import etree

from pipeline import __version__
from pipeline.config import Settings
from pipeline.model import Block, CatalogueRecord, Document, Entity, Milestone, Span
from pipeline.validate import xml_model_declarations

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
LANGUAGE_NAMES = {"en": "English", "ru": "Russian", "ja": "Japanese", "zh": "Chinese",
                  "ko": "Korean", "de": "German", "fr": "French"}
NAME_ELEMENTS = {"person": "persName", "place": "placeName", "org": "orgName", "vessel": "name"}
REGISTER = (  # kind, list element, entry element
    ("person", "listPerson", "person"),
    ("place", "listPlace", "place"),
    ("org", "listOrg", "org"),
    ("vessel", "listObject", "object"),
)


def E(tag: str, *children, **attrs) -> etree._Element:
    """A TEI element; str children become text, attrs with None values are left out."""
    el = etree.Element(f"{{{TEI_NS}}}{tag}", nsmap={None: TEI_NS})
    for key, value in attrs.items():
        if value is not None:
            el.set({"xml_id": XML_ID, "xml_lang": XML_LANG}.get(key, key.rstrip("_")), str(value))
    for child in children:
        if isinstance(child, str):
            append_text(el, child)
        elif child is not None:
            el.append(child)
    return el


def edition_id(doc: Document, settings: Settings) -> str:
    return f"{settings.id_prefix}{doc.source.stem}-{doc.source.sha256[:12]}"


def build_tei(doc: Document, settings: Settings) -> bytes:
    root = E("TEI", _header(doc, settings))
    root.set(XML_LANG, doc.languages[0])
    if doc.pages:
        root.append(_facsimile(doc))
    if doc.entities:
        root.append(_standoff(doc.entities))
    text = E("text", _body(doc.blocks))
    root.append(text)
    for el in root[:-1]:
        etree.indent(el, space=" ", level=1)
    _indent_structure(root, 0)
    for declaration in xml_model_declarations():  # the schemas, for editors that validate on open
        root.addprevious(declaration)
    return etree.tostring(root.getroottree(), xml_declaration=True, encoding="UTF-8", pretty_print=True)


# --- header -----------------------------------------------------------------

def _header(doc: Document, settings: Settings) -> etree._Element:
    src = doc.source
    date = settings.edition_date
    bibl = E(
        "bibl",
        E("title", doc.title),
        E("idno", src.name, type="filename"),
        E("idno", src.sha256, type="SHA-256"),
        E("extent", E("measure", f"{src.size} bytes", unit="byte", quantity=src.size)),
        E("note", src.media_type, type="mediaType"),
        E("note", src.encoding, type="encoding") if src.encoding else None,
        E("note", f"{len(src.files)} page images", type="pages") if src.files else None,
        E("note", doc.ocr["text_layer"], type="textLayer") if doc.ocr.get("text_layer") else None,
        type=src.kind,
    )
    record = doc.catalogue
    file_desc = E(
        "fileDesc",
        E("titleStmt", E("title", doc.title), E("author", record.creator) if record and record.creator else None),
        E(
            "publicationStmt",
            E("publisher", settings.publisher),
            E("idno", edition_id(doc, settings), type="URI"),
            E("availability", E("licence", settings.licence, target=settings.licence_url),
              E("p", record.rights) if record and record.rights else None),
            E("date", date, when=date) if date else None,
        ),
        E("sourceDesc", bibl, _described(doc.title, record) if record else None),
    )
    applications = [E("application", E("label", "archive-pipeline"), ident="archive-pipeline", version=__version__)]
    for name, version in sorted(doc.tools.items()):
        app = E("application", E("label", name), ident=name, version=version)
        if name == "tesseract" and doc.ocr:
            for key, value in sorted(doc.ocr.items()):
                app.append(E("p", f"{key}: {value}"))
        applications.append(app)
    encoding_desc = E("encodingDesc", E("appInfo", *applications))
    profile = E(
        "profileDesc",
        E("creation", _date(record.date)) if record and record.date else None,
        E("langUsage", *[E("language", LANGUAGE_NAMES.get(code, code), ident=code) for code in doc.languages]),
    )
    revisions = E("revisionDesc", *[E("change", line, when=date) for line in doc.changes])
    header = E("teiHeader", file_desc, encoding_desc, profile)
    if doc.changes:
        header.append(revisions)
    return header


def _described(title: str, record: CatalogueRecord) -> etree._Element:
    """The document itself, as the catalogue describes it: an msDesc where the record says where the
    document is held (repository, collection or shelfmark), a bibl for printed works or where it does not."""
    author = E("author", record.creator) if record.creator else None
    notes = E("note", record.notes) if record.notes else None
    held = record.repository or record.collection or record.idno
    if record.type == "printed" or not held:
        holding = ", ".join(x for x in (record.repository, record.collection) if x)
        return E("bibl", author, E("title", title), _date(record.date) if record.date else None,
                 E("idno", record.idno, type="shelfmark") if record.idno else None,
                 E("note", holding, type="holding") if holding else None, notes, type=record.type)
    languages = [E("textLang", mainLang=record.languages[0],
                   otherLangs=" ".join(record.languages[1:]) or None)] if record.languages else []
    return E(
        "msDesc",
        E("msIdentifier",
          E("repository", record.repository) if record.repository else None,
          E("collection", record.collection) if record.collection else None,
          E("idno", record.idno, type="shelfmark") if record.idno else None),
        E("msContents", E("msItem", author, E("title", title), *languages, notes)),
        E("history", E("origin", _date(record.date, "origDate"))) if record.date else None,
    )


def _date(value: str, tag: str = "date") -> etree._Element:
    """A catalogue date (ISO 8601, or a range A/B) as @when or @from/@to, with the value as its text."""
    start, end = value.split("/") if "/" in value else (value, None)
    return E(tag, value.replace("/", "–"), when=None if end else start, from_=start if end else None, to=end)


# --- facsimile and registers ------------------------------------------------

def _facsimile(doc: Document) -> etree._Element:
    facsimile = E("facsimile")
    for page in doc.pages:
        surface = E("surface", xml_id=page.id, n=page.n, ulx=0, uly=0, lrx=page.width, lry=page.height)
        surface.append(E("graphic", url=page.image, width=f"{page.width}px", height=f"{page.height}px"))
        if page.alto:
            surface.append(E("media", url=page.alto, mimeType="application/xml", type="alto"))
        for z in page.zones:
            surface.append(E("zone", xml_id=z.id, ulx=z.ulx, uly=z.uly, lrx=z.lrx, lry=z.lry))
        facsimile.append(surface)
    return facsimile


def _standoff(entities: list[Entity]) -> etree._Element:
    standoff = E("standOff")
    for kind, list_tag, entry_tag in REGISTER:
        members = sorted((e for e in entities if e.kind == kind), key=lambda e: e.id)
        if members:
            standoff.append(E(list_tag, *[_entry(e, entry_tag) for e in members]))
    return standoff


def _entry(entity: Entity, entry_tag: str) -> etree._Element:
    ids = [E("idno", value, type=kind) for kind, value in (("wikidata", entity.wikidata), ("geonames", entity.geonames)) if value]
    if entry_tag == "object":  # TEI identifies an object inside objectIdentifier: its names and ids
        return E(entry_tag, E("objectIdentifier", E("objectName", entity.name),
                              *[E("objectName", v, type="variant") for v in entity.variants], *ids), xml_id=entity.id)
    name_tag = NAME_ELEMENTS[entity.kind]
    names = [E(name_tag, entity.name)] + [E(name_tag, v, type="variant") for v in entity.variants]
    return E(entry_tag, *names, *ids, xml_id=entity.id)


# --- text ---------------------------------------------------------------------

# Consecutive blocks of these kinds share one container element: (kind or zone) -> (tag, type)
RUNS = {"item": ("list", None), "bibl": ("listBibl", None), "field": ("list", "gloss"), "row": ("table", None),
        "opener": ("opener", None), "closer": ("closer", None)}
LETTER_PARTS = {"dateline": "dateline", "salute": "salute", "signed": "signed"}


def _body(blocks: list[Block]) -> etree._Element:
    body = E("body")
    stack: list[tuple[float, etree._Element]] = [(0, body)]  # (depth, container): divs opened by headings
    run = None  # (container element, run key) while consecutive blocks of one run go on
    openers = [i for i, b in enumerate(blocks) if b.zone == "opener" and (i == 0 or blocks[i - 1].zone != "opener")]
    for i, block in enumerate(blocks):
        if block.kind == "head" and block.depth >= 1:
            while stack[-1][0] >= block.depth or stack[-1][0] % 1:  # a heading also ends a letter
                stack.pop()
            div = E("div", type="section" if block.depth == 1 else "subsection")
            stack[-1][1].append(div)
            stack.append((block.depth, div))
            run = None
        if i in openers and (len(openers) > 1 or any(etree.QName(c).localname != "head" for c in stack[-1][1])):
            # a letter that does not open its section, or one of several: a div of its own
            if stack[-1][0] % 1:
                stack.pop()
            letter = E("div", type="letter")
            stack[-1][1].append(letter)
            stack.append((stack[-1][0] + 0.5, letter))
            run = None
        container = stack[-1][1]
        key = block.zone or block.kind
        if key in RUNS:
            tag, list_type = RUNS[key]
            if key == "item":
                list_type = "ordered" if block.label else "bulleted"
            # TEI's list holds items, or label + item pairs, never both: a change of kind starts a new list
            run_key = (key, bool(block.label)) if tag == "list" else key
            if run is None or run[1] != run_key or run[0].getparent() is not container:
                el = E(tag, type=list_type)
                container.append(el)
                run = (el, run_key)
            _run_member(run[0], block)
            continue
        run = None
        if block.kind == "fw":
            container.append(E("pb", n=block.n))
            container.append(_inline(E("fw", type="pageNum"), block))
        elif block.kind == "note":
            container.append(_inline(E("note", n=block.n, place="end", type="endnote"), block, block.label))
        elif block.kind == "caption":  # the picture where it stands in the text, its caption as its head
            container.append(E("figure", _inline(E("head"), block), facs=f"#{block.figure}" if block.figure else None))
        elif block.kind == "figure":
            container.append(E("figure", facs=f"#{block.figure}"))
        elif block.speaker:
            container.append(E("sp", E("speaker", block.speaker), _inline(E("p"), block)))
        else:
            container.append(_inline(E("head" if block.kind == "head" else "p"), block))
    if all(child.tag in (f"{{{TEI_NS}}}head", f"{{{TEI_NS}}}figure") for child in body):
        body.append(E("p"))  # TEI's body needs more than a heading
    return body


def _run_member(run: etree._Element, block: Block) -> None:
    """Add one block to the list, table, opener or closer it belongs to."""
    if block.kind == "row":
        row = E("row", role="label" if block.header else None)
        for start, end in block.cells:
            row.append(_inline(E("cell"), block, span=(start, end)))
        run.append(row)
    elif block.kind in LETTER_PARTS:
        run.append(_inline(E(LETTER_PARTS[block.kind]), block))
    elif block.kind == "bibl":  # a listBibl holds no labels: an entry's number ("[1]") opens its text
        run.append(_inline(E("bibl", n=block.n), block, block.label))
    else:
        if block.label:  # a line read from a page begins at its label
            starts = [m for m in block.milestones if m.offset == 0]
            run.append(E("label", *map(_milestone_element, starts), block.label))
            block = replace(block, milestones=[m for m in block.milestones if m.offset])
        run.append(_inline(E("item", n=block.n), block))


def _inline(el: etree._Element, block: Block, prefix: str | None = None,
            span: tuple[int, int] | None = None) -> etree._Element:
    """Fill ``el`` with the block's text (``prefix`` first, e.g. a note's number), its spans, passages in
    another language, unclear words and milestones; with ``span``, only the text between those offsets (a
    table cell). Spans, passages and unclear words nest in that order (a name holds a foreign word, which
    holds unclear letters); an inner range crossing an outer one's edge is cut there into two elements."""
    if block.lang:
        el.set(XML_LANG, block.lang)
    if prefix:
        append_text(el, prefix + " ")
    lo, hi = span or (0, len(block.text))
    text = block.text[:hi]

    text_only = [s for s in block.spans if s.kind in TEXT_ONLY]

    def within(items, in_text_only=True):
        return sorted((i for i in items if lo <= i.start and i.end <= hi
                       and (in_text_only or not any(i.start < s.end and s.start < i.end for s in text_only))),
                      key=lambda i: i.start)

    layers = [(within(items, in_text_only), make) for items, make, in_text_only in (
        (block.spans, _span_element, True),
        (block.foreign, lambda f: E("foreign", xml_lang=f.lang), False),
        (block.unclear, lambda u: E("unclear", reason="ocr", cert=f"{u.cert:.2f}"), False),
    )]
    milestones = sorted((m for m in block.milestones if lo <= m.offset < hi or m.offset == hi == len(block.text)),
                        key=lambda m: m.offset)
    cuts = {lo, hi}
    for items, _ in layers:
        for item in items:
            cuts.update((item.start, item.end))
    cuts.update(m.offset for m in milestones)
    cuts = sorted(c for c in cuts if lo <= c <= hi)

    positions = [0] * len(layers)  # per layer, the first item not yet passed
    opened: list[tuple[object, etree._Element] | None] = [None] * len(layers)  # (item, element) per layer
    mi = 0
    for a, b in zip(cuts, cuts[1:] + [None]):
        active = []
        for k, (items, _) in enumerate(layers):
            while positions[k] < len(items) and items[positions[k]].end <= a:
                positions[k] += 1
            item = items[positions[k]] if positions[k] < len(items) else None
            active.append(item if item is not None and item.start <= a < item.end else None)
        # the first layer whose item changes here closes, with every layer inside it
        changed = next((k for k in range(len(layers))
                        if active[k] is not (opened[k][0] if opened[k] else None)), len(layers))
        for k in range(changed, len(layers)):
            opened[k] = None
        # milestones at this offset sit in whatever element continues across it
        holder = next((o[1] for o in reversed(opened) if o is not None), el)
        here = []
        while mi < len(milestones) and milestones[mi].offset <= a:
            here.append(milestones[mi])
            mi += 1
        in_word = next((m for m in here if m.in_word), None)
        if in_word:  # the line's end as the page shows it, before any break at this point
            append_text(holder, ("-" if in_word.soft_hyphen else "") + "\n")
        holder.extend(map(_milestone_element, here))
        if b is None:
            break
        parent = holder
        for k in range(changed, len(layers)):
            if active[k] is not None:
                if k == 0 and active[k].kind == "page-number":  # the page begins at its marker
                    parent.append(E("pb", n=active[k].attrs.get("n")))
                child = layers[k][1](active[k])
                parent.append(child)
                opened[k] = (active[k], child)
                parent = child
        append_text(parent, text[a:b])
    return el


# Spans whose element holds text alone (TEI's <idno>): a passage or an unsure word in one is not marked.
TEXT_ONLY = ("identifier",)

# <lb break="no"> ends a line inside a word: the text before it keeps the page's hyphen, then a newline (which,
# by break="no", is no space between words). A soft hyphen only breaks the word: the reading leaves it out.
SOFT_HYPHEN = "softHyphen"


def joined(before: str, lb: etree._Element) -> str:
    """The text before ``lb`` as the word reads across it: at a break inside a word, without the whitespace
    before it, and without a soft hyphen."""
    if lb.get("break") != "no":
        return before
    before = before.rstrip()
    if lb.get("type") == SOFT_HYPHEN and before.endswith("-"):
        before = before[:-1]
    return before


def _milestone_element(m: Milestone) -> etree._Element:
    return E(m.kind, n=m.n, facs=f"#{m.facs}" if m.facs else None, break_="no" if m.in_word else None,
             type=SOFT_HYPHEN if m.soft_hyphen else None)


def _span_element(span: Span) -> etree._Element:
    attrs = span.attrs
    if span.kind in NAME_ELEMENTS:
        ref = f"#{attrs['ref']}" if attrs.get("ref") else None
        return E(NAME_ELEMENTS[span.kind], ref=ref, type="vessel" if span.kind == "vessel" else None)
    if span.kind == "date":
        return E("date", when=attrs.get("when"), from_=attrs.get("from"), to=attrs.get("to"))
    if span.kind == "time":
        return E("time", when=attrs.get("when"))
    if span.kind == "num":
        return E("num", value=attrs.get("value"))
    if span.kind == "measure":
        return E("measure", quantity=attrs.get("quantity"), unit=attrs.get("unit"))
    if span.kind == "note-anchor":
        return E("ref", type="noteAnchor", n=attrs.get("n"))
    if span.kind == "page-number":
        return E("fw", type="pageNum")
    if span.kind == "identifier":
        return E("idno", type=attrs.get("type", "file"))
    if span.kind == "reference":
        return E("ref", type="crossReference")
    raise ValueError(f"unknown span kind {span.kind!r}")


STRUCTURAL = {f"{{{TEI_NS}}}{tag}" for tag in ("TEI", "text", "body", "div", "list", "listBibl", "table", "row",
                                               "sp", "opener", "closer")}


def _indent_structure(el: etree._Element, level: int) -> None:
    """Line breaks between structural elements only: mixed content stays untouched."""
    if el.tag not in STRUCTURAL or not len(el):
        return
    el.text = "\n" + " " * (level + 1)
    for child in el:
        child.tail = "\n" + " " * (level + 1)
        _indent_structure(child, level + 1)
    el[-1].tail = "\n" + " " * level


def append_text(el: etree._Element, text: str | None) -> None:
    """Add text at the end of el's content: its text, or the tail of its last child."""
    if not text:
        return
    try:  # el[-1] is O(1) where lxml's len() walks every child, which made long lines quadratic
        last = el[-1]
    except IndexError:
        el.text = (el.text or "") + text
    else:
        last.tail = (last.tail or "") + text


# --- reading ------------------------------------------------------------------------

READINGS = ("corr", "reg", "expan")  # in a choice, the reading an edition shows (over sic, orig, abbr)
NOT_READ = {"note", "del", "fw"}  # apparatus, deletions and page furniture are not part of the reading text


def reading_text(el) -> str:
    """The text of a TEI element as the edition reads: corrected, regularised, expanded; no notes or deletions."""
    parts = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str):
            tag = etree.QName(child).localname
            if tag == "lb" and child.get("break") == "no":
                parts = [joined("".join(parts), child)]
                parts.append((child.tail or "").lstrip())
                continue
            if tag == "choice":
                parts.append(reading_text(shown_reading(child)) if len(child) else "")
            elif tag not in NOT_READ:
                parts.append(reading_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def shown_reading(choice):
    """The child of a choice that is shown: corr, reg or expan where there is one, else the first."""
    children = [c for c in choice if isinstance(c.tag, str)]
    for child in children:
        if etree.QName(child).localname in READINGS:
            return child
    return children[0]
