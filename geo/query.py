"""One query for places: parsed once from a URL or the command line, applied the same everywhere.

:class:`PlaceQuery` is what ``layers``, ``category``, ``district``, ``year`` (or OGC
``datetime``), ``status``, ``bbox``, ``q``, ``unplaced`` and ``compare``/``change`` mean on
the map, in every export, in the OGC API and on the command line. Its parameters are declared once (:data:`PARAMS`);
the OpenAPI documents are generated from the same declarations.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.compare import CHANGES, DEFAULT_CHANGES, change_between
from geo.districts import district_by_name
from geo.params import ParamError, parse_flag, parse_number, single, values
from geo.vocab import (
    CATEGORIES,
    LAYER_IDS,
    PLACE_LAYER_IDS,
    STATUSES,
    layer_of,
    search_key,
    status_by_year,
)

#: Longest text search accepted (a name is never longer; a huge value is an attack or a mistake).
MAX_QUERY_LENGTH = 100

#: Kept for callers that catch the old name: a query error is a parameter error.
QueryError = ParamError


@dataclass(frozen=True)
class Param:
    """One query parameter: its name, JSON schema and description (for OpenAPI)."""

    name: str
    schema: dict[str, Any]
    description: str


def _list_of(items: Sequence[str] | None = None) -> dict[str, Any]:
    item: dict[str, Any] = {"type": "string"}
    if items:
        item["enum"] = list(items)
    return {"type": "array", "items": item}


#: Every parameter PlaceQuery.parse reads (multi-valued ones are comma-separated).
PARAMS: tuple[Param, ...] = (
    Param("layers", _list_of(LAYER_IDS), "map layer ids: categories in Shanghai, outside_shanghai"),
    Param("category", _list_of(CATEGORIES), "place categories"),
    Param("district", _list_of(), "districts, Chinese or English (浦东新区, 浦东, Pudong)"),
    Param("year", _list_of(), "report years that name the place (e.g. 2025)"),
    Param("status", _list_of(STATUSES), "status in the given years' reports (else the latest)"),
    Param(
        "bbox",
        {"type": "array", "minItems": 4, "maxItems": 6, "items": {"type": "number"}},
        "min lon,min lat,max lon,max lat (WGS-84); 6 numbers: with min and max height",
    ),
    Param("q", {"type": "string", "maxLength": MAX_QUERY_LENGTH}, "text in names and aliases"),
    Param(
        "unplaced",
        {"type": "integer", "enum": [0, 1], "default": 0},
        "1: also places without a point (known only by name or district)",
    ),
    Param(
        "compare",
        {"type": "array", "minItems": 2, "maxItems": 2, "items": {"type": "integer"}},
        "two report years (2022,2025): keep the places that changed between them (see change)",
    ),
    Param(
        "change",
        _list_of(CHANGES),
        "with compare: new (named only in the later year), advanced (status further along), "
        "dropped (no longer named), unchanged; default new,advanced,dropped",
    ),
)
PARAM_NAMES: frozenset[str] = frozenset(p.name for p in PARAMS)
#: OGC API Features' temporal filter: a report year, or an interval of them.
DATETIME = Param(
    "datetime",
    {"type": "string"},
    "report year or interval (2025, 2022/2025, ../2023, 2021-01-01T00:00:00Z)",
)


def parse_bbox(raw: str) -> tuple[float, float, float, float] | None:
    """Return (min lon, min lat, max lon, max lat) from 4 or 6 numbers; None when empty."""
    if not raw.strip():
        return None
    parts = raw.split(",")
    message = "must be min lon,min lat,max lon,max lat in WGS-84 degrees / 须为最小经度,最小纬度,最大经度,最大纬度"
    if len(parts) not in (4, 6):
        raise ParamError("bbox", message)
    try:
        nums = [parse_number("bbox", p) for p in parts]
    except ParamError:
        raise ParamError("bbox", message) from None
    # With 6 numbers the 3rd and 6th are heights, which places do not have.
    box = (nums[0], nums[1], nums[2], nums[3]) if len(nums) == 4 else (*nums[:2], *nums[3:5])
    if not (-180 <= box[0] <= box[2] <= 180 and -90 <= box[1] <= box[3] <= 90):
        raise ParamError("bbox", message)
    return box[0], box[1], box[2], box[3]


_DATE = re.compile(r"([0-9]{4})(?:-[0-9]{2}(?:-[0-9]{2}(?:T[0-9:.]+(?:Z|[+-][0-9:]+)?)?)?)?")


def _period(text: str) -> tuple[datetime, datetime]:
    """Return the first and last instant of a date, date-time, ``YYYY`` or ``YYYY-MM``.

    A partial date spans its period. ValueError when it is not a real one: ``_DATE`` only
    shapes it: month 13 or 30 February would otherwise pass as their year.
    """
    if len(text) > 10:
        value = datetime.fromisoformat(text)
        value = value if value.tzinfo else value.replace(tzinfo=UTC)
        return value, value
    first = datetime.fromisoformat((text + "-01-01"[len(text) - 4 :])[:10]).replace(tzinfo=UTC)
    if len(text) == 4:
        after = first.replace(year=first.year + 1)
    elif len(text) == 7:
        after = (first + timedelta(days=32)).replace(day=1)
    else:
        after = first + timedelta(days=1)
    return first, after - timedelta(microseconds=1)


def parse_datetime(raw: str, report_years: Sequence[int]) -> tuple[int, ...] | None:
    """Return the report years within an OGC ``datetime`` (an instant or an interval)."""
    if not raw.strip():
        return None
    message = (
        "must be a year, a date or an interval such as 2022/2025 or ../2023 / "
        "须为年份、日期或区间（如 2022/2025、../2023）"
    )
    ends = raw.strip().split("/")
    if len(ends) > 2:
        raise ParamError("datetime", message)
    bounds: list[int | None] = []
    for end in ends:
        if end in ("..", "") and len(ends) == 2:
            bounds.append(None)
            continue
        match = _DATE.fullmatch(end)
        if not match:
            raise ParamError("datetime", message)
        try:
            _period(end)
        except ValueError:
            raise ParamError(
                "datetime", f"{end!r} is not a real date or time / {end!r} 不是有效的日期或时间"
            ) from None
        bounds.append(int(match.group(1)))
    low, high = (bounds[0], bounds[0]) if len(bounds) == 1 else (bounds[0], bounds[1])
    starts_late = low is not None and high is not None and len(ends) == 2
    if starts_late and _period(ends[0])[0] > _period(ends[1])[1]:
        raise ParamError(
            "datetime", f"the interval starts after it ends ({raw.strip()}) / 区间的起点晚于终点"
        )
    return tuple(
        y for y in report_years if (low is None or y >= low) and (high is None or y <= high)
    )


@dataclass(frozen=True)
class PlaceIndex:
    """Per-place values every query reads, computed once per build (and sent to the page)."""

    layer: pd.Series  # layer id
    placed: pd.Series  # has a point
    keys: pd.Series  # search keys of names and aliases, joined by "\x1f"
    years: pd.Series  # one row per (place, year named)
    year_status: pd.Series  # one row per (place, "year:status")

    @classmethod
    def of(cls, places: pd.DataFrame) -> PlaceIndex:
        """Return the index of ``places``."""
        geoms = places.geometry if isinstance(places, gpd.GeoDataFrame) else None
        placed = (
            (geoms.notna() & ~geoms.is_empty)
            if geoms is not None
            else pd.Series(False, index=places.index)
        )
        return cls(
            layer=pd.Series(
                [
                    layer_of(c, bool(s))
                    for c, s in zip(places["category"], places["in_shanghai"], strict=True)
                ],
                index=places.index,
                dtype=object,
            ),
            placed=placed.astype(bool),
            keys=places.apply(lambda r: "\x1f".join(place_search_keys(r)), axis=1).astype(object)
            if len(places)
            else pd.Series([], dtype=object),
            years=places["years"].explode(),
            year_status=places["timeline"]
            .map(lambda tl: [f"{y}:{s}" for y, s in status_by_year(tl).items()])
            .explode(),
        )


def place_search_keys(row: Mapping[str, Any]) -> list[str]:
    """Return the search keys of a place: its names and aliases (list aliases' parts)."""
    names = [row.get("name_zh"), row.get("name_en"), *(row.get("aliases") or [])]
    keys: list[str] = []
    for name in names:
        if not isinstance(name, str) or not name:
            continue
        # A list alias "head…tail" is searched as its two parts.
        for part in name.split("…"):
            key = search_key(part)
            if key and key not in keys:
                keys.append(key)
    return keys


# Words an acronym skips ("Shanghai Institute of Materia Medica" → SIMM).
_MINOR_WORDS = frozenset({"of", "and", "the", "for", "in", "on", "at", "&"})
# Short forms people type: the city dropped, or a generic suffix ("复旦大学" → "复旦").
_ZH_PREFIXES = ("上海市", "上海")
_ZH_SUFFIXES = ("大学",)
_EN_SHORT = (("laboratory", "lab"), ("university", "univ"), ("institute", "inst"))


def place_suggest_keys(row: Mapping[str, Any]) -> list[str]:
    """Return extra keys the search box suggests a place by: acronyms and common short forms.

    Only the search box's suggestions use them; the ``q`` filter stays a substring of
    :func:`place_search_keys`, the same on every surface.
    """
    own = set(place_search_keys(row))
    names = [row.get("name_zh"), row.get("name_en"), *(row.get("aliases") or [])]
    out: list[str] = []

    def add(text: str) -> None:
        key = search_key(text)
        if len(key) >= 2 and key not in own and key not in out:
            out.append(key)

    for name in names:
        if not isinstance(name, str) or not name or "…" in name:
            continue
        # The acronym of the name before a comma ("…, CAS" is who runs it, not the name).
        words = re.findall(r"[A-Za-z][A-Za-z0-9-]*", name.split(",")[0])
        initials = "".join(w[0] for w in words if w.lower() not in _MINOR_WORDS)
        if len(words) >= 3 and len(initials) >= 3 and name.isascii():
            add(initials)
        if name.isascii():
            short = name.lower()
            for word, abbr in _EN_SHORT:
                short = re.sub(rf"\b{word}\b", abbr, short)
            add(short)
            rest = re.sub(r"^shanghai\s+", "", short)
            if " " in rest.strip():  # not "Shanghai University" → "univ"
                add(rest)
            continue
        for prefix in _ZH_PREFIXES:
            rest = name[len(prefix) :]
            if name.startswith(prefix) and len(rest) >= 4:  # not 上海大学 → 大学
                add(rest)
                break
        for suffix in _ZH_SUFFIXES:
            stem = name[: -len(suffix)]
            if name.endswith(suffix) and len(stem) >= 2 and not stem.startswith("上海"):
                add(stem)
    return out


def _hits(exploded: pd.Series, wanted: set[object], index: pd.Index) -> np.ndarray:
    """Return, for each label of ``index``, whether its exploded values hold any of ``wanted``."""
    labels = exploded.index[exploded.isin(wanted).to_numpy(dtype=bool)]
    return np.asarray(index.isin(labels), dtype=bool)


@dataclass(frozen=True)
class PlaceQuery:
    """A filter over places; every field empty means "every place with a point"."""

    layers: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    districts: tuple[str, ...] = ()  # Chinese names
    years: tuple[int, ...] | None = None  # None: any year; (): no report year matched
    statuses: tuple[str, ...] = ()
    bbox: tuple[float, float, float, float] | None = None
    q: str = ""  # search key (normalised)
    unplaced: bool = False
    compare: tuple[int, int] | None = None  # (earlier, later) report year
    changes: tuple[str, ...] = ()  # with compare; empty: DEFAULT_CHANGES
    #: What was asked, as it should be echoed in metadata and links.
    echo: tuple[tuple[str, str], ...] = field(default=(), compare=False)

    @classmethod
    def parse(
        cls,
        args: Mapping[str, Any],
        *,
        report_years: Sequence[int],
        allow_datetime: bool = False,
    ) -> PlaceQuery:
        """Return the query of URL (or CLI) arguments; a bad value raises ParamError naming it.

        ``report_years`` are the build's report years (``year`` must be one of them).
        Parameters not declared in :data:`PARAMS` are ignored here: each surface decides
        which others it accepts (see :func:`check_known`).
        """
        layers = values(args, "layers")
        bad = [x for x in layers if x not in LAYER_IDS]
        if bad:
            raise ParamError(
                "layers",
                f"unknown layer {bad[0]!r}; allowed: {', '.join(LAYER_IDS)} / 未知图层 {bad[0]!r}",
            )
        categories = values(args, "category")
        bad = [c for c in categories if c not in CATEGORIES]
        if bad:
            allowed_categories = ", ".join(CATEGORIES)
            raise ParamError(
                "category",
                f"unknown category {bad[0]!r}; allowed: {allowed_categories} / "
                f"未知类别 {bad[0]!r}，须为 {allowed_categories} 之一",
            )
        districts = []
        for name in values(args, "district"):
            d = district_by_name(name)
            if d is None:
                raise ParamError(
                    "district",
                    f"unknown district {name!r}: use a name like 浦东新区, 浦东 or Pudong / "
                    f"未知的区 {name!r}：请用“浦东新区”“浦东”或“Pudong”这样的区名",
                )
            districts.append(d.name_zh)
        years: tuple[int, ...] | None = None
        raw_years = values(args, "year")
        if raw_years:
            allowed = ", ".join(str(y) for y in report_years)
            picked = []
            for y in raw_years:
                if not (y.isascii() and y.isdigit()) or int(y) not in report_years:
                    raise ParamError("year", f"must be one of {allowed} / 须为 {allowed} 之一")
                picked.append(int(y))
            years = tuple(dict.fromkeys(picked))
        if allow_datetime and single(args, "datetime"):
            in_range = parse_datetime(single(args, "datetime"), report_years)
            years = in_range if years is None else tuple(y for y in years if y in (in_range or ()))
        statuses = values(args, "status")
        bad = [s for s in statuses if s not in STATUSES]
        if bad:
            allowed_statuses = ", ".join(STATUSES)
            raise ParamError(
                "status",
                f"unknown status {bad[0]!r}; allowed: {allowed_statuses} / "
                f"未知状态 {bad[0]!r}，须为 {allowed_statuses} 之一",
            )
        q = single(args, "q")
        if len(q) > MAX_QUERY_LENGTH:
            raise ParamError(
                "q", f"at most {MAX_QUERY_LENGTH} characters / 不超过 {MAX_QUERY_LENGTH} 个字符"
            )
        compare = _parse_compare(args, report_years)
        changes = values(args, "change")
        bad = [c for c in changes if c not in CHANGES]
        if bad:
            allowed_changes = ", ".join(CHANGES)
            raise ParamError(
                "change",
                f"unknown change {bad[0]!r}; allowed: {allowed_changes} / "
                f"未知变化类型 {bad[0]!r}，须为 {allowed_changes} 之一",
            )
        if changes and compare is None:
            raise ParamError("change", "needs compare=YEAR,YEAR / 须与 compare 一起使用")
        echo = [
            (p.name, ",".join(values(args, p.name)) if p.name != "q" else q)
            for p in PARAMS
            if single(args, p.name)
        ]
        return cls(
            layers=tuple(dict.fromkeys(layers)),
            categories=tuple(dict.fromkeys(categories)),
            districts=tuple(dict.fromkeys(districts)),
            years=years,
            statuses=tuple(dict.fromkeys(statuses)),
            bbox=parse_bbox(single(args, "bbox")),
            q=search_key(q),
            unplaced=parse_flag("unplaced", single(args, "unplaced") or None),
            compare=compare,
            changes=tuple(dict.fromkeys(changes)),
            echo=tuple(echo),
        )

    def as_params(self) -> dict[str, str]:
        """Return the query as URL parameters (what was asked, for links and metadata)."""
        return dict(self.echo)

    def mask(self, places: pd.DataFrame, index: PlaceIndex | None = None) -> np.ndarray:
        """Return, per row of ``places``, whether the query keeps it."""
        ix = index or PlaceIndex.of(places)
        labels = places.index
        keep = np.ones(len(places), dtype=bool)
        if not self.unplaced:
            keep &= ix.placed.reindex(labels, fill_value=False).to_numpy(dtype=bool)
        place_layers = [x for x in self.layers if x in PLACE_LAYER_IDS]
        if self.layers:
            keep &= ix.layer.reindex(labels).isin(place_layers).to_numpy(dtype=bool)
        if self.categories:
            keep &= places["category"].isin(self.categories).to_numpy(dtype=bool)
        if self.districts:
            keep &= places["district_zh"].isin(self.districts).to_numpy(dtype=bool)
        if self.years is not None:
            keep &= _hits(ix.years, set(self.years), labels)
        if self.statuses and self.years is not None:
            wanted = {f"{y}:{s}" for y in self.years for s in self.statuses}
            keep &= _hits(ix.year_status, set(wanted), labels)
        elif self.statuses:
            keep &= places["status"].isin(self.statuses).to_numpy(dtype=bool)
        if self.bbox is not None:
            geoms = places.geometry if isinstance(places, gpd.GeoDataFrame) else None
            if geoms is None:
                keep &= False
            else:
                inside = geoms.intersects(shapely.box(*self.bbox)).to_numpy(dtype=bool)
                keep &= inside & ~geoms.is_empty.to_numpy(dtype=bool)
        if self.compare is not None:
            before, after = self.compare
            wanted_changes = set(self.changes or DEFAULT_CHANGES)
            change = places["timeline"].map(lambda tl: change_between(tl, before, after))
            keep &= change.isin(wanted_changes).to_numpy(dtype=bool)
        if self.q:
            keys = ix.keys.reindex(labels, fill_value="")
            keep &= keys.str.contains(self.q, regex=False).to_numpy(dtype=bool)
        return keep

    def apply(self, places: gpd.GeoDataFrame, index: PlaceIndex | None = None) -> gpd.GeoDataFrame:
        """Return the places the query keeps, in their original order."""
        return places[self.mask(places, index)]


def _parse_compare(args: Mapping[str, Any], report_years: Sequence[int]) -> tuple[int, int] | None:
    """Return (earlier, later) of ``compare``: two different report years, in either order."""
    raw = values(args, "compare")
    if not raw:
        return None
    allowed = ", ".join(str(y) for y in report_years)
    message = f"must be two different report years of {allowed} / 须为两个不同的报告年份"
    if len(raw) != 2 or not all(y.isascii() and y.isdigit() for y in raw):
        raise ParamError("compare", message)
    years = sorted({int(y) for y in raw})
    if len(years) != 2 or any(y not in report_years for y in years):
        raise ParamError("compare", message)
    return years[0], years[1]


#: The filters each collection takes: one table for the downloads, the OGC API and the CLI. A
#: filter that a collection does not take is refused for it (400), never silently ignored.
COLLECTION_FILTERS: dict[str, frozenset[str]] = {
    "places": PARAM_NAMES,
    "districts": frozenset({"district", "bbox"}),
    "hubs": frozenset({"bbox"}),
    "corridors": frozenset({"bbox"}),
    "district_profiles": frozenset({"district", "year"}),
}


def check_applies(args: Mapping[str, Any], collection: str) -> None:
    """Raise ParamError naming the first filter of ``args`` that ``collection`` does not take.

    Parameters that are not filters (paging, format options, the map view) are left to
    :func:`check_known`.
    """
    takes = COLLECTION_FILTERS[collection]
    for name in args:
        if name in PARAM_NAMES and name not in takes:
            listed = ", ".join(sorted(takes)) or "none"
            raise ParamError(
                name,
                f"does not filter {collection} (its filters: {listed}) / "
                f"{collection} 不按此参数筛选（可用：{listed}）",
            )


def check_known(args: Mapping[str, Any], allowed: frozenset[str] | set[str]) -> None:
    """Raise ParamError naming the first parameter that is not in ``allowed``."""
    for name in args:
        if name not in allowed:
            raise ParamError(name, "unknown parameter / 未知参数")


def filter_places(
    places: gpd.GeoDataFrame,
    *,
    report_years: Sequence[int] | None = None,
    index: PlaceIndex | None = None,
    **filters: Any,
) -> gpd.GeoDataFrame:
    """Return the places matching ``filters`` given as keyword arguments (CLI and notebooks).

    Keywords are the URL parameters (``district="Pudong"``, ``year=2025``, ``q="SSRF"``); a
    list value means several values. Places without a point are kept only with
    ``unplaced=True``.
    """
    args: dict[str, str] = {}
    for name, value in filters.items():
        if value is None or value == [] or value == "":
            continue
        if name not in PARAM_NAMES:
            raise ParamError(name, "unknown filter / 未知筛选条件")
        if isinstance(value, bool):
            args[name] = "1" if value else "0"
        elif isinstance(value, str | int):
            args[name] = str(value)
        else:
            args[name] = ",".join(str(v) for v in value)
    if report_years is None:
        report_years = sorted({int(y) for ys in places["years"] for y in ys})
    query = PlaceQuery.parse(args, report_years=report_years)
    return query.apply(places, index)
