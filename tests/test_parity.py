"""One table of queries, the same ids on every surface: server export, CLI export, OGC API.

The map page in Chromium is checked against the same table in tests/browser.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qsl

import pytest
from flask.testing import FlaskClient
from parity import cases

from mapapp import create_app
from mapapp.cli import main

CASES = cases()
IDS = [c["query"] or "(none)" for c in CASES]


def test_the_table_is_large_enough() -> None:
    assert len(CASES) >= 30
    keys = {k for c in CASES for k, _ in parse_qsl(c["query"])}
    assert {"layers", "category", "district", "year", "status", "bbox", "q", "unplaced"} <= keys


@pytest.fixture(scope="module")
def client(parity_build: Path) -> FlaskClient:
    return create_app({"BUILD_DIR": parity_build}).test_client()


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_server_export(client: FlaskClient, case: dict[str, object]) -> None:
    response = client.get(f"/api/places.geojson?{case['query']}")
    assert response.status_code == 200, response.get_json()
    assert sorted(f["id"] for f in response.get_json()["features"]) == case["ids"]


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_ogc_items(client: FlaskClient, case: dict[str, object]) -> None:
    response = client.get(f"/ogc/collections/places/items?f=json&limit=1000&{case['query']}")
    assert response.status_code == 200, response.get_json()
    doc = response.get_json()
    assert sorted(f["id"] for f in doc["features"]) == case["ids"]
    assert doc["numberMatched"] == len(case["ids"])  # type: ignore[arg-type]


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_cli_export(parity_build: Path, tmp_path: Path, case: dict[str, object]) -> None:
    out = tmp_path / "out.geojson"
    args = ["export", str(out), "--build-dir", str(parity_build)]
    if case["query"]:
        args += ["--view", str(case["query"])]
    assert main(args) == 0
    fc = json.loads(out.read_text(encoding="utf-8"))
    assert sorted(f["id"] for f in fc["features"]) == case["ids"]


def test_ogc_datetime_means_report_years(client: FlaskClient) -> None:
    def ids(query: str) -> list[str]:
        doc = client.get(f"/ogc/collections/places/items?f=json&limit=1000&{query}").get_json()
        return sorted(f["id"] for f in doc["features"])

    assert ids("datetime=2031") == ids("year=2031")
    assert ids("datetime=2030/2031") == ids("year=2030,2031")
    assert ids("datetime=../2030") == ids("year=2030")
    assert ids("datetime=2031-05-01T00:00:00Z") == ids("year=2031")
