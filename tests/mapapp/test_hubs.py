"""Hub pages: /hubs/<id> and its JSON twin list the hub's places, statuses and sentences."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from buildcache import Built
from flask.testing import FlaskClient

from mapapp import create_app


@pytest.fixture(scope="module")
def client(parity_build: Path) -> FlaskClient:
    return create_app({"BUILD_DIR": parity_build}).test_client()


def test_hub_json_lists_places_by_category_and_sentences(client: FlaskClient) -> None:
    response = client.get("/hubs/zhangjiang-science-city.json")
    assert response.status_code == 200
    doc = response.get_json()
    assert doc["ok"] is True
    assert doc["hub"]["shape"] == "outline"
    assert "not an official boundary" in doc["hub"]["note"]["en"]
    assert doc["count"] == sum(len(c["places"]) for c in doc["categories"])
    for group in doc["categories"]:
        for place in group["places"]:
            assert {"id", "name_zh", "timeline"} <= set(place)
    assert all({"quote", "report", "line"} <= set(s) for s in doc["sentences"])


def test_hub_page_is_html_with_its_twin_link(client: FlaskClient) -> None:
    response = client.get("/hubs/zhangjiang-science-city?lang=en")
    assert response.status_code == 200
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert "Zhangjiang" in soup.h1.get_text()
    assert soup.find(
        "a", href=lambda h: bool(h) and h.endswith("/hubs/zhangjiang-science-city.json")
    )
    assert "Sentences that name the hub" in soup.get_text()


def test_an_unknown_hub_is_a_404_in_the_one_error_shape(client: FlaskClient) -> None:
    response = client.get("/hubs/atlantis.json")
    assert response.status_code == 404
    assert response.get_json()["ok"] is False


def test_hub_page_says_each_status_as_the_popup_does(shipped_build: Built) -> None:
    from layers.popups import timeline_text

    client = create_app({"BUILD_DIR": shipped_build.dir}).test_client()
    hub = client.get("/hubs/zhangjiang-science-city.json").get_json()
    places = [p for group in hub["categories"] for p in group["places"] if p["timeline"]]
    assert any(t["basis"] == "category" for p in places for t in p["timeline"])
    for lang in ("en", "zh"):
        page = client.get(f"/hubs/zhangjiang-science-city?lang={lang}").get_data(as_text=True)
        for place in places:  # the same words, "(inferred)" included, escaped as HTML text
            assert f"<td>{timeline_text(place, lang)}</td>" in page
