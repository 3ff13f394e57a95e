"""Read and write places, mentions, districts, profiles and hubs (GeoJSON, CSV, GeoPackage)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from contextlib import closing
from dataclasses import asdict
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pyogrio.errors
from shapely.geometry import mapping

from geo import settings
from geo.columns import LAYER_GEOMETRY
from geo.errors import GeoError
from geo.extract import Mention
from geo.profiles import DistrictProfile

#: Columns holding lists or dicts: JSON-encoded in CSV and GeoPackage, arrays in GeoJSON.
JSON_COLUMNS = ("aliases", "years", "timeline", "sources", "place_ids", "numbers")


def _round_coords(obj: Any, ndigits: int = 6) -> Any:
    if isinstance(obj, float):
        return round(obj, ndigits)
    if isinstance(obj, list | tuple):
        return [_round_coords(v, ndigits) for v in obj]
    return obj


#: GeoPackage 1.2, not the newest (1.4) GDAL writes by default: GDAL 3.6 (Debian 12, and the
#: QGIS built on it) warns that 1.4 "may only be partially supported"; nothing here needs 1.3+.
GPKG_DATASET_OPTIONS = {"VERSION": "1.2"}


def plain_value(value: Any) -> Any:
    """Turn pandas/numpy scalars and missing values (NaN, NA) into plain values (None)."""
    if isinstance(value, list | tuple | dict):
        return value
    if isinstance(value, np.ndarray):
        return value.tolist()
    # pd.NA is the missing value of nullable integer columns (a place's ``status_line``).
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


def plain_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Return the rows as dicts of plain values: a missing value is None, never NaN.

    Every place handed to a template or a popup goes through here, so a missing status reads
    "not stated", not "nan".
    """
    return [{str(k): plain_value(v) for k, v in row.items()} for row in frame.to_dict("records")]


def gdf_to_feature_collection(
    gdf: gpd.GeoDataFrame,
    metadata: dict[str, Any] | None = None,
    *,
    to_wgs84: bool = True,
    id_column: str | None = "id",
) -> dict[str, Any]:
    """Return an RFC 7946 FeatureCollection (WGS-84, lists kept as arrays, metadata as a member).

    ``to_wgs84=False`` keeps the frame's coordinates (an export asked for another CRS, which
    its metadata then names). Each feature's ``id`` is its ``id_column``
    (``geo.vocab.FEATURE_ID_COLUMNS``; districts use their adcode).
    """
    if to_wgs84 and gdf.crs is not None and gdf.crs.to_epsg() != 4326:
        gdf = gdf.to_crs(settings.WGS84)
    props = [c for c in gdf.columns if c != gdf.geometry.name]
    features = []
    for row in gdf.itertuples(index=False):
        record = row._asdict()
        geom = record.pop(gdf.geometry.name)
        features.append(
            {
                "type": "Feature",
                "id": plain_value(record.get(id_column)) if id_column else None,
                "properties": {k: plain_value(record[k]) for k in props},
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
    gdf: gpd.GeoDataFrame,
    path: Path,
    metadata: dict[str, Any] | None = None,
    *,
    to_wgs84: bool = True,
    id_column: str | None = "id",
) -> None:
    """Write a GeoDataFrame as RFC 7946 GeoJSON (UTF-8, Chinese kept readable)."""
    collection = gdf_to_feature_collection(gdf, metadata, to_wgs84=to_wgs84, id_column=id_column)
    path.write_text(json.dumps(collection, ensure_ascii=False) + "\n", encoding="utf-8")


def flatten(df: pd.DataFrame) -> pd.DataFrame:
    """JSON-encode list/dict columns so the frame fits CSV and GeoPackage.

    Only lists and dicts are encoded: an export's ``aliases`` and ``years`` are already joined
    with ``"; "`` and must not gain JSON quotes.
    """
    out = df.copy()
    for col in JSON_COLUMNS:
        if col in out.columns:
            out[col] = [
                json.dumps(v, ensure_ascii=False) if isinstance(v, list | tuple | dict) else v
                for v in out[col]
            ]
    return out


def unflatten(df: pd.DataFrame) -> pd.DataFrame:
    """Decode the JSON-encoded columns written by :func:`flatten`."""
    out = df.copy()
    for col in JSON_COLUMNS:
        if col in out.columns:
            out[col] = [json.loads(v) if isinstance(v, str) else [] for v in out[col]]
    return out


def table_frame(gdf: pd.DataFrame, layer: str | None = None) -> pd.DataFrame:
    """Return a layer as a plain table: points as ``lon``/``lat``, other shapes as WKT (WGS-84).

    A known ``layer`` (:data:`geo.columns.LAYER_GEOMETRY`) decides by its geometry type, so
    its header is the same with no rows as with some; otherwise the rows' geometries decide.
    """
    if not isinstance(gdf, gpd.GeoDataFrame):
        return flatten(pd.DataFrame(gdf))
    flat = flatten(pd.DataFrame(gdf.drop(columns=gdf.geometry.name)))
    geoms = gdf.geometry
    declared = LAYER_GEOMETRY.get(layer or "")
    points = (
        declared == "Point"
        if declared is not None
        else bool(len(gdf)) and bool(geoms.dropna().geom_type.eq("Point").all())
    )
    if points:
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
    return table_frame(gdf, "places")


def write_places(gdf: gpd.GeoDataFrame, path: Path, metadata: dict[str, Any] | None = None) -> None:
    """Write places in the format the suffix names (see :mod:`geo.formats`)."""
    from geo.formats import write_collection  # formats builds on this module

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
    layers = {
        "places": flatten(places),
        "mentions": mentions,
        "districts": districts,
        "district_profiles": flatten(profiles),
        "hubs": hubs,
    }
    for layer, frame in layers.items():
        pyogrio.write_dataframe(
            frame, path, layer=layer, driver="GPKG", dataset_options=GPKG_DATASET_OPTIONS
        )


#: OGC 18-000, the GeoPackage Related Tables Extension.
RELATED_TABLES_EXTENSION = "gpkg_related_tables"
RELATED_TABLES_DEFINITION = "http://docs.opengeospatial.org/is/18-000/18-000.html"


def write_related_table(
    path: Path, base: str, related: str, frame: pd.DataFrame, *, key: str
) -> str:
    """Add ``frame`` to a GeoPackage as table ``related``, related to layer ``base``.

    Each row's ``key`` column holds the ``id`` of its feature in ``base``. The relation is
    declared with the GeoPackage Related Tables Extension (a ``gpkgext_relations`` row and a
    mapping table of fids), so QGIS and GDAL show the rows per feature; the ``key`` column
    stays for readers that ignore the extension. Returns the mapping table's name.
    """
    pyogrio.write_dataframe(
        frame, path, layer=related, driver="GPKG", dataset_options=GPKG_DATASET_OPTIONS
    )
    mapping = f"{base}_{related}"
    with closing(sqlite3.connect(path)) as db, db:
        db.executescript(
            """
            CREATE TABLE IF NOT EXISTS gpkg_extensions (
              table_name TEXT, column_name TEXT, extension_name TEXT NOT NULL,
              definition TEXT NOT NULL, scope TEXT NOT NULL,
              CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name));
            CREATE TABLE IF NOT EXISTS gpkgext_relations (
              id INTEGER PRIMARY KEY AUTOINCREMENT,
              base_table_name TEXT NOT NULL,
              base_primary_column TEXT NOT NULL DEFAULT 'id',
              related_table_name TEXT NOT NULL,
              related_primary_column TEXT NOT NULL DEFAULT 'id',
              relation_name TEXT NOT NULL,
              mapping_table_name TEXT NOT NULL UNIQUE);
            """
        )
        db.execute(
            f'CREATE TABLE "{mapping}" (base_id INTEGER NOT NULL, related_id INTEGER NOT NULL)'
        )
        db.execute(
            f'INSERT INTO "{mapping}" (base_id, related_id) '
            f'SELECT b.fid, r.fid FROM "{base}" b JOIN "{related}" r ON r."{key}" = b.id'
        )
        db.execute(
            "INSERT INTO gpkgext_relations (base_table_name, base_primary_column, "
            "related_table_name, related_primary_column, relation_name, mapping_table_name) "
            "VALUES (?, 'fid', ?, 'fid', 'attributes', ?)",
            (base, related, mapping),
        )
        db.executemany(
            "INSERT OR IGNORE INTO gpkg_extensions VALUES (?, NULL, ?, ?, 'read-write')",
            [
                ("gpkgext_relations", RELATED_TABLES_EXTENSION, RELATED_TABLES_DEFINITION),
                (mapping, RELATED_TABLES_EXTENSION, RELATED_TABLES_DEFINITION),
            ],
        )
        # The same last_change as the base table (GDAL's, set from the build's time), so a
        # file written twice is the same bytes.
        db.execute(
            "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, "
            "last_change) SELECT ?, 'attributes', ?, ?, last_change FROM gpkg_contents "
            "WHERE table_name = ?",
            (mapping, mapping, f"{related} of each {base} feature (Related Tables mapping)", base),
        )
    return mapping


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
