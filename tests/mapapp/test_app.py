from __future__ import annotations

from pathlib import Path

import pytest
from flask.testing import FlaskClient

from geo.pipeline import Inputs, build
from mapapp import create_app


@pytest.fixture
def client(fixture_inputs: Inputs, tmp_path: Path) -> FlaskClient:
    build(tmp_path / "build", fixture_inputs)
    return create_app({"BUILD_DIR": tmp_path / "build", "TESTING": True}).test_client()


def test_index_healthz_and_places(client: FlaskClient) -> None:
    page = client.get("/").get_data(as_text=True)
    assert "上海科技创新地图" in page and "/static/vendor/leaflet@1.9.3/dist/leaflet.js" in page
    assert "Shanghai innovation map" in client.get("/?lang=en").get_data(as_text=True)
    bad = client.get("/?lang=fr")
    assert bad.status_code == 400 and bad.get_json()["ok"] is False
    with client.get("/static/vendor/leaflet@1.9.3/dist/leaflet.js") as asset:
        assert asset.status_code == 200
    assert client.get("/healthz").get_json() == {"ok": True, "places": 12}
    fc = client.get("/places.geojson").get_json()
    assert len(fc["features"]) == 12


def test_unknown_url_gets_the_json_error_shape(client: FlaskClient) -> None:
    resp = client.get("/nope")
    assert resp.status_code == 404
    assert resp.get_json()["ok"] is False and resp.get_json()["status"] == 404
