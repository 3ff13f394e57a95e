"""Report text → mentions of gazetteer places (with provenance and status) and candidate names."""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from geo.gazetteer import BARE_MARK, Gazetteer
from geo.reports import ReportText, normalise

Status = Literal["operating", "under_construction", "planned", "launched"]

_SENTENCE_END = "。！？!?;；"
_CLAUSE_END = _SENTENCE_END + "，,、：:"

# Checked in this order on the clause holding the mention, then on its sentence: the most
# specific wording wins ("基本建成" is still under construction; "建成" alone is operating).
_STATUS_PATTERNS: tuple[tuple[Status, re.Pattern[str]], ...] = (
    (
        "under_construction",
        re.compile(
            r"基本建成|在建|建设中|正在建设|开工|加快建设|推进建设|启动建设|加快推进|主体结构|封顶|安装"
        ),
    ),
    (
        "operating",
        re.compile(
            r"建成|投入使用|投入运行|投运|运行|启用|投用|竣工|验收|出光|开放共享|服务.{0,6}用户|出束"
        ),
    ),
    ("launched", re.compile(r"揭牌|挂牌|成立|启动|落户|开园|签约|获批|正式运营|组建")),
    ("planned", re.compile(r"规划|谋划|筹建|预研|拟建|布局|争取|建设|打造")),
)


@dataclass(frozen=True)
class Mention:
    """One place named at one spot of one report."""

    place_id: str
    report: str
    year: int
    line: int
    quote: str
    status: Status | None
    matched: str
    position: int
    # The status came from a grouping heading (在建中 …): the report's own classification.
    from_heading: bool = False
    # The report is a plan (future tense): naming a place there does not say it exists.
    in_plan: bool = False
    # The mention says nothing about the place, not even that it exists and works: a person's
    # unit ("复旦大学附属中山医院(生命科学和医学学部)" in a list of new academicians), a part
    # being built, or a place named only in a role (``says_nothing_of_it``).
    says_nothing: bool = False
    # A part of the place (its building, station, sub-platform, phase) finishes or starts
    # construction ("国家海底科学观测网东海观测平台完成陆地建造"): a facility or platform built in
    # parts is still being built; of an institution it says nothing (``geo.geocode`` decides).
    part_built: bool = False
    # The status is an approval ("X获批建设", "X建设获批"): of a designation (a platform or a
    # key lab given to a host) the approval is the event, of a facility it is a plan to build
    # (RULES.md rule 6; ``geo.geocode`` decides by category).
    approved: bool = False
    # Named in a plan's review of the last period ("新建和集聚了…X等一批…研究机构"): the plan
    # shows the place existing (RULES.md rule 2; ``geo.geocode`` decides).
    reviewed: bool = False


@dataclass(frozen=True)
class Candidate:
    """A place-like name that matches no gazetteer entry."""

    name: str
    count: int
    report: str
    line: int
    quote: str


@functools.lru_cache(maxsize=4)
def alias_pattern(gazetteer: Gazetteer) -> tuple[re.Pattern[str], dict[str, str]]:
    """Compile one regex over every name and alias, longest first (leftmost-longest match).

    Cached: a build calls it once per report and step with the same (immutable) gazetteer.
    """
    index = gazetteer.alias_index()
    names = sorted(index, key=lambda s: (-len(s), s))
    pattern = re.compile("|".join(re.escape(n) for n in names)) if names else re.compile(r"(?!x)x")
    return pattern, index


def _bounds(text: str, pos: int, end: int, stops: str, limit: int = 160) -> tuple[int, int]:
    start = pos
    while start > 0 and pos - start < limit and text[start - 1] not in stops:
        start -= 1
    stop = end
    while stop < len(text) and stop - end < limit and text[stop] not in stops:
        stop += 1
    return start, stop


def status_of(clause: str, sentence: str) -> Status | None:
    """Return the status the wording gives: the clause decides, else the sentence, else None."""
    for context in (clause, sentence):
        for status, pattern in _STATUS_PATTERNS:
            if pattern.search(context):
                return status
    return None


_HEADING = re.compile(r"^(#{1,6})\s*(.*?)\s*$")
_STATUS_HEADING_MAX_CHARS = 6


def heading_statuses(lines: Sequence[str]) -> list[Status | None]:
    """Return, per line, the status set by a grouping heading ("### 在建中", "## 已建成"), if any.

    A short heading that is only a status word opens a group; the next status heading or a
    non-status heading of level 1-2 (a new section) closes it.
    """
    current: Status | None = None
    out: list[Status | None] = []
    for line in lines:
        m = _HEADING.match(line)
        if m:
            level, title = len(m.group(1)), normalise(m.group(2))
            status = status_of(title, "") if len(title) <= _STATUS_HEADING_MAX_CHARS else None
            if status is not None:
                current = status
            elif level <= 2:
                current = None
        out.append(current)
    return out


# A Markdown heading saying its group is being built ("## 重点集聚区加快建设") and the items
# listed under it as bare name lines ("杨浦园", "松江园", "临港园").
_GROUP_BEING_BUILT = re.compile(r"(?:加快|加速)建设$")
_ITEM_LINE_MAX_CHARS = 12


def listed_item_statuses(lines: Sequence[str]) -> list[Status | None]:
    """Return, per line, under_construction for a bare item line under a "…加快建设" heading.

    A heading that says its group is being built gives that status to the items it lists: short
    lines that are only a name, up to the next heading of the same or a higher level. Its
    paragraphs are about other things and get nothing from it.
    """
    level: int | None = None
    out: list[Status | None] = []
    for line in lines:
        m = _HEADING.match(line)
        if m:
            here, title = len(m.group(1)), normalise(m.group(2))
            if _GROUP_BEING_BUILT.search(title):
                level = here
            elif level is not None and here <= level:
                level = None
            out.append(None)
            continue
        s = line.strip()
        bare = 0 < len(s) <= _ITEM_LINE_MAX_CHARS and not _ROSTER_PUNCT.search(s)
        out.append("under_construction" if level is not None and bare else None)
    return out


# A drafting-unit list at the back of a report ("组稿人", or an unheaded column of offices):
# short lines (or tab-separated cells) without sentence punctuation, several of them offices.
# Its names are the report's contributors, not places the report talks about.
_ROSTER_PUNCT = re.compile(r"[。，,；;：:、！？!?%《》“”]")
_ROSTER_OFFICE = re.compile(r"(?:科委|科经委|管委会|[市区]\S*委|处|局|办公室)$")
_ROSTER_LINE_MAX_CHARS = 24
_ROSTER_MIN_OFFICES = 5


def roster_lines(lines: Sequence[str]) -> frozenset[int]:
    """Return the (1-based) line numbers of drafting-unit lists: runs of roster-like lines.

    A run is a maximal stretch of non-empty lines with no sentence punctuation, each short or
    made of tab-separated cells (blank lines may sit inside it); it counts as a list only when
    at least five of its lines name an office (市科委…处, …区科委, …局, …管委会).
    """
    out: set[int] = set()
    run: list[int] = []
    offices = 0

    def flush() -> None:
        nonlocal offices
        if offices >= _ROSTER_MIN_OFFICES:
            out.update(run)
        run.clear()
        offices = 0

    for lineno, line in enumerate(lines, start=1):
        s = line.strip()
        if not s:
            if run:
                run.append(lineno)
            continue
        if _ROSTER_PUNCT.search(s) or (len(s) > _ROSTER_LINE_MAX_CHARS and "\t" not in s):
            flush()
            continue
        run.append(lineno)
        if any(_ROSTER_OFFICE.search(c.strip()) for c in s.split("\t") if c.strip()):
            offices += 1
    flush()
    return frozenset(out)


# A status word's reach: its clause. A list's 、 does not end it ("推进A、B建设" builds both).
_SCOPE_END = _SENTENCE_END + "，,：:"

# Words the status of a named place may follow from, by where they stand. Each entry is
# (regex, status in a progress report, status in a plan): a plan speaks of the future, so what
# a progress report calls set up (成立, 建成) is, in a plan, still planned.
_Rule = tuple[re.Pattern[str], Status, Status]


def _pick(rule: _Rule, plan: bool) -> Status:
    return rule[2] if plan else rule[1]


# A place that builds or sets up something else with a verb that takes an object ("上海处理器
# 技术创新中心 / 建成高性能并行模拟平台") does work: it exists (RULES.md rule 4, a performer).
# The object is no gazetteer name (then the verb is that name's, _predicate's ``stop``).
_MADE_SOMETHING = re.compile(
    r"(?:建成|成立|设立|组建|建立|搭建)[^，,。；;：:、\s*“”\"]{2,16}?"
    r"(?:平台|系统|数据库|样机|模型|产线|生产线)(?![\u4e00-\u9fff]{0,2}(?:公司|建设))"
)

# Predicates right after the name: "X揭牌", "X建设完成", "X加快建设", "X能级持续提升".
_AFTER: tuple[_Rule, ...] = (
    (_MADE_SOMETHING, "operating", "operating"),
    (re.compile(r"已经?建成|建成运行|持续运行"), "operating", "operating"),
    # "X土建工程基本完工": nearly built, still being built.
    (re.compile(r"基本(?:建成|完工)"), "under_construction", "under_construction"),
    (
        # "X建设获批", like "X获批建设": approved to be built.
        re.compile(
            # "A、B获批建设未来产业科技园": A and B build the park; only "X获批建设" is X's.
            r"获批(?:建设|筹建)(?=$|[，,。；;、(（]|工作|任务)|建设获批|(?:启动)?筹建|预研|规划建设|可行性研究|"
            r"获概算批复|建设方案|"
            # The design stage: "X形成设计方案", "X完成初步设计".
            r"(?:形成|完成)[^，,。；;]{0,4}设计"
        ),
        "planned",
        "planned",
    ),
    (
        re.compile(
            r"建设完成|完成建设|全面建成|建成|竣工|(?:完成|通过)[^，,。；;]{0,4}验收|投入使用|交付使用|启用|投用|"
            # "完成机构注册": the institution now exists in law.
            r"完成(?:机构|法人|工商)?(?:注册|登记)|"
            r"揭牌|挂牌|成立|设立|注册|落地|落户|入驻|开园|开馆|开业|正式运营|获科技部批复|"
            # Awarded a designation's plaque ("X被授牌上海城市数字化转型示范区", RULES.md rule 6).
            r"(?:被|获)?授牌|"
            # A plant or line that starts production or feeds the grid ("X投产", "X并网发电").
            r"(?:建成)?投产|(?:全容量)?并网发电|(?:全线)?通线|"
            # Started, with nothing after it: "上海（浦东）科创板拟上市企业知识产权服务站启动".
            r"启动(?=$|[，,。；;])|"
            # "X获批" sets X up; "X获批Y" is about Y.
            r"获批(?:成立|设立|组建)?(?=[，,。；;]|$)"
        ),
        "launched",
        "planned",
    ),
    # 进场 is a builder moving in, but 进场交易 is trading on an exchange.
    (
        re.compile(
            # "X加速形成": taking shape.
            r"(?:加速|加快)形成|"
            r"在建|建设中|正在建设|开工|施工|启动建设|主体结构|(?:单体)?结构封顶|封顶|进场(?!交易)|安装|加快建设|加速建设|"
            r"加快推进|推进建设"
        ),
        "under_construction",
        "under_construction",
    ),
    (
        # "X标杆地位持续提升", "X“科创板”作用持续发挥": a working place keeps growing.
        re.compile(
            r"投入运行|运行|投运|开放共享|对用户开放|服务.{0,6}用户|能级|"
            r"[^，,。；;、]{0,10}?(?:持续|不断)(?:提升|发挥|提质|增强|壮大)|"
            # "X加快发展": a place that develops faster already works.
            r"(?:加快|持续)发展(?=$|[，,。；;])"
        ),
        "operating",
        "operating",
    ),
    # A place that releases, develops or achieves something exists and works ("上海人工智能
    # 实验室发布…"), even where the report also pushes its building on.
    (re.compile(r"发布|研制|研发出|推出|取得|攻克|突破|首次"), "operating", "operating"),
    # A place with a year's output or turnover works (RULES.md rule 2: shown existing): "X，
    # 2021年度产值达560亿元", "X全年进场交易额…".
    (
        re.compile(
            r"(?:全年|年度|累计)?(?:总)?(?:产值|营收|营业收入|销售收入|产业规模|(?:进场)?交易额|成交额)"
            r"[^，,。；;]{0,3}?(?:达|超|突破|约|[0-9])"
        ),
        "operating",
        "operating",
    ),
    # Chosen for a list of featured parks, bases or sites: the place already exists (RULES.md
    # rule 15): "张江（元宇宙）数链产业基地入选第3批市级特色产业园区", "X获评首批…示范区", and a
    # college chosen for a programme's list ("X入选首批国家产业学院建设名单").
    # Not "入选…建设高校名单": chosen to build a new college there (its host, rule 3).
    (
        re.compile(r"入选(?![^，,。；;]{0,16}建设[^，,。；;]{1,4}名单)|获评"),
        "operating",
        "operating",
    ),
    # A place that bids to become a higher-level one ("市临床医学研究中心创建国家临床医学研究
    # 中心", "X申报国家级高新区") exists already.
    (re.compile(r"创建(?=国家|国际|全国|世界)|争创|申报|申建"), "operating", "operating"),
)
# Predicates that take no object: one right before the next name still ends this name's clause.
_INTRANSITIVE = re.compile(
    r"(?:封顶|揭牌|挂牌|完工|竣工|验收|投入使用|交付使用|投入运行|投运|投用|开园|开馆|开业|"
    r"注册|登记|建设完成|完成建设|全面建成|建成运行)$"
)
#: A bare 建设 after the name ("X在奉贤建设", "以X建设为抓手"): being built in a progress report,
#: planned in a plan.
#: Not when 建设 takes an object ("张江高新区建设世界领先科技园区", "X建设运行Y") or names an
#: office ("张江科学城建设管理办公室").
_BUILD = re.compile(r"(?:培育)?建设")
_BUILD_END = re.compile(
    r"$|[，,。；;、\s*“”]|工作|任务|工程|项目|取得|进展|步伐|加快|加速|稳步|顺利|全面|有序|提速|的|为(?:抓手|重点|核心)"
)
# Verbs right before the name (verb + object): "成立X", "加快建设X", "打造X", "提升X能级".
_BEFORE: tuple[_Rule, ...] = (
    (
        re.compile(r"获批建设|获批筹建|筹建|谋划|规划建设|拟建|将新建|布局建设|争取"),
        "planned",
        "planned",
    ),
    # "新增X…N家孵化器": X is newly recognised or set up this year.
    (re.compile(r"建成|成立|设立|组建|新设|新增|揭牌|启用"), "launched", "planned"),
    (
        re.compile(
            r"加快建设|加速建设|开工建设|启动建设|在建|加快推进|持续推进|全面推进|继续推进|深化"
        ),
        "under_construction",
        "under_construction",
    ),
    (re.compile(r"提升|增强|发挥|依托|用好|升级"), "operating", "operating"),
    # "建设X" in a progress report reports building going on; in a plan it is to be done.
    # "共建X": partners building X together, likewise.
    (re.compile(r"(?<!获批)(?<!规划)建设(?:成为?)?|共建"), "under_construction", "planned"),
    # "开发国家大数据安全靶场、新基建网络安全风险展示中心等重点项目": developing a named place
    # (not a product: its object is a gazetteer name) is building it.
    (re.compile(r"(?<!研)开发(?:建设)?"), "under_construction", "planned"),
    # "打造X" in a progress report is the year's work on X going on (being built); in a plan, to be done.
    # "把X打造成Y" / "X打造成Y": Y is what is made.
    # "构建宝山云端科创城" builds the place like 打造 (RULES.md rules 2, 9).
    (re.compile(r"打造(?:成为?)?|构建"), "under_construction", "planned"),
    (re.compile(r"新建|布局"), "planned", "planned"),
)
# "推进…建设" / "启动…建设" ending right before a name (only a line break between).
_CLOSED_PUSH = re.compile(
    r"(?:推进|推动|加快|加速|深化|持续|启动)[^，,。；;：:]{2,}?建设[\s*“”\"]*$"
)
# A whole short line that is a subject and its predicate ("一批重大平台加快建设").
_HEADLINE = re.compile(r"[^，,。；;：:、]{2,}?(?:加快建设|加速建设|建设|推进)")
_HEADLINE_MAX_CHARS = 20
# Verbs that only with a 建设 after the name say it is being built ("推进A、B建设", "启动X建设");
# in a plan only those that speak of work already going on (加快, 继续, 推进) do.
_PUSH = re.compile(r"推进|推动|启动|支持|参与|加快|加速|深化|继续")
# "推进X建设" pushes work on X forward: in a plan, too, the building is under way.
_ONGOING = re.compile(r"加快|加速|深化|继续|持续|推进")
# What may stand between a name and its predicate: dates, counts, adverbs (实现: "X11月实现结构
# 封顶"), a place (在奉贤), quotes,
# Markdown emphasis and link marks ("[X](#)完成机构注册"), a table's cell bar (a "name | progress" row of an added report), and after 等 a short class noun ("A、B等一批基础策源平台落地").
_FILLER = (
    r"(?:[\s*“”\"()（）|]|\[|\]|\(#\)|已经?|正式|顺利|全面|全部|集中|率先|相继|先后|成功|实现|均|于|在[\u4e00-\u9fff]{1,3}|"
    r"年内|全力|积极|[0-9.]+|[年月日号家个项所座批条]|一批|新一轮|首批|第[0-9一二三四五六七八九十]+批|"
    # The place's own project: "X项目进场施工", "X工程开工".
    r"项目|(?:土建|主体|基建)?工程(?!师)|"
    # What the place relies on to do it: "上海长兴海洋实验室依托事业法人机构已启动筹建".
    r"依托[\u4e00-\u9fff]{1,10}?(?=已|正式|全面|启动|推进|完成)|"
    # The place as a company of its own name: "上海市计量测试技术研究院有限公司落地".
    r"(?:集团)?(?:股份)?有限(?:责任)?公司)*"
)
_CLASS_NOUN = r"(?:实验室|研究院|研究所|中心|大学|高校|平台|装置|设施|基地|园区?|孵化器|集聚区|机构|载体|单位)"
# After 等 or a count ("A、B等一批…平台", "A、B、C3个临床医学研究中心获批建设", "…895孵化器6家
# 新一轮高质量孵化器建设") a short class noun sums the list up.
# Unnamed list items may come before that summing-up ("A、林德华力3期配套气体等项目落地").
_AFTER_GAP = re.compile(
    rf"{_FILLER}(?:(?:(?:、[^，,。；;、：:]{{1,16}}?)*等|(?<=[家个所项座批])){_FILLER}"
    rf"(?:[^，,。；;、：:]{{0,20}}?{_CLASS_NOUN})?)?"
)
# A name that only qualifies the noun after it is not the verb's object: "设立上海数据交易所
# 数字资产板块" sets up the board, "加快建设张江药谷综合服务中心" builds the service centre.
# "打造复兴岛成为主要承载地": X is made into Y, so X is the object.
_OBJECT_END = re.compile(r"[\s*“”\"()（）]*(?:$|[、和与及并等]|成为)")
# "打造X职能" builds the function, "建设X升级版" its upgraded version; "以A、B为支撑的体系"
# builds the system and A, B with it.
_QUALIFIES = re.compile(
    r"(?!为(?:支撑|核心|主体|骨干|引领|龙头)的)"
    # "建设X和Y中心" builds both: a conjunction starts a list item, not a qualified noun; and
    # "开发A、B等重点项目" sums the list up (等), it does not qualify a noun.
    r"(?![和与及]|”?等)"
    r"”?[\u4e00-\u9fffA-Za-z]{0,10}?(?:中心|板块|入口|大楼|楼|工程|项目|院区|职能|功能|升级版|的|"
    # Bodies and events named after the place: "推进“虹桥智谷”CTOU首席技术官联盟".
    r"联盟|协会|基金|大赛)"
)
# A new phase or version right after the name: "X2.0", "X二期" (RULES.md rules 3, 13).
_NEW_PHASE = re.compile(
    r"[\s*“”\"]*(?:[0-9]\.0|[二三四五]期(?!工程师)|"
    # An upgrade or overhaul is a new phase too (rule 13): "推进上海科技馆更新改造大修".
    r"(?:更新)?改造|改扩建|扩建|修缮|大修)"
)
# "A大学、B大学等大学科技园…建设": the clause is about the universities' science parks.
_UNIVERSITY = re.compile(r"(?:大学|学院)$")
# "A园、B大学、C大学等13个…创新基地揭牌": a university in a list summed up as bases, parks or
# centres hosts one of them (RULES.md rule 3); the university itself is not set up.
_HOSTS_SUMMED_UP = re.compile(
    r"[\s*“”\"]*等[^，,。；;、：:]{0,24}?(?:基地|园区?|中心|平台|实验室|孵化器|集聚区|载体)"
    r"(?:[\s*“”\"]|[^，,。；;、：:]{0,6}?(?:揭牌|挂牌|成立|设立|获批|认定|授牌|启用|建设))"
)
_UNIVERSITY_PARK = re.compile(r"[\s*“”\"]*等?[^，,。；;：:]{0,6}?大学科技园")
# Between a verb and its object: quotes, a few modifiers, and other list items ("启动建设
# 类脑智能、硅光、…等未来产业集聚区" builds each).
# Also a short phrase ending in 的 ("打造国际化的X") and a district naming where the object
# lies ("继续推进青浦长三角…示范区建设").
_DISTRICT = (
    r"(?:浦东|黄浦|静安|徐汇|长宁|普陀|虹口|杨浦|宝山|闵行|嘉定|金山|松江|青浦|奉贤|崇明|临港)"
    r"(?:新区|区)?"
)
_BEFORE_GAP = re.compile(
    # A longer 的 phrase that says what the object has: "建设具有“能源清洁高效利用、…”的X".
    rf"(?:(?:具有|具备)[^，,。；;：:]{{1,40}}?的)?"
    # A first of its kind: "建设国内首条公里级高温超导输电电缆示范工程".
    rf"(?:[\s*“”\"()（）]|上海市?|(?:全国|国内|全球|世界|国际)?首[个条座家台套批]|一批|一个|新一轮|一流|"
    rf"[\u4e00-\u9fff]{{0,5}}的|了)*"
    rf"(?:[^，,。；;：:、]{{1,10}}、)*(?:[\s*“”\"()（）]|上海市?|全国首个|首个|一批|的|{_DISTRICT})*"
    # The class the object belongs to, in apposition: "开工建设“十四五”国家重大科技基础设施“X”".
    rf"(?:(?:“十[四五]五”)?(?:国家|市级|国家级)?重大(?:科技)?(?:基础)?(?:设施|平台|项目)[\s*“”\"]*)?"
)
_LIST_JOIN = re.compile(r"^[\s*“”\"()（）]*(?:、|和|与|及|以及|或)[\s*“”\"()（）]*$")
# A list item may carry a modifier ending in 的 ("A、闵行环…大学的“B”") or its leader
# ("甲牵头A、乙牵头B建设"), or name an example ("以“A”为代表的B"): the verb before the list,
# or the predicate after it, still reaches the item.
_LIST_JOIN_MODIFIED = re.compile(r"^[\s*“”\"]*、[^，,。；;：:、]{1,20}?(?:的|牵头)[\s*“”\"]*$")
_REPRESENTED = re.compile(r"^[\s*“”\"]*为代表的[\s*“”\"]*$")
_REPRESENTED_HEAD = re.compile(r"以[\s*“”\"]*$")
_BOOK_TITLE = re.compile(r"《[^《》]{0,80}》")
_TITLE_PUSH = re.compile(r"推进|推动|加快|打造")
_PLAN_TITLE = re.compile(r"[”\"]?(?:建设方案|行动方案|建设规划|专项规划)")


def _predicate(
    after_text: str, stop: int, plan: bool, line_no: Sequence[int], *, pushed: bool = False
) -> tuple[Status | None, bool]:
    """Return the status of the predicate right after a name, and whether it is a bare 建设.

    ``pushed``: a push verb stands before the name ("推进X…"), so a 建设 that ends a line
    closes "推进X建设" even when the next line starts with another name.
    """
    cuts = [i for i in range(stop + 1) if _AFTER_GAP.fullmatch(after_text, 0, i)]

    def ends_line(end: int) -> bool:
        return 0 < end < len(line_no) and line_no[end - 1] != line_no[end]

    def found(pattern: re.Pattern[str]) -> bool:
        for i in cuts:
            m = pattern.match(after_text, i)
            # A verb right before the next name is that name's ("复旦大学成立相辉研究院"),
            # unless it takes no object ("A封顶B启用" in a list without punctuation) or
            # closes a pushed phrase at a line end.
            if m and not (
                stop < len(after_text)
                and _BEFORE_GAP.fullmatch(after_text, m.end(), stop)
                and not _INTRANSITIVE.search(m.group(0))
                and not (pushed and pattern is _BUILD and ends_line(m.end()))
                # Its object is in the match: a name right after it is no object.
                and pattern is not _MADE_SOMETHING
            ):
                return True
        return False

    for rule in _AFTER:
        if found(rule[0]):
            return _pick(rule, plan), False
    # A bare 建设 ends its phrase ("X建设，", "X建设取得进展") or its line (PDF headlines run on
    # without punctuation); "X建设Y" is X building Y.
    ends_build = [
        i
        for i in cuts
        if (m := _BUILD.match(after_text, i))
        and (
            _BUILD_END.match(after_text, m.end())
            or line_no[m.end() - 1] != line_no[min(m.end(), len(line_no) - 1)]
        )
    ]
    if ends_build and found(_BUILD):
        return ("planned" if plan else "under_construction"), True
    return None, False


def _verb(before_text: str, plan: bool) -> tuple[Status | None, str | None]:
    """Return the status of the verb right before a name, and the push verb there if any."""
    for rule in _BEFORE:
        for m in rule[0].finditer(before_text):
            if _BEFORE_GAP.fullmatch(before_text, m.end()):
                return _pick(rule, plan), None
    for m in _PUSH.finditer(before_text):
        if _BEFORE_GAP.fullmatch(before_text, m.end()):
            return None, before_text[max(0, m.start() - 2) : m.end()]
    return None, None


def _others(
    start: int, end: int, clause: tuple[int, int], names: Sequence[tuple[int, int, str, str]]
) -> list[tuple[int, int]]:
    """Return the spans of the other names inside the clause."""
    c_start, c_end = clause
    return [
        (a, b) for a, b, _, _ in names if c_start <= a and b <= c_end and (a, b) != (start, end)
    ]


def _list_span(
    text: str, start: int, end: int, inside: Sequence[tuple[int, int]]
) -> tuple[int, int]:
    """Walk over the list this name is an item of ("A、B和C"), both ways: its (head, tail)."""
    head, tail = start, end
    changed = True
    while changed:
        changed = False
        for a, b in inside:
            if b <= head and (
                _LIST_JOIN.match(text[b:head]) or _LIST_JOIN_MODIFIED.match(text[b:head])
            ):
                head, changed = a, True
            elif b <= head and _REPRESENTED.match(text[b:head]):
                m = _REPRESENTED_HEAD.search(text, max(0, a - 4), a)
                if m:
                    head, changed = m.start(), True
            elif a >= tail and (
                _LIST_JOIN.match(text[tail:a]) or _LIST_JOIN_MODIFIED.match(text[tail:a])
            ):
                tail, changed = b, True
    return head, tail


# "在X…": X is where something happens ("在X建成Y", "A在X设立").
_AT = re.compile(r"在[\s*“”\"]*$")
_AT_GAP = re.compile(r"[\s*“”\"]*在[\s*“”\"]*")


def status_of_item(
    text: str,
    start: int,
    end: int,
    clause: tuple[int, int],
    names: Sequence[tuple[int, int, str, str]],
    *,
    plan: bool = False,
    line_of: Sequence[int] | None = None,
    punctuated: bool = False,
) -> Status | None:
    """Return the status the clause gives the name at ``text[start:end]`` itself, or None.

    A status word counts only when it acts on this name (or on the list it is an item of):
    a predicate right after it ("X揭牌", "A、B加快建设") or a verb right before it ("成立X",
    "加快建设A、B"). Words about another name in the clause ("复旦大学成立相辉研究院" sets up
    相辉研究院, not 复旦大学) or in a neighbouring clause do not. A name in a document's title
    is planned if the document is a plan to build (《…建设方案》), else it says nothing.
    """
    c_start, c_end = clause
    for title in _BOOK_TITLE.finditer(text, max(0, c_start - 80), min(len(text), c_end + 80)):
        if title.start() < start and end < title.end():
            # Only a plan for building this place: "《推进“大零号湾”…功能区建设方案》", not
            # "《张江高新区加快世界领先科技园区建设行动方案》" (the zone exists; the park is the aim).
            of_it = _PLAN_TITLE.match(text, end, title.end()) or re.search(
                r"(?:打造|建设)[“\"]?$", text[title.start() : start]
            )
            if not of_it:
                return None
            # A progress report's plan that pushes or builds up the place ("发布实施《推进X建设
            # 方案》", "落实《协同打造X行动方案》") reports the work on X going on.
            if not plan and _TITLE_PUSH.search(text, title.start(), start):
                return "under_construction"
            return "planned"
    inside = _others(start, end, clause, names)
    head, tail = _list_span(text, start, end, inside)
    # "在X建成Y": a place named as where something happens takes no predicate of its own.
    if _AT.search(text, c_start, head):
        return None
    if _UNIVERSITY.search(text, start, end) and (
        _UNIVERSITY_PARK.match(text, tail, c_end) or _HOSTS_SUMMED_UP.match(text, tail, c_end)
    ):
        return None
    # "启动X2.0建设", "X二期开工": a new phase has its own status; X's is not told (rule 13).
    if _NEW_PHASE.match(text, end, c_end):
        return None
    # "依托X建设Y", "以X为核心…": X only hosts or bases something else (RULES.md rule 5).
    if _AS_CORE_HEAD.search(text, c_start, head) and _AS_CORE_TAIL.match(text, tail, c_end):
        return None
    # The predicate stops at the next name (whose own verb it may be); the verb at the last.
    stop = min([a for a, _ in inside if a >= tail] + [c_end])
    begin = max([b for _, b in inside if b <= head] + [c_start])
    line_no = line_of[tail:c_end] if line_of else [0] * (c_end - tail)
    before_text = text[begin:head]
    # A line ending in "推进…建设" closes that phrase, and a short line "X加快建设" is a
    # headline: in PDF text without punctuation the next line's name ("推动三大国家农业科技园区
    # 建设 / 浦东园区按照…", "高水平研发机构加快建设 / 李政道研究所 / 取得…") is not its object.
    if line_of and head > 0 and line_of[head - 1] != line_of[head]:
        first = head - 1
        while first > c_start and line_of[first - 1] == line_of[head - 1]:
            first -= 1
        headline = (
            (first == 0 or line_of[first - 1] != line_of[first])
            and head - first <= _HEADLINE_MAX_CHARS
            and _HEADLINE.fullmatch(text, first, head)
        )
        if headline or _CLOSED_PUSH.search(text, c_start, head):
            before_text = ""
    before, push = _verb(before_text, plan)
    after, bare_build = _predicate(
        text[tail:c_end], stop - tail, plan, line_no, pushed=push is not None
    )
    # "X在Y设立": the predicate after the place where X stands is X's.
    where = next((b for a, b in inside if a == stop and _AT_GAP.fullmatch(text, tail, a)), None)
    if after is None and not bare_build and where is not None:
        stop = min([a for a, _ in inside if a >= where] + [c_end])
        line_no = line_of[where:c_end] if line_of else [0] * (c_end - where)
        after, bare_build = _predicate(text[where:c_end], stop - where, plan, line_no)
    # In punctuated (Markdown) text the object also ends where the clause, a list or a
    # predicate does; "深化张江高新区改革创新" deepens the reform, not the zone.
    # A count and class noun summing up the list ("新增A、B2家市级孵化器") ends the object too.
    qualifies = _QUALIFIES.match(text, tail, c_end) or (
        punctuated
        and not _OBJECT_END.match(text, tail, c_end)
        and not _AFTER_GAP.fullmatch(text, tail, c_end)
    )
    if before not in (None, "operating") and after is None and not bare_build and qualifies:
        before = None
    if bare_build and push is None:
        # "推进A改造和X建设工程": the clause's push verb frames X's building too.
        framed = _PUSH.search(text, c_start, head)
        push = framed.group(0) if framed else None
    if bare_build:
        # "推进X建设" / "启动X建设": being built; in a plan, only if the work already goes on
        # ("加快X建设", "继续推进X建设"), else planned like a bare "建设X".
        if push is not None:
            return "under_construction" if not plan or _ONGOING.search(push) else "planned"
        return before or after
    return after or before


# A part named after the place, then its building started or finished: "X东海观测平台完成陆地
# 建造", "X神经与代谢药物研发中心科研实验楼完工", "X研发大楼主体结构封顶".
_PART_BUILT = re.compile(
    r"[\s*“”\"]*[\u4e00-\u9fff]{1,20}?(?:楼|平台|站|工程|项目|一期|二期|三期|用房)[\s*“”\"]*"
    r"(?:完工|封顶|完成[^，,。；;]{0,4}建造|竣工|开工|主体结构)"
)

# A building or campus of the place finished or opened: "张江实验室研发大楼完成建设并投入使用"
# (RULES.md rule 3: the new building has its own status; its host's is not told).
_BUILDING_DONE = re.compile(
    r"[\s*“”\"]*(?:的)?[\u4e00-\u9fff]{0,8}?(?:大楼|楼|用房|院区|校区)[\s*“”\"]*"
    r"(?:正式|顺利|全面)?(?:完成建设|建设完成|建成|落成|投入使用|交付使用|启用)"
)

# Roles in which a clause names a place without saying anything of its own state.
# Where something else happens: "在上海天文馆、临港国际会议中心试点应用"; where others move
# in: "…企业入驻世博地区".
_ROLE_WHERE = re.compile(r"(?:在|入驻)[\s*“”\"]*$")
# What work centres on or turns to: "围绕模力双塔、模力岛等重点功能区域，构建…", "聚焦临港新片区，建设…".
_ROLE_FOCUS = re.compile(r"(?:围绕|聚焦)[\s*“”\"]*$")
# Taken into something larger as a member: "模力双塔、模力岛等…产业空间被纳入张江人工智能创新小镇"
# (not "纳入…名单", a list of featured places, RULES.md rule 15).
_ROLE_MEMBER = re.compile(r"[^，,。；;]{0,24}?被纳入(?![^，,。；;]*(?:名单|清单|目录))")

# Where a project of its own name goes ahead: "上海化工区10万吨级绿色甲醇项目投产", "推动汽车城
# 双智试点项目实施" (a place named only as the location of something else). Not the place's own
# project right after its name ("X项目进场施工", _FILLER).
_ROLE_PROJECT_SITE = re.compile(
    r"[\s*“”\"]*(?![\s*“”\"]*(?:项目|工程))[^，,。；;：:、\s]{1,20}?(?:项目|工程)[\s*“”\"]*"
    r"(?:正式|顺利|全面|加快)?(?:建成)?(?:投产|实施|落地|签约|开工|启动|推进)"
)

# Only the start of a company's name: "上海化学工业区发展有限公司等11家…中试基地获授牌" names
# the company (a host), not the park.
# A company of the same name ("上海化工研究院有限公司") is the place itself (_FILLER).
_COMPANY_NAME = re.compile(
    r"(?:发展|投资|开发|建设|管理|实业|控股|资产|运营|服务)[\u4e00-\u9fff]{0,4}?"
    r"(?:集团)?(?:股份)?有限(?:责任)?公司"
)

# An office of the place elsewhere: "圣彼得堡彼得大帝理工大学（科技中心）上海代表处与…组织技术
# 交流" (the office does the work; the place's own state is not told, RULES.md rule 3).
_OFFICE_OF = re.compile(
    r"[\s*]*(?:[（(][^（）()]{0,12}[)）])?[\s*]*(?:上海|中国|驻沪)?(?:代表处|办事处|联络处)"
)

# Users of a facility: "完成北京大学、上海交通大学…等15个用户课题" (RULES.md rule 14).
_ROLE_USER = re.compile(r"[\s*“”\"]*等?[\s*0-9]*[个家名]?(?:外部|企业)?用户")

# A party to an agreement or a partnership, or a participant of an event: "A与X签署战略合作
# 协议", "A与X建立对口协作机制", "X携手Y推进…", "组织A、X等高校院所参加" (not "X参与Y建设": X contributes its work).
_ROLE_PARTY = re.compile(r"签署|签约|合作协议|战略合作|协作|携手|参加$")

# A co-founder: "联合复旦大学张江研究院和上海市生物医药行业协会共同组建上海市…平台" (RULES.md
# rule 14: co-founders and members are empty; what they found has its own status).
_CO_FOUNDER_HEAD = re.compile(r"(?:联合|携手|会同)[\s*“”\"]*$")
_CO_FOUNDER_TAIL = re.compile(
    r"[^，,。；;：:]{0,30}?(?:共同|联合)(?:组建|发起|成立|设立|建设|打造)"
)

# A funder: "X3年投入1亿元支持Y建设" (the money goes to Y; X is named as who pays).
# Not "X投入试运营" (X is put into operation).
_ROLE_FUNDER = re.compile(rf"{_FILLER}(?:投入(?=[0-9.]|资金|经费)|出资|资助|捐资|捐赠)")

# The host of a new unit it is approved for: "A、X获批国家卓越工程师学院" (the college has its
# own status; the host's is not said). Not "复旦大学成立相辉研究院": an institution that sets
# something up is named for its work.
_ROLE_MAKER = re.compile(rf"{_FILLER}获批(?:建设|筹建)?(?=[\s*“”\"]*[\u4e00-\u9fff])")

# A route end or a stop on a route: "“苏州昆山—杨浦复兴岛—浦东机场”低空载人航线", and a zone
# spanning two places ("环上海交通大学—华东师范大学的…"). A single dash joins the names; a
# double dash (——) is prose.
_ROUTE_DASH = "—－"


# A ferry or air route's ends named before it: "投入长兴岛横沙岛车客渡运营".
_ROUTE_TAIL = re.compile(r"[\u4e00-\u9fff]{0,6}?(?:车客渡|车客度|轮渡|航线)")


def _on_route(text: str, start: int, end: int) -> bool:
    if _ROUTE_TAIL.match(text, end, end + 10):
        return True
    before = text[start - 1 : start] in tuple(_ROUTE_DASH) and text[start - 2 : start - 1] != "—"
    after = text[end : end + 1] in tuple(_ROUTE_DASH) and text[end + 1 : end + 2] != "—"
    return before or after


# A name that only names an event held about it or at it: "召开国家人工智能创新应用先导区高端
# 研讨会", "X论坛" (an event host or venue, RULES.md rule 4).
_EVENT_TAIL = re.compile(
    r"[\s*“”\"]*(?:(?![和与及])[\u4e00-\u9fff0-9A-Za-z]){0,10}?(?:研讨会|论坛|峰会|年会|大会|博览会|展览会|发布会|推介会|对接会|座谈会|交流会|"
    r"联盟|协会|大赛|品牌)"
)


# The place, or the list it is an item of, as the core or base of something else: "以外滩金融集聚带、
# 世博地区浦西片区为核心，…构建…生态社区", "立足南大、吴淞等重点地区建设科创中心" (a location).
_AS_CORE_HEAD = re.compile(r"(?:以|立足|依托)[\s*“”\"]*$")
_AS_CORE_TAIL = re.compile(
    r"[\s*“”\"]*(?:等[^，,。；;：:]{0,8}?)?"
    r"(?:为(?:核心|载体|依托|主体|中心|龙头|主阵地|承载区?|支点|枢纽)|"
    r"(?:建设|打造|建立|设立|成立|组建|布局|"
    # "依托上海自贸区临港新片区持续推进生物医药数据跨境改革试点": the work is pushed there.
    r"(?:持续|继续|加快)?(?:推进|推动))(?=[^，,。；;：:为]))"
)


# Only the start of a longer quoted term: "“长三角一体化发展示范区科普护照”" names the passport.
_QUOTE_OPEN = re.compile(r"[“\"]$")
_QUOTED_TAIL = re.compile(r"[^“”\"，,。；;、]{1,12}[”\"]")

# An institution's name run straight into another place's name only says whose that place is:
# "上海交通大学附属瑞金医院转化医学国家重大科技基础设施" (the hospital hosts the facility).
_INSTITUTION = re.compile(r"(?:医院|大学|学院|研究所|研究院)$")


def says_nothing_of_it(
    text: str,
    start: int,
    end: int,
    clause: tuple[int, int],
    names: Sequence[tuple[int, int, str, str]],
) -> bool:
    """Whether the clause names the place only in a role that says nothing of its own state.

    The name only begins a longer quoted term ("“X科普护照”") or another place's name (its
    host: "X医院Y设施"); or the place, or the list it is an item of, is where something else
    happens, a party to an agreement or partnership, a participant of an event, a funder, or
    the host of a new unit it is approved for.
    """
    head, tail = _list_span(text, start, end, _others(start, end, clause, names))
    return bool(
        (_INSTITUTION.search(text, start, end) and any(a == end for a, _, _, _ in names))
        or (_QUOTE_OPEN.search(text, clause[0], start) and _QUOTED_TAIL.match(text, end))
        or _on_route(text, start, end)
        or _NEW_PHASE.match(text, end, clause[1])
        or _BUILDING_DONE.match(text, end, clause[1])
        or (
            _AS_CORE_HEAD.search(text, clause[0], head)
            and _AS_CORE_TAIL.match(text, tail, clause[1])
        )
        or _EVENT_TAIL.match(text, end, clause[1])
        or _ROLE_WHERE.search(text, clause[0], head)
        or _ROLE_FOCUS.search(text, clause[0], head)
        or _ROLE_MEMBER.match(text, tail, clause[1])
        or _ROLE_PARTY.search(text, *clause)
        or _ROLE_FUNDER.match(text, tail, clause[1])
        or _ROLE_USER.match(text, tail, clause[1])
        or _COMPANY_NAME.match(text, end, clause[1])
        or _OFFICE_OF.match(text, end, clause[1])
        or _ROLE_PROJECT_SITE.match(text, tail, clause[1])
        or (
            _CO_FOUNDER_HEAD.search(text, clause[0], head)
            and _CO_FOUNDER_TAIL.match(text, tail, clause[1])
        )
        or _ROLE_MAKER.match(text, tail, clause[1])
    )


# Between a list alias's head and its tail: the rest of the list ("、消化系统疾病…等"), never a
# sentence or clause break other than the list's own 、.
_LIST_GAP = r"[^。！？!?;；，,：:]{0,80}?"


@functools.lru_cache(maxsize=4)
def list_alias_patterns(gazetteer: Gazetteer) -> tuple[tuple[re.Pattern[str], str], ...]:
    """Compile each list alias "head…tail" into a regex, paired with its place id."""
    return tuple(
        (re.compile(re.escape(head) + _LIST_GAP + re.escape(tail)), p.id)
        for p in gazetteer.places
        for head, tail in p.list_aliases()
    )


# A name followed at once by one of these is the head of a longer, different name: "SKA" in
# "SKA区域中心" is not the telescope. Only institution words: "…装置装置" or "…设施平台关键技术"
# are typos and topics, not longer names.
_SWALLOWED_BY = re.compile(r"区域中心|分中心|中心|研究院|研究所|实验室|学院|大学|医院")


# Where a bare alias ("张江=") stands alone: before punctuation or the end, or before the words
# that follow a place in these reports ("聚焦张江再出发", "在张江成立…", "南大、吴淞等重点地区").
_BARE_FOLLOWERS = r"(?=[、，,。；;：:！？!?)）”\s]|再出发|成立|等|$)"


@functools.lru_cache(maxsize=4)
def bare_alias_patterns(gazetteer: Gazetteer) -> tuple[tuple[re.Pattern[str], str], ...]:
    """Compile each bare alias into a regex that matches it only where it stands alone."""
    return tuple(
        (re.compile(re.escape(name) + _BARE_FOLLOWERS), p.id)
        for p in gazetteer.places
        for name in p.bare_aliases()
    )


def _name_matches(text: str, gazetteer: Gazetteer) -> list[tuple[int, int, str, str]]:
    """Return (start, end, place id, matched) for every name: plain, bare and list aliases.

    Plain names match leftmost-longest without overlap, and not when the text goes on into a
    longer institution name (``_SWALLOWED_BY``); bare aliases only where they stand alone and
    outside every plain match; list aliases match on top of them, because the items of one list
    share their tail ("A、B等中心" names both A's and B's centre).
    """
    pattern, index = alias_pattern(gazetteer)
    found = [
        (m.start(), m.end(), index[m.group(0)], m.group(0))
        for m in pattern.finditer(text)
        if not _SWALLOWED_BY.match(text, m.end())
    ]
    # A bare name counts only outside every longer name ("张江" in "张江实验室" is that lab).
    taken = bytearray(len(text))
    for start, end, _, _ in found:
        taken[start:end] = b"\x01" * (end - start)
    for regex, place_id in bare_alias_patterns(gazetteer):
        found += [
            (m.start(), m.end(), place_id, m.group(0))
            for m in regex.finditer(text)
            if not any(taken[m.start() : m.end()])
        ]
    for regex, place_id in list_alias_patterns(gazetteer):
        found += [(m.start(), m.end(), place_id, m.group(0)) for m in regex.finditer(text)]
    return sorted(found)


_SHORT_LINE = 20
_DOUBLE_SPACED = 0.4


def _block_bounds(rt: ReportText) -> list[int]:
    """Return the text offsets where a Markdown block starts or a heading ends, sorted.

    Line joins glue a heading ("### 上海有机所") or a list item onto the paragraph that follows;
    no sentence or clause runs across these offsets.
    """
    first_pos: dict[int, int] = {}
    out = {0, len(rt.text)}
    for pos, lineno in enumerate(rt.line_of):
        first_pos.setdefault(lineno, pos)
        # Each cell of a tab-separated table row is a block of its own.
        line = rt.lines[lineno - 1]
        if (
            pos
            and rt.line_of[pos - 1] == lineno
            and "\t" in line[rt.col_of[pos - 1] : rt.col_of[pos]]
        ):
            out.add(pos)
    lines = rt.lines
    markdown = rt.report.file.endswith(".md")
    # Double-spaced PDF text (2021 plan) has a blank after most lines: there a blank means nothing.
    single = sum(not ln.strip() for ln in lines) < _DOUBLE_SPACED * len(lines)
    for n, line in enumerate(lines, start=1):
        if n not in first_pos:
            continue
        stripped = line.strip()
        # A Markdown heading, list item or table row, or an indented PDF paragraph, starts one.
        if stripped.startswith(("#", "- ", "* ", "|")) or "\t" in stripped or line[:1] in " \u3000":
            out.add(first_pos[n])
        # A heading or table row ends one. So does a blank line in Markdown, and, in a PDF
        # text that is not double-spaced, a short line before a blank line: a paragraph's last
        # line or a headline ("一批重大平台加快建设"), never a wrapped line.
        before_blank = n < len(lines) and not lines[n].strip()
        paragraph_end = before_blank and (markdown or (single and len(stripped) < _SHORT_LINE))
        if stripped.startswith("#") or "\t" in stripped or paragraph_end:
            nxt = next((first_pos[k] for k in range(n + 1, n + 40) if k in first_pos), None)
            if nxt is not None:
                out.add(nxt)
    return sorted(out)


def _within(blocks: Sequence[int], pos: int) -> tuple[int, int]:
    i = bisect.bisect_right(blocks, pos)
    return blocks[i - 1], blocks[min(i, len(blocks) - 1)]


# A plan's label over what it will build ("重大平台：…"), with an optional item number.
# An approval in the clause: "A、B、C3个临床医学研究中心获批建设", "X建设获批".
_APPROVED = re.compile(r"获\s*批")
# "推进A、B获批建设": the approval is sought, not yet given.
_SEEKS = re.compile(r"推进|推动|争取")
# A plan's section that reviews the last plan's period ("（一）“十三五”时期具有全球影响力的科技创新
# 中心…"): it reports what was done, like a progress report. It ends at the next heading of its
# level or above.
_SECTION_HEAD = re.compile(r"^\s*(?:（[一二三四五六七八九十]+）|[一二三四五六七八九十]+、)")
_REVIEW_HEAD = re.compile(r"^\s*（[一二三四五六七八九十]+）\s*“?十三五”?时期")


def review_lines(lines: Sequence[str]) -> frozenset[int]:
    """1-based numbers of the lines of a plan's review of the last period (``_REVIEW_HEAD``)."""
    out: set[int] = set()
    inside = False
    for n, line in enumerate(lines, 1):
        if _SECTION_HEAD.match(line):
            inside = bool(_REVIEW_HEAD.match(line))
        if inside:
            out.add(n)
    return frozenset(out)


_PLAN_LABEL = re.compile(r"(?:重大|重点)(?:平台|设施)[:：]")
# A later item of a numbered 重大平台 list: "重大平台：1、X。聚焦…。2、Y。聚焦…" (Y is planned too).
_NUMBERED_ITEM = re.compile(r"[\s*]*[2-9]、[\s*“”\"]*")


def _plan_list_item(text: str, s_start: int, start: int) -> bool:
    """Whether the name is item 2, 3 … of a numbered list that began "重大平台：1、"."""
    m = _NUMBERED_ITEM.match(text, s_start)
    if not m or m.end() != start:
        return False
    first = text.rfind("1、", 0, s_start)
    return first >= 0 and bool(_PLAN_LABEL.search(text, max(0, first - 8), first))


# An academician's unit: the name, then only the division in brackets.
_AFFILIATION = re.compile(r"[\s*]*\([^()]{0,12}学部\)[\s*]*")


def _continued(
    text: str,
    c_end: int,
    s_end: int,
    names: Sequence[tuple[int, int, str, str]],
    plan: bool,
    line_of: Sequence[int],
) -> Status | None:
    """Return the status of the next clause when it has no subject of its own.

    "X依托Y推进筹建工作，11月注册设立": the clause after X's names nobody and is only a
    predicate ("11月注册设立"), so X is its subject. A clause that names a place before its
    predicate, or says more than a predicate (unless its line ends there: PDF text runs the
    next item on without punctuation), is not X's.
    """
    if c_end >= s_end or text[c_end] not in "，,":
        return None
    n_start = c_end + 1
    n_end = n_start
    while n_end < s_end and text[n_end] not in _SCOPE_END:
        n_end += 1
    clause = text[n_start:n_end]
    cuts = [i for i in range(len(clause) + 1) if _AFTER_GAP.fullmatch(clause, 0, i)]
    for rule in _AFTER:
        for i in cuts:
            m = rule[0].match(clause, i)
            if not m or any(n_start <= a < n_start + m.end() for a, _, _, _ in names):
                continue
            rel = m.end()
            while (more := rule[0].match(clause, rel)) and more.end() > rel:  # "注册设立"
                rel = more.end()
            end = n_start + rel
            line_ends = end < len(line_of) and line_of[end - 1] != line_of[end]
            if len(clause) - rel <= _CONTINUED_TAIL or line_ends or _AMOUNT.fullmatch(clause, rel):
                return _pick(rule, plan)
    return None


# Firms or bodies already settled in the place: "加快“长三角农业硅谷”建设，入驻领军型农业科技企业
# 17家" (a count of what is there, not a target: progress reports only).
_HOUSES = re.compile(
    r"[\s*]*(?:已|累计|共)?(?:入驻|集聚|聚集|引进|吸引)[^，,。；;：:]{0,16}?"
    r"(?:企业|机构|项目|团队|人才)[^，,。；;：:]{0,4}?[0-9]"
)


def _houses(text: str, c_end: int, s_end: int, names: Sequence[tuple[int, int, str, str]]) -> bool:
    """Whether the next clause, naming no place, counts firms or bodies the place houses."""
    if c_end >= s_end or text[c_end] not in "，,":
        return False
    m = _HOUSES.match(text, c_end + 1, s_end)
    return m is not None and not any(c_end < a < m.end() for a, _, _, _ in names)


_CONTINUED_TAIL = 2
# An amount may end the subject-less clause: "，2021年度产值达560亿元".
_AMOUNT = re.compile(r"[\s*]*[0-9.]+[\s*]*[万亿]*[元家个项件笔吨]?[\s*]*")


def mentions_from_report(
    rt: ReportText, gazetteer: Gazetteer, boxes: Iterable[tuple[int, int, Status]] = ()
) -> list[Mention]:
    """Find every mention of every gazetteer place in one report.

    ``boxes`` are (first line, last line, status) ranges that the report labels with a status
    (curated in ``status_groups.csv``); they act like a grouping heading.

    A mention's status is what its own clause says about the place (``status_of_item``); only
    when it says nothing does a grouping heading or box it sits under give its status.

    A passage repeated by a duplicated page counts once: a second mention of the same place in
    the same sentence text is dropped, so provenance cites the first occurrence.
    """
    text = rt.text
    grouped = heading_statuses(rt.lines)
    items = listed_item_statuses(rt.lines)
    grouped = [g or item for g, item in zip(grouped, items, strict=True)]
    for first, last, status in boxes:
        grouped[first - 1 : last] = [status] * (min(last, len(grouped)) - first + 1)
    blocks = _block_bounds(rt)
    names = _name_matches(text, gazetteer)
    in_plan = rt.report.kind.endswith("plan")  # a plan's verbs are future tense
    punctuated = rt.report.file.endswith(".md")
    # ... except where it reviews the last plan's period: that part reports progress.
    review = review_lines(rt.lines) if in_plan else frozenset()
    seen: set[tuple[str, str]] = set()
    out: list[Mention] = []
    roster = roster_lines(rt.lines)
    by_id = gazetteer.by_id()
    for start, end, place_id, matched in names:
        if rt.line_at(start) in roster:
            continue
        # A bare place name ("在张江成立…", "聚焦张江") says where or what about, never the
        # place's own state: it cites the place without a status.
        bare = matched + BARE_MARK in by_id[place_id].aliases
        # "环上海交通大学…集聚区" (the zone around the university) only locates something else.
        ring = text[start - 1 : start] == "环"
        b_start, b_end = _within(blocks, start)
        s_start, s_end = _bounds(text, start, end, _SENTENCE_END)
        s_start, s_end = max(s_start, b_start), min(s_end, b_end)
        # Punctuated (Markdown) text ends its clauses itself: a long list ("启动A、B、…6家新一轮
        # 高质量孵化器建设") keeps its verb; PDF text without punctuation needs a tighter window.
        c_start, c_end = _bounds(text, start, end, _SCOPE_END, limit=200 if punctuated else 80)
        c_start, c_end = max(c_start, s_start), min(c_end, s_end)
        # The key is what follows the name up to the sentence end: what precedes it may be a
        # heading glued on by line joining, which differs between the copies of a page.
        key = (place_id, text[start : min(s_end, start + 80)])
        if len(key[1]) < len(matched) + 6:
            key = (place_id, text[c_start:s_end])
        if key in seen:
            continue
        seen.add(key)
        line = rt.line_at(start)
        plan = in_plan and line not in review
        own = (
            None
            if bare or ring
            else status_of_item(
                text,
                start,
                end,
                (c_start, c_end),
                names,
                plan=plan,
                line_of=rt.line_of,
                punctuated=punctuated,
            )
        )
        # A place named only in a role (a host: "依托X推进筹建工作，11月注册设立") is not the
        # subject of the next clause either.
        role_only = own is None and says_nothing_of_it(text, start, end, (c_start, c_end), names)
        if not (bare or ring or role_only):
            then = _continued(text, c_end, s_end, names, plan, rt.line_of)
            # "建设X，2021年度产值达560亿元": building up a place the next clause shows working is
            # work on a working place (RULES.md rule 2).
            if not plan and own == "under_construction" and _houses(text, c_end, s_end, names):
                then = "operating"
            if own is None or (then == "operating" and own in ("planned", "under_construction")):
                own = then
        group = grouped[line - 1]
        part_built = own is None and not bare and bool(_PART_BUILT.match(text, end, c_end))
        # A plan's "重大平台：X。" or "重大平台：A、B、C。" lists platforms it will set up or
        # build: each item is planned unless its own clause says more.
        plan_list = plan and (
            # A long list runs past the usual sentence window: look back to its label.
            bool(
                _PLAN_LABEL.match(
                    text, max(b_start, _bounds(text, start, end, _SENTENCE_END, 400)[0])
                )
            )
            or _plan_list_item(text, s_start, start)
        )
        # A plan's box titled with the place alone ("崇明世界级生态岛碳中和示范区" above "…将崇明岛
        # 打造成…；主要任务：…") sets out a target of the plan (RULES.md rules 1, 9).
        plan_box = plan and rt.lines[line - 1].strip(" \t*#") == matched
        if group is None and (plan_list or plan_box):
            group = "planned"
        says_nothing = own is None and (
            ring
            or part_built
            or bool(_AFFILIATION.fullmatch(text, end, s_end))
            or says_nothing_of_it(text, start, end, (c_start, c_end), names)
        )
        out.append(
            Mention(
                place_id=place_id,
                report=rt.report.id,
                year=rt.report.year,
                line=line,
                quote=rt.quote_at(start, end - start),
                # What the clause says about the place itself wins; else the heading or box.
                # A heading applies to the items listed under it, not to a place a sentence
                # under it names only as a user, host or partner (RULES.md rules 7, 14).
                status=None if bare else own or (None if says_nothing else group),
                matched=matched,
                position=start,
                from_heading=not bare and own is None and not says_nothing and group is not None,
                in_plan=plan,
                reviewed=in_plan and not plan,
                part_built=part_built,
                approved=own == "planned"
                and bool(_APPROVED.search(text, c_start, c_end))
                and not _SEEKS.search(text, c_start, start),
                says_nothing=says_nothing,
            )
        )
    return out


# Place-like names: a body of CJK/ASCII characters ending in a place word. Function words and
# punctuation end a body, so "建设张江科学城和临港实验室" yields two bodies, not one.
_PLACE_SUFFIX = (
    "实验室|研究院|研究所|研究中心|创新中心|工程中心|技术中心|科学中心|转化中心|孵化中心|"
    "科学城|科技城|科创城|科学园|科技园|产业园|创新园|软件园|大学|学院|医院|孵化器|众创空间|"
    "加速器|平台|装置|设施|基地|园区|小镇|秀带|走廊|功能区|集聚区|示范区|创新区|硅谷|智谷|"
    "科学谷|药谷|未来谷|美谷|科创谷|港"
)
_BODY = r"(?:(?!获评|获批|成为|作为|位于|举办|吸引|入驻|围绕|依托|推动|加快|打造|建设)[\u4e00-\u9fffA-Za-z0-9·“”()\-])"
_CANDIDATE = re.compile(rf"({_BODY}{{2,18}}?(?:{_PLACE_SUFFIX}))")
_LEADING_WORDS = re.compile(
    r"^(?:[0-9]+|加快|推进|推动|建设|打造|支持|依托|围绕|聚焦|培育|组建|成立|启动|布局|新建|筹建|"
    r"建成|建好|用好|发挥|提升|加强|深化|完善|实施|开展|形成|构建|引进|设立|创建|落地|揭牌|挂牌|"
    r"全力|积极|持续|重点|进一步|高水平|高标准|高质量|全面|首个|首批|国家级|市级|一批|一流|"
    r"和|与|及|以|在|于|为|将|等|的|了|是|有|由|向|对|从|到|入|获|其|各|该|新|大力|加速|强化|"
    r"优化|探索|谋划|规划|争取|服务|带动|联动|协同|共建|携手|依托于|包括|其中|以及|已|共|累计|"
    # Tails of verbs, counters and dates cut by the body's stop words ("建设X" → "设X").
    r"设|造|快|动|进|托|绕|焦|育|家|个|项|月|年|日|届|批|被|列入|获评|评为|授牌|入选|认定|命名为|"
    r"评|牌|挂)+"
)
_GENERIC_CANDIDATES = frozenset(
    {
        "实验室",
        "研究院",
        "研究所",
        "大学",
        "平台",
        "基地",
        "园区",
        "装置",
        "设施",
        "示范区",
        "国家实验室",
        "全国重点实验室",
        "重点实验室",
        "重大平台",
        "基础设施",
        "重大科技基础设施",
        "大学科技园",
        "研究型大学",
        "科技创新中心",
        "中试平台",
        "概念验证平台",
        "创新平台",
        "科普基地",
        "众创空间",
        "科技企业孵化器",
        "联合实验室",
        "技术创新中心",
        "科研平台",
    }
)


# A count ("273家", "16个", "250万人次") ends the text before a name: keep only what follows it.
_COUNT = re.compile(r"[0-9][0-9.]*(?:家|个|项|所|批|座|万|亿|年|月|日|届|人次|平方米|%)")


def _clean_candidate(raw: str) -> str:
    name = _COUNT.split(raw)[-1].strip("“”()-·")
    previous = None
    while previous != name:
        previous = name
        name = _LEADING_WORDS.sub("", name).lstrip("“”()-·")
    if name.count("“") != name.count("”"):
        name = name.replace("“", "").replace("”", "")
    return name


def candidates_from_corpus(
    corpus: Sequence[ReportText], gazetteer: Gazetteer, excluded: Iterable[str] = ()
) -> list[Candidate]:
    """List place-like names that no gazetteer name or alias covers, most frequent first."""
    known = set(gazetteer.alias_index())
    skip = {normalise(e) for e in excluded}
    counts: dict[str, int] = {}
    first: dict[str, tuple[str, int, str]] = {}
    for rt in corpus:
        text = rt.text
        # Which characters belong to a known name: a candidate whose place word is one of
        # them is already covered (e.g. 杨“数”浦新质秀带 inside 杨“数”浦新质秀带创新区).
        covered = bytearray(len(text))
        for k_start, k_end, _, _ in _name_matches(text, gazetteer):
            covered[k_start:k_end] = b"\x01" * (k_end - k_start)
        roster = roster_lines(rt.lines)
        for m in _CANDIDATE.finditer(text):
            if rt.line_at(m.start(1)) in roster:
                continue
            name = _clean_candidate(m.group(1))
            if len(name) < 4 or name in _GENERIC_CANDIDATES or name in skip or name in known:
                continue
            if covered[m.end(1) - 1]:
                continue
            counts[name] = counts.get(name, 0) + 1
            if name not in first:
                pos = m.start(1) + max(m.group(1).find(name), 0)
                first[name] = (rt.report.id, rt.line_at(pos), rt.quote_at(pos, len(name)))
    return [
        Candidate(name=n, count=c, report=first[n][0], line=first[n][1], quote=first[n][2])
        for n, c in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
