"""Popups people can cite: clean quotes cut at boundaries, report titles, links, languages."""

from __future__ import annotations

from typing import Any

import pytest

from layers.popups import clean_quote, coord_note, popup_html

PLACE: dict[str, Any] = {
    "id": "ssrf",
    "name_zh": "上海光源",
    "name_en": "Shanghai Synchrotron Radiation Facility",
    "category": "facility",
    "parent_id": "zj-city",
    "district_zh": "浦东新区",
    "status": "operating",
    "precision": "campus",
    "coord_source": "curator: known campus location (core point)",
    "sources": [
        {"report": f"r{y}", "year": y, "line": 10 + i, "quote": "## 上海光源**8**条线站建成"}
        for i, y in enumerate([2021, 2022, 2023, 2025, 2025, 2025])
    ],
}
REPORTS = {f"r{y}": (y, f"Report of {y}") for y in (2021, 2022, 2023, 2025)}
NAMES = {"zj-city": ("张江科学城", "Zhangjiang Science City")}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("## 张江科学城创新活力持续提升", "张江科学城创新活力持续提升"),
        ("### 加快建设", "加快建设"),
        ("- 上海光源**8**条线站", "上海光源8条线站"),
        ("1. 建成[上海光源](http://x)二期", "建成上海光源二期"),
        ("**持续推进**，依托临港", "持续推进，依托临港"),
    ],
)
def test_markdown_is_removed(raw: str, expected: str) -> None:
    assert clean_quote(raw) == expected


def test_a_window_is_cut_at_clause_boundaries_around_the_name() -> None:
    # 80 characters: a window on a longer line; both ends fall mid-clause.
    raw = (
        "江高新区改革创新,加强市区统筹协调,23家分园“一园一方案”全部印发实施。"
        "聚焦张江再出发,加快建设国际一流科学城;市区联动落实“大零号湾”科技创新策源功能区、长"
    )
    assert len(raw) == 80
    out = clean_quote(raw, keep="大零号湾")
    assert out.startswith("…") and out.endswith("…")
    assert "大零号湾" in out and "江高新区" not in out and not out.endswith("长…")
    assert len(out) <= 62


def test_never_cut_inside_a_number_or_a_latin_word() -> None:
    raw = (
        "大学科技园和各类科创承载区加快发展。制定发布《关于推进张江高新区改革发展建设世界领先"
        "科技园区的若干意见》《张江高新区加快世界领先科技园区建设行动方案（2023—"
    )
    out = clean_quote(raw, keep="张江高新区")
    assert "（202" not in out and out.endswith("…")
    latin = "The Shanghai Synchrotron Radiation Facility is operating and its second phase was launched in 2023 with more lines"
    out = clean_quote(latin, keep="Shanghai Synchrotron")
    assert out.endswith("…") and "Shanghai Synchrotron Radiation Facility" in out
    words = out.strip("…").split(" ")
    assert all(w in latin.split(" ") for w in words)


def test_a_short_quote_is_kept_whole() -> None:
    assert clean_quote("上海光源运行良好。") == "上海光源运行良好。"


def test_popup_cites_report_title_and_year_and_links_the_place() -> None:
    en = popup_html(PLACE, "en", NAMES, reports=REPORTS, links="/map")
    assert "<cite>2021 · Report of 2021, line 10</cite>" in en
    assert "<q>上海光源8条线站建成</q>" in en and "**" not in en and "##" not in en
    assert '<a href="/map/places/ssrf?lang=en#sources">+3 more</a>' in en
    assert '<a href="/map/places/ssrf?lang=en">Details page</a>' in en
    assert '<a href="/map/places/zj-city?lang=en">Zhangjiang Science City</a>' in en
    assert "<td>Pudong</td>" in en and "浦东新区" not in en.split("</b>", 1)[1]
    zh = popup_html(PLACE, "zh", NAMES, reports={"r2021": (2021, "二〇二一报告")}, links="")
    assert "<cite>2021 · 二〇二一报告，第 10 行</cite>" in zh
    assert '<a href="/places/ssrf?lang=zh#sources">另 3 处出处</a>' in zh
    assert "浦东新区" in zh


def test_coordinate_notes_in_chinese() -> None:
    zh = popup_html(PLACE, "zh", NAMES)
    assert "整理者标注的已知园区位置" in zh and 'lang="en">(curator: known campus' in zh
    assert coord_note("district point: 浦东新区", "zh") == "区的代表点（仅知所在区）"
    assert coord_note("parent: zhangjiang-science-city", "zh") == "沿用所属地点的位置"
    assert coord_note("浦东新区 area point", "zh") == "片区代表点"
    assert coord_note("something else", "zh") == "something else"


def test_a_bracket_left_open_at_the_end_is_dropped() -> None:
    raw = "设备进场安装及光速线站贯通；上海光源、国家蛋白质科学研究（上"
    assert (
        clean_quote(raw, keep="上海光源")
        == "设备进场安装及光速线站贯通；上海光源、国家蛋白质科学研究…"
    )
    assert clean_quote("上海光源(光源1期、光源2期)") == "上海光源(光源1期、光源2期)"
