"""District sections of the reports → one profile per district (headline, text, places, numbers).

Labels in these sections are detached from their paragraphs or missing, so a paragraph's
district is recognised from its content: district names, curated cue words, and the districts
of the gazetteer places it names. Paragraphs and districts are then paired one to one, best
score first.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from geo import settings
from geo.districts import DISTRICT_NAMES_ZH, DISTRICTS
from geo.errors import GazetteerError
from geo.extract import alias_pattern
from geo.gazetteer import Gazetteer
from geo.reports import ReportText, normalise
from geo.tables import read_rows

_NUMBER = re.compile(
    r"\d[\d,.]*(?:余|多)?(?:万|亿|千)?(?:平方米|平方公里|亿元|万元|元|家|个|项|人次|万人|人|场|"
    r"台\(套\)|台套|台|套|件|倍|%|亩)"
)
_HEADING = re.compile(r"^#{2,6}\s*")
# An overview paragraph names many districts; it is nobody's profile.
_OVERVIEW_DISTRICTS = 4


@dataclass(frozen=True)
class DistrictProfile:
    """What one report says about one district."""

    report: str
    year: int
    district_zh: str
    headline: str
    text: str
    line_start: int
    line_end: int
    place_ids: tuple[str, ...]
    numbers: tuple[str, ...]


@dataclass(frozen=True)
class _Block:
    headline: str  # verbatim
    text: str  # verbatim, line breaks removed
    line_start: int
    line_end: int

    @property
    def norm(self) -> str:
        """Normalised headline and text, for matching names and cues."""
        return normalise(self.headline + "\n" + self.text)


def _join(lines: Sequence[str]) -> str:
    return "".join(t.strip() for t in lines)


def load_district_cues(path: Path | None = None) -> dict[str, list[str]]:
    """Read the curated cue words that identify each district's paragraph."""
    path = path or settings.GAZETTEER_DIR / settings.DISTRICT_CUES_FILE
    cues: dict[str, list[str]] = {}
    for row in read_rows(path, ("district_zh", "cue"), "district cue file"):
        district, cue = row["district_zh"], row["cue"]
        if district not in DISTRICT_NAMES_ZH or not cue:
            msg = f"{path}: bad cue row {row!r} (district_zh must be one of the 16)"
            raise GazetteerError(msg)
        cues.setdefault(district, []).append(normalise(cue))
    return cues


def _is_label_or_heading(line: str) -> bool:
    """Tell whether a line is a detached label, heading or sidebar figure (short, no sentence stop)."""
    s = normalise(line)
    return s in DISTRICT_NAMES_ZH or (len(s) <= 25 and not re.search(r"[，,。;；]", s))


def _blocks_paragraphs(lines: list[str], first: int) -> list[_Block]:
    """Paragraphs end at a line ending in '。'; labels and headings stand alone and are dropped."""
    blocks: list[_Block] = []
    current: list[tuple[int, str]] = []

    def flush() -> None:
        if current:
            text = _join([t for _, t in current])
            headline = text.split("。", 1)[0]
            blocks.append(_Block(headline, text, current[0][0], current[-1][0]))
            current.clear()

    for offset, line in enumerate(lines):
        lineno = first + offset
        if not line.strip():
            continue
        if _is_label_or_heading(line):
            flush()
            continue
        current.append((lineno, line))
        if line.rstrip().endswith(("。", "。”", "。」")):
            flush()
    flush()
    return blocks


def _blocks_headings(lines: list[str], first: int) -> list[_Block]:
    """Markdown: each '###' heading is a headline, the lines under it its paragraph."""
    blocks: list[_Block] = []
    headline: str | None = None
    start = 0
    body: list[tuple[int, str]] = []

    def flush() -> None:
        if headline is not None and body:
            text = _join([t for _, t in body])
            blocks.append(_Block(headline, text, start, body[-1][0]))

    for offset, line in enumerate(lines):
        lineno = first + offset
        if line.startswith("###"):
            flush()
            headline, start, body = _HEADING.sub("", line).strip(), lineno, []
        elif line.strip() and headline is not None and normalise(line) not in DISTRICT_NAMES_ZH:
            body.append((lineno, line))
    flush()
    return blocks


def _districts_named(text: str) -> set[str]:
    return {d.name_zh for d in DISTRICTS if d.short_zh in text}


def _blocks_clauses(rt: ReportText, start_line: int, end_line: int) -> list[tuple[str, _Block]]:
    """Plan-style sections: each district's role is a clause naming it ("推进闵行打造…")."""
    lo = next(i for i, ln in enumerate(rt.line_of) if ln >= start_line)
    hi = next((i for i, ln in enumerate(rt.line_of) if ln > end_line), len(rt.text))
    out: dict[str, _Block] = {}
    for s in re.finditer(r"[^。]+。?", rt.text[lo:hi]):
        sentence = s.group(0)
        s_start = lo + s.start()
        for c in re.finditer(r"[^，,；;。]+", sentence):
            clause = c.group(0)
            parts = [clause] if len(_districts_named(clause)) <= 1 else clause.split("、")
            for part in parts:
                named = _districts_named(part)
                if len(named) != 1:
                    continue
                (district,) = named
                short = next(d.short_zh for d in DISTRICTS if d.name_zh == district)
                # A bare list item ("闵行") or a numbered item marker is not a role statement.
                if district in out or len(re.sub(r"[()0-9（）区]", "", part)) <= len(short) + 2:
                    continue
                p_start = s_start + c.start() + clause.find(part)
                headline = rt.original_span(p_start, p_start + len(part))
                # A sentence shared by several districts ("推进杨浦…，徐汇…，静安…") gives each
                # district only its own clause: the rest is other districts' roles and places.
                if len(_districts_named(sentence)) > 1:
                    span = (p_start, p_start + len(part))
                else:
                    span = (s_start, s_start + len(sentence))
                first, last = rt.span_lines(*span)
                out[district] = _Block(
                    re.sub(r"^[(（]\d+[)）]", "", headline),
                    rt.original_span(*span),
                    first,
                    last,
                )
    return list(out.items())


def _score(
    block: _Block, district: str, cues: dict[str, list[str]], place_districts: list[str]
) -> int:
    d = next(x for x in DISTRICTS if x.name_zh == district)
    text = block.norm
    score = 5 * text.count(d.name_zh) + 3 * text.count(d.short_zh)
    score += sum(2 * text.count(cue) for cue in cues.get(district, []) if cue != d.short_zh)
    score += place_districts.count(district)
    return score


def _assign(
    blocks: Sequence[_Block], cues: dict[str, list[str]], place_districts: list[list[str]]
) -> list[tuple[str, _Block, int]]:
    """Pair blocks and districts one to one, highest score first; unscored blocks stay unpaired."""
    pairs = []
    for i, block in enumerate(blocks):
        if len(_districts_named(block.norm)) >= _OVERVIEW_DISTRICTS:
            continue
        for d in DISTRICTS:
            s = _score(block, d.name_zh, cues, place_districts[i])
            if s > 0:
                pairs.append((s, -i, d.name_zh, i))
    pairs.sort(reverse=True)
    used_blocks: set[int] = set()
    used_districts: set[str] = set()
    chosen: list[tuple[str, _Block, int]] = []
    for _, _, district, i in pairs:
        if i in used_blocks or district in used_districts:
            continue
        used_blocks.add(i)
        used_districts.add(district)
        chosen.append((district, blocks[i], i))
    return chosen


def profiles_from_report(
    rt: ReportText, gazetteer: Gazetteer, cues: dict[str, list[str]]
) -> list[DistrictProfile]:
    """Return one profile per district the report's district section covers (none if it has none)."""
    section = rt.report.district_section
    if section is None:
        return []
    pattern, index = alias_pattern(gazetteer)
    by_id = gazetteer.by_id()
    if section.layout == "clauses":
        assigned = [(d, b) for d, b in _blocks_clauses(rt, section.start_line, section.end_line)]
    else:
        lines = rt.lines[section.start_line - 1 : section.end_line]
        make = _blocks_headings if section.layout == "headings" else _blocks_paragraphs
        raw_blocks = make(lines, section.start_line)
        # A duplicated page repeats paragraphs: keep the first occurrence of each text.
        blocks = list({b.norm: b for b in reversed(raw_blocks)}.values())[::-1]
        place_districts = [
            [by_id[index[m.group(0)]].district_zh or "" for m in pattern.finditer(b.norm)]
            for b in blocks
        ]
        chosen = _assign(blocks, cues, place_districts)
        assigned = [(d, b) for d, b, _ in sorted(chosen, key=lambda t: t[2])]
    profiles = []
    for district, block in assigned:
        ids = tuple(dict.fromkeys(index[m.group(0)] for m in pattern.finditer(block.norm)))
        profiles.append(
            DistrictProfile(
                report=rt.report.id,
                year=rt.report.year,
                district_zh=district,
                headline=block.headline,
                text=block.text,
                line_start=block.line_start,
                line_end=block.line_end,
                place_ids=ids,
                numbers=tuple(dict.fromkeys(_NUMBER.findall(block.norm))),
            )
        )
    return profiles
