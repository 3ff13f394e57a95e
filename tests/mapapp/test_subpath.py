"""Behind a proxy that mounts the app under /map/, every link it writes starts there."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from werkzeug.exceptions import NotFound
from werkzeug.middleware.dispatcher import DispatcherMiddleware
from werkzeug.test import Client

from mapapp import create_app


@pytest.fixture(scope="module")
def client(parity_build: Path) -> Client:
    app = create_app({"BUILD_DIR": parity_build})
    return Client(DispatcherMiddleware(NotFound(), {"/map": app}))


def _links(html: str) -> list[str]:
    return re.findall(r'(?:href|src)="(/[^"]*)"', html)


@pytest.mark.parametrize(
    "path",
    ["/map/", "/map/embed", "/map/places?lang=en", "/map/places/ssrf", "/map/districts/Pudong"],
)
def test_every_link_of_a_page_starts_at_the_mount(client: Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    links = _links(response.get_data(as_text=True))
    assert links, path
    assert all(link.startswith("/map/") for link in links), [
        x for x in links if not x.startswith("/map/")
    ]


def test_the_map_page_script_gets_the_mount(client: Client) -> None:
    html = client.get("/map/").get_data(as_text=True)
    assert '"links":"/map"' in html


def test_assets_data_and_ogc_are_served_under_the_mount(client: Client) -> None:
    html = client.get("/map/").get_data(as_text=True)
    asset = next(x for x in _links(html) if x.startswith("/map/static/vendor/"))
    assert client.get(asset).status_code == 200
    assert client.get("/map/api/places.geojson?district=Pudong").status_code == 200
    landing = client.get("/map/ogc?f=json").get_json()
    hrefs = [link["href"] for link in landing["links"]]
    assert all(h.startswith("http://localhost/map/ogc") for h in hrefs), hrefs
    items = client.get("/map/ogc/collections/places/items?f=html").get_data(as_text=True)
    assert all(x.startswith("/map/") for x in _links(items))
    assert client.get("/places").status_code == 404  # nothing answers outside the mount


def test_the_download_link_header_points_under_the_mount(client: Client) -> None:
    response = client.get("/map/api/places.csv")
    assert response.headers["Link"].startswith("</map/api/places.metadata.json>")
    assert client.get("/map/api/places.metadata.json").status_code == 200
