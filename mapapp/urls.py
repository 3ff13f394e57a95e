"""The one URL builder: every link the app writes (templates, Python, the map page's script).

Links start from the app's root, which is ``/`` when served at the site's root and, say,
``/map`` behind a proxy that mounts it under a sub-path (WSGI ``SCRIPT_NAME``). Absolute URLs
(OGC API documents, oEmbed) start from the configured ``PUBLIC_URL`` when there is one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from urllib.parse import urlencode

from flask import current_app, request

#: A sub-path the app may be mounted under: plain path segments only.
_SAFE_ROOT = re.compile(r"(?:/[A-Za-z0-9._~-]+)*")


def root() -> str:
    """Return the path the app is mounted at, without a trailing slash ("" at the site root)."""
    script_root = request.script_root.rstrip("/")
    return script_root if _SAFE_ROOT.fullmatch(script_root) else ""


def url(path: str, params: Mapping[str, str] | None = None, **more: str) -> str:
    """Return the app-relative URL of ``path`` (which starts with "/"), with query parameters."""
    query = {**(params or {}), **more}
    return root() + path + ("?" + urlencode(query) if query else "")


def base() -> str:
    """Return the absolute root URL: ``PUBLIC_URL`` when configured, else the request's."""
    public = str(current_app.config.get("PUBLIC_URL") or "")
    return public or request.host_url.rstrip("/") + root()


def absolute(path: str, params: Mapping[str, str] | None = None, **more: str) -> str:
    """Return the absolute URL of ``path``."""
    query = {**(params or {}), **more}
    return base() + path + ("?" + urlencode(query) if query else "")
