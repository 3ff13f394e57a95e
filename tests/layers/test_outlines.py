"""The compact outlines (layers/outlines.py) decode to the districts within the display grid."""

from __future__ import annotations

import json

import geopandas as gpd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from shapely.geometry import Polygon, box, shape
from shapely.geometry.base import BaseGeometry

from geo import settings
from layers.build import OUTLINE_STEP_DEG, context_outlines, district_outlines
from layers.cartography import context_geojson
from layers.outlines import decode, encode, polyline_decode, polyline_encode


def _same(a: BaseGeometry, b: BaseGeometry) -> bool:
    """Equal but for float noise (a grid step times an integer is not always the decimal)."""
    return a.hausdorff_distance(b) < 1e-9 and a.symmetric_difference(b).area < 1e-12


@given(st.lists(st.integers(min_value=-(2**40), max_value=2**40)))
def test_polyline_integers_round_trip(values: list[int]) -> None:
    text = polyline_encode(values)
    assert polyline_decode(text) == values
    assert all(63 <= ord(c) <= 126 for c in text)  # printable, never "<" or "&"


@pytest.fixture(scope="module")
def districts() -> gpd.GeoDataFrame:
    return gpd.read_file(settings.BOUNDARIES_FILE).to_crs(settings.WGS84)


def test_districts_decode_within_ten_metres_with_their_names(districts: gpd.GeoDataFrame) -> None:
    doc = district_outlines(districts)
    features = decode(json.loads(json.dumps(doc)))  # as the page reads it
    assert [f["properties"]["name_zh"] for f in features] == list(districts["name_zh"])
    for feature, original in zip(features, districts.geometry, strict=True):
        drawn = shape(feature["geometry"])
        # Simplified at 1e-4° (nothing visible goes) and snapped to a 1e-4° grid: ~10 m.
        assert drawn.hausdorff_distance(original) < 1.5 * OUTLINE_STEP_DEG
        assert abs(drawn.area - original.area) < 0.002 * original.area
        assert drawn.is_valid


def test_a_shared_border_is_stored_once(districts: gpd.GeoDataFrame) -> None:
    doc = district_outlines(districts)
    used = [abs(i if i >= 0 else ~i) for f in doc["features"] for p in f["g"] for r in p for i in r]
    reversed_uses = sum(1 for f in doc["features"] for p in f["g"] for r in p for i in r if i < 0)
    assert reversed_uses > 0  # the neighbour walks the shared arc backwards
    assert len(set(used)) == len(doc["arcs"]) < len(used)


def test_two_squares_share_one_edge_and_holes_survive() -> None:
    left = box(0, 0, 1, 1)
    right = Polygon(box(1, 0, 2, 1).exterior, [box(1.4, 0.4, 1.6, 0.6).exterior.coords])
    doc = encode([left, right], [{"n": 1}, {"n": 2}], 0.01)
    features = decode(doc)
    assert _same(shape(features[0]["geometry"]), left)
    assert _same(shape(features[1]["geometry"]), right)
    assert features[1]["geometry"]["coordinates"][0][1]  # the hole is a hole
    # Arcs: the shared edge, each square's other three sides, the hole.
    assert len(doc["arcs"]) == 4


def test_context_outlines_are_lossless() -> None:
    context = context_geojson()  # on a 1e-3° grid already
    features = decode(context_outlines(context))
    for feature, original in zip(features, context["features"], strict=True):
        assert feature["properties"]["g60"] == bool(original["properties"]["g60"])
        assert _same(shape(feature["geometry"]), shape(original["geometry"]))
