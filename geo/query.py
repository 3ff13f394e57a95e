"""Filter places the way the map, the CLI and exports do: by district, category, year, status."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.districts import district_by_name
from geo.errors import GeoError
from geo.gazetteer import CATEGORIES

STATUSES = ("operating", "under_construction", "planned", "launched")
#: Longest text search accepted (a name is never longer; a huge value is an attack or a mistake).
MAX_QUERY_LENGTH = 100


class QueryError(GeoError, ValueError):
    """A filter value is not allowed; ``parameter`` names the filter."""

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(message)
        self.parameter = parameter


def _as_list(values: str | Iterable[str] | None) -> list[str]:
    if values is None:
        return []
    items = [values] if isinstance(values, str) else list(values)
    return [v.strip() for item in items for v in item.split(",") if v.strip()]


def parse_bbox(value: str | Sequence[float] | None) -> tuple[float, float, float, float] | None:
    """Return (min lon, min lat, max lon, max lat) from ``"a,b,c,d"``; None when not given."""
    if value is None or value == "":
        return None
    parts = value.split(",") if isinstance(value, str) else list(value)
    try:
        box = tuple(float(p) for p in parts)
    except ValueError:
        box = ()
    if (
        len(box) != 4
        or not all(math.isfinite(v) for v in box)
        or not (-180 <= box[0] <= box[2] <= 180 and -90 <= box[1] <= box[3] <= 90)
    ):
        raise QueryError("bbox", "bbox must be min lon,min lat,max lon,max lat in WGS-84 degrees")
    return box[0], box[1], box[2], box[3]


@dataclass(frozen=True)
class PlaceIndex:
    """Per-place lookups prepared once (at load), so filters cost array operations only.

    Keyed by the places' index labels, so it also serves any subset of the same frame.
    """

    text: pd.Series  # names and aliases, joined and casefolded
    years: pd.Series  # one row per (place, year named)
    year_status: pd.Series  # one row per (place, "year:status")

    @classmethod
    def of(cls, places: pd.DataFrame) -> PlaceIndex:
        """Return the index of ``places``."""
        text = (
            places["name_zh"].fillna("")
            + "\x1f"
            + places["name_en"].fillna("")
            + "\x1f"
            + places["aliases"].map(lambda a: "\x1f".join(a or []))
        ).str.casefold()
        stamps = places["timeline"].map(
            lambda tl: [f"{t.get('year')}:{t.get('status')}" for t in tl or []]
        )
        return cls(text=text, years=places["years"].explode(), year_status=stamps.explode())


def _hits(exploded: pd.Series, wanted: AbstractSet[object], index: pd.Index) -> np.ndarray:
    """Return, for each label of ``index``, whether its exploded values hold any of ``wanted``."""
    labels = exploded.index[exploded.isin(wanted).to_numpy(dtype=bool)]
    return np.asarray(index.isin(labels), dtype=bool)


def _any_in(lists: pd.Series, wanted: AbstractSet[object]) -> np.ndarray:
    """Return, per row, whether its list holds any of ``wanted`` (vectorised via explode)."""
    exploded = lists.explode()
    hit = exploded.isin(wanted).groupby(level=0).any()
    return hit.reindex(lists.index, fill_value=False).to_numpy(dtype=bool)


def filter_places(
    places: gpd.GeoDataFrame,
    *,
    district: str | Iterable[str] | None = None,
    category: str | Iterable[str] | None = None,
    year: int | str | Iterable[int | str] | None = None,
    status: str | Iterable[str] | None = None,
    bbox: str | Sequence[float] | None = None,
    q: str | None = None,
    index: PlaceIndex | None = None,
) -> gpd.GeoDataFrame:
    """Return the places matching every given filter (each filter accepts several values).

    With a year, ``status`` means the status that year's report gives (as on the map);
    without one, the latest status. ``bbox`` keeps places whose point lies in the box (unplaced
    places drop out); ``q`` matches Chinese and English names and aliases, ignoring case.
    """
    mask = places.index == places.index
    districts = []
    for name in _as_list(district):
        d = district_by_name(name)
        if d is None:
            raise QueryError(
                "district", f"unknown district {name!r}: use a name like 浦东新区 or Pudong"
            )
        districts.append(d.name_zh)
    if districts:
        mask &= places["district_zh"].isin(districts)
    categories = _as_list(category)
    unknown = [c for c in categories if c not in CATEGORIES]
    if unknown:
        raise QueryError(
            "category", f"unknown category {unknown[0]!r}; allowed: {', '.join(CATEGORIES)}"
        )
    if categories:
        mask &= places["category"].isin(categories)
    years: list[int] = []
    for y in _as_list([str(v) for v in ([year] if isinstance(year, int | str) else year or [])]):
        if not y.isdigit():
            raise QueryError("year", f"year must be a number like 2025, got {y!r}")
        years.append(int(y))
    if years:
        mask &= (
            _hits(index.years, set(years), places.index)
            if index is not None
            else _any_in(places["years"], set(years))
        )
    statuses = _as_list(status)
    bad = [s for s in statuses if s not in STATUSES]
    if bad:
        raise QueryError("status", f"unknown status {bad[0]!r}; allowed: {', '.join(STATUSES)}")
    if statuses and years:
        wanted = {f"{y}:{s}" for y in years for s in statuses}
        stamps = (index or PlaceIndex.of(places)).year_status
        mask &= _hits(stamps, set(wanted), places.index)
    elif statuses:
        mask &= places["status"].isin(statuses)
    box = parse_bbox(bbox)
    if box is not None:
        placed = places.geometry.notna() & ~places.geometry.is_empty
        inside = places.geometry.intersects(shapely.box(*box))
        mask &= (placed & inside).to_numpy()
    if q and q.strip():
        if len(q) > MAX_QUERY_LENGTH:
            raise QueryError("q", f"q is longer than {MAX_QUERY_LENGTH} characters")
        needle = q.strip().casefold()
        text = (index or PlaceIndex.of(places)).text
        labels = text.index[text.str.contains(needle, regex=False).to_numpy(dtype=bool)]
        mask &= np.asarray(places.index.isin(labels), dtype=bool)
    return places[mask]
