"""OGC API - Features: each route picks JSON or HTML for the document ``mapapp.ogc`` returns."""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Response, render_template, request

from mapapp import ogc, urls
from mapapp.routes.common import state

bp = Blueprint("ogc", __name__, url_prefix="/ogc")


def wants_html() -> bool:
    """Content negotiation: ``f=html|json`` first, then the Accept header."""
    f = request.args.get("f")
    if f in ("html", "json"):
        return f == "html"
    best = request.accept_mimetypes.best_match(
        ["application/json", "application/geo+json", "text/html"]
    )
    return best == "text/html"


def _respond(doc: dict[str, Any], media_type: str, collection: str = "") -> Response:
    if wants_html():
        html = render_template(
            "ogc.html",
            doc=doc,
            lang="en",
            metadata=state().data.metadata,
            base_path=urls.url(f"/ogc/collections/{collection}") if collection else "",
        )
        return Response(html, mimetype="text/html")
    return Response(json.dumps(doc, ensure_ascii=False), mimetype=media_type)


def _fmt() -> str:
    return "html" if wants_html() else "json"


@bp.get("")
@bp.get("/")
def landing() -> Response:
    """Serve the landing page."""
    return _respond(ogc.landing(urls.base(), state().data.metadata), ogc.JSON)


@bp.get("/conformance")
def conformance() -> Response:
    """Serve the conformance classes."""
    return _respond(ogc.conformance(), ogc.JSON)


@bp.get("/openapi")
def openapi() -> Response:
    """Serve the API definition."""
    body = json.dumps(ogc.openapi(urls.base(), state().data), ensure_ascii=False)
    return Response(body, mimetype=ogc.OPENAPI)


@bp.get("/collections")
def collections() -> Response:
    """Serve every collection."""
    return _respond(ogc.collections(state().data, urls.base()), ogc.JSON)


@bp.get("/collections/<cid>")
def collection(cid: str) -> Response:
    """Serve one collection."""
    return _respond(ogc.collection(state().data, urls.base(), cid), ogc.JSON)


@bp.get("/collections/<cid>/queryables")
def queryables(cid: str) -> Response:
    """Serve the properties a collection's items can be filtered by."""
    return _respond(ogc.queryables(state().data, urls.base(), cid), ogc.SCHEMA)


@bp.get("/collections/<cid>/items")
def items(cid: str) -> Response:
    """Serve a page of a collection's features."""
    doc = ogc.items(state().data, urls.base(), cid, request.args, fmt=_fmt())
    return _respond(doc, ogc.GEOJSON, cid)


@bp.get("/collections/<cid>/items/<fid>")
def item(cid: str, fid: str) -> Response:
    """Serve one feature."""
    return _respond(ogc.item(state().data, urls.base(), cid, fid), ogc.GEOJSON)
