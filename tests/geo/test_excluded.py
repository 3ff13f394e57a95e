"""excluded.csv: names that are not places, each with a kind and a reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from geo.errors import GazetteerError
from geo.excluded import read_excluded
from geo.pipeline import Inputs, run_pipeline


def _write(path: Path, body: str) -> Path:
    path.write_text("name,kind,reason\n" + body, encoding="utf-8")
    return path


def test_a_missing_file_means_nothing_is_excluded(tmp_path: Path) -> None:
    assert read_excluded(tmp_path / "excluded.csv") == []


def test_rows_are_read_and_names_normalised(tmp_path: Path) -> None:
    rows = read_excluded(_write(tmp_path / "e.csv", "国家工程研究中心,generic,a kind of centre\n"))
    assert [(e.name, e.kind) for e in rows] == [("国家工程研究中心", "generic")]


def test_every_problem_is_listed_at_once(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "e.csv",
        "甲乙研究院,nonsense,x\n丙丁研究院,generic,\n甲乙研究院,generic,again\n",
    )
    with pytest.raises(GazetteerError) as err:
        read_excluded(path)
    msg = str(err.value)
    assert "kind 'nonsense'" in msg and "line 2" in msg
    assert "丙丁研究院): a reason is required" in msg
    assert "甲乙研究院: listed more than once" in msg


def test_a_file_without_the_kind_column_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "e.csv"
    path.write_text("name,reason\n甲乙研究院,x\n", encoding="utf-8")
    with pytest.raises(GazetteerError, match="lacks columns"):
        read_excluded(path)


def test_an_excluded_name_leaves_the_candidates_and_is_counted(fixture_inputs: Inputs) -> None:
    places = fixture_inputs.gazetteer_dir / "places.csv"
    lines = places.read_text(encoding="utf-8").splitlines(keepends=True)
    places.write_text("".join(ln for ln in lines if "临港实验室" not in ln), encoding="utf-8")
    assert "临港实验室" in {c.name for c in run_pipeline(fixture_inputs).candidates}

    _write(fixture_inputs.gazetteer_dir / "excluded.csv", "临港实验室,outside,test reason\n")
    data = run_pipeline(fixture_inputs)
    assert "临港实验室" not in {c.name for c in data.candidates}
    assert [e.name for e in data.exclusions] == ["临港实验室"]
    assert data.stale_exclusions == []


def test_an_exclusion_the_reports_no_longer_yield_is_reported_stale(fixture_inputs: Inputs) -> None:
    # 临港实验室 is a gazetteer name, so the scan never offers it as a candidate.
    _write(fixture_inputs.gazetteer_dir / "excluded.csv", "临港实验室,generic,stale\n")
    data = run_pipeline(fixture_inputs)
    assert data.stale_exclusions == ["临港实验室"]
    assert data.exclusions == []


def test_a_file_that_is_not_utf8_gets_a_message_not_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "e.csv"
    path.write_bytes("name,kind,reason\n国家工程研究中心,generic,x\n".encode("gb18030"))
    with pytest.raises(GazetteerError, match="is not UTF-8: save it as CSV UTF-8"):
        read_excluded(path)
