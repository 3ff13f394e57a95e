"""Request handlers with no Flask in them: (data, params) → a dict to render as HTML or JSON."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import geopandas as gpd
import pandas as pd

from geo.districts import district_by_name
from geo.gazetteer import CATEGORIES
from geo.io import gdf_to_feature_collection
from geo.query import MAX_QUERY_LENGTH, PlaceIndex, QueryError, parse_bbox
from layers.i18n import LANGS, Lang
from layers.specs import LAYER_SPECS
from layers.ui import METRICS, STATUSES
from mapapp.errors import MapAppError


@dataclass(frozen=True)
class MapData:
    """The build, loaded once at start-up and shared read-only by every request."""

    places: gpd.GeoDataFrame
    districts: gpd.GeoDataFrame
    hubs: gpd.GeoDataFrame
    profiles: pd.DataFrame
    metadata: dict[str, Any]
    #: Lookups for fast filters (year, status, text); built once by the loader.
    index: PlaceIndex | None = None


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
    parent = data.places[data.places["id"] == record.get("parent_id")]
    record["parent"] = (
        {
            "id": record["parent_id"],
            "name_zh": parent.iloc[0]["name_zh"],
            "name_en": parent.iloc[0]["name_en"],
        }
        if not parent.empty
        else None
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


def view_options(data: MapData, basemap_ids: Sequence[str]) -> ViewOptions:
    """Return what a map URL may ask for, given the build and the basemaps offered."""
    return ViewOptions(
        layers=frozenset(s.id for s in LAYER_SPECS),
        years=frozenset(int(y) for ys in data.places["years"] for y in ys),
        statuses=frozenset(STATUSES),
        metrics=frozenset(METRICS),
        basemaps=frozenset(basemap_ids),
    )


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
    if args.get("category"):
        unknown = [c for c in args["category"].split(",") if c and c not in CATEGORIES]
        if unknown:
            raise _bad("category", f"未知类别 {unknown[0]}", f"unknown category {unknown[0]!r}")
    if len(args.get("q") or "") > MAX_QUERY_LENGTH:
        raise _bad(
            "q", f"不超过 {MAX_QUERY_LENGTH} 个字符", f"at most {MAX_QUERY_LENGTH} characters"
        )
    try:
        parse_bbox(args.get("bbox"))
    except QueryError:
        raise _bad(
            "bbox",
            "须为“最小经度,最小纬度,最大经度,最大纬度”",
            "must be min lon,min lat,max lon,max lat",
        ) from None
    for flag in EMBED_FLAGS:
        if args.get(flag) not in (None, "", "0", "1"):
            raise _bad(flag, "须为 0 或 1", "must be 0 or 1")
    if args.get("center"):
        parts = args["center"].split(",")
        try:
            lat, lon = (float(p) for p in parts) if len(parts) == 2 else (math.nan, math.nan)
        except ValueError:
            lat = lon = math.nan
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise _bad("center", "须为“纬度,经度”", "must be 'lat,lon' in degrees")
    return view


#: Embed presets (``/embed``): show controls, scroll-wheel zoom, fixed view, caption.
EMBED_FLAGS = ("controls", "scrollzoom", "fixed", "caption")
#: Parameters of a PNG request that are not part of the map's view.
PNG_PARAMS = ("width", "height", "scale", "engine")


def parse_png_size(args: Mapping[str, str]) -> dict[str, Any]:
    """Return width, height, scale and engine of a PNG request (400 naming a bad one)."""
    out: dict[str, Any] = {}
    for name, default in (("width", "1920"), ("height", "1080")):
        raw = args.get(name) or default
        if not raw.isdigit():
            raise _bad(name, "须为整数像素", "must be a whole number of pixels")
        out[name] = int(raw)
    try:
        out["scale"] = float(args.get("scale") or "2")
    except ValueError:
        raise _bad("scale", "须为 1、1.5、2 或 3", "must be 1, 1.5, 2 or 3") from None
    engine = args.get("engine") or "auto"
    if engine not in ("auto", "chromium", "matplotlib"):
        raise _bad(
            "engine", "须为 auto、chromium 或 matplotlib", "must be auto, chromium or matplotlib"
        )
    out["engine"] = engine
    return out


def oembed(args: Mapping[str, str], host_url: str) -> dict[str, Any]:
    """Return the oEmbed (1.0, type rich) answer for a map URL of this site.

    A URL of another site, or not of the map, is a 404 (the oEmbed spec's answer for "no
    embed for this URL"); only JSON is offered (XML is 501, as the spec asks).
    """
    if (args.get("format") or "json") != "json":
        raise MapAppError(501, "format: only json is offered / 仅提供 json")
    url = args.get("url") or ""
    parts = urlsplit(url)
    site = urlsplit(host_url)
    if not url or (parts.scheme, parts.netloc) != (site.scheme, site.netloc):
        raise MapAppError(404, "url: not a map of this site / 不是本站地图链接")
    if parts.path.rstrip("/") not in ("", "/embed"):
        raise MapAppError(404, "url: not a map of this site / 不是本站地图链接")

    def size(name: str, default: int) -> int:
        raw = args.get(name)
        if raw in (None, ""):
            return default
        if not raw.isdigit() or int(raw) < 100:
            raise _bad(name, "须为不小于 100 的整数", "must be a whole number of at least 100")
        return min(default, int(raw))

    width, height = size("maxwidth", 800), size("maxheight", 600)
    query = dict(parse_qsl(parts.query))
    query.setdefault("caption", "1")
    src = f"{host_url}/embed?{urlencode(query)}"
    title = "上海科技创新地图 · Shanghai innovation map"
    return {
        "version": "1.0",
        "type": "rich",
        "provider_name": title,
        "provider_url": host_url + "/",
        "title": title,
        "width": width,
        "height": height,
        "html": (
            f'<iframe src="{escape(src)}" width="{width}" height="{height}" style="border:0" '
            f'loading="lazy" title="{escape(title)}" allowfullscreen></iframe>'
        ),
    }


def build_stamp(build_dir: Path) -> str:
    """Return what identifies the build on disk: size and modification time of its files."""
    parts = []
    for name in ("innovation_map.gpkg", "build_info.json"):
        path = build_dir / name
        stat = path.stat() if path.exists() else None
        parts.append(f"{name}:{stat.st_size}:{stat.st_mtime_ns}" if stat else f"{name}:missing")
    return ";".join(parts)


def build_problem(build_dir: Path, loaded_stamp: str) -> str | None:
    """Return why the build on disk no longer matches the one in memory, or None."""
    now = build_stamp(build_dir)
    if now == loaded_stamp:
        return None
    if "missing" in now:
        return "the build on disk is missing; restart after `innovation-map build`"
    return "the build on disk changed since start-up; restart to serve it"
