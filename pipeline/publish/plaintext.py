"""An edition's text without markup: the plain-text download, and a scan's lines for the line view.

Two readings of the same TEI. The plain text is the edited reading (a
correction rather than the error it corrects, editors' notes left out); the
lines are what stands on the page (the error as written), each line the text
from one ``<lb facs>`` to the next, keyed by its zone on the page image.
"""
from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

from pipeline.tei import TEI_NS, joined

T = f"{{{TEI_NS}}}"
BLOCKS = {f"{T}{tag}" for tag in ("head", "p", "item", "bibl", "label")}
NOT_TEXT = {f"{T}note"}  # editors' additions, not the document's text
EDITED = {f"{T}{tag}" for tag in ("corr", "reg", "expan")}  # inside <choice>: the editor's reading
AS_WRITTEN = {f"{T}{tag}" for tag in ("sic", "orig", "abbr")}  # inside <choice>: the page's


def plain_text(root: etree._Element) -> str:
    """The body as plain text: one block a paragraph, a list item's label before it, ``[Page n]`` at page breaks."""
    body = root.find(f"{T}text/{T}body")
    if body is None:
        return ""
    paragraphs: list[str] = []
    current: list[str] = []

    def flush():
        text = " ".join("".join(current).split())
        if text:
            paragraphs.append(text)
        current.clear()

    label, rejoin = "", False
    for kind, value in _walk(body, skip=AS_WRITTEN):
        if kind == "start" and value.tag in BLOCKS:
            flush()
        elif kind == "end" and value.tag in BLOCKS:
            if value.tag == f"{T}label":
                label = " ".join("".join(current).split())
                current.clear()
                continue
            if label:
                current.insert(0, label + " ")
                label = ""
            flush()
        elif kind == "pb":
            flush()
            paragraphs.append(f"[Page {value.get('n') or ''}]".replace(" ]", "]"))
        elif kind == "lb" and value.get("break") == "no":  # a word broken over two lines reads joined
            current[:] = [joined("".join(current), value)]
            rejoin = True
        elif kind == "text":
            current.append(value.lstrip() if rejoin else value)
            rejoin = False
    flush()
    return "\n\n".join(paragraphs) + "\n" if paragraphs else ""


def page_lines(root: etree._Element) -> dict[str, str]:
    """Each OCR line's text as written, by the xml:id of its zone, in reading order."""
    body = root.find(f"{T}text/{T}body")
    lines: dict[str, list[str]] = {}
    current: list[str] | None = None
    for kind, value in _walk(body, skip=EDITED) if body is not None else ():
        if kind == "lb":
            zone = (value.get("facs") or "").removeprefix("#")
            current = lines.setdefault(zone, []) if zone else None
        elif kind == "start" and value.tag in BLOCKS:
            current = None  # a block begins: text before its first <lb> belongs to no line
        elif kind == "text" and current is not None:
            current.append(value)
    return {zone: " ".join("".join(parts).split()) for zone, parts in lines.items()}


def _walk(el, skip: set) -> Iterator[tuple[str, object]]:
    """("start" | "end", element), ("pb" | "lb", element) and ("text", str) in document order;
    ``skip`` elements (inside a choice) and notes are left out, their tails kept."""
    for child_or_text in _children(el):
        if isinstance(child_or_text, str):
            yield "text", child_or_text
            continue
        child = child_or_text
        if child.tag in NOT_TEXT or (child.tag in skip and child.getparent().tag == f"{T}choice"):
            pass
        elif child.tag in (f"{T}pb", f"{T}lb"):
            yield etree.QName(child).localname, child
        else:
            yield "start", child
            yield from _walk(child, skip)
            yield "end", child
        if child.tail:
            yield "text", child.tail


def _children(el):
    if el.text:
        yield el.text
    for child in el:
        if isinstance(child.tag, str):
            yield child
        elif child.tail:  # a comment or processing instruction: only its tail is text
            yield child.tail
