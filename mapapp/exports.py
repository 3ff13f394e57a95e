"""Filtered downloads: the map's URL state → the same places as GeoJSON, CSV, GeoPackage or KML.

"What you see is what you download": ``layers``, ``category``, ``district``, ``year``,
``status``, ``bbox`` and ``q`` mean here what they mean on the map. Flask-free: the route turns
the returned :class:`Download` into a response.
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from geo.districts import district_by_name
from geo.errors import GeoError
from geo.io import write_collection
from geo.query import QueryError, filter_places
from layers.specs import LAYER_SPECS
from mapapp.core import MapData
from mapapp.errors import MapAppError

#: format → (file suffix, media type)
FORMATS: dict[str, tuple[str, str]] = {
    "geojson": (".geojson", "application/geo+json"),
    "csv": (".csv", "text/csv; charset=utf-8"),
    "gpkg": (".gpkg", "application/geopackage+sqlite3"),
    "kml": (".kml", "application/vnd.google-earth.kml+xml"),
}
COLLECTIONS = ("places", "districts", "hubs", "district_profiles")
#: Parameters an export understands; the map's view-only ones are accepted and ignored.
FILTERS = ("layers", "category", "district", "year", "status", "bbox", "q")
VIEW_ONLY = ("lang", "basemap", "center", "zoom", "metric")
MAX_VALUES = 50  # values in one filter: more is a mistake or an attack


@dataclass(frozen=True)
class Download:
    """A file to send: its bytes, media type and suggested file name."""

    body: bytes
    media_type: str
    filename: str


def _values(args: Mapping[str, Any], name: str) -> list[str]:
    getlist = getattr(args, "getlist", None)
    raw = getlist(name) if getlist else [args[name]] if name in args else []
    values = [v.strip() for item in raw for v in str(item).split(",") if v.strip()]
    if len(values) > MAX_VALUES:
        raise MapAppError(
            400, f"{name}: at most {MAX_VALUES} values / 参数 {name} 最多 {MAX_VALUES} 个值"
        )
    return values


def select_places(data: MapData, args: Mapping[str, Any]) -> gpd.GeoDataFrame:
    """Return the places the map shows for these URL parameters; 400 naming a bad one."""
    unknown = [k for k in args if k not in FILTERS + VIEW_ONLY + ("limit", "offset", "f")]
    if unknown:
        raise MapAppError(400, f"{unknown[0]}: unknown parameter / 未知参数 {unknown[0]}")
    places = data.places
    layers = _values(args, "layers")
    if layers:
        known = {s.id for s in LAYER_SPECS}  # the layer ids are the map's
        bad = [layer for layer in layers if layer not in known]
        if bad:
            raise MapAppError(400, f"layers: unknown layer {bad[0]!r} / 未知图层")
        inside = places["in_shanghai"].astype(bool)
        mask = inside & places["category"].isin(layers)
        if "outside_shanghai" in layers:
            mask |= ~inside
        places = places[mask]
    try:
        return filter_places(
            places,
            district=_values(args, "district"),
            category=_values(args, "category"),
            year=_values(args, "year"),
            status=_values(args, "status"),
            bbox=args.get("bbox"),
            q=args.get("q"),
            index=data.index,
        )
    except QueryError as exc:
        raise MapAppError(400, f"{exc.parameter}: {exc}") from None


def collection_frame(data: MapData, collection: str, args: Mapping[str, Any]) -> pd.DataFrame:
    """Return one collection, filtered: places by every filter, the others by district."""
    if collection == "places":
        places: pd.DataFrame = select_places(data, args)
        return places
    if collection not in COLLECTIONS:
        raise MapAppError(404, f"no collection {collection!r} / 没有这个数据集")
    frame: pd.DataFrame = {
        "districts": data.districts,
        "hubs": data.hubs,
        "district_profiles": data.profiles,
    }[collection]
    districts = _values(args, "district")
    if districts and "district_zh" in frame:
        names = []
        for name in districts:
            d = district_by_name(name)
            if d is None:
                raise MapAppError(400, "district: unknown district / 未知的区")
            names.append(d.name_zh)
        frame = frame[frame["district_zh"].isin(names)]
    elif districts and collection == "districts":
        wanted = {d.name_zh for d in map(district_by_name, districts) if d is not None}
        frame = frame[frame["name_zh"].isin(wanted)]
    return frame


def export(data: MapData, collection: str, fmt: str, args: Mapping[str, Any]) -> Download:
    """Return the filtered collection as a file in ``fmt`` (with the build's metadata)."""
    if fmt not in FORMATS:
        raise MapAppError(
            400, f"format: use one of {', '.join(FORMATS)} / 格式须为 {', '.join(FORMATS)}"
        )
    frame = collection_frame(data, collection, args)
    suffix, media_type = FORMATS[fmt]
    metadata = {**data.metadata, "collection": collection, "filters": _echo(args)}
    with tempfile.TemporaryDirectory(prefix="innovation-map-export-") as tmp:
        path = Path(tmp) / f"{collection}{suffix}"
        try:
            write_collection(frame, path, metadata, layer=collection)
        except GeoError as exc:
            raise MapAppError(400, f"format: {exc}") from None
        return Download(path.read_bytes(), media_type, f"shanghai-innovation-{collection}{suffix}")


def _echo(args: Mapping[str, Any]) -> dict[str, list[str]]:
    """Return the filters that were applied, for the export's metadata."""
    return {k: _values(args, k) for k in FILTERS if _values(args, k)}
