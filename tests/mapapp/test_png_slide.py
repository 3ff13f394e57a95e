"""The PNG for slides says what it shows; oEmbed offers a thumbnail and pages advertise it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from playwright.sync_api import Browser, Page, sync_playwright

from mapapp import pages
from tests.browser.conftest import CHROMIUM_ARGS, require_chromium


def _state(app: Flask):  # type: ignore[no-untyped-def]
    return app.extensions["innovation_map"]


@pytest.fixture(scope="module")
def slide_browser() -> Iterator[Browser]:
    executable = require_chromium()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def slide_page(slide_browser: Browser) -> Iterator[Page]:
    """A fresh page; the slide file is self-contained, so it must make no request."""
    page = slide_browser.new_page(viewport={"width": 1920, "height": 1080})
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
    return page.evaluate(
        """() => ({title: document.getElementById('im-cap-title').textContent,
                  sub: document.getElementById('im-cap-sub').textContent,
                  metric: document.getElementById('im-cap-metric').textContent,
                  foot: document.querySelector('.im-cap-foot').textContent,
                  flag: document.querySelector('.leaflet-control-attribution').innerHTML,
                  scale: !!document.querySelector('.leaflet-control-scale')})"""
    )


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


def test_oembed_has_a_thumbnail_of_the_same_view(fixture_app: Flask) -> None:
    doc = (
        fixture_app.test_client()
        .get("/oembed", query_string={"url": "http://localhost/?lang=en&year=2030"})
        .get_json()
    )
    thumb = urlsplit(doc["thumbnail_url"])
    assert thumb.path == "/export/map.png"
    args = parse_qs(thumb.query)
    assert args["year"] == ["2030"] and args["lang"] == ["en"] and "caption" not in args
    assert (int(args["width"][0]), int(args["height"][0])) == (
        doc["thumbnail_width"],
        doc["thumbnail_height"],
    )
    response = fixture_app.test_client().get(
        doc["thumbnail_url"].replace("http://localhost", "") + "&engine=matplotlib"
    )
    assert response.status_code == 200 and response.mimetype == "image/png"


def test_place_and_district_pages_embed_as_the_map_showing_them(fixture_app: Flask) -> None:
    client = fixture_app.test_client()
    place_id = str(_state(fixture_app).data.places["id"].iloc[0])
    doc = client.get(
        "/oembed", query_string={"url": f"http://localhost/places/{place_id}?lang=en"}
    ).get_json()
    assert f"place={place_id}" in doc["html"]
    doc = client.get(
        "/oembed", query_string={"url": "http://localhost/districts/浦东新区"}
    ).get_json()
    assert "district=%E6%B5%A6" in doc["html"]


@pytest.mark.parametrize(
    "path", ["/?lang=en&year=2030", "/embed?lang=zh", "/districts/浦东新区?lang=en"]
)
def test_pages_advertise_oembed_and_have_a_title_a_language_and_zoom(
    fixture_app: Flask, path: str
) -> None:
    client = fixture_app.test_client()
    soup = BeautifulSoup(client.get(path).get_data(as_text=True), "html.parser")
    link = soup.find("link", rel="alternate", type="application/json+oembed")
    assert link is not None
    href = str(link["href"])
    assert href.startswith("http://localhost/oembed?")
    assert client.get(href.replace("http://localhost", "")).status_code == 200
    assert soup.html is not None and soup.html.get("lang") in ("zh-Hans", "en")
    assert soup.title is not None and soup.title.get_text().strip()
    viewport = str(soup.find("meta", attrs={"name": "viewport"})["content"])  # type: ignore[index]
    assert "user-scalable=no" not in viewport and "maximum-scale" not in viewport
