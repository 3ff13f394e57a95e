"""Export formats, registered once: id, file suffix, media type, titles and writer.

The web API (``/api/<collection>.<format>``), the command line (``innovation-map export``)
and the map's download dialog all list and use formats from :data:`FORMATS`, so a new
format means one :class:`ExportFormat` here plus its test.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pyogrio

from geo import settings
from geo.columns import citations_frame, export_table, single_geometry_type
from geo.crs import CRS_PARAM, WGS84_ID, OutputCRS, gdf_to_output_crs, parse_crs
from geo.errors import GeoError
from geo.io import (
    GPKG_DATASET_OPTIONS,
    flatten,
    table_frame,
    write_geojson,
    write_related_table,
)
from geo.kml import kml_document
from geo.params import ParamError
from geo.query import Param
from geo.vocab import FEATURE_ID_COLUMNS, reports_from_metadata

#: (frame, path, metadata, layer, options) → every file written
Writer = Callable[[pd.DataFrame, Path, dict[str, Any], str, Mapping[str, Any]], list[Path]]


@dataclass(frozen=True)
class ExportFormat:
    """One download format."""

    id: str
    suffix: str
    media_type: str
    title_zh: str
    title_en: str
    write: Writer
    #: Needs geometry (KML): tables without it cannot be written.
    spatial_only: bool = False
    #: The standard that fixes the format's coordinates to WGS-84 (RFC 7946, KML 2.2), if any:
    #: readers assume WGS-84 whatever the file says, so another ``crs`` is refused.
    wgs84_standard: str = ""

    def title(self, lang: str) -> str:
        """Return the format's title in ``lang``."""
        return self.title_zh if lang == "zh" else self.title_en


def _text_columns(frame: pd.DataFrame) -> list[str]:
    return [
        c
        for c in frame.columns
        if c != "geometry"
        and (frame[c].dtype == object or pd.api.types.is_string_dtype(frame[c].dtype))
    ]


#: Leading characters a spreadsheet may run as a formula: OWASP's list for CSV injection, NUL
#: (ASVS 1.2.10) and the full-width forms that spreadsheets in CJK locales may read as formulas.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\0", "＝", "＋", "－", "＠")


def defuse_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """Prefix text cells that a spreadsheet would run as a formula with a quote."""
    out = frame.copy()
    for col in _text_columns(out):
        out[col] = [
            "'" + v if isinstance(v, str) and v.startswith(FORMULA_PREFIXES) else v
            for v in out[col]
        ]
    return out


def _meta_text(metadata: Mapping[str, Any]) -> dict[str, str]:
    return {
        k: v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)
        for k, v in metadata.items()
    }


def _target(options: Mapping[str, Any]) -> OutputCRS:
    crs = options.get("crs")
    return crs if isinstance(crs, OutputCRS) else parse_crs(crs)


def export_metadata(metadata: Mapping[str, Any], options: Mapping[str, Any]) -> dict[str, Any]:
    """Return an export's metadata: ``metadata`` plus the CRS written (and its datum if not WGS-84).

    Every format carries this dict (GeoJSON as its ``metadata`` member); a CSV download links
    to it (``/api/<collection>.metadata.json``), the command line writes it beside the CSV.
    """
    target = _target(options)
    meta = {**metadata, "crs": target.describe()}
    if target.id != WGS84_ID:
        meta["datum"] = f"{target.title_en}: {target.note}"
    return meta


def prepare(
    frame: pd.DataFrame,
    layer: str,
    metadata: Mapping[str, Any],
    options: Mapping[str, Any],
    *,
    lists: bool = False,
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Return a layer's export table in the asked CRS, and its metadata saying which CRS.

    Places get the GIS columns (:mod:`geo.columns`); ``lists`` keeps list columns (GeoJSON).
    """
    table = export_table(frame, layer, metadata, lists=lists)
    target = _target(options)
    meta = export_metadata(metadata, options)
    if isinstance(table, gpd.GeoDataFrame):
        table = gdf_to_output_crs(table, target)
    return table, meta


def require_wgs84(fmt: ExportFormat, options: Mapping[str, Any]) -> None:
    """Refuse ``crs`` other than WGS-84 for a format whose standard fixes WGS-84 (ParamError)."""
    if fmt.wgs84_standard and _target(options).id != WGS84_ID:
        name = fmt.title_en.split(" (")[0]  # "KML", not "KML (Google Earth)"
        raise ParamError(
            "crs",
            f"{name} is always WGS-84 (the {fmt.wgs84_standard} standard): leave crs out, or "
            f"choose another format / {name} 始终为 WGS-84（{fmt.wgs84_standard} 标准）：请去掉 "
            "crs 参数，或选择其他格式",
        )


def _citations_by_place(
    frame: pd.DataFrame, layer: str, metadata: Mapping[str, Any]
) -> pd.DataFrame | None:
    if layer != "places" or "sources" not in frame:
        return None
    return citations_frame(frame, reports_from_metadata(metadata))


def _write_geojson(
    frame: pd.DataFrame,
    path: Path,
    metadata: dict[str, Any],
    layer: str,
    options: Mapping[str, Any],
) -> list[Path]:
    require_wgs84(FORMATS["geojson"], options)
    table, meta = prepare(frame, layer, metadata, options, lists=True)
    spatial = (
        table
        if isinstance(table, gpd.GeoDataFrame)
        else gpd.GeoDataFrame(table, geometry=[None] * len(table), crs=settings.WGS84)
    )
    write_geojson(spatial, path, meta, id_column=FEATURE_ID_COLUMNS.get(layer, "id"))
    return [path]


def _write_csv(
    frame: pd.DataFrame,
    path: Path,
    metadata: dict[str, Any],
    layer: str,
    options: Mapping[str, Any],
) -> list[Path]:
    table, meta = prepare(frame, layer, metadata, options)
    # Excel reads UTF-8 only after a byte-order mark; other readers prefer none.
    encoding = "utf-8-sig" if options.get("excel") else "utf-8"
    defuse_formulas(table_frame(table, layer)).to_csv(path, index=False, encoding=encoding)
    sidecar = path.with_name(path.stem + ".metadata.json")
    sidecar.write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
    return [path, sidecar]


def _gdal_date(built: object) -> str:
    """Return the build's time as GDAL's OGR_CURRENT_DATE wants it (a fixed date if unknown)."""
    text = str(built or "")
    match = re.match(r"(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})", text)
    return f"{match.group(1)}T{match.group(2)}Z" if match else "2000-01-01T00:00:00Z"


def _write_gpkg(
    frame: pd.DataFrame,
    path: Path,
    metadata: dict[str, Any],
    layer: str,
    options: Mapping[str, Any],
) -> list[Path]:
    table, meta = prepare(frame, layer, metadata, options)
    geometry_type = None
    if isinstance(table, gpd.GeoDataFrame):
        table, geometry_type = single_geometry_type(table, layer)
    # GDAL stamps the time of writing into gpkg_contents; stamp the build's time instead, so
    # the same build and query give the same bytes (ETags, and GDAL reading by byte ranges
    # across requests, rely on it).
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": _gdal_date(metadata.get("built"))})
    pyogrio.write_dataframe(
        flatten(table),
        path,
        layer=layer,
        driver="GPKG",
        dataset_options=GPKG_DATASET_OPTIONS,
        geometry_type=geometry_type,
        dataset_metadata=_meta_text(meta) or None,
        layer_metadata={"DESCRIPTION": str(meta.get("title", layer))},
    )
    citations = _citations_by_place(frame, layer, metadata)
    if citations is not None:
        write_related_table(path, layer, "mentions", citations, key="place_id")
    return [path]


def _require_geometry(frame: pd.DataFrame, layer: str) -> None:
    """Refuse a table without geometry for a format that needs one (KML, FlatGeobuf)."""
    if not isinstance(frame, gpd.GeoDataFrame):
        others = ", ".join(f.suffix for f in FORMATS.values() if not f.spatial_only)
        msg = (
            f"{layer} has no geometry: export it as one of {others} / "
            f"{layer} 没有几何图形：请导出为 {others} 之一"
        )
        raise GeoError(msg)


def _write_kml(
    frame: pd.DataFrame,
    path: Path,
    metadata: dict[str, Any],
    layer: str,
    options: Mapping[str, Any],
) -> list[Path]:
    _require_geometry(frame, layer)
    require_wgs84(FORMATS["kml"], options)
    table, meta = prepare(frame, layer, metadata, options)
    citations = _citations_by_place(frame, layer, metadata)
    by_place = (
        {str(k): g.to_dict("records") for k, g in citations.groupby("place_id", sort=False)}
        if citations is not None
        else {}
    )
    path.write_text(kml_document(table, layer, meta, by_place), encoding="utf-8")
    return [path]


def _write_fgb(
    frame: pd.DataFrame,
    path: Path,
    metadata: dict[str, Any],
    layer: str,
    options: Mapping[str, Any],
) -> list[Path]:
    _require_geometry(frame, layer)
    table, meta = prepare(frame, layer, metadata, options)
    table, geometry_type = single_geometry_type(table, layer)
    # FlatGeobuf's spatial index cannot hold features without geometry (unplaced places).
    indexed = bool(len(table)) and bool(table.geometry.notna().all())
    pyogrio.write_dataframe(
        table,
        path,
        layer=layer,
        driver="FlatGeobuf",
        geometry_type=geometry_type,
        layer_options={
            "SPATIAL_INDEX": "YES" if indexed else "NO",
            "TITLE": str(meta.get("title", layer)),
            "DESCRIPTION": json.dumps(meta, ensure_ascii=False),
        },
    )
    return [path]


#: Key of the export's metadata in a Parquet file's key-value metadata.
PARQUET_METADATA_KEY = b"innovation_map"


def _write_parquet(
    frame: pd.DataFrame,
    path: Path,
    metadata: dict[str, Any],
    layer: str,
    options: Mapping[str, Any],
) -> list[Path]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table, meta = prepare(frame, layer, metadata, options)
    if isinstance(table, gpd.GeoDataFrame):
        single_geometry_type(table, layer)[0].to_parquet(path, index=False)
    else:
        pd.DataFrame(table).to_parquet(path, index=False)
    # Add the export's metadata beside GeoParquet's "geo" key, so the file carries it.
    arrow: pa.Table = pq.read_table(path)
    extra = {PARQUET_METADATA_KEY: json.dumps(meta, ensure_ascii=False).encode("utf-8")}
    pq.write_table(arrow.replace_schema_metadata({**(arrow.schema.metadata or {}), **extra}), path)
    return [path]


FORMATS: dict[str, ExportFormat] = {
    f.id: f
    for f in (
        ExportFormat(
            "geojson",
            ".geojson",
            "application/geo+json",
            "GeoJSON",
            "GeoJSON",
            _write_geojson,
            wgs84_standard="RFC 7946",
        ),
        ExportFormat("csv", ".csv", "text/csv", "CSV（表格）", "CSV (spreadsheet)", _write_csv),
        ExportFormat(
            "gpkg",
            ".gpkg",
            "application/geopackage+sqlite3",
            "GeoPackage",
            "GeoPackage",
            _write_gpkg,
        ),
        ExportFormat(
            "kml",
            ".kml",
            "application/vnd.google-earth.kml+xml",
            "KML（奥维、Google 地球）",
            "KML (Google Earth)",
            _write_kml,
            spatial_only=True,
            wgs84_standard="KML 2.2",
        ),
        ExportFormat(
            "parquet",
            ".parquet",
            "application/vnd.apache.parquet",
            "GeoParquet（geopandas、DuckDB）",
            "GeoParquet (geopandas, DuckDB)",
            _write_parquet,
        ),
        ExportFormat(
            "fgb",
            ".fgb",
            "application/flatgeobuf",
            "FlatGeobuf（QGIS、网页）",
            "FlatGeobuf (QGIS, web)",
            _write_fgb,
            spatial_only=True,
        ),
    )
}
EXPORT_SUFFIXES: tuple[str, ...] = tuple(f.suffix for f in FORMATS.values())

#: Download parameters beyond the query's (URL ``?excel=1&crs=EPSG:4490``; CLI ``--excel``,
#: ``--crs``), declared once for the API, the command line and the OpenAPI document.
EXCEL_PARAM = Param(
    "excel", {"type": "integer", "enum": [0, 1], "default": 0}, "CSV: byte-order mark for Excel"
)
EXPORT_PARAMS: tuple[Param, ...] = (EXCEL_PARAM, CRS_PARAM)


def params_for(fmt: ExportFormat) -> tuple[Param, ...]:
    """Return the download parameters ``fmt`` takes (``excel`` for CSV; ``crs`` but for WGS-84 only)."""
    return tuple(
        p
        for p in EXPORT_PARAMS
        if (p.name != "excel" or fmt.id == "csv") and (p.name != "crs" or not fmt.wgs84_standard)
    )


def format_for(path: Path) -> ExportFormat:
    """Return the format a file name's suffix names; GeoError listing the choices otherwise."""
    for fmt in FORMATS.values():
        if path.name.lower().endswith(fmt.suffix):
            return fmt
    msg = f"cannot export to {path.name!r}: the suffix must be one of {', '.join(EXPORT_SUFFIXES)}"
    raise GeoError(msg)


def write_collection(
    frame: pd.DataFrame,
    path: Path,
    metadata: dict[str, Any] | None = None,
    layer: str = "places",
    **options: Any,
) -> list[Path]:
    """Write one layer in the format its suffix names; return every file written.

    GeoJSON carries the metadata as a top-level member, GeoPackage, KML, FlatGeobuf and
    GeoParquet inside the file (dataset metadata, document description, header description,
    key-value metadata); CSV has no place for it, so a sidecar ``<name>.metadata.json`` is
    written beside it. Options: ``crs`` (see :mod:`geo.crs`; default WGS-84) and ``excel``
    (CSV with a byte-order mark).
    """
    return format_for(path).write(frame, path, metadata or {}, layer, options)
