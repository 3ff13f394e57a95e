"""Report text → mentions of gazetteer places (with provenance and status) and candidate names."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from geo.gazetteer import Gazetteer
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
# that follow a place in these reports ("聚焦张江再出发", "在张江成立…").
_BARE_FOLLOWERS = r"(?=[、，,。；;：:！？!?)）”\s]|再出发|成立|$)"


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


def mentions_from_report(
    rt: ReportText, gazetteer: Gazetteer, boxes: Iterable[tuple[int, int, Status]] = ()
) -> list[Mention]:
    """Find every mention of every gazetteer place in one report.

    ``boxes`` are (first line, last line, status) ranges that the report labels with a status
    (curated in ``status_groups.csv``); they act like a grouping heading.

    A passage repeated by a duplicated page counts once: a second mention of the same place in
    the same sentence text is dropped, so provenance cites the first occurrence.
    """
    text = rt.text
    grouped = heading_statuses(rt.lines)
    for first, last, status in boxes:
        grouped[first - 1 : last] = [status] * (min(last, len(grouped)) - first + 1)
    seen: set[tuple[str, str]] = set()
    out: list[Mention] = []
    roster = roster_lines(rt.lines)
    for start, end, place_id, matched in _name_matches(text, gazetteer):
        if rt.line_at(start) in roster:
            continue
        s_start, s_end = _bounds(text, start, end, _SENTENCE_END)
        sentence = text[s_start:s_end]
        c_start, c_end = _bounds(text, start, end, _CLAUSE_END, limit=60)
        # The key is what follows the name up to the sentence end: what precedes it may be a
        # heading glued on by line joining, which differs between the copies of a page.
        key = (place_id, text[start : min(s_end, start + 80)])
        if len(key[1]) < len(matched) + 6:
            key = (place_id, text[c_start:s_end])
        if key in seen:
            continue
        seen.add(key)
        line = rt.line_at(start)
        out.append(
            Mention(
                place_id=place_id,
                report=rt.report.id,
                year=rt.report.year,
                line=line,
                quote=rt.quote_at(start, end - start),
                # A grouping heading (在建中 / 已建成 / 规划建设) outranks the sentence's wording.
                status=grouped[line - 1] or status_of(text[c_start:c_end], sentence),
                matched=matched,
                position=start,
                from_heading=grouped[line - 1] is not None,
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
