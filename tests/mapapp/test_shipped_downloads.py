"""Downloads of the shipped data, which has what the small fixtures lack: places without a
point, bare and list aliases."""

from __future__ import annotations

import io
from pathlib import Path
from xml.etree import ElementTree as ET

import pandas as pd
import pytest
from buildcache import Built
from flask import Flask
from flask.testing import FlaskClient

from mapapp import create_app

KML = {"k": "http://www.opengis.net/kml/2.2"}


@pytest.fixture(scope="module")
def shipped_app(shipped_build: Built, tmp_path_factory: pytest.TempPathFactory) -> Flask:
    run_dir: Path = tmp_path_factory.mktemp("run")
    return create_app({"BUILD_DIR": shipped_build.dir, "TESTING": True, "RUN_DIR": run_dir})


@pytest.fixture
def client(shipped_app: Flask) -> FlaskClient:
    return shipped_app.test_client()


def test_kml_keeps_places_without_a_point_when_asked(client: FlaskClient) -> None:
    # A Placemark without geometry is valid KML: unplaced=1 must not lose places in KML only.
    features = client.get("/api/places.geojson?unplaced=1").get_json()["features"]
    unplaced = [f["id"] for f in features if f["geometry"] is None]
    assert unplaced, "the shipped data has places without a point"
    root = ET.fromstring(client.get("/api/places.kml?unplaced=1").data)
    marks = {m.get("id"): m for m in root.iterfind(".//k:Placemark", KML)}
    assert len(marks) == len(features)
    for place_id in unplaced:
        mark = marks[place_id]
        assert mark.find("k:Point", KML) is None and mark.findtext("k:name", namespaces=KML)
        assert mark.findtext("k:description", namespaces=KML)
        assert mark.find(".//k:SimpleData[@name='name_zh']", KML) is not None
    placed = ET.fromstring(client.get("/api/places.kml").data)
    assert len(placed.findall(".//k:Placemark", KML)) == len(features) - len(unplaced)


def _has_syntax(alias: str) -> bool:
    return alias.endswith("=") or "…" in alias


def test_downloads_give_aliases_as_names_are_written(client: FlaskClient) -> None:
    # The gazetteer's marks (bare "张江=", list "head…tail") are for matching, not for users.
    features = client.get("/api/places.geojson?unplaced=1").get_json()["features"]
    aliases = {f["id"]: f["properties"]["aliases"] for f in features}
    assert aliases["zhangjiang-science-city"] == ["国际一流科学城", "张江"]
    assert aliases["zhangjiang-comprehensive-national-science-center"] == [
        "上海张江综合性国家科学中心"
    ]
    assert not [a for names in aliases.values() for a in names if _has_syntax(a)]
    for f in features:
        assert f["properties"]["name_zh"] not in aliases[f["id"]]
        assert len(set(aliases[f["id"]])) == len(aliases[f["id"]])
    table = pd.read_csv(io.BytesIO(client.get("/api/places.csv?unplaced=1").data), dtype=str)
    by_id = table.set_index("id")["aliases"].fillna("")
    assert by_id["zhangjiang-science-city"] == "国际一流科学城; 张江"
    assert by_id["zhangjiang-comprehensive-national-science-center"] == "上海张江综合性国家科学中心"
    assert not [a for cell in by_id for a in cell.split("; ") if _has_syntax(a)]
    ogc = client.get("/ogc/collections/places/items/zhangjiang-science-city?f=json").get_json()
    assert ogc["properties"]["aliases"] == ["国际一流科学城", "张江"]
    page = client.get("/places/zhangjiang-science-city?lang=en").get_data(as_text=True)
    assert "国际一流科学城、张江<" in page and "张江=" not in page
    detail = client.get("/places/zhangjiang-comprehensive-national-science-center.json")
    assert detail.get_json()["place"]["aliases"] == ["上海张江综合性国家科学中心"]


def test_matching_keeps_the_raw_aliases(shipped_build: Built) -> None:
    from geo.query import place_search_keys

    places = shipped_build.data.places.set_index("id")
    assert "张江=" in places.loc["zhangjiang-science-city", "aliases"]
    center = places.loc["zhangjiang-comprehensive-national-science-center"].to_dict()
    keys = place_search_keys(center)
    assert "上海张江" in keys and "综合性国家科学中心" in keys
