"""Render the map page once per language, and its offline and PNG forms (Flask-free)."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from layers.assets import localize_html
from layers.basemaps import Basemap, basemaps
from layers.build import map_from_layers
from layers.i18n import LANGS, Lang
from layers.offline import inline_html
from layers.static_map import static_png
from mapapp.core import MapData
from mapapp.exports import select_places
from mapapp.snapshot import check_size, find_browser, screenshot


def render_map_pages(
    data: MapData, choices: Sequence[Basemap] = basemaps(), default_basemap: str = "none"
) -> dict[Lang, str]:
    """Return the map page of each language, with every asset local (fails if one is not)."""
    return {
        lang: localize_html(
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
        )
        for lang in LANGS
    }


def offline_page(page: str, query: str, *, embed: bool = False) -> str:
    """Return one self-contained HTML file showing the view ``query`` describes."""
    return inline_html(page, query=query, embed=embed)


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
    check_size(width, height, scale)
    browser = find_browser() if engine in ("auto", "chromium") else None
    if browser:
        # Embed preset for slides: caption and legend on, no controls, no zoom buttons.
        html = offline_page(page, f"{query}&caption=1&controls=0&fixed=1", embed=True)
        return screenshot(
            html, width=width, height=height, scale=scale, browser=browser, tmp_dir=tmp_dir
        ), "chromium"
    places = select_places(data, args)
    return static_png(
        places, data.districts, data.hubs, lang=lang, width=width, height=height, scale=scale
    ), "matplotlib"


_APP_LINK = re.compile(r'((?:href|src)=")/(?!/)')


def mount(page: str, root: str) -> str:
    """Return the map page for an app mounted at ``root`` ("" or "/map"): links start there."""
    if not root:
        return page
    page = _APP_LINK.sub(lambda m: f"{m.group(1)}{root}/", page)
    return page.replace('"links":""', f'"links":{json.dumps(root)}', 1)


def mounted(state: Any, lang: Lang, root: str) -> str:
    """Return (and keep) the map page of ``lang`` for the app's root."""
    key = (lang, root)
    if key not in state.mounted:
        state.mounted[key] = mount(state.map_pages[lang], root)
    page: str = state.mounted[key]
    return page
