"""OGC API - Features (Part 1: Core) over the build: landing page, conformance, collections, items.

Implemented here rather than by mounting pygeoapi (see docs/ogc.md): the app already holds the
data in memory, the filters must mean what they mean on the map and in exports, and pygeoapi's
HTML pages load Leaflet from a CDN, which this project never does. Flask-free: every handler
returns plain data; the route chooses JSON or HTML.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

import geopandas as gpd

from geo.io import gdf_to_feature_collection
from geo.params import ParamError, pairs, parse_int, single
from geo.query import COLLECTION_FILTERS, DATETIME, PARAMS, Param, PlaceQuery, check_known
from geo.vocab import CATEGORIES, FEATURE_ID_COLUMNS, STATUSES
from mapapp.core import MapData, collection_source
from mapapp.errors import MapAppError
from mapapp.exports import collection_frame

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
]
DEFAULT_LIMIT = 100
MAX_LIMIT = 10_000
GEOJSON = "application/geo+json"
JSON = "application/json"
HTML = "text/html"
OPENAPI = "application/vnd.oai.openapi+json;version=3.0"
SCHEMA = "application/schema+json"

#: collection → (title, description). Ids come from ``geo.vocab.FEATURE_ID_COLUMNS`` and
#: filters from ``geo.query.COLLECTION_FILTERS``, as for the downloads.
COLLECTIONS: dict[str, tuple[str, str]] = {
    "places": (
        "Places · 地点",
        "Facilities, labs, institutes, universities, parks, incubators and platforms named in "
        "Shanghai's S&T reports, with citations and coordinate precision (WGS-84).",
    ),
    "districts": (
        "Districts · 行政区",
        "Shanghai's 16 districts (boundaries converted from GCJ-02 to WGS-84).",
    ),
    "hubs": (
        "Innovation hubs · 创新枢纽",
        "Zhangjiang, Lingang and the other hubs as areas; outlines are approximate.",
    ),
    "corridors": (
        "Corridors · 走廊",
        "The G60 science and innovation corridor as a schematic line linking its cities.",
    ),
}


def filters_of(collection_id: str) -> tuple[str, ...]:
    """Return the query parameters that filter a collection's items (``datetime`` for places)."""
    names = [p.name for p in PARAMS if p.name in COLLECTION_FILTERS[collection_id]]
    return (*names, "datetime") if collection_id == "places" else tuple(names)


def _link(href: str, rel: str, type_: str, title: str = "") -> dict[str, str]:
    link = {"href": href, "rel": rel, "type": type_}
    if title:
        link["title"] = title
    return link


def landing(base: str, metadata: Mapping[str, Any]) -> dict[str, Any]:
    """Return the landing page: what the service is and where everything is."""
    return {
        "title": "Shanghai innovation map · 上海科技创新地图 (OGC API - Features)",
        "description": str(metadata.get("licence", "")),
        "links": [
            _link(f"{base}/ogc?f=json", "self", JSON, "this document"),
            _link(f"{base}/ogc?f=html", "alternate", HTML, "this document as HTML"),
            _link(f"{base}/ogc/openapi", "service-desc", OPENAPI, "the API definition"),
            _link(f"{base}/ogc/conformance", "conformance", JSON, "conformance classes"),
            _link(f"{base}/ogc/collections", "data", JSON, "collections"),
        ],
    }


def conformance() -> dict[str, Any]:
    """Return the conformance classes implemented."""
    return {"conformsTo": CONFORMANCE}


def _frame(data: MapData, collection_id: str) -> gpd.GeoDataFrame:
    if collection_id not in COLLECTIONS:
        raise MapAppError(404, f"no collection {collection_id!r} / 没有这个数据集")
    frame: gpd.GeoDataFrame = collection_source(data, collection_id)
    return frame


def collection(data: MapData, base: str, collection_id: str) -> dict[str, Any]:
    """One collection's description: title, extent, links to its items."""
    frame = _frame(data, collection_id)
    title, description = COLLECTIONS[collection_id]
    placed = frame[frame.geometry.notna() & ~frame.geometry.is_empty]
    href = f"{base}/ogc/collections/{collection_id}"
    # An empty collection has no extent (the member is optional; NaN is not JSON).
    extent = (
        {
            "extent": {
                "spatial": {
                    "bbox": [[round(float(v), 6) for v in placed.total_bounds]],
                    "crs": CRS84,
                }
            }
        }
        if len(placed)
        else {}
    )
    return {
        "id": collection_id,
        "title": title,
        "description": description,
        "itemType": "feature",
        "crs": [CRS84],
        **extent,
        "links": [
            _link(href, "self", JSON, title),
            _link(f"{href}/items?f=json", "items", GEOJSON, "items as GeoJSON"),
            _link(f"{href}/items?f=html", "items", HTML, "items as HTML"),
        ],
    }


def collections(data: MapData, base: str) -> dict[str, Any]:
    """Every collection."""
    return {
        "links": [_link(f"{base}/ogc/collections", "self", JSON, "collections")],
        "collections": [collection(data, base, c) for c in COLLECTIONS],
    }


#: Paging parameters, declared once for parsing and for the API definition.
PAGING: tuple[Param, ...] = (
    Param(
        "limit",
        {"type": "integer", "minimum": 1, "default": DEFAULT_LIMIT},
        f"features per page (larger values are capped at {MAX_LIMIT})",
    ),
    Param("offset", {"type": "integer", "minimum": 0, "default": 0}, "features to skip"),
)


def _paging(args: Mapping[str, Any]) -> tuple[int, int]:
    """Return (limit, offset); a limit above the maximum is capped, as OGC API asks."""
    limit_raw, offset_raw = single(args, "limit"), single(args, "offset")
    limit = parse_int("limit", limit_raw, low=1, high=10**9) if limit_raw else DEFAULT_LIMIT
    offset = parse_int("offset", offset_raw, low=0, high=10**9) if offset_raw else 0
    return min(limit, MAX_LIMIT), offset


def _filtered(data: MapData, collection_id: str, args: Mapping[str, Any]) -> gpd.GeoDataFrame:
    _frame(data, collection_id)  # 404 for an unknown collection
    check_known(args, {"f", "limit", "offset", *filters_of(collection_id)})
    query = PlaceQuery.parse(args, report_years=data.report_years, allow_datetime=True)
    frame: gpd.GeoDataFrame = collection_frame(data, collection_id, query)
    return frame


def items(
    data: MapData, base: str, collection_id: str, args: Mapping[str, Any], fmt: str = "json"
) -> dict[str, Any]:
    """Return a page of a collection's features, with numberMatched/numberReturned and paging links.

    ``fmt`` is the representation being served: its paging links keep it (an HTML page links
    to HTML pages), with the other representation as ``alternate``.
    """
    try:
        frame = _filtered(data, collection_id, args)
        limit, offset = _paging(args)
    except ParamError as exc:
        raise MapAppError(exc.status, exc.user_message) from None
    page = _served(data, frame.iloc[offset : offset + limit], collection_id)
    out = gdf_to_feature_collection(page, id_column=FEATURE_ID_COLUMNS[collection_id])
    href = f"{base}/ogc/collections/{collection_id}/items"
    keep = [(k, v) for k, v in pairs(args) if k not in ("f", "offset", "limit")]
    other = "html" if fmt == "json" else "json"
    media = {"json": GEOJSON, "html": HTML}

    def url(f: str, new_offset: int) -> str:
        return f"{href}?{urlencode([*keep, ('limit', limit), ('offset', new_offset), ('f', f)])}"

    links = [
        _link(url(fmt, offset), "self", media[fmt], "this page"),
        _link(url(other, offset), "alternate", media[other], f"this page as {other.upper()}"),
        _link(f"{base}/ogc/collections/{collection_id}", "collection", JSON),
    ]
    if offset + limit < len(frame):
        links.append(_link(url(fmt, offset + limit), "next", media[fmt], "next page"))
    if offset > 0:
        links.append(_link(url(fmt, max(0, offset - limit)), "prev", media[fmt], "previous page"))
    out.update(
        {
            "numberMatched": len(frame),
            "numberReturned": len(page),
            "timeStamp": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "links": links,
        }
    )
    return out


def queryables(data: MapData, base: str, collection_id: str) -> dict[str, Any]:
    """Return the JSON Schema of the properties items can be filtered by (OGC API Part 3)."""
    _frame(data, collection_id)
    schemas: dict[str, Any] = {
        "category": {"title": "category · 类别", "type": "string", "enum": list(CATEGORIES)},
        "district": {"title": "district · 所在区", "type": "string"},
        "status": {"title": "status · 状态", "type": "string", "enum": list(STATUSES)},
        "year": {
            "title": "report year · 报告年份",
            "type": "integer",
            "enum": list(data.report_years),
        },
        "q": {"title": "text in names and aliases · 名称检索", "type": "string"},
    }
    # The property-like filters this collection takes (bbox and datetime are not properties).
    properties = {n: schemas[n] for n in filters_of(collection_id) if n in schemas}
    properties["geometry"] = {"$ref": "https://geojson.org/schema/Geometry.json"}
    return {
        "$schema": "https://json-schema.org/draft/2019-09/schema",
        "$id": f"{base}/ogc/collections/{collection_id}/queryables",
        "type": "object",
        "title": COLLECTIONS[collection_id][0],
        "properties": properties,
        "additionalProperties": False,
    }


def _served(data: MapData, frame: gpd.GeoDataFrame, collection_id: str) -> gpd.GeoDataFrame:
    """Return ``frame``'s rows with the properties of the collection's GeoJSON download."""
    rows: gpd.GeoDataFrame = data.served(collection_id).loc[frame.index]
    return rows


def item(data: MapData, base: str, collection_id: str, feature_id: str) -> dict[str, Any]:
    """One feature by id; 404 when unknown."""
    frame = _frame(data, collection_id)
    id_column = FEATURE_ID_COLUMNS[collection_id]
    rows = frame[frame[id_column].astype(str) == feature_id] if id_column else frame.iloc[:0]
    if rows.empty:
        raise MapAppError(404, "no such feature / 没有这个要素")
    shown = _served(data, rows, collection_id)
    feature: dict[str, Any] = gdf_to_feature_collection(shown, id_column=id_column)["features"][0]
    href = f"{base}/ogc/collections/{collection_id}"
    feature["links"] = [
        _link(f"{href}/items/{feature_id}?f=json", "self", GEOJSON),
        _link(f"{href}/items/{feature_id}?f=html", "alternate", HTML),
        _link(href, "collection", JSON),
    ]
    return feature


def openapi(base: str, data: MapData) -> dict[str, Any]:
    """Return the OpenAPI 3.0 definition of every /ogc path, from the parameters' declarations."""
    from mapapp.openapi import HTML_ERROR_RESPONSES as ERROR_RESPONSES
    from mapapp.openapi import parameter, path_parameter

    f = parameter(Param("f", {"type": "string", "enum": ["json", "html"]}, "response format"))
    years = data.report_years
    declared = {p.name: p for p in (*PARAMS, DATETIME)}
    ok = {"description": "OK"}
    fc = {
        "description": "features",
        "content": {
            GEOJSON: {"schema": {"$ref": "#/components/schemas/FeatureCollection"}},
            HTML: {"schema": {"type": "string"}},  # f=html, or a browser's Accept
        },
    }
    paths: dict[str, Any] = {
        "/ogc": {
            "get": {
                "summary": "landing page",
                "parameters": [f],
                "responses": {"200": ok, **ERROR_RESPONSES},  # 400: a bad f or unknown parameter
            }
        },
        "/ogc/conformance": {
            "get": {
                "summary": "conformance",
                "parameters": [f],
                "responses": {"200": ok, **ERROR_RESPONSES},  # 400: a bad f or unknown parameter
            }
        },
        "/ogc/collections": {
            "get": {
                "summary": "collections",
                "parameters": [f],
                "responses": {"200": ok, **ERROR_RESPONSES},  # 400: a bad f or unknown parameter
            }
        },
    }
    for cid, (title, _) in COLLECTIONS.items():
        filters = [parameter(declared[n], years) for n in filters_of(cid)]
        paths[f"/ogc/collections/{cid}"] = {
            "get": {
                "summary": title,
                "parameters": [f],
                "responses": {"200": ok, **ERROR_RESPONSES},
            }
        }
        paths[f"/ogc/collections/{cid}/queryables"] = {
            "get": {
                "summary": f"{title}: queryables",
                "parameters": [f],
                "responses": {"200": ok, **ERROR_RESPONSES},
            }
        }
        paths[f"/ogc/collections/{cid}/items"] = {
            "get": {
                "summary": f"{title}: features",
                "parameters": [f, *(parameter(p) for p in PAGING), *filters],
                "responses": {"200": fc, **ERROR_RESPONSES},
            }
        }
        paths[f"/ogc/collections/{cid}/items/{{featureId}}"] = {
            "get": {
                "summary": f"{title}: one feature",
                "parameters": [path_parameter("featureId"), f],
                "responses": {"200": ok, **ERROR_RESPONSES},
            }
        }
    from mapapp.openapi import COMPONENTS

    return {
        "openapi": "3.0.3",
        "info": {"title": "Shanghai innovation map · OGC API - Features", "version": "1.0.0"},
        "servers": [{"url": base or "/"}],
        "paths": paths,
        "components": COMPONENTS,
    }
