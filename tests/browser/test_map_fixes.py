"""What one marker says follows the filters; showing a place, choosing a district and an empty
result each leave a readable map (markers.js placesOf, main.js PLACE_ZOOM, fit.js, the notice)."""

from __future__ import annotations

from playwright.sync_api import Page

from tests.browser.conftest import Contexts, PageLog

READY = "() => document.querySelector('.folium-map[data-ready]') !== null"


def _open(page: Page, base_url: str, query: str) -> None:
    page.goto(f"{base_url}/?{query}")
    page.wait_for_function(READY)


def _marker_of(page: Page, place: str) -> dict[str, object]:
    """The badge, tooltip and ids of the marker that holds `place`."""
    return page.evaluate(
        """(id) => { const m = innovationMap.records[id].marker;
             const badge = m.getElement() && m.getElement().querySelector('.pm-badge');
             return { badge: badge ? badge.textContent : null, tooltip: m.getTooltip().getContent(),
                      all: m.options.placeIds, shown: m.options.placeIds.filter(i => innovationMap.records[i].shown) }; }""",
        place,
    )


def test_a_shared_marker_lists_only_the_places_shown_the_one_asked_for_first(
    page: tuple[Page, PageLog], base_url: str
) -> None:
    p, log = page
    _open(p, base_url, "lang=en&year=2021&place=ssrf-phase-ii")
    p.wait_for_selector(".leaflet-popup-content .place-popup")
    m = _marker_of(p, "ssrf-phase-ii")
    assert len(m["all"]) > 1  # type: ignore[arg-type]  # SSRF and its parts share a point
    shown = m["shown"]
    assert "ssrf-phase-ii" in shown  # type: ignore[operator]
    popup = p.locator(".leaflet-popup-content")
    # One place per heading; the popup names exactly the places the filters show, asked-for first.
    assert popup.locator(".place-popup").count() == len(shown)  # type: ignore[arg-type]
    assert popup.locator(".place-popup").first.get_attribute("data-place") == "ssrf-phase-ii"
    if len(shown) == 1:  # type: ignore[arg-type]
        assert "places here" not in popup.inner_text()
    assert p.evaluate("innovationMap.state.place") == "ssrf-phase-ii"
    # Showing a place stops at the cap (PLACE_ZOOM), not at the deepest zoom.
    assert p.evaluate("innovationMap.map.getZoom()") <= 15
    assert log.errors == [] and log.external == []


def test_the_marker_count_matches_the_places_shown(
    page: tuple[Page, PageLog], base_url: str
) -> None:
    p, log = page
    _open(p, base_url, "lang=en&q=SSRF&center=31.1867,121.5889&zoom=15")
    drawn = p.evaluate("innovationMap.drawnIds()")
    assert drawn and f"Places shown: {len(drawn)} /" in p.locator("#im-count").inner_text()
    m = _marker_of(p, drawn[0])
    assert m["shown"] == [i for i in m["all"] if i in drawn]  # type: ignore[union-attr]
    n = len(m["shown"])  # type: ignore[arg-type]
    # A badge with a number counts the places shown; one place shows its precision letter.
    assert (m["badge"] == str(n)) if n > 1 else not str(m["badge"]).isdigit()
    assert ("places here" in str(m["tooltip"])) == (n > 1)
    p.evaluate("innovationMap.records[innovationMap.drawnIds()[0]].marker.openPopup()")
    p.wait_for_selector(".leaflet-popup-content .place-popup")
    assert p.locator(".leaflet-popup-content .place-popup").count() == n
    # Clearing the search lists every place at the point again.
    p.evaluate("innovationMap.applyQuery('lang=en')")
    p.wait_for_function(
        "() => document.querySelectorAll('.leaflet-popup-content .place-popup').length > 1"
    )
    assert log.errors == [] and log.external == []


def test_choosing_a_district_fits_it(page: tuple[Page, PageLog], base_url: str) -> None:
    p, log = page
    _open(p, base_url, "lang=en")
    before = p.evaluate("innovationMap.map.getZoom()")
    p.select_option("#im-district", "金山区")
    inside = p.evaluate(
        """() => { let b; innovationMap.districts.eachLayer(l => { if (l.feature.properties.name_zh === '金山区') b = l.getBounds(); });
             return innovationMap.map.getBounds().contains(b.getCenter()) ? innovationMap.map.getZoom() : -1; }"""
    )
    assert inside > before
    assert log.errors == [] and log.external == []


def test_no_result_says_so_on_the_map_and_clears(page: tuple[Page, PageLog], base_url: str) -> None:
    p, log = page
    _open(p, base_url, "lang=en&year=2025&district=Huangpu&status=planned")
    notice = p.get_by_role("status").filter(has_text="No places match these filters")
    assert notice.is_visible()
    notice.get_by_role("button", name="Clear filters").click()
    assert p.evaluate("innovationMap.drawnIds().length") > 0
    assert p.locator(".im-empty").inner_text() == ""
    _open(p, base_url, "lang=zh&year=2025&district=Huangpu&status=planned")
    assert p.get_by_role("status").filter(has_text="没有符合条件的地点").is_visible()
    assert log.errors == [] and log.external == []


def test_a_phone_fits_a_district_above_its_sheet_with_controls_clear(
    contexts: Contexts, base_url: str
) -> None:
    p = contexts.page(390, 844, is_mobile=True, has_touch=True)
    try:
        p.goto(f"{base_url}/?lang=en&district=Pudong")
        p.wait_for_function(READY)
        sheet = p.locator("#im-detail").bounding_box()
        assert sheet is not None
        box = p.evaluate(
            """() => { let b; innovationMap.districts.eachLayer(l => { if (l.feature.properties.name_zh === '浦东新区') b = l.getBounds(); });
                 const m = innovationMap.map; return [m.latLngToContainerPoint(b.getNorthWest()), m.latLngToContainerPoint(b.getSouthEast())]; }"""
        )
        assert box[1]["y"] <= sheet["y"] and box[0]["y"] >= 0  # the district above the sheet
        for sel in (".leaflet-control-zoom", ".im-map-legend"):
            ctl = p.locator(sel).bounding_box()
            assert ctl is not None and ctl["y"] + ctl["height"] <= sheet["y"] + 1, sel
    finally:
        p.close()
