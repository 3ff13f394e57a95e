"""A gazetteer row and report line full of markup must stay inert everywhere it is shown.

The name holds a <script>, the English name an <img onerror>, the alias a quote-breaking
attribute, and the coordinate note a javascript: URL; the report line quoting it is the
citation. Every page, popup, search result, embed and export must show it as text.
"""

from __future__ import annotations

import csv
import hashlib
import json
import shutil
from pathlib import Path

import pytest
from buildcache import built
from flask import Flask

from geo import settings
from geo.pipeline import Inputs
from mapapp import create_app

DATA = Path(__file__).parent / "data"
EVIL_ZH = "<script>window.__pwned=1</script>恶意实验室"
EVIL_EN = '<img src=x onerror="window.__pwned=2">Evil Lab'
EVIL_ALIAS = '"><img src=x onerror=window.__pwned=3>恶意'
EVIL_SOURCE = "javascript:window.__pwned=4"
MARKERS = ("<script>window.__pwned", "<img src=x onerror")


def evil_inputs(root: Path) -> Inputs:
    for sub in ("reports", "gazetteer", "hubs"):
        shutil.copytree(DATA / sub, root / sub)
    report = root / "reports" / "2030_mini_report.txt"
    text = report.read_text(encoding="utf-8")
    # Insert before the district section so its line numbers stay as the manifest says.
    lines = text.split("\n")
    lines[2] = lines[2] + f"另建{EVIL_ZH}，又称{EVIL_ALIAS}。"
    report.write_text("\n".join(lines), encoding="utf-8")
    manifest_path = root / "reports" / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["reports"][0]["sha256"] = hashlib.sha256(report.read_bytes()).hexdigest()
    manifest_path.write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    with (root / "gazetteer" / "places.csv").open("a", encoding="utf-8", newline="") as f:
        csv.writer(f).writerow(
            [
                "evil-lab",
                EVIL_ZH,
                EVIL_EN,
                EVIL_ALIAS,
                "key_lab",
                "",
                "浦东新区",
                "121.6",
                "31.2",
                "area",
                EVIL_SOURCE,
                "true",
                "injection test",
            ]
        )
    return Inputs(
        root / "reports",
        root / "gazetteer",
        settings.BOUNDARIES_FILE,
        root / "hubs" / "hubs.geojson",
    )


@pytest.fixture(scope="module")
def evil_app(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    root = tmp_path_factory.mktemp("evil")
    out = built(evil_inputs(root)).dir  # the same content as the browser test's: one build
    return create_app({"BUILD_DIR": out, "TESTING": True, "RUN_DIR": root / "run"})


def test_the_evil_place_is_built_with_its_citation(evil_app: Flask) -> None:
    place = evil_app.test_client().get("/places/evil-lab.json").get_json()["place"]
    assert place["name_zh"] == EVIL_ZH and place["coord_source"] == EVIL_SOURCE
    assert any(EVIL_ZH in s["quote"] or "恶意" in s["quote"] for s in place["sources"])


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/?lang=en",
        "/embed?lang=en",
        "/places",
        "/places?lang=en",
        "/places/evil-lab",
        "/districts/浦东新区",
        "/ogc/collections/places/items?f=html",
        "/ogc/collections/places/items/evil-lab?f=html",
        "/export/map.html",
    ],
)
def test_pages_never_contain_live_markup(evil_app: Flask, url: str) -> None:
    body = evil_app.test_client().get(url).get_data(as_text=True)
    assert "恶意实验室" in body or "\\u6076" in body or "恶意" in body  # the place is there …
    for marker in MARKERS:
        assert marker not in body, (url, marker)  # … but never as markup
    assert 'href="javascript:' not in body


def test_exports_keep_the_text_as_data(evil_app: Flask) -> None:
    client = evil_app.test_client()
    geojson = client.get("/api/places.geojson").get_json()
    evil = next(f for f in geojson["features"] if f["id"] == "evil-lab")
    assert evil["properties"]["name_zh"] == EVIL_ZH  # data stays exact in JSON
    kml = client.get("/api/places.kml").get_data(as_text=True)
    assert "<script>window" not in kml and "&lt;script&gt;window.__pwned=1" in kml
    csv_text = client.get("/api/places.csv").get_data(as_text=True)
    assert EVIL_ZH in csv_text  # CSV is data; no cell starts with a formula character
    for row in csv.reader(csv_text.splitlines()[1:]):
        assert not any(cell[:1] in ("=", "+", "-", "@", "\t", "\r") for cell in row)


def test_csv_cells_that_look_like_formulas_are_defused() -> None:
    import pandas as pd

    from geo.formats import defuse_formulas

    # OWASP's prefixes: = + - @ tab and carriage return.
    cells = ["=HYPERLINK(1)", "+1", "-1+2", "@x", "\tcmd", "\r=1", "ok", None]
    frame = defuse_formulas(pd.DataFrame({"a": cells, "n": range(len(cells))}))
    assert list(frame["a"])[:7] == [
        "'=HYPERLINK(1)",
        "'+1",
        "'-1+2",
        "'@x",
        "'\tcmd",
        "'\r=1",
        "ok",
    ]
    assert list(frame["n"]) == list(range(len(cells)))
