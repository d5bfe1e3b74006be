"""Tesseract's ALTO, adjusted to the page image kept beside it."""
from __future__ import annotations

from lxml import etree

GEOMETRY = ("HPOS", "VPOS", "WIDTH", "HEIGHT")


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
