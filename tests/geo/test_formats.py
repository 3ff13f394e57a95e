"""Export columns and formats read back by the clients a planner uses: GDAL, geopandas, pandas."""

from __future__ import annotations

import io
import json
import re
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
import shapely

from geo.columns import (
    CATEGORY_COLOURS,
    CATEGORY_LABELS,
    districts_with_counts,
    places_columns,
    report_keys,
    single_geometry_type,
)
from geo.errors import GeoError
from geo.formats import FORMATS, write_collection
from geo.vocab import CATEGORIES, reports_from_metadata

REPORTS = [
    ("2021_sti_centre_14th_five_year_plan", 2021),
    ("2022_st_progress_report", 2022),
    ("2023_st_progress_report_ch1", 2023),
    ("2023_st_progress_report_summary", 2023),
    ("2025_st_progress_report", 2025),
]
METADATA: dict[str, Any] = {
    "title": "上海科技创新地图 / Shanghai innovation map",
    "datum": "WGS-84 (EPSG:4326)",
    "licence": "quoted for reference",
    "built": "2026-01-01T00:00:00Z",
    "sources": [
        {"report": r, "year": y, "title_zh": f"报告{y}", "title_en": f"Report {y}"}
        for r, y in REPORTS
    ],
}


def _entry(
    report: str, status: str | None, basis: str | None = None, line: int | None = None
) -> dict[str, Any]:
    return {
        "report": report,
        "year": int(report[:4]),
        "status": status,
        "basis": basis,
        "line": line,
    }


def _cite(report: str, line: int, quote: str) -> dict[str, Any]:
    return {"report": report, "year": int(report[:4]), "line": line, "quote": quote}


@pytest.fixture
def places() -> gpd.GeoDataFrame:
    """Three places over five reports: one under construction in 2025, one unplaced."""
    r21, r22, r23a, r23b, r25 = (r for r, _ in REPORTS)
    rows = [
        {
            "id": "zhangjiang-lab",
            "name_zh": "张江实验室",
            "name_en": "Zhangjiang Laboratory",
            "aliases": ["张江国家实验室"],
            "category": "national_lab",
            "parent_id": None,
            "district_zh": "浦东新区",
            "in_shanghai": True,
            "precision": "campus",
            "coord_source": "campus",
            "status": "under_construction",
            "years": [2021, 2023, 2025],
            "timeline": [
                _entry(r21, "planned", "sentence", 12),
                _entry(r23a, None),
                _entry(r23b, "launched", "heading", 3),
                _entry(r25, "under_construction", "sentence", 40),
            ],
            "sources": [
                _cite(r25, 40, "张江实验室在建"),
                _cite(r21, 12, "建设张江实验室"),
                _cite(r23a, 7, "张江实验室"),
            ],
            "notes": "curator: check the campus point",
            "geometry": shapely.Point(121.59, 31.2),
        },
        {
            "id": "fudan-university",
            "name_zh": "复旦大学",
            "name_en": "Fudan University",
            "aliases": [],
            "category": "university",
            "parent_id": None,
            "district_zh": "杨浦区",
            "in_shanghai": True,
            "precision": "campus",
            "coord_source": "campus",
            "status": "operating",
            "years": [2022],
            "timeline": [_entry(r22, "operating", "category")],
            "sources": [_cite(r22, 5, "=HYPERLINK(复旦大学)")],
            "notes": "",
            "geometry": shapely.Point(121.5035, 31.2975),
        },
        {
            "id": "unplaced-platform",
            "name_zh": "某平台",
            "name_en": "A platform",
            "aliases": [],
            "category": "platform",
            "parent_id": None,
            "district_zh": "浦东新区",
            "in_shanghai": True,
            "precision": None,
            "coord_source": "",
            "status": None,
            "years": [2025],
            "timeline": [_entry(r25, None)],
            "sources": [_cite(r25, 99, "某平台")],
            "notes": "",
            "geometry": None,
        },
    ]
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")


def test_report_columns_come_from_the_report_ids() -> None:
    keys = report_keys(reports_from_metadata(METADATA))
    assert list(keys.values()) == ["2021", "2022", "2023_ch1", "2023_summary", "2025"]
    other = {"sources": [{"report": "2030_a", "year": 2030}, {"report": "2030_b", "year": 2030}]}
    assert sorted(report_keys(reports_from_metadata(other)).values()) == ["2030_a", "2030_b"]


def test_place_columns_a_gis_user_can_filter(places: gpd.GeoDataFrame) -> None:
    table = places_columns(places, reports_from_metadata(METADATA))
    lab = table.set_index("id").loc["zhangjiang-lab"]
    assert lab["status_2021"] == "planned" and lab["status_2025"] == "under_construction"
    assert lab["status_2023_ch1"] == "not_stated" and lab["status_2023_summary"] == "launched"
    assert pd.isna(lab["status_2022"])  # not named in that report
    assert (lab["first_year"], lab["last_year"], lab["years"]) == (2021, 2025, "2021; 2023; 2025")
    assert lab["district_en"] == "Pudong" and lab["category_en"] == "National lab"
    assert lab["category_zh"] == "国家实验室" and lab["aliases"] == "张江国家实验室"
    # The first citation is the oldest report's, whatever order the build listed them in.
    assert (lab["n_citations"], lab["first_report"], lab["first_line"]) == (
        3,
        "2021_sti_centre_14th_five_year_plan",
        12,
    )
    assert "notes" not in table and "timeline" not in table and "sources" not in table
    # How the headline status was decided, and the line that decides it.
    assert (lab["status_basis"], lab["status_report"], lab["status_line"]) == (
        "sentence",
        "2025_st_progress_report",
        40,
    )
    fudan = table.set_index("id").loc["fudan-university"]
    assert fudan["status_basis"] == "category"  # inferred: no line says it
    assert pd.isna(fudan["status_report"]) and pd.isna(fudan["status_line"])
    bare = table.set_index("id").loc["unplaced-platform"]
    assert pd.isna(bare["status_basis"]) and pd.isna(bare["status_line"])
    with_lists = places_columns(places, reports_from_metadata(METADATA), lists=True)
    assert with_lists.iloc[0]["years"] == [2021, 2023, 2025]
    assert "notes" not in with_lists


def test_labels_and_palette_cover_every_category_and_match_the_map() -> None:
    from layers.i18n import CATEGORY_TITLES
    from layers.style import CATEGORY_STYLES

    assert set(CATEGORY_LABELS) == set(CATEGORIES) == set(CATEGORY_COLOURS)
    assert {c: s.color for c, s in CATEGORY_STYLES.items()} == CATEGORY_COLOURS
    assert all(CATEGORY_LABELS[c]["zh"] == CATEGORY_TITLES[c]["zh"] for c in CATEGORIES)


def test_geopackage_has_one_geometry_type_and_filterable_status(
    places: gpd.GeoDataFrame, tmp_path: Path
) -> None:
    path = tmp_path / "places.gpkg"
    write_collection(places, path, METADATA, layer="places")
    assert pyogrio.read_info(path, layer="places")["geometry_type"] == "Point"
    built = pyogrio.read_dataframe(path, layer="places", where="status_2025 = 'under_construction'")
    assert list(built["id"]) == ["zhangjiang-lab"]
    info = pyogrio.read_info(path, layer="places")
    assert "notes" not in list(info["fields"])
    assert json.loads(info["dataset_metadata"]["crs"])["id"] == "EPSG:4326"


def test_geopackage_citations_are_a_related_table(places: gpd.GeoDataFrame, tmp_path: Path) -> None:
    path = tmp_path / "places.gpkg"
    write_collection(places, path, METADATA, layer="places")
    mentions = pyogrio.read_dataframe(path, layer="mentions")
    assert len(mentions) == 5 and set(mentions["place_id"]) == set(places["id"])
    lab = mentions[mentions["place_id"] == "zhangjiang-lab"]
    assert list(lab["status"]) == ["planned", "not_stated", "under_construction"]
    # The citation whose sentence decides each report's status is marked; the 2023 chapter
    # names the place without a status, and 复旦's status is inferred from its category.
    assert list(lab["decides_status"]) == [True, False, True]
    assert not mentions.loc[mentions["place_id"] == "fudan-university", "decides_status"].any()
    with closing(sqlite3.connect(path)) as db:
        relation = db.execute(
            "SELECT base_table_name, related_table_name, relation_name, mapping_table_name "
            "FROM gpkgext_relations"
        ).fetchall()
        assert relation == [("places", "mentions", "attributes", "places_mentions")]
        # The mapping joins each place's fid to its citations' fids.
        per_place = dict(
            db.execute(
                "SELECT p.id, count(*) FROM places_mentions m JOIN places p ON p.fid = m.base_id "
                "JOIN mentions c ON c.fid = m.related_id AND c.place_id = p.id GROUP BY p.id"
            ).fetchall()
        )
        assert per_place == {"zhangjiang-lab": 3, "fudan-university": 1, "unplaced-platform": 1}
        extensions = {
            r[0]
            for r in db.execute(
                "SELECT table_name FROM gpkg_extensions WHERE extension_name = 'gpkg_related_tables'"
            )
        }
        assert extensions == {"gpkgext_relations", "places_mentions"}


def test_geoparquet_filters_under_construction_in_2025(
    places: gpd.GeoDataFrame, tmp_path: Path
) -> None:
    path = tmp_path / "places.parquet"
    write_collection(places, path, METADATA, layer="places")
    gdf = gpd.read_parquet(path)
    assert gdf.crs is not None and gdf.crs.to_epsg() == 4326
    assert list(gdf.loc[gdf["status_2025"] == "under_construction", "id"]) == ["zhangjiang-lab"]
    import pyarrow.parquet as pq

    meta = json.loads(pq.read_schema(path).metadata[b"innovation_map"])
    assert meta["sources"][0]["report"] == "2021_sti_centre_14th_five_year_plan"


def test_flatgeobuf_reads_back_with_gdal(places: gpd.GeoDataFrame, tmp_path: Path) -> None:
    path = tmp_path / "places.fgb"
    write_collection(places, path, METADATA, layer="places")
    info = pyogrio.read_info(path)
    assert info["geometry_type"] == "Point" and info["features"] == 3
    gdf = pyogrio.read_dataframe(path, where="status_2025 = 'under_construction'")
    assert list(gdf["id"]) == ["zhangjiang-lab"]


def test_excel_csv_has_a_bom_and_reads_back(places: gpd.GeoDataFrame, tmp_path: Path) -> None:
    plain, excel = tmp_path / "plain.csv", tmp_path / "excel" / "places.csv"
    excel.parent.mkdir()
    write_collection(places, plain, METADATA, layer="places")
    write_collection(places, excel, METADATA, layer="places", excel=True)
    assert excel.read_bytes()[:3] == b"\xef\xbb\xbf" and plain.read_bytes()[:2] == b"id"
    frame = pd.read_csv(excel, encoding="utf-8-sig")
    assert frame.columns[0] == "id" and frame.loc[0, "name_zh"] == "张江实验室"
    assert frame.loc[1, "first_quote"].startswith("'=")  # a formula is defused
    # What Excel does: decode with the BOM, split on commas; the header is clean.
    text = excel.read_bytes().decode("utf-8-sig")
    assert pd.read_csv(io.StringIO(text)).shape == frame.shape


def test_kml_is_styled_per_category_with_citations(
    places: gpd.GeoDataFrame, tmp_path: Path
) -> None:
    path = tmp_path / "places.kml"
    write_collection(places, path, METADATA, layer="places")
    kml = path.read_text(encoding="utf-8")
    assert kml.count("<Style id=") == len(CATEGORIES)
    assert "<styleUrl>#national_lab</styleUrl>" in kml
    assert "建设张江实验室" in kml and "line 12" in kml  # citations in the description
    assert '{"' not in kml.split("<Placemark")[0]  # the document description is not JSON
    gdf = pyogrio.read_dataframe(path)
    # A place in the frame without a point is a Placemark without geometry (valid KML).
    assert sorted(gdf["id"]) == ["fudan-university", "unplaced-platform", "zhangjiang-lab"]
    assert gdf.set_index("id").geometry.isna().to_dict() == {
        "fudan-university": False,
        "unplaced-platform": True,
        "zhangjiang-lab": False,
    }
    placed = gdf[gdf.geometry.notna()]
    assert {s for s in placed["status_2025"] if isinstance(s, str) and s} == {"under_construction"}


def test_a_missing_value_is_empty_in_kml_never_nan(
    places: gpd.GeoDataFrame, tmp_path: Path
) -> None:
    # Places outside Shanghai have no district: their balloons read "nan · nan" before.
    places = places.copy()
    places["district_zh"] = places["district_zh"].astype(object)
    places.loc[places.index[0], "district_zh"] = float("nan")
    path = tmp_path / "places.kml"
    write_collection(places, path, METADATA, layer="places")
    assert re.search(r"\bnan\b", path.read_text(encoding="utf-8"), re.IGNORECASE) is None


def test_districts_carry_the_choropleth_counts(places: gpd.GeoDataFrame) -> None:
    districts = gpd.GeoDataFrame(
        {"name_zh": ["浦东新区", "杨浦区"], "name_en": ["Pudong", "Yangpu"]},
        geometry=[shapely.box(121.5, 31.0, 121.9, 31.3), shapely.box(121.45, 31.25, 121.55, 31.35)],
        crs="EPSG:4326",
    )
    counted = districts_with_counts(districts, places, reports_from_metadata(METADATA))
    pudong = counted.set_index("name_zh").loc["浦东新区"]
    assert pudong["n_places"] == 2 and pudong["n_national_lab"] == 1 and pudong["n_platform"] == 1
    assert pudong["n_2025"] == 2 and pudong["n_2021"] == 1 and pudong["n_2022"] == 0
    assert pudong["n_national_lab_2023_summary"] == 1
    assert counted.set_index("name_zh").loc["杨浦区", "n_university_2022"] == 1


def test_mixed_geometries_are_refused_or_promoted() -> None:
    mixed = gpd.GeoDataFrame(
        geometry=[shapely.box(0, 0, 1, 1), shapely.LineString([(0, 0), (1, 1)])], crs=4326
    )
    with pytest.raises(GeoError, match="split it by geometry type"):
        single_geometry_type(mixed)
    with pytest.raises(GeoError, match="split it by geometry type"):
        single_geometry_type(mixed.iloc[:1], "corridors")
    polys = gpd.GeoDataFrame(
        geometry=[shapely.box(0, 0, 1, 1), shapely.MultiPolygon([shapely.box(2, 2, 3, 3)])],
        crs=4326,
    )
    promoted, type_ = single_geometry_type(polys)
    assert set(promoted.geom_type) == {"MultiPolygon"} and type_ == "MultiPolygon"
    assert single_geometry_type(polys.iloc[:0], "corridors")[1] == "MultiLineString"


def test_registry_has_the_new_formats() -> None:
    assert {"parquet", "fgb"} <= set(FORMATS)
    assert FORMATS["fgb"].spatial_only and not FORMATS["parquet"].spatial_only


def test_geopackages_are_version_1_2_for_older_gdal(
    places: gpd.GeoDataFrame, tmp_path: Path
) -> None:
    # GDAL 3.6 (Debian 12's, and QGIS on it) warns that GDAL's default, 1.4, "may only be
    # partially supported"; nothing here needs more than 1.2.
    path = tmp_path / "places.gpkg"
    write_collection(places, path, METADATA, layer="places")
    with closing(sqlite3.connect(path)) as db:
        assert db.execute("PRAGMA user_version").fetchone() == (10200,)
