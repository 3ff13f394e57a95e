"""Security headers: a Content-Security-Policy that allows only our own scripts.

folium writes its JavaScript inline. The map pages are rendered once at start-up, so the hash
of every inline script is known then and listed in ``script-src``; nothing else inline can run
(no injected ``<script>``, no ``onerror=`` handler, no ``javascript:`` URL). Styles stay
``'unsafe-inline'``: folium and Leaflet set ``style=`` attributes, and CSS cannot run script.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable
from urllib.parse import urlsplit

# Inline <script> elements that execute: no src=, and not a data block (type=application/json).
_INLINE_SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.DOTALL)


def inline_script_hashes(html: str) -> set[str]:
    """Return the CSP source expression ('sha256-…') of each executable inline script."""
    hashes = set()
    for m in _INLINE_SCRIPT.finditer(html):
        attrs = m.group("attrs")
        if "src=" in attrs or "application/json" in attrs:
            continue
        digest = hashlib.sha256(m.group("body").encode("utf-8")).digest()
        hashes.add(f"'sha256-{base64.b64encode(digest).decode('ascii')}'")
    return hashes


def tile_hosts(urls: Iterable[str]) -> list[str]:
    """Return the CSP host sources of tile URL templates ("https://{s}.a.com/…" → https://*.a.com)."""
    hosts = set()
    for url in urls:
        if not url:
            continue
        parts = urlsplit(url.replace("{s}", "x"))
        host = parts.hostname or ""
        if "{s}" in url.split("/")[2]:
            host = "*." + host.split(".", 1)[1]
        hosts.add(f"{parts.scheme}://{host}")
    return sorted(hosts)


def content_security_policy(
    script_hashes: Iterable[str], img_hosts: Iterable[str], frame_ancestors: str
) -> str:
    """Return the policy: own scripts (by hash), own styles, images from self and tile hosts."""
    scripts = " ".join(sorted(script_hashes))
    images = " ".join(["'self'", "data:", *img_hosts])
    return (
        "default-src 'self'; "
        f"script-src 'self' {scripts}; "
        "style-src 'self' 'unsafe-inline'; "
        f"img-src {images}; "
        "font-src 'self' data:; "
        "connect-src 'self'; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; "
        f"frame-ancestors {frame_ancestors}"
    )


SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    # Tile servers (OSM's policy) want to know the site; other sites only get the origin.
    "Referrer-Policy": "strict-origin-when-cross-origin",
}
