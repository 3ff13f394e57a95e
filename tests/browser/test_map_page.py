"""The map page in a real browser, offline: it loads, toggles layers and switches language."""

from __future__ import annotations

from playwright.sync_api import Page

from tests.browser.conftest import PageLog

WAIT_FOR_MAP = """() => {
  const key = Object.keys(window).find(k => k.startsWith('map_') && window[k] instanceof L.Map);
  if (!key) return false;
  window.__map = window[key];
  return true;
}"""


def _open(page: Page, url: str) -> None:
    page.goto(url)
    page.wait_for_function(WAIT_FOR_MAP)


def test_map_loads_with_no_errors_and_no_outside_requests(
    page: tuple[Page, PageLog], base_url: str
) -> None:
    p, log = page
    _open(p, base_url + "/")
    assert p.evaluate("L.version") == "1.9.3"
    assert p.locator("path.leaflet-interactive").count() >= 16  # the 16 districts, at least
    assert p.locator(".leaflet-control-layers").count() == 1
    assert log.errors == []
    assert log.external == []


def test_a_layer_toggles_its_markers(page: tuple[Page, PageLog], base_url: str) -> None:
    p, log = page
    _open(p, base_url + "/?lang=en")
    count = "() => document.querySelectorAll('.leaflet-marker-icon').length"
    before = p.evaluate(count)
    # Leaflet ignores a click in the same tick the pointer enters the control; hover first.
    p.locator(".leaflet-control-layers").hover()
    p.wait_for_timeout(50)
    p.get_by_label("Science parks").check()
    assert p.evaluate(count) > before
    p.get_by_label("Science parks").uncheck()
    assert p.evaluate(count) == before
    assert log.errors == [] and log.external == []


def test_language_switch(page: tuple[Page, PageLog], base_url: str) -> None:
    p, _ = page
    _open(p, base_url + "/")
    assert p.locator(".map-title h1").inner_text() == "上海科技创新地图"
    p.get_by_role("link", name="English").click()
    p.wait_for_function(WAIT_FOR_MAP)
    assert p.locator(".map-title h1").inner_text() == "Shanghai innovation map"
    assert p.get_by_label("Big-science facilities").is_visible()


def test_a_popup_shows_a_citation(page: tuple[Page, PageLog], base_url: str) -> None:
    p, _ = page
    _open(p, base_url + "/?lang=en")
    # Open the popup of a single (unclustered) marker: there are only a few science cities.
    # Markers can overlap at city zoom; dispatch the click on the marker element itself.
    p.locator(".leaflet-marker-icon:has(.fa-city)").first.dispatch_event("click")
    popup = p.locator(".place-popup")
    popup.wait_for()
    assert "Sources" in popup.inner_text()
    assert "_report" in popup.inner_text() or "_plan" in popup.inner_text()


def test_phone_viewport_keeps_the_map_visible(browser, base_url: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    p = context.new_page()
    errors: list[str] = []
    p.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        p.goto(base_url + "/?lang=en")
        p.wait_for_function(WAIT_FOR_MAP)
        control = p.locator(".leaflet-control-layers")
        assert "leaflet-control-layers-expanded" not in (control.get_attribute("class") or "")
        assert p.locator(".leaflet-marker-icon").count() > 0  # markers are not hidden behind it
        p.locator(".leaflet-control-layers-toggle").tap()
        assert p.get_by_label("Universities").is_visible()  # the list opens on tap
        assert errors == []
    finally:
        context.close()
