"""Downloads, metadata, oEmbed, the OpenAPI document and the health check."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, request

from mapapp import core, handlers, openapi, urls
from mapapp.handlers import Reply
from mapapp.routes.common import respond, state

bp = Blueprint("api", __name__)


@bp.get("/api/<collection>.metadata.json")
def download_metadata(collection: str) -> Response:
    """Serve the metadata of the download with the same collection and query (CSV's Link)."""
    return respond(handlers.export_metadata(state().data, collection, request.args))


@bp.get("/api/<collection>.<fmt>")
def api_export(collection: str, fmt: str) -> Response:
    """Serve a collection, filtered like the map, in any export format."""
    reply = handlers.export(state().data, collection, fmt, request.args, urls.root())
    # Byte ranges: GDAL and QGIS open a GeoPackage over HTTP (/vsicurl/) by reading parts.
    response = respond(reply)
    response.make_conditional(request, accept_ranges=True, complete_length=len(reply.body))
    return response


@bp.get("/api/metadata.json")
def export_metadata() -> Response:
    """Serve the build's metadata: sources, licence, datum, date."""
    return respond(Reply(state().data.metadata))


@bp.get("/oembed")
def oembed() -> Response:
    """OEmbed for a map URL of this site."""
    return respond(Reply(core.oembed(request.args, urls.base())))


@bp.get("/openapi.json")
def openapi_document() -> Response:
    """Serve the OpenAPI document of the whole API."""
    return respond(Reply(openapi.document(urls.base(), state().data)))


@bp.get("/healthz")
def healthz() -> Response:
    """Tell whether this worker serves the build on disk."""
    watcher = current_app.extensions["innovation_map_watcher"]
    watcher.check(force=True)  # a health check sees a new build at once
    reloading = watcher.loading  # read before the state: a reload may finish in between
    s = state()
    problem = core.build_problem(s.build_dir, s.build_stamp, reloading=reloading)
    if problem and not reloading:  # the build may have been switched just now: look again
        watcher.check(force=True)
        reloading = watcher.loading
        s = state()
        problem = core.build_problem(s.build_dir, s.build_stamp, reloading=reloading)
    return respond(handlers.health(s.data, problem))


@bp.get("/favicon.ico")
def favicon() -> Response:
    """Answer nothing (Chromium asks for it; a 404 would be a console error)."""
    return Response(status=204)
