from __future__ import annotations

import csv
from pathlib import Path

import pytest

from geo import settings
from geo.errors import GazetteerError
from geo.gazetteer import COLUMNS, EVIDENCE_COLUMNS, Gazetteer, load_gazetteer

DATA = Path(__file__).parents[1] / "data"


def _write(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=[*COLUMNS, *EVIDENCE_COLUMNS])
        writer.writeheader()
        writer.writerows(rows)
    return path


def _rows() -> list[dict[str, str]]:
    with (DATA / "gazetteer" / "places.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_fixture_gazetteer_loads(fixture_gazetteer: Gazetteer) -> None:
    by_id = fixture_gazetteer.by_id()
    assert by_id["shanghai-synchrotron-radiation-facility"].aliases == ("上海光源",)
    assert fixture_gazetteer.alias_index()["上海光源"] == "shanghai-synchrotron-radiation-facility"
    assert by_id["hefei-national-science-centre"].in_shanghai is False


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    rows = _rows()
    rows[1]["id"] = rows[0]["id"]  # duplicate id
    rows[2]["aliases"] = "复旦大学"  # collides with fudan-university's name
    rows[3]["category"] = "laboratory"  # unknown category
    rows[4]["aliases"] = "蛋白质"  # generic word
    rows[5]["district_zh"] = "闸北区"  # abolished district
    rows[6]["lon"] = ""  # lat without lon
    rows[9]["lon"], rows[9]["lat"] = "", ""  # outside Shanghai without coordinates
    rows[10]["parent_id"] = "no-such-place"
    with pytest.raises(GazetteerError) as err:
        load_gazetteer(_write(tmp_path / "places.csv", rows))
    msg = str(err.value)
    for expected in (
        "duplicate id 'zhangjiang-science-city'",
        "alias collision: '复旦大学'",
        "unknown category 'laboratory'",
        "alias '蛋白质' is a generic word",
        "district_zh '闸北区' is not one of the 16 districts",
        "give both lon and lat",
        "a place outside Shanghai needs its own lon/lat",
        "parent_id 'no-such-place' is not a gazetteer id",
    ):
        assert expected in msg
    assert "(8 problems)" in msg or "problems)" in msg


def test_parent_cycle_is_reported(tmp_path: Path) -> None:
    rows = _rows()
    rows[0]["parent_id"] = "zhangjiang-drug-base"  # zhangjiang-drug-base's parent is rows[0]
    with pytest.raises(GazetteerError, match="loops"):
        load_gazetteer(_write(tmp_path / "places.csv", rows))


def test_missing_column_and_missing_file_give_clear_errors(tmp_path: Path) -> None:
    (tmp_path / "bad.csv").write_text("id,name_zh\nx,y\n", encoding="utf-8")
    with pytest.raises(GazetteerError, match="lacks columns"):
        load_gazetteer(tmp_path / "bad.csv")
    with pytest.raises(GazetteerError, match="not found"):
        load_gazetteer(tmp_path / "nope.csv")


def test_precision_claimed_without_coordinates_is_rejected(tmp_path: Path) -> None:
    rows = _rows()
    rows[2]["precision"] = "site"
    with pytest.raises(GazetteerError, match="precision 'site' claimed but no lon/lat"):
        load_gazetteer(_write(tmp_path / "places.csv", rows))


def test_shipped_gazetteer_is_valid() -> None:
    gazetteer = load_gazetteer()
    assert len(gazetteer.places) >= 100


@pytest.mark.parametrize("path", sorted(settings.GAZETTEER_DIR.glob("*.csv")), ids=lambda p: p.name)
def test_each_curated_file_keeps_one_line_ending(path: Path) -> None:
    # The review steps write a file back in its own line ending; a mixed file would have its
    # untouched rows rewritten (places.csv had 28 LF rows among 450 CRLF ones).
    raw = path.read_bytes()
    assert raw.count(b"\r\n") in (0, raw.count(b"\n"))


def test_a_campus_or_site_point_needs_its_evidence(tmp_path: Path) -> None:
    rows = _rows()
    fudan = next(r for r in rows if r["id"] == "fudan-university")
    fudan["address_zh"], fudan["address_source"] = "", ""
    fudan["coord_source"] = "known campus: 邯郸路220号"
    with pytest.raises(GazetteerError) as err:
        load_gazetteer(_write(tmp_path / "places.csv", rows))
    msg = str(err.value)
    assert "fudan-university: a campus point needs address_zh" in msg
    assert "fudan-university: a campus point needs address_source" in msg
    assert "fudan-university: a campus point's coord_source must start with one of" in msg


def test_an_area_point_needs_no_address_and_short_rows_read_evidence_as_empty(
    tmp_path: Path,
) -> None:
    # A row written with the 13 core columns only (an older file) still loads.
    rows = [{k: v for k, v in r.items() if k in COLUMNS} for r in _rows()]
    for r in rows:
        if r["precision"] == "campus":
            r["precision"] = "area"
    path = tmp_path / "places.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    by_id = load_gazetteer(path).by_id()
    assert by_id["lingang-laboratory"].address_zh == ""


def test_readable_aliases_drop_the_matching_syntax() -> None:
    from geo.gazetteer import readable_aliases

    raw = ["国际一流科学城", "张江=", "上海张江…综合性国家科学中心", "张江", "张江科学城="]
    assert readable_aliases(raw, "张江科学城") == [
        "国际一流科学城",
        "张江",
        "上海张江综合性国家科学中心",
    ]
    assert readable_aliases(["代谢性疾病…国家临床医学研究中心"]) == [
        "代谢性疾病国家临床医学研究中心"
    ]
    assert readable_aliases(["上海张江…综合性国家科学中心"], "上海张江综合性国家科学中心") == []
