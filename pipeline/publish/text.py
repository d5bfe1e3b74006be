"""An edition's TEI text as HTML, built with lxml (so every string is escaped on output).

Names link to their register entry; dates, numbers and measures show their
normalized value in small caps beside the text; a page break of a scan puts
the page image beside the text that follows it. An editor's markup reads as
an edition does: a correction, regularisation or expansion is shown with the
source's reading at hand (on hover or focus, and to screen readers), notes
become numbered notes after the text, highlighting is styled, gaps, supplied,
added and deleted text are marked, other languages carry their ``lang``.
While rendering, the occurrences, dates and blocks (their reading text: the
corrected words, without notes or deletions) are collected for the
registers, the timeline and the search index.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

from lxml import etree
from lxml.html import builder as H

from pipeline.publish.collection import REGISTER_PAGES, Edition
from pipeline.tei import TEI_NS, append_text, joined, reading_text, shown_reading

NAME_KINDS = {"persName": "person", "placeName": "place", "orgName": "org"}
KIND_LABELS = {"person": "Person", "place": "Place", "org": "Organisation", "vessel": "Vessel"}
BLOCKS = {"p", "head", "item", "bibl"}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
# choice: the reading shown, the alternatives it stands for, and how the alternative is introduced
ALTERNATIVE_LABELS = {"corr": ("sic", "the source reads"), "reg": ("orig", "original spelling"), "expan": ("abbr", "abbreviated")}
REND_CLASS = re.compile(r"[^a-z0-9-]")
LINES = {"dateline", "salute", "signed", "byline", "fw", "ab"}  # blocks shown as a line of their own


@dataclass
class Occurrence:
    anchor: str  # id of the element in the edition's page
    text: str
    ref: str | None = None  # register entry (names)
    when: str | None = None  # dates: @when, or @from..@to
    start: str | None = None
    end: str | None = None
    block: str | None = None  # id of the block (paragraph, heading, item) it stands in


@dataclass
class RenderedText:
    html: str
    names: list[Occurrence] = field(default_factory=list)
    dates: list[Occurrence] = field(default_factory=list)
    blocks: list[tuple[str, str]] = field(default_factory=list)  # (anchor, text) for the search index
    page_breaks: list[tuple[str, str]] = field(default_factory=list)  # (page number, anchor)


def render_text(edition: Edition, page_dir: str, image_href) -> RenderedText:
    """The edition's body as HTML for a page in ``page_dir`` (relative to the site root)."""
    return _Renderer(edition, page_dir, image_href).run()


class _Renderer:
    def __init__(self, edition: Edition, page_dir: str, image_href):
        self.edition = edition
        self.up = os.path.relpath(".", page_dir).replace(os.sep, "/") + "/"
        self.image_href = image_href  # Page -> href relative to the site root, or None
        self.out = RenderedText("")
        self.counter = 0
        self.heading_base = 1  # h1 is the page's title; the text's own title (a body-level head) is h2
        self.page_ids: set[str] = set()  # a repeated page number gets a counter id instead
        self.notes: list = []  # (marker, html li) of notes in the running text, listed after it
        self.anchors: dict[str, str] = {}  # xml:id -> HTML id, for ref/@target links inside the text
        self.current_block: str | None = None

    def run(self) -> RenderedText:
        body = self.edition.root.find(f"{{{TEI_NS}}}text/{{{TEI_NS}}}body")
        container = H.DIV(H.CLASS("tei-text"))
        if body is not None:
            if body.find(f"{{{TEI_NS}}}head") is not None:
                self.heading_base = 2
            for el in body.iter(f"{{{TEI_NS}}}*"):
                if el.get(XML_ID):
                    self.anchors[el.get(XML_ID)] = "t-" + REND_CLASS.sub("-", el.get(XML_ID).lower())
            self.children(body, container, depth=0)
            if self.notes:
                container.append(self.note_list())
        self.out.html = etree.tostring(container, method="html", encoding="unicode")
        return self.out

    def next_id(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}{self.counter}"

    # structure ------------------------------------------------------------------

    def children(self, parent, into, depth: int) -> None:
        label = None
        for child in parent:
            if not isinstance(child.tag, str):
                continue
            tag = etree.QName(child).localname
            if tag == "div":
                section = H.E.section()
                into.append(section)
                self.children(child, section, depth + 1)
            elif tag == "head":
                level = min(6, self.heading_base + depth)
                into.append(self.block(child, H.E(f"h{level}")))
            elif tag == "p":
                into.append(self.block(child, H.P()))
            elif tag in ("list", "listBibl"):
                css = "bibl" if tag == "listBibl" else child.get("type") or "bulleted"
                ul = H.UL(H.CLASS(css))
                into.append(ul)
                self.children(child, ul, depth)
            elif tag == "label":
                label = child
            elif tag in ("item", "bibl"):
                li = H.LI()
                if label is not None:
                    span = H.SPAN(H.CLASS("label"))
                    self.inline(label, span)
                    li.append(span)
                    li[-1].tail = " "
                    label = None
                into.append(self.block(child, li))
            elif tag == "note":  # a note between blocks: an endnote, with its number
                aside = H.E.aside(H.CLASS("note"))
                if child.get("n") and not (child.text or "").lstrip().startswith(child.get("n")):
                    aside.append(H.SPAN(H.CLASS("note-n"), child.get("n")))
                    aside[-1].tail = " "
                if any(isinstance(c.tag, str) and etree.QName(c).localname in ("p", "list", "table") for c in child):
                    self.identify(child, aside)
                    self.children(child, aside, depth)
                    into.append(aside)
                else:
                    into.append(self.block(child, aside))
            elif tag == "table":
                into.append(self.table(child))
            elif tag == "sp":
                div = H.DIV(H.CLASS("sp"))
                into.append(div)
                for part in child:
                    if isinstance(part.tag, str):
                        local = etree.QName(part).localname
                        div.append(self.block(part, H.SPAN(H.CLASS("speaker")) if local == "speaker" else H.P()))
            elif tag in ("opener", "closer"):
                into.append(self.letter_part(child, tag))
            elif tag == "figure":
                into.append(self.figure_block(child))
            elif tag in LINES:  # a dateline, salute, signature, byline, page furniture or anonymous block
                into.append(self.block(child, H.P(H.CLASS(tag))))
            elif tag == "pb":
                into.append(H.DIV(self.page_break(child)))
            else:  # anything else the TEI may grow: its text, unstyled
                into.append(self.block(child, H.DIV()))

    def letter_part(self, el, tag: str):
        """A letter's opener or closer: its dateline, salute and signature each a line; loose words a line too."""
        div = H.DIV(H.CLASS(tag))
        self.identify(el, div)
        loose = None
        if el.text and el.text.strip():
            loose = H.P()
            append_text(loose, el.text)
            div.append(loose)
        for part in el:
            if isinstance(part.tag, str) and etree.QName(part).localname in LINES:
                div.append(self.block(part, H.P(H.CLASS(etree.QName(part).localname))))
                loose = None
            elif isinstance(part.tag, str):
                if loose is None:
                    loose = H.P()
                    div.append(loose)
                loose.append(self.element(part))
            if part.tail and part.tail.strip():
                if loose is None:
                    loose = H.P()
                    div.append(loose)
                append_text(loose, part.tail)
        return div

    def table(self, el):
        """A table of the text: its head as caption, rows of column heads as th, the other rows' cells as td."""
        table = H.TABLE(H.CLASS("tei-table"))
        self.identify(el, table)
        head = el.find(f"{{{TEI_NS}}}head")
        if head is not None:
            caption = H.E.caption()
            self.inline(head, caption)
            table.append(caption)
        for row in el.iterfind(f"{{{TEI_NS}}}row"):
            tr = H.TR()
            for cell in row.iterfind(f"{{{TEI_NS}}}cell"):
                heading = "label" in (cell.get("role"), row.get("role"))
                td = H.TH(scope="col") if heading else H.TD()
                for attr in ("rows", "cols"):
                    if (cell.get(attr) or "1") != "1":
                        td.set("rowspan" if attr == "rows" else "colspan", cell.get(attr))
                tr.append(self.block(cell, td))
            table.append(tr)
        return table

    def figure_block(self, el):
        figure = H.E.figure(H.CLASS("tei-figure"))
        self.identify(el, figure)
        caption = H.E.figcaption()
        for part in el:
            if isinstance(part.tag, str) and etree.QName(part).localname in ("head", "figDesc"):
                span = H.SPAN(H.CLASS(etree.QName(part).localname))
                self.inline(part, span)
                caption.append(span)
                caption[-1].tail = " "
        if len(caption):
            figure.append(caption)
        return figure

    def identify(self, tei_el, html_el) -> None:
        """The HTML id of an element others point to (its xml:id), and its language."""
        if tei_el.get(XML_ID) in self.anchors and not html_el.get("id"):
            html_el.set("id", self.anchors[tei_el.get(XML_ID)])
        if tei_el.get(XML_LANG):
            html_el.set("lang", tei_el.get(XML_LANG))

    def block(self, tei_el, html_el):
        self.identify(tei_el, html_el)
        if not html_el.get("id"):
            html_el.set("id", self.next_id("b"))
        outer, self.current_block = self.current_block, html_el.get("id")
        self.inline(tei_el, html_el)
        self.current_block = outer
        self.out.blocks.append((html_el.get("id"), " ".join(reading_text(tei_el).split())))
        return html_el

    # inline ---------------------------------------------------------------------

    def inline(self, tei_el, html_el) -> None:
        append_text(html_el, tei_el.text)
        for child in tei_el:
            in_word = child.tag == f"{{{TEI_NS}}}lb" and child.get("break") == "no"
            if in_word:
                _rejoin(html_el, child)  # a word broken over two lines reads joined
            if isinstance(child.tag, str):  # comments and processing instructions leave only their tail
                html_el.append(self.element(child))
            append_text(html_el, (child.tail or "").lstrip() if in_word else child.tail)

    def element(self, el):
        node = self._element(el)
        self.identify(el, node)
        return node

    def _element(self, el):
        tag = etree.QName(el).localname
        kind = NAME_KINDS.get(tag) or ("vessel" if tag == "name" and el.get("type") == "vessel" else None)
        if tag == "rs" and el.get("type") in KIND_LABELS:
            kind = el.get("type")
        if kind:
            return self.name(el, kind)
        if tag == "date":
            return self.date(el)
        if tag in ("num", "measure"):
            return self.figure(el, tag)
        if tag == "pb":
            return self.page_break(el)
        if tag == "choice":
            return self.choice(el)
        if tag == "note":
            return self.note_marker(el)
        if tag == "ref":
            return self.reference(el)
        span = self.editorial(el, tag)
        self.inline(el, span)
        if tag == "supplied":  # the editor's words, in brackets
            append_text(span, "]")
            span.text = "[" + (span.text or "")
        return span

    def editorial(self, el, tag: str):
        """The HTML element for a phrase-level element, before its content goes in."""
        if tag == "unclear":
            if el.get("reason") == "ocr":
                return H.SPAN(H.CLASS("unclear"), title=f"uncertain OCR reading (confidence {el.get('cert', '?')})")
            why = f" ({el.get('reason')})" if el.get("reason") else ""
            return H.SPAN(H.CLASS("unclear"), title=f"unclear in the source{why}")
        if tag == "hi":
            rends = [REND_CLASS.sub("", r.lower()) for r in (el.get("rend") or "").split()]
            return H.SPAN(H.CLASS(" ".join(["hi"] + [f"r-{r}" for r in rends if r])))
        if tag == "foreign":
            return H.SPAN(H.CLASS("foreign"))
        if tag == "title":
            return H.E.cite()
        if tag == "add":
            where = f" ({el.get('place')})" if el.get("place") else ""
            return H.E.ins(H.CLASS("add"), title=f"added in the source{where}")
        if tag == "del":
            return H.E("del", H.CLASS("del"), title="deleted in the source")
        if tag == "supplied":
            why = f": {el.get('reason')}" if el.get("reason") else ""
            return H.SPAN(H.CLASS("supplied"), title=f"supplied by the editor{why}")
        if tag == "sic":
            return H.SPAN(H.CLASS("sic"), title="so in the source")
        if tag in ("corr", "reg", "expan"):
            return H.SPAN(H.CLASS(tag), title={"corr": "corrected by the editor", "reg": "regularised by the editor",
                                               "expan": "expanded by the editor"}[tag])
        if tag == "abbr":
            return H.E.abbr()
        if tag == "gap":
            extent = " ".join(v for v in (el.get("quantity"), el.get("unit")) if v)
            why = ", ".join(v for v in (el.get("reason"), extent) if v)
            span = H.SPAN(H.CLASS("gap"), title=f"text left out{': ' + why if why else ''}")
            span.text = "[…]"
            return span
        if tag == "fw":
            return H.SPAN(H.CLASS("fw"), title="page number of the original")
        if tag == "idno":
            return H.SPAN(H.CLASS("idno"), title="file or document number")
        return H.SPAN()  # lb, seg and anything unknown: the text only

    def reference(self, el):
        """A cross reference or a note's marker, linked where it points into the text or to the web."""
        target = (el.get("target") or "").split()
        href = target[0] if target else ""
        link = None
        if href.startswith("#") and href[1:] in self.anchors:
            link = H.A(H.CLASS("ref"), href=f"#{self.anchors[href[1:]]}")
        elif href.startswith(("http://", "https://")):
            link = H.A(H.CLASS("ref"), href=href)
        marker = H.SUP(H.CLASS("note-anchor"), title="note marker") if el.get("type") == "noteAnchor" else None
        holder = link if link is not None else marker if marker is not None else H.SPAN(H.CLASS("ref"))
        self.inline(el, holder)
        if marker is not None and link is not None:
            marker.append(link)
        return marker if marker is not None else holder

    def choice(self, el):
        """A correction (regularisation, expansion) shown, the source's reading at hand."""
        shown = shown_reading(el) if len(el) else None
        if shown is None:
            return H.SPAN()
        tag = etree.QName(shown).localname
        node = self.editorial(shown, tag)
        node.set("class", f"choice {node.get('class', '')}".strip())
        self.inline(shown, node)
        alternatives = [c for c in el if isinstance(c.tag, str) and c is not shown]
        if alternatives and tag in ALTERNATIVE_LABELS:
            _, intro = ALTERNATIVE_LABELS[tag]
            source = " ".join(reading_text(alternatives[0]).split())
            node.set("title", f"{node.get('title')}; {intro}: {source}")
            node.set("tabindex", "0")  # keyboard and touch users reach the source's reading too
            node.append(H.SPAN(H.CLASS("alt"), f" [{intro}: {source}]"))
        return node

    def note_marker(self, el):
        """A note in the running text: a numbered marker here, the note itself after the text."""
        number = len(self.notes) + 1
        marker = el.get("n") or str(number)
        note_id, ref_id = f"note-{number}", f"note-ref-{number}"
        li = H.LI(id=self.anchors.get(el.get(XML_ID)) or note_id)
        if el.get(XML_LANG):
            li.set("lang", el.get(XML_LANG))
        li.append(H.SPAN(H.CLASS("note-n"), marker))
        li[-1].tail = " "
        if el.get("type") == "editorial" or el.get("resp"):
            li.append(H.SPAN(H.CLASS("note-kind"), "Editor’s note:"))
            li[-1].tail = " "
        self.inline(el, li)
        li.append(H.A(H.CLASS("back"), "↩", href=f"#{ref_id}", title="back to the text"))
        self.notes.append((marker, li))
        return H.E.sup(H.CLASS("note-ref"), H.A(marker, href=f"#{li.get('id')}", id=ref_id,
                                                title=f"note {marker}", role="doc-noteref"))

    def note_list(self):
        section = H.E.section(H.CLASS("notes"), **{"aria-labelledby": "notes-title"})
        section.append(H.E.h2("Notes", id="notes-title"))
        ol = H.OL()
        for _, li in self.notes:
            ol.append(li)
        section.append(ol)
        return section

    def name(self, el, kind: str):
        ref = ((el.get("ref") or "").split() or [""])[0].removeprefix("#") or None
        anchor = self.next_id("o")
        text = " ".join(reading_text(el).split())
        entity = next((e for e in self.edition.entities if e.id == ref), None)
        title = f"{KIND_LABELS[kind]}: {entity.name if entity else text}"
        if el.get("cert"):
            title += f" (certainty: {el.get('cert')})"
        if ref:
            node = H.A(H.CLASS(f"ent {kind}"), href=f"{self.up}{REGISTER_PAGES[kind]}.html#{ref}", id=anchor, title=title)
        else:
            node = H.SPAN(H.CLASS(f"ent {kind}"), id=anchor, title=title)
        self.inline(el, node)
        self.out.names.append(Occurrence(anchor, text, ref=ref, block=self.current_block))
        return node

    def date(self, el):
        when = el.get("when")
        start, end = el.get("from") or el.get("notBefore"), el.get("to") or el.get("notAfter")
        value = when or f"{start or '…'}–{end or '…'}"
        anchor = self.next_id("o")
        node = H.SPAN(H.CLASS("date"), id=anchor, title=f"Date: {value}")
        self.inline(el, node)
        _append_norm(node, el, value)
        self.out.dates.append(Occurrence(anchor, " ".join(reading_text(el).split()), when=when, start=start, end=end,
                                         block=self.current_block))
        return node

    def figure(self, el, tag: str):
        if tag == "num":
            value = el.get("value", "")
        else:
            value = f"{el.get('quantity', '')} {el.get('unit', '')}".strip()
        node = H.SPAN(H.CLASS(tag), title=f"{'Number' if tag == 'num' else 'Measure'}: {value}")
        self.inline(el, node)
        _append_norm(node, el, value)
        return node

    def page_break(self, el):
        page = self.edition.pages.get((el.get("facs") or "").removeprefix("#"))
        n = el.get("n") or (page.n if page else "")
        anchor = f"page-{n}" if n and f"page-{n}" not in self.page_ids else self.next_id("pb")
        self.page_ids.add(anchor)
        self.out.page_breaks.append((n, anchor))
        marker = H.SPAN(H.CLASS("pb"), id=anchor)
        href = self.image_href(page) if page else None
        if href:
            img = H.IMG(src=self.up + href, alt=f"Scan of page {n}", loading="lazy")
            if page.width and page.height:
                img.set("width", page.width)
                img.set("height", page.height)
            marker.append(H.A(H.CLASS("facs"), img, href=self.up + href))
        marker.append(H.SPAN(H.CLASS("pbn"), f"Page {n}"))
        return marker


def _append_norm(node, tei_el, value: str) -> None:
    """The normalized value, shown after the text it normalizes unless it says the same."""
    if value and value != " ".join(reading_text(tei_el).split()):
        node.append(H.SPAN(H.CLASS("norm"), value))


def _rejoin(html_el, lb) -> None:
    """The HTML so far without the line end before ``lb`` (a break inside a word): its whitespace, a soft hyphen."""
    if len(html_el):
        html_el[-1].tail = joined(html_el[-1].tail or "", lb)
    else:
        html_el.text = joined(html_el.text or "", lb)
