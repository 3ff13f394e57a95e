"""Coverage of the independent inventory (issue 13, part 4): the rules, then the real build."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from geo import coverage, settings
from geo.pipeline import build

TARGET = 0.95
#: Rows ruled "not a place" by hand leave the denominator; keep them few (docs/coverage.md).
MAX_NOT_A_PLACE = 5

R1, R2 = "2021_plan", "2025_report"


def _write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.fixture
def tiny(tmp_path: Path) -> dict[str, Path]:
    """A hand-made build (four places, their mentions, one district profile) and its inputs."""
    build_dir = tmp_path / "build"
    build_dir.mkdir()
    places = [
        ["fudan", "复旦大学", "[]"],
        ["island", "复兴岛", "[]"],
        ["base", "上海量子城市时空创新基地", "[]"],
        ["zj", "张江科学城", json.dumps(["张江="], ensure_ascii=False)],
    ]
    _write_csv(build_dir / "places.csv", ["id", "name_zh", "aliases"], places)
    mentions = [
        ["fudan", R1, "10", "复旦大学"],
        ["island", R2, "50", "复兴岛"],
        ["base", R2, "50", "上海量子城市时空创新基地"],
        ["zj", R2, "70", "张江"],
    ]
    _write_csv(build_dir / "mentions.csv", ["place_id", "report", "line", "matched"], mentions)
    profiles = [{"report": R1, "district_zh": "浦东新区"}]
    (build_dir / "district_profiles.json").write_text(json.dumps(profiles), encoding="utf-8")
    excluded = _write_csv(
        tmp_path / "excluded.csv",
        ["name", "kind", "reason"],
        [
            ["科学城核心区", "covered", "zj (张江科学城's core; too vague for an alias)"],
            ["某某平台", "programme", "an online system"],
        ],
    )
    return {"build": build_dir, "excluded": excluded, "root": tmp_path}


def _measure(
    tiny: dict[str, Path], rows: list[list[str]], ruled: list[list[str]] | None = None
) -> coverage.Result:
    inv = _write_csv(
        tiny["root"] / "inventory.csv",
        ["name_zh", "short", "report", "line", "kind", "in_shanghai", "quote"],
        [[*r[:4], "zone", r[4] if len(r) > 4 else "yes", ""] for r in rows],
    )
    dec = _write_csv(
        tiny["root"] / "decisions.csv",
        ["name_zh", "report", "decision", "place_id", "reason"],
        ruled or [],
    )
    return coverage.measure(tiny["build"], inv, dec, tiny["excluded"])


def _covered(result: coverage.Result) -> dict[str, str]:
    return {row.name: pid for row, pid in result.covered}


def test_a_name_or_alias_covers_a_row_only_where_that_report_cites_the_place(
    tiny: dict[str, Path],
) -> None:
    result = _measure(
        tiny,
        [
            ["复旦大学", "", R1, "400"],  # cited in R1, far from line 400: the name decides
            ["复旦大学", "", R2, "400"],  # not cited in R2
            ["张江", "", R2, "900"],  # a bare alias is a name too
        ],
    )
    assert [(r.name, r.report, pid) for r, pid in result.covered] == [
        ("复旦大学", R1, "fudan"),
        ("张江", R2, "zj"),
    ]
    assert [(r.name, r.report) for r, _ in result.missed] == [("复旦大学", R2)]


def test_a_mention_within_two_lines_covers_a_longer_or_shorter_form_and_the_longest_wins(
    tiny: dict[str, Path],
) -> None:
    result = _measure(
        tiny,
        [
            ["复兴岛上海量子城市时空创新基地", "", R2, "52"],  # both mentions contained: the base
            ["杨浦复兴岛", "", R2, "49"],  # the island's text is inside this form
            ["复兴岛码头", "", R2, "53"],  # three lines away: not the same passage
        ],
    )
    assert _covered(result) == {"复兴岛上海量子城市时空创新基地": "base", "杨浦复兴岛": "island"}
    assert [r.name for r, _ in result.missed] == ["复兴岛码头"]


def test_a_district_name_is_covered_by_the_district_layer(tiny: dict[str, Path]) -> None:
    result = _measure(tiny, [["浦东", "", R2, "5"], ["浦东新区", "", R1, "5"]])
    assert set(_covered(result).values()) == {"district:浦东"} | {"district:浦东新区"}
    assert result.share == 1.0


def test_a_covered_exclusion_names_the_place_that_stands_for_the_form(
    tiny: dict[str, Path],
) -> None:
    result = _measure(tiny, [["科学城核心区", "", R2, "300"], ["某某平台", "", R2, "300"]])
    assert _covered(result) == {"科学城核心区": "zj"}
    # Any other exclusion is only the note of a miss: the inventory stays the yardstick.
    assert [(r.name, note) for r, note in result.missed] == [
        ("某某平台", "excluded (programme): an online system")
    ]


def test_hand_decisions_refuse_a_match_add_one_or_leave_the_denominator(
    tiny: dict[str, Path],
) -> None:
    rows = [
        ["复旦大学", "", R1, "10"],
        ["复旦大学附属医院", "", R1, "12"],
        ["上海市某信息平台", "", R1, "20"],
        ["外地某地", "", R1, "30", "no"],
    ]
    ruled = [
        ["复旦大学", R1, "missed", "", "only the university's park is named here"],
        ["复旦大学附属医院", R1, "covered", "fudan", "read by hand"],
        ["上海市某信息平台", R1, "not_a_place", "", "an online system"],
    ]
    result = _measure(tiny, rows, ruled)
    assert [(r.name, note) for r, note in result.missed] == [
        ("复旦大学", "only the university's park is named here")
    ]
    # 复旦大学附属医院 would match 复旦大学 near line 10 anyway; the decision agrees.
    assert _covered(result) == {"复旦大学附属医院": "fudan"}
    assert [r.name for r, _ in result.not_place] == ["上海市某信息平台"]
    assert (result.total, result.share) == (2, 0.5)  # rows outside Shanghai are not counted
    text = coverage.report_markdown(result)
    assert "**2** (plus 1 ruled not a place by hand)" in text
    assert "| 2021_plan | 10 | 复旦大学 | zone | only the university's park is named here |" in text


def test_the_generated_part_of_a_page_is_replaced_between_its_markers() -> None:
    page = f"intro\n{coverage.BEGIN}\nold\n{coverage.END}\nafter\n"
    assert coverage.replace_generated(page, "new") == (
        f"intro\n{coverage.BEGIN}\nnew\n{coverage.END}\nafter\n"
    )
    with pytest.raises(ValueError, match="markers"):
        coverage.replace_generated("no markers", "new")


# --- the real build -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real_result(tmp_path_factory: pytest.TempPathFactory) -> coverage.Result:
    out = tmp_path_factory.mktemp("coverage") / "build"
    build(out)
    return coverage.measure(out)


def test_the_build_covers_95_percent_of_the_independent_inventory(
    real_result: coverage.Result,
) -> None:
    misses = "\n".join(f"{r.report}:{r.line} {r.name}" for r, _ in real_result.missed)
    assert real_result.share >= TARGET, f"{real_result.share:.1%}; misses:\n{misses}"
    assert len(real_result.not_place) <= MAX_NOT_A_PLACE


def test_every_hand_decision_names_an_inventory_row_and_a_real_place() -> None:
    rows = {(r.name, r.report) for r in coverage.inventory()}
    ids = {p["id"] for p in coverage.read_csv(settings.GAZETTEER_DIR / settings.PLACES_FILE)}
    for (name, report), d in coverage.decisions().items():
        assert (name, report) in rows, f"stale decision: {name} ({report})"
        assert d["decision"] in {"covered", "missed", "not_a_place"}, name
        assert d["reason"].strip(), name
        assert d["decision"] != "covered" or d["place_id"] in ids, name
