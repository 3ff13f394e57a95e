"""How a report's wording gives a named place its status (the rules ``geo.extract`` applies).

Word lists first (``status_of``: the clause decides, else the sentence), then the rules that scope
a status word to the place it acts on (``status_of_item``) and the roles in which a mention says
nothing of the place itself (``says_nothing_of_it``). The definitions they implement are in
``tests/data/status_eval/RULES.md``; one test per kind of rule in
``tests/geo/test_status_rules.py``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

Status = Literal["operating", "under_construction", "planned", "launched"]

#: Punctuation that ends a sentence.
SENTENCE_END = "。！？!?;；"

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


def status_of(clause: str, sentence: str) -> Status | None:
    """Return the status the wording gives: the clause decides, else the sentence, else None."""
    for context in (clause, sentence):
        for status, pattern in _STATUS_PATTERNS:
            if pattern.search(context):
                return status
    return None


# A status word's reach: its clause. A list's 、 does not end it ("推进A、B建设" builds both).
SCOPE_END = SENTENCE_END + "，,：:"

# Words the status of a named place may follow from, by where they stand. Each entry is
# (regex, status in a progress report, status in a plan): a plan speaks of the future, so what
# a progress report calls set up (成立, 建成) is, in a plan, still planned.
_Rule = tuple[re.Pattern[str], Status, Status]


def pick_status(rule: _Rule, plan: bool) -> Status:
    """Return a rule's status in a plan or in a progress report."""
    return rule[2] if plan else rule[1]


# A place that builds or sets up something else with a verb that takes an object ("上海处理器
# 技术创新中心 / 建成高性能并行模拟平台") does work: it exists (RULES.md rule 4, a performer).
# The object is no gazetteer name (then the verb is that name's, _predicate's ``stop``).
_MADE_SOMETHING = re.compile(
    r"(?:建成|成立|设立|组建|建立|搭建)[^，,。；;：:、\s*“”\"]{2,16}?"
    r"(?:平台|系统|数据库|样机|模型|产线|生产线)(?![\u4e00-\u9fff]{0,2}(?:公司|建设))"
)

# Predicates right after the name: "X揭牌", "X建设完成", "X加快建设", "X能级持续提升".
AFTER: tuple[_Rule, ...] = (
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
AFTER_GAP = re.compile(
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
    cuts = [i for i in range(stop + 1) if AFTER_GAP.fullmatch(after_text, 0, i)]

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

    for rule in AFTER:
        if found(rule[0]):
            return pick_status(rule, plan), False
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
                return pick_status(rule, plan), None
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
        and not AFTER_GAP.fullmatch(text, tail, c_end)
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
PART_BUILT = re.compile(
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
