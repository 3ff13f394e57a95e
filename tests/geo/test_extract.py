from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from geo.extract import candidates_from_corpus, mentions_from_report
from geo.gazetteer import Gazetteer, Place, validate_gazetteer
from geo.reports import load_corpus
from geo.status_rules import status_of

DATA = Path(__file__).parents[1] / "data"


def _mentions(gazetteer: Gazetteer):  # type: ignore[no-untyped-def]
    (rt,) = load_corpus(DATA / "reports")
    return rt, mentions_from_report(rt, gazetteer)


def test_longest_name_wins(fixture_gazetteer: Gazetteer) -> None:
    _, mentions = _mentions(fixture_gazetteer)
    phase2 = [m for m in mentions if m.place_id == "ssrf-phase-ii"]
    assert phase2 and phase2[0].matched == "上海光源二期"
    # "上海光源二期" must not also count as a mention of 上海光源 itself.
    ssrf_lines = [
        m.line for m in mentions if m.place_id == "shanghai-synchrotron-radiation-facility"
    ]
    assert all(m.matched != "上海光源" for m in mentions if m.line in ssrf_lines)


def test_wrapped_spaced_and_full_width_names_are_found(fixture_gazetteer: Gazetteer) -> None:
    _, mentions = _mentions(fixture_gazetteer)
    lee = [m for m in mentions if m.place_id == "tsung-dao-lee-institute"]
    assert [m.line for m in lee] == [7]  # 李政道研究 / 所 starts on line 7
    fel_lines = sorted(m.line for m in mentions if m.place_id == "hard-x-ray-fel")
    assert fel_lines == [7, 8]  # 硬 X 射线 (spaced) and 硬Ｘ射线 (full-width)


def test_duplicated_passage_counts_once_and_cites_the_first(fixture_gazetteer: Gazetteer) -> None:
    _, mentions = _mentions(fixture_gazetteer)
    lines = [m.line for m in mentions if m.place_id == "shanghai-synchrotron-radiation-facility"]
    assert lines == [6]  # the passage is repeated on line 13


def test_generic_words_create_no_mentions(fixture_gazetteer: Gazetteer) -> None:
    _, mentions = _mentions(fixture_gazetteer)
    # Line 10-11 holds 蛋白质, 转化医学, 西岸, 虹桥 as ordinary words.
    assert not [m for m in mentions if m.line in (10, 11)]


def test_quotes_inside_a_name_match(fixture_gazetteer: Gazetteer) -> None:
    _, mentions = _mentions(fixture_gazetteer)
    assert [m.line for m in mentions if m.place_id == "yangpu-xiudai"] == [15]


def test_quote_is_copied_from_the_original_line(fixture_gazetteer: Gazetteer) -> None:
    rt, mentions = _mentions(fixture_gazetteer)
    for m in mentions:
        assert m.quote and len(m.quote) <= 80
        assert m.quote in rt.lines[m.line - 1]


def test_status_from_wording() -> None:
    assert status_of("上海光源二期基本建成", "") == "under_construction"
    assert status_of("上海同步辐射光源已服务用户超过3000家", "") == "operating"
    assert status_of("临港实验室揭牌成立", "") == "launched"
    assert status_of("谋划建设合肥综合性国家科学中心合作项目", "") == "planned"
    assert status_of("用户来自复旦大学", "复旦大学很好") is None


def test_statuses_in_the_fixture(fixture_gazetteer: Gazetteer) -> None:
    _, mentions = _mentions(fixture_gazetteer)
    status = {}
    for m in mentions:
        status.setdefault(m.place_id, m.status)  # the first mention of each place
    assert status["lingang-laboratory"] == "launched"
    assert status["zhangjiang-drug-base"] == "operating"
    assert status["hard-x-ray-fel"] == "under_construction"


def test_candidates_list_unknown_place_names_only(fixture_gazetteer: Gazetteer) -> None:
    corpus = load_corpus(DATA / "reports")
    names = [c.name for c in candidates_from_corpus(corpus, fixture_gazetteer)]
    assert "杨“数”浦新质秀带" not in names  # covered by a longer known name
    assert "张江创新药基地" not in names
    with_unknown = candidates_from_corpus(corpus, fixture_gazetteer, excluded=[])
    assert all(c.line > 0 and c.quote for c in with_unknown)


def test_a_place_missing_from_the_gazetteer_becomes_a_candidate(
    fixture_gazetteer: Gazetteer,
) -> None:
    corpus = load_corpus(DATA / "reports")
    smaller = Gazetteer(tuple(p for p in fixture_gazetteer.places if p.id != "lingang-laboratory"))
    found = {c.name: c for c in candidates_from_corpus(corpus, smaller)}
    assert "临港实验室" in found
    assert found["临港实验室"].line == 15
    assert "临港实验室" not in {c.name for c in candidates_from_corpus(corpus, fixture_gazetteer)}
    excluded = candidates_from_corpus(corpus, smaller, excluded=["临港实验室"])
    assert "临港实验室" not in {c.name for c in excluded}


def test_grouping_headings_set_the_status_of_the_places_under_them() -> None:
    from geo.extract import heading_statuses

    lines = [
        "## 1.6 重大科技基础设施",
        "### 在建中",
        "#### 硬X射线自由电子激光装置",
        "- 完成建安综合验收",
        "### 国家海底科学观测网",
        "## 已建成",
        "### 上海同步辐射光源",
        "## 规划建设",
        "### 小型模块化钍基熔盐堆研究设施",
        "# 2",
        "张江实验室",
    ]
    got = heading_statuses(lines)
    assert got[2] == got[3] == got[4] == "under_construction"  # "验收" does not override
    assert got[6] == "operating"
    assert got[8] == "planned"
    assert got[0] is None and got[10] is None


def test_real_2025_facility_groups() -> None:
    from geo.gazetteer import load_gazetteer

    rt = next(r for r in load_corpus() if r.report.year == 2025)
    mentions = mentions_from_report(rt, load_gazetteer())
    first = {}
    for m in mentions:
        first.setdefault(m.place_id, m.status)
    assert first["shanghai-hard-x-ray-fel"] == "under_construction"
    assert first["tmsr-thorium-molten-salt-reactor"] == "planned"


def test_a_list_alias_names_each_item_of_a_list_sharing_one_ending(
    make_place: Callable[..., Place],
) -> None:
    # 2021 plan L1360-1364: "持续推进代谢性疾病、消化系统疾病、…、口腔疾病等国家临床医学研究中心建设。"
    plan = next(rt for rt in load_corpus() if rt.report.id.startswith("2021"))
    gazetteer = Gazetteer(
        (
            make_place(
                "metabolic", "国家代谢性疾病临床医学研究中心", "代谢性疾病…国家临床医学研究中心"
            ),
            make_place("oral", "国家口腔疾病临床医学研究中心", "口腔疾病…国家临床医学研究中心"),
            # The next sentence's list ends in 市临床医学研究中心: a list never crosses "。".
            make_place("wrong", "不存在的中心", "代谢性疾病…市临床医学研究中心"),
        )
    )
    found = {m.place_id: m for m in mentions_from_report(plan, gazetteer)}
    assert set(found) == {"metabolic", "oral"}
    assert found["metabolic"].line == 1360 and found["oral"].line == 1364
    assert found["metabolic"].matched.endswith("等国家临床医学研究中心")
    assert found["oral"].matched == "口腔疾病等国家临床医学研究中心"
    # Covered by the list alias: not offered as a candidate.
    names = {c.name for c in candidates_from_corpus([plan], gazetteer)}
    assert "口腔疾病等国家临床医学研究中心" not in names


def test_a_list_alias_needs_a_head_and_a_tail(make_place: Callable[..., Place]) -> None:
    problems = validate_gazetteer(
        [
            make_place("a", "甲研究中心", "…研究中心"),
            make_place("b", "乙研究中心", "乙乙…研究…中心"),
        ]
    )
    assert any("a: list alias" in p and "head and a tail" in p for p in problems)
    assert any("b: list alias" in p and "more than one" in p for p in problems)


def test_an_alias_that_runs_into_a_longer_institution_name_is_not_a_mention(
    make_place: Callable[..., Place],
) -> None:
    # 2022 L908-917: "SKA区域中心原型…" is about the SKA regional centres, not the telescope: a
    # short alias must not swallow the head of a longer name.
    report = next(rt for rt in load_corpus() if rt.report.id.startswith("2022"))
    gazetteer = Gazetteer((make_place("ska", "平方公里阵列射电望远镜", "SKA"),))
    lines = {m.line for m in mentions_from_report(report, gazetteer)}
    assert not lines & {908, 915, 917}
    assert lines  # the telescope itself is still found elsewhere


def test_a_name_followed_by_a_non_institution_word_still_matches(
    make_place: Callable[..., Place],
) -> None:
    # "…装置装置" (a typo) and "…设施平台关键技术" (a topic) do not make a longer name.
    report = next(rt for rt in load_corpus() if rt.report.id.startswith("2022"))
    gazetteer = Gazetteer((make_place("sg2", "神光II高功率激光装置"),))
    assert 789 in {m.line for m in mentions_from_report(report, gazetteer)}


def test_drafting_unit_lists_are_not_mentions() -> None:
    from geo.extract import roster_lines
    from geo.gazetteer import load_gazetteer

    gazetteer = load_gazetteer()
    rosters = {}
    for rt in load_corpus():
        rosters[rt.report.id] = roster_lines(rt.lines)
        assert not {m.line for m in mentions_from_report(rt, gazetteer)} & rosters[rt.report.id]
        assert not {c.line for c in candidates_from_corpus([rt], gazetteer)} & rosters[rt.report.id]
    # The 2022 report's unheaded column of contributors and the 2025 "# 组稿人" section, and
    # nothing else in the corpus.
    assert {k: (min(v), max(v)) for k, v in rosters.items() if v} == {
        "2022_st_progress_report": (4722, 4824),
        "2025_st_progress_report": (3376, 3419),
    }


def test_a_roster_needs_several_offices() -> None:
    from geo.extract import roster_lines

    body = ["SKA区域中心原型", "测试的工作方案", "", "加快组建区域", "中心国际工作", "组团队"]
    assert roster_lines(body) == frozenset()
    units = ["中科院上海药物研究所", "市发展改革委", "徐汇区科委", "市科委社会发展处"]
    units += ["市绿化市容局", "市科委高新技术处", "上海交通大学"]
    assert roster_lines(["正文。", *units, "正文，继续。"]) == frozenset(range(2, 9))
    tabbed = ["万琦欣\t嘉定区科委\t张一卉\t同济大学"] * 5
    assert roster_lines(tabbed) == frozenset(range(1, 6))


def test_a_bare_alias_matches_only_where_the_name_stands_alone(
    make_place: Callable[..., Place],
) -> None:
    from geo.extract import _name_matches

    gazetteer = Gazetteer(
        (make_place("zj", "张江科学城", "张江="), make_place("lab", "张江实验室"))
    )
    text = "聚焦张江再出发，张江、临港；在张江成立。张江区域、张江杯、张江实验室、张江高科。立足张江等地区。"
    got = [(text[s:e], pid) for s, e, pid, _ in _name_matches(text, gazetteer)]
    assert got == [
        ("张江", "zj"),  # 聚焦张江再出发
        ("张江", "zj"),  # 张江、临港
        ("张江", "zj"),  # 在张江成立
        ("张江实验室", "lab"),
        ("张江", "zj"),  # 立足张江等地区 (the last of a list: 南大、吴淞等重点地区)
    ]
    # A bare alias is not a plain name: it never enters the alias index or the candidates' cover.
    assert "张江" not in gazetteer.alias_index()
    assert validate_gazetteer(list(gazetteer.places)) == []
