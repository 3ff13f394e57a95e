"""``innovation-map geocode propose`` and ``apply`` end to end, against the local stub."""

from __future__ import annotations

import csv
import json
import shutil
import socket
from pathlib import Path

import pytest
from geocoder_stub import no_network, stub

from geo.pipeline import Inputs
from mapapp.cli import main

__all__ = ["no_network", "stub"]  # fixtures from the shared stub


@pytest.fixture(autouse=True)
def _offline(no_network: None) -> None:
    """Every test here may reach only the local stub."""


@pytest.fixture
def data_dir(fixture_inputs: Inputs, tmp_path: Path) -> Path:
    (tmp_path / "boundaries").mkdir()
    shutil.copy(fixture_inputs.boundaries, tmp_path / "boundaries")
    return tmp_path


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_propose_review_apply(
    data_dir: Path, stub: str, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet = data_dir / "reviews" / "geocode-nominatim.csv"
    args = ["--data-dir", str(data_dir), "geocode", "propose", "--service", "nominatim"]
    assert main([*args, "--base-url", stub, "--delay", "0"]) == 0
    out, err = capsys.readouterr()
    # The fixture's Shanghai places without a point of their own, each with a progress line.
    rows = _read(sheet)
    assert [r["id"] for r in rows] == [
        "ssrf-phase-ii",
        "hard-x-ray-fel",
        "tsung-dao-lee-institute",
        "zhangjiang-drug-base",
    ]
    assert "[4/4] zhangjiang-drug-base" in err and "4 proposed" in out
    assert f"innovation-map geocode apply {sheet}" in out
    assert {r["decision"] for r in rows} == {""}  # only a person accepts
    assert rows[2]["precision"] == "campus" and rows[2]["matched_address"].startswith("中国科学院")
    assert (data_dir / "reviews" / "geocode-cache").is_dir()

    # The curator accepts one proposal, with its evidence.
    rows[2]["decision"] = "accept"
    with sheet.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    build_dir = data_dir / "out"
    apply = ["--data-dir", str(data_dir), "geocode", "apply", str(sheet), "--out", str(build_dir)]
    assert main(apply) == 0
    out = capsys.readouterr().out
    assert "1 coordinate written" in out and "tsung-dao-lee-institute: (121.595020" in out
    features = json.loads((build_dir / "places.geojson").read_text(encoding="utf-8"))["features"]
    tdli = next(f for f in features if f["properties"]["id"] == "tsung-dao-lee-institute")
    assert tdli["geometry"]["coordinates"] == [121.59502, 31.18601]
    assert tdli["properties"]["precision"] == "campus"
    assert tdli["properties"]["coord_source"].startswith("geocoder: nominatim proposal, reviewed")

    # Applying the same sheet again is refused: the place now has a coordinate.
    assert main(apply) == 2
    assert "never replaces one" in capsys.readouterr().err


def test_propose_stops_clearly_without_a_key_or_a_service(
    data_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("INNOVATION_MAP_AMAP_KEY", raising=False)
    args = ["--data-dir", str(data_dir), "geocode", "propose"]
    assert main([*args, "--service", "amap"]) == 2
    assert "set INNOVATION_MAP_AMAP_KEY" in capsys.readouterr().err
    assert not (data_dir / "reviews").exists()  # nothing asked, nothing written
    assert main([*args, "--service", "nominatim", "--ids", "nope"]) == 2
    assert "unknown place id(s): nope" in capsys.readouterr().err
    # Nothing listening: every request fails, and the command says so.
    with socket.socket() as s:  # a free local port with nothing listening
        s.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{s.getsockname()[1]}"
    rc = main(
        [*args, "--service", "nominatim", "--base-url", dead, "--delay", "0", "--timeout", "2"]
    )
    assert rc == 1
    assert "every request failed" in capsys.readouterr().err
