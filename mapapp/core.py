"""Request handlers with no Flask in them: (data, params) → a dict to render as HTML or JSON."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import pandas as pd

from geo.districts import district_by_name
from geo.io import gdf_to_feature_collection
from layers.i18n import LANGS, Lang
from mapapp.errors import MapAppError


@dataclass(frozen=True)
class MapData:
    """The build, loaded once at start-up and shared read-only by every request."""

    places: gpd.GeoDataFrame
    districts: gpd.GeoDataFrame
    hubs: gpd.GeoDataFrame
    profiles: pd.DataFrame
    metadata: dict[str, Any]


def parse_lang(value: str | None) -> Lang:
    """Return the language asked for (default zh); raise a 400 naming ``lang`` otherwise."""
    if value in (None, ""):
        return "zh"
    if value not in LANGS:
        raise MapAppError(400, "lang must be zh or en / 参数 lang 须为 zh 或 en")
    return value


def _plain(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def place_record(row: dict[str, Any]) -> dict[str, Any]:
    """Return one place as plain data (lon/lat instead of a geometry)."""
    geom = row["geometry"]
    out = {k: _plain(v) for k, v in row.items() if k != "geometry"}
    placed = geom is not None and not geom.is_empty
    # shapely: x=lon, y=lat; unplaced places have no point
    out["lon"], out["lat"] = (round(geom.x, 6), round(geom.y, 6)) if placed else (None, None)
    return out


def place_list(data: MapData) -> dict[str, Any]:
    """Every place on the map, sorted by district then name."""
    records = [place_record(r) for r in data.places.to_dict("records")]
    records.sort(key=lambda r: (r["district_zh"] or "~", r["name_zh"]))
    return {"ok": True, "count": len(records), "places": records, "metadata": data.metadata}


def place_detail(data: MapData, place_id: str) -> dict[str, Any]:
    """One place by id; 404 when unknown."""
    rows = data.places[data.places["id"] == place_id]
    if rows.empty:
        raise MapAppError(404, "no such place / 没有这个地点")
    record = place_record(rows.iloc[0].to_dict())
    children = data.places[data.places["parent_id"] == place_id]
    record["children"] = sorted(
        zip(children["id"], children["name_zh"], children["name_en"], strict=True)
    )
    return {"ok": True, "place": record, "metadata": data.metadata}


def district_detail(data: MapData, name: str) -> dict[str, Any]:
    """One district (by 浦东新区, 浦东 or Pudong): its profiles per report and its places."""
    district = district_by_name(name)
    if district is None:
        raise MapAppError(404, "no such district / 没有这个区")
    profiles = data.profiles[data.profiles["district_zh"] == district.name_zh]
    places = data.places[data.places["district_zh"] == district.name_zh]
    counts = places["category"].value_counts().to_dict()
    return {
        "ok": True,
        "district": {
            "name_zh": district.name_zh,
            "name_en": district.name_en,
            "adcode": district.adcode,
        },
        "profiles": [
            {k: _plain(v) for k, v in p.items()}
            for p in profiles.sort_values("year").to_dict("records")
        ],
        "counts": counts,
        "places": [place_record(r) for r in places.sort_values("name_zh").to_dict("records")],
        "metadata": data.metadata,
    }


def places_geojson(data: MapData) -> dict[str, Any]:
    """Every place as an RFC 7946 FeatureCollection with the build's metadata."""
    return gdf_to_feature_collection(data.places, data.metadata)
