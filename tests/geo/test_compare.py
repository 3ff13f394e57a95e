"""The change rules (geo/compare.py) on a small table, and ``compare``/``change`` as a query."""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import pytest
from shapely.geometry import Point

from geo.compare import CHANGES, change_between, change_codes, change_counts, year_pairs
from geo.params import ParamError
from geo.query import PARAM_NAMES, PlaceQuery, filter_places


def tl(*entries: tuple[int, str | None]) -> list[dict[str, Any]]:
    return [{"year": y, "status": s, "report": f"r{y}"} for y, s in entries]


#: id → timeline; 2023 has two reports (a chapter and a summary), as in the real corpus.
TABLE: dict[str, list[dict[str, Any]]] = {
    "fresh": tl((2025, "planned")),
    "gone": tl((2022, "operating")),
    "built": tl((2022, "planned"), (2025, "operating")),
    "steady": tl((2022, "operating"), (2025, "operating")),
    "quiet": tl((2022, None), (2025, "operating")),  # no status in 2022: not "advanced"
    "backwards": tl((2022, "operating"), (2025, "planned")),
    "twice_2023": tl((2023, "planned"), (2023, "under_construction"), (2025, "launched")),
    "chapter_only": tl((2023, "launched"), (2023, None), (2025, "launched")),
    "old": tl((2021, "planned")),
    "back_again": tl((2021, "planned"), (2025, "planned")),
}


@pytest.mark.parametrize(
    ("place", "before", "after", "expected"),
    [
        ("fresh", 2022, 2025, "new"),
        ("gone", 2022, 2025, "dropped"),
        ("built", 2022, 2025, "advanced"),
        ("steady", 2022, 2025, "unchanged"),
        ("quiet", 2022, 2025, "unchanged"),
        ("backwards", 2022, 2025, "unchanged"),
        # Two reports of 2023 count as one year: the more advanced status (under construction).
        ("twice_2023", 2023, 2025, "advanced"),
        ("chapter_only", 2023, 2025, "unchanged"),
        ("old", 2022, 2025, None),
        ("old", 2021, 2022, "dropped"),
        # New relative to the earlier year, even if a still earlier report named it.
        ("back_again", 2022, 2025, "new"),
        ("back_again", 2021, 2025, "unchanged"),
    ],
)
def test_change_rules(place: str, before: int, after: int, expected: str | None) -> None:
    assert change_between(TABLE[place], before, after) == expected


def test_two_reports_of_one_year_are_one_year() -> None:
    one = tl((2023, "under_construction"), (2025, "operating"))
    two = tl((2023, "planned"), (2023, "under_construction"), (2025, "operating"))
    assert change_between(one, 2023, 2025) == change_between(two, 2023, 2025) == "advanced"
    # Named in the summary only, still named in 2023.
    assert change_between(tl((2023, None), (2025, None)), 2023, 2025) == "unchanged"


def test_codes_and_counts() -> None:
    pairs = year_pairs([2025, 2022, 2023, 2022])
    assert pairs == [(2022, 2023), (2022, 2025), (2023, 2025)]
    assert change_codes(TABLE["built"], pairs) == "dan"
    assert change_codes(TABLE["old"], pairs) == "---"
    counts = change_counts(list(TABLE.values()), 2022, 2025)
    assert counts == {"new": 4, "advanced": 1, "dropped": 1, "unchanged": 3}
    assert set(counts) == set(CHANGES)


@pytest.fixture
def places() -> gpd.GeoDataFrame:
    rows = [
        {
            "id": pid,
            "name_zh": pid,
            "name_en": pid,
            "aliases": [],
            "category": "facility",
            "district_zh": "浦东新区",
            "in_shanghai": True,
            "status": None,
            "years": sorted({t["year"] for t in timeline}),
            "timeline": timeline,
            "geometry": Point(121.5, 31.2),
        }
        for pid, timeline in TABLE.items()
    ]
    return gpd.GeoDataFrame(rows, crs="EPSG:4326")


def test_compare_is_a_query_parameter(places: gpd.GeoDataFrame) -> None:
    assert {"compare", "change"} <= PARAM_NAMES

    def ids(**kw: Any) -> list[str]:
        return sorted(filter_places(places, **kw)["id"])

    changed = ["back_again", "built", "chapter_only", "fresh", "gone", "twice_2023"]
    assert ids(compare="2022,2025") == changed
    assert ids(compare="2025,2022") == ids(compare="2022,2025")  # either order
    assert ids(compare="2022,2025", change="new") == [
        "back_again",
        "chapter_only",
        "fresh",
        "twice_2023",
    ]
    assert ids(compare="2022,2025", change="unchanged") == ["backwards", "quiet", "steady"]
    assert ids(compare="2023,2025", change="advanced") == ["twice_2023"]
    # The counts of the rules equal what the query keeps, change by change.
    counts = change_counts(list(places["timeline"]), 2022, 2025)
    for change, n in counts.items():
        assert len(ids(compare="2022,2025", change=change)) == n


@pytest.mark.parametrize(
    ("args", "name"),
    [
        ({"compare": "2022"}, "compare"),
        ({"compare": "2022,2022"}, "compare"),
        ({"compare": "2022,2024"}, "compare"),
        ({"compare": "2021,2022,2025"}, "compare"),
        ({"compare": "2022,x"}, "compare"),
        ({"change": "new"}, "change"),
        ({"compare": "2022,2025", "change": "grew"}, "change"),
    ],
)
def test_bad_compare_names_the_parameter(args: dict[str, str], name: str) -> None:
    with pytest.raises(ParamError) as info:
        PlaceQuery.parse(args, report_years=[2021, 2022, 2023, 2025])
    assert info.value.parameter == name
