"""Embeds explain themselves and behave inside a frame: links leave it, the language link keeps
the state, the caption covers no control, and the host can fit the frame to its content."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import FloatRect, Page

from tests.browser.conftest import Contexts

READY = ".folium-map[data-ready]"
CONTROLS = (
    "#im-panel",
    "#im-detail",
    ".leaflet-control-zoom",
    ".leaflet-control-layers",
    ".leaflet-control-scale",
    ".leaflet-control-attribution",
)


def _open(contexts: Contexts, url: str, width: int, height: int) -> Page:
    page = contexts.page(width, height)
    page.goto(url)
    page.wait_for_selector(READY, state="attached")
    page.wait_for_timeout(400)  # the language link follows the state after a short debounce
    return page


def test_embed_links_open_a_new_tab_and_the_language_link_keeps_the_state(
    contexts: Contexts, base_url: str
) -> None:
    query = "lang=en&controls=1&caption=1&scrollzoom=0&district=浦东新区&metric=all"
    page = _open(contexts, f"{base_url}/embed?{query}", 800, 600)
    try:
        # The district panel's link to the district page, the caption's link to the full map.
        detail = page.locator("#im-detail a[href*='/districts/']").first
        assert detail.get_attribute("target") == "_blank"
        assert detail.get_attribute("rel") == "noopener"
        full = page.locator("#im-cap-full")
        assert full.get_attribute("target") == "_blank"
        assert "district=" in (full.get_attribute("href") or "")
        # The panel was filled after load (as popups are when they open): every link of it,
        # and of an open popup, leaves the frame.
        place = page.evaluate("window.innovationMap.drawnIds()[0]")
        page.evaluate(f"window.innovationMap.focusPlace({place!r})")
        page.wait_for_selector(".leaflet-popup-content")
        links = page.locator("#im-detail a[href], .leaflet-popup-content a[href]").all()
        assert links
        for link in links:
            assert link.get_attribute("target") == "_blank", link.get_attribute("href")
            assert link.get_attribute("rel") == "noopener"
        # The language link stays in the frame and keeps every parameter, the state's current.
        page.select_option("#im-status", index=1)
        page.wait_for_timeout(400)
        lang = page.locator("#im-lang")
        assert lang.get_attribute("target") is None
        args = parse_qs(urlsplit(lang.get_attribute("href") or "").query)
        assert args["lang"] == ["zh"]
        assert (
            args["controls"] == ["1"] and args["caption"] == ["1"] and args["scrollzoom"] == ["0"]
        )
        assert args["district"] == ["浦东新区"] and args["metric"] == ["all"]
        assert "status" in args and "center" in args and "zoom" in args
    finally:
        page.close()


def _overlaps(a: FloatRect, b: FloatRect) -> bool:
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )


@pytest.mark.parametrize(
    ("query", "size"),
    [
        ("lang=en&caption=1", (800, 600)),
        ("lang=zh&caption=1&controls=1&district=浦东新区&metric=all", (800, 600)),
        ("lang=zh&caption=1&controls=1&district=浦东新区", (390, 844)),
    ],
)
def test_the_caption_covers_no_control(
    contexts: Contexts, base_url: str, query: str, size: tuple[int, int]
) -> None:
    page = _open(contexts, f"{base_url}/embed?{query}", *size)
    try:
        caption = page.locator("#im-caption").bounding_box()
        assert caption is not None and caption["height"] > 20
        seen = 0
        for selector in CONTROLS:
            for control in page.locator(selector).all():
                box = control.bounding_box()
                if box is None or not control.is_visible():
                    continue
                seen += 1
                assert not _overlaps(caption, box), selector
        assert seen >= 2  # at least the zoom buttons and the scale bar
        title = page.locator("#im-cap-title").inner_text()
        assert ("上海科技创新地图" if "lang=zh" in query else "Shanghai innovation map") in title
    finally:
        page.close()


@pytest.fixture(scope="module")
def host() -> Iterator[tuple[str, dict[str, str]]]:
    """Another site (another port = another origin) serving the pages a test puts in."""
    pages: dict[str, str] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = pages.get(self.path, "").encode()
            self.send_response(200 if body else 204)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}", pages
    server.shutdown()
    server.server_close()


def test_the_host_snippet_grows_the_iframe_to_its_content(
    contexts: Contexts, base_url: str, host: tuple[str, dict[str, str]]
) -> None:
    # The snippet exactly as the share dialog gives it.
    page = _open(contexts, f"{base_url}/?lang=en", 1280, 800)
    try:
        page.click("#im-share-open")
        code = page.locator("#im-embed-code").input_value()
    finally:
        page.close()
    iframe, script = code.split("\n", 1)
    assert iframe.startswith("<iframe") and script.startswith("<script>")
    host_site, host_pages = host
    # Framed too small for its caption: the embed asks for more height, the snippet gives it.
    host_pages["/"] = (
        f'<iframe id="f" src="{base_url}/embed?lang=en&caption=1" width="360" height="300"></iframe>'
        + script
    )
    hostpage = contexts.page(800, 900)
    try:
        hostpage.goto(host_site + "/")
        hostpage.frame_locator("#f").locator(READY).wait_for(state="attached")
        hostpage.wait_for_function("document.getElementById('f').clientHeight > 300")
        hostpage.wait_for_timeout(300)
        height = hostpage.evaluate("document.getElementById('f').clientHeight")
        inner = hostpage.frames[1].evaluate("document.documentElement.scrollHeight")
        assert height == pytest.approx(inner, abs=2)
    finally:
        hostpage.close()


def test_a_phone_popup_fits_the_screen_below_the_search_box(
    contexts: Contexts, base_url: str
) -> None:
    place = "zhangjiang-science-city"  # a long popup: name, timeline, many parts
    page = _open(contexts, f"{base_url}/?lang=en&place={place}", 390, 844)
    try:
        page.wait_for_selector(".leaflet-popup")
        popup = page.locator(".leaflet-popup-content-wrapper").bounding_box()
        panel = page.locator("#im-panel").bounding_box()
        assert popup is not None and panel is not None
        assert popup["x"] >= 0 and popup["x"] + popup["width"] <= 390
        assert popup["y"] >= panel["y"] + panel["height"]  # the title is not under the search box
    finally:
        page.close()
