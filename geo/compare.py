"""Change between two report years: places newly named, advanced in status, or no longer named.

The rules are defined here once. The server applies them through :class:`geo.query.PlaceQuery`
(``compare=2022,2025&change=new,advanced``); the map page receives, per place, the change for
every pair of report years (:func:`change_codes`) and only compares codes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import combinations
from typing import Any

from geo.vocab import STATUSES, status_by_year

#: What can happen to a place between an earlier and a later report year.
#: ``new``: named in the later year, not in the earlier one (it may appear in an even earlier
#: report); ``advanced``: named in both, its status further along :data:`geo.vocab.STATUSES`
#: in the later year (both years must state a status); ``dropped``: named in the earlier year,
#: not in the later one; ``unchanged``: named in both and not advanced (same status, a status
#: not stated in one of the years, or a status that went back).
CHANGES: tuple[str, ...] = ("new", "advanced", "dropped", "unchanged")
#: The changes ``compare`` keeps when ``change`` is not given.
DEFAULT_CHANGES: tuple[str, ...] = ("new", "advanced", "dropped")
#: One character per change, as the page receives it; ``-``: named in neither year.
CODES: dict[str, str] = {"new": "n", "advanced": "a", "dropped": "d", "unchanged": "u"}
NOT_NAMED = "-"

_RANK = {s: i for i, s in enumerate(STATUSES)}


def change_between(
    timeline: Sequence[Mapping[str, Any]] | None, before: int, after: int
) -> str | None:
    """Return how a place changed from report year ``before`` to ``after`` (None: in neither).

    Two reports of one year count as one year (the more advanced status wins), as in
    :func:`geo.vocab.status_by_year`.
    """
    named = {int(entry["year"]) for entry in timeline or ()}
    if before not in named and after not in named:
        return None
    if before not in named:
        return "new"
    if after not in named:
        return "dropped"
    by_year = status_by_year(timeline)
    was, now = by_year.get(before), by_year.get(after)
    if was is not None and now is not None and _RANK[now] > _RANK[was]:
        return "advanced"
    return "unchanged"


def year_pairs(years: Sequence[int]) -> list[tuple[int, int]]:
    """Return every (earlier, later) pair of ``years`` (each year once), oldest pairs first."""
    return list(combinations(sorted(set(years)), 2))


def change_codes(
    timeline: Sequence[Mapping[str, Any]] | None, pairs: Sequence[tuple[int, int]]
) -> str:
    """Return one code per pair (see :data:`CODES`): what the map page needs of one place."""
    out = []
    for before, after in pairs:
        change = change_between(timeline, before, after)
        out.append(CODES[change] if change else NOT_NAMED)
    return "".join(out)


def change_counts(
    timelines: Sequence[Sequence[Mapping[str, Any]] | None], before: int, after: int
) -> dict[str, int]:
    """Return how many of the places (given by their timelines) had each change."""
    counts = dict.fromkeys(CHANGES, 0)
    for timeline in timelines:
        change = change_between(timeline, before, after)
        if change:
            counts[change] += 1
    return counts
