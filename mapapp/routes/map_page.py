"""The map (``/``), its embed (``/embed``), and its offline HTML and PNG exports."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from flask import Blueprint, Response, current_app, request

from mapapp import core, pages, renders, urls
from mapapp.errors import MapAppError
from mapapp.routes.common import state
from mapapp.snapshot import check_size

bp = Blueprint("map_page", __name__)


def _map(embed: bool) -> Response:
    s = state()
    view = core.parse_view(request.args, s.data, s.basemap_ids, embed=embed)
    page = pages.mounted(s, view["lang"], urls.root())
    page_url = urls.base() + request.full_path.rstrip("?")
    return Response(pages.with_oembed(page, urls.base(), page_url), mimetype="text/html")


@bp.get("/")
def index() -> Response:
    """Serve the map."""
    return _map(embed=False)


@bp.get("/embed")
def embed() -> Response:
    """Serve the same page: its script sees the /embed path and applies the embed presets."""
    return _map(embed=True)


@bp.get(pages.MAP_DATA + "<name>")
def map_data(name: str) -> Response:
    """Serve a lazy part of the map page: its popups or search keys (one build's, by hash)."""
    body = state().map_data.get(name)
    if body is None:
        raise MapAppError(404, "not found / 未找到")
    return Response(pages.mount_data(body, urls.root()), mimetype="application/json")


@bp.get("/export/map.html")
def offline_html() -> Response:
    """Serve the view as one self-contained HTML file."""
    s = state()
    view = core.parse_view(request.args, s.data, s.basemap_ids, embed=True)
    html = pages.offline_page(
        s.map_pages[view["lang"]],
        request.query_string.decode(),
        charts=core.district_charts(s.data, view["lang"]),
    )
    response = Response(html, mimetype="text/html")
    response.headers["Content-Disposition"] = 'attachment; filename="shanghai-innovation-map.html"'
    return response


@bp.get("/export/map.png")
def map_png() -> Response:
    """Serve the view as a PNG for slides (bounded and cached: mapapp.renders)."""
    return _render("png")


@bp.get("/export/map.pdf")
def map_pdf() -> Response:
    """Serve the view as a one-page vector PDF for print: the PNG's layout, the same limits."""
    return _render("pdf")


#: Per format: its own parameters and its media type; ``pages.<format>`` draws it (looked up
#: per request, so a test may replace it).
_FORMATS: dict[str, tuple[tuple[str, ...], str]] = {
    "png": (core.PNG_PARAMS, "image/png"),
    "pdf": (core.PDF_PARAMS, "application/pdf"),
}


def _render(fmt: str) -> Response:
    s = state()
    own, media = _FORMATS[fmt]
    draw: Callable[..., tuple[bytes, str]] = getattr(pages, fmt)
    view_args = {k: v for k, v in request.args.items() if k not in own}
    view = core.parse_view(view_args, s.data, s.basemap_ids, embed=True)
    size = core.parse_png_size(request.args)
    if fmt == "pdf":
        size["scale"] = 1  # vectors: no pixel ratio
    check_size(size["width"], size["height"], size["scale"])  # before waiting for a slot
    query = urlencode([(k, v) for k, v in request.args.items(multi=True) if k not in own])
    # The format is part of the key: a PNG and a PDF of one view are two renders.
    key = renders.view_key(
        s.build_id,
        [("format", fmt), ("mount", request.script_root), *request.args.items(multi=True)],
    )
    body, engine = current_app.extensions["innovation_map_renders"].render(
        key,
        lambda tmp: draw(
            s.data,
            s.map_pages[view["lang"]],
            query,
            view_args,
            lang=view["lang"],
            tmp_dir=tmp,
            **size,
        ),
    )
    response = Response(body, mimetype=media)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="shanghai-innovation-map.{fmt}"'
    )
    response.headers["X-Rendered-By"] = engine
    return response
