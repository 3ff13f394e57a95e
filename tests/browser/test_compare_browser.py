"""Compare mode in Chromium: the page's counts and drawn places equal the server's answer.

The server applies geo/compare.py through PlaceQuery (``/api/places.geojson?compare=&change=``);
the page only reads the per-place change codes Python sent. Both must agree for every pair.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import Page

from tests.browser.conftest import PageLog

READY = "() => document.querySelector('.folium-map[data-ready]') !== null"
CHANGES = ("new", "advanced", "dropped", "unchanged")
#: (query, pair) — the query's other filters apply to the counts as well.
CASES = (
    ("compare=2022,2025", "2022,2025"),
    ("compare=2025,2021", "2021,2025"),  # either order
    ("compare=2023,2025&district=Pudong", "2023,2025"),
    ("compare=2021,2022&category=facility&unplaced=1", "2021,2022"),
)


def _server_ids(page: Page, base_url: str, query: str) -> list[str]:
    reply = page.request.get(f"{base_url}/api/places.geojson?{query}")
    assert reply.ok, reply.text()
    return sorted(f["id"] for f in reply.json()["features"])


def test_compare_counts_equal_the_server(page: tuple[Page, PageLog], base_url: str) -> None:
    p, log = page
    p.goto(f"{base_url}/?lang=en&{CASES[0][0]}")
    p.wait_for_function(READY)
    assert p.locator("#im-compare-pair").input_value() == "2022,2025"
    assert p.locator("#im-changes legend").inner_text() == "Change 2022 → 2025"
    for query, pair in CASES:
        p.evaluate("q => window.innovationMap.applyQuery(q)", query)
        assert p.locator("#im-compare-pair").input_value() == pair
        shown = {
            b.get_attribute("data-change"): int(b.inner_text())
            for b in p.locator("#im-changes .im-chg-n").all()
        }
        for change in CHANGES:
            ids = _server_ids(p, base_url, f"{query}&change={change}")
            assert shown[change] == len(ids), (query, change)
        # By default the map keeps new, advanced and dropped: exactly what the server sends.
        expected = _server_ids(p, base_url, query)
        assert p.evaluate("() => window.innovationMap.matchingIds()") == expected, query
        assert shown["new"] + shown["advanced"] + shown["dropped"] == len(expected)
        drawn = p.evaluate("() => window.innovationMap.drawnIds()")
        assert set(drawn) <= set(expected)
    assert log.errors == [] and log.external == []


def test_change_boxes_are_kept_in_the_url_and_the_download(
    page: tuple[Page, PageLog], base_url: str
) -> None:
    p, log = page
    p.goto(f"{base_url}/?lang=en&compare=2022,2025")
    p.wait_for_function(READY)
    p.locator("#im-changes input[value=dropped]").uncheck()
    p.locator("#im-changes input[value=unchanged]").check()
    # The URL is written 150 ms after the last change: wait for the second box's state.
    p.wait_for_function("() => /change=[^&]*unchanged/.test(location.search)")
    args = parse_qs(urlsplit(p.url).query)
    assert args["compare"] == ["2022,2025"] and args["change"] == ["new,advanced,unchanged"]
    # Changed places carry a visible mark (ring and symbol), not colour alone.
    marked = p.evaluate("document.querySelectorAll('.leaflet-marker-icon.im-chg-new').length")
    assert marked > 0
    p.locator("#im-share-open").click()
    href = p.locator("#im-dl-data").get_attribute("href") or ""
    assert "compare=2022%2C2025" in href and "change=new%2Cadvanced%2Cunchanged" in href
    ids = sorted(f["id"] for f in p.request.get(href).json()["features"])
    assert ids == p.evaluate("() => window.innovationMap.matchingIds()")
    p.keyboard.press("Escape")
    p.locator("#im-compare-pair").select_option("")
    p.wait_for_function("() => !location.search.includes('compare=')")
    assert "change=" not in p.url
    assert (
        p.evaluate("document.querySelectorAll('.leaflet-marker-icon[class*=im-chg-]').length") == 0
    )
    assert log.errors == [] and log.external == []
