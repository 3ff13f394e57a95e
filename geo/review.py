"""Review sheets: a new report's candidate names with suggested decisions, and applying them.

``add-report`` writes one row per place-like name of the new report that the gazetteer does not
cover, with a suggestion: an ``alias`` of an existing place (a renamed or respelled one), a new
``place`` (category and district proposed), or ``exclude`` with an exclusion kind. The keeper
edits the sheet; :func:`apply_review` checks every row and the resulting gazetteer together (a
build in memory), lists every problem at once, and writes ``places.csv`` and ``excluded.csv``
only when there is none.
"""

from __future__ import annotations

import csv
import difflib
import itertools
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from geo import settings
from geo.curated import CuratedTable, commit_checked
from geo.districts import DISTRICTS
from geo.errors import ReviewError
from geo.excluded import EXCLUSION_KINDS, read_excluded
from geo.extract import Candidate, candidates_from_corpus, mentions_from_report
from geo.gazetteer import COLUMNS as PLACE_COLUMNS
from geo.gazetteer import Gazetteer, Place, load_gazetteer
from geo.pipeline import Inputs
from geo.profiles import load_district_cues
from geo.reports import ReportText, load_manifest, normalise, read_report, verify_reports
from geo.tables import read_rows

DECISIONS: tuple[str, ...] = ("alias", "place", "exclude", "skip")
SHEET_COLUMNS: tuple[str, ...] = (
    "found",
    "name",
    "count",
    "first_line",
    "context",
    "suggestion",
    "decision",
    "place_id",
    "name_en",
    "category",
    "district_zh",
    "parent_id",
    "lon",
    "lat",
    "precision",
    "coord_source",
    "in_shanghai",
    "kind",
    "reason",
    "notes",
    "report",
)
#: A candidate this similar to a known name (difflib ratio) is suggested as its alias.
ALIAS_SIMILARITY = 0.75
#: Place words (as in geo.extract), longest first: a name's category is guessed from its word.
_SUFFIXES = sorted(
    re.split(
        r"\s+",
        "国家实验室 全国重点实验室 重点实验室 实验室 研究院 研究所 研究中心 创新中心 工程中心 "
        "技术中心 科学中心 转化中心 孵化中心 科学城 科技城 科创城 科学园 科技园 产业园 创新园 "
        "软件园 大学 学院 医院 孵化器 众创空间 加速器 平台 装置 设施 基地 园区 小镇 秀带 走廊 "
        "功能区 集聚区 示范区 创新区 硅谷 智谷 科学谷 药谷 未来谷 美谷 科创谷 港",
    ),
    key=len,
    reverse=True,
)
_PROGRAMME = re.compile(
    r"[《》]|条例|办法|方案|计划|规划|专项|行动|联盟|大赛|论坛|博览会|基金|奖|体系|机制|网络平台"
)
_OUTSIDE = re.compile(
    r"^(?:北京|天津|重庆|河北|江苏|浙江|安徽|广东|福建|山东|湖北|四川|甘肃|深圳|广州|合肥|杭州|"
    r"南京|苏州|无锡|常州|宁波|嘉兴|湖州|绍兴|金华|舟山|宣城|芜湖|香港|澳门|雄安|粤港澳)"
)
_GENERIC_START = re.compile(
    r"^(?:国家|全国|市级|省级|各类|各级|一批|新型|重点|高水平|世界级|国际一流|区域性|功能型|专业)"
)
_COUNT_BEFORE = re.compile(r"[0-9０-９][0-9０-９.]*\s*(?:家|个|项|所|批|座)?\s*$")
_COUNT_AFTER = re.compile(r"^[^，,。；;]{0,3}?[0-9０-９]+\s*(?:家|个|项|所)")
_SLUG = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class Suggestion:
    """What the sheet proposes for one candidate, and why."""

    decision: str
    why: str
    place_id: str = ""
    category: str = ""
    district_zh: str = ""
    parent_id: str = ""
    kind: str = ""
    reason: str = ""


def _suffix(name: str) -> str:
    return next((s for s in _SUFFIXES if name.endswith(s)), "")


#: A place word's category when the gazetteer has no place with that word yet.
_DEFAULT_CATEGORY: dict[str, str] = {
    **dict.fromkeys(("国家实验室",), "national_lab"),
    **dict.fromkeys(("全国重点实验室", "重点实验室", "实验室"), "key_lab"),
    **dict.fromkeys(("研究院", "研究所", "研究中心", "科学中心", "医院"), "research_institute"),
    **dict.fromkeys(("大学", "学院"), "university"),
    **dict.fromkeys(("孵化器", "众创空间", "加速器", "孵化中心"), "incubator"),
    **dict.fromkeys(("装置", "设施"), "facility"),
    **dict.fromkeys(("科学城", "科技城", "科创城"), "science_city"),
    **dict.fromkeys(
        ("科学园", "科技园", "产业园", "创新园", "软件园", "园区", "基地"), "science_park"
    ),
}


def categories_by_suffix(gazetteer: Gazetteer) -> dict[str, str]:
    """Return each place word's category: its most frequent one in the gazetteer, else a default.

    Words without either (功能区, 走廊, 平台 …) fall back to ``platform`` or ``innovation_area``
    in :func:`suggest`.
    """
    counts: dict[str, Counter[str]] = {}
    for p in gazetteer.places:
        suffix = _suffix(normalise(p.name_zh))
        if suffix:
            counts.setdefault(suffix, Counter())[p.category] += 1
    return {**_DEFAULT_CATEGORY, **{s: c.most_common(1)[0][0] for s, c in counts.items()}}


def _fallback_category(suffix: str) -> str:
    areas = ("区", "走廊", "秀带", "小镇", "谷", "港")
    return "innovation_area" if suffix.endswith(areas) else "platform"


def _districts_in(text: str, cues: Mapping[str, Sequence[str]]) -> list[str]:
    found = [d.name_zh for d in DISTRICTS if d.short_zh in text]
    found += [d for d, words in cues.items() for w in words if w and w in text]
    return list(dict.fromkeys(found))


def _similar(name: str, gazetteer: Gazetteer) -> tuple[float, Place] | None:
    """Return the known place whose name or alias is most like ``name``, with the ratio."""
    pairs = set(itertools.pairwise(name))
    best: tuple[float, Place] | None = None
    for p in gazetteer.places:
        for known in p.names():
            known = normalise(known)
            if len(pairs & set(itertools.pairwise(known))) < 2:
                continue
            ratio = difflib.SequenceMatcher(None, name, known).ratio()
            if best is None or ratio > best[0]:
                best = (ratio, p)
    return best


def suggest(
    candidate: Candidate,
    gazetteer: Gazetteer,
    cues: Mapping[str, Sequence[str]],
    by_suffix: Mapping[str, str],
) -> Suggestion:
    """Return a suggested decision for one candidate name (a suggestion: the keeper decides)."""
    name, quote = candidate.name, normalise(candidate.quote)
    at = quote.find(name)
    before, after = (quote[:at], quote[at + len(name) :]) if at >= 0 else ("", "")
    if _PROGRAMME.search(name):
        return Suggestion(
            "exclude",
            "reads like a programme, policy or event",
            kind="programme",
            reason="a programme, policy or event name, no site",
        )
    if _OUTSIDE.match(name):
        return Suggestion(
            "exclude",
            "begins with a place outside Shanghai",
            kind="outside",
            reason="outside Shanghai, not mapped",
        )
    if _COUNT_BEFORE.search(before) or _COUNT_AFTER.match(after):
        return Suggestion(
            "exclude", "a number stands next to it", kind="count", reason="part of a statistic"
        )
    similar = _similar(name, gazetteer)
    if similar and similar[0] >= ALIAS_SIMILARITY:
        ratio, place = similar
        why = f"{ratio:.0%} like {place.name_zh} ({place.id}): renamed or respelled?"
        return Suggestion("alias", why, place_id=place.id)
    if _GENERIC_START.match(name) and len(name) <= 10:
        return Suggestion(
            "exclude",
            "a type of institution rather than one named place",
            kind="generic",
            reason="a type of institution, not one named place",
        )
    index = gazetteer.alias_index()
    by_id = gazetteer.by_id()
    inside = [k for k in index if len(k) >= 4 and k in name]
    parent = by_id[index[max(inside, key=len)]] if inside else None
    districts = _districts_in(name, cues) or _districts_in(quote, cues)
    notes = [f"new place; category from its place word {_suffix(name)!r}"]
    if parent:
        notes.append(f"inside {parent.name_zh} ({parent.id})")
    district = districts[0] if len(districts) == 1 else ""
    if len(districts) > 1:
        notes.append(f"district unclear: {'、'.join(districts)}")
    elif not district and parent and parent.district_zh:
        district = parent.district_zh
    return Suggestion(
        "place",
        "; ".join(notes),
        category=by_suffix.get(_suffix(name)) or _fallback_category(_suffix(name)),
        district_zh=district,
        parent_id=parent.id if parent else "",
    )


_SENTENCE_MARKS = re.compile(r"[，,。；;：:！？!?]")


def _heading_like(line: str) -> bool:
    """Tell whether a line is a heading or label (Markdown heading, or short with no sentence)."""
    s = line.strip()
    return s.startswith("#") or (len(s) <= 25 and not _SENTENCE_MARKS.search(s))


def without_heading(c: Candidate, rt: ReportText) -> Candidate:
    """Return the candidate without a heading that line joining glued in front of it.

    "## 2 培育新质生产力" above "上海具身智能创新研究院揭牌" joins into one candidate
    "质生产力上海具身智能创新研究院"; the name that should be reviewed starts on the next line.
    """
    pos = rt.text.find(c.name)
    end = pos + len(c.name)
    if pos < 0 or rt.line_at(pos) == rt.line_at(end - 1):
        return c
    cut = pos
    while cut < end and _heading_like(rt.lines[rt.line_at(cut) - 1]):
        line = rt.line_at(cut)
        while cut < end and rt.line_at(cut) == line:
            cut += 1
    if cut == pos or end - cut < 4:
        return c
    return replace(
        c, name=rt.text[cut:end], line=rt.line_at(cut), quote=rt.quote_at(cut, end - cut)
    )


def review_rows(
    candidates: Sequence[Candidate],
    gazetteer: Gazetteer,
    cues: Mapping[str, Sequence[str]],
    rt: ReportText,
) -> list[dict[str, str]]:
    """Return the review sheet's rows: one per candidate, with its suggestion filled in.

    ``found`` is the name as the scan found it (what an exclusion lists); ``name`` is the name
    to use as a place or alias, without a heading glued in front.
    """
    by_suffix = categories_by_suffix(gazetteer)
    rows = []
    for found in candidates:
        c = without_heading(found, rt)
        s = suggest(c, gazetteer, cues, by_suffix)
        row = dict.fromkeys(SHEET_COLUMNS, "")
        row.update(
            found=found.name,
            name=c.name,
            count=str(c.count),
            first_line=str(c.line),
            context=c.quote,
            suggestion=s.why if c is found else f"{s.why}; a heading was cut off the front",
            decision=s.decision,
            place_id=s.place_id,
            category=s.category,
            district_zh=s.district_zh,
            parent_id=s.parent_id,
            in_shanghai="true" if s.decision == "place" else "",
            kind=s.kind,
            reason=s.reason,
            report=rt.report.id,
        )
        rows.append(row)
    return rows


def review_rows_for_report(inputs: Inputs, report_id: str) -> tuple[list[dict[str, str]], int]:
    """Return the review sheet of one report of the corpus and how many known places it names.

    The candidates are those of that report alone, less the names ``excluded.csv`` lists.
    """
    reports = load_manifest(inputs.reports_dir)
    verify_reports(reports)
    report = next((r for r in reports if r.id == report_id), None)
    if report is None:
        raise ReviewError(f"report {report_id!r} is not in the manifest")
    rt = read_report(report)
    gazetteer = load_gazetteer(inputs.gazetteer_dir / settings.PLACES_FILE)
    cues = load_district_cues(inputs.gazetteer_dir / settings.DISTRICT_CUES_FILE)
    excluded = [e.name for e in read_excluded(inputs.gazetteer_dir / settings.EXCLUDED_FILE)]
    candidates = candidates_from_corpus([rt], gazetteer, excluded)
    known = len({m.place_id for m in mentions_from_report(rt, gazetteer)})
    return review_rows(candidates, gazetteer, cues, rt), known


def write_review_sheet(path: Path, rows: Sequence[Mapping[str, str]]) -> None:
    """Write the sheet as CSV with a byte-order mark, so Excel and WPS open the Chinese text."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=SHEET_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)


def read_review_sheet(path: Path) -> list[dict[str, str]]:
    """Read a review sheet (with or without a byte-order mark); raise ReviewError if unreadable."""
    rows = read_rows(path, ("name", "decision", "report"), "review sheet", error=ReviewError)
    return [{k: v.strip() for k, v in r.items()} for r in rows]


@dataclass
class ReviewOutcome:
    """What applying a sheet changed."""

    new_places: list[str] = field(default_factory=list)
    aliases: list[tuple[str, str]] = field(default_factory=list)
    exclusions: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def _slug(text: str) -> str:
    return _SLUG.sub("-", text.lower()).strip("-")


def _staged_changes(
    rows: Sequence[dict[str, str]], inputs: Inputs, places: CuratedTable, excluded: CuratedTable
) -> tuple[ReviewOutcome, list[str]]:
    """Apply the sheet to the in-memory tables; return what changed and the sheet's problems."""
    years = {r.id: r.year for r in load_manifest(inputs.reports_dir)}
    col = {c: i for i, c in enumerate(places.header)}
    ids = {r[col["id"]]: r for r in places.rows}
    excluded_names = {normalise(r[0]) for r in excluded.rows if r}
    outcome, problems = ReviewOutcome(), []
    seen: set[str] = set()
    new_ids = {
        r.get("place_id") or _slug(r.get("name_en", "")) for r in rows if r["decision"] == "place"
    }
    for lineno, r in enumerate(rows, start=2):
        name, decision = normalise(r["name"]), r["decision"].lower()
        where = f"sheet line {lineno} ({name or 'no name'})"
        if not name:
            problems.append(f"sheet line {lineno}: empty name")
            continue
        if name in seen:
            problems.append(f"{where}: the name is listed twice")
        seen.add(name)
        if r["report"] not in years:
            problems.append(f"{where}: report {r['report']!r} is not in the manifest")
            continue
        cite = f"{years[r['report']]}:L{r.get('first_line', '?')}"
        if decision not in DECISIONS:
            problems.append(
                f"{where}: decision {r['decision']!r} must be one of {', '.join(DECISIONS)}"
            )
        elif decision == "skip":
            outcome.skipped.append(name)
        elif decision == "exclude":
            name = normalise(r.get("found") or name)  # what the scan finds is what is excluded
            row_problems: list[str] = []
            if r.get("kind") not in EXCLUSION_KINDS:
                row_problems.append(
                    f"{where}: kind {r.get('kind')!r} must be one of {', '.join(EXCLUSION_KINDS)}"
                )
            if not r.get("reason"):
                row_problems.append(f"{where}: an exclusion needs a reason")
            if name in excluded_names:
                row_problems.append(f"{where}: already in excluded.csv")
            problems += row_problems
            if not row_problems:  # only valid rows are staged: the build then checks the rest
                excluded.rows.append([name, r.get("kind", ""), r.get("reason", "")])
            outcome.exclusions.append(name)
        elif decision == "alias":
            target = r.get("place_id", "")
            if target in ids:
                row = ids[target]
                aliases = [a for a in row[col["aliases"]].split("|") if a]
                row[col["aliases"]] = "|".join([*aliases, name])
                row[col["notes"]] += f"; {cite} '{name}' (alias from review of {r['report']})"
                outcome.aliases.append((name, target))
            elif target not in new_ids:
                problems.append(f"{where}: alias of {target!r}, which is not a gazetteer id")
        else:  # a new place
            place_id = r.get("place_id") or _slug(r.get("name_en", ""))
            if not r.get("name_en"):
                problems.append(f"{where}: a new place needs name_en (its English name)")
            if not place_id:
                continue  # its id comes from name_en: nothing more to check
            if place_id in ids:
                problems.append(f"{where}: id {place_id!r} is already in the gazetteer")
                continue
            values = {c: r.get(c, "") for c in PLACE_COLUMNS}
            quote = r.get("context", "")[:40]
            note = f"{cite} '{quote}' (added by review of {r['report']})"
            values.update(
                id=place_id,
                name_zh=name,
                in_shanghai=r.get("in_shanghai") or "true",
                notes="; ".join(n for n in (note, r.get("notes", "")) if n),
            )
            row = [values.get(c, "") for c in places.header]
            places.rows.append(row)
            ids[place_id] = row
            outcome.new_places.append(place_id)
    # Aliases of places that are new in this sheet, now that those rows exist.
    for r in rows:
        target = r.get("place_id", "")
        if r["decision"].lower() == "alias" and target in new_ids and target in ids:
            row = ids[target]
            row[col["aliases"]] = "|".join(
                [*filter(None, row[col["aliases"]].split("|")), normalise(r["name"])]
            )
            outcome.aliases.append((normalise(r["name"]), target))
    return outcome, problems


def apply_review(sheet: Path, inputs: Inputs) -> ReviewOutcome:
    """Apply a review sheet to ``places.csv`` and ``excluded.csv`` under ``inputs.gazetteer_dir``.

    Every row is checked, then the whole build runs in memory on the changed files (aliases,
    categories, districts, coordinates inside their district, every place cited). All problems
    are raised together as a ReviewError, and nothing is written unless there are none.
    """
    rows = read_review_sheet(sheet)
    places_path = inputs.gazetteer_dir / settings.PLACES_FILE
    excluded_path = inputs.gazetteer_dir / settings.EXCLUDED_FILE
    places, excluded = CuratedTable.read(places_path), CuratedTable.read(excluded_path)
    if not excluded.header:
        excluded.header = ["name", "kind", "reason"]
    outcome, problems = _staged_changes(rows, inputs, places, excluded)
    commit_checked(
        inputs,
        {settings.PLACES_FILE: places, settings.EXCLUDED_FILE: excluded},
        problems,
        f"review sheet {sheet} cannot be applied",
    )
    return outcome
