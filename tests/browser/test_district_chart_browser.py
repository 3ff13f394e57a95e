"""The district panel shows the district page's chart, and its bars are the server's counts."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.conftest import PageLog

READY = "() => document.querySelector('.folium-map[data-ready]') !== null"
BARS = """() => Object.fromEntries(Array.from(document.querySelectorAll('#im-detail svg.im-chart g[data-year]'))
  .map(g => [g.dataset.year, Object.fromEntries(Array.from(g.querySelectorAll('rect[data-cat]'))
    .map(r => [r.dataset.cat, Number(r.dataset.n)]))]))"""


@pytest.mark.parametrize(("lang", "district"), [("en", "浦东新区"), ("zh", "嘉定区")])
def test_the_panel_chart_counts_equal_the_district_json(
    page: tuple[Page, PageLog], base_url: str, lang: str, district: str
) -> None:
    p, log = page
    p.goto(f"{base_url}/?lang={lang}&district={district}")
    p.wait_for_function(READY)
    chart = p.locator("#im-detail svg.im-chart[role=img]")
    chart.wait_for()
    expected = p.request.get(f"{base_url}/districts/{district}.json").json()["by_year"]
    assert p.evaluate(BARS) == {y: c for y, c in expected.items()}
    assert any(expected.values())
    # ... and the public query's: the places of the district that each report year names.
    for year, counts in expected.items():
        url = f"{base_url}/api/places.geojson?district={district}&year={year}&unplaced=1"
        cats = [f["properties"]["category"] for f in p.request.get(url).json()["features"]]
        assert counts == {c: cats.count(c) for c in set(cats)}
    title = chart.locator("title").first.text_content() or ""
    assert title.startswith(
        district if lang == "zh" else "Jiading" if district == "嘉定区" else "Pudong"
    )
    # A filter redraws the panel; the chart comes back (from the script's cache).
    p.locator("#im-status").select_option("operating")
    p.locator("#im-detail svg.im-chart").wait_for()
    assert p.locator("#im-detail svg.im-chart").count() == 1
    assert log.errors == [] and log.external == []


def test_the_offline_file_carries_the_charts_for_its_panel(
    browser: Browser, base_url: str, tmp_path: Path
) -> None:
    """A file opened from file:// has no server to fetch from: its charts travel inside it."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    html = context.request.get(f"{base_url}/export/map.html?lang=en&district=浦东新区").text()
    expected = context.request.get(f"{base_url}/districts/浦东新区.json").json()["by_year"]
    path = tmp_path / "map.html"
    path.write_text(html, encoding="utf-8")
    p = context.new_page()
    seen: list[str] = []
    p.on("request", lambda r: seen.append(r.url) if r.url.startswith("http") else None)
    p.on("pageerror", lambda exc: seen.append(str(exc)))
    p.goto(path.as_uri())
    p.wait_for_function(READY)
    p.locator("#im-detail svg.im-chart").wait_for()
    assert p.evaluate(BARS) == expected
    # Another district, picked in the file: its chart is there too.
    p.locator("#im-district").select_option("嘉定区")
    p.locator("#im-detail .im-chart-box[data-district='嘉定区'] svg.im-chart").wait_for()
    assert seen == []
    context.close()
