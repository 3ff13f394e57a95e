"""How report wording gives a place its status: one test per kind of rule (issue 13).

Each test reads a short text shaped like a line of the reports (the real line is cited) with
a small gazetteer, so a rule that stops working fails here, not only in the evaluation score.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from geo.extract import Mention, mentions_from_report
from geo.gazetteer import Gazetteer, Place
from geo.geocode import decide_report_status
from geo.reports import ReportText, load_manifest, normalise_lines

DATA = Path(__file__).parents[1] / "data"


def _place(name: str, category: str = "platform") -> Place:
    return Place(
        id=name, name_zh=name, name_en=name, aliases=(), category=category, parent_id=None,
        district_zh="浦东新区", lon=None, lat=None, precision=None, coord_source="",
        in_shanghai=True, notes="",
    )  # fmt: skip


def _mentions(
    lines: list[str], *names: str, kind: str = "progress_report", file: str = "r.txt"
) -> list[Mention]:
    """Mentions of ``names`` in ``lines`` read as a report of ``kind`` (plain PDF text, or
    Markdown when ``file`` ends in .md)."""
    report = dataclasses.replace(load_manifest(DATA / "reports")[0], kind=kind, file=file)
    text, line_of, col_of = normalise_lines(lines)
    rt = ReportText(report=report, lines=lines, text=text, line_of=line_of, col_of=col_of)
    return mentions_from_report(rt, Gazetteer(tuple(_place(n) for n in names)))


def _status(
    lines: list[str], name: str, *others: str, kind: str = "progress_report", file: str = "r.txt"
) -> str | None:
    found = [
        m.status
        for m in _mentions(lines, name, *others, kind=kind, file=file)
        if m.place_id == name
    ]
    assert found, f"{name} not found"
    return max(found, key=lambda s: s is not None)


PLAN = "five_year_plan"


# Filler between a name and its predicate.


def test_a_place_between_the_name_and_its_build_verb() -> None:
    # 2022 L2066: 数字江海上海国资数字化创新基地在奉贤建设 (being built, in 奉贤).
    assert _status(
        ["数字江海上海国资数字化创新基地在奉贤建设"], "上海国资数字化创新基地", "数字江海"
    ) == ("under_construction")
    # 2022 L2068: …基地在闵行成立.
    assert (
        _status(["临港浦江跨境电商数字出海基地在闵行成立"], "临港浦江跨境电商数字出海基地")
        == "launched"
    )


def test_groundbreaking_together_is_groundbreaking() -> None:
    # 2022 L693: 张江人工智能岛二期、张江药谷产业化基地…集中开工.
    lines = ["8月，张江人工智能岛二期、张江药谷产业化基地集中开工"]
    assert _status(lines, "张江药谷产业化基地", "张江人工智能岛二期") == "under_construction"


def test_trading_on_an_exchange_is_not_builders_moving_in() -> None:
    # 2023 summary L45: 上海技术交易所进场交易金额超300亿元 (it works; nothing is being built).
    assert _status(["上海技术交易所进场交易金额超300亿元"], "上海技术交易所") is None
    assert _status(["上海光源线站工程进场施工"], "上海光源线站工程") == "under_construction"


def test_registering_the_institution_launches_it() -> None:
    # 2023 ch.1 L54: [上海吴淞材料实验室](#)完成机构注册 (Markdown link marks in between).
    assert _status(["[上海吴淞材料实验室](#)完成机构注册"], "上海吴淞材料实验室") == "launched"


# Lists summed up by a count or 等 and a class noun.


def test_a_count_and_class_noun_after_a_list() -> None:
    # 2022 L1360: A、B、C3个临床医学研究中心获批建设 (approved: to be built).
    lines = [
        "上海市甲临床医学研究中心、上海市乙临床医学研究中心3个临床医学研究中心获批建设，截至年底"
    ]
    assert _status(lines, "上海市乙临床医学研究中心", "上海市甲临床医学研究中心") == "planned"
    # 2025 L1912: 启动A、…、张江高科895孵化器6家新一轮高质量孵化器建设.
    lines = ["启动巢生上海创新孵化平台、张江高科895孵化器**6**家新一轮高质量孵化器建设"]
    for name in ("巢生上海创新孵化平台", "张江高科895孵化器"):
        assert _status(lines, name, "巢生上海创新孵化平台", "张江高科895孵化器") == (
            "under_construction"
        )
    # 2023 summary L23: 启动飞镖创新中心、新微创源等7家高质量孵化器培育建设工作.
    lines = ["启动飞镖创新中心、新微创源等7家高质量孵化器培育建设工作，成立联盟。"]
    assert _status(lines, "飞镖创新中心", "新微创源") == "under_construction"


def test_chosen_for_a_programme_s_list_exists_but_not_who_builds() -> None:
    # 2022 L526-528 (RULES.md rule 15): …东华大学新材料现代产业学院…入选首批国家产业学院建设名单.
    lines = ["其中东华大学新材料现代产业学院入选首批国家产业学院建设名单"]
    assert _status(lines, "东华大学新材料现代产业学院") == "operating"
    # 2025 L2496: 东华大学入选…卓越工程师学院建设高校名单: the university builds the college.
    lines = ["华东理工大学、东华大学入选第4批国家卓越工程师学院建设高校名单"]
    assert _status(lines, "东华大学", "华东理工大学") is None


def test_approved_to_build_something_else_is_not_the_name_s_status() -> None:
    # 2022 L609: 上海交通大学、同济大学获批建设未来产业科技园 (the universities build parks).
    lines = ["上海交通大学、同济大学获批建设未来产业科技园"]
    assert _status(lines, "上海交通大学", "同济大学") is None


# Scope: which name a status word belongs to.


def test_an_intransitive_predicate_ends_the_name_before_the_next() -> None:
    # 2023 ch.1 L257-263: a list run on without punctuation: X土建工程… / Y全部单体结构封顶 / Z….
    lines = ["张江复旦国际创新中心土建工程基本完工", "", "同济大学上海自主智能无人系统科学中心", "",
             "全部单体结构封顶", "", "上海张江数学研究院积极承接国家重大项目"]  # fmt: skip
    names = ("张江复旦国际创新中心", "同济大学上海自主智能无人系统科学中心", "上海张江数学研究院")
    assert _status(lines, names[1], *names) == "under_construction"
    # A transitive verb before the next name is still that name's: 复旦大学成立相辉研究院.
    assert _status(["复旦大学成立相辉研究院"], "复旦大学", "相辉研究院") is None


def test_a_push_phrase_closed_at_a_line_end_does_not_take_the_next_line() -> None:
    # 2022 L2313-2314: " 推动三大国家农业科技园区建设" / "浦东园区按照…进行转型升级".
    lines = [
        " 推动三大国家农业科技园区建设",
        "浦东园区按照国家“双创”战略",
        "部署进行转型升级，建设具有全球影响",
    ]
    assert _status(lines, "浦东园区") is None
    # 2022 L2160-2163: 推进A、/B/等平台建设 / C揭牌: the 建设 closes A and B's phrase.
    lines = ["推进上海低碳技术创新功能型平台、", "上海市微小型燃气轮机技术创新中心", "等平台建设",
             "上海长兴碳中和创新产业园揭牌，宝"]  # fmt: skip
    names = (
        "上海低碳技术创新功能型平台",
        "上海市微小型燃气轮机技术创新中心",
        "上海长兴碳中和创新产业园",
    )
    assert _status(lines, names[0], *names) == "under_construction"
    assert _status(lines, names[2], *names) == "launched"


def test_a_short_headline_line_does_not_take_the_next_line_as_object() -> None:
    # 2023 ch.1 L225-228: "高水平研发机构加快建设" / "李政道研究所" / "取得…重要成果".
    lines = [
        "高水平研发机构加快建设",
        "",
        "李政道研究所",
        "",
        "取得首次发现分数量子反常霍尔效应等重要成果",
    ]
    # Not the headline's 加快建设: its own predicate (取得…成果) says it works.
    assert _status(lines, "李政道研究所") == "operating"
    # A verb wrapped at a line end still takes its object: "…，加快建设" / "李政道研究所".
    lines = ["开展基础研究，加快建设", "李政道研究所，取得重要成果"]
    assert _status(lines, "李政道研究所") == "under_construction"


def test_a_subjectless_next_clause_is_the_name_s() -> None:
    # 2023 ch.1 L210-216: X依托Y推进筹建工作,11月注册设立 / 上海数学与交叉学科研究院….
    lines = ["上海合成生物学创新中心依托北京清华工业开发研究院推进筹建工", "作,11月注册设立", "",
             "上海数学与交叉学科研究院11月注册设立"]  # fmt: skip
    names = ("上海合成生物学创新中心", "北京清华工业开发研究院", "上海数学与交叉学科研究院")
    assert _status(lines, names[0], *names) == "launched"
    # A next clause that names another place, or says more than a predicate, is not X's.
    assert _status(["上海合成生物学创新中心开展研究，成立联合实验室和基金。"], names[0]) is None


def test_a_name_qualifying_a_function_or_a_system_part() -> None:
    # 2022 L3999: 打造虹桥海外人才一站式服务中心职能 (the centre exists; its function grows).
    assert (
        _status(["打造虹桥海外人才一站式服务中心职能，持续推进联盟"], "虹桥海外人才一站式服务中心")
        is None
    )
    # 2021 L1274-1278: 加快建设A、B…为支撑的创新平台体系: A and B are built with the system.
    lines = [
        "重大平台：加快建设国家集成电路研发中心、智能传感器创新中心为支撑的创新平台体系，推动攻关"
    ]
    names = ("国家集成电路研发中心", "智能传感器创新中心")
    assert _status(lines, names[1], *names, kind=PLAN) == "under_construction"


def test_universities_named_for_their_science_parks() -> None:
    # 2022 L3212: 持续推进上海交通大学、同济大学、上海理工大学等大学科技园示范园建设.
    lines = ["持续推进上海交通大学、同济大学、上海理工大学等大学科技园示范园建设，通过支持"]
    names = ("上海交通大学", "同济大学", "上海理工大学")
    for name in names:
        assert _status(lines, name, *names) is None, name


def test_a_modifier_or_a_district_between_verb_and_name() -> None:
    # 2021 L5286-5288: 打造 / 国际化的上海科技资源大数据中心 (a plan: planned).
    lines = ["开放。打造", "国际化的上海科技资源大数据中心，建设全球科技数据信息"]
    assert _status(lines, "上海科技资源大数据中心", kind=PLAN) == "planned"
    # 2021 L4002-4006: 继续推进青浦长三角…示范区、嘉定新兴产业示范区建设 (work going on).
    lines = ["继续推进青浦长三角生态绿色一体化发展示范区、嘉定新兴产业示范区建设，加快布局"]
    names = ("长三角生态绿色一体化发展示范区", "嘉定新兴产业示范区")
    for name in names:
        assert _status(lines, name, *names, kind=PLAN) == "under_construction", name


# Labels over items, and mentions that say nothing.


def test_a_plan_s_major_platforms_are_planned_single_or_in_a_bare_list() -> None:
    # 2021 L1826: 重大平台：1、北斗导航技术创新中心。聚焦…; L1442: 重大平台：A、B、C。
    one = ["  重大平台：1、北斗导航技术创新中心。聚焦天空地海时空互联系统"]
    (m,) = _mentions(one, "北斗导航技术创新中心", kind=PLAN)
    assert (m.status, m.from_heading, m.says_nothing) == ("planned", True, False)
    two = ["  重大平台：流程智造国家技术创新中心、医疗机器人国家技术创新中心。"]
    found = _mentions(two, "流程智造国家技术创新中心", "医疗机器人国家技术创新中心", kind=PLAN)
    assert [(m.status, m.says_nothing) for m in found] == [("planned", False)] * 2
    # Only in a plan: a progress report's "重大平台：X。" is not a plan's list.
    (m,) = _mentions(one, "北斗导航技术创新中心")
    assert m.status is None and not m.says_nothing


@pytest.mark.parametrize(
    ("lines", "name"),
    [
        # 2025 L2286: an academician's unit in the list of new academicians.
        (["复旦大学附属中山医院(生命科学和医学学部)"], "复旦大学附属中山医院"),
        # 2021 L4086: 环上海交通大学…集聚区 (the zone around the university).
        (["行环上海交通大学—华东师范大学的“大零号湾创新创业集聚区”"], "上海交通大学"),
        # 2025 L2112: the host of a finished building (RULES.md rule 3).
        (["张江实验室研发大楼完成建设并投入使用"], "张江实验室"),
        # 2025 L979: 依托X持续推进Y: X only hosts the work (RULES.md rule 5).
        (
            ["依托上海自贸区临港新片区持续推进生物医药数据跨境改革试点, 支持企业"],
            "上海自贸区临港新片区",
        ),
        # 2023 ch. 1 L213-215: a host is not the subject of the next clause either.
        (["依托北京清华工业开发研究院推进筹建工作,11月注册设立"], "北京清华工业开发研究院"),
        # 2022 L3587-3588: an office of the university does the work (RULES.md rule 3).
        (
            [
                "圣彼得堡彼得大帝理工大学（科技中心）上海代表",
                "处与中国境内高校组织技术交流，参与申请科技",
            ],
            "圣彼得堡彼得大帝理工大学",
        ),
        # 2025 L579 (abridged): users of a facility (RULES.md rule 14).
        (["- 完成北京大学等**15**个用户课题"], "北京大学"),
        # 2022 L4046: the location of a project (推动汽车城双智试点项目实施).
        (["动汽车城双智试点项目实施，支持上海市智能网联汽车示范应用创新项"], "汽车城"),
        # 2025 L1570: 上海化工区10万吨级绿色甲醇项目投产.
        (["- 上海化工区10万吨级绿色甲醇项目投产"], "上海化工区"),
        # 2025 L1661: only the start of a company's name (the company hosts the base).
        (["上海化学工业区发展有限公司等**11**家上海市首批新材料中试基地获授牌"], "上海化学工业区"),
        # 2022 L4459: a place being overhauled (RULES.md rule 13).
        (["提升科普场馆建设水平，推进上海科技馆更新改造大修，"], "上海科技馆"),
    ],
)
def test_a_mention_that_says_nothing_gets_no_default(lines: list[str], name: str) -> None:
    found = [m for m in _mentions(lines, name) if m.place_id == name]
    assert found and all(m.says_nothing and m.status is None for m in found)
    # Not even the default of an existing institution…
    assert decide_report_status(found, "research_institute").status is None
    # …which a mention that names it for its work still gives.
    working = _mentions(["复旦大学附属中山医院开展临床研究。"], "复旦大学附属中山医院")
    assert decide_report_status(working, "research_institute").status == "operating"


# Third round: the adjudicator's consistency rules (tests/data/status_eval/README.md).


def test_building_up_a_place_in_a_progress_report_is_under_construction() -> None:
    # 2025 L3013: 聚力打造联影小镇 (the year's work on it goes on); 2022 L4001: 重点打造“上海硅巷”.
    assert _status(["围绕高端医疗器械，聚力打造联影小镇；举办峰会"], "联影小镇") == (
        "under_construction"
    )
    assert _status(["重点打造“上海硅巷”“虹桥之源”科创街区。"], "上海硅巷") == "under_construction"
    # In a plan 打造 is still to be done.
    assert _status(["重点打造嘉定同济大学创新创业集聚区，孵化企业"], "嘉定同济大学创新创业集聚区",
                   kind=PLAN) == "planned"  # fmt: skip


def test_a_progress_report_s_plan_to_push_a_place_is_work_going_on() -> None:
    # 2023 summary L49: 发布实施《推进“大零号湾”科技创新策源功能区建设方案》.
    lines = ["发布实施《推进“大零号湾”科技创新策源功能区建设方案》。"]
    assert _status(lines, "“大零号湾”科技创新策源功能区") == "under_construction"
    # A plan to build it that pushes nothing yet, or the same title in a plan: planned.
    lines = ["研究编制《上海市“临港科创城”建设方案》，提出目标"]
    assert _status(lines, "临港科创城") == "planned"
    lines = ["制定《推进“大零号湾”科技创新策源功能区建设方案》。"]
    assert _status(lines, "“大零号湾”科技创新策源功能区", kind=PLAN) == "planned"


def test_pushing_a_place_s_building_in_a_plan_is_under_construction() -> None:
    # 2021 L5268: 推进中国（上海）知识产权保护中心建设 (the work is under way).
    lines = ["产权保护机制。推进中国（上海）知识产权保护中心建设，"]
    assert _status(lines, "中国（上海）知识产权保护中心", kind=PLAN) == "under_construction"
    # Starting or supporting its building in a plan is still to be done.
    lines = ["启动中国（上海）知识产权保护中心建设，"]
    assert _status(lines, "中国（上海）知识产权保护中心", kind=PLAN) == "planned"


def test_newly_added_items_summed_up_by_a_count_are_launched() -> None:
    # 2025 L3037 (Markdown): 新增西渡壹号湾、化工区亿启云巢2家市级孵化器.
    lines = ["推进海归小镇建设。新增西渡壹号湾、化工区亿启云巢2家市级孵化器；推动政策落地。"]
    names = ("西渡壹号湾", "化工区亿启云巢")
    for name in names:
        found = [m.status for m in _mentions(lines, *names, file="r.md") if m.place_id == name]
        assert found == ["launched"], name


@pytest.mark.parametrize(
    ("lines", "name"),
    [
        # 2022 L2291: a module piloted in two venues.
        (["其中“建筑碳排功能模块”在上海天文馆、临港国际会议中心试点应用"], "临港国际会议中心"),
        # 2022 L3662: 在X，…永久会场启用 (the hall opens there, not X).
        (
            ["11月4日，在上海自贸区临港新片区国际创新协同区，世界顶尖科学家论坛永久会场启用"],
            "上海自贸区临港新片区国际创新协同区",
        ),
        # 2022 L1356: a new centre's building project starts at the hospital (the host).
        (
            ["11月，全国首个综合类国家医学中心建设项目在复旦大学附属中山医院启动"],
            "复旦大学附属中山医院",
        ),
        # 2025 L2947: companies move into the area (where, not what).
        (["吸引头部企业入驻世博地区"], "世博地区"),
    ],
)
def test_where_something_else_happens_says_nothing(lines: list[str], name: str) -> None:
    found = [m for m in _mentions(lines, name, "上海天文馆") if m.place_id == name]
    assert found and all(m.says_nothing and m.status is None for m in found)
    assert decide_report_status(found, "venue").status is None


@pytest.mark.parametrize(
    ("lines", "name"),
    [
        # 2022 L3719: a partner of an agreement.
        (["国家技术转移东部中心与国家技术转移海南中心签署战略合作协议，4个项目签约"],
         "国家技术转移海南中心"),
        # 2025 L2080: a partner of a joint application.
        (["青浦西岑园携手江苏吴江、浙江嘉善推进示范区跨省域高新区申报国家级高新区"],
         "青浦西岑园"),
        # 2022 L3721: a participant of an event.
        (["与福建省三明市举办线上对接会，组织上海市农科院、中科院上海有机化学研究所等10余家高校院所参加，"],
         "中科院上海有机化学研究所"),
        # 2025 L2084: a partner zone of a standing cooperation.
        (["张江高新区与雄安高新区建立对口协作长效机制"], "雄安高新区"),
    ],
)  # fmt: skip
def test_a_partner_or_participant_says_nothing(lines: list[str], name: str) -> None:
    found = [m for m in _mentions(lines, name, "国家技术转移东部中心") if m.place_id == name]
    assert found and all(m.says_nothing and m.status is None for m in found)
    assert decide_report_status(found, "research_institute").status is None


def test_taking_part_in_building_something_is_working() -> None:
    # 2023 ch.1 L139-142: 上海营养健康所 / 参与国家生物信息中心建设 (it contributes its work).
    lines = ["上海营养健康所", "", " ", "参与国家生物信息中心建设，组学数据百科全书系统"]
    found = _mentions(lines, "上海营养健康所")
    assert not any(m.says_nothing for m in found)
    assert decide_report_status(found, "research_institute").status == "operating"


def test_a_funder_says_nothing_but_put_into_operation_is_not_funding() -> None:
    # 2025 L2169: 紫竹高新区3年投入1亿元支持交大-紫竹概念验证中心建设.
    lines = ["紫竹高新区3年投入1亿元支持交大-紫竹概念验证中心建设"]
    found = _mentions(lines, "紫竹高新区")
    assert found and all(m.says_nothing for m in found)
    assert decide_report_status(found, "hightech_zone").status is None
    # 2022 L1496-1498: …平台”投入试运营 (it is put into trial operation).
    found = _mentions(
        ["商汤“新一代人工智能计算与赋能平台”投入试运营"], "新一代人工智能计算与赋能平台"
    )
    assert not any(m.says_nothing for m in found)


def test_the_host_of_a_new_college_or_institute_says_nothing() -> None:
    # 2023 ch.1 L115: 上海交通大学、同济大学获批国家卓越工程师学院并开展建设.
    lines = ["上海交通大学、同济大学获批国家卓越工程师学院并开展建设"]
    names = ("上海交通大学", "同济大学")
    for name in names:
        found = [m for m in _mentions(lines, *names) if m.place_id == name]
        assert found and all(m.says_nothing and m.status is None for m in found), name
        assert decide_report_status(found, "university").status is None
    # The new unit has its own status; "X获批" alone launches X.
    assert _status(["复旦大学成立相辉研究院"], "相辉研究院", "复旦大学") == "launched"
    # 2023 ch.1 L106: an institution that sets something up is named for its work.
    found = _mentions(["复旦大学成立相辉研究院"], "复旦大学", "相辉研究院")
    assert [(m.place_id, m.says_nothing) for m in found] == [
        ("复旦大学", False),
        ("相辉研究院", False),
    ]
    assert _status(["上海市乙临床医学研究中心获批，截至年底"], "上海市乙临床医学研究中心") == (
        "launched"
    )


def test_a_place_being_renovated_says_nothing_of_itself() -> None:
    # RULES.md rule 13: an upgrade or overhaul is a new phase; the place itself is empty.
    # 2022 L4459: 推进上海科技馆更新改造大修; 2021 L4858: 推进上海科技馆更新改造和…建设工程.
    assert _status(["提升科普场馆建设水平，推进上海科技馆更新改造大修，"], "上海科技馆") is None
    lines = ["平，推进上海科技馆更新改造和上海天文馆建设工程，建设"]
    assert _status(lines, "上海科技馆", "上海天文馆", kind=PLAN) is None


def test_building_a_place_s_upgraded_version_is_not_building_the_place() -> None:
    # 2021 L4016-4018: 虹口建设“一心三区一平台”国际创新港升级版.
    lines = ["国际创新合作承载地，虹口建设“一心三区一平台”国际创", "", "新港升级版，宝山区"]
    assert _status(lines, "“一心三区一平台”国际创新港", kind=PLAN) is None


def test_a_place_that_releases_or_achieves_something_is_operating() -> None:
    # 2022 L571 and L1452: 加快推进…上海人工智能实验室…建设; 8月，上海人工智能实验室发布….
    lines = ["加快推进上海人工智能实验室等高水平研究机构建设。", "8月，上海人工智能实验室发",
             "布“OpenXLab浦源”人工智能开源开放体系"]  # fmt: skip
    found = _mentions(lines, "上海人工智能实验室")
    assert [m.status for m in found] == ["under_construction", "operating"]
    assert decide_report_status(found, "national_lab").status == "operating"


def test_a_verb_reaches_list_items_that_carry_a_modifier() -> None:
    # 2021 L4084-4090: 重点打造以“A”为代表的B、闵行环C—D的“E”、F、G等.
    lines = ["干个创新创业集聚区。重点打造以“环同济知识经济圈”为代表的杨浦大学科技园集聚区、闵",
             "行环上海交通大学—华东师范大学的“大零号湾创新创业集聚区”、嘉定同济大学创新创业",
             "集聚区、宝山环上大科技园等，孵化培育出一批企业。"]  # fmt: skip
    items = ("杨浦大学科技园集聚区", "大零号湾创新创业集聚区", "嘉定同济大学创新创业集聚区",
             "宝山环上大科技园")  # fmt: skip
    names = (*items, "环同济知识经济圈", "上海交通大学", "华东师范大学")
    for name in items:
        assert _status(lines, name, *names, kind=PLAN) == "planned", name
    # The names inside a modifier are not the verb's objects.
    assert _status(lines, "华东师范大学", *names, kind=PLAN) is None


def test_a_place_bidding_to_become_a_national_one_exists() -> None:
    # 2021 L1364-1368: 支持…病理诊断…等市临床医学研究中心创建国家临床医学研究中心.
    lines = ["支持病理诊断临床医学研究中心创建国家临床医学研究中心。"]
    assert _status(lines, "病理诊断临床医学研究中心", kind=PLAN) == "operating"
    # Setting one up (创建X) is not a bid.
    assert _status(["创建病理诊断临床医学研究中心。"], "病理诊断临床医学研究中心", kind=PLAN) != (
        "operating"
    )


def test_a_name_that_only_begins_a_longer_quoted_term_says_nothing() -> None:
    # 2022 L4052: 继续推出年度“长三角一体化发展示范区科普护照” (the passport, not the zone).
    lines = ["继续推出年度“长三角一体化发展示范区科普护照”，惠及三地群众。"]
    found = _mentions(lines, "长三角一体化发展示范区")
    assert found and all(m.says_nothing for m in found)
    # A quoted name that is the whole term does not.
    found = _mentions(["打造“长三角一体化发展示范区”，惠及三地群众。"], "长三角一体化发展示范区")
    assert not any(m.says_nothing for m in found)


def test_a_heading_saying_its_group_is_built_gives_the_listed_items_that_status() -> None:
    # 2025 L2176-2188: ## 重点集聚区加快建设 / 杨浦园 / 发布实施… / 临港园 / 研究编制….
    lines = ["## 重点集聚区加快建设", "", "杨浦园", "", "发布实施方案，推动构建四大空间功能区",
             "", "临港园", "", "研究编制方案，聚焦临港实验室开展研究。", "## 建设高水平人才高地",
             "", "松江园"]  # fmt: skip
    found = _mentions(lines, "杨浦园", "临港园", "临港实验室", "松江园", file="r.md")
    got = [(m.place_id, m.line, m.status, m.from_heading) for m in found]
    assert got == [
        ("杨浦园", 3, "under_construction", True),
        ("临港园", 7, "under_construction", True),
        # A paragraph under the heading is about other things.
        ("临港实验室", 9, None, False),
        # The next heading of the same level ends the group.
        ("松江园", 12, None, False),
    ]


def test_an_institution_run_into_another_place_s_name_is_its_host() -> None:
    # 2021 L3212: 支持上海交通大学附属瑞金医院转化医学国家重大科技基础设施加快发展.
    lines = ["支持上海交通大学附属瑞金医院转化医学国家重大科技基础设施加快发展。"]
    names = ("上海交通大学附属瑞金医院", "转化医学国家重大科技基础设施")
    found = {m.place_id: m for m in _mentions(lines, *names, kind=PLAN)}
    assert found[names[0]].says_nothing
    assert decide_report_status([found[names[0]]], "research_institute").status is None
    assert not found[names[1]].says_nothing
    # Two platforms run together in a PDF table say nothing of hosting each other.
    lines = ["上海市生物医药产业技术功能型平台上海市石墨烯产业技术功能型平台"]
    names = ("上海市生物医药产业技术功能型平台", "上海市石墨烯产业技术功能型平台")
    assert not any(m.says_nothing for m in _mentions(lines, *names))


def test_a_closing_build_reaches_items_that_name_their_leader() -> None:
    # 2023 ch.1 L311: 甲公司牵头A、乙公司牵头B建设 (both A and B are being built).
    lines = ["中广核数字科技有限公司牵头高速磁浮运行控制系统国产化研制开放式创新中心、华润国邦"
             "(上海)医药有限公司牵头上海国际医学成果转化创新中心建设"]  # fmt: skip
    names = ("高速磁浮运行控制系统国产化研制开放式创新中心", "上海国际医学成果转化创新中心")
    for name in names:
        assert _status(lines, name, *names) == "under_construction", name


def test_a_part_being_built_says_a_facility_is_being_built_but_not_an_institution() -> None:
    # 2023 summary L35: 国家海底科学观测网东海观测平台完成陆地建造 (a facility built in parts).
    lines = ["国家海底科学观测网东海观测平台完成陆地建造。"]
    found = _mentions(lines, "国家海底科学观测网")
    assert [(m.status, m.part_built) for m in found] == [(None, True)]
    assert decide_report_status(found, "facility").status == "under_construction"
    # 2023 ch.1 L72: 张江实验室研发大楼主体结构封顶 (a new building: the lab's state is not said).
    found = _mentions(["- 张江实验室研发大楼主体结构封顶"], "张江实验室")
    assert [(m.part_built, m.says_nothing) for m in found] == [(True, True)]
    assert decide_report_status(found, "national_lab").status is None


@pytest.mark.parametrize(
    ("line", "name"),
    [
        # 2022 L1278: a production line starts production.
        ("国内首个万吨级48K大丝束碳纤维工程国产线投产", "48K大丝束碳纤维工程国产线"),
        # 2025 L1238: a wind farm is connected to the grid.
        ("金山海上风电场一期项目实现全容量并网发电", "金山海上风电场一期项目"),
    ],
)
def test_a_plant_that_starts_production_or_feeds_the_grid_is_launched(line: str, name: str) -> None:
    assert _status([line], name) == "launched"
    assert _status([line], name, kind=PLAN) == "planned"


@pytest.mark.parametrize(
    ("line", "name"),
    [
        # 2022 L620: a short noun between the name and 持续提升.
        ("张江科学城标杆地位持续提升", "张江科学城"),
        # 2022 L2770: the centre's board keeps playing its role.
        ("上海股权托管交易中心“科创板”作用持续发挥", "上海股权托管交易中心"),
        # 2025 L2971: the community keeps improving.
        ("“模速空间”大模型创新生态社区持续提质增能，吸引1200余家企业入驻", "模速空间"),
    ],
)
def test_a_place_whose_standing_keeps_growing_is_operating(line: str, name: str) -> None:
    assert _status([line], name) == "operating"


def test_building_a_place_together_is_like_building_it() -> None:
    # 2025 L1952: 共建“华东师范大学智能软件与AI+概念验证中心” (being built; in a plan, planned).
    line = ["与华东师范大学共建“华东师范大学智能软件与AI+概念验证中心”，"]
    name = "华东师范大学智能软件与AI+概念验证中心"
    assert _status(line, name) == "under_construction"
    assert _status(line, name, kind=PLAN) == "planned"


def test_building_a_place_as_the_focus_of_work_is_building_it() -> None:
    # 2022 L3911: 以X建设为抓手 (the year's work centres on building X).
    line = ["以广慈-思南国际转化医学产业园建设为抓手，推动产业集聚"]
    assert _status(line, "广慈-思南国际转化医学产业园") == "under_construction"


def test_achieving_a_milestone_is_the_milestone() -> None:
    # 2022 L595-596: X…，11月实现结构封顶 (实现 only introduces the predicate).
    assert _status(["复旦张江国际创新中心11月实现结构封顶"], "复旦张江国际创新中心") == (
        "under_construction"
    )


def test_a_place_that_develops_faster_is_operating() -> None:
    # 2021 L3212-3214: 支持…转化医学国家重大科技基础设施加快发展 (even in the plan).
    line = ["支持瑞金医院转化医学国家重大科技基础设施加快发展。"]
    assert _status(line, "转化医学国家重大科技基础设施", kind=PLAN) == "operating"


@pytest.mark.parametrize(
    ("line", "name"),
    [
        # 2025 L294: a node passing a grid test is not a plant feeding the grid.
        ("上海天文台推动SRCNet中国节点通过国际并网测试", "SRCNet中国节点"),
        # 2022 L3783: 高质量发展 in an event's name says nothing of the corridor.
        ("2022长三角G60科创走廊高质量发展要素对接大会上", "长三角G60科创走廊"),
    ],
)
def test_look_alikes_of_launch_and_growth_words_give_nothing(line: str, name: str) -> None:
    assert _status([line], name) is None


def test_a_conjunction_after_the_name_starts_another_item_not_a_qualified_noun() -> None:
    # 2023 summary L67: 在沪建设国际大洋钻探岩芯实验室和科学执行中心 (builds the lab too).
    line = ["国际大科学计划和工程稳步推进，在沪建设国际大洋钻探岩芯实验室和科学执行中心，推动"]
    assert _status(line, "国际大洋钻探岩芯实验室") == "under_construction"


def test_approval_of_the_building_is_planned_either_word_order() -> None:
    # 2022 L4283: 上海奉贤化妆品产业知识产权快速维权中心建设获批.
    name = "上海奉贤化妆品产业知识产权快速维权中心"
    assert _status([name + "建设获批"], name) == "planned"


@pytest.mark.parametrize(
    ("line", "name", "other"),
    [
        # 2022 L2409: a demonstration plant built at the works.
        ("并在泰和污水处理厂建成规模40万吨/日的示范工程", "泰和污水处理厂", "示范工程"),
        # 2025 L2502: a new college set up at a host college (the host's state is not told).
        ("华为现代产业学院在上海行健职业学院设立", "上海行健职业学院", "华为现代产业学院"),
    ],
)
def test_a_place_named_as_where_takes_no_predicate(line: str, name: str, other: str) -> None:
    assert _status([line], name, other) is None


def test_approval_of_a_designation_launches_it_but_not_a_facility() -> None:
    # 2022 L1358-1360: A、B、C3个临床医学研究中心获批建设 (rule 6: the designation is the event).
    names = ("上海市肾脏疾病临床医学研究中心", "上海市整形与修复重建临床医学研究中心")
    line = ["上海市肾脏疾病临床医学研究中心、上海市整形与修复重建临床医学研究中心3个临床医学研究中心获批建设，截至年底"]  # fmt: skip
    found = _mentions(line, *names)
    assert found and all(m.approved and m.status == "planned" for m in found)
    assert decide_report_status(found, "platform").status == "launched"
    # A facility approved to be built is still planned.
    assert decide_report_status(found, "facility").status == "planned"
    # 2025 L310: 推进A、B获批建设 seeks the approval: still planned.
    name = "战略有机材料智能创制中心"
    sought = _mentions([f"推进**生物医药平台**、**{name}**获批建设"], name, file="r.md")
    assert not any(m.approved for m in sought)
    assert decide_report_status(sought, "platform").status == "planned"


@pytest.mark.parametrize(
    ("line", "name"),
    [
        # 2025 L1616: a stop on a low-altitude route.
        ("- 杨浦区开通“苏州昆山—杨浦复兴岛—浦东机场”“杨浦复兴岛—虹桥枢纽”等多条低空载人航线", "浦东机场"),
        # 2022 L2297: a ferry's ends (both islands).
        ("世界首艘超级电容动力轮渡“新生态轮”投入长兴岛横沙岛车客度运营，实现低噪", "长兴岛"),
        ("世界首艘超级电容动力轮渡“新生态轮”投入长兴岛横沙岛车客度运营，实现低噪", "横沙岛"),
        # 2021 L4086: a zone spanning two universities.
        ("行环上海交通大学—华东师范大学的“大零号湾创新创业集聚区", "华东师范大学"),
    ],
)  # fmt: skip
def test_a_route_end_says_nothing(line: str, name: str) -> None:
    found = [m for m in _mentions([line], name) if m.place_id == name]
    assert found and all(m.says_nothing for m in found)
    assert decide_report_status(found, "venue").status is None


def test_the_design_stage_is_planned() -> None:
    # 2022 L2146-2147: 小型模块化钍基熔盐堆研究设施 / 形成设计方案.
    name = "小型模块化钍基熔盐堆研究设施"
    assert (
        _status(["钍基熔盐堆缩比仿真堆完成测试验收，" + name + "形成设计方案"], name) == "planned"
    )


def test_the_place_s_own_project_being_built_is_under_construction() -> None:
    # 2025 L600: 地下复合环境模拟实验室项目进场施工.
    name = "地下复合环境模拟实验室"
    assert _status([name + "项目进场施工"], name) == "under_construction"


def test_a_push_verb_frames_every_build_of_its_clause() -> None:
    # 2021 plan L4858: 推进上海科技馆更新改造和上海天文馆建设工程 (rule 9: 推进…建设 goes on).
    line = ["平，推进上海科技馆更新改造和上海天文馆建设工程，建设"]
    assert _status(line, "上海天文馆", "上海科技馆", kind=PLAN) == "under_construction"
    # Without a push verb, a plan's bare 建设 is still planned.
    assert _status(["上海天文馆建设工程"], "上海天文馆", kind=PLAN) == "planned"


def test_a_class_in_apposition_before_the_object_lets_the_verb_reach_it() -> None:
    # 2023 summary L43: 开工建设“十四五”国家重大科技基础设施“磁-惯性约束聚变能源项目”.
    name = "磁-惯性约束聚变能源项目"
    line = [f"开工建设“十四五”国家重大科技基础设施“{name}”，光源2期全面建成"]
    assert _status(line, name) == "under_construction"


def test_a_name_that_only_names_an_event_says_nothing() -> None:
    # 2022 L1505-1507: 召开国家人工智能创新应用先导区高端研讨会 (rule 4: an event's host).
    name = "国家人工智能创新应用先导区"
    found = _mentions(["9月，召开" + name + "高端研讨会"], name)
    assert found and all(m.says_nothing for m in found)
    assert decide_report_status(found, "innovation_area").status is None


def test_an_established_zone_under_a_being_built_heading_works() -> None:
    # 2025 L2176-2184: ## 重点集聚区加快建设 / 松江园 (RULES.md rule 7: an existing park or zone
    # under 加快建设 with no sentence of its own follows rule 2, operating).
    lines = ["## 重点集聚区加快建设", "", "松江园", "", "发布若干措施，推出23条举措"]
    found = _mentions(lines, "松江园", file="r.md")
    assert [m.status for m in found] == ["under_construction"]
    assert decide_report_status(found, "hightech_zone").status == "operating"
    # A place that may be new (a research institute, a platform) keeps the heading's status.
    assert decide_report_status(found, "research_institute").status == "under_construction"


@pytest.mark.parametrize(
    ("line", "names"),
    [
        # 2025 L2955: areas named as the core of an ecosystem being built (a location).
        ("重点发展数字科技主导产业，以外滩金融集聚带、世博地区浦西片区为核心，联动三大重点载体",
         ("外滩金融集聚带", "世博地区浦西片区")),
        # 2021 plan L4018: areas a district builds a centre on.
        ("宝山区立足南大、吴淞等重点地区建设科创中心主阵地", ("南大", "吴淞")),
    ],
)  # fmt: skip
def test_a_place_named_as_the_core_or_base_of_something_else_says_nothing(
    line: str, names: tuple[str, ...]
) -> None:
    found = _mentions([line], *names)
    assert len(found) == len(names) and all(m.says_nothing for m in found)
    assert decide_report_status(found, "innovation_area").status is None


def test_a_place_that_only_hosts_what_is_built_on_it_says_nothing() -> None:
    # 2021 plan L4019-4020: 奉贤区依托“东方美谷”打造生命健康产业高地 (RULES.md rule 5).
    found = _mentions(["奉贤区依托“东方美谷”打造生命健康产业高地。"], "东方美谷", kind=PLAN)
    assert [(m.status, m.says_nothing) for m in found] == [(None, True)]
    # "以X建设为抓手" is X's own building (2022 L3911).
    name = "广慈-思南国际转化医学产业园"
    assert _status([f"以{name}建设为抓手，推进"], name) == "under_construction"


def test_a_long_summing_up_noun_lets_the_predicate_reach_the_list() -> None:
    # 2022 L3416-3421: 支持A、B、C等3个“一带一路”国际技术转移和跨境孵化合作平台建设 (rule 11).
    names = ("新加坡跨境创业加速孵化服务平台", "中泰技术转移创新孵化平台")
    line = ["支持新加坡跨境创业加速孵化服务平台、中泰技术转移创新孵化平台等3个“一带一路”国际技术转移和跨境孵化合作平台建设，累计"]  # fmt: skip
    assert [m.status for m in _mentions(line, *names)] == ["under_construction"] * 2


def test_a_university_in_a_list_summed_up_as_bases_is_their_host() -> None:
    # 2022 L2064-2065: 上海智能汽车软件园、复旦大学、华东师范大学等13个…创新基地揭牌 (rule 3).
    names = ("上海智能汽车软件园", "复旦大学", "华东师范大学")
    line = ["上海智能汽车软件园、复旦大学、华东师范大学等13个城市数字化转型产业和创新基地揭牌"]
    got = {m.place_id: m.status for m in _mentions(line, *names)}
    assert got == {"上海智能汽车软件园": "launched", "复旦大学": None, "华东师范大学": None}


def test_a_later_item_of_a_numbered_major_platform_list_is_planned() -> None:
    # 2021 plan L1826-1830: 重大平台：1、北斗导航技术创新中心。聚焦…。2、卫星互联网技术与产业创新
    # 示范平台。聚焦… (RULES.md rule 1).
    a, b = "北斗导航技术创新中心", "卫星互联网技术与产业创新示范平台"
    lines = [
        f"  重大平台：1、{a}。聚焦天空地海时空互联系统，打造北斗导航科技示范。2、{b}。聚焦卫星互联网"
    ]
    found = {m.place_id: m.status for m in _mentions(lines, a, b, kind=PLAN)}
    assert found == {a: "planned", b: "planned"}
    # A numbered list of tasks (no 重大平台 label) is not a platform list.
    lines = [f"  1、人工智能基础支撑系统。研发开源算法。2、{b}。聚焦卫星互联网"]
    assert _status(lines, b, kind=PLAN) is None


@pytest.mark.parametrize(
    ("line", "name", "where", "status"),
    [
        # 2025 L2502: 华为现代产业学院在上海行健职业学院设立 (the college is set up).
        ("华为现代产业学院在上海行健职业学院设立,共建AI+数字技术实训中心;", "华为现代产业学院",
         "上海行健职业学院", "launched"),
        # 2025 L1264: 特斯拉上海储能超级工厂在临港新片区投产.
        ("；特斯拉上海储能超级工厂在临港新片区投产", "特斯拉上海储能超级工厂", "临港新片区", "launched"),
    ],
)  # fmt: skip
def test_the_predicate_after_where_a_place_stands_is_its_own(
    line: str, name: str, where: str, status: str
) -> None:
    found = {m.place_id: m for m in _mentions([line], name, where)}
    assert found[name].status == status
    assert found[where].status is None and found[where].says_nothing


@pytest.mark.parametrize(
    "line",
    [
        # 2025 L2141: the town's building centres on its areas (a location, not their state).
        "- 张江人工智能创新小镇全面启动建设，围绕模力双塔、模力岛等重点功能区域，构建世界级AI应用创新集聚区",
        # 2025 L1080: areas taken into the town as members (RULES.md rule 14).
        "- 模力双塔、模力岛等**70余万**平方米产业空间被纳入张江人工智能创新小镇",
    ],
)  # fmt: skip
def test_a_place_named_as_a_focus_or_member_says_nothing(line: str) -> None:
    found = _mentions([line], "模力双塔", "模力岛", file="r.md")
    assert len(found) == 2 and all(m.says_nothing for m in found)
    assert decide_report_status(found, "science_park").status is None


def test_a_long_phrase_saying_what_the_object_has_lets_the_verb_reach_it() -> None:
    # 2021 plan L2864-2868: 建设具有“能源清洁高效利用、…”的智慧城市能源微网示范工程 (rule 9).
    name = "智慧城市能源微网示范工程"
    line = [f"聚焦临港新片区，建设具有“能源清洁高效利用、系统韧性自治、全息数字孪生、生态开放共享”的{name}，孵化"]  # fmt: skip
    assert _status(line, name, kind=PLAN) == "planned"


def test_a_place_with_a_year_s_turnover_works() -> None:
    # 2025 L2028: 上海技术交易所参与…建设, 全年进场交易额**367.46亿元** (rule 2: shown existing).
    name = "上海技术交易所"
    line = [f"- {name}参与全国统一技术要素市场体系建设, 全年进场交易额**367.46亿元**, 累计"]
    found = _mentions(line, name, file="r.md")
    assert [m.status for m in found] == ["operating"]


def test_a_plan_s_review_of_the_last_period_reads_like_a_progress_report() -> None:
    # 2021 plan L30-70: （一）“十三五”时期… / 新建和集聚了…上海清华国际创新中心等一批…研究机构;
    # L660: 加快建设…上海清华国际创新中心 (RULES.md rule 2: shown existing → operating).
    name = "上海清华国际创新中心"
    lines = ["  （一）“十三五”时期具有全球影响力的科技创新中心", f"新建和集聚了李政道研究所、上海脑科学与类脑研究中心、{name}等一批代表世界科技前沿发展方向的高水平研究机构。",
             "  （二）“十四五”时期具有全球影响力的科技创新中心", f"加快建设{name}，"]  # fmt: skip
    found = _mentions(lines, name, kind=PLAN)
    assert [(m.line, m.reviewed, m.in_plan) for m in found] == [(2, True, False), (4, False, True)]
    assert found[1].status == "under_construction"
    assert decide_report_status(found, "research_institute").status == "operating"
    assert decide_report_status(found, "research_institute").line == 2  # the review's line
    # Only the task: the place is not shown existing.
    assert decide_report_status(found[1:], "research_institute").status == "under_construction"
    # A facility named there may still be being built (SKA, L164 and L1182).
    assert decide_report_status(found, "facility").status == "under_construction"


def test_a_place_taking_shape_is_under_construction() -> None:
    # 2021 plan L158 (its review of the last period): 浦东科技创新中心核心区加速形成.
    name = "浦东科技创新中心核心区"
    lines = ["  （一）“十三五”时期具有全球影响力的科技创新中心", f"色。{name}加速形成。长三角"]
    found = _mentions(lines, name, kind=PLAN)
    assert [(m.status, m.reviewed) for m in found] == [("under_construction", True)]
    # Named there as taking shape, it is not shown existing.
    assert decide_report_status(found, "innovation_area").status == "under_construction"


def test_a_place_chosen_for_a_featured_list_exists() -> None:
    # 2022 L684 (RULES.md rule 15): 张江（元宇宙）数链产业基地入选第3批市级特色产业园区.
    name = "张江（元宇宙）数链产业基地"
    assert _status([f"成立联盟，{name}入选第3批市级特色产业园区"], name) == "operating"
    # 2022 L528: a programme's list (建设名单) too.
    name = "上海某产业学院"
    assert _status([f"{name}入选首批国家产业学院建设名单"], name) == "operating"


@pytest.mark.parametrize(
    ("line", "name"),
    [
        # 2025 L2947: 启动浦东国际揭榜挂帅公共服务平台2.0建设 (its second version is built).
        ("启动浦东国际揭榜挂帅公共服务平台2.0建设", "浦东国际揭榜挂帅公共服务平台"),
        # 2022 L693: 张江人工智能岛二期、…集中开工 (phase II starts).
        ("8月，张江人工智能岛二期、张江药谷产业化基地集中开工", "张江人工智能岛"),
    ],
)
def test_a_new_phase_or_version_leaves_the_place_itself_empty(line: str, name: str) -> None:
    # RULES.md rules 3 and 13.
    found = [m for m in _mentions([line], name) if m.place_id == name]
    assert [(m.status, m.says_nothing) for m in found] == [(None, True)]
    assert decide_report_status(found, "science_park").status is None


def test_taking_part_in_building_a_place_is_building_it() -> None:
    # 2023 ch.1 L142: 参与国家生物信息中心建设 (RULES.md rule 11: 参与…建设 → under construction).
    name = "国家生物信息中心"
    assert _status([f"参与{name}建设，组学数据百科全书系统"], name) == "under_construction"


def test_a_body_named_after_a_place_is_not_the_place() -> None:
    # 2022 L4000: 持续推进“虹桥智谷”CTOU首席技术官联盟 (the alliance is pushed, not the area).
    found = _mentions(["持续推进“虹桥智谷”CTOU首席技术官联盟。持续深化"], "虹桥智谷")
    assert [(m.status, m.says_nothing) for m in found] == [(None, True)]


def test_a_co_founder_says_nothing() -> None:
    # 2022 L3116-3119: 联合复旦大学张江研究院和上海市生物医药行业协会共同组建上海市…平台 (rule 14).
    name = "复旦大学张江研究院"
    line = [f"条服务，联合{name}和上海市生物医药行业协会共同组建上海市生物医药产业技术功能型平台"]
    found = _mentions(line, name)
    assert [(m.status, m.says_nothing) for m in found] == [(None, True)]
    assert decide_report_status(found, "research_institute").status is None


def test_a_plan_box_titled_with_the_place_alone_sets_it_as_a_target() -> None:
    # 2021 plan L3014-3020: 崇明世界级生态岛碳中和示范区 / …将崇明岛打造成… / 主要任务：… (rule 9).
    name = "崇明世界级生态岛碳中和示范区"
    lines = [name + " ", "  针对崇明岛生态优势，将崇明岛打造成世界级生态岛碳中和示范区，为上海"]
    found = _mentions(lines, name, kind=PLAN)
    assert [(m.line, m.status, m.from_heading) for m in found] == [(1, "planned", True)]
    # In a progress report a line with the name alone sets nothing.
    assert _status(lines, name) is None


def test_building_up_an_established_high_tech_zone_is_work_on_a_working_zone() -> None:
    # 2022 L3916: 推进国家新型工业化大数据产业示范基地建设 (市北高新园区: rules 2, 12).
    name = "国家新型工业化大数据产业示范基地"
    found = _mentions([f"新融合发展，推进{name}建设，双创载体"], name)
    assert [m.status for m in found] == ["under_construction"]
    assert decide_report_status(found, "hightech_zone").status == "operating"
    assert decide_report_status(found, "science_park").status == "under_construction"


def test_a_place_awarded_a_designation_s_plaque_is_launched() -> None:
    # 2022 L4047: “嘉定未来·智慧出行示范区”被授牌上海城市数字化转型示范区 (RULES.md rule 6).
    name = "嘉定未来·智慧出行示范区"
    line = [f"目，“{name}”被授牌上海城市数字化转型示范区，上"]
    assert _status(line, name) == "launched"


def test_construct_reads_like_build_up() -> None:
    # 2022 L4017-4018: 构建宝山云端科创城，上线“科创宝”… (like 打造: rules 2, 9).
    name = "宝山云端科创城"
    line = [f"合作备忘录。构建{name}，上线“科创宝”数字化技术转移服务平台"]
    assert _status(line, name) == "under_construction"
    assert _status(line, name, kind=PLAN) == "planned"


def test_a_brand_named_after_a_place_says_nothing() -> None:
    # 2022 L4055: 全力打响“上海湾区”城市品牌.
    found = _mentions(["全力打响“上海湾区”城市品牌。坚持以科技赋能"], "上海湾区")
    assert [(m.status, m.says_nothing) for m in found] == [(None, True)]


def test_a_heading_does_not_reach_a_place_named_only_as_a_user() -> None:
    # 2025 L576-579: a user under an operating facility's heading is no item of it (RULES.md
    # rules 7, 14); an item under the heading keeps the heading's status.
    lines = ["### 运行", "", "- 完成北京大学、上海交通大学等**15**个用户课题", "- 某实验平台"]
    found = _mentions(lines, "北京大学", "上海交通大学", "某实验平台", file="r.md")
    got = {m.place_id: (m.status, m.from_heading, m.says_nothing) for m in found}
    assert got["北京大学"] == (None, False, True)
    assert got["某实验平台"] == ("operating", True, False)


def test_a_company_of_the_place_s_own_name_is_the_place() -> None:
    # 2025 L2106: 上海市计量测试技术研究院有限公司落地 (launched, as the company it now is).
    name = "上海市计量测试技术研究院"
    assert _status([name + "有限公司落地"], name) == "launched"


def test_building_up_a_place_the_next_clause_shows_working_is_operating() -> None:
    # RULES.md rule 2. 2022 L4003-4004: 建设“长阳秀带”在线新经济生态园，2021年度产值达560亿元.
    name = "“长阳秀带”在线新经济生态园"
    assert _status([f"城区建设，建设{name}，2021年度产值达560亿元。"], name) == "operating"
    # 2025 L3043: 加快“长三角农业硅谷”建设，入驻领军型农业科技企业17家 (firms settled there).
    lines = ["加快“长三角农业硅谷”建设，入驻领军型农业科技企业17家。"]
    assert _status(lines, "长三角农业硅谷") == "operating"
    # 2022 L670-671: 加快建设A、B两大…服务平台，集聚创投机构162家.
    lines = [
        "加快建设上海股权托管交易中心、长三角资本市场服务基地两大企业投融资服务平台，集聚创投机构162家"
    ]
    assert _status(lines, "长三角资本市场服务基地", "上海股权托管交易中心") == "operating"
    # A plan's count is a target: still planned.
    assert _status(lines, "长三角资本市场服务基地", "上海股权托管交易中心", kind=PLAN) != (
        "operating"
    )
    # Without such a clause, building it up is being built.
    assert _status(["加快“长三角农业硅谷”建设。"], "长三角农业硅谷") == "under_construction"


def test_a_place_that_builds_something_else_works() -> None:
    # RULES.md rule 4 (a performer). 2023 ch. 1 L267-271: 上海处理器技术创新中心 / 建成高性能并行
    # 模拟平台 / 上海国际人类表型组研究院… (PDF text joins the lines without punctuation).
    name = "上海处理器技术创新中心"
    lines = [name, "", "建成高性能并行模拟平台", "", "上海国际人类表型组研究院等机构不断"]
    assert _status(lines, name, "上海国际人类表型组研究院") == "operating"
    # Built itself, it is launched.
    assert _status([name + "建成"], name) == "launched"


def test_developing_a_named_place_is_building_it() -> None:
    # 2022 L4012-4013: 开发国家大数据安全靶场、新基建网络安全 / 风险展示中心等重点项目 (a list
    # summed up by 等…项目, not a qualified noun).
    lines = [
        "动。获批建设上海市网络安全产业示范园，开发国家大数据安全靶场、新基建网络安全",
        "风险展示中心等重点项目。",
    ]
    names = ("国家大数据安全靶场", "新基建网络安全风险展示中心")
    assert _status(lines, *names) == "under_construction"
    assert _status(lines, *reversed(names)) == "under_construction"
    assert _status(["开发国家大数据安全靶场"], names[0], kind=PLAN) == "planned"


def test_making_a_place_into_something_builds_the_place() -> None:
    # RULES.md rule 2. 2025 L2180 (Markdown): 四大空间功能区，打造复兴岛成为主要承载地，推动….
    lines = ["四大空间功能区，打造复兴岛成为主要承载地，推动"]
    assert _status(lines, "复兴岛", file="r.md") == "under_construction"


def test_a_first_of_its_kind_between_the_verb_and_its_object() -> None:
    # 2021 plan L1536-1538: 建设国内首条公里级高温 / 超导输电电缆示范工程 (rule 9: a plan's target).
    lines = [
        "  2、超导技术及集成应用系统。建设国内首条公里级高温",
        "",
        "超导输电电缆示范工程。突破",
    ]
    assert _status(lines, "公里级高温超导输电电缆示范工程", kind=PLAN) == "planned"


def test_the_last_item_of_a_long_plan_platform_list_is_planned() -> None:
    # RULES.md rule 1. 2021 plan L1434-1446: a 重大平台 list longer than the sentence window.
    lines = [
        "  重大平台：无人系统多体协同设施/上海自主智能无人",
        "系统科学 中心、上海人工智能创新中心、上海期智研究院、",
        "上海树图区块链研究院、视觉计算国家新一代人工智能开放",
        "创新平台、智能营销国家新一代人工智能开放创新平台、实",
        "验教考国家新一代人工智能开放创新平台、云端智能机器人",
        "国家新一代人工智能开放创新平台、上海新一代人工智能计",
        "算与赋能平台、上海处理器技术创新中心。 ",
    ]
    found = _mentions(lines, "上海处理器技术创新中心", kind=PLAN)
    assert [(m.status, m.from_heading) for m in found] == [("planned", True)]


def test_a_long_punctuated_list_keeps_its_verb_for_the_first_item() -> None:
    # 2025 L1912 (Markdown): 启动巢生上海创新孵化平台、司南脑机智能孵化器、…、张江高科895孵化器
    # **6**家新一轮高质量孵化器建设 (more than 80 characters from the first item to 建设).
    names = (
        "巢生上海创新孵化平台",
        "司南脑机智能孵化器",
        "上海埃米三江新材料产业创新中心",
        "“数通链谷”区块链应用创新孵化器",
        "“大零号湾”科创策源孵化器",
        "张江高科895孵化器",
    )
    line = ["围绕合成生物等重点领域，启动" + "、".join(names) + "**6**家新一轮高质量孵化器建设。"]
    assert _status(line, *names, file="r.md") == "under_construction"


def test_a_place_started_with_nothing_after_it_is_launched() -> None:
    # 2022 L4283-4285: 上 海（浦 / 东）科创板拟上市企业知识产 / 权服务站启动 (PDF, letter-spaced).
    name = "上海（浦东）科创板拟上市企业知识产权服务站"
    lines = ["维 权 中 心 建 设 获 批 ；上 海（浦", "东）科创板拟上市企业知识产", "权服务站启动"]
    assert _status(lines, name) == "launched"
    # 启动X建设 is still being built.
    assert _status([f"启动{name}建设，"], name) == "under_construction"


def test_unnamed_list_items_before_the_summing_up_let_the_predicate_reach_the_named_ones() -> None:
    # 2025 L2124: 推动曙光…上海人工智能产业化基地、歌尔国际创新中心、林德华力3期配套气体等项目落地.
    line = [
        "- 推动曙光国家先进计算产业创新中心上海人工智能产业化基地、歌尔国际创新中心、林德华力3期配套气体等项目落地"
    ]
    assert _status(line, "歌尔国际创新中心", file="r.md") == "launched"
    # Not without 等: 2025 L1887 上飞公司、交大智邦**2**家中试平台获评… (the companies host them).
    line = ["上飞公司、交大智邦**2**家中试平台获评国家级中试平台"]
    assert _status(line, "上飞公司", file="r.md") is None


def test_a_production_line_that_runs_through_is_launched() -> None:
    # 2022 L1300-1301: 临港化合物半导体量产线顺利通线并投入工 / 艺流片.
    name = "临港化合物半导体量产线"
    assert _status([f"　{name}顺利通线并投入工", "艺流片"], name) == "launched"


def test_approval_of_a_demonstration_park_launches_it() -> None:
    # RULES.md rule 6. 2022 L4012: 获批建设上海市网络安全产业示范园 (a designation of a park).
    name = "上海市网络安全产业示范园"
    found = _mentions([f"动。获批建设{name}，开发国家大数据安全靶场"], name)
    assert found and all(m.approved for m in found)
    assert decide_report_status(found, "science_park").status == "launched"


def test_what_the_place_relies_on_may_stand_before_its_predicate() -> None:
    # 2023 ch. 1 L54 (Markdown links): [上海长兴海洋实验室](#)依托事业法人机构已启动筹建.
    line = ["2家国家实验室上海基地积极筹建，[上海长兴海洋实验室](#)依托事业法人机构已启动筹建，"]
    assert _status(line, "上海长兴海洋实验室", file="r.md") == "planned"


def test_the_place_s_civil_works_nearly_done_is_being_built() -> None:
    # 2023 ch. 1 L255-257: 张江复旦国际创新中心 / 土建工程基本完工 (its own works, not a part).
    name = "张江复旦国际创新中心"
    assert _status([name, "", "土建工程基本完工", ""], name) == "under_construction"
