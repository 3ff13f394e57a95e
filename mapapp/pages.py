"""Render the map page once per language, and its offline and PNG forms (Flask-free)."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from layers.assets import localize_html
from layers.basemaps import Basemap, basemaps
from layers.build import map_from_layers
from layers.i18n import LANGS, Lang
from layers.offline import inline_html
from layers.ui import page_document
from mapapp.core import MapData
from mapapp.exports import select_places
from mapapp.snapshot import check_size, find_browser, print_pdf, screenshot


def render_map_pages(
    data: MapData, choices: Sequence[Basemap] = basemaps(), default_basemap: str = "none"
) -> dict[Lang, str]:
    """Return the map page of each language, with every asset local (fails if one is not)."""
    return {
        lang: page_document(
            localize_html(
                map_from_layers(
                    data.places,
                    data.districts,
                    data.hubs,
                    data.profiles,
                    lang=lang,
                    choices=choices,
                    metadata=data.metadata,
                    default_basemap=default_basemap,
                )
                .get_root()
                .render()
            ),
            lang,
        )
        for lang in LANGS
    }


def offline_page(
    page: str,
    query: str,
    *,
    embed: bool = False,
    slide: bool = False,
    charts: Mapping[str, str] | None = None,
) -> str:
    """Return one self-contained HTML file showing the view ``query`` describes.

    ``charts`` (:func:`mapapp.core.district_charts`) go in the file for its district panel.
    """
    return inline_html(page, query=query, embed=embed, slide=slide, charts=charts)


def slide_html(page: str, query: str) -> str:
    """Return the offline file of the view laid out for a slide (what the PNG export draws).

    Title band (what is shown: years, metric, filters), the map, a legend column and a source
    band below, none over another; no controls or zoom buttons.
    """
    return offline_page(page, f"{query}&caption=1&controls=0&fixed=1", embed=True, slide=True)


def _slide(
    fmt: str,
    data: MapData,
    page: str,
    query: str,
    args: dict[str, str],
    *,
    lang: Lang,
    width: int,
    height: int,
    scale: float,
    engine: str,
    tmp_dir: Path | None,
) -> tuple[bytes, str]:
    """Draw the slide as ``fmt`` ("png" or "pdf"); return its bytes and the engine used."""
    check_size(width, height, scale)
    browser = find_browser() if engine in ("auto", "chromium") else None
    if browser:
        html = slide_html(page, query)
        if fmt == "pdf":
            body = print_pdf(html, width=width, height=height, browser=browser, tmp_dir=tmp_dir)
        else:
            body = screenshot(
                html, width=width, height=height, scale=scale, browser=browser, tmp_dir=tmp_dir
            )
        return body, "chromium"
    # matplotlib (half a second to import) only for this fallback, not for every app start.
    from layers.static_map import static_png

    places = select_places(data, args)
    return static_png(
        places,
        data.districts,
        data.hubs,
        lang=lang,
        width=width,
        height=height,
        scale=scale,
        reports=data.reports,
        fmt=fmt,
    ), "matplotlib"


def png(
    data: MapData,
    page: str,
    query: str,
    args: dict[str, str],
    *,
    lang: Lang,
    width: int = 1920,
    height: int = 1080,
    scale: float = 2,
    engine: str = "auto",
    tmp_dir: Path | None = None,
) -> tuple[bytes, str]:
    """Return a PNG of the view and the engine that drew it ("chromium" or "matplotlib").

    The browser render is the map itself, with title, legend and source caption (embed
    preset, no controls). Without a browser, matplotlib draws the filtered places instead.
    """
    return _slide(
        "png",
        data,
        page,
        query,
        args,
        lang=lang,
        width=width,
        height=height,
        scale=scale,
        engine=engine,
        tmp_dir=tmp_dir,
    )


def pdf(
    data: MapData,
    page: str,
    query: str,
    args: dict[str, str],
    *,
    lang: Lang,
    width: int = 1920,
    height: int = 1080,
    engine: str = "auto",
    tmp_dir: Path | None = None,
    **_: Any,
) -> tuple[bytes, str]:
    """Return a one-page PDF of the view for print, and the engine that drew it.

    The PNG's slide (title, subtitle, labels, legend with the choropleth's classes, scale bar,
    source band), printed by the same browser as vectors with its text kept; without a
    browser, matplotlib's figure as a PDF. (``scale`` is accepted and ignored: vectors.)
    """
    return _slide(
        "pdf",
        data,
        page,
        query,
        args,
        lang=lang,
        width=width,
        height=height,
        scale=1,
        engine=engine,
        tmp_dir=tmp_dir,
    )


def oembed_link(base_url: str, page_url: str) -> str:
    """Return the oEmbed discovery ``<link>`` of the page at ``page_url`` (its absolute URL)."""
    href = f"{base_url}/oembed?{urlencode({'url': page_url, 'format': 'json'})}"
    return (
        f'<link rel="alternate" type="application/json+oembed" href="{escape(href)}" '
        'title="上海科技创新地图 · Shanghai innovation map">'
    )


def with_oembed(page: str, base_url: str, page_url: str) -> str:
    """Return the map page with its oEmbed discovery link (per request: it names the view)."""
    return page.replace("</head>", oembed_link(base_url, page_url) + "\n</head>", 1)


#: Where the app serves the lazy parts of its map pages, each named by its content's hash.
MAP_DATA = "/map-data/"
_LAZY_BLOCK = re.compile(
    r'<script type="application/json" id="im-lazy-(?P<name>\w+)">(?P<body>.*?)</script>', re.S
)


def split_lazy(page: str) -> tuple[str, dict[str, str]]:
    """Return the served form of a map page and its lazy parts (file name → JSON).

    The rendered page carries every part inline, as the offline file needs; the app serves
    the popups and search keys as files of their own, fetched when first needed
    (``static/js/lazy.js``), so the page a visitor loads is a third of the size. A file is named
    by its content's hash: the same for every request of a build, cached for good.
    """
    files: dict[str, str] = {}

    def moved(m: re.Match[str]) -> str:
        # Outside a <script> the escapes that keep "<" from closing it are not needed (a
        # popup's markup is a quarter shorter without them).
        body = json.dumps(json.loads(m.group("body")), ensure_ascii=False, separators=(",", ":"))
        name = hashlib.sha256(body.encode("utf-8")).hexdigest()[:20] + ".json"
        files[name] = body
        return (
            f'<script type="application/json" id="im-lazy-{m.group("name")}" '
            f'data-src="{MAP_DATA}{name}"></script>'
        )

    return _LAZY_BLOCK.sub(moved, page), files


_APP_LINK = re.compile(r'((?:href|src)=")/(?!/)')
# The same links inside JSON text (popups): the quote is escaped.
_JSON_APP_LINK = re.compile(r'((?:href|src)=\\")/(?!/)')


def mount(page: str, root: str) -> str:
    """Return the map page for an app mounted at ``root`` ("" or "/map"): links start there."""
    if not root:
        return page
    page = _APP_LINK.sub(lambda m: f"{m.group(1)}{root}/", page)
    return page.replace('"links":""', f'"links":{json.dumps(root)}', 1)


def mount_data(body: str, root: str) -> str:
    """Return a lazy part (JSON holding HTML) for an app mounted at ``root``: links start there."""
    return _JSON_APP_LINK.sub(lambda m: f"{m.group(1)}{root}/", body) if root else body


def mounted(state: Any, lang: Lang, root: str) -> str:
    """Return (and keep) the served map page of ``lang`` for the app's root."""
    key = (lang, root)
    if key not in state.mounted:
        state.mounted[key] = mount(state.served_pages[lang], root)
    page: str = state.mounted[key]
    return page
