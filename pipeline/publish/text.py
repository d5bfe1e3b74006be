"""An edition's TEI text as HTML, built with lxml (so every string is escaped on output).

Names link to their register entry; dates, numbers and measures show their
normalized value in small caps beside the text; a page break of a scan puts
the page image beside the text that follows it. While rendering, the
occurrences, dates and blocks are collected for the registers, the timeline
and the search index.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field

from lxml import etree
from lxml.html import builder as H

from pipeline.publish.collection import REGISTER_PAGES, Edition
from pipeline.tei import TEI_NS, append_text

NAME_KINDS = {"persName": "person", "placeName": "place", "orgName": "org"}
KIND_LABELS = {"person": "Person", "place": "Place", "org": "Organisation", "vessel": "Vessel"}
BLOCKS = {"p", "head", "item", "bibl"}


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
        self.current_block: str | None = None

    def run(self) -> RenderedText:
        body = self.edition.root.find(f"{{{TEI_NS}}}text/{{{TEI_NS}}}body")
        container = H.DIV(H.CLASS("tei-text"))
        if body is not None:
            if body.find(f"{{{TEI_NS}}}head") is not None:
                self.heading_base = 2
            self.children(body, container, depth=0)
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
                    li.append(H.SPAN(H.CLASS("label"), "".join(label.itertext())))
                    li[-1].tail = " "
                    label = None
                into.append(self.block(child, li))
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
                div = H.DIV(H.CLASS(tag))
                into.append(div)
                for part in child:
                    if isinstance(part.tag, str):
                        div.append(self.block(part, H.P(H.CLASS(etree.QName(part).localname))))
            elif tag == "note":
                into.append(self.block(child, H.E.aside(H.CLASS("note"))))
            elif tag == "fw":
                into.append(self.block(child, H.P(H.CLASS("fw"))))
            elif tag == "pb":
                into.append(H.DIV(self.page_break(child)))
            else:  # anything else the TEI may grow: its text, unstyled
                into.append(self.block(child, H.DIV()))

    def table(self, tei_table):
        """A table of the text: rows of column heads as th, the other rows' cells as td."""
        table = H.TABLE(H.CLASS("tei-table"))
        for row in tei_table.iterfind(f"{{{TEI_NS}}}row"):
            tr = H.TR()
            for cell in row.iterfind(f"{{{TEI_NS}}}cell"):
                heading = row.get("role") == "label" or cell.get("role") == "label"
                tr.append(self.block(cell, H.TH(scope="col") if heading else H.TD()))
            table.append(tr)
        return table

    def block(self, tei_el, html_el):
        html_el.set("id", self.next_id("b"))
        outer, self.current_block = self.current_block, html_el.get("id")
        self.inline(tei_el, html_el)
        self.current_block = outer
        self.out.blocks.append((html_el.get("id"), " ".join("".join(tei_el.itertext()).split())))
        return html_el

    # inline ---------------------------------------------------------------------

    def inline(self, tei_el, html_el) -> None:
        append_text(html_el, tei_el.text)
        for child in tei_el:
            if isinstance(child.tag, str):  # comments and processing instructions leave only their tail
                html_el.append(self.element(child))
            append_text(html_el, child.tail)

    def element(self, el):
        tag = etree.QName(el).localname
        kind = NAME_KINDS.get(tag) or ("vessel" if tag == "name" and el.get("type") == "vessel" else None)
        if kind:
            return self.name(el, kind)
        if tag == "date":
            return self.date(el)
        if tag in ("num", "measure"):
            return self.figure(el, tag)
        if tag == "unclear":
            span = H.SPAN(H.CLASS("unclear"), title=f"uncertain OCR reading (confidence {el.get('cert', '?')})")
        elif tag == "pb":
            return self.page_break(el)
        elif tag == "ref" and el.get("type") == "noteAnchor":
            span = H.SUP(H.CLASS("note-anchor"), title="note marker")
        elif tag == "fw":
            span = H.SPAN(H.CLASS("fw"), title="page number of the original")
        elif tag == "idno":
            span = H.SPAN(H.CLASS("idno"), title="file or document number")
        else:  # lb and anything unknown: the text only
            span = H.SPAN()
        self.inline(el, span)
        return span

    def name(self, el, kind: str):
        ref = (el.get("ref") or "").removeprefix("#") or None
        anchor = self.next_id("o")
        text = " ".join("".join(el.itertext()).split())
        entity = next((e for e in self.edition.entities if e.id == ref), None)
        title = f"{KIND_LABELS[kind]}: {entity.name if entity else text}"
        if ref:
            node = H.A(H.CLASS(f"ent {kind}"), href=f"{self.up}{REGISTER_PAGES[kind]}.html#{ref}", id=anchor, title=title)
        else:
            node = H.SPAN(H.CLASS(f"ent {kind}"), id=anchor, title=title)
        self.inline(el, node)
        self.out.names.append(Occurrence(anchor, text, ref=ref, block=self.current_block))
        return node

    def date(self, el):
        when, start, end = el.get("when"), el.get("from"), el.get("to")
        value = when or f"{start or '…'}–{end or '…'}"
        anchor = self.next_id("o")
        node = H.SPAN(H.CLASS("date"), id=anchor, title=f"Date: {value}")
        self.inline(el, node)
        _append_norm(node, el, value)
        self.out.dates.append(Occurrence(anchor, " ".join("".join(el.itertext()).split()), when=when, start=start, end=end,
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
    if value and value != " ".join("".join(tei_el.itertext()).split()):
        node.append(H.SPAN(H.CLASS("norm"), value))
