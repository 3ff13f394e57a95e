"""A Frictionless data package of every layer: CSV tables, GeoJSON, one GeoPackage, metadata.

``innovation-map export --package DIR`` writes it for an open-data portal: each layer as a
tabular resource (CSV with a Table Schema, keys between places and their citations), the
spatial layers also as GeoJSON, everything in one GeoPackage, and ``datapackage.json`` with
the licence, the source reports and the build (https://specs.frictionlessdata.io/).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from geo.columns import citations_frame, column_description
from geo.formats import FORMATS, prepare
from geo.io import table_frame
from geo.vocab import reports_from_metadata

PACKAGE_NAME = "shanghai-innovation-map"
GPKG_FILE = "shanghai-innovation-map.gpkg"
#: Open Definition id for "other, attribution": quotes from public government publications.
LICENSE_ID = "other-at"

_KEYS: dict[str, dict[str, Any]] = {
    "places": {"primaryKey": ["id"]},
    "districts": {"primaryKey": ["adcode"]},
    "hubs": {"primaryKey": ["id"]},
    "corridors": {"primaryKey": ["id"]},
    "mentions": {
        "foreignKeys": [
            {"fields": ["place_id"], "reference": {"resource": "places", "fields": ["id"]}}
        ]
    },
}


def _field(name: str, series: pd.Series) -> dict[str, Any]:
    kind = series.dtype.kind
    type_ = {"b": "boolean", "i": "integer", "u": "integer", "f": "number"}.get(kind, "string")
    if str(series.dtype) == "Int64":
        type_ = "integer"
    field: dict[str, Any] = {"name": name, "type": type_, "description": column_description(name)}
    if name == "wkt":
        field["format"] = "default"
    return field


def _file_info(path: Path) -> dict[str, Any]:
    data = path.read_bytes()
    return {"bytes": len(data), "hash": "sha256:" + hashlib.sha256(data).hexdigest()}


def table_schema(name: str, table: pd.DataFrame) -> dict[str, Any]:
    """Return the Table Schema of a CSV table (types from its columns, keys between layers)."""
    schema: dict[str, Any] = {
        "fields": [_field(c, table[c]) for c in table.columns],
        "missingValues": [""],
    }
    schema.update(_KEYS.get(name, {}))
    return schema


def write_package(
    out_dir: Path, frames: Mapping[str, pd.DataFrame], metadata: Mapping[str, Any]
) -> Path:
    """Write every layer and ``datapackage.json`` into ``out_dir``; return the descriptor's path.

    Parameters
    ----------
    out_dir
        An existing, empty folder.
    frames
        Each collection as exported (``geo.formats``' input), places with list columns.
    metadata
        The build's metadata: title, licence, sources, datum, build date.
    """
    meta = dict(metadata)
    layers = dict(frames)
    if "places" in layers:
        layers["mentions"] = citations_frame(layers["places"], reports_from_metadata(meta))
    resources: list[dict[str, Any]] = []
    gpkg = out_dir / GPKG_FILE
    for name, frame in layers.items():
        table, _ = prepare(frame, name, meta, {})
        csv_path = out_dir / f"{name}.csv"
        flat = table_frame(table, name)
        flat.to_csv(csv_path, index=False, encoding="utf-8")
        resources.append(
            {
                "name": name,
                "path": csv_path.name,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "title": name.replace("_", " "),
                "schema": table_schema(name, flat),
                **_file_info(csv_path),
            }
        )
        if isinstance(frame, gpd.GeoDataFrame):
            geojson = out_dir / f"{name}.geojson"
            FORMATS["geojson"].write(frame, geojson, meta, name, {})
            resources.append(
                {
                    "name": f"{name}-geojson",
                    "path": geojson.name,
                    "format": "geojson",
                    "mediatype": "application/geo+json",
                    "title": f"{name.replace('_', ' ')} (GeoJSON, WGS-84)",
                    **_file_info(geojson),
                }
            )
        if name != "mentions":  # written with places, as their related table
            FORMATS["gpkg"].write(frame, gpkg, meta, name, {})
    resources.append(
        {
            "name": "geopackage",
            "path": gpkg.name,
            "format": "gpkg",
            "mediatype": FORMATS["gpkg"].media_type,
            "title": "every layer in one GeoPackage (mentions related to places)",
            **_file_info(gpkg),
        }
    )
    descriptor = {
        "profile": "data-package",
        "name": PACKAGE_NAME,
        "title": str(meta.get("title", PACKAGE_NAME)),
        "description": (
            "Places named in Shanghai's science and technology reports, with citations, "
            "statuses per report and coordinates (WGS-84, EPSG:4326); district boundaries "
            "with counts; innovation hubs and corridors."
        ),
        "created": meta.get("built"),
        "licenses": [{"name": LICENSE_ID, "title": str(meta.get("licence", ""))}],
        "sources": [
            {
                "title": f"{s.get('title_zh', '')} · {s.get('title_en', '')}",
                "publisher": s.get("publisher"),
                "year": s.get("year"),
                "sha256": s.get("sha256"),
            }
            for s in meta.get("sources", ())
        ]
        + ([{"title": str(meta["boundaries"])}] if meta.get("boundaries") else []),
        "build": {k: meta[k] for k in ("built", "datum", "boundaries") if k in meta},
        "resources": resources,
    }
    path = out_dir / "datapackage.json"
    path.write_text(json.dumps(descriptor, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path
