"""Tesseract's ALTO, adjusted to the page image kept beside it."""
from __future__ import annotations

from lxml import etree

from pipeline.ocr.words import Box, Line, inside

GEOMETRY = ("HPOS", "VPOS", "WIDTH", "HEIGHT")


def pictures(alto: bytes, lines: list[Line]) -> list[Box]:
    """The boxes of the regions the engine's layout analysis took for pictures (ALTO's Illustration) and
    read none of ``lines`` in: on a noisy page it may call the whole page a picture, and read it too."""
    if b"Illustration" not in alto:  # most pages: no need to parse it (it is read up to six times a page)
        return []
    boxes = []
    for el in etree.fromstring(alto).iter("{*}Illustration"):
        x, y, w, h = (round(float(el.get(name, 0))) for name in GEOMETRY)
        box = (x, y, x + w, y + h)
        if not any(inside(ln.box, [box]) for ln in lines):
            boxes.append(box)
    return boxes


def rescale(alto: bytes, factor: float) -> bytes:
    """Multiply every position and size by ``factor`` (the OCR image was resampled)."""
    if factor == 1:
        return alto
    root = etree.fromstring(alto)
    for el in root.iter():
        for name in GEOMETRY:
            if name in el.attrib:
                el.set(name, str(round(float(el.get(name)) * factor)))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def point_to_image(alto: bytes, filename: str) -> bytes:
    """Name the page image in sourceImageInformation (Tesseract names its temporary input)."""
    root = etree.fromstring(alto)
    for el in root.iter("{*}fileName"):
        el.text = filename
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")
