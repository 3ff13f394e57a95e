"""Export formats, registered once: id, file suffix, media type, titles and writer.

The web API (``/api/<collection>.<format>``), the command line (``innovation-map export``)
and the map's download dialog all list and use formats from :data:`FORMATS`, so a new
format means one :class:`ExportFormat` here plus its test.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pyogrio

from geo import settings
from geo.errors import GeoError
from geo.io import flatten, table_frame, write_geojson

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


#: Leading characters a spreadsheet may run as a formula (OWASP's list for CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def defuse_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """Prefix text cells that a spreadsheet would run as a formula with a quote."""
    out = frame.copy()
    for col in _text_columns(out):
        out[col] = [
            "'" + v if isinstance(v, str) and v.startswith(FORMULA_PREFIXES) else v
            for v in out[col]
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


def _meta_text(metadata: Mapping[str, Any]) -> dict[str, str]:
    return {
        k: v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)
        for k, v in metadata.items()
    }


def _write_geojson(
    frame: pd.DataFrame, path: Path, metadata: dict[str, Any], layer: str, _: Mapping[str, Any]
) -> list[Path]:
    spatial = (
        frame
        if isinstance(frame, gpd.GeoDataFrame)
        else gpd.GeoDataFrame(frame, geometry=[None] * len(frame), crs=settings.WGS84)
    )
    write_geojson(spatial, path, metadata)
    return [path]


def _write_csv(
    frame: pd.DataFrame,
    path: Path,
    metadata: dict[str, Any],
    layer: str,
    options: Mapping[str, Any],
) -> list[Path]:
    # Excel reads UTF-8 only after a byte-order mark; other readers prefer none.
    encoding = "utf-8-sig" if options.get("excel") else "utf-8"
    defuse_formulas(table_frame(frame)).to_csv(path, index=False, encoding=encoding)
    sidecar = path.with_name(path.stem + ".metadata.json")
    sidecar.write_text(json.dumps(metadata, ensure_ascii=False, indent=1), encoding="utf-8")
    return [path, sidecar]


def _write_gpkg(
    frame: pd.DataFrame, path: Path, metadata: dict[str, Any], layer: str, _: Mapping[str, Any]
) -> list[Path]:
    pyogrio.write_dataframe(
        flatten(frame),
        path,
        layer=layer,
        driver="GPKG",
        dataset_metadata=_meta_text(metadata) or None,
    )
    return [path]


def _write_kml(
    frame: pd.DataFrame, path: Path, metadata: dict[str, Any], layer: str, _: Mapping[str, Any]
) -> list[Path]:
    if not isinstance(frame, gpd.GeoDataFrame):
        msg = f"{layer} has no geometry: export it as .geojson, .csv or .gpkg"
        raise GeoError(msg)
    placed = _html_inert(flatten(frame[frame.geometry.notna() & ~frame.geometry.is_empty]))
    if "name_zh" in placed and "name" not in placed:
        # LIBKML shows the field called "name" as each placemark's label.
        names = zip(placed["name_zh"], placed["name_en"], strict=True)
        placed.insert(0, "name", [f"{zh} · {en}" if en else str(zh) for zh, en in names])
    description = json.dumps(metadata, ensure_ascii=False).replace("<", "&lt;").replace(">", "&gt;")
    pyogrio.write_dataframe(
        placed,
        path,
        layer=layer,
        driver="LIBKML",
        dataset_options={"NAME": layer, "DESCRIPTION": description if metadata else ""},
    )
    return [path]


FORMATS: dict[str, ExportFormat] = {
    f.id: f
    for f in (
        ExportFormat(
            "geojson", ".geojson", "application/geo+json", "GeoJSON", "GeoJSON", _write_geojson
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
        ),
    )
}
EXPORT_SUFFIXES: tuple[str, ...] = tuple(f.suffix for f in FORMATS.values())


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

    GeoJSON carries the metadata as a top-level member, GeoPackage and KML inside the file
    (dataset metadata / document description); CSV has no place for it, so a sidecar
    ``<name>.metadata.json`` is written beside it.
    """
    return format_for(path).write(frame, path, metadata or {}, layer, options)
