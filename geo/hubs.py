"""Hubs: area and line geometries for Zhangjiang, Lingang, the G60 corridor and other hubs."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import geopandas as gpd
import pandas as pd
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
    except (
        OSError,
        ValueError,
        pyogrio.errors.DataSourceError,
        pyogrio.errors.DataLayerError,
    ) as exc:
        msg = f"hubs file {path} is unreadable ({exc}); fix it or regenerate it with scripts/make_hubs.py"
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


#: How a hub is drawn: ``outline`` an area whose extent was traced (hand-drawn through the
#: roads that bound it), ``line`` a corridor drawn schematically between its cities, and
#: ``approximate`` a hub whose extent is not known (its file geometry is a stand-in circle
#: around the gazetteer point, so the map draws only a label and a small dashed ring).
HubShape = Literal["outline", "line", "approximate"]


def hub_shape(kind: str, geometry_source: str) -> HubShape:
    """Return how a hub is drawn, from its ``kind`` and how its geometry was made."""
    if kind == "line":
        return "line"
    if str(geometry_source).startswith("circle"):  # scripts/make_hubs.py's stand-in circles
        return "approximate"
    return "outline"


def hub_place_ids(hubs: gpd.GeoDataFrame, places: pd.DataFrame) -> dict[str, list[str]]:
    """Return hub id → the ids of the hub's place and every place under it (``parent_id``)."""
    children: dict[str, list[str]] = {}
    for place_id, parent in zip(places["id"], places["parent_id"], strict=True):
        if isinstance(parent, str) and parent:
            children.setdefault(parent, []).append(str(place_id))

    def under(place_id: str, seen: set[str]) -> list[str]:
        out: list[str] = []
        for child in sorted(children.get(place_id, [])):
            if child not in seen:  # a cycle in parent_id would otherwise never end
                seen.add(child)
                out += [child, *under(child, seen)]
        return out

    return {
        str(h): [str(p), *under(str(p), {str(p)})]
        for h, p in zip(hubs["id"], hubs["place_id"], strict=True)
    }
