"""Flask app factory: no work at import time; settings are read when the app is created."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import geopandas as gpd
from flask import Flask, Response, jsonify, request
from werkzeug.exceptions import HTTPException

from geo import settings as geo_settings
from geo.errors import GeoError
from geo.io import load_layer, load_places
from geo.pipeline import GPKG_NAME
from geo.query import PlaceIndex
from layers.assets import STATIC_DIR
from layers.basemaps import basemaps
from layers.i18n import LANGS
from mapapp import core, pages, routes, security, serving, urls
from mapapp.errors import MapAppError, error_body
from mapapp.routes.common import AppState, page
from mapapp.routes.ogc import wants_html
from mapapp.settings import load_settings

log = logging.getLogger(__name__)

_DATA_SUFFIXES = (".json", ".geojson")


def load_map_data(build_dir: Path) -> core.MapData:
    """Load the build once; a missing or broken build raises a GeoError with a clear message."""
    gpkg = build_dir / GPKG_NAME
    places = load_places(gpkg)
    info_path = build_dir / "build_info.json"
    try:
        metadata = json.loads(info_path.read_text(encoding="utf-8")) if info_path.exists() else {}
    except (OSError, ValueError) as exc:
        msg = f"{info_path} is unreadable ({exc}); run `innovation-map build` again"
        raise GeoError(msg) from None
    metadata.pop("summary", None)
    return core.MapData(
        places=places,
        districts=gpd.GeoDataFrame(load_layer(gpkg, "districts"), crs=geo_settings.WGS84),
        hubs=gpd.GeoDataFrame(load_layer(gpkg, "hubs"), crs=geo_settings.WGS84),
        profiles=load_layer(gpkg, "district_profiles"),
        metadata=metadata,
        index=PlaceIndex.of(places),
    )


def _wants_json() -> bool:
    if request.path.startswith("/ogc"):
        return not wants_html()
    return (
        request.path.endswith(_DATA_SUFFIXES)
        or request.path == "/healthz"
        or request.path.startswith(("/api/", "/export/"))
        or request.path in ("/oembed", "/openapi.json")
    )


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Create the app; ``config`` overrides the settings (e.g. ``{"BUILD_DIR": path}``)."""
    app = Flask(__name__, static_folder=str(STATIC_DIR))
    app.config.update(load_settings(config))
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    build_dir = Path(app.config["BUILD_DIR"])
    data = load_map_data(build_dir)
    choices = tuple(basemaps(app.config["TIANDITU_KEY"] or None))
    if app.config["DEFAULT_BASEMAP"] not in {b.id for b in choices}:
        msg = f"DEFAULT_BASEMAP {app.config['DEFAULT_BASEMAP']!r} is not one of {[b.id for b in choices]}"
        raise ValueError(msg)
    # The map depends only on the build: render each language once, at start-up.
    map_pages = pages.render_map_pages(data, choices, app.config["DEFAULT_BASEMAP"])
    build_stamp = core.build_stamp(build_dir)
    app.extensions["innovation_map"] = AppState(
        data=data,
        build_dir=build_dir,
        build_stamp=build_stamp,
        choices=choices,
        map_pages=map_pages,
        mounted={},
    )
    routes.register(app)
    build_id = f"{build_stamp}|{app.config['TIANDITU_KEY']}|{app.config['DEFAULT_BASEMAP']}"
    serving.configure(app, build_id)
    _add_security_headers(app, map_pages, choices)
    _add_error_handler(app)
    app.jinja_env.globals.update(u=urls.url, root=urls.root)
    return app


def _add_security_headers(app: Flask, map_pages: dict[Any, str], choices: Any) -> None:
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


def _add_error_handler(app: Flask) -> None:
    @app.errorhandler(Exception)
    def handle_error(exc: Exception) -> tuple[Response | str, int]:
        headers: dict[str, str] = {}
        if isinstance(exc, MapAppError):
            status, message = exc.status, exc.user_msg
        elif isinstance(exc, HTTPException):
            status = exc.code or 500
            message = {404: "not found / 未找到", 405: "method not allowed / 不支持该方法"}.get(
                status, exc.name
            )
            headers = {k: v for k, v in exc.get_headers() if k == "Allow"}
        else:
            log.exception("unhandled error on %s", request.path)
            status, message = 500, "internal error / 服务器内部错误"
        if _wants_json():
            response = jsonify(error_body(status, message))
        else:
            lang = request.args.get("lang") if request.args.get("lang") in LANGS else "zh"
            response = Response(
                page("error.html", lang, status=status, message=message),  # type: ignore[arg-type]
                mimetype="text/html",
            )
        response.headers.update(headers)
        return response, status
