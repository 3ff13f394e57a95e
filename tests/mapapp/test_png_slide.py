"""oEmbed offers a thumbnail (the PNG export) and pages advertise it; the slide title is tested
in a browser (tests/browser/test_embed_slide.py)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from flask import Flask


def _state(app: Flask):  # type: ignore[no-untyped-def]
    return app.extensions["innovation_map"]


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
