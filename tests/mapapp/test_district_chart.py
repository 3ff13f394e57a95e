"""The district chart: one SVG (layers/charts.py) on the district page and behind the panel,
whose numbers are the server's own counts per category and report year."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from bs4 import BeautifulSoup
from flask import Flask

from layers.charts import chart_svg, counts_by_year
from layers.style import style_for

SVG = "{http://www.w3.org/2000/svg}"


def _bars(svg: str) -> dict[int, dict[str, int]]:
    """{year: {category: n}} read back from the drawn bars."""
    root = ET.fromstring(svg)
    out: dict[int, dict[str, int]] = {}
    for g in root.iter(f"{SVG}g"):
        year = int(g.attrib["data-year"])
        out[year] = {r.attrib["data-cat"]: int(r.attrib["data-n"]) for r in g.iter(f"{SVG}rect")}
    return out


def test_counts_by_year_counts_each_place_once_per_year_it_is_named() -> None:
    rows = [
        {"category": "facility", "years": [2021, 2025]},
        {"category": "facility", "years": [2025]},
        {"category": "university", "years": [2022, 2099]},  # a year not asked for is ignored
        {"category": "venue", "years": []},
    ]
    assert counts_by_year(rows, [2021, 2022, 2025]) == {
        2021: {"facility": 1},
        2022: {"university": 1},
        2025: {"facility": 2},
    }


def test_the_chart_is_an_accessible_svg_that_draws_exactly_its_counts() -> None:
    counts = {
        2021: {"national_lab": 2, "research_institute": 3},
        2025: {"facility": 4, "venue": 1},
    }
    svg = chart_svg(counts, "en", name="Pudong")
    root = ET.fromstring(svg)
    assert root.attrib["role"] == "img"
    labelled = root.attrib["aria-labelledby"].split()
    ids = {e.attrib.get("id"): e for e in root.iter() if e.attrib.get("id")}
    assert all(i in ids for i in labelled)
    assert (ids[labelled[0]].text or "").startswith("Pudong: Places named")
    desc = ids[labelled[1]].text or ""
    assert "2021: 5 places" in desc and "Big-science facilities 4" in desc
    assert _bars(svg) == counts
    # The map's colours; the second category of a shared colour (research institutes share
    # national labs' blue) is hatched, so neighbours in a bar differ.
    fills = {
        r.attrib["data-cat"]: r.attrib["fill"]
        for r in root.iter(f"{SVG}rect")
        if "data-cat" in r.attrib
    }
    assert fills["national_lab"] == style_for("national_lab").color
    assert fills["research_institute"].startswith("url(#")
    assert "style=" not in svg and "<script" not in svg  # the app's CSP allows neither
    zh = chart_svg(counts, "zh", name="浦东新区")
    assert "重大科技基础设施" in zh and "Big-science" not in zh


def test_names_are_escaped() -> None:
    svg = chart_svg({2021: {"<b>": 1}}, "en", name='A & "B" <c>')
    ET.fromstring(svg)  # still well-formed
    assert "<b>" not in svg and "&lt;c&gt;" in svg


@pytest.mark.parametrize("name", ["浦东新区", "Pudong"])
def test_district_json_page_and_svg_agree_with_the_places_query(
    fixture_app: Flask, name: str
) -> None:
    client = fixture_app.test_client()
    detail = client.get(f"/districts/{name}.json").get_json()
    by_year = {int(y): c for y, c in detail["by_year"].items()}
    years = fixture_app.extensions["innovation_map"].data.report_years
    assert sorted(by_year) == list(years)
    # The same numbers from the public query: places of the district named in that year.
    for year in years:
        features = client.get(
            f"/api/places.geojson?district={name}&year={year}&unplaced=1"
        ).get_json()["features"]
        expected: dict[str, int] = {}
        for f in features:
            expected[f["properties"]["category"]] = expected.get(f["properties"]["category"], 0) + 1
        assert by_year[year] == expected
    assert any(by_year.values()), "the fixture district has places to chart"
    svg = client.get(f"/districts/{name}/chart.svg?lang=en")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
    assert _bars(svg.get_data(as_text=True)) == {y: c for y, c in by_year.items()}
    page = BeautifulSoup(
        client.get(f"/districts/{name}?lang=zh").get_data(as_text=True), "html.parser"
    )
    inline = page.select_one("figure.chart svg[role=img]")
    assert inline is not None and _bars(str(inline)) == by_year
    assert "浦东新区" in (inline.find("title").get_text() if inline.find("title") else "")


def test_chart_of_an_unknown_district_is_404_and_a_bad_parameter_400(fixture_app: Flask) -> None:
    client = fixture_app.test_client()
    assert client.get("/districts/Atlantis/chart.svg").status_code == 404
    response = client.get("/districts/Pudong/chart.svg?colour=red")
    assert response.status_code == 400 and "colour" in response.get_data(as_text=True)
