"""District polygons: load them, find the district of a point, and each district's point."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import shapely
from shapely.geometry import Point

from geo import settings
from geo.districts import DISTRICT_NAMES_ZH
from geo.errors import BoundaryError


def load_districts(path: Path | None = None) -> gpd.GeoDataFrame:
    """Read the 16 district polygons (EPSG:4326) with ``name_zh``, ``name_en`` and ``adcode``."""
    path = path or settings.BOUNDARIES_FILE
    if not path.exists():
        msg = f"district boundaries not found: {path} (regenerate with scripts/make_boundaries.py)"
        raise BoundaryError(msg)
    try:
        gdf = gpd.read_file(path)
    except Exception as exc:  # pyogrio raises several types for a broken file
        msg = f"district boundaries {path} are unreadable: {exc}"
        raise BoundaryError(msg) from None
    problems = []
    if gdf.crs is None or gdf.crs.to_epsg() != 4326:
        problems.append(f"CRS is {gdf.crs}, expected EPSG:4326")
    names = set(gdf.get("name_zh", []))
    if names != DISTRICT_NAMES_ZH:
        problems.append(
            f"expected the 16 districts, missing {sorted(DISTRICT_NAMES_ZH - names)}, "
            f"unexpected {sorted(names - DISTRICT_NAMES_ZH)}"
        )
    if not gdf.geometry.is_valid.all():
        problems.append("some polygons are invalid")
    if problems:
        msg = f"district boundaries {path} are wrong: " + "; ".join(problems)
        raise BoundaryError(msg)
    return gdf[["name_zh", "name_en", "adcode", "geometry"]].reset_index(drop=True)


def district_of_point(districts: gpd.GeoDataFrame, lon: float, lat: float) -> str | None:
    """Return the district containing (lon, lat), or None outside Shanghai."""
    point = Point(lon, lat)
    hits = districts[districts.geometry.contains(point)]
    return str(hits.iloc[0]["name_zh"]) if len(hits) else None


def district_points(districts: gpd.GeoDataFrame) -> dict[str, tuple[float, float]]:
    """Return a point inside each district (lon, lat): the fallback for district-only places."""
    out = {}
    for name, geom in zip(districts["name_zh"], districts.geometry, strict=True):
        # The largest part's representative point: never on an islet, always inside.
        parts = list(getattr(geom, "geoms", [geom]))
        main = max(parts, key=lambda g: g.area)
        pt = shapely.point_on_surface(main)
        out[str(name)] = (round(pt.x, 6), round(pt.y, 6))
    return out
