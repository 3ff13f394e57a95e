"""The map works in Chromium when a proxy mounts the app under /map/."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from parity import cases
from playwright.sync_api import Browser
from werkzeug.exceptions import NotFound
from werkzeug.middleware.dispatcher import DispatcherMiddleware
from werkzeug.serving import make_server

from mapapp import create_app


@pytest.fixture(scope="module")
def mounted_url(parity_build: Path) -> Iterator[str]:
    app = DispatcherMiddleware(NotFound(), {"/map": create_app({"BUILD_DIR": parity_build})})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/map"
    server.shutdown()
    server.server_close()


def test_the_map_loads_every_asset_and_links_under_the_mount(
    browser: Browser, mounted_url: str
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    failed: list[str] = []
    page.on("requestfailed", lambda r: failed.append(r.url))
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    page.goto(f"{mounted_url}/?lang=en&district=Pudong")
    page.wait_for_selector(".folium-map[data-ready]")
    assert failed == []
    drawn = page.evaluate("() => window.innovationMap.drawnIds()")
    pudong = next(c for c in cases() if c["query"] == "district=Pudong")
    assert sorted(drawn) == pudong["ids"]
    href = page.get_attribute("#im-list", "href")
    assert href is not None and href.startswith("/map/places")
    context.close()
