from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from geo.pipeline import Inputs, build
from mapapp import create_app


@pytest.fixture
def client(fixture_app: Flask) -> FlaskClient:
    """A client of the module's app over the shared fixture build (no test here changes it)."""
    return fixture_app.test_client()


def test_index_healthz_and_places(client: FlaskClient) -> None:
    page = client.get("/").get_data(as_text=True)
    assert "上海科技创新地图" in page and "/static/vendor/leaflet@1.9.3/dist/leaflet.js" in page
    assert "Shanghai innovation map" in client.get("/?lang=en").get_data(as_text=True)
    bad = client.get("/?lang=fr")
    assert bad.status_code == 400 and "lang" in bad.get_data(as_text=True)
    with client.get("/static/vendor/leaflet@1.9.3/dist/leaflet.js") as asset:
        assert asset.status_code == 200
    health = client.get("/healthz").get_json()
    assert health["ok"] is True and health["places"] == 12 and health["built"]
    fc = client.get("/places.geojson").get_json()
    assert len(fc["features"]) == 12


def test_curators_notes_never_leave_the_build(client: FlaskClient) -> None:
    # The fixture's ssrf-phase-ii has a note ("lon/lat left empty to test the parent fallback").
    for url in (
        "/places.geojson",
        "/places.json",
        "/places/ssrf-phase-ii.json",
        "/api/places.geojson",
    ):
        body = client.get(url).get_data(as_text=True)
        assert "parent fallback" not in body and '"notes"' not in body, url


def test_unknown_url_gets_the_json_error_shape(client: FlaskClient) -> None:
    resp = client.get("/nope.json")
    assert resp.status_code == 404
    assert resp.get_json() == {"ok": False, "status": 404, "error": "not found / 未找到"}
    page = client.get("/nope")
    assert page.status_code == 404 and page.mimetype == "text/html"


def test_places_list_and_its_json_twin_hold_exactly_the_map_places(client: FlaskClient) -> None:
    html = client.get("/places?lang=en").get_data(as_text=True)
    data = client.get("/places.json").get_json()
    assert data["count"] == 12 and len(data["places"]) == 12
    assert html.count('<tr><th scope="row">') == 12
    assert "Fudan University" in html and "Sources" in html  # footer names the sources


def test_place_page_and_twin(client: FlaskClient) -> None:
    page = client.get("/places/ssrf-phase-ii").get_data(as_text=True)
    assert "上海光源二期" in page and "2030_mini_report" in page
    twin = client.get("/places/ssrf-phase-ii.json").get_json()
    assert twin["place"]["coord_source"] == "parent: shanghai-synchrotron-radiation-facility"
    assert twin["place"]["sources"][0]["line"] == 6
    parent = client.get("/places/shanghai-synchrotron-radiation-facility.json").get_json()
    assert ["ssrf-phase-ii", "上海光源二期", "SSRF Phase II"] in parent["place"]["children"]
    # A placed place links to itself on the map, in the page's language.
    english = client.get("/places/ssrf-phase-ii?lang=en").get_data(as_text=True)
    assert '<a href="/?lang=en&amp;place=ssrf-phase-ii">On the map</a>' in english
    assert '<a href="/?lang=zh&amp;place=ssrf-phase-ii">在地图上</a>' in page


def test_district_page_by_any_name(client: FlaskClient) -> None:
    for name in ("浦东新区", "浦东", "Pudong"):
        body = client.get(f"/districts/{name}.json").get_json()
        assert body["district"]["name_zh"] == "浦东新区"
    page = client.get("/districts/徐汇区?lang=en").get_data(as_text=True)
    assert "发挥科技服务业核心枢纽作用" in page and "lines 21–21" in page
    # Cited as the place pages cite: year and title, with the file id aside.
    assert "<cite>2030 · Test report, lines 21–21</cite> <small>(2030_mini_report)</small>" in page


def test_only_a_real_place_or_district_page_advertises_oembed(client: FlaskClient) -> None:
    assert "json+oembed" in client.get("/places/ssrf-phase-ii").get_data(as_text=True)
    missing = client.get("/places/nope")
    assert missing.status_code == 404 and "json+oembed" not in missing.get_data(as_text=True)


def test_errors_have_one_shape_and_no_traceback(client: FlaskClient) -> None:
    for url in ("/places/nope.json", "/districts/闸北区.json"):
        resp = client.get(url)
        assert resp.status_code == 404
        assert resp.get_json() == {"ok": False, "status": 404, "error": resp.get_json()["error"]}
    page = client.get("/places/nope")
    assert page.status_code == 404 and "<h1>404</h1>" in page.get_data(as_text=True)
    bad = client.get("/places?lang=fr")
    assert bad.status_code == 400 and "lang" in bad.get_data(as_text=True)
    assert "Traceback" not in bad.get_data(as_text=True)


def test_names_from_the_url_are_escaped(client: FlaskClient) -> None:
    resp = client.get("/places/<script>alert(1)</script>")
    assert resp.status_code == 404 and "<script>alert" not in resp.get_data(as_text=True)


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("lang=fr", "lang"),
        ("layers=facility,castle", "layers"),
        ("district=Atlantis", "district"),
        ("year=1999", "year"),
        ("year=abc", "year"),
        ("status=demolished", "status"),
        ("metric=<b>", "metric"),
        ("basemap=google", "basemap"),
        ("basemap=tianditu", "basemap"),  # not offered without a key
        ("zoom=40", "zoom"),
        ("zoom=-1", "zoom"),
        ("center=31.2", "center"),
        ("center=north,east", "center"),
        ("center=91,121", "center"),
    ],
)
def test_map_url_state_is_validated_with_a_400_naming_the_parameter(
    client, query: str, parameter: str
) -> None:  # type: ignore[no-untyped-def]
    response = client.get(f"/?{query}")
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert parameter in body
    assert "Traceback" not in body and "<b>" not in body


def test_a_full_map_url_state_is_accepted(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get(
        "/?lang=en&layers=hubs,facility&district=Pudong&year=2030&status=operating"
        "&metric=facility&basemap=gaode&center=31.2,121.5&zoom=11"
    )
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("category=castle", "category"),
        ("bbox=1,2,3", "bbox"),
        ("q=" + "x" * 101, "q"),
        ("fixed=yes", "fixed"),
    ],
)
def test_export_filters_are_validated_on_the_map_too(client, query: str, parameter: str) -> None:  # type: ignore[no-untyped-def]
    response = client.get(f"/?{query}")
    assert response.status_code == 400 and parameter in response.get_data(as_text=True)


def test_an_unplaced_shanghai_place_is_not_called_outside_shanghai(
    fixture_inputs: Inputs, tmp_path: Path
) -> None:
    places = fixture_inputs.gazetteer_dir / "places.csv"
    text = places.read_text(encoding="utf-8").replace(
        ",national_lab,,浦东新区,121.93,30.90,area,area point: 临港 滴水湖,true,",
        ",national_lab,,,,,,,true,",
    )
    places.write_text(text, encoding="utf-8")
    build(tmp_path / "build", fixture_inputs)
    client = create_app({"BUILD_DIR": tmp_path / "build"}).test_client()
    page = client.get("/places/lingang-laboratory?lang=en").get_data(as_text=True)
    assert "Shanghai (district unknown)" in page and "Not on the map" in page
    assert "Outside Shanghai" not in page and "None, None" not in page
    assert "On the map" not in page  # nothing to show there
    listing = client.get("/places?lang=zh").get_data(as_text=True)
    row = listing[listing.index("临港实验室") :].split("</tr>")[0]
    assert "所在区未知" in row and "不在地图上" in row


def test_place_page_links_each_status_to_the_sentence_that_decides_it(client: FlaskClient) -> None:
    twin = client.get("/places/ssrf-phase-ii.json").get_json()["place"]
    decided = [t for t in twin["timeline"] if t["line"] is not None]
    assert decided and all(t["basis"] in ("sentence", "heading") for t in decided)
    for lang, word in (("en", "decides the status"), ("zh", "定状态")):
        page = client.get(f"/places/ssrf-phase-ii?lang={lang}").get_data(as_text=True)
        for t in decided:
            anchor = f"cite-{t['report']}-{t['line']}"
            assert f'href="#{anchor}"' in page  # the timeline links to the citation…
            cited = page.split(f'<li id="{anchor}"', 1)[1].split("</li>", 1)[0]
            assert 'class="im-decides"' in cited and word in cited  # …which says it decides
    # The loaded data is shared by every request: the page's anchors are not written into it.
    listed = client.get("/places.json").get_json()["places"]
    assert not any("anchor" in t for p in listed for t in p["timeline"])


def test_a_status_inferred_from_the_category_says_so_and_links_nowhere(
    client: FlaskClient,
) -> None:
    twin = client.get("/places/fudan-university.json").get_json()["place"]
    assert [(t["status"], t["basis"], t["line"]) for t in twin["timeline"]] == [
        ("operating", "category", None)
    ]
    page = client.get("/places/fudan-university?lang=en").get_data(as_text=True)
    assert "(inferred)" in page and "im-decides" not in page
