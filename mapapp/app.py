"""Flask app factory: no work at import time; settings live in ``app.config``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import geopandas as gpd
from flask import Flask, Response, jsonify, request

from geo import settings
from geo.errors import GeoError
from geo.io import gdf_to_feature_collection, load_layer, load_places
from geo.pipeline import GPKG_NAME
from layers.assets import localize_html
from layers.build import map_from_layers
from layers.i18n import LANGS, Lang

DEFAULTS: dict[str, Any] = {
    # Folder holding the build (innovation_map.gpkg and friends).
    "BUILD_DIR": settings.BUILD_DIR,
}


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Create the app; ``config`` overrides :data:`DEFAULTS` (e.g. ``{"BUILD_DIR": path}``)."""
    app = Flask(__name__)
    app.config.update(DEFAULTS)
    app.config.update(config or {})
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    gpkg = Path(app.config["BUILD_DIR"]) / GPKG_NAME
    places = load_places(gpkg)
    districts = gpd.GeoDataFrame(load_layer(gpkg, "districts"), crs=settings.WGS84)
    hubs = gpd.GeoDataFrame(load_layer(gpkg, "hubs"), crs=settings.WGS84)
    # The map depends only on the build: render each language once, at start-up.
    pages: dict[Lang, str] = {
        lang: localize_html(map_from_layers(places, districts, hubs, lang=lang).get_root().render())
        for lang in LANGS
    }

    @app.get("/")
    def index() -> Response | tuple[Response, int]:
        lang = request.args.get("lang", "zh")
        if lang not in LANGS:
            return jsonify(
                {"ok": False, "status": 400, "error": "lang must be zh or en / lang 须为 zh 或 en"}
            ), 400
        return Response(pages[lang], mimetype="text/html")

    @app.get("/favicon.ico")
    def favicon() -> Response:
        return Response(status=204)  # Chromium asks for it; a 404 would be a console error

    @app.get("/places.geojson")
    def places_geojson() -> Response:
        return jsonify(gdf_to_feature_collection(places))

    @app.get("/healthz")
    def healthz() -> Response:
        return jsonify({"ok": True, "places": len(places)})

    @app.errorhandler(404)
    def not_found(_: Exception) -> tuple[Response, int]:
        return jsonify({"ok": False, "status": 404, "error": "not found / 未找到"}), 404

    return app


__all__ = ["GeoError", "create_app"]
