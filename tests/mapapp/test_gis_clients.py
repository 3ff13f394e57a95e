"""GDAL itself reads the app: its OGC API driver (OAPIF:) and a GeoPackage over HTTP ranges."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pyogrio
import pytest

_SERVE = """
import sys
from werkzeug.serving import make_server
from mapapp import create_app
server = make_server("127.0.0.1", 0, create_app({"BUILD_DIR": sys.argv[1]}), threaded=True)
print(server.server_port, flush=True)
server.serve_forever()
"""


@pytest.fixture(scope="module")
def parity_url(parity_build: Path) -> Iterator[str]:
    # A server process of its own, as a GIS user has: GDAL in the client and GDAL writing
    # the export must not share one process (one library, one set of locks).
    proc = subprocess.Popen(
        [sys.executable, "-c", _SERVE, str(parity_build)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    try:
        assert proc.stdout is not None
        port = int(proc.stdout.readline())
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{url}/healthz", timeout=5).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        if proc.stdout is not None:
            proc.stdout.close()


def _ids(url: str) -> list[str]:
    with urllib.request.urlopen(url, timeout=60) as response:  # loopback only
        return sorted(f["id"] for f in json.load(response)["features"])


def test_gdal_ogc_api_driver_reads_every_collection(parity_url: str) -> None:
    layers = {name for name, _ in pyogrio.list_layers(f"OAPIF:{parity_url}/ogc")}
    assert {"places", "districts", "hubs"} <= layers
    places = pyogrio.read_dataframe(f"OAPIF:{parity_url}/ogc", layer="places")
    assert sorted(places["id"]) == _ids(f"{parity_url}/api/places.geojson")
    assert places.crs.to_epsg() == 4326
    districts = pyogrio.read_dataframe(f"OAPIF:{parity_url}/ogc", layer="districts")
    assert len(districts) == 16


def test_gdal_pages_through_items_with_a_small_limit(parity_url: str) -> None:
    # GDAL follows the "next" links; a page size of 4 needs several pages for 15 places.
    places = pyogrio.read_dataframe(f"OAPIF:{parity_url}/ogc", layer="places", PAGE_SIZE=4)
    assert sorted(places["id"]) == _ids(f"{parity_url}/api/places.geojson")


def test_gdal_opens_the_geopackage_url_by_byte_ranges(parity_url: str) -> None:
    places = pyogrio.read_dataframe(f"/vsicurl/{parity_url}/api/places.gpkg", layer="places")
    assert sorted(places["id"]) == _ids(f"{parity_url}/api/places.geojson")
    # A filtered download opens too; GDAL only remarks that the name does not end in .gpkg.
    url = f"{parity_url}/api/places.gpkg?district=Pudong"
    with pytest.warns(RuntimeWarning, match="non conformant file extension"):
        pudong = pyogrio.read_dataframe(f"/vsicurl/{url}", layer="places")
    assert sorted(pudong["id"]) == _ids(f"{parity_url}/api/places.geojson?district=Pudong")


def test_a_range_request_gets_206_and_exactly_those_bytes(parity_url: str) -> None:
    url = f"{parity_url}/api/places.gpkg"
    with urllib.request.urlopen(url, timeout=60) as response:
        whole = response.read()
    request = urllib.request.Request(url, headers={"Range": "bytes=100-199"})
    with urllib.request.urlopen(request, timeout=60) as response:
        assert response.status == 206
        assert response.headers["Content-Range"] == f"bytes 100-199/{len(whole)}"
        assert response.read() == whole[100:200]
