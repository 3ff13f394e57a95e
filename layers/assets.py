"""Rewrite the CDN URLs folium and branca emit to the vendored copies; fail on any left over.

Post-processing the rendered HTML is the only method that also reaches branca's d3, which
``ColorMap.render()`` adds inside ``render()`` where no attribute can override it
(shared/notes/offline-map.md §2a). A folium upgrade that changes a URL fails loudly.
"""

from __future__ import annotations

import re
from pathlib import Path

DEFAULT_PREFIX = "/static/vendor"
VENDOR_DIR = Path(__file__).resolve().parents[1] / "mapapp" / "static" / "vendor"

#: CDN URL → path under the vendor folder.
URL_MAP: dict[str, str] = {
    "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js": "leaflet@1.9.3/dist/leaflet.js",
    "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css": "leaflet@1.9.3/dist/leaflet.css",
    "https://code.jquery.com/jquery-3.7.1.min.js": "jquery@3.7.1/dist/jquery.min.js",
    "https://cdn.jsdelivr.net/npm/bootstrap@5.2.2/dist/js/bootstrap.bundle.min.js": "bootstrap@5.2.2/dist/js/bootstrap.bundle.min.js",
    "https://cdn.jsdelivr.net/npm/bootstrap@5.2.2/dist/css/bootstrap.min.css": "bootstrap@5.2.2/dist/css/bootstrap.min.css",
    "https://netdna.bootstrapcdn.com/bootstrap/3.0.0/css/bootstrap-glyphicons.css": "glyphicons@1.0.1/css/bootstrap.min.css",
    "https://cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free@6.2.0/css/all.min.css": "fontawesome-free@6.2.0/css/all.min.css",
    "https://cdnjs.cloudflare.com/ajax/libs/Leaflet.awesome-markers/2.0.2/leaflet.awesome-markers.js": "leaflet.awesome-markers@2.0.2/js/leaflet.awesome-markers.js",
    "https://cdnjs.cloudflare.com/ajax/libs/Leaflet.awesome-markers/2.0.2/leaflet.awesome-markers.css": "leaflet.awesome-markers@2.0.2/css/leaflet.awesome-markers.css",
    "https://cdn.jsdelivr.net/gh/python-visualization/folium/folium/templates/leaflet.awesome.rotate.min.css": "folium/leaflet.awesome.rotate.min.css",
    "https://cdnjs.cloudflare.com/ajax/libs/d3/3.5.5/d3.min.js": "d3@3.5.5/d3.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/leaflet.markercluster.js": "leaflet.markercluster@1.1.0/dist/leaflet.markercluster.js",
    "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/MarkerCluster.css": "leaflet.markercluster@1.1.0/dist/MarkerCluster.css",
    "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/MarkerCluster.Default.css": "leaflet.markercluster@1.1.0/dist/MarkerCluster.Default.css",
    "https://cdn.jsdelivr.net/npm/leaflet-search@2.9.7/dist/leaflet-search.min.js": "leaflet-search@2.9.7/dist/leaflet-search.min.js",
    "https://cdn.jsdelivr.net/npm/leaflet-search@2.9.7/dist/leaflet-search.min.css": "leaflet-search@2.9.7/dist/leaflet-search.min.css",
    # npm ships only the unminified file; jsdelivr minifies on the fly.
    "https://cdn.jsdelivr.net/npm/leaflet.fullscreen@3.0.0/Control.FullScreen.min.js": "leaflet.fullscreen@3.0.0/Control.FullScreen.js",
    "https://cdn.jsdelivr.net/npm/leaflet.fullscreen@3.0.0/Control.FullScreen.css": "leaflet.fullscreen@3.0.0/Control.FullScreen.css",
}

_EXTERNAL_REF = re.compile(r"""(?:src|href)\s*=\s*["']((?:https?:)?//[^"']+)["']""", re.IGNORECASE)


class AssetError(RuntimeError):
    """A rendered page still references an asset on another host."""


def localize_html(html: str, static_prefix: str = DEFAULT_PREFIX) -> str:
    """Point every known CDN URL at the vendored copy; raise AssetError if any external is left."""
    prefix = static_prefix.rstrip("/")
    for url, local in URL_MAP.items():
        html = html.replace(url, f"{prefix}/{local}")
    left = sorted(set(_EXTERNAL_REF.findall(html)))
    if left:
        msg = f"external assets left after localising (vendor them): {left}"
        raise AssetError(msg)
    return html


def missing_vendor_files(vendor_dir: Path = VENDOR_DIR) -> list[str]:
    """Return the vendored files URL_MAP names that are not on disk (empty when complete)."""
    return sorted(p for p in URL_MAP.values() if not (vendor_dir / p).is_file())
