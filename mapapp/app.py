"""Flask app factory: no work at import time; settings live in ``app.config``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask, Response, jsonify, render_template

from geo import settings
from geo.errors import GeoError
from geo.io import gdf_to_feature_collection, load_places
from geo.pipeline import GPKG_NAME

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
    build_dir = Path(app.config["BUILD_DIR"])
    places = load_places(build_dir / GPKG_NAME)

    @app.get("/")
    def index() -> str:
        counts = places["category"].value_counts().to_dict()
        return render_template("index.html", total=len(places), counts=counts)

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
