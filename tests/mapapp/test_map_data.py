"""The map page's lazy parts (popups, search keys): served apart, cached for good, inline offline.

The app serves a page without them and names one file per part and build
(``/map-data/<hash>.json``); the offline file keeps them inline. The page's weight has a
budget (issue #12: the whole page under 150 KB gzip; the libraries take about 58 KB).
"""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.exceptions import NotFound
from werkzeug.middleware.dispatcher import DispatcherMiddleware
from werkzeug.test import Client

from geo.pipeline import Inputs, build
from layers.ui import read_page_data
from mapapp import create_app
from mapapp.serving import IMMUTABLE

_SRC = re.compile(r'id="im-lazy-(\w+)" data-src="([^"]+)"')


@pytest.fixture(scope="module")
def app(parity_build: Path) -> Flask:
    return create_app({"BUILD_DIR": parity_build, "TESTING": True})


def _parts(html: str) -> dict[str, str]:
    return dict(_SRC.findall(html))


def test_the_served_page_names_its_lazy_parts_instead_of_carrying_them(app: Flask) -> None:
    client = app.test_client()
    html = client.get("/?lang=en").text
    parts = _parts(html)
    assert set(parts) == {"popups", "keys", "profiles"}
    data = read_page_data(html)
    assert data["popups"] == {} and all("keys" not in p for p in data["places"])
    popups = client.get(parts["popups"])
    assert popups.status_code == 200 and popups.mimetype == "application/json"
    assert set(popups.get_json()) == {m[2] for m in data["markers"]}  # every marker's popup
    keys = client.get(parts["keys"]).get_json()
    assert len(keys) == len(data["places"])  # [keys, suggestion keys] per place, in order
    profiles = client.get(parts["profiles"]).get_json()
    assert len(profiles) == len(data["districts"]) and any(profiles)  # per district, in order
    # The offline file (and so the PNG) carries the same parts inline, with no address.
    offline = client.get("/export/map.html?lang=en").text
    assert not _parts(offline)
    inline = read_page_data(offline)
    assert inline["popups"] == popups.get_json()
    assert [p["keys"] for p in inline["places"]] == [k[0] for k in keys]
    assert [d["profiles"] for d in inline["districts"]] == profiles


def test_a_part_is_cached_for_good_compressed_and_revalidated(app: Flask) -> None:
    client = app.test_client()
    url = _parts(client.get("/?lang=zh").text)["popups"]
    first = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert first.headers["Content-Encoding"] == "gzip"
    assert first.headers["Cache-Control"] == IMMUTABLE
    body = json.loads(gzip.decompress(first.data))
    assert all('lang="zh"' in html for html in body.values())
    etag = first.headers["ETag"]
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.headers["Cache-Control"] == IMMUTABLE
    # Each language has its own file; an unknown name is a JSON 404.
    assert url != _parts(client.get("/?lang=en").text)["popups"]
    missing = client.get("/map-data/0123456789abcdef0123.json")
    assert missing.status_code == 404 and missing.get_json()["ok"] is False


def test_under_a_sub_path_the_parts_and_their_links_start_at_the_mount(parity_build: Path) -> None:
    app = create_app({"BUILD_DIR": parity_build})
    client = Client(DispatcherMiddleware(NotFound(), {"/map": app}))
    html = client.get("/map/?lang=en").get_data(as_text=True)
    parts = _parts(html)
    assert all(url.startswith("/map/map-data/") for url in parts.values())
    popups = json.loads(client.get(parts["popups"]).get_data(as_text=True))
    links = [h for text in popups.values() for h in re.findall(r'href="([^"]+)"', text)]
    assert links and all(h.startswith("/map/places/") for h in links), links[:3]


@pytest.fixture(scope="module")
def real_page(tmp_path_factory: pytest.TempPathFactory) -> str:
    build_dir = tmp_path_factory.mktemp("real") / "build"
    build(build_dir, Inputs())  # the project's own data, as `innovation-map build` makes it
    return create_app({"BUILD_DIR": build_dir}).test_client().get("/?lang=en").text


def test_the_real_map_page_stays_within_its_weight_budget(real_page: str) -> None:
    # Sizes, not timings: deterministic for a build. 92 KB for the HTML leaves the libraries
    # (Leaflet, markercluster, the icon subset: ~58 KB gzip) under issue #12's 150 KB in all.
    assert len(gzip.compress(real_page.encode("utf-8"), compresslevel=6)) < 92_000
