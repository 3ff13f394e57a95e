"""OGC API - Features under /ogc: read by OWSLib, and checked against Part 1 (Core) requirements."""

from __future__ import annotations

import pytest
from flask import Flask
from owslib.ogcapi.features import Features

CORE = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core"


def test_owslib_lists_and_reads_the_collections(live_url: str) -> None:
    api = Features(live_url + "/ogc")
    assert CORE in api.conformance()["conformsTo"]
    ids = [c["id"] for c in api.collections()["collections"]]
    assert ids == ["places", "districts", "hubs", "corridors"]
    page = api.collection_items("places", limit=5)
    assert page["numberMatched"] == 12 and page["numberReturned"] == 5
    facilities = api.collection_items("places", category="facility", district="浦东新区")
    assert sorted(f["id"] for f in facilities["features"]) == [
        "hard-x-ray-fel",
        "shanghai-synchrotron-radiation-facility",
        "ssrf-phase-ii",
    ]
    lab = api.collection_item("places", "zhangjiang-laboratory")
    assert lab["properties"]["name_en"] == "Zhangjiang Laboratory"
    assert api.collection_items("districts", limit=20)["numberMatched"] == 16
    assert api.collection_items("corridors")["numberMatched"] == 0  # the fixture has no line


def test_landing_page_links_required_by_core(fixture_app: Flask) -> None:
    doc = fixture_app.test_client().get("/ogc").get_json()
    rels = {link["rel"] for link in doc["links"]}
    assert {"self", "service-desc", "conformance", "data"} <= rels
    assert all(link["href"].startswith("http://") for link in doc["links"])  # absolute links


def test_items_paging_links_and_counts(fixture_app: Flask) -> None:
    client = fixture_app.test_client()
    first = client.get("/ogc/collections/places/items?limit=5")
    assert first.mimetype == "application/geo+json"
    doc = first.get_json()
    assert doc["type"] == "FeatureCollection" and doc["numberReturned"] == 5
    assert doc["timeStamp"].endswith("Z")
    nxt = next(link["href"] for link in doc["links"] if link["rel"] == "next")
    second = client.get(nxt.replace("http://localhost", "")).get_json()
    assert second["numberReturned"] == 5
    assert not {f["id"] for f in doc["features"]} & {f["id"] for f in second["features"]}
    assert any(link["rel"] == "prev" for link in second["links"])


def test_bbox_filters_items(fixture_app: Flask) -> None:
    doc = (
        fixture_app.test_client()
        .get("/ogc/collections/places/items?bbox=121.49,31.29,121.52,31.31")
        .get_json()
    )
    assert [f["id"] for f in doc["features"]] == ["fudan-university"]


def test_collection_has_an_extent_in_crs84(fixture_app: Flask) -> None:
    doc = fixture_app.test_client().get("/ogc/collections/districts").get_json()
    (bbox,) = doc["extent"]["spatial"]["bbox"]
    assert 120.8 < bbox[0] < bbox[2] < 122.3 and 30.6 < bbox[1] < bbox[3] < 31.9
    assert doc["extent"]["spatial"]["crs"].endswith("CRS84")


def test_html_is_offered_for_browsers(fixture_app: Flask) -> None:
    client = fixture_app.test_client()
    page = client.get("/ogc/collections/places/items", headers={"Accept": "text/html"})
    assert page.mimetype == "text/html" and "Zhangjiang Laboratory" in page.get_data(as_text=True)
    assert client.get("/ogc/collections?f=html").mimetype == "text/html"


def test_openapi_document_lists_every_parameter(fixture_app: Flask) -> None:
    response = fixture_app.test_client().get("/ogc/openapi")
    assert response.mimetype.startswith("application/vnd.oai.openapi+json")
    doc = response.get_json()
    params = {p["name"] for p in doc["paths"]["/ogc/collections/places/items"]["get"]["parameters"]}
    assert {"limit", "offset", "bbox", "category", "district", "year", "status", "q", "f"} <= params


@pytest.mark.parametrize(
    ("url", "status", "named"),
    [
        ("/ogc/collections/places/items?limit=0", 400, "limit"),
        ("/ogc/collections/places/items?limit=0", 400, "limit"),
        ("/ogc/collections/places/items?limit=²", 400, "limit"),
        ("/ogc/collections/places/items?year=²", 400, "year"),
        ("/ogc/collections/places/items?offset=-1", 400, "offset"),
        ("/ogc/collections/places/items?bbox=a,b,c,d", 400, "bbox"),
        ("/ogc/collections/places/items?unknown=1", 400, "unknown"),  # Core: unknown params → 400
        ("/ogc/collections/hubs/items?category=facility", 400, "category"),
        ("/ogc/collections/castles/items", 404, "castles"),
        ("/ogc/collections/places/items/no-such-place", 404, "no such feature"),
    ],
)
def test_errors_are_json_and_name_the_problem(
    fixture_app: Flask, url: str, status: int, named: str
) -> None:
    response = fixture_app.test_client().get(url)
    assert response.status_code == status
    assert named in response.get_json()["error"]


@pytest.mark.parametrize("collection", ["places", "districts", "hubs"])
def test_ogc_features_carry_the_same_properties_as_the_geojson_download(
    fixture_app: Flask, collection: str
) -> None:
    # One definition of a feature's columns (geo.columns): the OGC API serves what the GeoJSON
    # download holds (per-report statuses, status basis, address evidence), never the curators'
    # notes.
    client = fixture_app.test_client()
    download = client.get(f"/api/{collection}.geojson").get_json()["features"]
    if collection == "hubs":  # the OGC collection also holds the lines the download splits off
        download += client.get("/api/corridors.geojson").get_json()["features"]
    served = client.get(f"/ogc/collections/{collection}/items?limit=1000").get_json()["features"]
    assert len(served) == len(download)
    key = "adcode" if collection == "districts" else "id"
    by_key = {str(f["properties"][key]): f["properties"] for f in download}
    for feature in served:
        props = {k: v for k, v in feature["properties"].items() if k != "id"}
        same = by_key[str(feature["properties"][key])]
        assert props == {k: v for k, v in same.items() if k != "id"}
        assert "notes" not in props
    one = served[0]
    single = client.get(f"/ogc/collections/{collection}/items/{one['id']}").get_json()
    assert single["properties"] == one["properties"]
