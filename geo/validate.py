"""Validate geocoded places: every problem is collected and reported in one message."""

from __future__ import annotations

import math
from collections import Counter

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry import Point

from geo import settings
from geo.errors import PlaceValidationError, problems_message
from geo.gazetteer import CATEGORIES, PRECISIONS
from geo.geocode import UNPLACED
from geo.reports import normalise


def place_problems(places: gpd.GeoDataFrame, districts: gpd.GeoDataFrame) -> list[str]:
    """Return every problem of a places GeoDataFrame (empty when valid)."""
    problems: list[str] = []
    if places.crs is None or places.crs.to_epsg() != 4326:
        problems.append(f"CRS is {places.crs}, expected {settings.WGS84}")
    for pid, n in Counter(places["id"]).items():
        if n > 1:
            problems.append(f"duplicate id {pid!r}")
    owners: dict[str, str] = {}
    for pid, name_zh, aliases in zip(
        places["id"], places["name_zh"], places["aliases"], strict=True
    ):
        for name in {normalise(n) for n in [name_zh, *aliases]}:
            other = owners.setdefault(name, pid)
            if other != pid:
                problems.append(f"alias collision: {name!r} names both {other!r} and {pid!r}")
    polygons = dict(zip(districts["name_zh"], districts.geometry, strict=True))
    city = districts.geometry.union_all()
    tol = settings.DISTRICT_TOLERANCE_DEG
    # Buffer (for the simplification tolerance) and prepare each shape once, not per place:
    # with 100,000 places this is the difference between minutes and a second.
    city_tol = city.buffer(tol)
    districts_tol = {name: g.buffer(tol) for name, g in polygons.items()}
    for shape in (city, city_tol, *polygons.values(), *districts_tol.values()):
        shapely.prepare(shape)
    for row in places.itertuples(index=False):
        pid = row.id
        geom: Point | None = row.geometry
        if row.category not in CATEGORIES:
            problems.append(
                f"{pid}: unknown category {row.category!r}; allowed: {', '.join(CATEGORIES)}"
            )
        unplaced = row.coord_source == UNPLACED and row.in_shanghai and pd.isna(row.district_zh)
        if unplaced:
            if not row.sources:
                problems.append(f"{pid}: no source (no report mentions any of its names)")
            continue
        if row.precision not in PRECISIONS:
            problems.append(
                f"{pid}: unknown precision {row.precision!r}; allowed: {', '.join(PRECISIONS)}"
            )
        if not row.sources:
            problems.append(f"{pid}: no source (no report mentions any of its names)")
        if geom is None or geom.is_empty:
            problems.append(f"{pid}: no geometry")
            continue
        if row.in_shanghai:
            district = polygons.get(row.district_zh)
            if not city_tol.contains(geom):
                problems.append(
                    f"{pid}: in_shanghai is true but ({geom.x:.6f}, {geom.y:.6f}) is outside Shanghai"
                )
            elif district is None:
                problems.append(f"{pid}: unknown district {row.district_zh!r}")
            elif not districts_tol[row.district_zh].contains(geom):
                actual = [n for n, g in polygons.items() if g.contains(geom)]
                problems.append(
                    f"{pid}: ({geom.x:.6f}, {geom.y:.6f}) is outside its district "
                    f"{row.district_zh} (it lies in {actual[0] if actual else 'no district'})"
                )
        elif city.contains(geom):
            problems.append(f"{pid}: in_shanghai is false but its point lies inside Shanghai")
    return problems


#: Lakes an area point must not fall in: (centre lon, centre lat, radius in metres), WGS-84.
#: The district polygons include inland water, so this is checked separately (滴水湖 is a
#: ~2.6 km-wide circle at the heart of 临港; a "临港" point at its centre sits in the lake).
WATER_BODIES: dict[str, tuple[float, float, float]] = {
    "滴水湖": (121.9300, 30.9000, 1300.0),
}
_M_PER_DEG_LAT = 111_195.0


def water_problems(places: gpd.GeoDataFrame) -> list[str]:
    """Return a problem for every point that lies in one of ``WATER_BODIES``."""
    problems = []
    for row in places.itertuples(index=False):
        geom: Point | None = row.geometry
        if geom is None or geom.is_empty:
            continue
        for lake, (lon, lat, radius) in WATER_BODIES.items():
            dy = (geom.y - lat) * _M_PER_DEG_LAT
            dx = (geom.x - lon) * _M_PER_DEG_LAT * math.cos(math.radians(lat))
            if math.hypot(dx, dy) < radius:
                problems.append(f"{row.id}: ({geom.x:.6f}, {geom.y:.6f}) lies in {lake}")
    return problems


def validate_places_gdf(places: gpd.GeoDataFrame, districts: gpd.GeoDataFrame) -> None:
    """Raise PlaceValidationError listing every problem, or return None when valid."""
    problems = place_problems(places, districts)
    if problems:
        raise PlaceValidationError(problems_message("places failed validation", problems))
