from __future__ import annotations

import json
from pathlib import Path

import pyogrio
import pytest

from geo.errors import GazetteerError, ReportError
from geo.io import load_layer, load_places
from geo.pipeline import GPKG_NAME, Inputs, build

PLACE_PROPERTIES = {
    "id",
    "name_zh",
    "name_en",
    "aliases",
    "category",
    "parent_id",
    "district_zh",
    "in_shanghai",
    "precision",
    "coord_source",
    "status",
    "years",
    "sources",
}


def test_fixture_build_writes_every_output(fixture_inputs: Inputs, tmp_path: Path) -> None:
    out = tmp_path / "build"
    data = build(out, fixture_inputs)
    names = {p.name for p in out.iterdir()}
    assert {
        GPKG_NAME,
        "places.geojson",
        "districts.geojson",
        "hubs.geojson",
        "places.csv",
        "mentions.csv",
        "district_profiles.json",
        "unmatched.csv",
        "build_info.json",
    } <= names
    layers = {name for name, _ in pyogrio.list_layers(out / GPKG_NAME)}
    assert layers == {"places", "mentions", "districts", "district_profiles", "hubs"}
    places = load_places(out / GPKG_NAME)
    assert len(places) == len(data.places) == 12
    assert places.crs.to_epsg() == 4326
    profiles = load_layer(out / GPKG_NAME, "district_profiles")
    assert set(profiles["district_zh"]) == {"浦东新区", "徐汇区"}


def test_geojson_is_rfc7946_with_the_required_properties(
    fixture_inputs: Inputs, tmp_path: Path
) -> None:
    build(tmp_path / "b", fixture_inputs)
    fc = json.loads((tmp_path / "b" / "places.geojson").read_text(encoding="utf-8"))
    assert fc["type"] == "FeatureCollection" and "crs" not in fc  # RFC 7946: WGS-84 only
    assert fc["metadata"]["datum"].startswith("WGS-84")
    for f in fc["features"]:
        assert set(f["properties"]) >= PLACE_PROPERTIES
        lon, lat = f["geometry"]["coordinates"]
        assert -180 <= lon <= 180 and -90 <= lat <= 90
        for s in f["properties"]["sources"]:
            assert set(s) == {"report", "year", "line", "quote"}
    hefei = next(f for f in fc["features"] if f["id"] == "hefei-national-science-centre")
    assert (
        hefei["properties"]["district_zh"] is None and hefei["properties"]["in_shanghai"] is False
    )


def test_bad_input_leaves_the_previous_build_intact(fixture_inputs: Inputs, tmp_path: Path) -> None:
    out = tmp_path / "build"
    build(out, fixture_inputs)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    places_csv = fixture_inputs.gazetteer_dir / "places.csv"
    places_csv.write_text(
        places_csv.read_text(encoding="utf-8").replace(",facility,", ",castle,", 1),
        encoding="utf-8",
    )
    with pytest.raises(GazetteerError, match="unknown category 'castle'"):
        build(out, fixture_inputs)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert not list(tmp_path.glob(".build-*"))


def test_hash_mismatch_fails_before_anything_is_written(
    fixture_inputs: Inputs, tmp_path: Path
) -> None:
    report = fixture_inputs.reports_dir / "2030_mini_report.txt"
    report.write_bytes(report.read_bytes() + b"\n")
    with pytest.raises(ReportError, match="sha256 mismatch"):
        build(tmp_path / "build", fixture_inputs)
    assert not (tmp_path / "build").exists()


def test_failure_while_writing_keeps_the_old_build(
    fixture_inputs: Inputs, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "build"
    build(out, fixture_inputs)
    before = sorted(p.name for p in out.iterdir())

    def boom(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("geo.pipeline.write_geojson", boom)
    with pytest.raises(OSError, match="disk full"):
        build(out, fixture_inputs)
    assert sorted(p.name for p in out.iterdir()) == before
    assert not list(tmp_path.glob(".build-*"))


def test_gazetteer_and_point_problems_come_in_one_message(
    fixture_inputs: Inputs, tmp_path: Path
) -> None:
    places_csv = fixture_inputs.gazetteer_dir / "places.csv"
    text = places_csv.read_text(encoding="utf-8")
    text = text.replace(",facility,", ",castle,", 1)  # a gazetteer problem
    text = text.replace("121.5035,31.2975", "121.6000,31.2000")  # Fudan moved into Pudong
    places_csv.write_text(text, encoding="utf-8")
    with pytest.raises(GazetteerError) as err:
        build(tmp_path / "build", fixture_inputs)
    msg = str(err.value)
    assert "unknown category 'castle'" in msg
    assert "fudan-university: (121.600000, 31.200000) is outside its district 杨浦区" in msg
    assert "(2 problems)" in msg
