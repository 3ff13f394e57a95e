from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.serving import make_server

from geo import settings
from geo.pipeline import Inputs, build
from mapapp import create_app

DATA = Path(__file__).parents[1] / "data"


@pytest.fixture(scope="module")
def fixture_app(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    """The app over a build of the committed fixtures (12 places), built once per module."""
    build_dir = tmp_path_factory.mktemp("app") / "build"
    build(
        build_dir,
        Inputs(
            DATA / "reports",
            DATA / "gazetteer",
            settings.BOUNDARIES_FILE,
            DATA / "hubs" / "hubs.geojson",
        ),
    )
    return create_app({"BUILD_DIR": build_dir, "TESTING": True})


@pytest.fixture(scope="module")
def live_url(fixture_app: Flask) -> Iterator[str]:
    """The fixture app served on 127.0.0.1 for real HTTP clients (OWSLib, GDAL)."""
    server = make_server("127.0.0.1", 0, fixture_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
