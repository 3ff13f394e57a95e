"""The OpenAPI 3.0 document of the whole HTTP API (``/openapi.json``), used by the fuzz tests.

Generated from the same parameter declarations that parse requests (:data:`geo.query.PARAMS`,
:data:`mapapp.core.VIEW_PARAMS` …), so the document cannot drift from the code. The OGC paths
come from :func:`mapapp.ogc.openapi`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from geo.formats import EXPORT_PARAMS, FORMATS, params_for
from geo.query import COLLECTION_FILTERS, PARAMS, Param
from geo.vocab import COLLECTIONS
from layers.basemaps import BASEMAP_IDS
from mapapp import ogc
from mapapp.core import (
    EMBED_PARAMS,
    PDF_PARAMS_DECLARED,
    PNG_PARAMS_DECLARED,
    VIEW_PARAMS,
    MapData,
)

_ERROR = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
_HTML = {"text/html": {"schema": {"type": "string"}}}
#: Errors of a data URL: the one JSON shape. (A proxy in front may answer 414 for a request
#: line over its limit.)
ERROR_RESPONSES: dict[str, Any] = {
    "400": {"description": "bad parameter (the message names it)", **_ERROR},
    "404": {"description": "not found", **_ERROR},
    "414": {"description": "request line too long"},
}
#: Errors of a page: an HTML page for a browser (the same message), JSON for data clients.
HTML_ERROR_RESPONSES: dict[str, Any] = {
    code: {**spec, "content": {**spec.get("content", {}), **_HTML}} if code != "414" else spec
    for code, spec in ERROR_RESPONSES.items()
}
COMPONENTS: dict[str, Any] = {
    "schemas": {
        "Error": {
            "type": "object",
            "required": ["ok", "status", "error"],
            "properties": {
                "ok": {"type": "boolean", "enum": [False]},
                "status": {"type": "integer"},
                "error": {"type": "string"},
            },
        },
        "FeatureCollection": {
            "type": "object",
            "required": ["type", "features"],
            "properties": {
                "type": {"type": "string", "enum": ["FeatureCollection"]},
                "features": {"type": "array", "items": {"type": "object"}},
            },
        },
    }
}


def parameter(p: Param, report_years: Sequence[int] = ()) -> dict[str, Any]:
    """Return the OpenAPI query parameter object of a declaration."""
    schema = dict(p.schema)
    if p.name == "year" and report_years:
        schema = {"type": "array", "items": {"type": "integer", "enum": list(report_years)}}
    if p.name == "basemap":
        schema = {"type": "string", "enum": list(BASEMAP_IDS)}
    out: dict[str, Any] = {
        "name": p.name,
        "in": "query",
        "required": False,
        "description": p.description,
        "schema": schema,
        # An empty value ("status=") means the parameter was not given.
        "allowEmptyValue": True,
    }
    if schema.get("type") == "array":
        out.update({"style": "form", "explode": False})
    return out


def path_parameter(name: str) -> dict[str, Any]:
    """Return a required string path parameter."""
    return {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}


def _get(summary: str, params: list[dict[str, Any]], media: str) -> dict[str, Any]:
    errors = HTML_ERROR_RESPONSES if media == "text/html" else ERROR_RESPONSES
    return {
        "get": {
            "summary": summary,
            "parameters": params,
            "responses": {
                "200": {"description": "OK", "content": {media: {}}},
                "304": {"description": "not modified"},
                **errors,
            },
        }
    }


def _with_501(operation: dict[str, Any]) -> dict[str, Any]:
    """Add oEmbed's own answer for a format it does not offer (XML): 501, as its spec asks."""
    operation["get"]["responses"]["501"] = {"description": "format not offered", **_ERROR}
    return operation


def document(base: str, data: MapData) -> dict[str, Any]:
    """Return the OpenAPI document."""
    years = data.report_years
    lang = parameter(next(p for p in VIEW_PARAMS if p.name == "lang"))
    filters = [parameter(p, years) for p in PARAMS]
    view = [parameter(p, years) for p in VIEW_PARAMS] + filters
    paths: dict[str, Any] = {
        "/": _get("the map", view, "text/html"),
        "/embed": _get(
            "the map for iframes", view + [parameter(p) for p in EMBED_PARAMS], "text/html"
        ),
        "/places": _get("list of places", [lang], "text/html"),
        "/places.json": _get("list of places", [], "application/json"),
        "/places.geojson": _get("places", [], "application/geo+json"),
        "/places/{place_id}": _get("one place", [path_parameter("place_id"), lang], "text/html"),
        "/places/{place_id}.json": _get(
            "one place", [path_parameter("place_id")], "application/json"
        ),
        "/districts/{name}": _get("one district", [path_parameter("name"), lang], "text/html"),
        "/districts/{name}.json": _get(
            "one district", [path_parameter("name")], "application/json"
        ),
        "/districts/{name}/chart.svg": _get(
            "one district's places by category per report year (SVG chart)",
            [path_parameter("name"), lang],
            "image/svg+xml",
        ),
        "/hubs/{hub_id}": _get(
            "one hub and its places", [path_parameter("hub_id"), lang], "text/html"
        ),
        "/hubs/{hub_id}.json": _get("one hub", [path_parameter("hub_id")], "application/json"),
        "/api/metadata.json": _get(
            "the build's metadata (no filters, WGS-84)", [], "application/json"
        ),
        "/oembed": _with_501(
            _get(
                "oEmbed",
                [
                    {
                        "name": "url",
                        "in": "query",
                        "required": False,
                        "schema": {"type": "string", "format": "uri"},
                    },
                    {
                        "name": "maxwidth",
                        "in": "query",
                        "required": False,
                        "schema": {"type": "integer"},
                    },
                    {
                        "name": "maxheight",
                        "in": "query",
                        "required": False,
                        "schema": {"type": "integer"},
                    },
                    {
                        "name": "format",
                        "in": "query",
                        "required": False,
                        "schema": {"type": "string", "enum": ["json", "xml"]},
                    },
                ],
                "application/json",
            )
        ),
        "/export/map.html": _get("offline single-file map", view, "text/html"),
        "/export/map.png": _get(
            "the view as a PNG", view + [parameter(p) for p in PNG_PARAMS_DECLARED], "image/png"
        ),
        "/export/map.pdf": _get(
            "the view as a PDF for print (vector; same layout as the PNG)",
            view + [parameter(p) for p in PDF_PARAMS_DECLARED],
            "application/pdf",
        ),
        "/healthz": _get("health", [], "application/json"),
    }
    for collection in COLLECTIONS:
        taken = [p for p in filters if p["name"] in COLLECTION_FILTERS[collection]]
        # The metadata of the download with the same query (a CSV download's Link header).
        paths[f"/api/{collection}.metadata.json"] = _get(
            f"metadata of a {collection} download: collection, filters, crs, licence, sources",
            taken + [parameter(p) for p in EXPORT_PARAMS],
            "application/json",
        )
        for fmt in FORMATS.values():
            params = taken + [parameter(p) for p in params_for(fmt)]
            paths[f"/api/{collection}.{fmt.id}"] = _get(
                f"{collection} as {fmt.title_en}", params, fmt.media_type
            )
    doc = ogc.openapi(base, data)
    doc["info"] = {"title": "Shanghai innovation map API · 上海科技创新地图", "version": "1.0.0"}
    doc["paths"] = {**paths, **doc["paths"]}
    return doc
