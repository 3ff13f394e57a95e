"""Filtered downloads read back by GDAL (pyogrio): same features, same properties, metadata."""

from __future__ import annotations

import io
import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
from flask import Flask

from geo.formats import FORMATS as REGISTRY

FORMATS = tuple(REGISTRY)


def _read(body: bytes, fmt: str, tmp_path: Path, layer: str | None = None) -> pd.DataFrame:
    path = tmp_path / f"export.{fmt}"
    path.write_bytes(body)
    if fmt == "csv":
        return pd.read_csv(io.BytesIO(body))
    if fmt == "parquet":
        return gpd.read_parquet(path)
    frame: pd.DataFrame = pyogrio.read_dataframe(path, layer=layer)
    return frame


@pytest.mark.parametrize("fmt", FORMATS)
def test_filtered_export_reads_back_with_the_same_features(
    fixture_app: Flask, fmt: str, tmp_path: Path
) -> None:
    client = fixture_app.test_client()
    query = "district=浦东新区&category=facility"
    expected = client.get(f"/api/places.geojson?{query}").get_json()
    ids = sorted(f["id"] for f in expected["features"])
    assert ids == ["hard-x-ray-fel", "shanghai-synchrotron-radiation-facility", "ssrf-phase-ii"]
    response = client.get(f"/api/places.{fmt}?{query}")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    frame = _read(response.data, fmt, tmp_path, layer="places" if fmt == "gpkg" else None)
    assert sorted(frame["id"]) == ids
    by_id = {f["id"]: f["properties"] for f in expected["features"]}
    for row in frame.to_dict("records"):
        assert row["name_zh"] == by_id[row["id"]]["name_zh"]
        assert row["category"] == "facility"
        if fmt != "kml":  # KML keeps the fields but GDAL reads them back as strings too
            assert row["district_zh"] == "浦东新区"
        # Citations travel with every format: lists in GeoJSON, the first one and a count else.
        if fmt == "geojson":
            assert "report" in str(row["sources"])
        else:
            assert row["first_report"] == "2030_mini_report" and int(row["n_citations"]) >= 1


def test_every_export_carries_its_metadata(fixture_app: Flask, tmp_path: Path) -> None:
    client = fixture_app.test_client()
    geojson = client.get("/api/places.geojson?year=2030").get_json()
    assert geojson["metadata"]["datum"].startswith("WGS-84")
    assert geojson["metadata"]["filters"] == {"year": "2030"}
    gpkg = tmp_path / "p.gpkg"
    gpkg.write_bytes(client.get("/api/places.gpkg").data)
    assert "WGS-84" in pyogrio.read_info(gpkg, layer="places")["dataset_metadata"]["datum"]
    kml = client.get("/api/places.kml").get_data(as_text=True)
    assert "<description><![CDATA[" in kml and "WGS-84" in kml
    csv = client.get("/api/places.csv")
    assert csv.headers["Link"].startswith("</api/places.metadata.json>;")
    assert client.get("/api/metadata.json").get_json()["datum"].startswith("WGS-84")


@pytest.mark.parametrize(
    "query",
    [
        "crs=GCJ-02&district=浦东新区&excel=1",
        "crs=EPSG:4490&year=2030&category=facility,university",
        "q=光源&unplaced=1",
        "",
    ],
)
def test_csv_link_describes_exactly_that_download(fixture_app: Flask, query: str) -> None:
    import re
    from urllib.parse import parse_qsl, urlsplit

    client = fixture_app.test_client()
    csv = client.get(f"/api/places.csv?{query}")
    assert csv.status_code == 200
    target = re.fullmatch(
        r'<([^>]+)>; rel="describedby"; type="application/json"', csv.headers["Link"]
    )
    assert target is not None and target.group(1).isascii()
    url = urlsplit(target.group(1))
    assert url.path == "/api/places.metadata.json"
    asked = dict(parse_qsl(query))
    assert dict(parse_qsl(url.query)) == asked
    meta = client.get(target.group(1)).get_json()
    crs = {"GCJ-02": "GCJ-02", "EPSG:4490": "EPSG:4490"}.get(asked.get("crs", ""), "EPSG:4326")
    assert meta["crs"]["id"] == crs and meta["collection"] == "places"
    filters = {k: v for k, v in asked.items() if k not in ("crs", "excel")}
    assert meta["filters"] == filters
    assert meta["datum"].startswith("WGS-84") == (crs == "EPSG:4326")
    assert meta["licence"] and meta["sources"]
    if crs == "EPSG:4326":  # the very dict the GeoJSON of the same query embeds
        assert meta == client.get(f"/api/places.geojson?{query}").get_json()["metadata"]


def test_download_metadata_refuses_what_the_download_refuses(fixture_app: Flask) -> None:
    client = fixture_app.test_client()
    assert client.get("/api/places.metadata.json?status=foo").status_code == 400
    assert client.get("/api/places.metadata.json?crs=EPSG:3857").status_code == 400
    assert client.get("/api/nowhere.metadata.json").status_code == 404
    doc = client.get("/openapi.json").get_json()
    names = {p["name"] for p in doc["paths"]["/api/places.metadata.json"]["get"]["parameters"]}
    assert {"crs", "district", "q"} <= names


def test_csv_has_lon_lat_and_polygons_have_wkt(fixture_app: Flask) -> None:
    client = fixture_app.test_client()
    places = pd.read_csv(io.BytesIO(client.get("/api/places.csv?layers=university").data))
    assert list(places["id"]) == ["fudan-university"]
    assert places.loc[0, "lon"] == pytest.approx(121.5035) and places.loc[
        0, "lat"
    ] == pytest.approx(31.2975)
    districts = pd.read_csv(io.BytesIO(client.get("/api/districts.csv?district=Yangpu").data))
    assert list(districts["name_zh"]) == ["杨浦区"] and districts.loc[0, "wkt"].startswith(
        "MULTIPOLYGON"
    )


@pytest.mark.parametrize(
    ("collection", "none"),
    [
        ("places", "q=zzzzqqq"),
        ("districts", "district=Chongming"),
        ("hubs", "bbox=121.0,30.7,121.01,30.71"),
        ("corridors", "bbox=121.0,30.7,121.01,30.71"),
    ],
)
def test_csv_header_is_the_same_with_or_without_rows(
    fixture_app: Flask, collection: str, none: str
) -> None:
    client = fixture_app.test_client()
    every = client.get(f"/api/{collection}.csv").get_data(as_text=True).splitlines()
    empty = client.get(f"/api/{collection}.csv?{none}").get_data(as_text=True).splitlines()
    assert len(every) > 1 or collection != "places"
    assert empty[0] == every[0]
    if collection == "places":
        assert {"lon", "lat"} <= set(empty[0].split(",")) and "wkt" not in empty[0].split(",")
        assert len(empty) == 1


def test_map_state_filters_mean_what_they_mean_on_the_map(fixture_app: Flask) -> None:
    client = fixture_app.test_client()

    def ids(query: str) -> list[str]:
        fc = client.get(f"/api/places.geojson?{query}").get_json()
        return sorted(f["id"] for f in fc["features"])

    assert ids("layers=outside_shanghai") == ["hefei-national-science-centre"]
    assert ids("layers=national_lab,university") == [
        "fudan-university",
        "lingang-laboratory",
        "zhangjiang-laboratory",
    ]
    assert ids("q=zhangjiang lab") == ["zhangjiang-laboratory"]
    assert ids("bbox=121.49,31.29,121.52,31.31") == ["fudan-university"]
    # View-only parameters (the map's) are accepted and change nothing.
    assert ids("lang=en&zoom=12&center=31.2,121.5&basemap=gaode") == ids("")


def test_district_profiles_export_as_a_table(fixture_app: Flask) -> None:
    client = fixture_app.test_client()
    fc = client.get("/api/district_profiles.geojson?district=浦东新区").get_json()
    assert fc["features"] and all(f["geometry"] is None for f in fc["features"])
    assert {f["properties"]["district_zh"] for f in fc["features"]} == {"浦东新区"}


@pytest.mark.parametrize(
    ("url", "named"),
    [
        ("/api/places.xls", "format"),
        ("/api/places.geojson?category=castle", "category"),
        ("/api/places.geojson?district=Atlantis", "district"),
        ("/api/places.geojson?year=twenty", "year"),
        ("/api/places.geojson?status=gone", "status"),
        ("/api/places.geojson?bbox=1,2,3", "bbox"),
        ("/api/places.geojson?layers=castle", "layers"),
        ("/api/places.geojson?q=" + "x" * 101, "q"),
        ("/api/places.geojson?category=" + ",".join(["facility"] * 51), "category"),
        ("/api/places.geojson?colour=red", "colour"),
        ("/api/district_profiles.kml", "format"),
    ],
)
def test_bad_export_requests_get_a_400_naming_the_problem(
    fixture_app: Flask, url: str, named: str
) -> None:
    response = fixture_app.test_client().get(url)
    assert response.status_code == 400
    body = response.get_json()
    assert body["ok"] is False and body["status"] == 400 and named in body["error"]


def test_unknown_collection_is_404_json(fixture_app: Flask) -> None:
    response = fixture_app.test_client().get("/api/castles.geojson")
    assert response.status_code == 404 and json.loads(response.data)["ok"] is False


@pytest.mark.parametrize("collection", ["districts", "hubs"])
@pytest.mark.parametrize("fmt", ["geojson", "gpkg", "kml", "fgb", "parquet"])
def test_area_collections_read_back_with_gdal(
    fixture_app: Flask, collection: str, fmt: str, tmp_path: Path
) -> None:
    client = fixture_app.test_client()
    expected = client.get(f"/api/{collection}.geojson").get_json()
    frame = _read(client.get(f"/api/{collection}.{fmt}").data, fmt, tmp_path, layer=None)
    assert len(frame) == len(expected["features"]) > 0
    assert sorted(frame["name_zh"]) == sorted(
        f["properties"]["name_zh"] for f in expected["features"]
    )
    if fmt != "csv":
        assert frame.crs is not None and frame.crs.to_epsg() == 4326  # type: ignore[attr-defined]


def test_fuzz_regressions_text_filter_with_district_and_empty_kml(fixture_app: Flask) -> None:
    # Found by tests/mapapp/test_fuzz.py: both were 500s.
    client = fixture_app.test_client()
    fc = client.get("/api/places.geojson?district=浦东新区&q=光源").get_json()
    assert sorted(f["id"] for f in fc["features"]) == [
        "shanghai-synchrotron-radiation-facility",
        "ssrf-phase-ii",
    ]
    assert client.get("/api/places.kml?q=no-such-name").status_code == 200
    assert client.get("/api/districts.kml?district=Atlantis").status_code in (200, 400)


def test_hubs_and_corridors_are_one_geometry_type_each(fixture_app: Flask, tmp_path: Path) -> None:
    client = fixture_app.test_client()
    # The fixture's hubs are one area and no line: the corridors layer is empty but typed.
    for collection, type_, count in (
        ("hubs", "MultiPolygon", 1),
        ("corridors", "MultiLineString", 0),
    ):
        path = tmp_path / f"{collection}.gpkg"
        path.write_bytes(client.get(f"/api/{collection}.gpkg").data)
        info = pyogrio.read_info(path)
        assert (info["geometry_type"], info["features"]) == (type_, count)


def test_districts_export_carries_counts(fixture_app: Flask) -> None:
    client = fixture_app.test_client()
    frame = pd.read_csv(io.BytesIO(client.get("/api/districts.csv?district=Pudong").data))
    row = frame.iloc[0]
    assert row["name_zh"] == "浦东新区"
    assert row["n_facility"] == 3 and row["n_places"] >= row["n_facility"]
    assert row["n_2030"] == row["n_places"]  # the fixture's one report names every place
    assert row["n_facility_2030"] == 3


def test_crs_parameter_converts_and_is_named(fixture_app: Flask) -> None:
    import prcoords

    client = fixture_app.test_client()
    wgs = pd.read_csv(io.BytesIO(client.get("/api/places.csv?layers=university").data))
    gcj = pd.read_csv(io.BytesIO(client.get("/api/places.csv?layers=university&crs=gcj02").data))
    expected = prcoords.wgs_gcj(prcoords.Coords(wgs.loc[0, "lat"], wgs.loc[0, "lon"]))
    assert (gcj.loc[0, "lon"], gcj.loc[0, "lat"]) == pytest.approx(
        (expected.lon, expected.lat), abs=1e-6
    )
    fc = client.get("/api/places.geojson?crs=EPSG:4326").get_json()
    assert fc["metadata"]["crs"]["id"] == "EPSG:4326"
    bad = client.get("/api/places.geojson?crs=EPSG:3857")
    assert bad.status_code == 400 and "crs" in bad.get_json()["error"]
    kml = client.get("/api/places.kml?crs=GCJ-02")
    assert kml.status_code == 400 and "WGS-84" in kml.get_json()["error"]


@pytest.mark.parametrize("fmt", ["geojson", "kml"])
@pytest.mark.parametrize("crs", ["GCJ-02", "EPSG:4490"])
def test_wgs84_only_formats_refuse_another_crs(fixture_app: Flask, fmt: str, crs: str) -> None:
    # RFC 7946 has no crs member: every reader takes GeoJSON coordinates as WGS-84.
    response = fixture_app.test_client().get(f"/api/places.{fmt}?crs={crs}")
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error.startswith("crs: ") and "WGS-84" in error and "始终为 WGS-84" in error
    assert fixture_app.test_client().get(f"/api/places.{fmt}?crs=wgs84").status_code == 200


def test_excel_csv_download_reads_back_in_pandas(fixture_app: Flask) -> None:
    response = fixture_app.test_client().get("/api/places.csv?excel=1")
    assert response.data[:3] == b"\xef\xbb\xbf"
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    frame = pd.read_csv(io.BytesIO(response.data), encoding="utf-8-sig")
    assert frame.columns[0] == "id" and "status_2030" in frame and "notes" not in frame


def test_openapi_declares_crs_and_excel_once(fixture_app: Flask) -> None:
    doc = fixture_app.test_client().get("/openapi.json").get_json()

    def names(path: str) -> set[str]:
        return {p["name"] for p in doc["paths"][path]["get"]["parameters"]}

    assert {"crs", "excel"} <= names("/api/places.csv")
    assert "crs" in names("/api/places.parquet") and "excel" not in names("/api/places.fgb")
    assert "crs" not in names("/api/places.kml") and "/api/corridors.gpkg" in doc["paths"]
    assert "crs" not in names("/api/places.geojson")


@pytest.mark.parametrize("fmt", ["csv", "gpkg"])
def test_joined_lists_read_back_as_plain_text(fixture_app: Flask, tmp_path: Path, fmt: str) -> None:
    # aliases and years are joined with "; " for flat formats; they must not gain JSON quotes
    # ('"上海光源"' in a spreadsheet cell), and an empty list is an empty cell.
    body = fixture_app.test_client().get(f"/api/places.{fmt}").data
    frame = _read(body, fmt, tmp_path, layer="places" if fmt == "gpkg" else None)
    ssrf = frame.set_index("id").loc["shanghai-synchrotron-radiation-facility"]
    assert ssrf["aliases"] == "上海光源"
    assert str(ssrf["years"]) == "2030"
    no_alias = frame.set_index("id").loc["zhangjiang-science-city", "aliases"]
    assert pd.isna(no_alias) or no_alias == ""
