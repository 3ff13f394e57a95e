from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyogrio
import pytest

from geo.pipeline import Inputs
from mapapp.cli import main


@pytest.fixture
def data_dir(fixture_inputs: Inputs, tmp_path: Path) -> Path:
    (tmp_path / "boundaries").mkdir()
    shutil.copy(fixture_inputs.boundaries, tmp_path / "boundaries")
    return tmp_path


def test_build_then_export_each_format(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    build_dir = data_dir / "out"
    assert main(["--data-dir", str(data_dir), "build", "--out", str(build_dir)]) == 0
    out = capsys.readouterr().out
    assert "places: 12" in out and "by category" in out and "unmatched candidates" in out
    geojson = data_dir / "pudong.geojson"
    args = ["--data-dir", str(data_dir), "export", "--build-dir", str(build_dir)]
    assert main([*args, str(geojson), "--district", "浦东新区", "--category", "facility"]) == 0
    fc = json.loads(geojson.read_text(encoding="utf-8"))
    ids = {f["id"] for f in fc["features"]}
    assert ids == {"shanghai-synchrotron-radiation-facility", "ssrf-phase-ii", "hard-x-ray-fel"}
    assert fc["metadata"]["filters"]["district"] == ["浦东新区"]
    assert main([*args, str(data_dir / "all.csv")]) == 0
    assert (data_dir / "all.csv").read_text(encoding="utf-8").startswith("id,name_zh")
    assert main([*args, str(data_dir / "yangpu.gpkg"), "--district", "Yangpu"]) == 0
    gdf = pyogrio.read_dataframe(data_dir / "yangpu.gpkg", layer="places")
    assert set(gdf["id"]) == {"fudan-university", "yangpu-xiudai"}


def test_bad_input_gives_a_clear_message(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    build_dir = data_dir / "out"
    args = ["--data-dir", str(data_dir), "export", "--build-dir", str(build_dir)]
    assert main([*args, str(data_dir / "x.geojson")]) == 2
    assert "run `innovation-map build` first" in capsys.readouterr().err
    main(["--data-dir", str(data_dir), "build", "--out", str(build_dir)])
    assert main([*args, str(data_dir / "x.shp")]) == 2
    assert "suffix must be one of .geojson, .csv, .gpkg" in capsys.readouterr().err
    assert main([*args, str(data_dir / "x.geojson"), "--district", "闸北区"]) == 2
    assert "unknown district '闸北区'" in capsys.readouterr().err
    assert not (data_dir / "x.geojson").exists()


def test_check_fails_on_a_broken_gazetteer(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--data-dir", str(data_dir), "check"]) == 0
    csv = data_dir / "gazetteer" / "places.csv"
    csv.write_text(
        csv.read_text(encoding="utf-8") + "bad id,x,y,,facility,,浦东新区,,,,,true,\n",
        encoding="utf-8",
    )
    assert main(["--data-dir", str(data_dir), "check"]) == 2
    assert "'bad id' is not an ASCII slug" in capsys.readouterr().err


def test_candidates_command(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--data-dir", str(data_dir), "candidates"]) == 0
    assert "unmatched place-like names" in capsys.readouterr().err


def test_a_corrupt_build_gives_a_clear_error(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    build_dir = data_dir / "out"
    build_dir.mkdir()
    (build_dir / "innovation_map.gpkg").write_text("garbage", encoding="utf-8")
    args = [
        "--data-dir",
        str(data_dir),
        "export",
        "--build-dir",
        str(build_dir),
        str(data_dir / "x.csv"),
    ]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "is unreadable" in err and "run `innovation-map build` again" in err
    assert "Traceback" not in err and not (data_dir / "x.csv").exists()
