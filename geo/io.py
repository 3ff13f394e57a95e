"""Read and write places, mentions, districts, profiles and hubs (GeoJSON, CSV, GeoPackage)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pyogrio
import pyogrio.errors
from shapely.geometry import mapping

from geo import settings
from geo.errors import GeoError
from geo.extract import Mention
from geo.profiles import DistrictProfile

#: Columns holding lists or dicts: JSON-encoded in CSV and GeoPackage, arrays in GeoJSON.
JSON_COLUMNS = ("aliases", "years", "timeline", "sources", "place_ids", "numbers")
EXPORT_SUFFIXES = (".geojson", ".csv", ".gpkg", ".kml")


def _round_coords(obj: Any, ndigits: int = 6) -> Any:
    if isinstance(obj, float):
        return round(obj, ndigits)
    if isinstance(obj, list | tuple):
        return [_round_coords(v, ndigits) for v in obj]
    return obj


def _clean(value: Any) -> Any:
    """Turn pandas/numpy scalars and missing values into plain JSON values."""
    if isinstance(value, list | tuple | dict):
        return value
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


def gdf_to_feature_collection(
    gdf: gpd.GeoDataFrame, metadata: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Return an RFC 7946 FeatureCollection (WGS-84, lists kept as arrays, metadata as a member)."""
    if gdf.crs is not None and gdf.crs.to_epsg() != 4326:
        gdf = gdf.to_crs(settings.WGS84)
    props = [c for c in gdf.columns if c != gdf.geometry.name]
    features = []
    for row in gdf.itertuples(index=False):
        record = row._asdict()
        geom = record.pop(gdf.geometry.name)
        features.append(
            {
                "type": "Feature",
                "id": _clean(record.get("id")),
                "properties": {k: _clean(record[k]) for k in props},
                "geometry": {
                    "type": geom.geom_type,
                    "coordinates": _round_coords(mapping(geom)["coordinates"]),
                }
                if geom is not None and not geom.is_empty
                else None,
            }
        )
    collection: dict[str, Any] = {"type": "FeatureCollection", "features": features}
    if metadata:
        collection["metadata"] = metadata
    return collection


def write_geojson(
    gdf: gpd.GeoDataFrame, path: Path, metadata: dict[str, Any] | None = None
) -> None:
    """Write a GeoDataFrame as RFC 7946 GeoJSON (UTF-8, Chinese kept readable)."""
    collection = gdf_to_feature_collection(gdf, metadata)
    path.write_text(json.dumps(collection, ensure_ascii=False) + "\n", encoding="utf-8")


def flatten(df: pd.DataFrame) -> pd.DataFrame:
    """JSON-encode list/dict columns so the frame fits CSV and GeoPackage."""
    out = df.copy()
    for col in JSON_COLUMNS:
        if col in out.columns:
            out[col] = [json.dumps(v, ensure_ascii=False) for v in out[col]]
    return out


def unflatten(df: pd.DataFrame) -> pd.DataFrame:
    """Decode the JSON-encoded columns written by :func:`flatten`."""
    out = df.copy()
    for col in JSON_COLUMNS:
        if col in out.columns:
            out[col] = [json.loads(v) if isinstance(v, str) else [] for v in out[col]]
    return out


def table_frame(gdf: pd.DataFrame) -> pd.DataFrame:
    """Return a layer as a plain table: points as ``lon``/``lat``, other shapes as WKT (WGS-84)."""
    if not isinstance(gdf, gpd.GeoDataFrame):
        return flatten(pd.DataFrame(gdf))
    flat = flatten(pd.DataFrame(gdf.drop(columns=gdf.geometry.name)))
    geoms = gdf.geometry
    if len(gdf) and geoms.dropna().geom_type.eq("Point").all():
        # shapely points are (x=lon, y=lat); unplaced places have empty cells
        at = (
            list(flat.columns).index("district_zh") + 1
            if "district_zh" in flat
            else len(flat.columns)
        )
        flat.insert(at, "lon", geoms.x.round(6).to_numpy())
        flat.insert(at + 1, "lat", geoms.y.round(6).to_numpy())
    else:
        flat["wkt"] = [g.wkt if g is not None else "" for g in geoms]
    return flat


def places_to_csv_frame(gdf: gpd.GeoDataFrame) -> pd.DataFrame:
    """Places as a plain table with ``lon``/``lat`` columns (WGS-84)."""
    return table_frame(gdf)


def _text_columns(frame: pd.DataFrame) -> list[str]:
    return [
        c
        for c in frame.columns
        if c != "geometry"
        and (frame[c].dtype == object or pd.api.types.is_string_dtype(frame[c].dtype))
    ]


def _defuse_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """Prefix text cells that a spreadsheet would run as a formula (=, +, @) with a quote."""
    out = frame.copy()
    for col in _text_columns(out):
        out[col] = [
            "'" + v if isinstance(v, str) and v[:1] in ("=", "+", "@") else v for v in out[col]
        ]
    return out


def _html_inert(frame: pd.DataFrame) -> pd.DataFrame:
    """Escape < and > in text: KML viewers (Google Earth) render names and fields as HTML."""
    out = frame.copy()
    for col in _text_columns(out):
        out[col] = [
            v.replace("<", "&lt;").replace(">", "&gt;") if isinstance(v, str) else v
            for v in out[col]
        ]
    return out


def _kml_description(metadata: dict[str, Any] | None) -> str:
    if not metadata:
        return ""
    return json.dumps(metadata, ensure_ascii=False).replace("<", "&lt;").replace(">", "&gt;")


def write_collection(
    gdf: pd.DataFrame,
    path: Path,
    metadata: dict[str, Any] | None = None,
    layer: str = "places",
) -> list[Path]:
    """Write one layer in the format its suffix names; return every file written.

    GeoJSON carries the metadata as a top-level member, GeoPackage and KML inside the file
    (dataset metadata / document description); CSV has no place for it, so a sidecar
    ``<name>.metadata.json`` is written beside it.
    """
    suffix = path.suffix.lower()
    spatial = isinstance(gdf, gpd.GeoDataFrame)
    meta_text = {
        k: v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)
        for k, v in (metadata or {}).items()
    }
    if suffix == ".geojson":
        frame = (
            gdf
            if spatial
            else gpd.GeoDataFrame(gdf, geometry=[None] * len(gdf), crs=settings.WGS84)
        )
        write_geojson(frame, path, metadata)
    elif suffix == ".csv":
        _defuse_formulas(table_frame(gdf)).to_csv(path, index=False, encoding="utf-8")
        sidecar = path.with_name(path.stem + ".metadata.json")
        sidecar.write_text(
            json.dumps(metadata or {}, ensure_ascii=False, indent=1), encoding="utf-8"
        )
        return [path, sidecar]
    elif suffix == ".gpkg":
        pyogrio.write_dataframe(
            flatten(gdf), path, layer=layer, driver="GPKG", dataset_metadata=meta_text or None
        )
    elif suffix == ".kml":
        if not spatial:
            msg = f"{layer} has no geometry: export it as .geojson, .csv or .gpkg"
            raise GeoError(msg)
        frame = _html_inert(flatten(gdf[gdf.geometry.notna() & ~gdf.geometry.is_empty]))
        if "name_zh" in frame and "name" not in frame:
            # LIBKML shows the field called "name" as each placemark's label.
            names = zip(frame["name_zh"], frame["name_en"], strict=True)
            frame.insert(0, "name", [f"{zh} · {en}" if en else str(zh) for zh, en in names])
        pyogrio.write_dataframe(
            frame,
            path,
            layer=layer,
            driver="LIBKML",
            dataset_options={"NAME": layer, "DESCRIPTION": _kml_description(metadata)},
        )
    else:
        msg = f"unsupported export format {path.suffix!r}; use one of {', '.join(EXPORT_SUFFIXES)}"
        raise GeoError(msg)
    return [path]


def write_places(gdf: gpd.GeoDataFrame, path: Path, metadata: dict[str, Any] | None = None) -> None:
    """Write places in the format the suffix names: .geojson, .csv, .gpkg or .kml."""
    write_collection(gdf, path, metadata, layer="places")


def mentions_frame(mentions: Sequence[Mention]) -> pd.DataFrame:
    """Every mention as a table row (place, report, year, line, quote, status, matched text)."""
    cols = ["place_id", "report", "year", "line", "quote", "status", "matched"]
    return pd.DataFrame([{k: getattr(m, k) for k in cols} for m in mentions], columns=cols)


def profiles_frame(profiles: Sequence[DistrictProfile]) -> pd.DataFrame:
    """Every district profile as a table row."""
    rows = [asdict(p) for p in profiles]
    return pd.DataFrame(rows, columns=list(DistrictProfile.__dataclass_fields__))


def write_geopackage(
    path: Path,
    places: gpd.GeoDataFrame,
    mentions: pd.DataFrame,
    districts: gpd.GeoDataFrame,
    profiles: pd.DataFrame,
    hubs: gpd.GeoDataFrame,
) -> None:
    """Write the five layers of the build into one GeoPackage."""
    pyogrio.write_dataframe(flatten(places), path, layer="places", driver="GPKG")
    pyogrio.write_dataframe(mentions, path, layer="mentions", driver="GPKG")
    pyogrio.write_dataframe(districts, path, layer="districts", driver="GPKG")
    pyogrio.write_dataframe(flatten(profiles), path, layer="district_profiles", driver="GPKG")
    pyogrio.write_dataframe(hubs, path, layer="hubs", driver="GPKG")


def load_places(path: Path | None = None) -> gpd.GeoDataFrame:
    """Read the built places (GeoPackage layer ``places``) with list columns decoded."""
    path = path or settings.BUILD_DIR / "innovation_map.gpkg"
    gdf = _read_build_layer(path, "places")
    return gpd.GeoDataFrame(unflatten(gdf), geometry="geometry", crs=settings.WGS84)


def load_layer(path: Path, layer: str) -> pd.DataFrame:
    """Read one layer of the build GeoPackage, list columns decoded."""
    return unflatten(_read_build_layer(path, layer))


def _read_build_layer(path: Path, layer: str) -> pd.DataFrame:
    """Read a layer; a missing or unreadable build is a GeoError that says how to fix it."""
    if not path.exists():
        msg = f"no build found at {path}: run `innovation-map build` first"
        raise GeoError(msg)
    try:
        frame: pd.DataFrame = pyogrio.read_dataframe(path, layer=layer)
        return frame
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
        msg = f"the build at {path} is unreadable ({exc}); run `innovation-map build` again"
        raise GeoError(msg) from None
