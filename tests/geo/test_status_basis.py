"""How a report's status of a place was decided, and which line decides it (issue 13).

A planner filtering by status needs to tell a status a report states from one the build infers
from the category, and to find the sentence that says it.
"""

from __future__ import annotations

from typing import Any

import pytest

from geo.extract import Mention
from geo.geocode import StatusDecision, decide_report_status
from geo.vocab import STATUS_BASES, headline_entry


def _said(line: int, status: str | None = None, **flags: bool) -> Mention:
    return Mention(
        place_id="p", report="2025_st_progress_report", year=2025, line=line, quote="…",
        status=status, matched="p", position=line * 100, **flags,  # type: ignore[arg-type]
    )  # fmt: skip


@pytest.mark.parametrize(
    ("mentions", "category", "decided"),
    [
        # A sentence about the place wins over its heading; the most advanced such status,
        # decided by the first line that gives it.
        (
            [
                _said(5, "planned", from_heading=True),
                _said(9, "under_construction"),
                _said(12, "launched"),
                _said(20, "launched"),
            ],
            "facility",
            StatusDecision("launched", "sentence", 12),
        ),
        # Only a heading or box files it: the heading decides.
        ([_said(7, "under_construction", from_heading=True)], "facility", StatusDecision("under_construction", "heading", 7)),
        # A part being built says a facility is being built, on that part's line.
        ([_said(3), _said(8, part_built=True)], "facility", StatusDecision("under_construction", "sentence", 8)),
        # Named for its work without a status word: operating, inferred from the category.
        ([_said(4)], "university", StatusDecision("operating", "category", None)),
        # A facility named without a status word: no status, no basis.
        ([_said(4)], "facility", StatusDecision(None)),
        # Named only in a role: nothing, not even the category's default.
        ([_said(4, says_nothing=True)], "university", StatusDecision(None)),
    ],
)  # fmt: skip
def test_each_status_says_how_it_was_decided(
    mentions: list[Mention], category: str, decided: StatusDecision
) -> None:
    got = decide_report_status(mentions, category)
    assert got == decided
    assert got.basis is None or got.basis in STATUS_BASES


def _entry(year: int, status: str | None, report: str = "", line: int | None = None) -> Any:
    return {"report": report or f"r{year}", "year": year, "status": status, "line": line}


def test_the_headline_entry_is_the_latest_year_most_advanced_status() -> None:
    timeline = [
        _entry(2021, "planned", line=3),
        _entry(2023, "launched", "2023_ch1", 8),
        _entry(2023, "operating", "2023_summary", 2),
        _entry(2025, None),  # named without a status: the headline stays 2023's
    ]
    assert headline_entry(timeline) == timeline[2]
    assert headline_entry([_entry(2025, None)]) is None
    assert headline_entry(None) is None
