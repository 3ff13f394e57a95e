"""Embed, oEmbed, framing rules, offline HTML and PNG export (server side)."""

from __future__ import annotations

import io
import re

import pytest
from flask import Flask
from PIL import Image


def test_only_embed_may_be_framed(fixture_app: Flask) -> None:
    client = fixture_app.test_client()
    embed = client.get("/embed?lang=en")
    assert embed.status_code == 200
    assert embed.headers["Content-Security-Policy"].endswith("frame-ancestors *")
    assert "X-Frame-Options" not in embed.headers
    for url in ("/", "/places", "/places.json", "/ogc", "/api/places.geojson", "/nope"):
        response = client.get(url)
        assert response.headers["X-Frame-Options"] == "DENY", url
        assert response.headers["Content-Security-Policy"].endswith("frame-ancestors 'none'"), url


def test_oembed_returns_an_iframe_for_a_map_url(fixture_app: Flask) -> None:
    client = fixture_app.test_client()
    doc = client.get(
        "/oembed", query_string={"url": "http://localhost/?lang=en&year=2030", "maxwidth": "640"}
    ).get_json()
    assert doc["version"] == "1.0" and doc["type"] == "rich"
    assert doc["width"] == 640 and doc["height"] == 600
    src = re.search(r'src="([^"]+)"', doc["html"]).group(1)  # type: ignore[union-attr]
    assert src.startswith("http://localhost/embed?")
    assert "lang=en&amp;year=2030&amp;caption=1" in src


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ({"url": "http://evil.example/?lang=en"}, 404),
        ({"url": "http://localhost/places"}, 404),
        ({}, 404),
        ({"url": "http://localhost/", "format": "xml"}, 501),
        ({"url": "http://localhost/", "maxwidth": "ten"}, 400),
    ],
)
def test_oembed_refuses_what_it_cannot_embed(
    fixture_app: Flask, query: dict[str, str], status: int
) -> None:
    response = fixture_app.test_client().get("/oembed", query_string=query)
    assert response.status_code == status
    assert response.get_json()["ok"] is False


def test_offline_html_is_self_contained_and_carries_its_view(fixture_app: Flask) -> None:
    response = fixture_app.test_client().get("/export/map.html?lang=en&year=2030&zoom=11")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    html = response.get_data(as_text=True)
    assert not re.search(r'(?:src|href)="/static/', html)
    assert not re.search(r'<script[^>]+src="https?:', html)
    assert '<script type="application/json" id="im-state">' in html
    assert "year=2030\\u0026zoom=11" in html
    assert "data:font/woff2;base64," in html  # the icon font travels inside the file


def test_png_without_a_browser_is_drawn_by_matplotlib(fixture_app: Flask) -> None:
    response = fixture_app.test_client().get(
        "/export/map.png?lang=en&width=800&height=500&scale=1.5&engine=matplotlib"
    )
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert response.headers["X-Rendered-By"] == "matplotlib"
    image = Image.open(io.BytesIO(response.data)).convert("RGB")
    assert image.size == (1200, 750)
    assert len(image.getcolors(maxcolors=1 << 20) or []) > 20  # drawn, not blank


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("width=100", "width"),
        ("height=5000", "height"),
        ("width=abc", "width"),
        ("scale=7", "scale"),
        ("scale=x", "scale"),
        ("width=4000&height=4000&scale=2", "scale"),
        ("engine=gimp", "engine"),
        ("year=1999", "year"),
    ],
)
def test_png_requests_are_validated(fixture_app: Flask, query: str, named: str) -> None:
    response = fixture_app.test_client().get(f"/export/map.png?{query}")
    assert response.status_code == 400
    assert named in response.get_json()["error"]
