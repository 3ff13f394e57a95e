from __future__ import annotations

from typing import Any

from geo.gazetteer import CATEGORIES
from layers.i18n import CATEGORY_TITLES, LANGS
from layers.popups import popup_html, tooltip_html
from layers.style import CATEGORY_STYLES, OKABE_ITO, style_for

PLACE: dict[str, Any] = {
    "id": "x",
    "name_zh": "张江实验室<script>alert(1)</script>",
    "name_en": 'Zhangjiang Lab "><img src=x onerror=alert(1)>',
    "category": "national_lab",
    "district_zh": "浦东新区",
    "status": "operating",
    "precision": "area",
    "coord_source": "javascript:alert(1)",
    "sources": [
        {
            "report": "2025_st_progress_report",
            "year": 2025,
            "line": 12,
            "quote": "<b>张江实验室</b>运行",
        }
    ],
}


def test_every_category_has_a_style_and_titles_in_both_languages() -> None:
    assert set(CATEGORY_STYLES) == set(CATEGORIES) == set(CATEGORY_TITLES)
    for titles in CATEGORY_TITLES.values():
        assert set(titles) == set(LANGS)
    assert {s.color for s in CATEGORY_STYLES.values()} <= set(OKABE_ITO.values())
    # Categories sharing a colour must differ by icon.
    pairs = [(s.color, s.icon) for s in CATEGORY_STYLES.values()]
    assert len(set(pairs)) == len(pairs)
    assert style_for("nope").icon == "location-dot"


def test_popup_escapes_everything_and_cites_its_source() -> None:
    for lang in LANGS:
        html = popup_html(PLACE, lang)
        assert "<script>" not in html and "<img" not in html and "<b>张江实验室</b>" not in html
        assert "&lt;script&gt;" in html
        assert "2025_st_progress_report" in html  # no title known: the report's id
    assert "2025_st_progress_report，第 12 行</cite>" in popup_html(PLACE, "zh")
    assert "2025_st_progress_report, line 12</cite>" in popup_html(PLACE, "en")
    assert "国家实验室" in popup_html(PLACE, "zh") and "运行中" in popup_html(PLACE, "zh")
    assert "National labs" in popup_html(PLACE, "en") and "Operating" in popup_html(PLACE, "en")


def test_tooltip_puts_the_chosen_language_first() -> None:
    assert tooltip_html(PLACE, "zh").startswith("<b>张江实验室&lt;script")
    assert tooltip_html(PLACE, "en").startswith("<b>Zhangjiang Lab &quot;&gt;")


def test_outside_shanghai_and_unstated_status() -> None:
    place = dict(PLACE, district_zh=None, status=None, precision="district")
    html = popup_html(place, "en")
    assert "Outside Shanghai" in html and "Not stated" in html and "District only" in html


def test_popup_shows_the_timeline_and_the_family_by_name_escaped() -> None:
    place = dict(
        PLACE,
        parent_id="park",
        timeline=[
            {"report": "a", "year": 2021, "status": "planned"},
            {"report": "b", "year": 2022, "status": None},
            {"report": "c", "year": 2025, "status": "operating"},
        ],
    )
    names = {"park": ("张江科学城", "Zhangjiang <Science> City")}
    names |= {f"c{i}": (f"子{i}", f"Child {i}") for i in range(10)}
    children = [f"c{i}" for i in range(10)]
    en = popup_html(place, "en", names, children)
    assert "2021 Planned → 2022 Not stated → 2025 Operating" in en
    assert (
        'Part of</th><td><a href="/places/park?lang=en">Zhangjiang &lt;Science&gt; City</a>' in en
    )
    assert "Child 0, Child 1" in en and "Child 7 … +2" in en and "Child 8" not in en
    zh = popup_html(place, "zh", names, children)
    assert "2021 规划 → 2022 未说明 → 2025 运行中" in zh
    assert '所属</th><td><a href="/places/park?lang=zh">张江科学城</a>' in zh and "子0、子1" in zh


def test_popup_marks_a_status_inferred_from_the_category() -> None:
    place = dict(
        PLACE,
        timeline=[
            {"report": "a", "year": 2022, "status": "launched", "basis": "sentence", "line": 4},
            {"report": "c", "year": 2025, "status": "operating", "basis": "category"},
        ],
    )
    # A status a report states reads as it is; one the build infers says so.
    assert "2022 Launched → 2025 Operating (inferred)" in popup_html(place, "en")
    assert "2022 启动/揭牌 → 2025 运行中（推定）" in popup_html(place, "zh")


def test_popup_marks_the_citation_that_decides_a_status() -> None:
    place = dict(
        PLACE,
        timeline=[{"report": "2025_st_progress_report", "year": 2025, "status": "operating",
                   "basis": "sentence", "line": 12}],
        sources=[*PLACE["sources"], {"report": "2025_st_progress_report", "year": 2025,
                                     "line": 30, "quote": "张江实验室"}],
    )  # fmt: skip
    for lang, word in (("en", "decides the status"), ("zh", "定状态")):
        items = popup_html(place, lang).split("<li>")[1:]
        assert word in items[0] and word not in items[1]  # line 12 decides, line 30 does not
