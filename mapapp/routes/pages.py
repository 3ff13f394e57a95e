"""Plain pages with JSON twins: the list of places, one place, one district."""

from __future__ import annotations

from flask import Blueprint, Response, request
from markupsafe import Markup

from layers.i18n import Lang
from mapapp import core, handlers, hubs
from mapapp.routes.common import page, respond, state

bp = Blueprint("pages", __name__)


def _lang() -> Lang:
    return core.parse_lang(request.args.get("lang"))


@bp.get("/places")
def places_page() -> str:
    """Serve every place, as a list a screen reader can read."""
    return page("places.html", _lang(), **core.place_list(state().data))


@bp.get("/places.json")
def places_json() -> Response:
    """Serve every place, as JSON."""
    return respond(handlers.place_list(state().data))


@bp.get("/places.geojson")
def places_geojson() -> Response:
    """Serve every place, as GeoJSON."""
    return respond(handlers.places_geojson(state().data))


@bp.get("/places/<place_id>")
def place_page(place_id: str) -> str:
    """Serve one place, with its citations."""
    return page("place.html", _lang(), **core.place_detail(state().data, place_id))


@bp.get("/places/<place_id>.json")
def place_json(place_id: str) -> Response:
    """Serve one place, as JSON."""
    return respond(handlers.Reply(core.place_detail(state().data, place_id)))


@bp.get("/districts/<name>")
def district_page(name: str) -> str:
    """Serve one district: its profiles per report, a chart of its places, its places."""
    detail = core.district_detail(state().data, name)
    chart = Markup(core.district_chart(detail, _lang()))  # built and escaped by layers.charts
    return page("district.html", _lang(), chart=chart, **detail)


@bp.get("/districts/<name>/chart.svg")
def district_chart(name: str) -> Response:
    """Serve one district's chart (the map's district panel shows it inline)."""
    detail = core.district_detail(state().data, name)
    return respond(handlers.Reply(core.district_chart(detail, _lang()), "image/svg+xml"))


@bp.get("/districts/<name>.json")
def district_json(name: str) -> Response:
    """Serve one district, as JSON."""
    return respond(handlers.Reply(core.district_detail(state().data, name)))


@bp.get("/hubs/<hub_id>")
def hub_page(hub_id: str) -> str:
    """Serve one hub: its places by category, their statuses by report, its sentences."""
    return page("hub.html", _lang(), **hubs.hub_detail(state().data, hub_id))


@bp.get("/hubs/<hub_id>.json")
def hub_json(hub_id: str) -> Response:
    """Serve one hub, as JSON."""
    return respond(handlers.Reply(hubs.hub_detail(state().data, hub_id)))
