"""The optional geocoder, against a local stub of each service (never the network)."""

from __future__ import annotations

import csv
import json
import socket
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlsplit

import pytest

pytest.importorskip("geopy")

from geo.datum import gcj02_to_wgs84
from geo.gazetteer import Place
from geo.geocoder import GeocoderError, propose_coordinates

# Answers in each service's real format (fields trimmed to what a real answer carries).
NOMINATIM = [
    {
        "place_id": 123,
        "licence": "Data © OpenStreetMap contributors, ODbL 1.0. http://osm.org/copyright",
        "osm_type": "way",
        "osm_id": 456,
        "lat": "31.1860100",
        "lon": "121.5950200",
        "category": "amenity",
        "type": "research_institute",
        "place_rank": 30,
        "importance": 0.2,
        "addresstype": "amenity",
        "name": "中国科学院上海高等研究院",
        "display_name": "中国科学院上海高等研究院, 海科路, 张江镇, 浦东新区, 上海市, 201210, 中国",
        "boundingbox": ["31.18", "31.19", "121.59", "121.60"],
    }
]
AMAP_GCJ = (121.599603, 31.184152)
AMAP = {
    "status": "1",
    "info": "OK",
    "infocode": "10000",
    "count": "1",
    "geocodes": [
        {
            "formatted_address": "上海市浦东新区海科路99号",
            "country": "中国",
            "province": "上海市",
            "citycode": "021",
            "city": "上海市",
            "district": "浦东新区",
            "township": [],
            "neighborhood": {"name": [], "type": []},
            "building": {"name": [], "type": []},
            "adcode": "310115",
            "street": "海科路",
            "number": "99号",
            "location": f"{AMAP_GCJ[0]:.6f},{AMAP_GCJ[1]:.6f}",
            "level": "门牌号",
        }
    ],
}
AMAP_BAD_KEY = {"status": "0", "info": "INVALID_USER_KEY", "infocode": "10001"}
TIANDITU = {
    "msg": "ok",
    "location": {
        "score": 100,
        "level": "门址",
        "lon": "121.595031",
        "lat": "31.186006",
        "keyWord": "上海市浦东新区海科路99号",
    },
    "searchVersion": "6.4.9V",
    "status": "0",
}


class _Stub(BaseHTTPRequestHandler):
    requests: ClassVar[list[tuple[str, dict[str, list[str]], str]]] = []

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        query = parse_qs(url.query)
        self.requests.append((url.path, query, self.headers.get("User-Agent", "")))
        body: Any
        if url.path == "/search":
            body = NOMINATIM if "无结果" not in query["q"][0] else []
        elif url.path == "/v3/geocode/geo":
            body = AMAP if query.get("key") == ["good-key"] else AMAP_BAD_KEY
        elif url.path == "/geocoder":
            body = TIANDITU
        else:
            self.send_error(404)
            return
        data = json.dumps(body, ensure_ascii=False).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: Any) -> None:  # keep the test output quiet
        return None


@pytest.fixture
def stub() -> Iterator[str]:
    _Stub.requests = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Stub)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail any connection that is not to the local stub."""
    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address: Any) -> Any:
        if isinstance(address, tuple) and address[0] not in ("127.0.0.1", "localhost"):
            raise AssertionError(f"test tried to reach the network: {address!r}")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)


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
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_nominatim_proposals_are_written_with_the_raw_answer(
    stub: str, places: list[Place], tmp_path: Path
) -> None:
    out = tmp_path / "review.csv"
    got = propose_coordinates(places, out, service="nominatim", base_url=stub, min_delay_seconds=0)
    assert [p.status for p in got] == ["proposed", "no_result"]
    assert (got[0].lon, got[0].lat) == (121.59502, 31.18601)
    path, query, agent = _Stub.requests[0]
    assert path == "/search" and query["q"] == ["上海市浦东新区海科路99号"]  # the address
    assert query["format"] == ["jsonv2"] and agent.startswith("shanghai-innovation-map")
    assert _Stub.requests[1][1]["q"] == ["无结果研究院"]  # no address: the name
    rows = _rows(out)
    assert rows[0]["curated_lon"] == "121.595" and rows[0]["curated_precision"] == "campus"
    assert float(rows[0]["distance_to_curated_m"]) < 5
    assert json.loads(rows[0]["raw_response"])[0]["osm_id"] == 456
    assert rows[1]["lon"] == "" and rows[1]["raw_response"] == "[]"
    # The curated coordinate is reported, never replaced.
    assert (places[0].lon, places[0].lat) == (121.5950, 31.1860)


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
    _, query, _ = _Stub.requests[0]
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
    _, query, _ = _Stub.requests[0]
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
    assert len(_Stub.requests) == 1


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
