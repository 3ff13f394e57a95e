from __future__ import annotations

from pathlib import Path

import pytest

from geo.districts import DISTRICT_NAMES_ZH
from geo.gazetteer import Gazetteer, load_gazetteer
from geo.profiles import DistrictProfile, load_district_cues, profiles_from_report
from geo.reports import load_corpus

DATA = Path(__file__).parents[1] / "data"


@pytest.fixture(scope="module")
def real_profiles() -> dict[str, list[DistrictProfile]]:
    gazetteer = load_gazetteer()
    cues = load_district_cues()
    return {rt.report.id: profiles_from_report(rt, gazetteer, cues) for rt in load_corpus()}


def test_2022_and_2025_cover_all_16_districts(
    real_profiles: dict[str, list[DistrictProfile]],
) -> None:
    for report in ("2022_st_progress_report", "2025_st_progress_report"):
        assert {p.district_zh for p in real_profiles[report]} == DISTRICT_NAMES_ZH


# Headlines checked by hand against the reports: the label next to each is missing or wrong,
# so these pairs prove recognition from content.
EXPECTED_2022 = {
    "浦东新区": ("建设上海科创中心核心区，打造自主创新新高地", 3897),
    "徐汇区": ("发挥科技服务业核心枢纽作用", 3904),
    "黄浦区": ("打造上海深化科创中心建设的重要服务区和特色功能区", 3909),
    "静安区": ("致力打造上海国际数字之都的核心片区", 3914),
    "长宁区": ("孕育优质创新企业集聚生态", 3998),
    "普陀区": ("着力打造地区创新策源主引擎", 4009),
    "虹口区": ("加快建设“上海北外滩、浦江金三角”", 4021),
    "闵行区": ("打造“大零号湾”科技创新功能策源区", 4026),
    "嘉定区": ("聚焦赋能城市数字化转型", 4044),
    "青浦区": ("加快建设“长三角数字干线”", 4050),
    "金山区": ("全力打响“上海湾区”城市品牌", 4055),
    "奉贤区": ("全力打造中小企业科技创新活力区", 4060),
    "崇明区": ("推进崇明世界级生态岛碳中和示范区建设", 4074),
}
EXPECTED_2025 = {
    "静安区": "深耕“数通链谷”“视听静界”“美创静界”特色赛道",
    "长宁区": "深化“上海硅巷”建设",
    "普陀区": "加速沿沪宁产业创新带建设",
    "虹口区": "打造北中环科创产业集聚带",
    "杨浦区": "建设杨“数”浦新质秀带创新区",
    "宝山区": "推进上海科创中心主阵地建设",
    "闵行区": "全力推进“大零号湾”科技创新策源功能区建设",
    "嘉定区": "打响“科技嘉定”品牌",
    "金山区": "推动上海湾区科创城发展",
    "松江区": "加快长三角G60科创走廊策源地建设",
    "青浦区": "打造大西岑科技创新策源功能区",
    "奉贤区": "推动“南上海科创中心”建设",
    "崇明区": "加快碳中和示范区建设",
}


def test_2022_paragraphs_are_recognised_from_content_and_cite_the_first_copy(
    real_profiles: dict[str, list[DistrictProfile]],
) -> None:
    got = {p.district_zh: p for p in real_profiles["2022_st_progress_report"]}
    for district, (headline, line) in EXPECTED_2022.items():
        assert got[district].headline == headline
        assert got[district].line_start == line  # the duplicated section starts at 3968


def test_2025_unlabelled_paragraphs_are_recognised(
    real_profiles: dict[str, list[DistrictProfile]],
) -> None:
    got = {p.district_zh: p.headline for p in real_profiles["2025_st_progress_report"]}
    for district, headline in EXPECTED_2025.items():
        assert got[district] == headline


def test_headlines_and_texts_are_verbatim(real_profiles: dict[str, list[DistrictProfile]]) -> None:
    by_id = {rt.report.id: rt for rt in load_corpus()}
    for report, profiles in real_profiles.items():
        rt = by_id[report]
        for p in profiles:
            original = "".join(ln.strip() for ln in rt.lines[p.line_start - 1 : p.line_end])
            assert p.headline in original, (report, p.district_zh)
            assert p.text in original or p.text.replace(" ", "") in original.replace(" ", "")


def test_2021_plan_roles_per_district(real_profiles: dict[str, list[DistrictProfile]]) -> None:
    got = {p.district_zh: p.headline for p in real_profiles["2021_sti_centre_14th_five_year_plan"]}
    assert got["闵行区"] == "推进闵行打造上海南部科技创新中心核心区"
    assert got["徐汇区"] == "徐汇建设科技服务示范区"
    assert got["宝山区"] == "宝山区立足南大、吴淞等重点地区建设科创中心主阵地之一"
    assert got["嘉定区"] == "嘉定新兴产业示范区建设"
    assert len(got) >= 13


def test_profiles_carry_places_and_numbers(real_profiles: dict[str, list[DistrictProfile]]) -> None:
    minhang = next(p for p in real_profiles["2022_st_progress_report"] if p.district_zh == "闵行区")
    assert "56万平方米" in minhang.numbers
    assert any(p.place_ids for p in real_profiles["2025_st_progress_report"])


def test_fixture_detached_labels(fixture_gazetteer: Gazetteer) -> None:
    (rt,) = load_corpus(DATA / "reports")
    cues = load_district_cues(DATA / "gazetteer" / "district_cues.csv")
    got = {p.district_zh: p for p in profiles_from_report(rt, fixture_gazetteer, cues)}
    assert set(got) == {"浦东新区", "徐汇区"}
    assert got["徐汇区"].numbers == ("120家",)
    assert got["浦东新区"].place_ids == ("zhangjiang-science-city",)


def test_a_sentence_shared_by_several_districts_gives_each_only_its_own_clause() -> None:
    # 2021 plan L4002-4008 ("继续推进青浦…、嘉定…，加快布局金山…") and L4008-4022 ("推进杨浦…，
    # 徐汇…，…奉贤区依托“东方美谷”…"): each district's profile is its clause, with its places only.
    from geo.gazetteer import load_gazetteer
    from geo.profiles import load_district_cues, profiles_from_report
    from geo.reports import load_corpus

    gazetteer = load_gazetteer()
    by_id = gazetteer.by_id()
    plan = next(rt for rt in load_corpus() if rt.report.year == 2021)
    profiles = {
        p.district_zh: p for p in profiles_from_report(plan, gazetteer, load_district_cues())
    }
    for p in profiles.values():
        districts = {by_id[pid].district_zh for pid in p.place_ids} - {None}
        assert districts <= {p.district_zh}, (p.district_zh, p.place_ids)
    assert profiles["青浦区"].place_ids == ("yangtze-delta-eco-green-demonstration-zone",)
    assert profiles["嘉定区"].text == "嘉定新兴产业示范区建设"
    assert profiles["杨浦区"].place_ids == ()
    assert profiles["奉贤区"].place_ids == ("oriental-beauty-valley",)
    assert "徐汇" not in profiles["杨浦区"].text
