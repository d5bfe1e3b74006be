"""Straightening curled lines: a page photographed open in a book, against flat scans."""
from __future__ import annotations

import numpy as np
import pytest

from pipeline.ocr import dewarp, preprocess
from tests.conftest import small_pages
from tests.support.scans import corpus_files, degrade, photographed


def _page():
    return small_pages(corpus_files()[0].read_text(encoding="utf-8"), inches=(6, 4))[0]


def _prepared(scan):
    """The page as the reader has it before straightening: grey, surround masked, deskewed."""
    gray, _ = preprocess.mask_background(preprocess.grayscale(scan.image))
    angle = preprocess.skew_angle(gray)
    return preprocess.rotate(gray, angle) if abs(angle) >= 1 else gray, preprocess.measure_text(gray).height


def _bends(gray, height):
    f = min(1.0, dewarp.MEASURE_WIDTH / gray.width)
    lines = dewarp._traced_lines(preprocess.ink_mask(gray, width=dewarp.MEASURE_WIDTH), height * f)
    return np.array([dewarp._bend(xs, fit) / (height * f) for xs, fit in lines])


@pytest.mark.parametrize("make", [lambda s: s, lambda s: degrade(s, seed=2), lambda s: photographed(s, 1, curl=0.0)],
                         ids=["clean", "degraded", "photographed flat"])
def test_flat_pages_are_left_as_they_are(make):
    gray, height = _prepared(make(_page()))
    assert dewarp.find_warp(gray, height) is None


def test_curled_lines_come_out_straight():
    gray, height = _prepared(photographed(_page(), 1, curl=0.2))
    before = _bends(gray, height)
    warp = dewarp.find_warp(gray, height)
    assert warp is not None and warp.most > height / 2  # lines bowed by over half a letter's height
    after = _bends(warp.apply(gray), height)
    assert len(after) >= len(before) - 1  # no line torn apart or run into the next
    assert np.percentile(after, 75) < dewarp.CURLED < np.percentile(before, 75)
    assert dewarp.find_warp(warp.apply(gray), height) is None  # nothing left to straighten


def _tilts(gray, height):
    f = min(1.0, dewarp.MEASURE_WIDTH / gray.width)
    lines = dewarp._traced_lines(preprocess.ink_mask(gray, width=dewarp.MEASURE_WIDTH), height * f)
    return dewarp._tilts(lines) / (height * f)


def test_lines_converging_on_a_page_photographed_at_a_slant_come_out_level():
    gray, height = _prepared(photographed(_page(), 1, curl=0.0, slant=0.8))
    before = _tilts(gray, height)
    assert np.percentile(_bends(gray, height), 75) < dewarp.CURLED  # each line straight...
    warp = dewarp.find_warp(gray, height)
    assert warp is not None  # ...but tilted unlike the others
    after = _tilts(warp.apply(gray), height)
    assert np.percentile(after, 75) < dewarp.CURLED < np.percentile(before, 75)
    assert dewarp.find_warp(warp.apply(gray), height) is None


def test_a_skewed_flat_page_is_left_to_the_deskew():
    gray, height = _prepared(degrade(_page(), seed=2, skew=0.8))  # below the deskew's threshold: lines alike
    assert np.percentile(_tilts(gray, height), 75) < dewarp.CURLED
    assert dewarp.find_warp(gray, height) is None


def test_boxes_map_between_the_curled_and_the_straightened_page():
    gray, height = _prepared(photographed(_page(), 1, curl=0.2))
    warp = dewarp.find_warp(gray, height)
    for box in [(100, 200, 300, 240), (1200, 900, 1500, 950), (10, 10, 40, 30)]:
        back = warp.to_source(warp.to_straight(box))
        assert back[0] == box[0] and back[2] == box[2] and abs(back[1] - box[1]) <= 2 and abs(back[3] - box[3]) <= 2


def test_a_colour_page_is_straightened_band_by_band():
    scan = photographed(_page(), 1, curl=0.2)
    gray, height = _prepared(scan)
    warp = dewarp.find_warp(gray, height)
    colour = gray.convert("RGB")
    out = warp.apply(colour)
    assert out.mode == "RGB" and out.size == colour.size
    assert np.abs(np.asarray(out.convert("L"), dtype=int) - np.asarray(warp.apply(gray), dtype=int)).max() <= 1
    with pytest.raises(ValueError, match="warp made for"):
        warp.apply(colour.crop((0, 0, 100, 100)))
