"""The map page's lazy parts in Chromium: popups fetched at the first one opened (on the app,
under a sub-path), inline in the offline file with no server; outlines decoded as in Python."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page
from werkzeug.exceptions import NotFound
from werkzeug.middleware.dispatcher import DispatcherMiddleware
from werkzeug.serving import make_server

from layers.outlines import decode
from layers.ui import read_page_data
from mapapp import create_app
from tests.browser.conftest import require_chromium

READY = "() => document.querySelector('.folium-map[data-ready]') !== null"
PLACE = "zhangjiang-laboratory"
# Opens a place's popup the way a click on its marker does (no focusPlace: no preloading).
CLICK_MARKER = """id => new Promise(done => {
  const rec = window.innovationMap.records[id];
  const click = () => { rec.marker.fire('click', { latlng: rec.marker.getLatLng() }); done(); };
  if (rec.container.zoomToShowLayer) rec.container.zoomToShowLayer(rec.marker, click);
  else { window.innovationMap.map.setView(rec.marker.getLatLng(), 15, { animate: false }); click(); }
})"""


@pytest.fixture(scope="module")
def mounted_url(parity_build: Path) -> Iterator[str]:
    require_chromium()
    app = DispatcherMiddleware(NotFound(), {"/map": create_app({"BUILD_DIR": parity_build})})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/map"
    server.shutdown()
    server.server_close()


def _page(browser: Browser) -> tuple[Page, list[str], list[str]]:
    page = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    page.set_default_timeout(10_000)
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    # Chromium asks the site's root for /favicon.ico, outside a sub-path mount: not the page's.
    page.on(
        "response",
        lambda r: (
            errors.append(f"{r.status} {r.url}")
            if r.status >= 400 and not r.url.endswith("/favicon.ico")
            else None
        ),
    )
    page.on("requestfailed", lambda r: errors.append(f"failed {r.url}"))
    return page, requests, errors


@pytest.mark.parametrize(
    ("where", "first", "second"),
    [
        ("root", PLACE, "fudan-university"),  # the real build
        ("sub-path", "zjlab", "fudan"),  # the parity build under /map/
    ],
)
def test_the_first_popup_fetches_the_popups_once(
    browser: Browser, base_url: str, mounted_url: str, where: str, first: str, second: str
) -> None:
    url = base_url if where == "root" else mounted_url
    root = url.split("/", 3)[3] if where == "sub-path" else ""
    page, requests, errors = _page(browser)
    try:
        page.goto(url + "/?lang=en")
        page.wait_for_function(READY)
        page.wait_for_load_state("load")
        assert not [r for r in requests if "/map-data/" in r]  # nothing lazy at load
        page.evaluate(CLICK_MARKER, first)
        popup = page.locator(f".leaflet-popup .place-popup[data-place='{first}']")
        popup.wait_for()
        assert "Zhangjiang Laboratory" in popup.inner_text() and ", line " in popup.inner_text()
        link = popup.locator("a", has_text="Details page").get_attribute("href") or ""
        assert link.startswith(f"/{root}/places/" if root else "/places/"), link
        fetched = [r for r in requests if "/map-data/" in r]
        assert len(fetched) == 1 and fetched[0].startswith(url + "/map-data/"), fetched
        page.keyboard.press("Escape")
        page.evaluate(CLICK_MARKER, second)  # the next popup: no new request
        page.locator(f".leaflet-popup .place-popup[data-place='{second}']").wait_for()
        assert len([r for r in requests if "/map-data/" in r]) == 1
        assert errors == []
    finally:
        page.context.close()


def test_the_offline_file_shows_a_popup_and_searches_with_no_server(
    browser: Browser, base_url: str, tmp_path: Path
) -> None:
    page, requests, errors = _page(browser)
    file = tmp_path / "map.html"
    file.write_bytes(page.request.get(base_url + "/export/map.html?lang=en").body())
    page.route("http*://**/*", lambda route: route.abort())
    try:
        page.goto(file.as_uri())
        page.wait_for_function(READY)
        page.evaluate(CLICK_MARKER, PLACE)
        assert "Zhangjiang Laboratory" in page.locator(".place-popup").inner_text()
        page.locator("#im-q").fill("SSRF")
        assert (
            page.locator("#im-results li[data-id]").first.get_attribute("data-id")
            == "shanghai-synchrotron-radiation-facility"
        )
        assert [r for r in requests if not r.startswith(("file:", "data:"))] == []
        assert errors == []
    finally:
        page.context.close()


def test_the_outlines_are_drawn_where_python_decodes_them(browser: Browser, base_url: str) -> None:
    page, _, errors = _page(browser)
    try:
        html = page.request.get(base_url + "/?lang=en").text()
        data = read_page_data(html)
        expected = {name: decode(doc) for name, doc in data["outlines"].items()}
        page.goto(base_url + "/?lang=en")
        page.wait_for_function(READY)
        drawn = page.evaluate(
            """land => {
              const out = {};
              for (const [name, layer] of [['districts', window.innovationMap.districts],
                                           ['context', window[land]]]) {
                out[name] = layer.getLayers().map(l => [l.feature.properties.name_zh,
                  l.getLatLngs().flat(3).map(p => [p.lng, p.lat])]);
              }
              return out;
            }""",
            data["vars"]["context"],
        )
        for name, features in expected.items():
            assert [d[0] for d in drawn[name]] == [f["properties"]["name_zh"] for f in features]
            for (_, points), feature in zip(drawn[name], features, strict=True):
                # Leaflet drops each ring's closing point.
                rings = [r[:-1] for poly in feature["geometry"]["coordinates"] for r in poly]
                want = [p for r in rings for p in r]
                assert len(points) == len(want), name
                assert (
                    max(
                        abs(a - b)
                        for p, q in zip(points, want, strict=True)
                        for a, b in zip(p, q, strict=True)
                    )
                    < 1e-9
                )
        assert errors == []
    finally:
        page.context.close()
