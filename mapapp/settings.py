"""The app's settings: defaults, overridden by environment variables, then by ``create_app``.

Read when the app is created (never at import), so tests and several apps in one process
each get their own.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from geo import settings as geo_settings
from geo.errors import GeoError
from geo.params import ParamError, parse_int

#: Host names the app always answers to (Flask's TRUSTED_HOSTS checks the Host header).
LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1", "[::1]")

#: Setting → (environment variable, default).
ENVIRONMENT: dict[str, tuple[str, Any]] = {
    # Folder holding the build (innovation_map.gpkg and friends); may be a symlink to
    # builds/<id>, which `innovation-map build` switches atomically.
    "BUILD_DIR": ("INNOVATION_MAP_BUILD_DIR", geo_settings.BUILD_DIR),
    # Basemap on first load. "none" draws only the district polygons: complete offline and on
    # networks that block foreign tile servers, the right default for a public map of Shanghai.
    "DEFAULT_BASEMAP": ("INNOVATION_MAP_BASEMAP", "none"),
    # Tianditu needs a key; without one it is not offered at all.
    "TIANDITU_KEY": ("INNOVATION_MAP_TIANDITU_KEY", ""),
    # The public URL of the site (https://example.org/map). Absolute links (OGC API, oEmbed)
    # are built from it; unset, they are built from the request's (trusted) Host.
    "PUBLIC_URL": ("INNOVATION_MAP_PUBLIC_URL", ""),
    # Host names the app answers to, comma-separated; any other Host header is a 400, so it
    # cannot end up in a link. Default: the local names and PUBLIC_URL's host. "*": any.
    "TRUSTED_HOSTS": ("INNOVATION_MAP_TRUSTED_HOSTS", ""),
    # How many proxies stand in front of the app. Their X-Forwarded-For/-Proto/-Host/-Port/
    # -Prefix headers are honoured (werkzeug ProxyFix); with 0 (the default) they are ignored,
    # as anybody can send them. The nginx stack (`serve --prod`) sets 1.
    "PROXIES": ("INNOVATION_MAP_PROXIES", 0),
    # Folder for run-time files: render locks and cache, nginx's files, precompressed assets.
    # Default: "run" beside the build folder.
    "RUN_DIR": ("INNOVATION_MAP_RUN_DIR", ""),
    # Browser renders (PNG) running at once on this machine, across every worker process.
    "RENDER_SLOTS": ("INNOVATION_MAP_RENDER_SLOTS", 1),
    # Seconds a render request waits for a free slot before a 503 with Retry-After.
    "RENDER_WAIT": ("INNOVATION_MAP_RENDER_WAIT", 10),
    # Megabytes of rendered PNGs kept on disk (by view and build); the oldest go first.
    "RENDER_CACHE_MB": ("INNOVATION_MAP_RENDER_CACHE_MB", 200),
    # Seconds between two looks at the build folder for a new build (0: every request).
    "BUILD_CHECK_S": ("INNOVATION_MAP_BUILD_CHECK_S", 1),
}

#: Integer settings and their allowed range.
_INTEGERS = {
    "PROXIES": (0, 10),
    "RENDER_SLOTS": (1, 64),
    "RENDER_WAIT": (0, 600),
    "RENDER_CACHE_MB": (0, 100_000),
    "BUILD_CHECK_S": (0, 3600),
}


def trusted_hosts(value: Any, public_url: str) -> list[str] | None:
    """Return the host names to trust (None: any), from a list or a comma-separated string."""
    names = [h.strip() for h in value.split(",")] if isinstance(value, str) else list(value or [])
    names = [h for h in names if h]
    if "*" in names:
        return None
    host = urlsplit(public_url).hostname if public_url else None
    return list(dict.fromkeys([*LOCAL_HOSTS, *([host] if host else []), *names]))


def load_settings(overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Return every setting: the default, else the environment's, else ``overrides``'.

    A bad value raises a GeoError naming the setting.
    """
    values: dict[str, Any] = {}
    for name, (variable, default) in ENVIRONMENT.items():
        values[name] = os.environ.get(variable, default)
    values.update(overrides or {})
    values["BUILD_DIR"] = Path(values["BUILD_DIR"])
    values["PUBLIC_URL"] = str(values["PUBLIC_URL"] or "").rstrip("/")
    if values["PUBLIC_URL"] and urlsplit(values["PUBLIC_URL"]).scheme not in ("http", "https"):
        msg = f"PUBLIC_URL {values['PUBLIC_URL']!r} must start with http:// or https://"
        raise GeoError(msg)
    values["TRUSTED_HOSTS"] = trusted_hosts(values["TRUSTED_HOSTS"], values["PUBLIC_URL"])
    for name, (low, high) in _INTEGERS.items():
        try:
            values[name] = parse_int(name, str(values[name]), low=low, high=high)
        except ParamError as exc:
            raise GeoError(f"setting {exc.user_message}") from None
    run_dir = values["RUN_DIR"]
    values["RUN_DIR"] = Path(run_dir) if run_dir else values["BUILD_DIR"].parent / "run"
    return values
