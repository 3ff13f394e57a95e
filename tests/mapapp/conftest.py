from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from buildcache import Built
from flask import Flask
from werkzeug.serving import make_server

from mapapp import create_app


@pytest.fixture(scope="module")
def fixture_app(fixture_build: Built, tmp_path_factory: pytest.TempPathFactory) -> Flask:
    """The app over the session's build of the committed fixtures (12 places), one per module.

    Each module's app has its own run folder (render locks and cache), so no module sees
    another's renders.
    """
    run_dir = tmp_path_factory.mktemp("run")
    return create_app({"BUILD_DIR": fixture_build.dir, "TESTING": True, "RUN_DIR": run_dir})


@pytest.fixture(scope="module")
def live_url(fixture_app: Flask) -> Iterator[str]:
    """The fixture app served on 127.0.0.1 for real HTTP clients (OWSLib, GDAL)."""
    server = make_server("127.0.0.1", 0, fixture_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
