"""One rule for what filters each collection: the downloads, the OGC API and the CLI agree.

``geo.query.COLLECTION_FILTERS`` says which filters a collection takes; a filter it does not
take is refused, never silently ignored (the hubs download used to return every hub for
``district=浦东新区`` while its metadata said the filter was applied).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyogrio
import pytest
from buildcache import Built
from flask import Flask
from flask.testing import FlaskClient

from geo.query import COLLECTION_FILTERS
from mapapp.cli import main

NEAR_FUDAN = "121.49,31.29,121.52,31.31"
FAR_AWAY = "121.0,30.7,121.01,30.71"

# (collection, query, expected: the ids kept, or the parameter refused)
CASES: list[tuple[str, str, set[str] | str]] = [
    ("hubs", f"bbox={FAR_AWAY}", set()),
    ("hubs", "bbox=121.5,31.1,121.7,31.3", {"zhangjiang-science-city"}),
    ("hubs", "district=浦东新区", "district"),
    ("hubs", "year=2030", "year"),
    ("hubs", "q=张江", "q"),
    ("corridors", "status=planned", "status"),
    ("districts", f"bbox={NEAR_FUDAN}", {"310110", "310109"}),  # 杨浦区, 虹口区, by adcode
    ("districts", "district=Xuhui", {"310104"}),
    ("districts", "category=facility", "category"),
    ("places", f"bbox={NEAR_FUDAN}", {"fudan-university"}),
]


def _ids(fc: dict) -> set[str]:  # type: ignore[type-arg]
    return {str(f["id"]) for f in fc["features"]}


@pytest.fixture(scope="module")
def client(fixture_app: Flask) -> FlaskClient:
    return fixture_app.test_client()


@pytest.mark.parametrize(("collection", "query", "expected"), CASES)
def test_the_download_and_the_ogc_api_filter_alike(
    client: FlaskClient, collection: str, query: str, expected: set[str] | str
) -> None:
    download = client.get(f"/api/{collection}.geojson?{query}")
    ogc = client.get(f"/ogc/collections/{collection}/items?{query}&limit=1000")
    if isinstance(expected, str):  # refused, by both, naming the parameter
        for resp in (download, ogc):
            assert resp.status_code == 400
            assert resp.get_json()["error"].startswith(f"{expected}: ")
        assert "does not filter" in download.get_json()["error"]
        return
    assert download.status_code == ogc.status_code == 200
    assert _ids(download.get_json()) == _ids(ogc.get_json()) == expected
    # What the metadata says was applied is what the query asked.
    name, value = query.split("=", 1)
    assert download.get_json()["metadata"]["filters"] == {name: value}


def test_district_profiles_filter_by_district_and_year(client: FlaskClient) -> None:
    every = client.get("/api/district_profiles.geojson").get_json()["features"]
    xuhui = client.get("/api/district_profiles.geojson?district=Xuhui").get_json()["features"]
    assert 0 < len(xuhui) < len(every)
    assert {f["properties"]["district_zh"] for f in xuhui} == {"徐汇区"}
    same_year = client.get("/api/district_profiles.geojson?year=2030").get_json()["features"]
    assert len(same_year) == len(every)  # the fixture's one report is of 2030
    assert client.get("/api/district_profiles.geojson?bbox=121,31,122,32").status_code == 400


def test_each_collection_takes_its_declared_filters_in_the_api_definitions(
    client: FlaskClient,
) -> None:
    from geo.query import PARAM_NAMES

    api = client.get("/openapi.json").get_json()["paths"]
    ogc = client.get("/ogc/openapi").get_json()["paths"]
    for collection, takes in COLLECTION_FILTERS.items():
        declared = {p["name"] for p in api[f"/api/{collection}.geojson"]["get"]["parameters"]}
        assert declared & PARAM_NAMES == takes
        items = ogc.get(f"/ogc/collections/{collection}/items")
        if items:  # district profiles are a table, not an OGC collection
            names = {p["name"] for p in items["get"]["parameters"]}
            assert names & PARAM_NAMES == takes


def test_the_cli_refuses_the_same_filters(
    fixture_build: Built, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    build_dir = tmp_path / "build"
    shutil.copytree(fixture_build.dir, build_dir)
    base = ["export", "--build-dir", str(build_dir)]
    out = tmp_path / "hubs.geojson"
    assert main([*base, str(out), "--collection", "hubs", "--district", "浦东新区"]) == 2
    assert "--district: does not filter hubs" in capsys.readouterr().err and not out.exists()
    # --view is read as the URL is: an unknown parameter is an error, crs is honoured.
    assert main([*base, str(out), "--view", "year=2030&statsu=planned"]) == 2
    assert "statsu: unknown parameter" in capsys.readouterr().err
    assert main([*base, str(out), "--view", "q=%ff"]) == 2  # as a URL: not UTF-8, a 400
    assert "--view q: not valid UTF-8" in capsys.readouterr().err
    assert main([*base, str(tmp_path / "p.gpkg"), "--view", "crs=EPSG:4490"]) == 0
    assert pyogrio.read_info(tmp_path / "p.gpkg", layer="places")["crs"] == "EPSG:4490"
    hubs = tmp_path / "hubs2.geojson"
    assert main([*base, str(hubs), "--collection", "hubs", "--bbox", FAR_AWAY]) == 0
    assert json.loads(hubs.read_text(encoding="utf-8"))["features"] == []
