"""Filtered downloads: a PlaceQuery → the same places in any export format (geo/formats).

"What you see is what you download": every filter is parsed by :class:`geo.query.PlaceQuery`,
exactly as the map page and the OGC API parse it. Flask-free: the route turns the returned
:class:`Download` into a response.
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import shapely

from geo.crs import parse_crs
from geo.errors import GeoError
from geo.formats import EXPORT_PARAMS, FORMATS, export_metadata
from geo.params import ParamError, parse_flag, single
from geo.query import COLLECTION_FILTERS, PARAM_NAMES, PlaceQuery, check_applies, check_known
from geo.vocab import COLLECTIONS
from mapapp.core import VIEW_ONLY, MapData, collection_source, with_counts
from mapapp.errors import MapAppError

#: Parameters a download accepts: the query's, the map view's (ignored), ``excel`` and ``crs``.
ACCEPTED = frozenset(PARAM_NAMES | set(VIEW_ONLY) | {p.name for p in EXPORT_PARAMS})


@dataclass(frozen=True)
class Download:
    """A file to send: its bytes, media type and suggested file name."""

    body: bytes
    media_type: str
    filename: str


def parse_query(data: MapData, args: Mapping[str, Any], **options: Any) -> PlaceQuery:
    """Return the PlaceQuery of ``args`` for this build; a bad value is a 400 naming it."""
    try:
        return PlaceQuery.parse(args, report_years=data.report_years, **options)
    except ParamError as exc:
        raise MapAppError(exc.status, exc.user_message) from None


def select_places(data: MapData, args: Mapping[str, Any]) -> pd.DataFrame:
    """Return the places the map shows for these URL parameters; 400 naming a bad one."""
    try:
        check_known(args, ACCEPTED)
    except ParamError as exc:
        raise MapAppError(400, exc.user_message) from None
    places: pd.DataFrame = parse_query(data, args).apply(data.places, data.index)
    return places


def collection_frame(data: MapData, collection: str, query: PlaceQuery) -> pd.DataFrame:
    """Return one collection, filtered.

    Places take the whole query; the other collections the filters they take
    (``geo.query.COLLECTION_FILTERS``: a district, a report year, a bbox).
    """
    if collection == "places":
        places: pd.DataFrame = query.apply(data.places, data.index)
        return places
    frame = collection_source(data, collection)
    takes = COLLECTION_FILTERS[collection]
    if query.districts and "district" in takes:
        column = "name_zh" if collection == "districts" else "district_zh"
        frame = frame[frame[column].isin(query.districts)]
    if query.years is not None and "year" in takes:
        frame = frame[frame["year"].isin(query.years)]
    if query.bbox is not None and "bbox" in takes:
        frame = frame[frame.geometry.intersects(shapely.box(*query.bbox))]
    return frame


def export_frame(data: MapData, collection: str, query: PlaceQuery) -> pd.DataFrame:
    """Return one collection as exported: filtered, districts with the choropleth's counts."""
    return with_counts(data, collection, collection_frame(data, collection, query))


def export_options(args: Mapping[str, Any]) -> dict[str, Any]:
    """Return the writer options of ``args`` (``excel``, ``crs``); ParamError naming a bad one."""
    return {
        "excel": parse_flag("excel", single(args, "excel") or None),
        "crs": parse_crs(single(args, "crs") or None),
    }


def parse_download(
    data: MapData, collection: str | None, args: Mapping[str, Any]
) -> tuple[PlaceQuery, dict[str, Any]]:
    """Return the query and writer options of a download's parameters; 400 naming a bad one.

    The one reading of a download's parameters (web download, its metadata, the CLI): an
    unknown parameter, or a filter ``collection`` does not take, is refused. ``None`` (a data
    package of every collection) applies each filter where it can.
    """
    try:
        check_known(args, ACCEPTED)
        if collection is not None:
            check_applies(args, collection)
        options = export_options(args)
    except ParamError as exc:
        raise MapAppError(400, exc.user_message) from None
    return parse_query(data, args), options


def export(data: MapData, collection: str, fmt: str, args: Mapping[str, Any]) -> Download:
    """Return the filtered collection as a file in ``fmt`` (with the build's metadata)."""
    if collection not in COLLECTIONS:
        raise MapAppError(404, f"no collection {collection!r} / 没有这个数据集")
    if fmt not in FORMATS:
        choices = ", ".join(FORMATS)
        raise MapAppError(400, f"format: use one of {choices} / 格式须为 {choices}")
    query, options = parse_download(data, collection, args)
    frame = export_frame(data, collection, query)
    spec = FORMATS[fmt]
    metadata = download_metadata(data, collection, query)
    with tempfile.TemporaryDirectory(prefix="innovation-map-export-") as tmp:
        path = Path(tmp) / f"{collection}{spec.suffix}"
        try:
            spec.write(frame, path, metadata, collection, options)
        except ParamError as exc:  # a parameter the format refuses (crs=GCJ-02 with KML)
            raise MapAppError(exc.status, exc.user_message) from None
        except GeoError as exc:
            raise MapAppError(400, f"format: {exc}") from None
        return Download(
            path.read_bytes(), spec.media_type, f"shanghai-innovation-{collection}{spec.suffix}"
        )


def download_metadata(data: MapData, collection: str, query: PlaceQuery) -> dict[str, Any]:
    """Return the build's metadata plus what a download asked for (collection, filters)."""
    return {**data.metadata, "collection": collection, "filters": query.as_params()}


def metadata_document(data: MapData, collection: str, args: Mapping[str, Any]) -> dict[str, Any]:
    """Return the metadata of the download ``args`` ask for, as its GeoJSON embeds it.

    Its CRS, filters, licence and sources: what a CSV, which has no place for metadata, links
    to (``Link: </api/<collection>.metadata.json?<the same query>>``). Parsed as the download
    parses it, so a query the download refuses is refused here too.
    """
    if collection not in COLLECTIONS:
        raise MapAppError(404, f"no collection {collection!r} / 没有这个数据集")
    query, options = parse_download(data, collection, args)
    return export_metadata(download_metadata(data, collection, query), options)
