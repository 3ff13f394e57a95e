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
import shapely

from geo.io import gdf_to_feature_collection
from geo.query import parse_bbox
from mapapp.core import MapData
from mapapp.errors import MapAppError
from mapapp.exports import select_places

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

#: collection → (title, description, id column, property filters)
COLLECTIONS: dict[str, tuple[str, str, str, tuple[str, ...]]] = {
    "places": (
        "Places · 地点",
        "Facilities, labs, institutes, universities, parks, incubators and platforms named in "
        "Shanghai's S&T reports, with citations and coordinate precision (WGS-84).",
        "id",
        ("category", "district", "year", "status", "q", "layers"),
    ),
    "districts": (
        "Districts · 行政区",
        "Shanghai's 16 districts (boundaries converted from GCJ-02 to WGS-84).",
        "adcode",
        ("district",),
    ),
    "hubs": (
        "Innovation hubs · 创新枢纽",
        "Zhangjiang, Lingang, the G60 corridor and other hubs; outlines are approximate.",
        "id",
        (),
    ),
}


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
    frames = {"places": data.places, "districts": data.districts, "hubs": data.hubs}
    if collection_id not in frames:
        raise MapAppError(404, f"no collection {collection_id!r} / 没有这个数据集")
    return frames[collection_id]


def collection(data: MapData, base: str, collection_id: str) -> dict[str, Any]:
    """One collection's description: title, extent, links to its items."""
    frame = _frame(data, collection_id)
    title, description, _, _ = COLLECTIONS[collection_id]
    placed = frame[frame.geometry.notna() & ~frame.geometry.is_empty]
    minx, miny, maxx, maxy = (round(float(v), 6) for v in placed.total_bounds)
    href = f"{base}/ogc/collections/{collection_id}"
    return {
        "id": collection_id,
        "title": title,
        "description": description,
        "itemType": "feature",
        "crs": [CRS84],
        "extent": {"spatial": {"bbox": [[minx, miny, maxx, maxy]], "crs": CRS84}},
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


def _paging(args: Mapping[str, Any]) -> tuple[int, int]:
    def number(name: str, default: int, low: int, high: int) -> int:
        raw = args.get(name)
        if raw in (None, ""):
            return default
        if not str(raw).isdigit() or not low <= int(raw) <= high:
            raise MapAppError(400, f"{name}: must be a whole number from {low} to {high}")
        return int(raw)

    return number("limit", DEFAULT_LIMIT, 1, MAX_LIMIT), number("offset", 0, 0, 10**9)


def _filtered(data: MapData, collection_id: str, args: Mapping[str, Any]) -> gpd.GeoDataFrame:
    frame = _frame(data, collection_id)
    allowed = {"f", "limit", "offset", "bbox", *COLLECTIONS[collection_id][3]}
    unknown = [k for k in args if k not in allowed]
    if unknown:
        raise MapAppError(400, f"{unknown[0]}: unknown parameter for {collection_id}")
    if collection_id == "places":
        return select_places(data, args)
    box = parse_bbox(args.get("bbox")) if args.get("bbox") else None
    if box is not None:
        frame = frame[frame.geometry.intersects(shapely.box(*box))]
    if collection_id == "districts" and args.get("district"):
        name = str(args["district"])
        frame = frame[(frame["name_zh"] == name) | (frame["name_en"] == name)]
    return frame


def items(data: MapData, base: str, collection_id: str, args: Mapping[str, Any]) -> dict[str, Any]:
    """Return a page of a collection's features, with numberMatched/numberReturned and paging links."""
    try:
        frame = _filtered(data, collection_id, args)
    except ValueError as exc:  # parse_bbox's QueryError
        raise MapAppError(400, f"bbox: {exc}") from None
    limit, offset = _paging(args)
    page = frame.iloc[offset : offset + limit]
    out = gdf_to_feature_collection(_with_ids(page, collection_id))
    href = f"{base}/ogc/collections/{collection_id}/items"
    keep = {k: v for k, v in args.items() if k not in ("f", "offset")}

    def url(fmt: str, new_offset: int) -> str:
        return f"{href}?{urlencode({**keep, 'f': fmt, 'offset': new_offset})}"

    links = [
        _link(url("json", offset), "self", GEOJSON, "this page"),
        _link(url("html", offset), "alternate", HTML, "this page as HTML"),
        _link(f"{base}/ogc/collections/{collection_id}", "collection", JSON),
    ]
    if offset + limit < len(frame):
        links.append(_link(url("json", offset + limit), "next", GEOJSON, "next page"))
    if offset > 0:
        links.append(_link(url("json", max(0, offset - limit)), "prev", GEOJSON, "previous page"))
    out.update(
        {
            "numberMatched": len(frame),
            "numberReturned": len(page),
            "timeStamp": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "links": links,
        }
    )
    return out


def _with_ids(frame: gpd.GeoDataFrame, collection_id: str) -> gpd.GeoDataFrame:
    id_column = COLLECTIONS[collection_id][2]
    if id_column == "id":
        return frame
    out = frame.copy()
    out.insert(0, "id", out[id_column].astype(str))
    return out


def item(data: MapData, base: str, collection_id: str, feature_id: str) -> dict[str, Any]:
    """One feature by id; 404 when unknown."""
    frame = _with_ids(_frame(data, collection_id), collection_id)
    rows = frame[frame["id"].astype(str) == feature_id]
    if rows.empty:
        raise MapAppError(404, "no such feature / 没有这个要素")
    feature: dict[str, Any] = gdf_to_feature_collection(rows)["features"][0]
    href = f"{base}/ogc/collections/{collection_id}"
    feature["links"] = [
        _link(f"{href}/items/{feature_id}?f=json", "self", GEOJSON),
        _link(f"{href}/items/{feature_id}?f=html", "alternate", HTML),
        _link(href, "collection", JSON),
    ]
    return feature


def _param(name: str, description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema,
        "style": "form",
        "explode": False,
    }


def openapi(base: str) -> dict[str, Any]:
    """Return the OpenAPI 3.0 definition of every /ogc path and parameter."""
    common = [
        _param("f", "response format", {"type": "string", "enum": ["json", "html"]}),
    ]
    paging = [
        _param(
            "limit",
            "number of features per page",
            {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT},
        ),
        _param("offset", "features to skip", {"type": "integer", "minimum": 0, "default": 0}),
        _param(
            "bbox",
            "min lon, min lat, max lon, max lat (CRS84)",
            {"type": "array", "minItems": 4, "maxItems": 4, "items": {"type": "number"}},
        ),
    ]
    filters = {
        "category": _param("category", "place categories, comma-separated", {"type": "string"}),
        "district": _param("district", "district, Chinese or English", {"type": "string"}),
        "year": _param("year", "report year(s) naming the place", {"type": "string"}),
        "status": _param("status", "status (in the given year's report)", {"type": "string"}),
        "q": _param("q", "text in names and aliases", {"type": "string", "maxLength": 100}),
        "layers": _param("layers", "map layer ids, comma-separated", {"type": "string"}),
    }
    ok = {"description": "OK"}
    errors = {"400": {"description": "bad parameter"}, "404": {"description": "not found"}}
    paths: dict[str, Any] = {
        "/ogc": {
            "get": {"summary": "landing page", "parameters": common, "responses": {"200": ok}}
        },
        "/ogc/conformance": {"get": {"summary": "conformance", "responses": {"200": ok}}},
        "/ogc/collections": {"get": {"summary": "collections", "responses": {"200": ok}}},
    }
    for cid, (title, _, _, names) in COLLECTIONS.items():
        paths[f"/ogc/collections/{cid}"] = {
            "get": {"summary": title, "responses": {"200": ok, **errors}}
        }
        paths[f"/ogc/collections/{cid}/items"] = {
            "get": {
                "summary": f"{title}: features",
                "parameters": common + paging + [filters[n] for n in names],
                "responses": {"200": ok, **errors},
            }
        }
        paths[f"/ogc/collections/{cid}/items/{{featureId}}"] = {
            "get": {
                "summary": f"{title}: one feature",
                "parameters": [
                    {
                        "name": "featureId",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string"},
                    },
                    *common,
                ],
                "responses": {"200": ok, **errors},
            }
        }
    return {
        "openapi": "3.0.3",
        "info": {"title": "Shanghai innovation map · OGC API - Features", "version": "1.0.0"},
        "servers": [{"url": base or "/"}],
        "paths": paths,
    }
