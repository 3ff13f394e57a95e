"""Request handlers with no Flask in them: (data, params) → a dict to render as HTML or JSON."""

from __future__ import annotations

import math
from collections.abc import Mapping
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


@dataclass(frozen=True)
class ViewOptions:
    """What a ``/`` URL may ask for: the known layer ids, years, statuses and basemaps."""

    layers: frozenset[str]
    years: frozenset[int]
    statuses: frozenset[str]
    metrics: frozenset[str]
    basemaps: frozenset[str]


def _bad(parameter: str, zh: str, en: str) -> MapAppError:
    return MapAppError(400, f"{parameter}: {en} / 参数 {parameter}：{zh}")


def parse_view(args: Mapping[str, str], options: ViewOptions) -> dict[str, Any]:
    """Validate the map's URL state; raise a 400 naming the first bad parameter.

    The page's script applies the state; the server only refuses what cannot be shown, so a
    mistyped link gets a clear message instead of a silently different map.
    """
    view: dict[str, Any] = {"lang": parse_lang(args.get("lang"))}
    if args.get("layers"):
        unknown = [x for x in args["layers"].split(",") if x and x not in options.layers]
        if unknown:
            raise _bad("layers", f"未知图层 {unknown[0]}", f"unknown layer {unknown[0]!r}")
    if args.get("district") and district_by_name(args["district"]) is None:
        raise _bad("district", "未知的区", "unknown district")
    year = args.get("year", "")
    if year and (not year.isdigit() or int(year) not in options.years):
        years = ", ".join(str(y) for y in sorted(options.years))
        raise _bad("year", f"须为 {years} 之一", f"must be one of {years}")
    for name, allowed in (
        ("status", options.statuses),
        ("metric", options.metrics),
        ("basemap", options.basemaps),
    ):
        if args.get(name) and args[name] not in allowed:
            choices = ", ".join(sorted(allowed))
            raise _bad(name, f"须为 {choices} 之一", f"must be one of {choices}")
    if args.get("zoom") and (not args["zoom"].isdigit() or not 0 <= int(args["zoom"]) <= 18):
        raise _bad("zoom", "须为 0–18 的整数", "must be a whole number from 0 to 18")
    if args.get("center"):
        parts = args["center"].split(",")
        try:
            lat, lon = (float(p) for p in parts) if len(parts) == 2 else (math.nan, math.nan)
        except ValueError:
            lat = lon = math.nan
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise _bad("center", "须为“纬度,经度”", "must be 'lat,lon' in degrees")
    return view
