"""The optional geocoder, against a local stub of each service (never the network)."""

from __future__ import annotations

import csv
import dataclasses
import json
import socket
from collections.abc import Callable
from pathlib import Path

import pytest
from geocoder_stub import AMAP_GCJ, Stub, no_network, stub

pytest.importorskip("geopy")

from geo.datum import gcj02_to_wgs84
from geo.gazetteer import Place
from geo.geocoder import GeocoderError, propose_coordinates

__all__ = ["no_network", "stub"]  # fixtures from the shared stub


@pytest.fixture(autouse=True)
def _offline(no_network: None) -> None:
    """Every test here may reach only the local stub."""


@pytest.fixture
def places(make_place: Callable[..., Place]) -> list[Place]:
    curated = Place(
        id="sari",
        name_zh="中国科学院上海高等研究院",
        name_en="SARI",
        aliases=(),
        category="research_institute",
        parent_id=None,
        district_zh="浦东新区",
        lon=121.5950,
        lat=31.1860,
        precision="campus",
        coord_source="curator: known campus location",
        in_shanghai=True,
        notes="",
        address_zh="上海市浦东新区海科路99号",
        address_source="institution website",
    )
    return [curated, make_place("nowhere", "无结果研究院")]


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig") as fh:
        return list(csv.DictReader(fh))


def test_nominatim_proposals_are_written_with_the_raw_answer(
    stub: str, places: list[Place], tmp_path: Path
) -> None:
    out = tmp_path / "review.csv"
    got = propose_coordinates(places, out, service="nominatim", base_url=stub, min_delay_seconds=0)
    assert [p.status for p in got] == ["proposed", "no_result"]
    assert (got[0].lon, got[0].lat) == (121.59502, 31.18601)
    path, query, agent = Stub.requests[0]
    assert path == "/search" and query["q"] == ["上海市浦东新区海科路99号"]  # the address
    assert query["format"] == ["jsonv2"] and agent.startswith("shanghai-innovation-map")
    assert Stub.requests[1][1]["q"] == ["无结果研究院"]  # no address: the name
    rows = _rows(out)
    assert rows[0]["curated_lon"] == "121.595" and rows[0]["curated_precision"] == "campus"
    assert float(rows[0]["distance_to_curated_m"]) < 5
    assert json.loads(rows[0]["raw_response"])[0]["osm_id"] == 456
    assert rows[1]["lon"] == "" and rows[1]["raw_response"] == "[]"
    # The curated coordinate is reported, never replaced.
    assert (places[0].lon, places[0].lat) == (121.5950, 31.1860)


def test_the_sheet_is_prefilled_for_review_and_progress_is_reported(
    stub: str, places: list[Place], tmp_path: Path, make_place: Callable[..., Place]
) -> None:
    seen: list[tuple[int, int, str]] = []
    # A zone with no address: the service's matched address is offered instead.
    zone = dataclasses.replace(make_place("zone", "某某创新区"), category="innovation_area")
    propose_coordinates(
        [*places, zone],
        tmp_path / "r.csv",
        service="nominatim",
        base_url=stub,
        min_delay_seconds=0,
        progress=lambda done, total, p: seen.append((done, total, p.status)),
    )
    assert seen == [(1, 3, "proposed"), (2, 3, "no_result"), (3, 3, "proposed")]
    sari, nothing, area = _rows(tmp_path / "r.csv")
    assert sari["decision"] == "" and sari["precision"] == "campus"
    assert sari["matched_address"].startswith("中国科学院上海高等研究院, 海科路")
    # The gazetteer's published address is kept as the evidence, with its source.
    assert (sari["address_zh"], sari["address_source"]) == (
        "上海市浦东新区海科路99号",
        "institution website",
    )
    assert nothing["precision"] == "" and nothing["address_zh"] == ""
    assert area["precision"] == "area"
    assert area["address_zh"] == area["matched_address"]
    assert area["address_source"].startswith(
        "nominatim geocoder's matched address for '某某创新区'"
    )


def test_amap_answers_are_converted_from_gcj02(
    stub: str, places: list[Place], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("INNOVATION_MAP_AMAP_KEY", "good-key")
    got = propose_coordinates(
        places[:1],
        tmp_path / "amap.csv",
        service="amap",
        base_url=f"{stub}/v3/geocode/geo",
        min_delay_seconds=0,
    )
    lon, lat = gcj02_to_wgs84(*AMAP_GCJ)
    assert got[0].status == "proposed" and got[0].level == "门牌号"
    assert (got[0].lon, got[0].lat) == (round(lon, 6), round(lat, 6))
    # GCJ-02 lies ~480 m east-south-east of WGS-84 in Shanghai: the conversion moved it back.
    assert got[0].lon < AMAP_GCJ[0] and got[0].lat > AMAP_GCJ[1]
    assert "GCJ-02" in got[0].datum
    _, query, _ = Stub.requests[0]
    assert query["key"] == ["good-key"] and query["city"] == ["上海"]


def test_an_amap_error_answer_stays_as_a_row(
    stub: str, places: list[Place], tmp_path: Path
) -> None:
    got = propose_coordinates(
        places[:1],
        tmp_path / "amap.csv",
        service="amap",
        base_url=f"{stub}/v3/geocode/geo",
        key="bad-key",
        min_delay_seconds=0,
    )
    assert got[0].status == "error" and got[0].level == "INVALID_USER_KEY"
    assert got[0].lon is None


def test_tianditu_answers_are_used_as_wgs84(
    stub: str, places: list[Place], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("INNOVATION_MAP_TIANDITU_KEY", "tk-1")
    monkeypatch.setenv("INNOVATION_MAP_TIANDITU_URL", f"{stub}/geocoder")
    got = propose_coordinates(
        places[:1], tmp_path / "t.csv", service="tianditu", min_delay_seconds=0
    )
    assert (got[0].lon, got[0].lat) == (121.595031, 31.186006)
    _, query, _ = Stub.requests[0]
    assert json.loads(query["ds"][0]) == {"keyWord": "上海市浦东新区海科路99号"}
    assert query["tk"] == ["tk-1"]


def test_a_cached_answer_is_not_asked_again(stub: str, places: list[Place], tmp_path: Path) -> None:
    for _ in range(2):
        propose_coordinates(
            places[:1],
            tmp_path / "r.csv",
            service="nominatim",
            base_url=stub,
            min_delay_seconds=0,
            cache_dir=tmp_path / "cache",
        )
    assert len(Stub.requests) == 1


def test_an_unreachable_service_is_an_error_row(places: list[Place], tmp_path: Path) -> None:
    with socket.socket() as s:  # a free local port with nothing listening
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    got = propose_coordinates(
        places[:1],
        tmp_path / "r.csv",
        service="nominatim",
        base_url=f"http://127.0.0.1:{port}",
        min_delay_seconds=0,
        timeout=2,
    )
    assert got[0].status == "error" and got[0].lon is None


def test_settings_errors_are_clear(
    places: list[Place], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("INNOVATION_MAP_AMAP_KEY", raising=False)
    with pytest.raises(GeocoderError, match="INNOVATION_MAP_AMAP_KEY"):
        propose_coordinates(places, tmp_path / "r.csv", service="amap")
    with pytest.raises(GeocoderError, match="not the gazetteer"):
        propose_coordinates(places, tmp_path / "places.csv", service="nominatim")
    with pytest.raises(GeocoderError, match="unknown geocoding service"):
        propose_coordinates(places, tmp_path / "r.csv", service="google")  # type: ignore[arg-type]
    with pytest.raises(GeocoderError, match="must start with http"):
        propose_coordinates(places, tmp_path / "r.csv", service="nominatim", base_url="ftp://x")


def test_it_stops_after_five_failures_in_a_row(
    make_place: Callable[..., Place], tmp_path: Path
) -> None:
    with socket.socket() as s:  # a free local port with nothing listening: no network
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    asked: list[int] = []
    out = tmp_path / "r.csv"
    with pytest.raises(GeocoderError, match="stopped: 5 requests in a row failed"):
        propose_coordinates(
            [make_place(f"p{i}", f"地点{i}") for i in range(20)],
            out,
            service="nominatim",
            base_url=f"http://127.0.0.1:{port}",
            min_delay_seconds=0,
            timeout=2,
            progress=lambda done, total, p: asked.append(done),
        )
    assert asked == [1, 2, 3, 4, 5] and not out.exists()
