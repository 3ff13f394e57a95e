"""Hubs: area and line geometries for Zhangjiang, Lingang, the G60 corridor and other hubs."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pyogrio.errors

from geo import settings
from geo.errors import GeoError

HUB_COLUMNS = ("id", "place_id", "name_zh", "name_en", "kind", "approximate", "geometry_source")


def load_hubs(path: Path | None = None, place_ids: set[str] | None = None) -> gpd.GeoDataFrame:
    """Read the hub outlines (EPSG:4326); check columns and that each links to a gazetteer place."""
    path = path or settings.HUBS_FILE
    if not path.exists():
        msg = f"hubs file not found: {path} (regenerate with scripts/make_hubs.py)"
        raise GeoError(msg)
    try:
        gdf = gpd.read_file(path)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
        msg = f"hubs file {path} is not valid GeoJSON: {exc}"
        raise GeoError(msg) from None
    problems = [f"missing column {c!r}" for c in HUB_COLUMNS if c not in gdf.columns]
    if not problems:
        if gdf.crs is None or gdf.crs.to_epsg() != 4326:
            problems.append(f"CRS is {gdf.crs}, expected EPSG:4326")
        if not gdf.geometry.is_valid.all():
            problems.append("some hub geometries are invalid")
        if place_ids is not None:
            unknown = sorted(set(gdf["place_id"]) - place_ids)
            if unknown:
                problems.append(f"place_id not in the gazetteer: {unknown}")
    if problems:
        msg = f"hubs file {path} is wrong: " + "; ".join(problems)
        raise GeoError(msg)
    gdf["approximate"] = gdf["approximate"].astype(bool)
    return gdf[[*HUB_COLUMNS, "geometry"]]
