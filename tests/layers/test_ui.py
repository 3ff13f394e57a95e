from __future__ import annotations

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point

from geo.query import PlaceIndex, PlaceQuery
from layers.basemaps import basemaps
from layers.specs import LAYER_SPECS
from layers.ui import district_names, panel_html, share_dialog, ui_payload


def _places() -> gpd.GeoDataFrame:
    rows = [
        # id, category, district, years, in Shanghai, placed
        ("a", "facility", "浦东新区", [2021, 2025], True, True),
        ("b", "facility", "浦东新区", [2025], True, True),
        ("c", "university", "徐汇区", [2022], True, True),
        ("d", "platform", None, [2022], True, False),  # unplaced: listed, not drawn
        ("e", "facility", None, [2025], False, True),  # outside Shanghai
    ]
    return gpd.GeoDataFrame(
        {
            "id": [r[0] for r in rows],
            "name_zh": [f"地点{r[0]}" for r in rows],
            "name_en": [f"Place <{r[0]}>" for r in rows],
            "aliases": [[] for _ in rows],
            "category": [r[1] for r in rows],
            "district_zh": [r[2] for r in rows],
            "years": [r[3] for r in rows],
            "timeline": [[{"year": y, "status": "planned"} for y in r[3]] for r in rows],
            "status": ["planned"] * len(rows),
            "precision": ["campus" if r[5] else None for r in rows],
            "coord_source": ["test" for _ in rows],
            "sources": [[{"report": "r2025", "line": 3, "quote": "<q>"}] for _ in rows],
            "in_shanghai": [r[4] for r in rows],
        },
        geometry=[Point(121.5, 31.2) if r[5] else None for r in rows],
        crs=4326,
    )


def _payload(lang: str = "en", places: gpd.GeoDataFrame | None = None) -> dict:  # type: ignore[type-arg]
    districts = gpd.GeoDataFrame(
        {"name_zh": ["浦东新区", "徐汇区"], "name_en": ["Pudong", "Xuhui"]},
        geometry=[Point(121.6, 31.2), Point(121.4, 31.2)],
        crs=4326,
    )
    profiles = pd.DataFrame(
        [
            {
                "report": "r2025",
                "year": 2025,
                "district_zh": "浦东新区",
                "headline": "标题",
                "text": "正文",
                "line_start": 12,
            }
        ]
    )
    return ui_payload(
        _places() if places is None else places,
        districts,
        profiles,
        lang=lang,  # type: ignore[arg-type]
        names={"map": "m", "control": "c", "districts": "d"},
        specs=LAYER_SPECS,
        layer_vars={s.id: f"fg_{s.id}" for s in LAYER_SPECS},
        choices=basemaps(),
        metadata={"sources": [{"report": "r2025", "year": 2025, "title_en": "Report 2025"}]},
        links="",
    )


def test_payload_lists_every_place_and_draws_those_with_a_point() -> None:
    payload = _payload()
    layer = {p["id"]: p["layer"] for p in payload["places"]}
    # The layer as PlaceQuery reads it, also for a place without a point (d).
    assert layer == {
        "a": "facility",
        "b": "facility",
        "c": "university",
        "d": "platform",
        "e": "outside_shanghai",
    }
    # One marker row per place with a point: [lat, lon, id, layer, precision].
    assert payload["markers"] == [
        [31.2, 121.5, "a", "facility", "campus"],
        [31.2, 121.5, "b", "facility", "campus"],
        [31.2, 121.5, "c", "university", "campus"],
        [31.2, 121.5, "e", "outside_shanghai", "campus"],
    ]
    assert payload["years"] == [2021, 2022, 2025]
    pudong = payload["districts"][0]
    assert pudong["profiles"] == [
        {"year": 2025, "report": "r2025", "line": 12, "headline": "标题", "text": "正文"}
    ]
    assert payload["reports"]["r2025"] == {"year": 2025, "title": "Report 2025"}
    assert set(payload["popups"]) == {"a", "b", "c", "e"}  # every drawn place has its popup
    assert "Place &lt;a&gt;" in payload["popups"]["a"] and "&lt;q&gt;" in payload["popups"]["a"]
    assert all(not layer["cluster"] and not layer["aggregated"] for layer in payload["layers"])


def test_a_missing_status_reads_not_stated_in_the_popup_never_nan() -> None:
    # A status the reports never state is missing in the build (NaN in the frame); the popup
    # said "Status nan" for 56 places, 张江实验室 among them.
    places = _places()
    places["status"] = places["status"].astype(object)
    places.loc[places["id"] == "a", "status"] = float("nan")
    for lang, words in (("en", "Not stated"), ("zh", "未说明")):
        popup = _payload(lang, places)["popups"]["a"]
        assert ">nan<" not in popup and words in popup


def test_payload_values_are_the_ones_the_query_reads() -> None:
    places = _places()
    index = PlaceIndex.of(places)
    payload = {p["id"]: p for p in _payload()["places"]}
    for label, row in places.iterrows():
        entry = payload[row["id"]]
        assert entry["layer"] == index.layer[label]
        assert "\x1f".join(entry["keys"]) == index.keys[label]
        assert sorted(f"{y}:{s}" for y, s in entry["tl"].items()) == sorted(
            index.year_status[[label]].dropna()
        )


def test_district_names_are_the_ones_the_query_accepts() -> None:
    names = district_names()
    for given in ("浦东新区", "浦东", "Pudong", "pudong", "PUDONG"):
        expected = PlaceQuery.parse({"district": given}, report_years=[]).districts
        assert (names.get(given) or names.get(given.lower()),) == expected


def test_share_dialog_offers_places_without_a_point_unchecked() -> None:
    html = share_dialog(_payload("en"))
    assert '<input type="checkbox" id="im-dl-unplaced">' in html
    assert "include 0 places without a point" in html


def test_panel_is_bilingual_and_escaped() -> None:
    en, zh = panel_html(_payload("en")), panel_html(_payload("zh"))
    assert "Report year" in en and 'href="?lang=zh"' in en
    assert "报告年份" in zh and 'href="?lang=en"' in zh
    assert '<option value="浦东新区">Pudong</option>' in en
    assert "Company R&amp;D hubs" in en  # every label escaped


def test_the_download_dialog_offers_every_registered_format() -> None:
    import re

    from geo.formats import FORMATS
    from layers.i18n import UI_WORDS
    from layers.ui import PAGE_WORDS

    t = {k: v["en"] for k, v in (UI_WORDS | PAGE_WORDS).items()}
    html = share_dialog({"lang": "en", "links": "", "t": t})
    offered = re.findall(
        r'<option value="([^"]+)"', html.split('id="im-dl-format"')[1].split("</select>")[0]
    )
    assert offered == list(FORMATS)
