"""Exports in CGCS2000 and GCJ-02, checked against pyproj and prcoords."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import prcoords
import pyogrio
import pytest
import shapely
from pyproj import Transformer

from geo.crs import OUTPUT_CRSES, gdf_to_output_crs, parse_crs
from geo.datum import wgs84_to_gcj02, wgs84_to_gcj02_array
from geo.formats import write_collection
from geo.params import ParamError

# Shanghai, Hefei, Harbin, Urumqi, Sanya: spread over China.
IN_CHINA = [(121.4737, 31.2304), (117.2272, 31.8206), (126.6425, 45.7560), (87.6168, 43.8256)]
IN_CHINA += [(109.5119, 18.2528)]


def test_vectorised_gcj02_matches_prcoords_and_the_scalar_formula() -> None:
    shifted = wgs84_to_gcj02_array(np.array(IN_CHINA))
    for (lon, lat), (glon, glat) in zip(IN_CHINA, shifted, strict=True):
        expected = prcoords.wgs_gcj(prcoords.Coords(lat, lon))  # prcoords is (lat, lon)
        assert glon == pytest.approx(expected.lon, abs=1e-9)
        assert glat == pytest.approx(expected.lat, abs=1e-9)
        assert (glon, glat) == pytest.approx(wgs84_to_gcj02(lon, lat), abs=1e-12)
        assert 100 < np.hypot((glon - lon) * 95_000, (glat - lat) * 111_000) < 1000  # metres
    outside = np.array([(2.35, 48.85), (-74.0, 40.7)])  # Paris, New York: left alone
    assert np.array_equal(wgs84_to_gcj02_array(outside), outside)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # prcoords warns that it returns them as they are
        paris = prcoords.wgs_gcj(prcoords.Coords(48.85, 2.35))
    assert (paris.lat, paris.lon) == (48.85, 2.35)


def test_cgcs2000_is_what_pyproj_gives() -> None:
    gdf = gpd.GeoDataFrame(geometry=[shapely.Point(lon, lat) for lon, lat in IN_CHINA], crs=4326)
    out = gdf_to_output_crs(gdf, OUTPUT_CRSES["EPSG:4490"])
    assert out.crs is not None and out.crs.to_epsg() == 4490
    to_cgcs = Transformer.from_crs("EPSG:4326", "EPSG:4490", always_xy=True)
    for (lon, lat), point in zip(IN_CHINA, out.geometry, strict=True):
        assert (point.x, point.y) == pytest.approx(to_cgcs.transform(lon, lat), abs=1e-9)


def test_gcj02_polygons_shift_every_vertex() -> None:
    box = shapely.box(121.4, 31.1, 121.6, 31.3)
    gdf = gpd.GeoDataFrame(geometry=[box], crs=4326)
    out = gdf_to_output_crs(gdf, parse_crs("gcj02"))
    for (lon, lat), (glon, glat) in zip(
        box.exterior.coords, out.geometry.iloc[0].exterior.coords, strict=True
    ):
        expected = prcoords.wgs_gcj(prcoords.Coords(lat, lon))
        assert (glon, glat) == pytest.approx((expected.lon, expected.lat), abs=1e-9)
    assert gdf.geometry.iloc[0].equals(box)  # the input is not changed


def test_crs_spellings_and_errors() -> None:
    assert parse_crs(None).id == parse_crs("").id == parse_crs("wgs84").id == "EPSG:4326"
    assert parse_crs("4490").id == parse_crs("CGCS2000").id == "EPSG:4490"
    assert parse_crs("GCJ-02").id == "GCJ-02" and not parse_crs("gcj02").for_analysis
    with pytest.raises(ParamError, match="EPSG:4326, EPSG:4490, GCJ-02") as info:
        parse_crs("EPSG:3857")
    assert info.value.parameter == "crs"


@pytest.mark.parametrize("crs_id", ["EPSG:4490", "GCJ-02"])
@pytest.mark.parametrize("suffix", [".gpkg", ".fgb", ".parquet"])
def test_files_name_their_crs(crs_id: str, suffix: str, tmp_path: Path) -> None:
    lon, lat = IN_CHINA[0]
    gdf = gpd.GeoDataFrame(
        {"id": ["a"], "name_zh": ["甲"]}, geometry=[shapely.Point(lon, lat)], crs=4326
    )
    path = tmp_path / f"hubs{suffix}"
    write_collection(gdf, path, {"datum": "WGS-84 (EPSG:4326)"}, layer="sites", crs=crs_id)
    back = gpd.read_parquet(path) if suffix == ".parquet" else pyogrio.read_dataframe(path)
    point = back.geometry.iloc[0]
    if crs_id == "EPSG:4490":
        assert back.crs.to_epsg() == 4490
        assert (point.x, point.y) == pytest.approx((lon, lat), abs=1e-7)
    else:
        assert "GCJ-02" in back.crs.name and back.crs.to_epsg() is None
        expected = prcoords.wgs_gcj(prcoords.Coords(lat, lon))
        assert (point.x, point.y) == pytest.approx((expected.lon, expected.lat), abs=1e-9)
    if suffix == ".gpkg":
        meta = pyogrio.read_info(path)["dataset_metadata"]
        assert json.loads(meta["crs"])["id"] == crs_id
        assert meta["datum"].startswith(OUTPUT_CRSES[crs_id].title_en)


def test_kml_refuses_another_crs(tmp_path: Path) -> None:
    from geo.errors import GeoError

    gdf = gpd.GeoDataFrame({"id": ["a"]}, geometry=[shapely.Point(121.5, 31.2)], crs=4326)
    with pytest.raises(GeoError, match="KML is always WGS-84"):
        write_collection(gdf, tmp_path / "a.kml", {}, layer="sites", crs="GCJ-02")


def test_geojson_refuses_another_crs(tmp_path: Path) -> None:
    from geo.params import ParamError

    gdf = gpd.GeoDataFrame({"id": ["a"]}, geometry=[shapely.Point(121.5, 31.2)], crs=4326)
    with pytest.raises(ParamError, match="GeoJSON is always WGS-84") as info:
        write_collection(gdf, tmp_path / "a.geojson", {}, layer="sites", crs="GCJ-02")
    assert info.value.parameter == "crs" and not (tmp_path / "a.geojson").exists()
