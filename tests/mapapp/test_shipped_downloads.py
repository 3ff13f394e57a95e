"""Downloads of the shipped data, which has what the small fixtures lack: places without a
point, bare and list aliases."""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree as ET

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
