"""Apply a reviewed geocoder sheet: the accepted proposals become gazetteer coordinates.

``innovation-map geocode propose`` writes the sheet (:mod:`geo.geocoder`); a curator marks each
proposal ``accept`` or ``reject``, sets the precision and checks the address evidence; this
module writes the accepted ones into ``places.csv``. It never replaces a coordinate a curator
entered: only a place with no point of its own can take one. Every row is checked, then the
whole build runs on the changed gazetteer; all problems are reported together and nothing is
written unless there are none (:func:`geo.curated.commit_checked`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from geo import settings
from geo.boundaries import district_of_point, load_districts
from geo.curated import CuratedTable, commit_checked
from geo.errors import ReviewError
from geo.geocoder import DECISIONS, REVIEW_COLUMNS
from geo.pipeline import Inputs
from geo.tables import read_rows

#: Precisions a geocoded point may be recorded at (a district point is never geocoded).
GEOCODED_PRECISIONS: tuple[str, ...] = ("site", "campus", "area")
#: The sheet columns ``apply`` reads: the proposal's, and every review column.
REQUIRED_COLUMNS: tuple[str, ...] = (
    *("id", "service", "status", "lon", "lat", "datum", "level", "query"),
    *REVIEW_COLUMNS,
)


@dataclass(frozen=True)
class Applied:
    """One accepted proposal as written: the place, its point, precision and district."""

    id: str
    lon: float
    lat: float
    precision: str
    district_zh: str


def read_sheet(path: Path) -> list[dict[str, str]]:
    """Read a geocoder review sheet (with or without a byte-order mark)."""
    rows = read_rows(path, REQUIRED_COLUMNS, "geocoder sheet", error=ReviewError)
    return [{k: v.strip() for k, v in r.items()} for r in rows]


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def coord_source(row: dict[str, str]) -> str:
    """Return the ``coord_source`` an accepted proposal records (a ``geocoder:`` method)."""
    level = row["level"] or "no match level"
    return f"geocoder: {row['service']} proposal, reviewed ({level}; {row['datum']})"


def apply_geocode_review(sheet: Path, inputs: Inputs) -> list[Applied]:
    """Write the sheet's accepted proposals into ``places.csv`` under ``inputs.gazetteer_dir``.

    Rows without a decision, or rejected, are left alone. An accepted row must be a proposal
    with a point, for a place with no coordinate of its own, at ``site``, ``campus`` or
    ``area``, with its address evidence for ``site`` and ``campus``; a place whose district is
    unknown takes the district its point lies in. Raise ReviewError listing every problem.
    """
    rows = read_sheet(sheet)
    path = inputs.gazetteer_dir / settings.PLACES_FILE
    table = CuratedTable.read(path)
    for name in ("address_zh", "address_source"):  # an older file may lack the evidence columns
        if name not in table.header:
            table.header.append(name)
            for r in table.rows:
                r.append("")
    col = {name: i for i, name in enumerate(table.header)}
    by_id = {r[col["id"]]: r for r in table.rows}
    districts = load_districts(inputs.boundaries)
    problems: list[str] = []
    applied: list[Applied] = []
    seen: set[str] = set()
    for n, row in enumerate(rows, start=2):  # line 1 is the header
        where = f"line {n} ({row['id'] or 'no id'})"
        decision = row["decision"].lower()
        if decision not in ("", *DECISIONS):
            problems.append(
                f"{where}: decision {row['decision']!r} is not one of: {', '.join(DECISIONS)}"
                " (or empty)"
            )
            continue
        if decision != "accept":
            continue
        place = by_id.get(row["id"])
        if place is None:
            problems.append(f"{where}: no place with this id in {path.name}")
            continue
        if row["id"] in seen:
            problems.append(f"{where}: a second accepted proposal for the same place")
            continue
        seen.add(row["id"])
        lon, lat = _number(row["lon"]), _number(row["lat"])
        if row["status"] != "proposed" or lon is None or lat is None:
            problems.append(f"{where}: status {row['status']!r} has no point to accept")
            continue
        if place[col["lon"]] or place[col["lat"]]:
            problems.append(
                f"{where}: the place has a curated coordinate ({place[col['lon']]}, "
                f"{place[col['lat']]}); the geocoder never replaces one (edit {path.name} by "
                "hand if it is wrong)"
            )
            continue
        precision = row["precision"]
        if precision not in GEOCODED_PRECISIONS:
            problems.append(
                f"{where}: precision {precision!r} is not one of: {', '.join(GEOCODED_PRECISIONS)}"
            )
            continue
        if precision != "area" and not (row["address_zh"] and row["address_source"]):
            problems.append(
                f"{where}: a {precision} point needs its address evidence "
                "(address_zh and address_source)"
            )
            continue
        district = place[col["district_zh"]]
        if not district and place[col["in_shanghai"]].lower() == "true":
            district = district_of_point(districts, lon, lat) or ""
            if not district:
                problems.append(f"{where}: ({lon}, {lat}) lies in no Shanghai district")
                continue
        place[col["lon"]], place[col["lat"]] = f"{lon:.6f}", f"{lat:.6f}"
        place[col["precision"]] = precision
        place[col["coord_source"]] = coord_source(row)
        place[col["district_zh"]] = district
        for name in ("address_zh", "address_source"):  # the evidence given, each on its own
            if row[name]:
                place[col[name]] = row[name]
        applied.append(Applied(row["id"], lon, lat, precision, district))
    commit_checked(
        inputs,
        {settings.PLACES_FILE: table},
        problems,
        f"geocoder sheet {sheet} cannot be applied",
    )
    return applied
