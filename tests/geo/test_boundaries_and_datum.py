from __future__ import annotations

import json
from pathlib import Path

import prcoords
import pytest
import shapely

from geo import settings
from geo.boundaries import district_of_point, district_points, load_districts
from geo.datum import gcj02_to_wgs84, wgs84_to_gcj02
from geo.errors import BoundaryError


def test_sixteen_valid_districts_in_wgs84() -> None:
    gdf = load_districts()
    assert len(gdf) == 16 and gdf.crs.to_epsg() == 4326
    assert gdf.geometry.is_valid.all()


def test_districts_form_a_coverage_without_overlaps() -> None:
    gdf = load_districts()
    assert bool(shapely.coverage_is_valid(gdf.geometry.to_numpy()))


def test_boundaries_are_wgs84_not_gcj02() -> None:
    # boundaries.md: cnmaps WGS-84 centroid of 黄浦区 is (121.47909, 31.21792); GCJ-02 would be
    # (121.48357, 31.21594), ~480 m away.
    gdf = load_districts()
    c = gdf.loc[gdf["name_zh"] == "黄浦区"].geometry.iloc[0].centroid
    assert abs(c.x - 121.47909) < 0.0005 and abs(c.y - 31.21792) < 0.0005


def test_boundary_file_records_source_datum_and_attribution() -> None:
    meta = json.loads(settings.BOUNDARIES_FILE.read_text(encoding="utf-8"))["metadata"]
    assert "WGS-84" in meta["datum"] and "GCJ-02" in meta["datum"]
    assert "高德" in meta["attribution"]


def test_point_in_district_and_district_points() -> None:
    gdf = load_districts()
    assert district_of_point(gdf, 121.5035, 31.2975) == "杨浦区"  # Fudan, Handan Road
    assert district_of_point(gdf, 120.16, 30.27) is None  # Hangzhou
    for name, (lon, lat) in district_points(gdf).items():
        assert district_of_point(gdf, lon, lat) == name


def test_missing_boundary_file(tmp_path: Path) -> None:
    with pytest.raises(BoundaryError, match="not found"):
        load_districts(tmp_path / "none.geojson")


@pytest.mark.parametrize("lon, lat", [(121.4737, 31.2304), (122.24, 31.42), (121.34, 30.74)])
def test_datum_matches_prcoords(lon: float, lat: float) -> None:
    g = wgs84_to_gcj02(lon, lat)
    ref = prcoords.wgs_gcj((lat, lon))  # prcoords takes (lat, lon)
    assert g == pytest.approx((ref.lon, ref.lat), abs=1e-9)
    back = gcj02_to_wgs84(*g)
    assert back == pytest.approx((lon, lat), abs=1e-8)  # < 1 mm
    # The offset in Shanghai is hundreds of metres.
    assert 0.003 < g[0] - lon < 0.006
