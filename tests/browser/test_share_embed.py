"""Embed in another origin's iframe, the offline file with the network off, share dialog, PNG."""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Browser, Page, Route

from tests.browser.conftest import PageLog

READY = "() => document.querySelector('.folium-map[data-ready]') !== null"


@pytest.fixture(scope="module")
def other_origin(base_url: str) -> Iterator[str]:
    """A second local site (another port = another origin) with pages that frame the map."""
    pages = {
        "/embed.html": f'<iframe id="f" src="{base_url}/embed?lang=en&caption=1" width="800" height="500"></iframe>',
        "/framed-map.html": f'<iframe id="f" src="{base_url}/?lang=en" width="800" height="500"></iframe>',
    }

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = pages.get(self.path, "").encode()
            self.send_response(200 if body else 204)  # 204: no favicon, and no console error
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_embed_works_inside_another_sites_iframe(
    browser: Browser, base_url: str, other_origin: str
) -> None:
    context = browser.new_context(viewport={"width": 1000, "height": 700})
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    try:
        page.goto(other_origin + "/embed.html")
        frame = page.frame_locator("#f")
        frame.locator(".folium-map[data-ready]").wait_for(state="attached")
        assert frame.locator("#im-caption").is_visible()
        assert "Shanghai innovation map" in frame.locator("#im-caption").inner_text()
        assert frame.locator("#im-panel").is_hidden()  # no page chrome
        assert frame.locator(".leaflet-control-layers").is_hidden()
        embedded = page.frames[1]
        assert embedded.evaluate("window.innovationMap.mode") == "embed"
        assert embedded.evaluate("window.innovationMap.map.scrollWheelZoom.enabled()") is False
        assert errors == []
    finally:
        context.close()


def test_the_map_page_refuses_to_be_framed(browser: Browser, other_origin: str) -> None:
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(other_origin + "/framed-map.html")
        page.wait_for_timeout(1500)
        framed = page.frames[1]
        assert framed.evaluate("() => document.querySelector('.folium-map') === null")
    finally:
        context.close()


def test_offline_file_works_with_the_network_off(
    browser: Browser, base_url: str, tmp_path: Path
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    file = tmp_path / "map.html"
    file.write_bytes(
        page.request.get(base_url + "/export/map.html?lang=en&year=2025&metric=all").body()
    )
    attempts: list[str] = []

    def block_everything(route: Route) -> None:
        attempts.append(route.request.url)
        route.abort()

    page.route("http*://**/*", block_everything)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(file.as_uri())
        page.wait_for_function(READY)
        assert page.locator(".leaflet-marker-icon").count() > 0
        assert page.locator("#im-year").input_value() == "2025"  # the view travelled in the file
        assert "Number of places" in page.locator("#im-legend").inner_text()
        assert page.evaluate("document.fonts.check('900 12px \"Font Awesome 6 Free\"')")
        assert attempts == [] and errors == []
    finally:
        context.close()


def test_share_dialog_builds_embed_code_permalink_and_downloads(
    page: tuple[Page, PageLog], base_url: str
) -> None:
    p, log = page
    p.goto(base_url + "/?lang=en&year=2025&district=浦东新区")
    p.wait_for_function(READY)
    p.locator("#im-share-open").click()
    assert p.locator("#im-share").is_visible()
    p.wait_for_function("() => location.search.includes('zoom=')")
    p.locator("#im-e-controls").check()
    p.locator("#im-e-width").fill("640")
    code = p.locator("#im-embed-code").input_value()
    assert code.startswith('<iframe src="' + base_url + "/embed?")
    assert 'width="640"' in code and "controls=1" in code and "year=2025" in code
    permalink = p.locator("#im-permalink").input_value()
    assert "year=2025" in permalink and "district=" in permalink
    # What you see is what you download: the export holds exactly the places drawn.
    href = p.locator("#im-dl-data").get_attribute("href")
    assert href and "/api/places.geojson?" in href
    features = p.request.get(href).json()["features"]
    shown = p.evaluate(
        "() => { const m = window.innovationMap; return Object.entries(m.records)"
        ".filter(([id, r]) => r.shown && m.map.hasLayer(m.layers[r.layer].fg)).map(([id]) => id).sort(); }"
    )
    assert sorted(f["id"] for f in features) == shown
    p.locator("#im-share button[data-copy='im-embed-code']").click()
    p.wait_for_function("() => document.getElementById('im-copied').textContent === 'Copied'")
    assert log.errors == [] and log.external == []


def test_png_export_has_the_asked_size_and_is_not_blank(
    page: tuple[Page, PageLog], base_url: str
) -> None:
    p, _ = page
    response = p.request.get(base_url + "/export/map.png?lang=en&width=800&height=600&scale=2")
    assert response.status == 200
    assert response.headers["x-rendered-by"] == "chromium"
    image = Image.open(io.BytesIO(response.body())).convert("RGB")
    assert image.size == (1600, 1200)
    assert len(image.getcolors(maxcolors=1 << 20) or []) > 50
