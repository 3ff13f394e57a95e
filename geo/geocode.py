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
from itertools import pairwise
from typing import Any

import geopandas as gpd
from shapely.geometry import Point

from geo import settings
from geo.extract import Mention
from geo.gazetteer import Gazetteer, Place

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


def _report_statuses(mentions: Sequence[Mention]) -> list[Mention]:
    """Drop sentence-read statuses of a report that classifies the place under a heading.

    A report that lists a facility under "在建中" says what it thinks; a sentence elsewhere in
    it ("…通过测试、…全面建成") may be about a neighbour in the same sentence.
    """
    headed = {m.report for m in mentions if m.from_heading}
    return [m for m in mentions if m.from_heading or m.report not in headed]


def _latest_status(mentions: Sequence[Mention]) -> str | None:
    dated = [m for m in _report_statuses(mentions) if m.status is not None]
    if not dated:
        return None
    latest = max(m.year for m in dated)
    statuses = {m.status for m in dated if m.year == latest}
    return max(statuses, key=lambda s: STATUS_ORDER.index(s or "planned"))


def _timeline(mentions: Sequence[Mention]) -> list[dict[str, Any]]:
    """Per report: the most advanced status it gives (or None), oldest report first."""
    out: dict[str, dict[str, Any]] = {}
    for m in sorted(mentions, key=lambda m: (m.year, m.report)):
        out.setdefault(m.report, {"report": m.report, "year": m.year, "status": None})
    for m in _report_statuses(mentions):
        entry = out[m.report]
        if m.status is not None and (
            entry["status"] is None
            or STATUS_ORDER.index(m.status) > STATUS_ORDER.index(entry["status"])
        ):
            entry["status"] = m.status
    return list(out.values())


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
        if held is None or STATUS_ORDER.index(t["status"]) > STATUS_ORDER.index(held["status"]):
            best[t["year"]] = t
    years = sorted(best)
    return [
        (best[a], best[b])
        for a, b in pairwise(years)
        if STATUS_ORDER.index(best[b]["status"]) < STATUS_ORDER.index(best[a]["status"])
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
                "status": _latest_status(ms),
                "years": sorted({m.year for m in ms}),
                "timeline": _timeline(ms),
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
