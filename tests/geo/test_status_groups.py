"""status_groups.csv: line ranges a report labels with a status, away from their label."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from geo.errors import GazetteerError
from geo.extract import mentions_from_report
from geo.gazetteer import Gazetteer, Place
from geo.reports import load_corpus
from geo.status_groups import read_status_groups

HEADER = "report,first_line,last_line,status,note\n"


def test_a_missing_file_means_no_boxes(tmp_path: Path) -> None:
    assert read_status_groups(tmp_path / "none.csv", {"r"}) == []


def test_every_problem_is_listed(tmp_path: Path) -> None:
    path = tmp_path / "g.csv"
    path.write_text(
        HEADER + "nope,1,2,operating,x\nr,5,3,built,x\nr,a,3,planned,x\nr,1,2,planned,\n",
        encoding="utf-8",
    )
    with pytest.raises(GazetteerError) as err:
        read_status_groups(path, {"r"})
    msg = str(err.value)
    assert "unknown report 'nope'" in msg
    assert "status 'built'" in msg and "5..3" in msg
    assert "whole numbers" in msg
    assert "say in note" in msg


def test_a_box_gives_its_status_to_the_places_inside(make_place: Callable[..., Place]) -> None:
    # 2022 report: 高效低碳燃气轮机试验装置 (L662) sits in the box labelled 在建中 (L629);
    # its own lines say "具备试验台设备进场条件", which reads as nothing in particular.
    report = next(rt for rt in load_corpus() if rt.report.id == "2022_st_progress_report")
    gazetteer = Gazetteer((make_place("gas-turbine", "高效低碳燃气轮机试验装置"),))
    plain = [m for m in mentions_from_report(report, gazetteer) if m.line == 662]
    boxed = [
        m
        for m in mentions_from_report(report, gazetteer, [(629, 665, "under_construction")])
        if m.line == 662
    ]
    assert plain and not plain[0].from_heading
    assert boxed[0].status == "under_construction" and boxed[0].from_heading
