"""Status means the state of the place itself in that report (issue 13)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from buildcache import Built

from geo.extract import heading_statuses, listed_item_statuses, mentions_from_report
from geo.gazetteer import Gazetteer, Place
from geo.geocode import STATUS_ORDER, backward_steps
from geo.pipeline import BuildData
from geo.reports import load_corpus

DOC = Path(__file__).parents[2] / "docs" / "status.md"


def _place(pid: str, name: str) -> Place:
    return Place(
        id=pid, name_zh=name, name_en=pid, aliases=(), category="platform", parent_id=None,
        district_zh="浦东新区", lon=None, lat=None, precision=None, coord_source="", in_shanghai=True,
        notes="",
    )  # fmt: skip


@pytest.fixture(scope="module")
def real_build(shipped_build: Built) -> BuildData:
    return shipped_build.data


@pytest.fixture(scope="module")
def timeline(real_build: BuildData) -> dict[str, dict[str, str | None]]:
    return {
        row.id: {t["report"]: t["status"] for t in row.timeline}
        for row in real_build.places.itertuples()
    }


R21 = "2021_sti_centre_14th_five_year_plan"
R22 = "2022_st_progress_report"
R23 = "2023_st_progress_report_ch1"
R25 = "2025_st_progress_report"


def test_status_order_is_the_vocabulary_order() -> None:
    # geo.vocab.STATUSES: planned < under_construction < launched < operating.
    assert STATUS_ORDER == ("planned", "under_construction", "launched", "operating")


def test_backward_steps_compare_years_not_reports() -> None:
    steps = backward_steps(
        [
            {"report": "a", "year": 2022, "status": "operating"},
            {"report": "b", "year": 2023, "status": "planned"},
            {"report": "c", "year": 2023, "status": "operating"},  # the year's best counts
            {"report": "d", "year": 2025, "status": "under_construction"},
        ]
    )
    assert [(a["report"], b["report"]) for a, b in steps] == [("c", "d")]


# One regression test per kind of error the issue lists.


def test_a_neighbouring_clause_does_not_leak(timeline: dict[str, dict[str, str | None]]) -> None:
    # 2025 L3062 says only 上海光源与合肥光源深化合作; "布局建设" on L3063 is about other labs.
    assert timeline["hefei-light-source"][R25] is None


def test_a_status_word_from_a_heading_line_does_not_leak(
    timeline: dict[str, dict[str, str | None]],
) -> None:
    # 2022 L2145-2146: 钍基熔盐堆缩比仿真堆完成测试验收 (the headline above says 加快推进).
    assert timeline["tmsr-scaled-simulation-reactor"][R22] == "launched"
    # 2022 L1332: SIMM's result under the headline "一批重大平台加快建设" (L1330).
    assert timeline["simm"][R22] == "operating"


def test_a_sentence_about_the_item_beats_its_heading(
    timeline: dict[str, dict[str, str | None]],
) -> None:
    # 2025 L544, under "### 在建中": 临港监测与数据中心大楼启用, 舟山岸基站完成验收.
    assert timeline["seafloor-observatory-lingang-data-center"][R25] == "launched"
    assert timeline["seafloor-observatory-zhoushan-shore-station"][R25] == "launched"
    # The network itself is still filed under 在建中.
    assert timeline["national-seafloor-observatory"][R25] == "under_construction"


def test_a_verb_about_other_institutions_does_not_apply(
    timeline: dict[str, dict[str, str | None]],
) -> None:
    # 2021 L3206-3213: 加快建设 [three other institutions]，支持瑞金医院转化医学…设施加快发展.
    assert timeline["translational-medicine-facility-shanghai"][R21] != "under_construction"


def test_research_highlight_headings_name_working_institutes(
    timeline: dict[str, dict[str, str | None]],
) -> None:
    # 2025 "### 上海有机所" (L346) etc. head research results: the institutes are operating.
    for pid in ("sioc", "simm", "sari"):
        assert timeline[pid][R25] == "operating", pid


def test_a_university_setting_up_an_institute_stays_operating(
    timeline: dict[str, dict[str, str | None]],
) -> None:
    # 2023 L106 复旦大学成立相辉研究院: the institute is launched, the university is not.
    assert timeline["fudan-university"][R23] == "operating"
    assert timeline["fudan-xianghui-institute"][R23] == "launched"
    assert timeline["fudan-university"][R22] == "operating"
    assert timeline["east-china-normal-university"][R25] == "operating"


def test_the_subject_of_a_verb_is_not_its_object() -> None:
    report = next(rt for rt in load_corpus() if rt.report.id == R23)
    gazetteer = Gazetteer((_place("fudan", "复旦大学"), _place("xianghui", "相辉研究院")))
    got = {(m.place_id, m.line): m.status for m in mentions_from_report(report, gazetteer)}
    assert got[("fudan", 106)] is None
    assert got[("xianghui", 106)] == "launched"


# A planner filtering "under construction in 2025" gets only what the 2025 report says is being
# built: the cited line (or the heading box it is listed under) says so.
BEING_BUILT = re.compile(
    r"在建|建设|施工|建造|开工|封顶|安装|推进|推动|加快|加速|启动|基本建成|进场|打造|改造|扩建|完工"
)


def test_under_construction_in_2025_is_said_by_a_2025_line(real_build: BuildData) -> None:
    report = next(rt for rt in load_corpus() if rt.report.id == R25)
    grouped = [
        g or item
        for g, item in zip(
            heading_statuses(report.lines), listed_item_statuses(report.lines), strict=True
        )
    ]
    by_place: dict[str, list[int]] = {}
    for m in real_build.mentions:
        # A part of a facility or platform being built (Mention.part_built) says it too.
        if m.report == R25 and (m.status == "under_construction" or m.part_built):
            by_place.setdefault(m.place_id, []).append(m.line)
    unsupported = []
    for row in real_build.places.itertuples():
        if not any(t["year"] == 2025 and t["status"] == "under_construction" for t in row.timeline):
            continue
        lines = by_place.get(row.id, [])
        ok = any(
            BEING_BUILT.search(report.lines[n - 1]) or grouped[n - 1] == "under_construction"
            for n in lines
        )
        if not ok:
            unsupported.append(row.id)
    assert unsupported == []


def test_every_backward_step_is_reviewed_in_docs(real_build: BuildData) -> None:
    # docs/status.md lists each step (generated by scripts/status_eval.py --doc) with a verdict;
    # a new one fails here until it is reviewed and the doc regenerated.
    doc = DOC.read_text(encoding="utf-8")
    missing = [
        f"{row.id}: {a['year']} {a['status']} -> {b['year']} {b['status']}"
        for row in real_build.places.itertuples()
        for a, b in backward_steps(row.timeline)
        if f"`{row.id}` | {a['year']} {a['status']} | {b['year']} {b['status']}" not in doc
    ]
    assert missing == []
