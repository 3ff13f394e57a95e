"""What every route uses: the loaded state of the app and turning a Reply into a response."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Response, current_app, render_template

from layers.basemaps import Basemap
from layers.i18n import CATEGORY_TITLES, WORDS, Lang
from mapapp import urls
from mapapp.core import MapData
from mapapp.handlers import Reply


@dataclass
class AppState:
    """What the app loaded at start-up: the build, the basemaps and the rendered map pages."""

    data: MapData
    build_dir: Path
    build_stamp: str
    #: What every ETag and cache entry is tied to: the build and the settings the pages use.
    build_id: str
    choices: tuple[Basemap, ...]
    #: The rendered map pages, every part inline (the offline file and the PNG start here).
    map_pages: dict[Lang, str]
    #: The pages the app serves: their lazy parts moved to ``map_data`` (mapapp/pages.py).
    served_pages: dict[Lang, str]
    #: The lazy parts of every page: file name (content hash) → JSON.
    map_data: dict[str, str]
    mounted: dict[tuple[str, str], str]

    @property
    def basemap_ids(self) -> list[str]:
        """Return the ids of the basemaps offered."""
        return [b.id for b in self.choices]


def state() -> AppState:
    """Return the current app's state."""
    found: AppState = current_app.extensions["innovation_map"]
    return found


def respond(reply: Reply) -> Response:
    """Return the Flask response of a handler's reply."""
    response = Response(reply.data(), status=reply.status, content_type=_content_type(reply))
    response.headers.update(dict(reply.headers))
    return response


def _content_type(reply: Reply) -> str:
    media = reply.media_type
    # One charset, stated once; binary formats get none.
    if media.startswith("text/") or media in ("application/json", "image/svg+xml"):
        return f"{media}; charset=utf-8"
    return media


def page(template: str, lang: Lang, **context: Any) -> str:
    """Render one of the app's HTML pages in ``lang``."""
    titles = {k: v[lang] for k, v in CATEGORY_TITLES.items()}
    context.setdefault("metadata", state().data.metadata)
    return render_template(template, lang=lang, titles=titles, words=WORDS, u=urls.url, **context)
