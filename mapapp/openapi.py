"""The OpenAPI 3.0 document of the whole HTTP API (``/openapi.json``), used by the fuzz tests.

The OGC paths come from :func:`mapapp.ogc.openapi`; the rest are the map, pages, exports,
embed and health. Parameters carry their real constraints so a fuzzer explores both sides.
"""

from __future__ import annotations

from typing import Any

from geo.gazetteer import CATEGORIES
from layers.basemaps import BASEMAP_IDS
from layers.specs import LAYER_SPECS
from layers.ui import METRICS, STATUSES
from mapapp import ogc
from mapapp.exports import COLLECTIONS, FORMATS


def _q(name: str, schema: dict[str, Any], description: str = "") -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "schema": schema,
        "description": description,
    }


def _path(name: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}


def _get(summary: str, params: list[dict[str, Any]], media: str) -> dict[str, Any]:
    return {
        "get": {
            "summary": summary,
            "parameters": params,
            "responses": {
                "200": {"description": "OK", "content": {media: {}}},
                "304": {"description": "not modified"},
                "400": {"description": "bad parameter (names it)"},
                "404": {"description": "not found"},
            },
        }
    }


def document(base: str = "") -> dict[str, Any]:
    """Return the OpenAPI document."""
    lang = _q("lang", {"type": "string", "enum": ["zh", "en"]})
    layers = _q("layers", {"type": "string", "example": ",".join(s.id for s in LAYER_SPECS[:3])})
    filters = [
        layers,
        _q("category", {"type": "string", "example": CATEGORIES[0]}),
        _q("district", {"type": "string", "example": "浦东新区"}),
        _q("year", {"type": "string", "example": "2025"}),
        _q("status", {"type": "string", "enum": list(STATUSES)}),
        _q("bbox", {"type": "string", "example": "121.4,31.1,121.7,31.3"}),
        _q("q", {"type": "string", "maxLength": 100}),
    ]
    view = [
        lang,
        *filters,
        _q("metric", {"type": "string", "enum": list(METRICS)}),
        _q("basemap", {"type": "string", "enum": list(BASEMAP_IDS)}),
        _q("center", {"type": "string", "example": "31.2,121.5"}),
        _q("zoom", {"type": "integer", "minimum": 0, "maximum": 18}),
    ]
    embed = [
        _q(f, {"type": "string", "enum": ["0", "1"]})
        for f in ("controls", "scrollzoom", "fixed", "caption")
    ]
    paths: dict[str, Any] = {
        "/": _get("the map", view, "text/html"),
        "/embed": _get("the map for iframes", view + embed, "text/html"),
        "/places": _get("list of places", [lang], "text/html"),
        "/places.json": _get("list of places", [], "application/json"),
        "/places.geojson": _get("places", [], "application/geo+json"),
        "/places/{place_id}": _get("one place", [_path("place_id"), lang], "text/html"),
        "/places/{place_id}.json": _get("one place", [_path("place_id")], "application/json"),
        "/districts/{name}": _get("one district", [_path("name"), lang], "text/html"),
        "/districts/{name}.json": _get("one district", [_path("name")], "application/json"),
        "/api/metadata.json": _get("export metadata", [], "application/json"),
        "/oembed": _get(
            "oEmbed",
            [
                _q("url", {"type": "string", "format": "uri"}),
                _q("maxwidth", {"type": "integer"}),
                _q("maxheight", {"type": "integer"}),
                _q("format", {"type": "string", "enum": ["json", "xml"]}),
            ],
            "application/json",
        ),
        "/export/map.html": _get("offline single-file map", view, "text/html"),
        "/healthz": _get("health", [], "application/json"),
    }
    for collection in COLLECTIONS:
        for fmt in FORMATS:
            paths[f"/api/{collection}.{fmt}"] = _get(
                f"{collection} as {fmt}",
                filters if collection == "places" else filters[2:3],
                FORMATS[fmt][1],
            )
    doc = ogc.openapi(base)
    doc["info"] = {"title": "Shanghai innovation map API · 上海科技创新地图", "version": "1.0.0"}
    doc["paths"] = {**paths, **doc["paths"]}
    return doc
