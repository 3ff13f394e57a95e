from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path

import pytest

from geo import settings
from geo.errors import ReportError, ReviewError
from geo.extract import Candidate
from geo.gazetteer import Gazetteer
from geo.pipeline import Inputs
from geo.profiles import load_district_cues
from geo.reports import (
    ReportText,
    add_report_file,
    load_manifest,
    manifest_entry,
    normalise_lines,
)
from geo.review import (
    SHEET_COLUMNS,
    apply_review,
    categories_by_suffix,
    review_rows_for_report,
    suggest,
    without_heading,
)

DATA = Path(__file__).parents[1] / "data"
REPORT = """\
# 2031上海科技进步报告

## 新型研发机构

上海同步辐射光源装置服务用户超过4000家。
张江复旦国际研究院在浦东揭牌成立。
徐汇滨江人工智能孵化器正式运营。
与合肥先进光源研究院开展合作。
截至年底，科技企业孵化中心达120家。
"""


def _candidate(name: str, quote: str) -> Candidate:
    return Candidate(name=name, count=1, report="r", line=1, quote=quote)


def _suggest(name: str, quote: str, gazetteer: Gazetteer) -> tuple[str, ...]:
    cues = load_district_cues(DATA / "gazetteer" / "district_cues.csv")
    s = suggest(_candidate(name, quote), gazetteer, cues, categories_by_suffix(gazetteer))
    return s.decision, s.place_id or s.kind or s.category, s.district_zh, s.parent_id


def test_suggestions(fixture_gazetteer: Gazetteer) -> None:
    g = fixture_gazetteer
    # Most like a known name: an alias (renamed or respelled).
    assert _suggest("上海同步辐射光源装置", "…", g)[:2] == (
        "alias",
        "shanghai-synchrotron-radiation-facility",
    )
    assert _suggest("合肥先进光源研究院", "与合肥先进光源研究院合作", g)[:2] == (
        "exclude",
        "outside",
    )
    assert _suggest("《上海市促进条例》平台", "…", g)[:2] == ("exclude", "programme")
    assert _suggest("科技企业孵化中心", "全市共有科技企业孵化中心120家", g)[:2] == (
        "exclude",
        "count",
    )
    assert _suggest("国家工程研究中心", "新建国家工程研究中心", g)[:2] == ("exclude", "generic")
    # A new place inside a known one: its parent, and the district from the sentence.
    assert _suggest("复旦大学张江研究院", "复旦大学张江研究院在浦东揭牌", g) == (
        "place",
        "research_institute",
        "浦东新区",
        "fudan-university",
    )
    # No district word: the parent's district; 孵化器 has a default category.
    assert _suggest("徐汇滨江人工智能孵化器", "正式运营", g) == (
        "place",
        "incubator",
        "徐汇区",
        "xuhui-riverside",
    )


def test_a_heading_glued_in_front_is_cut_off(fixture_gazetteer: Gazetteer) -> None:
    lines = ["## 2 培育新质生产力", "", "上海具身智能创新研究院揭牌成立。"]
    text, line_of, col_of = normalise_lines(lines)
    report = load_manifest(DATA / "reports")[0]
    rt = ReportText(report=report, lines=lines, text=text, line_of=line_of, col_of=col_of)
    found = Candidate("质生产力上海具身智能创新研究院", 1, "r", 1, lines[0])
    trimmed = without_heading(found, rt)
    assert (trimmed.name, trimmed.line) == ("上海具身智能创新研究院", 3)
    assert trimmed.quote == lines[2]
    plain = Candidate("上海具身智能创新研究院", 1, "r", 3, lines[2])
    assert without_heading(plain, rt) is plain


def _add_report(inputs: Inputs, text: str = REPORT, year: int = 2031) -> str:
    report_id = f"{year}_st_progress_report"
    entry = manifest_entry(
        report_id,
        f"{report_id}.md",
        text.encode("utf-8"),
        year=year,
        title_zh=f"{year}上海科技进步报告",
        title_en=f"Shanghai S&T Progress Report {year}",
        publisher="测试",
        kind="progress_report",
        source={"document": "r.md", "format": "md"},
    )
    add_report_file(inputs.reports_dir, entry, text)
    return report_id


def test_add_report_file_refuses_with_every_problem(fixture_inputs: Inputs) -> None:
    manifest = fixture_inputs.reports_dir / settings.MANIFEST_FILE
    before = manifest.read_bytes()
    entry = manifest_entry(
        "2030_mini_report",
        "2030_mini_report.txt",
        b"x",
        year=20030,
        title_zh="",
        title_en="t",
        publisher="p",
        kind="progress_report",
        source={},
    )
    with pytest.raises(ReportError) as err:
        add_report_file(fixture_inputs.reports_dir, entry, "different text")
    message = str(err.value)
    for part in (
        "id '2030_mini_report' is already in the manifest",
        "file '2030_mini_report.txt' is already in the manifest",
        "year 20030 must be a year from 1990 to 2100",
        "title_zh is empty",
        "already exists",
        "sha256 does not match",
    ):
        assert part in message
    assert manifest.read_bytes() == before


def test_add_report_file_refuses_a_second_copy_or_a_misspelt_kind(fixture_inputs: Inputs) -> None:
    _add_report(fixture_inputs)  # 2031
    manifest = fixture_inputs.reports_dir / settings.MANIFEST_FILE
    before = manifest.read_bytes()

    def problems(year: int, kind: str, text: str) -> str:
        entry = manifest_entry(
            f"r{year}_{kind}",
            f"r{year}_{kind}.md",
            text.encode("utf-8"),
            year=year,
            title_zh="标题",
            title_en="title",
            publisher="p",
            kind=kind,
            source={},
        )
        with pytest.raises(ReportError) as err:
            add_report_file(fixture_inputs.reports_dir, entry, text)
        return str(err.value)

    # The same text again, under another year: refused, naming the report it copies.
    assert "same text is already in the manifest as 2031_st_progress_report" in problems(
        2032, "progress_report", REPORT
    )
    # A second progress report of 2031 (a wrong --year, most likely).
    assert "a progress_report of 2031 is already in the manifest" in problems(
        2031, "progress_report", REPORT + "新的一段。\n"
    )
    # A misspelt kind would be read as a progress report, not a plan.
    assert "kind 'five_year_pln' is not one of" in problems(2032, "five_year_pln", "计划。\n")
    assert manifest.read_bytes() == before


def test_add_report_file_appends_the_entry(fixture_inputs: Inputs) -> None:
    report_id = _add_report(fixture_inputs)
    reports = load_manifest(fixture_inputs.reports_dir)
    assert [r.id for r in reports] == ["2030_mini_report", report_id]
    new = reports[-1]
    assert new.sha256 == hashlib.sha256(REPORT.encode("utf-8")).hexdigest()
    raw = json.loads((fixture_inputs.reports_dir / "manifest.json").read_text(encoding="utf-8"))
    assert raw["reports"][-1]["source"] == {"document": "r.md", "format": "md"}


def _write(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=SHEET_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)


def _sheet(inputs: Inputs) -> list[dict[str, str]]:
    report_id = _add_report(inputs)
    rows, known = review_rows_for_report(inputs, report_id)
    assert known >= 2  # 复旦大学 and 徐汇滨江
    return rows


def test_apply_writes_places_aliases_and_exclusions(fixture_inputs: Inputs, tmp_path: Path) -> None:
    rows = {r["name"]: r for r in _sheet(fixture_inputs)}
    assert set(rows) == {
        "上海同步辐射光源装置",
        "张江复旦国际研究院",
        "徐汇滨江人工智能孵化器",
        "合肥先进光源研究院",
        "科技企业孵化中心",
    }
    assert rows["张江复旦国际研究院"]["district_zh"] == "浦东新区"
    assert rows["徐汇滨江人工智能孵化器"]["parent_id"] == "xuhui-riverside"
    rows["张江复旦国际研究院"]["name_en"] = "Zhangjiang Fudan International Institute"
    rows["徐汇滨江人工智能孵化器"].update(decision="skip")
    places_path = fixture_inputs.gazetteer_dir / "places.csv"
    before = places_path.read_bytes().splitlines(keepends=True)
    sheet = tmp_path / "sheet.csv"
    _write(sheet, list(rows.values()))
    outcome = apply_review(sheet, fixture_inputs)
    assert outcome.new_places == ["zhangjiang-fudan-international-institute"]
    assert outcome.aliases == [("上海同步辐射光源装置", "shanghai-synchrotron-radiation-facility")]
    assert sorted(outcome.exclusions) == ["合肥先进光源研究院", "科技企业孵化中心"]
    assert outcome.skipped == ["徐汇滨江人工智能孵化器"]
    after = places_path.read_bytes().splitlines(keepends=True)
    changed = [i for i, (a, b) in enumerate(zip(before, after, strict=False)) if a != b]
    assert len(after) == len(before) + 1 and len(changed) == 1  # one alias row, one new row
    assert "上海同步辐射光源装置" in after[changed[0]].decode()
    assert (
        after[-1]
        .decode()
        .startswith("zhangjiang-fudan-international-institute,张江复旦国际研究院,")
    )
    assert "2031:L6" in after[-1].decode()
    excluded = (fixture_inputs.gazetteer_dir / "excluded.csv").read_text(encoding="utf-8")
    assert excluded.splitlines()[0] == "name,kind,reason"
    assert "合肥先进光源研究院,outside," in excluded


def test_apply_lists_every_problem_and_writes_nothing(
    fixture_inputs: Inputs, tmp_path: Path
) -> None:
    rows = {r["name"]: r for r in _sheet(fixture_inputs)}
    rows["上海同步辐射光源装置"]["place_id"] = "no-such-place"
    rows["张江复旦国际研究院"].update(name_en="Fudan Zhangjiang", lon="121.0", lat="31.0")
    rows["张江复旦国际研究院"].update(precision="site", coord_source="test")
    rows["徐汇滨江人工智能孵化器"].update(decision="")
    rows["合肥先进光源研究院"].update(kind="elsewhere")
    rows["科技企业孵化中心"].update(reason="")
    rows["上海同步辐射光源装置"]["decision"] = "alias"
    sheet = tmp_path / "sheet.csv"
    _write(sheet, list(rows.values()))
    gazetteer = {p.name: p.read_bytes() for p in fixture_inputs.gazetteer_dir.iterdir()}
    with pytest.raises(ReviewError) as err:
        apply_review(sheet, fixture_inputs)
    message = str(err.value)
    for part in (
        "alias of 'no-such-place', which is not a gazetteer id",
        "(徐汇滨江人工智能孵化器): decision '' must be one of",
        "(合肥先进光源研究院): kind 'elsewhere' must be one of",
        "(科技企业孵化中心): an exclusion needs a reason",
        # From the build run on the staged files: the point is not in its district.
        "fudan-zhangjiang",
    ):
        assert part in message, message
    assert gazetteer == {p.name: p.read_bytes() for p in fixture_inputs.gazetteer_dir.iterdir()}


def test_unreadable_sheets(tmp_path: Path, fixture_inputs: Inputs) -> None:
    with pytest.raises(ReviewError, match="not found"):
        apply_review(tmp_path / "none.csv", fixture_inputs)
    (tmp_path / "bad.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(ReviewError, match="lacks columns"):
        apply_review(tmp_path / "bad.csv", fixture_inputs)
