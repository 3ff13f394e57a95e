"""The full build, end to end, on the real corpus and the shipped gazetteer."""

from __future__ import annotations

import pandas as pd
import pytest
from buildcache import Built

from geo.boundaries import load_districts
from geo.gazetteer import load_gazetteer
from geo.pipeline import BuildData
from geo.reports import load_corpus


@pytest.fixture(scope="module")
def real_build(shipped_build: Built) -> BuildData:
    return shipped_build.data


def test_every_place_has_citations_that_point_at_real_lines(real_build: BuildData) -> None:
    lines = {rt.report.id: rt.lines for rt in load_corpus()}
    for row in real_build.places.itertuples():
        assert row.sources, row.id
        cited = [(s["report"], s["line"], s["quote"]) for s in row.sources]
        assert len(cited) == len(set(cited)), f"{row.id} cites one line twice"
        for s in row.sources:
            original = lines[s["report"]][s["line"] - 1]
            assert s["quote"] and s["quote"] in original, (row.id, s)


def test_every_shanghai_point_lies_inside_its_district(real_build: BuildData) -> None:
    polygons = dict(zip(load_districts()["name_zh"], load_districts().geometry, strict=True))
    for row in real_build.places.itertuples():
        if row.in_shanghai and row.geometry is None:
            # kept with its citations, never guessed into a district
            assert row.coord_source.startswith("unplaced") and pd.isna(row.district_zh), row.id
        elif row.in_shanghai:
            assert polygons[row.district_zh].buffer(0.0003).contains(row.geometry), row.id
        else:
            assert pd.isna(row.district_zh)


def test_core_places_are_there(real_build: BuildData) -> None:
    cats = real_build.places.set_index("id")["category"].to_dict()
    for pid in (
        "zhangjiang-science-city",
        "zhangjiang-laboratory",
        "shanghai-synchrotron-radiation-facility",
    ):
        assert pid in cats
    counts = real_build.places["category"].value_counts()
    for category in ("facility", "national_lab", "science_city", "hightech_zone", "university"):
        assert counts.get(category, 0) >= 1, category
    # Every big-science facility and national-lab base the 2025 and 2023 reports list.
    for pid in (
        "shanghai-hard-x-ray-fel",
        "gas-turbine-test-facility",
        "national-seafloor-observatory",
        "magneto-inertial-fusion-facility",
        "deep-sea-floating-research-facility",
        "tmsr-thorium-molten-salt-reactor",
        "unmanned-systems-multi-agent-collaboration-facility",
        "systems-biology-facility",
        "drug-target-discovery-validation-facility",
        "shanghai-soft-x-ray-fel",
        "national-facility-protein-science-shanghai",
        "national-liver-cancer-science-center",
        "shenguang-ii",
        "shanghai-superintense-ultrafast-laser-facility",
        "translational-medicine-facility-shanghai",
        "hefei-laboratory-shanghai-base",
        "guangzhou-laboratory-shanghai-base",
    ):
        assert pid in cats, pid


def test_all_district_profiles_are_there(real_build: BuildData) -> None:
    per_report: dict[str, int] = {}
    for p in real_build.profiles:
        per_report[p.report] = per_report.get(p.report, 0) + 1
    assert per_report["2022_st_progress_report"] == 16
    assert per_report["2025_st_progress_report"] == 16
    assert per_report["2021_sti_centre_14th_five_year_plan"] >= 13


def test_places_outside_shanghai_are_flagged(real_build: BuildData) -> None:
    outside = real_build.places[~real_build.places["in_shanghai"].astype(bool)]
    assert len(outside) >= 1


def test_every_candidate_is_a_place_or_excluded_with_a_reason(real_build: BuildData) -> None:
    # A new report or an edited gazetteer that yields an unexplained place-like name fails here:
    # add it to places.csv (name or alias) or to excluded.csv with its kind and reason.
    assert [c.name for c in real_build.candidates] == []
    assert real_build.stale_exclusions == [], "remove these from excluded.csv"
    assert len(real_build.exclusions) >= 700


def test_a_report_that_files_a_facility_under_a_status_is_believed(real_build: BuildData) -> None:
    timeline = {
        row.id: {t["year"]: t["status"] for t in row.timeline}
        for row in real_build.places.itertuples()
    }
    # 2022 lists both under 在建中 (a detached label, status_groups.csv); the 2025 report files
    # the gas turbine under "### 在建中" although a sentence elsewhere mentions its tests.
    assert timeline["gas-turbine-test-facility"][2022] == "under_construction"
    assert timeline["gas-turbine-test-facility"][2025] == "under_construction"
    assert timeline["shanghai-soft-x-ray-fel"][2022] == "under_construction"
    assert timeline["shanghai-synchrotron-radiation-facility"][2022] == "operating"


def test_a_place_named_after_another_descends_from_it() -> None:
    # 上海交通大学医学院附属瑞金医院 belongs under 上海交通大学医学院, 上海光源二期 under 上海光源 …:
    # the map groups a place with its parent, so a name that starts with another place's full
    # name must have that place among its ancestors.
    places = load_gazetteer().places
    by_id = {p.id: p for p in places}

    def ancestors(pid: str) -> list[str]:
        out: list[str] = []
        while (parent := by_id[pid].parent_id) and parent not in out:
            out.append(parent)
            pid = parent
        return out

    missing = [
        (p.id, other.id)
        for p in places
        for other in places
        if other is not p
        and len(other.name_zh) >= 4
        and p.name_zh.startswith(other.name_zh)
        and other.id not in ancestors(p.id)
    ]
    assert missing == []


def test_short_park_aliases_still_mean_the_agricultural_parks() -> None:
    # 浦东园区, 崇明园区 and 金山园区 are aliases only because each occurs once, under
    # "推动三大国家农业科技园区建设" (2022). A report that uses one elsewhere must be read first.
    text = "".join(rt.text for rt in load_corpus())
    for alias in ("浦东园区", "崇明园区", "金山园区"):
        assert text.count(alias) == 1, f"{alias} now occurs elsewhere: check what it means there"


def test_english_names_are_distinct_and_do_not_borrow_another_place_s_name() -> None:
    # "Zhangjiang Hi-tech Park Yangpu Sub-park" read as part of "Zhangjiang Hi-Tech Park"
    # (张江高科技园区), which is not its parent: an English name that starts with another
    # place's whole English name must descend from that place, as in Chinese.
    places = load_gazetteer().places
    by_id = {p.id: p for p in places}
    names = [p.name_en.casefold() for p in places]
    assert len(names) == len(set(names))

    def ancestors(pid: str) -> set[str]:
        out: set[str] = set()
        while (parent := by_id[pid].parent_id) and parent not in out:
            out.add(parent)
            pid = parent
        return out

    clashes = [
        (p.id, other.id)
        for p in places
        for other in places
        if other is not p
        and len(other.name_en.split()) >= 2
        and p.name_en.casefold().startswith(other.name_en.casefold() + " ")
        and other.id not in ancestors(p.id)
    ]
    assert clashes == []
    assert by_id["da-linghao-bay"].name_en.startswith("Greater Neo Bay")
    assert "Liangu" in by_id["shutong-lianggu"].name_en


def test_pujiang_laboratory_is_the_shanghai_ai_laboratory(real_build: BuildData) -> None:
    # One national lab under two names (2023 ch.1 L74 "浦江实验室永久用房项目开工"): one row.
    row = real_build.places.set_index("id").loc["shanghai-ai-laboratory"]
    assert "浦江实验室" in row["aliases"]
    assert "pujiang-laboratory" not in set(real_build.places["id"])
    assert any(s["report"].startswith("2023") and s["line"] == 74 for s in row["sources"])


def test_searching_the_bare_name_zhangjiang_finds_the_science_city(real_build: BuildData) -> None:
    from geo.query import filter_places

    found = filter_places(real_build.places, q="张江")
    assert "zhangjiang-science-city" in set(found["id"])
    row = real_build.places.set_index("id").loc["zhangjiang-science-city"]
    bare = {(s["report"][:4], s["line"]) for s in row["sources"]}
    # 聚焦张江再出发 (2025), 张江、临港 (2023 summary), 聚焦张江， (2021): the bare name cites it.
    assert {("2025", 148), ("2023", 49), ("2021", 3752)} <= bare
