"""Production behaviour: compression, ETags and 304s, cache lifetimes, health, safety."""

from __future__ import annotations

import gzip
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import brotli
import pytest
from buildcache import Built
from flask import Flask

from geo import settings
from geo.pipeline import Inputs, build
from mapapp import create_app

DATA = Path(__file__).parents[1] / "data"


def _inputs() -> Inputs:
    return Inputs(
        DATA / "reports",
        DATA / "gazetteer",
        settings.BOUNDARIES_FILE,
        DATA / "hubs" / "hubs.geojson",
    )


@pytest.mark.parametrize(
    ("encoding", "decode"), [("br", brotli.decompress), ("gzip", gzip.decompress)]
)
@pytest.mark.parametrize(
    "url", ["/?lang=en", "/api/places.geojson", "/static/vendor/leaflet@1.9.3/dist/leaflet.js"]
)
def test_responses_are_compressed_and_decode_to_the_same_bytes(
    fixture_app: Flask, url: str, encoding: str, decode: object
) -> None:
    client = fixture_app.test_client()
    plain = client.get(url).data
    packed = client.get(url, headers={"Accept-Encoding": encoding})
    assert packed.headers["Content-Encoding"] == encoding
    assert len(packed.data) < len(plain) / 2
    assert decode(packed.data) == plain  # type: ignore[operator]
    assert "Accept-Encoding" in packed.headers["Vary"]


def test_etag_gives_304_for_plain_and_compressed_variants(fixture_app: Flask) -> None:
    client = fixture_app.test_client()
    first = client.get("/api/places.geojson?district=Pudong", headers={"Accept-Encoding": "br"})
    etag = first.headers["ETag"]
    assert etag.endswith(':br"') and first.headers["Cache-Control"] == "public, max-age=300"
    again = client.get("/api/places.geojson?district=Pudong", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    other = client.get("/api/places.geojson?district=Yangpu", headers={"If-None-Match": etag})
    assert other.status_code == 200  # another URL, another ETag


def test_cache_lifetimes(fixture_app: Flask) -> None:
    client = fixture_app.test_client()
    asset = client.get("/static/vendor/leaflet@1.9.3/dist/leaflet.css")
    assert asset.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert client.get("/healthz").headers["Cache-Control"] == "no-store"
    assert client.get("/places/nope").headers["Cache-Control"] == "no-store"
    assert client.get("/?year=1").headers["Cache-Control"] == "no-store"


def test_ogc_representations_are_cached_apart(fixture_app: Flask) -> None:
    client = fixture_app.test_client()
    html = client.get("/ogc/collections", headers={"Accept": "text/html", "Accept-Encoding": "br"})
    data = client.get(
        "/ogc/collections", headers={"Accept": "application/json", "Accept-Encoding": "br"}
    )
    assert html.mimetype == "text/html" and data.mimetype == "application/json"
    assert html.headers["ETag"] != data.headers["ETag"] and "Accept" in data.headers["Vary"]


def test_healthz_fails_when_the_build_on_disk_goes_away(tmp_path: Path) -> None:
    build(tmp_path / "build", _inputs())
    client = create_app({"BUILD_DIR": tmp_path / "build"}).test_client()
    assert client.get("/healthz").status_code == 200
    shutil.rmtree((tmp_path / "build").resolve())
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["ok"] is False and "missing" in response.get_json()["error"]
    assert client.get("/places.json").status_code == 200  # the loaded build is still served whole


def test_a_missing_build_refuses_to_start(tmp_path: Path) -> None:
    from geo.errors import GeoError

    with pytest.raises(GeoError, match="innovation-map build"):
        create_app({"BUILD_DIR": tmp_path / "nothing"})


def test_no_debug_and_no_traceback_on_a_crash(fixture_build: Built, tmp_path: Path) -> None:
    app = create_app({"BUILD_DIR": fixture_build.dir, "RUN_DIR": tmp_path / "run"})
    assert app.debug is False

    def boom() -> str:
        raise RuntimeError("secret internals")

    app.add_url_rule("/boom.json", "boom", boom)
    app.add_url_rule("/boom", "boom_page", boom)
    client = app.test_client()
    for url in ("/boom.json", "/boom"):
        response = client.get(url)
        body = response.get_data(as_text=True)
        assert response.status_code == 500
        assert "secret internals" not in body and "Traceback" not in body


@pytest.mark.parametrize(
    "url",
    [
        "/static/../mapapp/app.py",
        "/static/vendor/../../app.py",
        "/static/vendor/%2e%2e/%2e%2e/app.py",
        "/static/vendor/..%2f..%2fapp.py",
        "/api/..%2f..%2fetc%2fpasswd.geojson",
        "/api/places.geojson/../../../etc/passwd",
        "/places/..%2f..%2fbuild_info.json",
        "/export/..%2fmap.png",
    ],
)
def test_no_path_traversal(fixture_app: Flask, url: str) -> None:
    response = fixture_app.test_client().get(url)
    assert response.status_code in (400, 404)
    body = response.get_data(as_text=True)
    assert "import" not in body and "root:" not in body


def test_tianditu_key_only_where_it_is_needed(fixture_build: Built, tmp_path: Path) -> None:
    config = {"BUILD_DIR": fixture_build.dir, "RUN_DIR": tmp_path / "run"}
    plain = create_app(config).test_client()
    assert "tianditu" not in plain.get("/").get_data(as_text=True)
    keyed = create_app({**config, "TIANDITU_KEY": "k3y-secret"}).test_client()
    assert "k3y-secret" in keyed.get("/").get_data(as_text=True)  # the tiles need it in the page
    for url in (
        "/places",
        "/places.json",
        "/ogc",
        "/ogc/openapi",
        "/api/places.geojson",
        "/healthz",
        "/api/metadata.json",
    ):
        assert "k3y-secret" not in keyed.get(url).get_data(as_text=True), url


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_gunicorn_alone_serves_the_app_for_your_own_proxy(
    fixture_build: Built, tmp_path: Path
) -> None:
    port = _free_port()
    cli = Path(sys.executable).with_name("innovation-map")
    proc = subprocess.Popen(
        [
            str(cli),
            "serve",
            "--prod",
            "--no-nginx",
            "--port",
            str(port),
            "--workers",
            "2",
            "--build-dir",
            str(fixture_build.dir),
        ],
        env={**os.environ, "INNOVATION_MAP_RUN_DIR": str(tmp_path / "run")},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                    assert r.status == 200 and r.headers["Server"].startswith("gunicorn")
                    break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise
                time.sleep(0.5)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        if proc.stderr:
            proc.stderr.close()


def test_lru_cache_is_bounded_by_entries_entry_size_and_total() -> None:
    from mapapp.serving import LRUCache

    cache = LRUCache(entries=3, max_bytes=10, max_total=20)
    cache.set("big", b"x" * 11)
    assert cache.get("big") is None
    for key in "abcd":
        cache.set(key, b"1234567")
    assert cache.get("a") is None  # 4 entries > 3, and 28 bytes > 20
    assert cache.get("b") is None
    assert cache.get("c") == b"1234567" and cache.get("d") == b"1234567"


def test_cached_responses_keep_their_headers(fixture_app: Flask) -> None:
    client = fixture_app.test_client()
    first = client.get("/api/places.csv?year=2030")
    second = client.get("/api/places.csv?year=2030")
    assert first.data == second.data
    for header in ("Content-Type", "Content-Disposition", "Link"):
        assert first.headers[header] == second.headers[header]
