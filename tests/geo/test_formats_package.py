"""The data package: every layer, a Frictionless descriptor that validates, keys that hold."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pyogrio
import pytest
from buildcache import Built

from geo.package import write_package
from geo.query import PlaceQuery
from geo.vocab import COLLECTIONS
from mapapp.app import load_map_data
from mapapp.exports import export_frame

DATA = Path(__file__).parents[1] / "data"


@pytest.fixture(scope="module")
def package(fixture_build: Built, tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = load_map_data(fixture_build.dir)
    query = PlaceQuery(unplaced=True)
    frames = {c: export_frame(data, c, query) for c in COLLECTIONS}
    out = tmp_path_factory.mktemp("package")
    write_package(out, frames, data.metadata)
    return out


def test_package_validates_with_frictionless(package: Path) -> None:
    frictionless = pytest.importorskip("frictionless", reason="pip install -e '.[dev]'")
    report = frictionless.validate(package / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]


def test_package_descriptor_has_the_required_fields(package: Path) -> None:
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["name"] == "shanghai-innovation-map"
    assert descriptor["licenses"][0]["name"] and descriptor["licenses"][0]["title"]
    assert descriptor["sources"][0]["title"].startswith("测试报告")
    assert descriptor["build"]["datum"].startswith("WGS-84")
    for resource in descriptor["resources"]:
        assert {"name", "path"} <= set(resource) and (package / resource["path"]).exists()
        assert resource["hash"].startswith("sha256:")
    places = next(r for r in descriptor["resources"] if r["name"] == "places")
    fields = {f["name"]: f for f in places["schema"]["fields"]}
    assert fields["status_2030"]["type"] == "string" and fields["lon"]["type"] == "number"
    assert places["schema"]["primaryKey"] == ["id"]


def test_package_holds_every_layer_and_every_place(package: Path) -> None:
    places = pd.read_csv(package / "places.csv")
    assert len(places) == 12 and "status_2030" in places
    mentions = pd.read_csv(package / "mentions.csv")
    assert set(mentions["place_id"]) <= set(places["id"])
    layers = {name for name, _ in pyogrio.list_layers(package / "shanghai-innovation-map.gpkg")}
    assert layers >= {"places", "mentions", "districts", "hubs", "corridors", "district_profiles"}
