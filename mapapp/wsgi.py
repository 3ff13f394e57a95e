"""WSGI entry point for any server: ``gunicorn 'mapapp.wsgi:app'``.

The build folder comes from ``INNOVATION_MAP_BUILD_DIR`` (default ``data/build``). Workers only
read the build, so any number of them, on any number of machines, can serve the same copy.
"""

from __future__ import annotations

import os
from pathlib import Path

from geo import settings
from mapapp import create_app

app = create_app(
    {"BUILD_DIR": Path(os.environ.get("INNOVATION_MAP_BUILD_DIR", settings.BUILD_DIR))}
)
