"""Status boxes that text extraction detached from their label (``status_groups.csv``).

The 2022 report prints its big-science facilities in two boxes labelled 在建中 and 已建成; in the
extracted text one label sits above its box and the other below it, so no rule can find them.
Curators record each box's line range and status; mentions inside take that status, as under
a Markdown heading "### 在建中" (see ``extract.heading_statuses``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import get_args

from geo.errors import GazetteerError, problems_message
from geo.status_rules import Status
from geo.tables import read_rows

STATUSES: tuple[str, ...] = get_args(Status)
COLUMNS = ("report", "first_line", "last_line", "status", "note")


@dataclass(frozen=True)
class StatusGroup:
    """Lines ``first_line``..``last_line`` (1-based, inclusive) of a report share one status."""

    report: str
    first_line: int
    last_line: int
    status: Status


def read_status_groups(path: Path, report_ids: set[str]) -> list[StatusGroup]:
    """Read the file (missing means none); raise GazetteerError listing every problem."""
    if not path.exists():
        return []
    rows = read_rows(path, COLUMNS, "status groups")
    problems: list[str] = []
    out: list[StatusGroup] = []
    for n, row in enumerate(rows, start=2):
        report, status = row["report"].strip(), row["status"].strip()
        if report not in report_ids:
            problems.append(f"line {n}: unknown report {report!r}")
        if status not in STATUSES:
            problems.append(f"line {n}: status {status!r} is not one of {', '.join(STATUSES)}")
        try:
            first, last = int(row["first_line"]), int(row["last_line"])
        except ValueError:
            problems.append(f"line {n}: first_line and last_line must be whole numbers")
            continue
        if not 1 <= first <= last:
            problems.append(f"line {n}: need 1 <= first_line <= last_line, got {first}..{last}")
        if not row["note"].strip():
            problems.append(f"line {n}: say in note where the label is")
        out.append(StatusGroup(report, first, last, status))  # type: ignore[arg-type]
    if problems:
        raise GazetteerError(problems_message(f"status groups {path} are invalid", problems))
    return out
