"""Accessibility, measured: axe-core (vendored, tests/vendor/axe-core) and the keyboard path."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, Route

from tests.browser.conftest import Contexts

AXE = Path(__file__).parents[1] / "vendor" / "axe-core" / "axe.min.js"
READY = ".folium-map[data-ready]"


@pytest.fixture
def a11y_page(contexts: Contexts, base_url: str) -> Iterator[Page]:
    """A page that may run axe (the app's CSP forbids injected scripts) and reaches no other host."""
    page = contexts.page(bypass_csp=True)

    def guard(route: Route) -> None:
        (route.continue_ if route.request.url.startswith(base_url) else route.abort)()

    page.route("**/*", guard)
    yield page
    page.close()


def serious_violations(page: Page) -> list[str]:
    """Run axe on the page; return its serious and critical violations, one line each."""
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    violations = page.evaluate("axe.run(document).then(r => r.violations)")
    return [
        f"{v['impact']} {v['id']}: {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]


def _a_place_id(base_url: str, page: Page) -> str:
    doc = json.loads(page.request.get(base_url + "/places.json").text())
    return str(next(p["id"] for p in doc["places"] if p["lat"] is not None))


@pytest.mark.parametrize(
    "path",
    [
        "/?lang=zh",
        "/?lang=en&district=浦东新区&metric=all",
        "/embed?lang=en&caption=1",
        "/embed?lang=zh&controls=1&caption=1&district=浦东新区",
        "/places?lang=en",
        "/districts/浦东新区?lang=zh",
        "PLACE_PAGE",
        "PLACE_POPUP",
    ],
)
def test_no_serious_or_critical_axe_violations(a11y_page: Page, base_url: str, path: str) -> None:
    if path == "PLACE_PAGE":
        path = f"/places/{_a_place_id(base_url, a11y_page)}?lang=en"
    elif path == "PLACE_POPUP":  # the map with a place's popup open
        path = f"/?lang=zh&place={_a_place_id(base_url, a11y_page)}"
    a11y_page.goto(base_url + path)
    if not path.startswith(("/places", "/districts")):
        a11y_page.wait_for_selector(READY, state="attached")
        a11y_page.wait_for_timeout(300)  # the popup's own pan, the URL's debounce
        if "district=" in path:  # the district panel's chart is checked too (fetched)
            a11y_page.wait_for_selector("#im-detail svg.im-chart")
    assert serious_violations(a11y_page) == []


def _tab_until(page: Page, test: str, limit: int = 80) -> int:
    for n in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const a = document.activeElement; return {test}; }})()"):
            return n
    raise AssertionError(f"Tab never reached: {test}")


def test_keyboard_reaches_search_filters_and_a_marker_whose_popup_opens_on_enter(
    a11y_page: Page, base_url: str
) -> None:
    a11y_page.goto(base_url + "/?lang=en")
    a11y_page.wait_for_selector(READY, state="attached")
    a11y_page.locator("body").focus()
    _tab_until(a11y_page, "a.id === 'im-q'")
    _tab_until(a11y_page, "a.id === 'im-year'")
    _tab_until(a11y_page, "a.id === 'im-district'")
    # A place's marker (not a cluster): Leaflet markers are focusable (keyboard: true).
    _tab_until(
        a11y_page,
        "a.classList.contains('leaflet-marker-icon') && !a.classList.contains('marker-cluster')",
        limit=200,
    )
    assert a11y_page.locator(".leaflet-popup").count() == 0
    a11y_page.keyboard.press("Enter")
    a11y_page.wait_for_selector(".leaflet-popup", timeout=3000)
    # Its text is fetched with the first popup (on focus already, usually): wait for it.
    a11y_page.wait_for_selector(".leaflet-popup .place-popup", timeout=3000)
    assert (
        a11y_page.locator(".leaflet-popup .place-popup").count() >= 1
    )  # one marker may hold several places
