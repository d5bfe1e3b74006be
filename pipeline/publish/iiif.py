"""IIIF for scanned editions, as static files in the site: Image API level 0 tiles and Presentation 3 manifests.

For every page image ``iiif/<stem>/<page>/`` holds an Image API 3 ``info.json``
(profile level0) and the tiles it lists, at the canonical URLs a viewer asks
for (``{region}/{size}/0/default.jpg``: region ``full`` or ``x,y,w,h``, size
``max`` or ``w,h``), for 512-pixel tiles at scale factors 1, 2, 4... until
the page fits one tile. ``iiif/<stem>/manifest.json`` is a Presentation 3
manifest: a canvas per page painted with the page image (its image service
beside it), the OCR lines as supplementing annotations on their zones, the
edition's catalogue metadata, and links back to the edition page, the TEI and
the plain text. Its ids are absolute URLs on the ``site_url`` setting, as the
specification asks; the site's own viewer reads the tiles by relative URL.

Manifests are checked for the Presentation 3 structure before they are
written (``check_manifest``; iiif-prezi3, which models the schema, would hold
Pillow back at 12.0).
"""
from __future__ import annotations

import base64
import functools
import hashlib
import json
import re
from pathlib import Path
from urllib.parse import quote

from PIL import Image

from pipeline.errors import PipelineError
from pipeline.fsutil import write_atomic
from pipeline.publish.collection import Edition, Page

TILE = 512
JPEG_QUALITY = 85
IMAGE_CONTEXT = "http://iiif.io/api/image/3/context.json"
PRESENTATION_CONTEXT = "http://iiif.io/api/presentation/3/context.json"
MEDIA_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".tif": "image/tiff",
               ".tiff": "image/tiff", ".gif": "image/gif", ".webp": "image/webp", ".bmp": "image/bmp"}
# IIIF's rights property takes only these vocabularies' URIs
RIGHTS_PREFIXES = ("http://creativecommons.org/", "https://creativecommons.org/",
                   "http://rightsstatements.org/", "https://rightsstatements.org/")


class IiifError(PipelineError):
    """A manifest the pipeline built does not have the Presentation 3 structure (a bug: please report it)."""


def manifest_path(stem: str) -> str:
    return f"iiif/{stem}/manifest.json"


def service_path(stem: str, page: Page) -> str:
    return f"iiif/{stem}/{page.id}"


def write_tiles(image_file: Path, folder: Path) -> tuple[int, int, list[int], tuple[int, int]]:
    """Level 0 tiles of one page image under ``folder``; (width, height, scale factors, smallest size).

    Each level is the one before halved (so its size is the full size divided by
    the scale factor, rounded up, as viewers compute it); tiles are cut from it.
    """
    with Image.open(image_file) as im:
        im.load()
        level = im.convert("L") if im.mode in ("1", "L", "LA", "I", "I;16", "F") else im.convert("RGB")
    width, height = level.size
    factors: list[int] = []
    factor = 1
    while True:
        factors.append(factor)
        region = TILE * factor  # the full-size pixels one tile covers at this level
        lw, lh = level.size
        for y in range(0, lh, TILE):
            for x in range(0, lw, TILE):
                box = (x, y, min(x + TILE, lw), min(y + TILE, lh))
                full_x, full_y = x * factor, y * factor
                w, h = min(region, width - full_x), min(region, height - full_y)
                whole = (full_x, full_y, w, h) == (0, 0, width, height)
                size = "max" if (box[2] - box[0], box[3] - box[1]) == (width, height) else f"{box[2] - box[0]},{box[3] - box[1]}"
                _save(level.crop(box), folder / ("full" if whole else f"{full_x},{full_y},{w},{h}") / size)
        if lw <= TILE and lh <= TILE:
            break
        level = level.reduce(2)
        factor *= 2
    smallest = level.size
    if factor == 1:  # the page fits one tile: its one size is also listed as w,h
        _save(level, folder / "full" / f"{smallest[0]},{smallest[1]}")
    return width, height, factors, smallest


def _save(image: Image.Image, folder: Path) -> None:
    out = folder / "0"
    out.mkdir(parents=True, exist_ok=True)
    image.save(out / "default.jpg", "JPEG", quality=JPEG_QUALITY)


def image_info(service_id: str, width: int, height: int, factors: list[int], smallest: tuple[int, int]) -> dict:
    return {
        "@context": IMAGE_CONTEXT, "id": service_id, "type": "ImageService3",
        "protocol": "http://iiif.io/api/image", "profile": "level0",
        "width": width, "height": height,
        "tiles": [{"width": TILE, "height": TILE, "scaleFactors": factors}],
        "sizes": [{"width": smallest[0], "height": smallest[1]}],
    }


def write_info(folder: Path, info: dict) -> None:
    write_atomic(folder / "info.json", json.dumps(info, indent=1) + "\n")


def build_manifest(edition: Edition, base: str, services: dict[str, dict], lines: dict[str, str]) -> dict:
    """The edition's manifest. ``services``: page id -> its info.json (absolute id); ``lines``: zone id -> text."""
    stem = quote(edition.stem)
    root = f"{base}iiif/{stem}"
    language = edition.language or "none"

    def text(value: str) -> dict:
        return {language: [value]}

    canvases = []
    for page in edition.pages.values():
        info = services.get(page.id)
        if info is None:
            continue  # no image: nothing to paint
        canvas_id = f"{root}/canvas/{quote(page.id)}"
        href = page.image_href
        body = {"id": base + quote(href), "type": "Image",
                "format": MEDIA_TYPES.get(Path(href).suffix.lower(), "image/png"),
                "width": info["width"], "height": info["height"],
                "service": [{"id": info["id"], "type": "ImageService3", "profile": "level0"}]}
        canvas = {
            "id": canvas_id, "type": "Canvas", "label": {"none": [f"Page {page.n}"]},
            "width": info["width"], "height": info["height"],
            "thumbnail": [{"id": f"{info['id']}/full/{info['sizes'][0]['width']},{info['sizes'][0]['height']}/0/default.jpg",
                           "type": "Image", "format": "image/jpeg",
                           "width": info["sizes"][0]["width"], "height": info["sizes"][0]["height"]}],
            "items": [{"id": f"{canvas_id}/page", "type": "AnnotationPage", "items": [{
                "id": f"{canvas_id}/image", "type": "Annotation", "motivation": "painting",
                "body": body, "target": canvas_id}]}],
        }
        if page.alto_href and page.alto:
            canvas["seeAlso"] = [{"id": base + quote(page.alto_href), "type": "Dataset", "format": "application/xml",
                                  "profile": "http://www.loc.gov/standards/alto/", "label": {"en": ["ALTO (OCR)"]}}]
        annotations = [{"id": f"{canvas_id}/line/{quote(zone)}", "type": "Annotation", "motivation": "supplementing",
                        "body": {"type": "TextualBody", "value": lines[zone], "format": "text/plain", "language": language},
                        "target": f"{canvas_id}#xywh={x},{y},{w},{h}"}
                       for zone, (x, y, w, h) in page.zones.items() if lines.get(zone)]
        if annotations:
            canvas["annotations"] = [{"id": f"{canvas_id}/lines", "type": "AnnotationPage", "items": annotations}]
        canvases.append(canvas)

    d = edition.described
    metadata = [(label, value) for label, value in (
        ("Title", edition.title), ("Creator", d.get("creator")), ("Date", d.get("date_text") or d.get("date")),
        ("Repository", d.get("repository")), ("Collection", d.get("collection")), ("Shelfmark", d.get("idno")),
        ("Language", d.get("languages")), ("Notes", d.get("notes")), ("Source file", edition.source.get("filename")),
        ("Edition", edition.idno)) if value]
    manifest = {
        "@context": PRESENTATION_CONTEXT,
        "id": f"{root}/manifest.json", "type": "Manifest",
        "label": text(edition.title),
        "metadata": [{"label": {"en": [label]}, "value": {"none": [value]}} for label, value in metadata],
        "summary": text(d["notes"]) if d.get("notes") else None,
        "requiredStatement": {"label": {"en": ["Attribution"]},
                              "value": {"none": ["; ".join(x for x in (edition.publisher, d.get("rights"), edition.licence) if x)]}},
        "rights": edition.licence_url if (edition.licence_url or "").startswith(RIGHTS_PREFIXES) else None,
        "provider": [{"id": base, "type": "Agent", "label": {"none": [edition.publisher]}}] if edition.publisher else None,
        "homepage": [{"id": f"{base}editions/{stem}.html", "type": "Text", "label": text(edition.title), "format": "text/html"}],
        "seeAlso": [{"id": f"{base}tei/{stem}.xml", "type": "Dataset", "format": "application/tei+xml",
                     "profile": "http://www.tei-c.org/ns/1.0", "label": {"en": ["TEI P5 edition"]}}],
        "rendering": [{"id": f"{base}text/{stem}.txt", "type": "Text", "format": "text/plain",
                       "label": {"en": ["Plain text"]}}],
        "items": canvases,
    }
    manifest = {k: v for k, v in manifest.items() if v is not None}
    check_manifest(manifest)
    return manifest


def check_manifest(manifest: dict) -> None:
    """Raises IiifError unless the manifest has the Presentation 3 structure the site relies on: absolute
    HTTP(S) ids, each resource's type, language-map labels, canvases with pixel sizes, annotation pages
    of annotations with a motivation, a body and a target on their canvas."""
    problems: list[str] = []

    def need(ok: bool, where: str, what: str) -> bool:
        if not ok:
            problems.append(f"{where}: {what}")
        return ok

    def resource(value, kind: str, where: str, labelled: bool = False) -> bool:
        if not need(isinstance(value, dict), where, f"a {kind} must be an object"):
            return False
        need(value.get("type") == kind, where, f"type must be {kind!r}, not {value.get('type')!r}")
        need(_absolute(value.get("id")), where, f"id must be an absolute HTTP(S) URL, not {value.get('id')!r}")
        if labelled or "label" in value:
            need(_language_map(value.get("label")), where, "label must be a language map of lists of strings")
        return True

    if resource(manifest, "Manifest", "manifest", labelled=True):
        need(manifest.get("@context") == PRESENTATION_CONTEXT, "manifest", f"@context must be {PRESENTATION_CONTEXT}")
        for i, entry in enumerate(manifest.get("metadata", [])):
            need(_language_map(entry.get("label")) and _language_map(entry.get("value")), f"metadata[{i}]",
                 "label and value must be language maps")
        canvases = manifest.get("items")
        need(isinstance(canvases, list) and canvases, "manifest", "items must list at least one Canvas")
        for c, canvas in enumerate(canvases or []):
            where = f"items[{c}]"
            if not resource(canvas, "Canvas", where):
                continue
            need(all(isinstance(canvas.get(k), int) and canvas[k] > 0 for k in ("width", "height")),
                 where, "width and height must be positive integers")
            for key in ("items", "annotations"):
                for p, page in enumerate(canvas.get(key, [])):
                    if not resource(page, "AnnotationPage", f"{where}.{key}[{p}]"):
                        continue
                    for a, note in enumerate(page.get("items", [])):
                        at = f"{where}.{key}[{p}].items[{a}]"
                        if resource(note, "Annotation", at):
                            need(isinstance(note.get("motivation"), str), at, "an annotation needs a motivation")
                            need(isinstance(note.get("body"), dict), at, "an annotation needs a body")
                            need(str(note.get("target", "")).split("#")[0] == canvas.get("id"), at,
                                 "its target must be its canvas")
            need(canvas.get("items"), where, "a canvas needs an AnnotationPage that paints it")
    if problems:
        raise IiifError(f"IIIF manifest {manifest.get('id')!r} is not valid Presentation 3: " + "; ".join(problems))


def _absolute(url) -> bool:
    return isinstance(url, str) and url.startswith(("http://", "https://")) and len(url) > len("https://")


def _language_map(value) -> bool:
    return (isinstance(value, dict) and bool(value)
            and all(isinstance(v, list) and all(isinstance(x, str) for x in v) for v in value.values()))

VIEWER = Path(__file__).parent / "static" / "vendor" / "openseadragon" / "openseadragon.min.js"


@functools.cache
def viewer_style_hashes() -> tuple[str, ...]:
    """CSP hashes of the style sheets OpenSeadragon writes into the page itself (one small rule for
    touch screens), so that the pages' policy admits exactly those and no other inline style."""
    found = re.findall(r'textContent="(@media[^"]*)"', VIEWER.read_text(encoding="utf-8"))
    return tuple("sha256-" + base64.b64encode(hashlib.sha256(css.encode()).digest()).decode() for css in found)
