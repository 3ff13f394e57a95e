"""Outlines in a compact form for the page: quantised, delta-encoded arcs, shared borders once.

TopoJSON's idea, cut to what the map needs. Coordinates are snapped to a grid of ``step``
degrees; every ring is cut where three or more outlines meet (or where two part), so a border
two districts share is one arc, stored once and used forwards by one and backwards (``~i``)
by the other. Each arc is its first point on the grid, then the steps between points, written
with Google's Encoded Polyline Algorithm (a few printable characters per point). The page's
script (``static/js/outlines.js``) decodes it into GeoJSON; :func:`decode` does the same here,
for the tests.

A document::

    {"step": 0.0001, "arcs": ["_p~iF~ps|U…", …],
     "features": [{"p": {properties}, "g": [[[0, ~3], [5]], …]}, …]}

where ``g`` is a MultiPolygon of arc indices: polygons → rings → arcs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from itertools import pairwise
from typing import Any

from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

__all__ = ["decode", "encode", "polyline_decode", "polyline_encode"]

Point = tuple[int, int]


def polyline_encode(values: Iterable[int]) -> str:
    """Return integers as Google's Encoded Polyline characters (zig-zag, 5 bits a character)."""
    out: list[str] = []
    for value in values:
        v = ~(value << 1) if value < 0 else value << 1
        while v >= 0x20:
            out.append(chr((0x20 | (v & 0x1F)) + 63))
            v >>= 5
        out.append(chr(v + 63))
    return "".join(out)


def polyline_decode(text: str) -> list[int]:
    """Return the integers :func:`polyline_encode` wrote."""
    values: list[int] = []
    shift = result = 0
    for char in text:
        b = ord(char) - 63
        result |= (b & 0x1F) << shift
        shift += 5
        if b < 0x20:
            values.append(~(result >> 1) if result & 1 else result >> 1)
            shift = result = 0
    return values


def _polygons(geom: BaseGeometry | None) -> list[Polygon]:
    if isinstance(geom, Polygon):
        return [geom]
    if isinstance(geom, MultiPolygon):
        return list(geom.geoms)
    if geom is None or geom.is_empty:
        return []
    msg = f"outlines are polygons, got {geom.geom_type}"
    raise ValueError(msg)


def _snap(coords: Iterable[Sequence[float]], step: float) -> list[Point]:
    """Return a closed ring on the grid, without repeated points (None when it collapsed)."""
    ring: list[Point] = []
    for x, y, *_ in coords:
        point = (round(x / step), round(y / step))
        if not ring or ring[-1] != point:
            ring.append(point)
    if ring and ring[0] == ring[-1]:
        ring.pop()
    return ring


def _junctions(rings: Iterable[list[Point]]) -> set[Point]:
    """Return the points where outlines meet or part: seen with two different neighbour pairs."""
    neighbours: dict[Point, frozenset[Point]] = {}
    found: set[Point] = set()
    for ring in rings:
        n = len(ring)
        for i, point in enumerate(ring):
            pair = frozenset((ring[i - 1], ring[(i + 1) % n]))
            seen = neighbours.setdefault(point, pair)
            if seen != pair:
                found.add(point)
    return found


def encode(
    geometries: Sequence[BaseGeometry | None],
    properties: Sequence[Mapping[str, Any]],
    step: float,
) -> dict[str, Any]:
    """Return the compact document of polygons ``geometries`` (EPSG:4326) with ``properties``.

    Parameters
    ----------
    geometries
        Polygons or MultiPolygons, lon/lat; None or empty gives a feature with no polygon.
    properties
        One mapping per geometry, kept as given (JSON-serialisable).
    step
        Grid size in degrees: every point moves by at most half of it on each axis.
    """
    shapes: list[list[list[list[Point]]]] = []
    for geom in geometries:
        polys = []
        for poly in _polygons(geom):
            rings = [_snap(r.coords, step) for r in (poly.exterior, *poly.interiors)]
            rings = [r for r in rings if len(r) >= 3]  # a ring smaller than the grid is gone
            if rings:
                polys.append(rings)
        shapes.append(polys)
    junctions = _junctions(r for polys in shapes for rings in polys for r in rings)

    arcs: list[list[Point]] = []
    index: dict[tuple[Point, ...], int] = {}

    def arc_id(points: list[Point]) -> int:
        key = tuple(points)
        if key in index:
            return index[key]
        back = key[::-1]
        if back in index:
            return ~index[back]
        index[key] = len(arcs)
        arcs.append(points)
        return index[key]

    features = []
    for polys, props in zip(shapes, properties, strict=True):
        g = []
        for rings in polys:
            ring_arcs = []
            for ring in rings:
                cuts = [i for i, p in enumerate(ring) if p in junctions]
                # A ring with no junction is one closed arc; start it at its least point so a
                # ring two outlines share (an enclave) is found again from either side.
                start = cuts[0] if cuts else ring.index(min(ring))
                ring = ring[start:] + ring[:start] + [ring[start]]
                ids, last = [], 0
                for i in range(1, len(ring)):
                    if i == len(ring) - 1 or ring[i] in junctions:
                        ids.append(arc_id(ring[last : i + 1]))
                        last = i
                ring_arcs.append(ids)
            g.append(ring_arcs)
        features.append({"p": dict(props), "g": g})

    def deltas(points: list[Point]) -> list[int]:
        out = [points[0][0], points[0][1]]
        for (x0, y0), (x1, y1) in pairwise(points):
            out += [x1 - x0, y1 - y0]
        return out

    return {"step": step, "arcs": [polyline_encode(deltas(a)) for a in arcs], "features": features}


def _arc_points(text: str, step: float) -> list[tuple[float, float]]:
    values = polyline_decode(text)
    x = y = 0
    points = []
    for i in range(0, len(values), 2):
        x += values[i]
        y += values[i + 1]
        points.append((x * step, y * step))
    return points


def decode(doc: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Return the GeoJSON features (MultiPolygon, lon/lat) of a document :func:`encode` wrote."""
    arcs = [_arc_points(a, doc["step"]) for a in doc["arcs"]]
    features = []
    for feature in doc["features"]:
        polygons = []
        for rings in feature["g"]:
            out = []
            for ids in rings:
                ring: list[tuple[float, float]] = []
                for i in ids:
                    points = arcs[i] if i >= 0 else arcs[~i][::-1]
                    ring.extend(points if not ring else points[1:])
                out.append([list(p) for p in ring])
            polygons.append(out)
        features.append(
            {
                "type": "Feature",
                "properties": feature["p"],
                "geometry": {"type": "MultiPolygon", "coordinates": polygons},
            }
        )
    return features
