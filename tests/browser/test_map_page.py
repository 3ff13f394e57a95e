"""The map page in a real browser, offline: layers, search, filters, panel, basemaps, permalinks."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Browser, Page

from geo.datum import wgs84_to_gcj02
from tests.browser.conftest import PageLog

READY = "() => document.querySelector('.folium-map[data-ready]') !== null"


def _open(page: Page, url: str) -> None:
    page.goto(url)
    page.wait_for_function(READY)


def _visible_markers(page: Page) -> int:
    return int(page.evaluate("document.querySelectorAll('.leaflet-marker-icon').length"))


def _layer_box(page: Page, layer_id: str):  # type: ignore[no-untyped-def]
    # Leaflet ignores a click in the same tick the pointer enters the control; hover first.
    page.locator(".leaflet-control-layers").hover()
    page.wait_for_timeout(30)
    return page.locator(
        f".leaflet-control-layers-overlays label:has([data-layer='{layer_id}']) input"
    )


def test_map_loads_with_no_errors_and_no_outside_requests(
    page: tuple[Page, PageLog], base_url: str
) -> None:
    p, log = page
    _open(p, base_url + "/")
    assert p.evaluate("L.version") == "1.9.3"
    assert p.locator("path.leaflet-interactive").count() >= 16  # the 16 districts, at least
    control = p.locator(".leaflet-control-layers")
    assert "leaflet-control-layers-expanded" in (control.get_attribute("class") or "")
    assert p.locator("#im-panel h1").inner_text() == "上海科技创新地图"
    assert "WGS-84" in p.locator("#im-datum").inner_text()
    assert log.errors == []
    assert log.external == []


def test_every_layer_toggles_and_shows_its_features(
    page: tuple[Page, PageLog], base_url: str
) -> None:
    p, log = page
    _open(p, base_url + "/?lang=en")
    layer_ids = p.evaluate("window.innovationMap && Object.keys(window.innovationMap.layers)")
    assert len(layer_ids) == 15  # hubs, 13 categories, outside Shanghai
    for layer_id in layer_ids:
        _layer_box(p, layer_id).uncheck()
    assert _visible_markers(p) == 0
    for layer_id in layer_ids:
        box = _layer_box(p, layer_id)
        box.check()
        # Fit the layer so clustered layers render their markers, then count what is drawn.
        p.evaluate(
            "id => { const m = window.innovationMap; m.map.fitBounds("
            "m.layers[id].fg.getBounds(), {animate: false}); }",
            layer_id,
        )
        if layer_id == "hubs":
            # Traced outlines, the G60 line and dashed rings (issue #14: no invented circles),
            # each hub named while its layer is on.
            assert p.locator("path[stroke-dasharray]").count() >= 3, layer_id
            assert p.locator(".im-label-hub.im-label-on").count() >= 3, layer_id
        else:
            assert _visible_markers(p) > 0, layer_id
        box.uncheck()
        assert _visible_markers(p) == 0, layer_id
    assert log.errors == [] and log.external == []


@pytest.mark.parametrize("query", ["张江实验室", "Zhangjiang Laboratory", "zhangjiang lab"])
def test_search_finds_a_place_and_opens_its_popup_with_a_citation(
    page: tuple[Page, PageLog], base_url: str, query: str
) -> None:
    p, log = page
    _open(p, base_url + "/?lang=en")
    p.locator("#im-q").fill(query)
    first = p.locator("#im-results li").first
    assert "Zhangjiang Laboratory" in first.inner_text()
    assert "张江实验室" in first.inner_text()
    p.locator("#im-q").press("Enter")
    popup = p.locator(".place-popup")
    popup.wait_for()
    text = popup.inner_text()
    assert "Zhangjiang Laboratory" in text
    # Cited by report title and year with the line, not by file id.
    assert "Shanghai S&T Progress Report" in text and ", line " in text
    assert "_report" not in text
    assert log.errors == [] and log.external == []


def test_search_by_alias_finds_the_full_name(page: tuple[Page, PageLog], base_url: str) -> None:
    p, _ = page
    _open(p, base_url + "/")
    p.locator("#im-q").fill("上海光源")
    assert "上海同步辐射光源" in p.locator("#im-results li").first.inner_text()


def test_language_switch_keeps_the_view(page: tuple[Page, PageLog], base_url: str) -> None:
    p, _ = page
    _open(p, base_url + "/?year=2025")
    p.wait_for_function("() => document.getElementById('im-lang').href.includes('year=2025')")
    p.get_by_role("link", name="English").click()
    p.wait_for_function(READY)
    assert p.locator("#im-panel h1").inner_text() == "Shanghai innovation map"
    assert p.locator("#im-year").input_value() == "2025"
    assert p.get_by_role("checkbox", name="Big-science facilities").is_visible()


def test_year_and_status_filters_change_what_is_shown(
    page: tuple[Page, PageLog], base_url: str
) -> None:
    p, _ = page
    _open(p, base_url + "/?lang=en")
    shown = "() => Object.values(window.innovationMap.records).filter(r => r.shown).length"
    everything = p.evaluate(shown)
    p.locator("#im-year").select_option("2023")
    in_2023 = p.evaluate(shown)
    assert 0 < in_2023 < everything
    p.locator("#im-status").select_option("operating")
    assert 0 < p.evaluate(shown) < in_2023
    assert "Places shown" in p.locator("#im-count").inner_text()


def test_clicking_a_district_opens_its_profiles_and_places(
    page: tuple[Page, PageLog], base_url: str
) -> None:
    p, log = page
    _open(p, base_url + "/?lang=en")
    p.locator("#im-district").select_option("浦东新区")
    detail = p.locator("#im-detail")
    detail.wait_for()
    text = detail.inner_text()
    assert "Pudong" in text
    assert "支持浦东打造科技创新中心核心区和自主创新新高地" in text  # 2021 headline, verbatim
    assert "2021_sti_centre_14th_five_year_plan, line 3752" in text
    assert detail.locator("button.im-place").count() > 20
    detail.locator("button.im-place", has_text="Zhangjiang Laboratory").click()
    p.locator(".place-popup").wait_for()
    p.locator("#im-close").click()
    assert detail.is_hidden()
    assert p.locator("#im-district").input_value() == ""
    assert log.errors == []


def test_choropleth_colours_districts_and_shows_a_legend(
    page: tuple[Page, PageLog], base_url: str
) -> None:
    p, _ = page
    _open(p, base_url + "/?lang=en")
    fills = """() => { const out = new Set();
      window.innovationMap.districts.eachLayer(l => out.add(l.options.fillColor));
      return [...out]; }"""
    assert p.evaluate(fills) == ["#f4f1ea"]
    p.locator("#im-metric").select_option("all")
    assert len(p.evaluate(fills)) >= 3
    legend = p.locator("#im-legend").inner_text()
    assert "Number of places" in legend and "0" in legend
    p.locator("#im-metric").select_option("facility")
    assert "Big-science facilities" in p.locator("#im-legend").inner_text()


def test_gaode_basemap_shifts_overlays_to_gcj02_for_display_only(
    page: tuple[Page, PageLog], base_url: str
) -> None:
    p, log = page
    _open(p, base_url + "/?lang=en")
    where = "id => { const ll = window.innovationMap.records[id].marker.getLatLng(); return [ll.lng, ll.lat]; }"
    lon, lat = p.evaluate(where, "zhangjiang-laboratory")
    p.locator("#im-basemap").select_option("gaode")
    p.wait_for_timeout(300)
    assert "GCJ-02" in p.locator("#im-datum").inner_text()
    glon, glat = p.evaluate(where, "zhangjiang-laboratory")
    expected = wgs84_to_gcj02(lon, lat)
    assert abs(glon - expected[0]) < 1e-9 and abs(glat - expected[1]) < 1e-9
    assert "basemap=gaode" in p.url
    # Tiles are the only thing that may try to leave 127.0.0.1; the guard blocked every one.
    assert log.external and all("autonavi.com" in u for u in log.external)
    p.locator("#im-basemap").select_option("none")
    assert p.evaluate(where, "zhangjiang-laboratory") == [lon, lat]
    assert "WGS-84" in p.locator("#im-datum").inner_text()


def test_a_permalink_reproduces_the_view(
    page: tuple[Page, PageLog], base_url: str, browser: Browser
) -> None:
    p, _ = page
    _open(p, base_url + "/?lang=en")
    p.locator("#im-year").select_option("2022")
    p.locator("#im-metric").select_option("platform")
    p.locator("#im-district").select_option("杨浦区")
    _layer_box(p, "platform").check()
    _layer_box(p, "university").uncheck()
    # A block body: an expression would send the whole Leaflet map back to Python (seconds).
    p.evaluate("() => { window.innovationMap.map.setView([31.30, 121.51], 13, {animate: false}); }")
    p.wait_for_function("() => location.search.includes('zoom=13')")
    link = p.url
    state = parse_qs(urlsplit(link).query)
    assert state["year"] == ["2022"] and state["district"] == ["杨浦区"]
    assert "platform" in state["layers"][0] and "university" not in state["layers"][0]

    other = browser.new_context(viewport={"width": 1280, "height": 800})
    q = other.new_page()
    try:
        _open(q, link)
        assert q.locator("#im-year").input_value() == "2022"
        assert q.locator("#im-metric").input_value() == "platform"
        assert q.locator("#im-district").input_value() == "杨浦区"
        assert _layer_box(q, "platform").is_checked()
        assert not _layer_box(q, "university").is_checked()
        view = q.evaluate(
            "() => { const m = window.innovationMap.map, c = m.getCenter();"
            " return [c.lat, c.lng, m.getZoom()]; }"
        )
        assert view[2] == 13
        assert abs(view[0] - 31.30) < 1e-3 and abs(view[1] - 121.51) < 1e-3
        assert "Yangpu" in q.locator("#im-detail").inner_text()
    finally:
        other.close()


def test_a_bad_url_parameter_gets_a_page_naming_it(
    page: tuple[Page, PageLog], base_url: str
) -> None:
    p, _ = page
    response = p.goto(base_url + "/?year=1999&lang=en")
    assert response is not None and response.status == 400
    assert "year" in p.content()


def test_phone_viewport_is_usable(browser: Browser, base_url: str) -> None:
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    p = context.new_page()
    errors: list[str] = []
    p.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        _open(p, base_url + "/?lang=en")
        control = p.locator(".leaflet-control-layers")
        assert "leaflet-control-layers-expanded" not in (control.get_attribute("class") or "")
        panel = p.locator("#im-panel").bounding_box()
        toggle = p.locator(".leaflet-control-layers-toggle").bounding_box()
        assert panel and toggle
        assert panel["x"] + panel["width"] <= toggle["x"]  # the title box does not cover it
        assert panel["height"] < 844 / 3  # filters folded away: the map stays visible
        assert p.locator("#im-year").is_hidden()
        p.locator("#im-toggle").tap()
        assert p.locator("#im-year").is_visible()
        p.locator("#im-toggle").tap()
        p.locator(".leaflet-control-layers-toggle").tap()
        assert p.get_by_role(
            "checkbox", name="Universities"
        ).is_visible()  # the layer list opens on tap
        p.locator("#im-q").fill("张江实验室")
        p.locator("#im-results li").first.wait_for()  # the first search loads the keys
        assert p.locator("#im-results li").first.is_visible()
        assert errors == []
    finally:
        context.close()


def test_export_parameters_drive_the_map_view(page: tuple[Page, PageLog], base_url: str) -> None:
    p, log = page
    _open(p, base_url + "/?lang=en&category=facility&q=光源&bbox=121.4,31.0,121.8,31.3")
    visible = p.evaluate(
        "() => { const m = window.innovationMap; return Object.entries(m.records)"
        ".filter(([id, r]) => r.shown && m.map.hasLayer(m.layers[r.layer].fg)).map(([id]) => id).sort(); }"
    )
    assert visible == ["shanghai-synchrotron-radiation-facility", "ssrf-phase-ii"]
    assert p.locator("#im-q").input_value() == "光源"
    # category filters places, as in a download; it does not switch layers off.
    assert _layer_box(p, "university").is_checked()
    active = p.locator("#im-active-text").inner_text()
    assert "Big-science facilities" in active and "光源" in active and "121.4" in active
    assert p.locator("#im-count").inner_text().startswith("Places shown: 2 /")
    p.locator("#im-active-clear").click()
    assert p.locator("#im-active").is_hidden()
    p.wait_for_function("() => !location.search.includes('category=')")
    assert len(p.evaluate("() => window.innovationMap.drawnIds()")) > 2
    bounds = p.evaluate("() => window.innovationMap.map.getBounds().toBBoxString()")
    west, south, east, north = (float(v) for v in bounds.split(","))
    assert west <= 121.4 and south <= 31.0 and east >= 121.8 and north >= 31.3
    assert log.errors == []
