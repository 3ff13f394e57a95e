"""Flask app factory: no work at import time; settings live in ``app.config``."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import geopandas as gpd
from flask import Flask, Response, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from geo import settings
from geo.io import load_layer, load_places
from geo.pipeline import GPKG_NAME
from geo.query import PlaceIndex
from layers.basemaps import basemaps
from layers.i18n import CATEGORY_TITLES, LANGS, WORDS, Lang
from mapapp import core, exports, ogc, openapi, pages, security, serving
from mapapp.errors import MapAppError, error_body

log = logging.getLogger(__name__)

DEFAULTS: dict[str, Any] = {
    # Folder holding the build (innovation_map.gpkg and friends).
    "BUILD_DIR": settings.BUILD_DIR,
    # Basemap on first load. "none" draws only the district polygons: complete offline and on
    # networks that block foreign tile servers, the right default for a public map of Shanghai.
    "DEFAULT_BASEMAP": os.environ.get("INNOVATION_MAP_BASEMAP", "none"),
    # Tianditu needs a key; without one it is not offered at all.
    "TIANDITU_KEY": os.environ.get("INNOVATION_MAP_TIANDITU_KEY", ""),
}
_DATA_SUFFIXES = (".json", ".geojson")


def load_map_data(build_dir: Path) -> core.MapData:
    """Load the build once; a missing or broken build raises a GeoError with a clear message."""
    gpkg = build_dir / GPKG_NAME
    places = load_places(gpkg)
    info_path = build_dir / "build_info.json"
    metadata = json.loads(info_path.read_text(encoding="utf-8")) if info_path.exists() else {}
    metadata.pop("summary", None)
    return core.MapData(
        places=places,
        districts=gpd.GeoDataFrame(load_layer(gpkg, "districts"), crs=settings.WGS84),
        hubs=gpd.GeoDataFrame(load_layer(gpkg, "hubs"), crs=settings.WGS84),
        profiles=load_layer(gpkg, "district_profiles"),
        metadata=metadata,
        index=PlaceIndex.of(places),
    )


def _wants_json() -> bool:
    if request.path.startswith("/ogc"):
        return not _wants_html()
    return (
        request.path.endswith(_DATA_SUFFIXES)
        or request.path == "/healthz"
        or request.path.startswith(("/api/", "/export/"))
        or request.path in ("/oembed", "/openapi.json")
    )


def _wants_html() -> bool:
    """OGC API content negotiation: ``f=html|json`` first, then the Accept header."""
    f = request.args.get("f")
    if f in ("html", "json"):
        return f == "html"
    best = request.accept_mimetypes.best_match(
        ["application/json", "application/geo+json", "text/html"]
    )
    return best == "text/html"


def _base() -> str:
    """Return the app's absolute root URL (links in OGC documents must be absolute for GIS clients)."""
    return request.url_root.rstrip("/")


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Create the app; ``config`` overrides :data:`DEFAULTS` (e.g. ``{"BUILD_DIR": path}``)."""
    app = Flask(__name__)
    app.config.update(DEFAULTS)
    app.config.update(config or {})
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    build_dir = Path(app.config["BUILD_DIR"])
    data = load_map_data(build_dir)
    build_stamp = core.build_stamp(build_dir)
    choices = basemaps(app.config["TIANDITU_KEY"] or None)
    if app.config["DEFAULT_BASEMAP"] not in {b.id for b in choices}:
        msg = f"DEFAULT_BASEMAP {app.config['DEFAULT_BASEMAP']!r} is not one of {[b.id for b in choices]}"
        raise ValueError(msg)
    view_options = core.view_options(data, [b.id for b in choices])
    # The map depends only on the build: render each language once, at start-up.
    map_pages = pages.render_map_pages(data, choices, app.config["DEFAULT_BASEMAP"])

    def page(template: str, lang: Lang, **context: Any) -> str:
        titles = {k: v[lang] for k, v in CATEGORY_TITLES.items()}
        context.setdefault("metadata", data.metadata)
        return render_template(template, lang=lang, titles=titles, words=WORDS, **context)

    @app.get("/")
    def index() -> Response:
        view = core.parse_view(request.args, view_options)
        return Response(map_pages[view["lang"]], mimetype="text/html")

    @app.get("/embed")
    def embed() -> Response:
        # The same page: its script sees the /embed path and applies the embed presets.
        view = core.parse_view(request.args, view_options)
        return Response(map_pages[view["lang"]], mimetype="text/html")

    @app.get("/oembed")
    def oembed() -> Response:
        return jsonify(core.oembed(request.args, request.host_url.rstrip("/")))

    @app.get("/export/map.html")
    def offline_html() -> Response:
        view = core.parse_view(request.args, view_options)
        html = pages.offline_page(map_pages[view["lang"]], request.query_string.decode())
        response = Response(html, mimetype="text/html")
        response.headers["Content-Disposition"] = (
            'attachment; filename="shanghai-innovation-map.html"'
        )
        return response

    @app.get("/export/map.png")
    def map_png() -> Response:
        view = core.parse_view(request.args, view_options)
        size = core.parse_png_size(request.args)
        map_args = {k: v for k, v in request.args.items() if k not in core.PNG_PARAMS}
        query = urlencode(
            [(k, v) for k, v in request.args.items(multi=True) if k not in core.PNG_PARAMS]
        )
        body, engine = pages.png(
            data, map_pages[view["lang"]], query, map_args, lang=view["lang"], **size
        )
        response = Response(body, mimetype="image/png")
        response.headers["Content-Disposition"] = (
            'attachment; filename="shanghai-innovation-map.png"'
        )
        response.headers["X-Rendered-By"] = engine
        return response

    @app.get("/places")
    def places_page() -> str:
        return page(
            "places.html", core.parse_lang(request.args.get("lang")), **core.place_list(data)
        )

    @app.get("/places.json")
    def places_json() -> Response:
        return jsonify(core.place_list(data))

    @app.get("/places.geojson")
    def places_geojson() -> Response:
        return Response(
            json.dumps(core.places_geojson(data), ensure_ascii=False),
            mimetype="application/geo+json",
        )

    @app.get("/places/<place_id>")
    def place_page(place_id: str) -> str:
        lang = core.parse_lang(request.args.get("lang"))
        return page("place.html", lang, **core.place_detail(data, place_id))

    @app.get("/places/<place_id>.json")
    def place_json(place_id: str) -> Response:
        return jsonify(core.place_detail(data, place_id))

    @app.get("/districts/<name>")
    def district_page(name: str) -> str:
        lang = core.parse_lang(request.args.get("lang"))
        return page("district.html", lang, **core.district_detail(data, name))

    @app.get("/districts/<name>.json")
    def district_json(name: str) -> Response:
        return jsonify(core.district_detail(data, name))

    @app.get("/api/metadata.json")
    def export_metadata() -> Response:
        return jsonify(data.metadata)

    @app.get("/api/<collection>.<fmt>")
    def api_export(collection: str, fmt: str) -> Response:
        download = exports.export(data, collection, fmt, request.args)
        response = Response(download.body, mimetype=download.media_type)
        response.headers["Content-Disposition"] = f'attachment; filename="{download.filename}"'
        # CSV has no place for metadata: point to it (the CLI writes a sidecar file instead).
        response.headers["Link"] = (
            '</api/metadata.json>; rel="describedby"; type="application/json"'
        )
        return response

    def ogc_response(doc: dict[str, Any], media_type: str, base_path: str = "") -> Response:
        if _wants_html():
            html = render_template(
                "ogc.html", doc=doc, lang="en", metadata=data.metadata, base_path=base_path
            )
            return Response(html, mimetype="text/html")
        body = json.dumps(doc, ensure_ascii=False)
        return Response(body, mimetype=media_type)

    @app.get("/ogc")
    @app.get("/ogc/")
    def ogc_landing() -> Response:
        return ogc_response(ogc.landing(_base(), data.metadata), ogc.JSON)

    @app.get("/ogc/conformance")
    def ogc_conformance() -> Response:
        return ogc_response(ogc.conformance(), ogc.JSON)

    @app.get("/openapi.json")
    def openapi_document() -> Response:
        return Response(
            json.dumps(openapi.document(_base()), ensure_ascii=False), mimetype="application/json"
        )

    @app.get("/ogc/openapi")
    def ogc_openapi() -> Response:
        return Response(json.dumps(ogc.openapi(_base()), ensure_ascii=False), mimetype=ogc.OPENAPI)

    @app.get("/ogc/collections")
    def ogc_collections() -> Response:
        return ogc_response(ogc.collections(data, _base()), ogc.JSON)

    @app.get("/ogc/collections/<cid>")
    def ogc_collection(cid: str) -> Response:
        return ogc_response(ogc.collection(data, _base(), cid), ogc.JSON)

    @app.get("/ogc/collections/<cid>/items")
    def ogc_items(cid: str) -> Response:
        doc = ogc.items(data, _base(), cid, request.args)
        return ogc_response(doc, ogc.GEOJSON, f"/ogc/collections/{cid}")

    @app.get("/ogc/collections/<cid>/items/<fid>")
    def ogc_item(cid: str, fid: str) -> Response:
        return ogc_response(ogc.item(data, _base(), cid, fid), ogc.GEOJSON)

    @app.get("/healthz")
    def healthz() -> tuple[Response, int]:
        # The data is served from memory; if the build on disk went away or changed, say so,
        # so a load balancer takes this worker out until it is restarted on a good build.
        problem = core.build_problem(build_dir, build_stamp)
        if problem:
            return jsonify({"ok": False, "status": 503, "error": problem}), 503
        return jsonify(
            {"ok": True, "places": len(data.places), "built": data.metadata.get("built")}
        ), 200

    @app.get("/favicon.ico")
    def favicon() -> Response:
        return Response(status=204)  # Chromium asks for it; a 404 would be a console error

    build_id = f"{build_stamp}|{app.config['TIANDITU_KEY']}|{app.config['DEFAULT_BASEMAP']}"
    serving.configure(app, build_id)

    script_hashes = set().union(*(security.inline_script_hashes(p) for p in map_pages.values()))
    img_hosts = security.tile_hosts(u for b in choices for u in (b.url, b.overlay_url))
    csp_framed = security.content_security_policy(script_hashes, img_hosts, "*")
    csp_unframed = security.content_security_policy(script_hashes, img_hosts, "'none'")

    @app.after_request
    def security_headers(response: Response) -> Response:
        response.headers.update(security.SECURITY_HEADERS)
        # Only /embed may be framed (by any site); every other page refuses to be.
        if request.path.rstrip("/") == "/embed":
            response.headers["Content-Security-Policy"] = csp_framed
        else:
            response.headers["Content-Security-Policy"] = csp_unframed
            response.headers["X-Frame-Options"] = "DENY"
        return response

    @app.errorhandler(Exception)
    def handle_error(exc: Exception) -> tuple[Response | str, int]:
        if isinstance(exc, MapAppError):
            status, message = exc.status, exc.user_msg
        elif isinstance(exc, HTTPException):
            status = exc.code or 500
            message = {404: "not found / 未找到", 405: "method not allowed / 不支持该方法"}.get(
                status, exc.name
            )
        else:
            log.exception("unhandled error on %s", request.path)
            status, message = 500, "internal error / 服务器内部错误"
        if _wants_json():
            return jsonify(error_body(status, message)), status
        lang = request.args.get("lang") if request.args.get("lang") in LANGS else "zh"
        return page("error.html", lang, status=status, message=message), status  # type: ignore[arg-type]

    return app
