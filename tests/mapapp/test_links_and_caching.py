"""Links that cannot be poisoned, and HTTP caching done right (issue #16)."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from mapapp import create_app
from mapapp.serving import negotiated_encoding

POISONABLE = ["/openapi.json", "/ogc/collections", "/ogc", "/ogc/openapi"]


def _app(fixture_app: Flask, **config: Any) -> Flask:
    return create_app({"BUILD_DIR": fixture_app.config["BUILD_DIR"], **config})


@pytest.mark.parametrize("url", POISONABLE)
def test_a_foreign_host_is_refused_and_never_reaches_later_clients(
    fixture_app: Flask, url: str
) -> None:
    client = fixture_app.test_client()
    for _ in range(12):
        response = client.get(url, headers={"Host": "evil.example"})
        assert response.status_code == 400
        assert "Host" in response.get_json()["error"]
        assert response.headers["Cache-Control"] == "no-store"
    body = client.get(url).get_data(as_text=True)
    assert "evil.example" not in body and "http://localhost" in body


@pytest.mark.parametrize("url", POISONABLE)
def test_forwarded_headers_are_ignored_without_a_configured_proxy(
    fixture_app: Flask, url: str
) -> None:
    client = fixture_app.test_client()
    spoofed = {
        "X-Forwarded-Host": "evil.example",
        "X-Forwarded-Proto": "https",
        "X-Forwarded-Prefix": "/evil",
        "Forwarded": "host=evil.example;proto=https",
    }
    for _ in range(3):
        body = client.get(url, headers=spoofed).get_data(as_text=True)
        assert "evil" not in body and "https://" not in body.replace("https://www", "")
    assert "evil" not in client.get(url).get_data(as_text=True)


def test_one_configured_proxy_is_believed_for_trusted_hosts_only(fixture_app: Flask) -> None:
    client = _app(fixture_app, PROXIES=1, TRUSTED_HOSTS="map.example.org").test_client()
    good = {"X-Forwarded-Host": "map.example.org", "X-Forwarded-Proto": "https"}
    body = client.get("/ogc/collections?f=json", headers=good).get_data(as_text=True)
    assert "https://map.example.org/ogc/collections" in body
    bad = client.get("/ogc/collections?f=json", headers={"X-Forwarded-Host": "evil.example"})
    assert bad.status_code == 400
    # the cache keeps the two hosts apart: localhost still gets its own links
    plain = client.get("/ogc/collections?f=json").get_data(as_text=True)
    assert "http://localhost/ogc/collections" in plain and "example.org" not in plain


def test_public_url_makes_every_absolute_link(fixture_app: Flask) -> None:
    client = _app(fixture_app, PUBLIC_URL="https://map.example.org/sh").test_client()
    for url in ("/openapi.json", "/ogc/collections?f=json"):
        for host in ("localhost", "map.example.org", "127.0.0.1:8000"):
            body = client.get(url, headers={"Host": host}).get_data(as_text=True)
            assert "https://map.example.org/sh" in body and "localhost" not in body, (url, host)
    assert client.get("/openapi.json", headers={"Host": "evil.example"}).status_code == 400


def test_any_host_only_when_asked_for(fixture_app: Flask) -> None:
    client = _app(fixture_app, TRUSTED_HOSTS="*").test_client()
    assert client.get("/healthz", headers={"Host": "anything.example"}).status_code == 200


@pytest.mark.parametrize("query", ["?f=geojson", "?zf=1", "?f=json&f=html", "?F=json"])
def test_odd_format_parameters_are_400s_not_cache_entries(fixture_app: Flask, query: str) -> None:
    response = fixture_app.test_client().get("/ogc/collections" + query)
    assert response.status_code == 400
    name = "f" if query.startswith("?f=") else query[1:].split("=")[0]
    assert response.get_json()["error"].startswith(f"{name}:")


def test_each_representation_is_cached_for_its_own_accept(fixture_app: Flask) -> None:
    client = fixture_app.test_client()
    assert client.get("/ogc/collections?f=html").mimetype == "text/html"
    for _ in range(2):
        assert client.get("/ogc/collections?f=json").mimetype == "application/json"
        as_json = client.get("/ogc/collections", headers={"Accept": "application/json"})
        as_html = client.get("/ogc/collections", headers={"Accept": "text/html"})
        assert as_json.mimetype == "application/json" and as_html.mimetype == "text/html"
        assert as_json.headers["ETag"] != as_html.headers["ETag"]


@pytest.mark.parametrize(
    "url", ["/places.json?foo=1", "/places?zoom=1", "/ogc?limit=3", "/healthz?x=1", "/oembed?z=1"]
)
def test_unknown_parameters_are_named_in_a_400(fixture_app: Flask, url: str) -> None:
    response = fixture_app.test_client().get(url)
    assert response.status_code == 400 and response.headers["Cache-Control"] == "no-store"
    name = url.split("?")[1].split("=")[0]
    text = response.get_data(as_text=True)
    assert f"{name}: unknown parameter" in text


@pytest.mark.parametrize(
    ("url", "accept"),
    [
        ("/api/places.geojson?district=Pudong", ""),
        ("/ogc/collections", "application/json"),
        ("/ogc/collections", "text/html"),
        ("/places", ""),
    ],
)
@pytest.mark.parametrize("encoding", ["", "br", "gzip"])
def test_a_304_keeps_the_caching_headers_of_its_200(
    fixture_app: Flask, url: str, accept: str, encoding: str
) -> None:
    client = fixture_app.test_client()
    headers = {"Accept": accept, "Accept-Encoding": encoding}
    first = client.get(url, headers=headers)
    assert first.status_code == 200
    etag = first.headers["ETag"]
    for sent in (etag, f"W/{etag}", f'"nope", {etag}', "*"):
        again = client.get(url, headers={**headers, "If-None-Match": sent})
        assert again.status_code == 304, sent
        assert again.data == b""
        for header in ("Cache-Control", "Vary"):
            assert again.headers[header] == first.headers[header], (sent, header)
        assert again.headers["ETag"].split(":")[0].rstrip('"') == etag.split(":")[0].rstrip('"')
    other = client.get(url, headers={**headers, "If-None-Match": '"other"'})
    assert other.status_code == 200


def test_no_304_for_errors_or_health(fixture_app: Flask) -> None:
    client = fixture_app.test_client()
    assert client.get("/healthz", headers={"If-None-Match": "*"}).status_code == 200
    assert client.get("/places/nope", headers={"If-None-Match": "*"}).status_code in (404, 304)


@pytest.mark.parametrize(
    ("header", "chosen"),
    [
        ("br;q=0", "identity"),
        ("br;q=0, gzip", "gzip"),
        ("br; q=0 , gzip;q=0", "identity"),
        ("gzip;q=0.5, br;q=0.8", "br"),
        ("gzip, br;q=0.5", "gzip"),
        ("*", "br"),
        ("*;q=0", "identity"),
        ("*, br;q=0", "gzip"),
        ("gzip, br", "br"),
        ("identity", "identity"),
        ("br;q=nonsense", "identity"),
        ("", "identity"),
    ],
)
def test_encoding_negotiation_honours_q_zero(header: str, chosen: str) -> None:
    assert negotiated_encoding(header) == chosen


def test_a_refused_coding_is_never_sent(fixture_app: Flask) -> None:
    client = fixture_app.test_client()
    for header, expected in (("br;q=0", None), ("br;q=0, gzip", "gzip"), ("*;q=0", None)):
        response = client.get("/api/places.geojson", headers={"Accept-Encoding": header})
        assert response.headers.get("Content-Encoding") == expected, header


def test_405_names_the_allowed_methods_and_csv_states_its_charset_once(
    fixture_app: Flask,
) -> None:
    client = fixture_app.test_client()
    response = client.post("/places.json")
    assert response.status_code == 405 and "GET" in response.headers["Allow"]
    csv = client.get("/api/places.csv")
    assert csv.headers["Content-Type"].lower().count("charset") == 1


@pytest.mark.parametrize(
    "url",
    [
        "/ogc/collections/places/items/zhangjiang-science-city?f=json",
        "/places/zhangjiang-science-city?lang=en",
        "/districts/Pudong?lang=en",
        "/oembed?url=http://localhost/embed",
    ],
)
def test_declared_parameters_of_templated_paths_are_accepted(fixture_app: Flask, url: str) -> None:
    assert fixture_app.test_client().get(url).status_code == 200


def test_an_options_or_head_request_never_becomes_the_cached_body_of_a_get(
    fixture_app: Flask,
) -> None:
    # Found by schemathesis: OPTIONS (an empty body) was compressed and cached under the URL,
    # and every later GET of that URL got an empty 200.
    client = _app(fixture_app).test_client()
    url = "/ogc/collections/hubs/items?f=json&limit=100"
    headers = {"Accept-Encoding": "br"}
    assert client.options(url, headers=headers).status_code == 200
    assert client.head(url, headers=headers).status_code == 200
    response = client.get(url, headers={"Accept-Encoding": "identity"})
    assert response.get_json()["type"] == "FeatureCollection"
    compressed = client.get(url, headers=headers)
    assert len(compressed.data) > 20


def test_a_new_version_of_the_code_changes_every_etag(
    fixture_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After an upgrade on the same build, no client keeps a page of the previous code (304)."""
    old = _app(fixture_app).test_client().get("/?lang=en")
    assert old.status_code == 200 and old.headers["ETag"]
    revalidated = (
        _app(fixture_app)
        .test_client()
        .get("/?lang=en", headers={"If-None-Match": old.headers["ETag"]})
    )
    assert revalidated.status_code == 304  # same code, same build: the client's copy is good
    monkeypatch.setattr("mapapp.core.code_stamp", lambda: "another-version")
    upgraded = _app(fixture_app).test_client()
    response = upgraded.get("/?lang=en", headers={"If-None-Match": old.headers["ETag"]})
    assert response.status_code == 200
    assert response.headers["ETag"] != old.headers["ETag"]


def test_the_same_app_under_two_mount_paths_never_shares_a_cached_answer(
    fixture_app: Flask,
) -> None:
    """A proxy that mounts one app at / and at /map/ gets each its own links (and ETags)."""
    client = _app(fixture_app).test_client()
    for _ in range(2):  # the second round is answered from the response cache
        root = client.get("/places?lang=en")
        mounted = client.get("/places?lang=en", base_url="http://localhost/map/")
        assert 'href="/map/' in mounted.get_data(as_text=True)
        assert 'href="/map/' not in root.get_data(as_text=True)
        assert root.headers["ETag"] != mounted.headers["ETag"]
