"""Filter places the way the map, the CLI and exports do: by district, category, year, status."""

from __future__ import annotations

from collections.abc import Iterable

import geopandas as gpd

from geo.districts import district_by_name
from geo.errors import GeoError
from geo.gazetteer import CATEGORIES

STATUSES = ("operating", "under_construction", "planned", "launched")


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


def filter_places(
    places: gpd.GeoDataFrame,
    *,
    district: str | Iterable[str] | None = None,
    category: str | Iterable[str] | None = None,
    year: int | str | Iterable[int | str] | None = None,
    status: str | Iterable[str] | None = None,
) -> gpd.GeoDataFrame:
    """Return the places matching every given filter (each filter accepts several values)."""
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
        mask &= places["years"].map(lambda ys: any(y in ys for y in years)).astype(bool)
    statuses = _as_list(status)
    bad = [s for s in statuses if s not in STATUSES]
    if bad:
        raise QueryError("status", f"unknown status {bad[0]!r}; allowed: {', '.join(STATUSES)}")
    if statuses:
        mask &= places["status"].isin(statuses)
    return places[mask]
