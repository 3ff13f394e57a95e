"""Applying a reviewed geocoder sheet to a writable copy of the fixture gazetteer."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest

from geo import settings
from geo.errors import GeoError, ReviewError
from geo.gazetteer import load_gazetteer
from geo.geocoder import SHEET_COLUMNS
from geo.geocoder_review import apply_geocode_review
from geo.pipeline import Inputs, run_pipeline

# 李政道研究所's campus, 浦东新区 (a point inside the district).
TDLI = {"lon": "121.603", "lat": "31.187"}


def _sheet(path: Path, *rows: dict[str, str]) -> Path:
    base = {
        "service": "amap",
        "status": "proposed",
        "datum": "GCJ-02 → WGS-84 (geo.datum.gcj02_to_wgs84)",
        "level": "门牌号",
        "query": "李政道研究所",
        "decision": "accept",
        "precision": "campus",
        "address_zh": "浦东新区 李所路1号",
        "address_source": "amap geocoder's matched address for '李政道研究所', 2026-12-03",
    }
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=SHEET_COLUMNS)
        writer.writeheader()
        for row in rows:
            writer.writerow({c: "" for c in SHEET_COLUMNS} | base | row)
    return path


def _places(inputs: Inputs) -> dict[str, dict[str, str]]:
    with (inputs.gazetteer_dir / settings.PLACES_FILE).open(encoding="utf-8") as fh:
        return {r["id"]: r for r in csv.DictReader(fh)}


def test_an_accepted_proposal_becomes_the_places_point(
    fixture_inputs: Inputs, tmp_path: Path
) -> None:
    sheet = _sheet(
        tmp_path / "s.csv",
        {"id": "tsung-dao-lee-institute", **TDLI},
        {"id": "hard-x-ray-fel", "lon": "121.59", "lat": "31.19", "decision": "reject"},
        {"id": "zhangjiang-drug-base", "lon": "121.6", "lat": "31.2", "decision": ""},
    )
    before = _places(fixture_inputs)
    applied = apply_geocode_review(sheet, fixture_inputs)
    assert [a.id for a in applied] == ["tsung-dao-lee-institute"]
    after = _places(fixture_inputs)
    row = after["tsung-dao-lee-institute"]
    assert (row["lon"], row["lat"], row["precision"]) == ("121.603000", "31.187000", "campus")
    assert row["coord_source"].startswith("geocoder: amap proposal, reviewed (门牌号; GCJ-02")
    assert row["address_zh"] == "浦东新区 李所路1号" and "amap" in row["address_source"]
    # Rejected and undecided rows, and every other place, are untouched.
    assert {k: v for k, v in after.items() if k != "tsung-dao-lee-institute"} == {
        k: v for k, v in before.items() if k != "tsung-dao-lee-institute"
    }
    placed = run_pipeline(fixture_inputs).places.set_index("id").loc["tsung-dao-lee-institute"]
    assert (placed.geometry.x, placed.geometry.y, placed["precision"]) == (
        121.603,
        31.187,
        "campus",
    )


def test_a_place_without_a_district_takes_the_one_its_point_lies_in(
    fixture_inputs: Inputs, tmp_path: Path
) -> None:
    path = fixture_inputs.gazetteer_dir / settings.PLACES_FILE
    text = path.read_text(encoding="utf-8")
    old = "tsung-dao-lee-institute,李政道研究所,Tsung-Dao Lee Institute,,research_institute,,浦东新区,,,district,district_point,"
    assert old in text
    path.write_text(
        text.replace(old, old.replace("浦东新区,,,district,district_point", ",,,,")),
        encoding="utf-8",
    )
    apply_geocode_review(
        _sheet(tmp_path / "s.csv", {"id": "tsung-dao-lee-institute", **TDLI}), fixture_inputs
    )
    assert _places(fixture_inputs)["tsung-dao-lee-institute"]["district_zh"] == "浦东新区"


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        ({"id": "fudan-university"}, "has a curated coordinate"),
        ({"id": "no-such-place"}, "no place with this id"),
        ({"status": "no_result", "lon": "", "lat": ""}, "has no point to accept"),
        ({"lon": "nan"}, "has no point to accept"),
        ({"decision": "yes"}, "decision 'yes' is not one of"),
        ({"precision": "district"}, "precision 'district' is not one of"),
        ({"address_source": ""}, "needs its address evidence"),
        # A point in 杨浦区 for a place the gazetteer puts in 浦东新区: the build refuses it.
        ({"lon": "121.5035", "lat": "31.2975"}, "is outside its district 浦东新区"),
    ],
)
def test_a_bad_row_is_refused_and_nothing_is_written(
    fixture_inputs: Inputs, tmp_path: Path, row: dict[str, str], problem: str
) -> None:
    good = {"id": "ssrf-phase-ii", "lon": "121.589", "lat": "31.186"}
    sheet = _sheet(tmp_path / "s.csv", good, {"id": "tsung-dao-lee-institute", **TDLI, **row})
    path = fixture_inputs.gazetteer_dir / settings.PLACES_FILE
    before = path.read_bytes()
    with pytest.raises(ReviewError, match="cannot be applied") as err:
        apply_geocode_review(sheet, fixture_inputs)
    assert problem in str(err.value)
    assert path.read_bytes() == before  # not even the good row
    load_gazetteer(path)  # and the file is still valid


def test_two_accepted_proposals_for_one_place_are_refused(
    fixture_inputs: Inputs, tmp_path: Path
) -> None:
    sheet = _sheet(
        tmp_path / "s.csv",
        {"id": "tsung-dao-lee-institute", **TDLI},
        {"id": "tsung-dao-lee-institute", **TDLI, "service": "nominatim"},
    )
    with pytest.raises(ReviewError, match="a second accepted proposal"):
        apply_geocode_review(sheet, fixture_inputs)


def test_a_sheet_that_is_not_a_geocoder_sheet_is_refused(
    fixture_inputs: Inputs, tmp_path: Path
) -> None:
    other = tmp_path / "names.csv"
    other.write_text("name,decision,report\n张江,alias,r\n", encoding="utf-8")
    with pytest.raises(ReviewError, match="lacks columns id, service"):
        apply_geocode_review(other, fixture_inputs)
    with pytest.raises(ReviewError, match="not found"):
        apply_geocode_review(tmp_path / "missing.csv", fixture_inputs)


def test_an_area_point_keeps_the_source_given_without_an_address(
    fixture_inputs: Inputs, tmp_path: Path
) -> None:
    sheet = _sheet(
        tmp_path / "s.csv",
        {"id": "zhangjiang-drug-base", "lon": "121.61", "lat": "31.2", "precision": "area"}
        | {"address_zh": "", "address_source": "amap answer for 张江药谷, reviewed"},
    )
    apply_geocode_review(sheet, fixture_inputs)
    row = _places(fixture_inputs)["zhangjiang-drug-base"]
    assert (row["precision"], row["address_zh"]) == ("area", "")
    assert row["address_source"] == "amap answer for 张江药谷, reviewed"


@pytest.mark.parametrize(
    "damage",
    [
        lambda b: b"\xef\xbb\xbf" + b,  # Excel's "CSV UTF-8": a byte-order mark
        lambda b: b.replace(b"\n", b"\r\n"),  # Windows line endings
        lambda b: b.replace(b"\n", b"\r\r\n"),  # a stray carriage return before each
    ],
    ids=["bom", "crlf", "cr-crlf"],
)
def test_a_gazetteer_saved_by_a_spreadsheet_still_applies(
    fixture_inputs: Inputs, tmp_path: Path, damage: Callable[[bytes], bytes]
) -> None:
    path = fixture_inputs.gazetteer_dir / settings.PLACES_FILE
    path.write_bytes(damage(path.read_bytes()))
    sheet = _sheet(tmp_path / "s.csv", {"id": "tsung-dao-lee-institute", **TDLI})
    assert [a.id for a in apply_geocode_review(sheet, fixture_inputs)] == [
        "tsung-dao-lee-institute"
    ]
    assert _places_any(fixture_inputs)["tsung-dao-lee-institute"]["precision"] == "campus"


def test_a_gazetteer_not_in_utf8_says_how_to_save_it(
    fixture_inputs: Inputs, tmp_path: Path
) -> None:
    path = fixture_inputs.gazetteer_dir / settings.PLACES_FILE
    path.write_bytes(path.read_text(encoding="utf-8").encode("gb18030"))
    sheet = _sheet(tmp_path / "s.csv", {"id": "tsung-dao-lee-institute", **TDLI})
    with pytest.raises(GeoError, match="CSV UTF-8"):
        apply_geocode_review(sheet, fixture_inputs)
    with pytest.raises(GeoError, match="CSV UTF-8"):
        load_gazetteer(path)


def _places_any(inputs: Inputs) -> dict[str, dict[str, str]]:
    with (inputs.gazetteer_dir / settings.PLACES_FILE).open(encoding="utf-8-sig") as fh:
        return {r["id"]: r for r in csv.DictReader(fh)}
