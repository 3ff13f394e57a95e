"""Every 400 a URL parameter can cause says what is wrong in English and in Chinese, and names
the parameter, in the one JSON shape (or the error page, for the map)."""

from __future__ import annotations

import re

import pytest
from flask import Flask

CJK = re.compile(r"[\u4e00-\u9fff]")

#: (URL, the parameter its message must name)
BAD_URLS = [
    ("/api/places.geojson?status=foo", "status"),
    ("/api/places.geojson?district=Atlantis", "district"),
    ("/api/places.geojson?category=castle", "category"),
    ("/api/places.geojson?layers=castle", "layers"),
    ("/api/places.geojson?year=1999", "year"),
    ("/api/places.geojson?compare=2030", "compare"),
    ("/api/places.geojson?change=moved", "change"),
    ("/api/places.geojson?change=new", "change"),
    ("/api/places.geojson?bbox=1,2,3", "bbox"),
    ("/api/places.geojson?unplaced=2", "unplaced"),
    ("/api/places.geojson?q=" + "x" * 101, "q"),
    ("/api/places.geojson?status=,", "status"),
    ("/api/places.geojson?nope=1", "nope"),
    ("/api/places.csv?excel=2", "excel"),
    ("/api/places.csv?crs=EPSG:3857", "crs"),
    ("/api/places.kml?crs=GCJ-02", "crs"),
    ("/api/places.geojson?crs=GCJ-02", "crs"),
    ("/api/district_profiles.kml", "format"),
    ("/api/district_profiles.fgb", "format"),
    ("/api/places.shp", "format"),
    ("/ogc/collections/places/items?status=foo", "status"),
    ("/ogc/collections/places/items?district=Atlantis", "district"),
    ("/ogc/collections/places/items?category=castle", "category"),
    ("/ogc/collections/places/items?limit=0", "limit"),
    ("/ogc/collections/places/items?datetime=soon", "datetime"),
    ("/ogc/collections/places/items?datetime=2025-13-01T00:00:00Z", "datetime"),
    ("/ogc/collections/places/items?datetime=2031/2030", "datetime"),
    ("/ogc/collections/places/items?f=xml", "f"),
    ("/oembed?url=http://elsewhere.example/", "url"),
    ("/export/map.png?engine=gpu", "engine"),
    ("/export/map.png?status=foo", "status"),
]


@pytest.mark.parametrize(("url", "parameter"), BAD_URLS)
def test_bad_parameter_message_is_bilingual_and_names_it(
    fixture_app: Flask, url: str, parameter: str
) -> None:
    response = fixture_app.test_client().get(url)
    assert response.status_code in (400, 404), url
    body = response.get_json()
    assert body["ok"] is False and body["status"] == response.status_code
    message = body["error"]
    assert " / " in message and CJK.search(message), message
    assert parameter in message, message


@pytest.mark.parametrize(
    ("query", "english", "chinese"),
    [
        ("status=foo", "unknown status", "未知状态"),
        ("district=Atlantis", "unknown district", "未知的区"),
        ("category=castle", "unknown category", "未知类别"),
    ],
)
def test_map_page_error_is_bilingual(
    fixture_app: Flask, query: str, english: str, chinese: str
) -> None:
    response = fixture_app.test_client().get(f"/?{query}")
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert english in text and chinese in text


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        ("/api/places.geojson?q=%ff", "q"),
        ("/api/places.csv?district=%e6%b5", "district"),
        ("/ogc/collections/places/items?q=%ff", "q"),
        ("/ogc/collections/places/items?status=%c3%28&f=json", "status"),
        ("/export/map.png?q=%ff", "q"),
        ("/oembed?url=http://localhost/%3Fq%3D%25ff", "q"),
    ],
)
def test_a_value_that_is_not_utf8_is_a_400(fixture_app: Flask, url: str, parameter: str) -> None:
    # Werkzeug would read "%ff" as the text "%FF" and search for it.
    response = fixture_app.test_client().get(url)
    assert response.status_code == 400
    message = response.get_json()["error"]
    assert message.startswith(f"{parameter}: not valid UTF-8") and "UTF-8 编码" in message


def test_the_map_page_refuses_a_value_that_is_not_utf8(fixture_app: Flask) -> None:
    client = fixture_app.test_client()
    response = client.get("/?q=%ff")
    assert response.status_code == 400 and "UTF-8 编码" in response.get_data(as_text=True)
    assert client.get("/?q=%e5%bc%a0").status_code == 200  # 张, percent-encoded UTF-8
    assert client.get("/api/places.geojson?q=a+b%20c").status_code == 200


def test_check_query_encoding_reads_raw_bytes() -> None:
    from mapapp.core import check_query_encoding
    from mapapp.errors import MapAppError

    check_query_encoding(b"q=%E5%BC%A0&district=" + "浦东".encode())
    check_query_encoding("")
    with pytest.raises(MapAppError, match=r"^year: "):
        check_query_encoding(b"q=ok&year=\xff")
