"""Names the extractor finds that are deliberately not places (``excluded.csv``), with why.

Every place-like name the candidate scan finds must be a gazetteer name or alias, or be listed
here with a kind and a reason; the build reports what is left (``unmatched.csv``) and any entry
no longer found in the reports (stale: a new alias covers it, or the text changed).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, get_args

from geo.errors import GazetteerError, problems_message
from geo.reports import normalise
from geo.tables import read_rows

ExclusionKind = Literal[
    "generic", "programme", "fragment", "count", "outside", "covered", "organisation"
]
EXCLUSION_KINDS: tuple[str, ...] = get_args(ExclusionKind)
KIND_MEANINGS: dict[str, tuple[str, str]] = {
    "generic": ("泛指一类机构，非具体地点", "a type of institution, not one named place"),
    "programme": (
        "计划、政策、文件、奖项、联盟或网络，无实体地点",
        "a programme, policy, document, award, alliance or network without a site",
    ),
    "fragment": ("抽取残片：截断或拼接的文字", "an extraction fragment: cut or glued text"),
    "count": ("统计数字的一部分", "part of a statistic"),
    "outside": ("上海以外且不上图的地点", "a place outside Shanghai that is not mapped"),
    "covered": (
        "已由地名表中的另一名称代表，但此写法过于笼统，不作别名",
        "already in the gazetteer under another name; this form is too vague to be an alias",
    ),
    "organisation": (
        "机构或企业，报告未给出具体地点",
        "an organisation or company whose site the reports do not give",
    ),
}
COLUMNS = ("name", "kind", "reason")


@dataclass(frozen=True)
class Exclusion:
    """One name that is not a place, and why."""

    name: str
    kind: str
    reason: str


def read_excluded(path: Path) -> list[Exclusion]:
    """Read ``excluded.csv``; a missing file means none. Raise GazetteerError listing every problem."""
    if not path.exists():
        return []
    rows = read_rows(path, COLUMNS, "excluded names")
    problems: list[str] = []
    out: list[Exclusion] = []
    for line, row in enumerate(rows, start=2):
        name = normalise(row["name"] or "").strip()
        kind = (row["kind"] or "").strip()
        reason = (row["reason"] or "").strip()
        if not name:
            problems.append(f"line {line}: empty name")
            continue
        if kind not in EXCLUSION_KINDS:
            problems.append(
                f"line {line} ({name}): kind {kind!r} is not one of {', '.join(EXCLUSION_KINDS)}"
            )
        if not reason:
            problems.append(f"line {line} ({name}): a reason is required")
        out.append(Exclusion(name, kind, reason))
    twice = [n for n, c in Counter(e.name for e in out).items() if c > 1]
    problems += [f"{n}: listed more than once" for n in twice]
    if problems:
        raise GazetteerError(problems_message(f"excluded names {path} are invalid", problems))
    return out
