"""Flask app factory: no work at import time; settings are read when the app is created."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import geopandas as gpd
from flask import Flask, Response, jsonify, request
from werkzeug.exceptions import HTTPException, SecurityError
from werkzeug.middleware.proxy_fix import ProxyFix

from geo import settings as geo_settings
from geo.errors import GeoError
from geo.io import load_layer, load_places
from geo.pipeline import GPKG_NAME
from geo.query import PlaceIndex
from layers.assets import STATIC_DIR
from layers.basemaps import basemaps
from layers.i18n import LANGS
from layers.popups import timeline_text
from mapapp import core, openapi, pages, renders, routes, security, serving, urls
from mapapp.errors import MapAppError, error_body
from mapapp.routes.common import AppState, page, state
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


def load_state(config: Mapping[str, Any]) -> AppState:
    """Load the build ``config`` names and render its map pages (at start, and on a new build)."""
    build_dir = Path(config["BUILD_DIR"])
    # Read every file from one build, even if the build folder is switched meanwhile.
    resolved = build_dir.resolve() if build_dir.exists() else build_dir
    stamp = core.build_stamp(resolved)
    data = load_map_data(resolved)
    choices = tuple(basemaps(config["TIANDITU_KEY"] or None))
    if config["DEFAULT_BASEMAP"] not in {b.id for b in choices}:
        msg = (
            f"DEFAULT_BASEMAP {config['DEFAULT_BASEMAP']!r} is not one of {[b.id for b in choices]}"
        )
        raise ValueError(msg)
    # The map depends only on the build: render each language once, at start-up.
    map_pages = pages.render_map_pages(data, choices, config["DEFAULT_BASEMAP"])
    served_pages, map_data = {}, {}
    for lang, html in map_pages.items():
        served_pages[lang], files = pages.split_lazy(html)
        map_data.update(files)
    return AppState(
        data=data,
        build_dir=build_dir,
        build_stamp=stamp,
        # What every response depends on besides its URL: the build, the code, the settings.
        build_id=(
            f"{stamp}|{core.code_stamp()}|{config['TIANDITU_KEY']}|{config['DEFAULT_BASEMAP']}"
        ),
        choices=choices,
        map_pages=map_pages,
        served_pages=served_pages,
        map_data=map_data,
        mounted={},
    )


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Create the app; ``config`` overrides the settings (e.g. ``{"BUILD_DIR": path}``)."""
    app = Flask(__name__, static_folder=str(STATIC_DIR))
    app.config.update(load_settings(config))
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    if app.config["PROXIES"]:
        # Honour X-Forwarded-* from exactly that many proxies (never from anybody else).
        n = app.config["PROXIES"]
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=n, x_proto=n, x_host=n, x_port=n, x_prefix=n
        )
    app.extensions["innovation_map"] = load_state(app.config)
    app.extensions["innovation_map_watcher"] = serving.BuildWatcher(
        app, lambda: load_state(app.config), every=app.config["BUILD_CHECK_S"]
    )
    renders.configure(app)
    routes.register(app)
    _reject_bad_encoding(app)
    _reject_unknown_parameters(app)
    serving.configure(app)
    _add_security_headers(app)
    _add_error_handler(app)
    # The popup's words for a timeline, so pages and popups say a status the same way.
    app.jinja_env.globals.update(u=urls.url, root=urls.root, timeline_text=timeline_text)
    return app


#: Routes that check their parameters themselves (map views, downloads, OGC items).
_SELF_CHECKED = re.compile(r"^/(?:$|embed$|api/|export/|ogc/collections/[^/]+/items$)")
_PLACEHOLDER = re.compile(r"\{[^}]+\}")


def _reject_bad_encoding(app: Flask) -> None:
    """Answer 400 for a query string that is not UTF-8, before any route reads its arguments."""

    @app.before_request
    def bad_encoding() -> None:
        core.check_query_encoding(request.query_string)


def _reject_unknown_parameters(app: Flask) -> None:
    """Answer 400 naming a query parameter the route does not declare in /openapi.json.

    Unknown parameters would otherwise be ignored, and every spelling would be a new entry in
    the response caches (ours and nginx's).
    """
    declared: dict[str, list[tuple[re.Pattern[str], frozenset[str]]]] = {}  # build id → paths

    def names_for(path: str) -> frozenset[str]:
        s = state()
        if s.build_id not in declared:
            doc = openapi.document("", s.data)
            templates = []
            for template, item in doc["paths"].items():
                names = frozenset(
                    p["name"] for p in item["get"].get("parameters", []) if p["in"] == "query"
                )
                parts = _PLACEHOLDER.split(template)  # "/places/{place_id}" → "/places/", ""
                templates.append((re.compile("[^/]+".join(map(re.escape, parts))), names))
            declared.clear()
            declared[s.build_id] = templates
        for pattern, names in declared[s.build_id]:
            if pattern.fullmatch(path):
                return names
        return frozenset()

    @app.before_request
    def unknown_parameters() -> None:
        if not request.args or request.url_rule is None:
            return
        f = request.args.getlist("f")
        if request.path.startswith("/ogc") and f and (len(f) > 1 or f[0] not in ("html", "json")):
            raise MapAppError(400, "f: must be json or html / 参数 f 须为 json 或 html")
        if _SELF_CHECKED.match(request.path) or request.path.startswith("/static/"):
            return
        allowed = names_for(request.path)
        for name in request.args:
            if name not in allowed:
                raise MapAppError(400, f"{name}: unknown parameter / 未知参数")


def _add_security_headers(app: Flask) -> None:
    policies: dict[str, tuple[str, str]] = {}  # build id → (framed, unframed)

    def csp() -> tuple[str, str]:
        s = state()
        if s.build_id not in policies:
            script_hashes = set().union(
                *(security.inline_script_hashes(p) for p in s.map_pages.values())
            )
            img_hosts = security.tile_hosts(u for b in s.choices for u in (b.url, b.overlay_url))
            policies.clear()  # only the current build's pages are served
            policies[s.build_id] = (
                security.content_security_policy(script_hashes, img_hosts, "*"),
                security.content_security_policy(script_hashes, img_hosts, "'none'"),
            )
        return policies[s.build_id]

    @app.after_request
    def security_headers(response: Response) -> Response:
        response.headers.update(security.SECURITY_HEADERS)
        framed, unframed = csp()
        # Only /embed may be framed (by any site); every other page refuses to be.
        if request.path.rstrip("/") == "/embed":
            response.headers["Content-Security-Policy"] = framed
        else:
            response.headers["Content-Security-Policy"] = unframed
            response.headers["X-Frame-Options"] = "DENY"
        return response


def _add_error_handler(app: Flask) -> None:
    @app.errorhandler(Exception)
    def handle_error(exc: Exception) -> tuple[Response | str, int]:
        headers: dict[str, str] = {}
        if isinstance(exc, MapAppError):
            status, message = exc.status, exc.user_msg
            headers = dict(getattr(exc, "headers", {}))  # Retry-After on a busy renderer
        elif isinstance(exc, HTTPException):
            status = exc.code or 500
            message = {404: "not found / 未找到", 405: "method not allowed / 不支持该方法"}.get(
                status, exc.name
            )
            if isinstance(exc, SecurityError):
                message = "Host: not a name this site answers to / 主机名不受信任"
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
