"""The app's routes, as Blueprints: thin functions that parse, call a handler, and respond."""

from __future__ import annotations

from flask import Flask

from mapapp.routes import api, map_page, ogc, pages


def register(app: Flask) -> None:
    """Register every Blueprint on ``app``."""
    for blueprint in (map_page.bp, pages.bp, api.bp, ogc.bp):
        app.register_blueprint(blueprint)
