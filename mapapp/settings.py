"""The app's settings: defaults, overridden by environment variables, then by ``create_app``.

Read when the app is created (never at import), so tests and several apps in one process
each get their own.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from geo import settings as geo_settings

#: Setting → (environment variable, default).
ENVIRONMENT: dict[str, tuple[str, Any]] = {
    # Folder holding the build (innovation_map.gpkg and friends).
    "BUILD_DIR": ("INNOVATION_MAP_BUILD_DIR", geo_settings.BUILD_DIR),
    # Basemap on first load. "none" draws only the district polygons: complete offline and on
    # networks that block foreign tile servers, the right default for a public map of Shanghai.
    "DEFAULT_BASEMAP": ("INNOVATION_MAP_BASEMAP", "none"),
    # Tianditu needs a key; without one it is not offered at all.
    "TIANDITU_KEY": ("INNOVATION_MAP_TIANDITU_KEY", ""),
    # The public URL of the site (https://example.org/map). Absolute links (OGC API, oEmbed)
    # are built from it; unset, they are built from the request.
    "PUBLIC_URL": ("INNOVATION_MAP_PUBLIC_URL", ""),
}


def load_settings(overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Return every setting: the default, else the environment's, else ``overrides``'."""
    values: dict[str, Any] = {}
    for name, (variable, default) in ENVIRONMENT.items():
        values[name] = os.environ.get(variable, default)
    values.update(overrides or {})
    values["BUILD_DIR"] = Path(values["BUILD_DIR"])
    values["PUBLIC_URL"] = str(values["PUBLIC_URL"] or "").rstrip("/")
    return values
