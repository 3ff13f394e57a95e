"""Report text → mentions of gazetteer places (with provenance and status) and candidate names."""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from geo.gazetteer import BARE_MARK, Gazetteer
from geo.reports import ReportText, normalise
from geo.status_rules import (
    AFTER,
    AFTER_GAP,
    PART_BUILT,
    SCOPE_END,
    SENTENCE_END,
    Status,
    pick_status,
    says_nothing_of_it,
    status_of,
    status_of_item,
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
    while n_end < s_end and text[n_end] not in SCOPE_END:
        n_end += 1
    clause = text[n_start:n_end]
    cuts = [i for i in range(len(clause) + 1) if AFTER_GAP.fullmatch(clause, 0, i)]
    for rule in AFTER:
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
                return pick_status(rule, plan)
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
        s_start, s_end = _bounds(text, start, end, SENTENCE_END)
        s_start, s_end = max(s_start, b_start), min(s_end, b_end)
        # Punctuated (Markdown) text ends its clauses itself: a long list ("启动A、B、…6家新一轮
        # 高质量孵化器建设") keeps its verb; PDF text without punctuation needs a tighter window.
        c_start, c_end = _bounds(text, start, end, SCOPE_END, limit=200 if punctuated else 80)
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
        part_built = own is None and not bare and bool(PART_BUILT.match(text, end, c_end))
        # A plan's "重大平台：X。" or "重大平台：A、B、C。" lists platforms it will set up or
        # build: each item is planned unless its own clause says more.
        plan_list = plan and (
            # A long list runs past the usual sentence window: look back to its label.
            bool(
                _PLAN_LABEL.match(
                    text, max(b_start, _bounds(text, start, end, SENTENCE_END, 400)[0])
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
