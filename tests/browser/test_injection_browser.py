"""The markup-laden place of tests/test_injection.py, in a real browser: nothing runs."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from buildcache import built
from playwright.sync_api import Browser
from werkzeug.serving import make_server

from mapapp import create_app
from tests.test_injection import evil_inputs

READY = "() => document.querySelector('.folium-map[data-ready]') !== null"


@pytest.fixture(scope="module")
def evil_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("evil-browser")
    app = create_app({"BUILD_DIR": built(evil_inputs(root)).dir, "RUN_DIR": root / "run"})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_markup_in_data_never_runs(browser: Browser, evil_url: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    pwned = "() => window.__pwned === undefined"
    try:
        for path in ("/?lang=en&layers=key_lab", "/embed?lang=en&layers=key_lab&controls=1"):
            page.goto(evil_url + path)
            page.wait_for_function(READY)
            page.locator("#im-q").fill("恶意")
            first = page.locator("#im-results li").first
            assert (
                "<script>window.__pwned=1</script>恶意实验室" in first.inner_text()
            )  # shown as text
            page.locator("#im-q").press("Enter")
            popup = page.locator(".place-popup")
            popup.wait_for()
            assert "onerror" in popup.inner_text()  # the markup is visible text, not an element
            assert popup.locator("img").count() == 0 and popup.locator("script").count() == 0
            page.locator("#im-district").select_option("浦东新区") if path.startswith(
                "/?"
            ) else None
            assert page.evaluate(pwned), path
        for path in ("/places?lang=en", "/places/evil-lab", "/districts/浦东新区"):
            page.goto(evil_url + path)
            assert page.evaluate(pwned), path
            assert page.locator("img[src=x]").count() == 0
        assert dialogs == []
    finally:
        context.close()
