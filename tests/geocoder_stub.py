"""A local stand-in for the three geocoding services, and a guard against the network.

Used by the geocoder's tests (``tests/geo``) and the ``geocode`` command's (``tests/mapapp``).
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlsplit

import pytest

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


class Stub(BaseHTTPRequestHandler):
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
    """A running stub of the three services; its base URL."""
    Stub.requests = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Stub)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail any connection that is not to the local stub."""
    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address: Any) -> Any:
        if isinstance(address, tuple) and address[0] not in ("127.0.0.1", "localhost"):
            raise AssertionError(f"test tried to reach the network: {address!r}")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)
