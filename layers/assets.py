"""Serve folium's CDN assets from the vendored copies; fail loudly on anything left external.

The rendered page is post-processed: each known CDN URL is string-replaced by its copy under
``layers/static/vendor`` (made by ``scripts/vendor_assets.sh``), then any ``src``/``href`` still
pointing at another host raises :class:`AssetError`. Post-processing is the only method that
also reaches branca's d3, which ``ColorMap.render()`` adds inside ``render()`` where no class or
instance attribute can override it (shared/notes/offline-map.md §2a). A folium or branca upgrade
that changes a URL therefore fails instead of silently loading from a CDN again.

Tile URL templates live inside JavaScript, not in ``src``/``href`` attributes, and are left as
they are.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

__all__ = [
    "DEFAULT_PREFIX",
    "STATIC_DIR",
    "URL_MAP",
    "VENDOR_DIR",
    "VENDOR_SUBDIR",
    "AssetError",
    "external_refs",
    "localize_html",
    "missing_vendor_files",
]

#: URL prefix the vendored files are served under (Flask's ``/static`` + :data:`VENDOR_SUBDIR`).
DEFAULT_PREFIX = "/static/vendor"
#: Folder under the static folder that holds the vendored packages.
VENDOR_SUBDIR = "vendor"
#: The map page's static files; the app serves this folder as ``/static``.
STATIC_DIR = Path(__file__).resolve().parent / "static"
#: Where ``scripts/vendor_assets.sh`` puts the files: ``<npm-package>@<version>/...``.
VENDOR_DIR = STATIC_DIR / VENDOR_SUBDIR

#: Every CDN URL folium 0.20.0, its plugins and branca 0.8.2 put in the page → path of the local
#: copy relative to the static prefix (i.e. relative to :data:`VENDOR_DIR`). The table is data,
#: kept in ``vendor_urls.json`` beside this module.
URL_MAP: dict[str, str] = json.loads(
    (Path(__file__).with_name("vendor_urls.json")).read_text(encoding="utf-8")
)["urls"]

# src= / href= (also data-src=, xlink:href=) whose value, quoted or not, starts with
# http://, https:// or //. A backslash-escaped quote (href=\"https://…\" inside a JSON string,
# e.g. a tile layer's attribution) is not an attribute and does not match.
_EXTERNAL_REF = re.compile(
    r"""(?:src|href)\s*=\s*["']?\s*((?:https?:)?//[^\s"'<>]*)""",
    re.IGNORECASE,
)


class AssetError(RuntimeError):
    """A rendered page still references an asset on another host."""


def external_refs(html: str) -> list[str]:
    """List the distinct external ``src``/``href`` targets in a page.

    Parameters
    ----------
    html
        A rendered HTML page.

    Returns
    -------
    list of str
        Sorted URLs starting with ``http://``, ``https://`` or ``//``.
    """
    return sorted(set(_EXTERNAL_REF.findall(html)))


def localize_html(html: str, static_prefix: str = DEFAULT_PREFIX) -> str:
    """Point every known CDN URL at its vendored copy.

    Parameters
    ----------
    html
        A rendered folium page, e.g. ``m.get_root().render()``.
    static_prefix
        URL under which :data:`VENDOR_DIR` is served.

    Returns
    -------
    str
        The page with each :data:`URL_MAP` key replaced by ``static_prefix/<local path>``.

    Raises
    ------
    AssetError
        If any ``src``/``href`` still points at ``http://``, ``https://`` or ``//``.
    """
    prefix = static_prefix.rstrip("/")
    for url in sorted(URL_MAP, key=len, reverse=True):
        html = html.replace(url, f"{prefix}/{URL_MAP[url]}")
    left = external_refs(html)
    if left:
        msg = (
            f"{len(left)} external asset(s) left after localising: {left}. Vendor them with "
            "scripts/vendor_assets.sh and add them to layers.assets.URL_MAP."
        )
        raise AssetError(msg)
    return html


def missing_vendor_files(static_dir: Path = STATIC_DIR) -> list[str]:
    """List the files :data:`URL_MAP` points at that are not on disk.

    Parameters
    ----------
    static_dir
        The static folder that holds :data:`VENDOR_SUBDIR` (Flask's ``app.static_folder``).

    Returns
    -------
    list of str
        Sorted paths relative to ``static_dir`` (``vendor/leaflet@1.9.3/dist/leaflet.js``);
        empty when every file is present.
    """
    wanted = {f"{VENDOR_SUBDIR}/{local}" for local in URL_MAP.values()}
    return sorted(path for path in wanted if not (static_dir / path).is_file())
