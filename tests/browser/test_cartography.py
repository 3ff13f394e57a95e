"""The map explains itself: names on the map, hub panels, district-only places, cluster donuts."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from geo.datum import wgs84_to_gcj02
from tests.browser.conftest import Contexts, PageLog

READY = "() => document.querySelector('.folium-map[data-ready]') !== null"


def _open(page: Page, base_url: str, query: str = "lang=en") -> None:
    page.goto(f"{base_url}/?{query}")
    page.wait_for_function(READY)


def test_districts_hubs_and_cities_are_named_on_the_map(
    page: tuple[Page, PageLog], base_url: str
) -> None:
    p, log = page
    _open(p, base_url)
    shown = p.locator(".im-label.im-label-on")
    texts = shown.all_inner_texts()
    assert any("Pudong" in t for t in texts)  # a district
    assert any("Zhangjiang Science City" in t for t in texts)  # a hub, at every zoom
    assert any("Suzhou" in t for t in texts)  # a G60 city of the Delta
    # Shown labels do not overlap (the greedy pass hides the later one), forced hub names aside.
    boxes = p.evaluate(
        """() => Array.from(document.querySelectorAll('.im-label-on:not(.im-label-hub) > span'))
             .map(e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; })"""
    )
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not (a[0] < b[2] - 1 and b[0] < a[2] - 1 and a[1] < b[3] - 1 and b[1] < a[3] - 1)
    # The legend stays on screen, apart from the layer switcher.
    assert p.locator(".im-map-legend .im-legend-body").is_visible()
    assert "Hollow, dashed" in p.locator(".im-map-legend").inner_text()
    assert log.errors == [] and log.external == []


def test_a_hub_click_opens_its_panel_with_a_link_to_its_page(
    page: tuple[Page, PageLog], base_url: str
) -> None:
    p, log = page
    _open(p, base_url)
    p.locator(".im-label-hub.im-label-on", has_text="Zhangjiang Science City").click()
    panel = p.locator("#im-detail .im-hub-panel")
    panel.wait_for()
    assert "not an official boundary" in panel.inner_text()
    href = panel.locator("a.im-hub-link").get_attribute("href") or ""
    assert href.startswith("/hubs/zhangjiang-science-city")
    assert p.request.get(base_url + href).status == 200
    assert log.errors == []


def test_district_only_places_are_not_pins_but_counted_and_listed(
    page: tuple[Page, PageLog], base_url: str
) -> None:
    p, log = page
    _open(p, base_url, "lang=en&district=浦东新区")
    only = p.evaluate(
        """() => Object.keys(window.innovationMap.records)
             .filter(id => window.innovationMap.records[id].district)"""
    )
    assert only, "the build has places known only by district"
    records = p.evaluate(
        "ids => ids.map(id => window.innovationMap.records[id].marker === null)", only
    )
    assert all(records)  # no pin
    drawn = set(p.evaluate("() => window.innovationMap.drawnIds()"))
    listed = p.locator("#im-detail .im-district-only .im-place").evaluate_all(
        "bs => bs.map(b => b.getAttribute('data-id'))"
    )
    assert listed and set(listed) <= drawn  # shown (counted) and listed in the panel
    badge = p.locator(".im-label-district", has_text="Pudong").locator(".im-dcount")
    assert badge.inner_text() == str(len(listed))
    assert log.errors == []


def test_cluster_icons_are_donuts_of_category_colours(
    page: tuple[Page, PageLog], base_url: str
) -> None:
    p, log = page
    _open(p, base_url)
    cluster = p.locator(".im-cluster").first
    cluster.wait_for()
    arcs = cluster.locator("svg circle[data-cat]")
    assert arcs.count() >= 1
    assert int(cluster.locator("span").inner_text()) >= 2
    assert (
        p.locator(".im-cluster svg circle[data-cat]").evaluate_all(
            "cs => new Set(cs.map(c => c.getAttribute('data-cat'))).size"
        )
        > 1
    )  # one cluster group for every crowded layer: the rings mix categories
    # The count is drawn above its ring (Leaflet raises every svg in the map to z-index 200).
    on_top = p.locator(".im-cluster span").evaluate_all(
        """spans => spans.filter(s => {
             const r = s.getBoundingClientRect();
             if (r.x < 0 || r.y < 0 || r.right > innerWidth || r.bottom > innerHeight) return false;
             return document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2) === s;
           }).length"""
    )
    assert on_top >= 1
    assert log.errors == []


def test_the_delta_context_moves_to_gcj02_with_the_districts_on_gaode_tiles(
    page: tuple[Page, PageLog], base_url: str
) -> None:
    p, log = page
    _open(p, base_url)
    # The first vertex of the Delta's first polygon, as Leaflet draws it now (lon, lat).
    first = """() => { const land = window[JSON.parse(document.getElementById('im-data')
                 .textContent).vars.context];
               let ll = land.getLayers()[0].getLatLngs();
               while (Array.isArray(ll)) ll = ll[0];
               return [ll.lng, ll.lat]; }"""
    lon, lat = p.evaluate(first)
    p.locator("#im-basemap").select_option("gaode")
    p.wait_for_function("() => document.querySelector('.folium-map').dataset.datum === 'gcj02'")
    glon, glat = p.evaluate(first)
    expected = wgs84_to_gcj02(lon, lat)
    assert abs(glon - expected[0]) < 1e-9 and abs(glat - expected[1]) < 1e-9
    assert abs(glon - lon) > 1e-4  # the shift is hundreds of metres, not nothing
    p.locator("#im-basemap").select_option("none")
    assert p.evaluate(first) == [lon, lat]  # back to the stored WGS-84 points
    # The blocked tile requests are the only errors (the guard aborted them).
    assert all("autonavi.com" in u for u in log.external)
    assert [e for e in log.errors if "Failed to load resource" not in e] == []


# What floats over the map; none may cover a district in the first view.
CONTROLS = (
    ".im-panel, .im-detail:not([hidden]), .im-map-legend, .leaflet-control-layers, "
    ".leaflet-control-zoom, .leaflet-control-attribution"
)
OVERLAPS = """sel => {
  const m = window.innovationMap.map, frame = m.getContainer().getBoundingClientRect();
  const boxes = Array.from(document.querySelectorAll(sel))
    .map(e => [e.className, e.getBoundingClientRect()]).filter(([, r]) => r.width && r.height);
  const hits = [];
  window.innovationMap.districts.eachLayer(l => {
    const b = l.getBounds();
    const a = m.latLngToContainerPoint(b.getNorthWest()), z = m.latLngToContainerPoint(b.getSouthEast());
    const d = [a.x + frame.left, a.y + frame.top, z.x + frame.left, z.y + frame.top];
    boxes.forEach(([name, r]) => {
      if (d[0] < r.right && r.left < d[2] && d[1] < r.bottom && r.top < d[3])
        hits.push(l.feature.properties.name_en + ' under ' + name);
    });
    if (d[0] < 0 || d[1] < 0 || d[2] > innerWidth || d[3] > innerHeight)
      hits.push(l.feature.properties.name_en + ' off screen');
  });
  return hits;
}"""


@pytest.mark.parametrize(
    ("width", "height", "lang"),
    [(1440, 900, "en"), (1440, 900, "zh"), (1280, 720, "en"), (1280, 720, "zh"), (390, 844, "en")],
)
def test_no_district_is_under_the_legend_or_a_control_in_the_first_view(
    contexts: Contexts, base_url: str, width: int, height: int, lang: str
) -> None:
    p = contexts.page(width, height)
    p.route("**/*", lambda r: r.continue_() if r.request.url.startswith(base_url) else r.abort())
    p.goto(f"{base_url}/?lang={lang}")
    p.wait_for_function(READY)
    if width >= 700:
        assert p.locator(".im-map-legend .im-legend-body").is_visible()  # open, not dodged
    assert p.evaluate(OVERLAPS, CONTROLS) == []
    p.close()
