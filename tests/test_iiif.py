"""IIIF: level 0 tiles at the URLs the Image API's tiling asks for, and manifests with the Presentation 3 structure."""
import json
import math

import pytest
from PIL import Image

from pipeline.publish.collection import Edition, Page
from pipeline.publish.iiif import IiifError, TILE, build_manifest, check_manifest, image_info, write_tiles

BASE = "https://archive.example.org/site/"


def tile_requests(width: int, height: int, tile: int, factors: list[int]) -> set[tuple[str, str, tuple[int, int]]]:
    """What a viewer asks a level 0 service for, by the Image API 3.0's tiling (its section 5.4): for each
    scale factor, regions of tile x factor pixels, each scaled to ceil(region / factor); the canonical forms
    'full' for the whole image and 'max' for its full size."""
    wanted = set()
    for s in factors:
        for y in range(0, height, tile * s):
            for x in range(0, width, tile * s):
                w, h = min(tile * s, width - x), min(tile * s, height - y)
                size = (math.ceil(w / s), math.ceil(h / s))
                region = "full" if (x, y, w, h) == (0, 0, width, height) else f"{x},{y},{w},{h}"
                wanted.add((region, "max" if size == (width, height) else f"{size[0]},{size[1]}", size))
    return wanted


@pytest.mark.parametrize("size, mode", [((1300, 2100), "L"), ((511, 300), "RGB"), ((1024, 512), "1")])
def test_every_tile_a_viewer_asks_for_is_there_at_its_size(tmp_path, size, mode):
    image = Image.new(mode, size, "white" if mode == "RGB" else 255 if mode == "L" else 1)
    image.save(tmp_path / "page.png")
    width, height, factors, smallest = write_tiles(tmp_path / "page.png", tmp_path / "svc")
    assert (width, height) == size
    assert factors == [2 ** k for k in range(len(factors))]
    # the last level fits one tile, the one before it did not
    assert max(math.ceil(d / factors[-1]) for d in size) <= TILE
    assert factors == [1] or max(math.ceil(d / factors[-2]) for d in size) > TILE
    wanted = tile_requests(width, height, TILE, factors)
    written = {p.relative_to(tmp_path / "svc") for p in (tmp_path / "svc").rglob("default.jpg")}
    for region, size_, pixels in wanted:
        path = tmp_path / "svc" / region / size_ / "0" / "default.jpg"
        assert path.is_file(), (region, size_)
        with Image.open(path) as tile:
            assert tile.size == pixels and tile.format == "JPEG"
    info = image_info(BASE + "iiif/x/p1", width, height, factors, smallest)
    w, h = info["sizes"][0]["width"], info["sizes"][0]["height"]
    assert (tmp_path / "svc" / "full" / f"{w},{h}" / "0" / "default.jpg").is_file()  # every listed size exists
    assert len(written) == len(wanted) + (factors == [1])  # nothing else (a one-tile page is also listed as w,h)


def edition(tmp_path, **described) -> Edition:
    image = tmp_path / "page-1.png"
    Image.new("L", (600, 300), 255).save(image)
    page = Page("p1", "1", image, "600", "300", zones={"z1": (20, 40, 560, 20)}, image_href="pages/s/page-1.png")
    return Edition("s", tmp_path / "s.xml", "A scan", "urn:x:s", "Test Archive", "CC BY 4.0",
                   "https://creativecommons.org/licenses/by/4.0/", "2026-01-15", "en",
                   {"filename": "s.tif"}, "ok", {"p1": page}, [], {}, described)


def test_a_manifest_paints_each_page_and_carries_the_catalogue(tmp_path):
    e = edition(tmp_path, creator="Mary Smith", idno="MS 1", rights="Public domain")
    info = image_info(BASE + "iiif/s/p1", 600, 300, [1, 2], (300, 150))
    manifest = build_manifest(e, BASE, {"p1": info}, {"z1": "The first line."})
    [canvas] = manifest["items"]
    assert (canvas["width"], canvas["height"]) == (600, 300)
    body = canvas["items"][0]["items"][0]["body"]
    assert body["id"] == BASE + "pages/s/page-1.png" and body["service"][0]["profile"] == "level0"
    [line] = canvas["annotations"][0]["items"]
    assert line["motivation"] == "supplementing" and line["target"].endswith("#xywh=20,40,560,20")
    assert line["body"]["value"] == "The first line."
    assert {"label": {"en": ["Creator"]}, "value": {"none": ["Mary Smith"]}} in manifest["metadata"]
    assert manifest["rights"] == "https://creativecommons.org/licenses/by/4.0/"
    assert "Public domain" in manifest["requiredStatement"]["value"]["none"][0]
    json.dumps(manifest)  # plain data, ready to write


def test_a_manifest_without_the_presentation_3_structure_is_refused(tmp_path):
    info = image_info(BASE + "iiif/s/p1", 600, 300, [1, 2], (300, 150))
    good = build_manifest(edition(tmp_path), BASE, {"p1": info}, {})
    check_manifest(good)
    for broken in (dict(good, id="iiif/s/manifest.json"),  # ids must be absolute URLs
                   dict(good, items=[dict(good["items"][0], type="Page")]),  # a canvas is a Canvas
                   dict(good, type="Collection"),  # and a manifest a Manifest
                   dict(good, label="A scan"),  # labels are language maps
                   {k: v for k, v in good.items() if k != "items"}):
        with pytest.raises(IiifError):
            check_manifest(broken)
