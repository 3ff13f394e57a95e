"""The PNG for slides says what it shows: title from the view (years from the build's reports,
metric, filters), the choropleth's classes, a scale bar, the source in a band off the map."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from buildcache import Built
from flask import Flask
from playwright.sync_api import Browser, Page

from mapapp import create_app, pages


@pytest.fixture(scope="module")
def fixture_app(fixture_build: Built, tmp_path_factory: pytest.TempPathFactory) -> Flask:
    """The app over the session's build of the committed fixtures (as tests/mapapp/ has it)."""
    run_dir = tmp_path_factory.mktemp("slide") / "run"
    return create_app({"BUILD_DIR": fixture_build.dir, "TESTING": True, "RUN_DIR": run_dir})


def _state(app: Flask):  # type: ignore[no-untyped-def]
    return app.extensions["innovation_map"]


@pytest.fixture
def slide_page(browser: Browser) -> Iterator[Page]:
    """A fresh page; the slide file is self-contained, so it must make no request."""
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("request", lambda r: errors.append(r.url) if r.url.startswith("http") else None)
    yield page
    page.close()
    assert errors == []


def _slide(page: Page, app: Flask, query: str) -> dict[str, str]:
    html = pages.slide_html(_state(app).map_pages["en"], query)
    page.set_content(html)
    page.wait_for_selector(".folium-map[data-ready]", state="attached")
    got: dict[str, str] = page.evaluate(
        """() => ({title: document.getElementById('im-cap-title').textContent,
                  sub: document.getElementById('im-cap-sub').textContent,
                  metric: document.getElementById('im-cap-metric').textContent,
                  foot: document.querySelector('.im-cap-foot').textContent,
                  flag: document.querySelector('.leaflet-control-attribution').innerHTML,
                  scale: !!document.querySelector('.leaflet-control-scale')})"""
    )
    return got


def test_png_title_names_the_year_the_metric_and_the_filters(
    fixture_app: Flask, slide_page: Page
) -> None:
    year = _state(fixture_app).data.report_years[-1]  # from the build's reports, never literal
    got = _slide(
        slide_page, fixture_app, f"lang=en&year={year}&metric=all&district=Pudong&status=operating"
    )
    assert got["title"].startswith("Shanghai innovation map")
    assert f"{year} report" in got["title"] and "Number of places per district" in got["title"]
    assert "District: Pudong" in got["sub"] and "Status: " in got["sub"]
    assert re.search(r"\d+ of \d+ places shown", got["sub"])
    assert (
        "1–" in got["metric"] or "0" in got["metric"]
    )  # the choropleth's classes are in the legend
    assert "Source" in got["foot"] and "WGS-84" in got["foot"]
    assert "Leaflet" not in got["flag"] and got["scale"]


def test_png_title_without_a_year_names_the_reports_span(
    fixture_app: Flask, slide_page: Page
) -> None:
    years = _state(fixture_app).data.report_years
    got = _slide(slide_page, fixture_app, "lang=en")
    span = f"{years[0]} report" if len(years) == 1 else f"reports {years[0]}–{years[-1]}"
    assert got["title"] == f"Shanghai innovation map: {span}"


def test_slide_bands_do_not_overlap_the_map(fixture_app: Flask, slide_page: Page) -> None:
    _slide(slide_page, fixture_app, "lang=en&metric=all")
    boxes = slide_page.evaluate(
        """() => Object.fromEntries([['map', '.folium-map'], ['head', '.im-cap-head'],
             ['legend', '.im-cap-legend'], ['foot', '.im-cap-foot']].map(([k, s]) => {
             const r = document.querySelector(s).getBoundingClientRect();
             return [k, [r.left, r.top, r.right, r.bottom]]; }))"""
    )
    m = boxes["map"]
    assert boxes["head"][3] <= m[1] and boxes["foot"][1] >= m[3] and boxes["legend"][0] >= m[2]
    assert boxes["foot"][3] <= 1080 and m[3] - m[1] > 600


def test_png_title_names_the_density_metric(fixture_app: Flask, slide_page: Page) -> None:
    year = _state(fixture_app).data.report_years[-1]
    got = _slide(slide_page, fixture_app, f"lang=en&year={year}&metric=density")
    assert f"{year} report" in got["title"] and "Places per 100 km²" in got["title"]
    assert "Places per 100 km²" in got["metric"]  # the classes of the density shading
