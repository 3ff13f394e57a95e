"""Mentions + gazetteer → one GeoDataFrame row per place (EPSG:4326), with its coordinate's origin.

The coordinate of each place comes from the first link of this chain that has one, and the
link is recorded in ``coord_source`` and ``precision``:

1. the gazetteer row's own coordinate (its stated precision and source);
2. the nearest ancestor (``parent_id``) with a coordinate, precision ``area`` or ``campus``;
3. the district's point, precision ``district``;
4. none: a Shanghai place whose district is unknown stays, with empty geometry (``unplaced``).

No network is used. An online geocoder is deliberately absent from the default run.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import geopandas as gpd
from shapely.geometry import Point

from geo import settings
from geo.extract import Mention
from geo.gazetteer import Gazetteer, Place
from geo.vocab import headline_entry

#: Categories that are areas: a place known only to lie inside one is placed at ``area`` precision.
AREA_CATEGORIES = frozenset({"science_city", "hightech_zone", "innovation_area", "science_park"})
#: From least to most advanced (the order of ``geo.vocab.STATUSES``): a place is planned, then
#: being built, then set up or opened (launched), then working (operating). The latest report's
#: most advanced status wins.
STATUS_ORDER = ("planned", "under_construction", "launched", "operating")

PLACE_COLUMNS = (
    "id",
    "name_zh",
    "name_en",
    "aliases",
    "category",
    "parent_id",
    "district_zh",
    "in_shanghai",
    "precision",
    "coord_source",
    "address_zh",
    "address_source",
    "status",
    "years",
    "timeline",
    "sources",
    "notes",
)


UNPLACED = "unplaced: no coordinate and no known district"


def _locate(
    place: Place, by_id: dict[str, Place], district_pts: dict[str, tuple[float, float]]
) -> tuple[float | None, float | None, str | None, str]:
    """Return lon, lat, precision and coord_source for a place, walking the fallback chain."""
    if place.has_coords:
        assert place.lon is not None and place.lat is not None and place.precision is not None
        return place.lon, place.lat, place.precision, place.coord_source
    seen = {place.id}
    parent = by_id.get(place.parent_id or "")
    while parent is not None and parent.id not in seen:
        seen.add(parent.id)
        # Inherit only within the same district (and never across the city limit): an
        # unplaced Shanghai place must not take a point from a parent elsewhere.
        same_place = (
            parent.in_shanghai == place.in_shanghai and parent.district_zh == place.district_zh
        )
        if parent.has_coords and same_place and (place.district_zh or not place.in_shanghai):
            assert parent.lon is not None and parent.lat is not None
            precision = "area" if parent.category in AREA_CATEGORIES else "campus"
            if parent.precision == "area":
                precision = "area"
            return parent.lon, parent.lat, precision, f"parent: {parent.id}"
        parent = by_id.get(parent.parent_id or "")
    district = place.district_zh or ""
    if district not in district_pts:
        # Named by a report but its district is unknown: kept as a row with empty geometry
        # (like a failed geocode), never guessed into a district.
        return None, None, None, UNPLACED
    lon, lat = district_pts[district]
    return lon, lat, "district", f"district point: {district}"


#: Categories of places that exist and work unless a report says otherwise: a university,
#: institute, lab, museum or high-tech zone that a report names for what it does is operating.
#: A report that says one was set up, is being built or is planned says so in its own words.
EXISTING_CATEGORIES = frozenset(
    {"university", "research_institute", "key_lab", "national_lab", "hightech_zone", "venue"}
)
#: Established by their kind alone (RULES.md rule 12): a university, a high-tech zone and its
#: parks. A research institute may be new (李政道研究所 under 高水平研发机构加快建设).
ESTABLISHED_CATEGORIES = frozenset({"university", "hightech_zone"})
#: Also operating when a progress report (not the plan) names them without a status word: a
#: park, zone, platform or incubator whose year's work it reports. Facilities are left empty
#: (the reports file them as built, being built or planned), and so are company sites and
#: science cities (often named only as places where something else happens).
REPORTED_CATEGORIES = frozenset({"science_park", "innovation_area", "platform", "incubator"})


#: Designations: a platform (a clinical research centre, an engineering centre, a base), key
#: lab or science park (获批建设上海市网络安全产业示范园) that a host is approved for (获批建设) is
#: set up by the approval (RULES.md rule 6), unlike a facility approved to be built, which is
#: still planned.
DESIGNATION_CATEGORIES = frozenset({"platform", "key_lab", "science_park"})


#: Built in parts: a part of one being built (``Mention.part_built``) means the whole is.
PART_BUILT_CATEGORIES = frozenset({"facility", "platform"})


def _rank(status: str) -> int:
    return STATUS_ORDER.index(status)


@dataclass(frozen=True)
class StatusDecision:
    """The status one report gives a place, how it was decided and the line that decides it."""

    status: str | None
    basis: str | None = None  # one of geo.vocab.STATUS_BASES
    line: int | None = None


def decide_report_status(mentions: Sequence[Mention], category: str) -> StatusDecision:
    """Return the status one report gives a place, with its basis and deciding line.

    What a sentence says about the place itself wins (the most advanced such status; a part of
    a facility or platform being built says the whole is being built); else
    the heading or box it is listed under; else, for an existing institution (or, outside a
    plan, a park, zone, platform or incubator), ``operating``, unless every mention says
    nothing of the place (``Mention.says_nothing``). The deciding line is the first mention
    that gives the winning status (none for a status inferred from the category).
    """
    designation = category in DESIGNATION_CATEGORIES
    own = [
        ("launched" if designation and m.approved else m.status, m.line)
        for m in mentions
        if m.status is not None and not m.from_heading
    ]
    if category in PART_BUILT_CATEGORIES:
        own += [("under_construction", m.line) for m in mentions if m.part_built]
    headed = [(m.status, m.line) for m in mentions if m.status is not None and m.from_heading]
    if category in ESTABLISHED_CATEGORIES:
        # A heading saying its group is being built (加快建设) does not make an established
        # university or high-tech zone new: it works (RULES.md rules 7, 2 and 12).
        headed = [("operating" if s == "under_construction" else s, ln) for s, ln in headed]
    if category == "hightech_zone":
        # So is building one up in a sentence (推进X建设, 加快建设X): a national or city high-tech
        # zone and its parks are established (rules 2, 12).
        own = [("operating" if s == "under_construction" else s, ln) for s, ln in own]
    shown = [
        m
        for m in mentions
        if m.reviewed and not m.says_nothing and m.status not in ("planned", "under_construction")
    ]
    if category != "facility" and shown:
        # The plan's review of the last period shows the place existing: building it up
        # (推进 / 加快建设 / 打造 / 建设) in the plan's tasks is work on a working place (rule 2).
        # Not a facility: one named there may still be being built (SKA).
        # The review's line is the one that shows it.
        own = [
            ("operating", shown[0].line) if s in ("planned", "under_construction") else (s, ln)
            for s, ln in own
        ]
    for basis, found in (("sentence", own), ("heading", headed)):
        if found:
            best = max(_rank(s) for s, _ in found)
            line = min(ln for s, ln in found if _rank(s) == best)
            return StatusDecision(STATUS_ORDER[best], basis, line)
    if all(m.says_nothing for m in mentions):
        return StatusDecision(None)
    if category in EXISTING_CATEGORIES:
        return StatusDecision("operating", "category")
    if category in REPORTED_CATEGORIES and not any(m.in_plan for m in mentions):
        return StatusDecision("operating", "category")
    return StatusDecision(None)


def _timeline(mentions: Sequence[Mention], category: str = "") -> list[dict[str, Any]]:
    """Per report, oldest first: the status it gives the place (or None), its basis and line."""
    by_report: dict[str, list[Mention]] = {}
    for m in sorted(mentions, key=lambda m: (m.year, m.report)):
        by_report.setdefault(m.report, []).append(m)
    timeline = []
    for r, ms in by_report.items():
        decided = decide_report_status(ms, category)
        timeline.append(
            {
                "report": r,
                "year": ms[0].year,
                "status": decided.status,
                "basis": decided.basis,
                "line": decided.line,
            }
        )
    return timeline


def _latest_status(timeline: Sequence[dict[str, Any]]) -> str | None:
    """Return the latest year's most advanced status (None when no report gives one)."""
    entry = headline_entry(timeline)
    return None if entry is None else str(entry["status"])


def backward_steps(
    timeline: Sequence[dict[str, Any]],
) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """Return each step of a timeline to a less advanced status in a later year.

    A year with two reports (2023: chapter 1 and the summary) counts with its most advanced
    status. Each step is (earlier entry, later entry), for review: a report may truly say less
    than an earlier one (a plan's facility that a later report only mentions), or a rule erred.
    """
    best: dict[int, dict[str, Any]] = {}
    for t in timeline:
        if t["status"] is None:
            continue
        held = best.get(t["year"])
        if held is None or _rank(t["status"]) > _rank(held["status"]):
            best[t["year"]] = t
    years = sorted(best)
    return [
        (best[a], best[b])
        for a, b in pairwise(years)
        if _rank(best[b]["status"]) < _rank(best[a]["status"])
    ]


def places_from_mentions(
    gazetteer: Gazetteer,
    mentions: Sequence[Mention],
    district_pts: dict[str, tuple[float, float]],
) -> gpd.GeoDataFrame:
    """Geocode every gazetteer place and attach its sources; rows follow the gazetteer order."""
    by_id = gazetteer.by_id()
    grouped: dict[str, list[Mention]] = {p.id: [] for p in gazetteer.places}
    for m in mentions:
        grouped[m.place_id].append(m)
    rows: list[dict[str, Any]] = []
    for place in gazetteer.places:
        ms = sorted(grouped[place.id], key=lambda m: (m.year, m.report, m.line))
        lon, lat, precision, coord_source = _locate(place, by_id, district_pts)
        timeline = _timeline(ms, place.category)
        rows.append(
            {
                "id": place.id,
                "name_zh": place.name_zh,
                "name_en": place.name_en,
                "aliases": list(place.aliases),
                "category": place.category,
                "parent_id": place.parent_id,
                "district_zh": place.district_zh,
                "in_shanghai": place.in_shanghai,
                "precision": precision,
                "coord_source": coord_source,
                "address_zh": place.address_zh,
                "address_source": place.address_source,
                "status": _latest_status(timeline),
                "years": sorted({m.year for m in ms}),
                "timeline": timeline,
                # Two names of the place on one line ("上海同步辐射光源(光源1期…)") cite it once.
                "sources": [
                    {"report": r, "year": y, "line": ln, "quote": q}
                    for r, y, ln, q in dict.fromkeys(
                        (m.report, m.year, m.line, m.quote) for m in ms
                    )
                ],
                "notes": place.notes,
                # shapely points are (lon, lat)
                "geometry": Point(round(lon, 6), round(lat, 6))
                if lon is not None and lat is not None
                else None,
            }
        )
    return gpd.GeoDataFrame(rows, columns=[*PLACE_COLUMNS, "geometry"], crs=settings.WGS84)
