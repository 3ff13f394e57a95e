"""Export columns a GIS user can filter on: a status per report, labels, citations and counts.

The build keeps lists (``aliases``, ``years``, ``timeline``, ``sources``) as lists; a GIS
cannot filter on JSON text, so every export except GeoJSON gets plain columns instead: one
``status_<report>`` column per report (named from the build's reports, never hard-coded),
``first_year`` / ``last_year``, category and district labels, the number of citations and the
first one. Curators' working ``notes`` never leave the build.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

import geopandas as gpd
import pandas as pd
from shapely.geometry import MultiLineString, MultiPoint, MultiPolygon

from geo.districts import DISTRICTS
from geo.errors import GeoError
from geo.gazetteer import readable_aliases
from geo.vocab import CATEGORIES, STATUSES, ReportInfo, headline_entry, reports_from_metadata

#: Category labels in the singular (the map's layer titles are plural).
CATEGORY_LABELS: dict[str, dict[str, str]] = {
    "science_city": {"zh": "科学城", "en": "Science city"},
    "hightech_zone": {"zh": "高新区及分园", "en": "High-tech zone park"},
    "innovation_area": {"zh": "创新功能区", "en": "Innovation area"},
    "science_park": {"zh": "科技园区", "en": "Science park"},
    "national_lab": {"zh": "国家实验室", "en": "National lab"},
    "key_lab": {"zh": "重点实验室", "en": "Key lab"},
    "facility": {"zh": "重大科技基础设施", "en": "Big-science facility"},
    "research_institute": {"zh": "科研机构", "en": "Research institute"},
    "university": {"zh": "高校", "en": "University"},
    "incubator": {"zh": "孵化器", "en": "Incubator"},
    "platform": {"zh": "创新平台", "en": "Platform"},
    "enterprise_hub": {"zh": "企业创新中心", "en": "Company R&D hub"},
    "venue": {"zh": "场馆", "en": "Venue"},
}

#: A report names the place but states no status.
NOT_STATED = "not_stated"
STATUS_LABELS: dict[str, dict[str, str]] = {
    "planned": {"zh": "规划", "en": "Planned"},
    "under_construction": {"zh": "在建", "en": "Under construction"},
    "launched": {"zh": "启动/揭牌", "en": "Launched"},
    "operating": {"zh": "运行中", "en": "Operating"},
    NOT_STATED: {"zh": "未说明", "en": "Not stated"},
}

#: The map's category colours (Okabe-Ito, colour-blind safe), copied from ``layers/style.py``
#: because ``geo`` never imports ``layers``; a test keeps the two equal.
CATEGORY_COLOURS: dict[str, str] = {
    "science_city": "#D55E00",
    "hightech_zone": "#E69F00",
    "innovation_area": "#F0E442",
    "science_park": "#009E73",
    "national_lab": "#0072B2",
    "key_lab": "#56B4E9",
    "facility": "#CC79A7",
    "research_institute": "#0072B2",
    "university": "#000000",
    "incubator": "#009E73",
    "platform": "#56B4E9",
    "enterprise_hub": "#E69F00",
    "venue": "#CC79A7",
}

_DISTRICT_EN = {d.name_zh: d.name_en for d in DISTRICTS}
#: Lists joined into one text cell in flat formats (filterable with LIKE).
LIST_SEPARATOR = "; "
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def _slug(text: str) -> str:
    return _NOT_SLUG.sub("_", text.lower()).strip("_")


def report_keys(reports: Sequence[ReportInfo]) -> dict[str, str]:
    """Return ``{report id: key}``: the year, told apart by the ids where a year has several.

    The 2023 chapter and summary (``2023_st_progress_report_ch1``, ``…_summary``) become
    ``2023_ch1`` and ``2023_summary``: what their ids do not share, cut at a ``_``.
    """
    by_year: dict[int, list[str]] = {}
    for r in reports:
        by_year.setdefault(r.year, []).append(r.id)
    keys: dict[str, str] = {}
    for year, ids in by_year.items():
        if len(ids) == 1:
            keys[ids[0]] = str(year)
            continue
        shared = _common_prefix(ids)
        shared = shared[: shared.rfind("_") + 1]
        for id_ in ids:
            keys[id_] = f"{year}_{_slug(id_[len(shared) :]) or _slug(id_)}"
    if len(set(keys.values())) != len(keys):
        msg = f"report ids {sorted(keys)} give clashing column names {sorted(keys.values())}"
        raise GeoError(msg)
    return keys


def _common_prefix(ids: Sequence[str]) -> str:
    first, last = min(ids), max(ids)
    n = 0
    while n < min(len(first), len(last)) and first[n] == last[n]:
        n += 1
    return first[:n]


def status_column(key: str) -> str:
    """Return the status column of a report key (``status_2025``)."""
    return f"status_{key}"


def _citations(sources: Any, order: Mapping[str, int]) -> list[Mapping[str, Any]]:
    """Return a place's citations oldest report first, then by line."""
    cites = [s for s in (sources if isinstance(sources, list | tuple) else []) if s]
    return sorted(cites, key=lambda s: (order.get(str(s.get("report")), 99), s.get("line") or 0))


def _label(labels: Mapping[str, Mapping[str, str]], key: Any, lang: str) -> str | None:
    entry = labels.get(key) if isinstance(key, str) else None
    return entry[lang] if entry else None


#: How the headline ``status`` was decided (``geo.vocab.STATUS_BASES``) and the citation that
#: decides it (empty for a status inferred from the category).
STATUS_EVIDENCE_COLUMNS = ("status_basis", "status_report", "status_line")


def _status_evidence(timeline: Sequence[Mapping[str, Any]] | None) -> dict[str, Any]:
    entry = headline_entry(timeline) or {}
    return {
        "status_basis": entry.get("basis"),
        "status_report": entry.get("report") if entry.get("line") is not None else None,
        "status_line": entry.get("line"),
    }


def places_columns(
    places: pd.DataFrame, reports: Sequence[ReportInfo], *, lists: bool = False
) -> pd.DataFrame:
    """Return places with the export columns, in a fixed order, without ``notes``.

    Parameters
    ----------
    places
        The build's places (list columns as lists).
    reports
        The build's reports, oldest first (they name the ``status_*`` columns).
    lists
        Keep ``aliases``, ``years``, ``timeline`` and ``sources`` as lists (GeoJSON);
        otherwise aliases and years are joined with ``"; "`` and the rest are left out.
    """
    keys = report_keys(reports)
    order = {r.id: i for i, r in enumerate(reports)}
    rows: list[dict[str, Any]] = []
    for rec in places.to_dict("records"):
        years = sorted({int(y) for y in rec.get("years") or []})
        named = {str(e.get("report")): e.get("status") for e in rec.get("timeline") or []}
        cites = _citations(rec.get("sources"), order)
        first = cites[0] if cites else {}
        # Users get the names as written; the gazetteer's matching marks stay in the build.
        aliases = readable_aliases(rec.get("aliases") or [], str(rec.get("name_zh") or ""))
        row: dict[str, Any] = {
            "id": rec["id"],
            "name_zh": rec["name_zh"],
            "name_en": rec["name_en"],
            "aliases": aliases if lists else LIST_SEPARATOR.join(aliases),
            "category": rec["category"],
            "category_zh": _label(CATEGORY_LABELS, rec["category"], "zh"),
            "category_en": _label(CATEGORY_LABELS, rec["category"], "en"),
            "parent_id": rec.get("parent_id"),
            "district_zh": rec.get("district_zh"),
            "district_en": _DISTRICT_EN.get(rec.get("district_zh") or ""),
            "in_shanghai": bool(rec.get("in_shanghai")),
            "precision": rec.get("precision"),
            "coord_source": rec.get("coord_source"),
            "address_zh": rec.get("address_zh") or None,
            "address_source": rec.get("address_source") or None,
            "status": rec.get("status"),
            **_status_evidence(rec.get("timeline")),
        }
        for report_id, key in keys.items():
            if report_id in named:
                row[status_column(key)] = named[report_id] or NOT_STATED
            else:
                row[status_column(key)] = None
        row.update(
            {
                "first_year": years[0] if years else None,
                "last_year": years[-1] if years else None,
                "years": years if lists else LIST_SEPARATOR.join(str(y) for y in years),
                "n_citations": len(cites),
                "first_report": first.get("report"),
                "first_line": first.get("line"),
                "first_quote": first.get("quote"),
            }
        )
        if lists:
            row["timeline"] = list(rec.get("timeline") or [])
            row["sources"] = cites
        rows.append(row)
    columns = list(rows[0]) if rows else _empty_columns(keys, lists=lists)
    out = pd.DataFrame(rows, columns=columns, index=places.index)
    for col in ("status_line", "first_year", "last_year", "first_line"):
        out[col] = out[col].astype("Int64")
    if isinstance(places, gpd.GeoDataFrame):
        spatial: pd.DataFrame = gpd.GeoDataFrame(
            out, geometry=places.geometry.to_numpy(), crs=places.crs
        )
        return spatial
    return out


def _empty_columns(keys: Mapping[str, str], *, lists: bool) -> list[str]:
    head = ["id", "name_zh", "name_en", "aliases", "category", "category_zh", "category_en"]
    head += ["parent_id", "district_zh", "district_en", "in_shanghai", "precision"]
    head += ["coord_source", "address_zh", "address_source", "status", *STATUS_EVIDENCE_COLUMNS]
    head += [status_column(k) for k in keys.values()]
    head += ["first_year", "last_year", "years", "n_citations"]
    head += ["first_report", "first_line", "first_quote"]
    return head + (["timeline", "sources"] if lists else [])


def citations_frame(places: pd.DataFrame, reports: Sequence[ReportInfo]) -> pd.DataFrame:
    """Return every citation of ``places`` as a row: place, report, year, line, quote, status.

    ``place_id`` is the key to ``places.id``; ``status`` is what that report says of the place
    and ``decides_status`` marks the citation whose sentence or heading decides it.
    """
    order = {r.id: i for i, r in enumerate(reports)}
    cols = ["place_id", "report", "year", "line", "quote", "status", "decides_status"]
    rows = []
    for rec in places.to_dict("records"):
        said = {str(e.get("report")): e for e in rec.get("timeline") or []}
        for cite in _citations(rec.get("sources"), order):
            report = str(cite.get("report"))
            entry = said.get(report) or {}
            status = entry.get("status") or NOT_STATED
            decides = entry.get("line") is not None and entry.get("line") == cite.get("line")
            rows.append(
                [
                    rec["id"],
                    report,
                    cite.get("year"),
                    cite.get("line"),
                    cite.get("quote"),
                    status,
                    decides,
                ]
            )
    out = pd.DataFrame(rows, columns=cols)
    out["year"] = out["year"].astype("Int64")
    out["line"] = out["line"].astype("Int64")
    return out


def count_column(*parts: str) -> str:
    """Return a count column's name: ``n_places``, ``n_facility``, ``n_2025``, ``n_facility_2025``."""
    return "n_" + "_".join(parts)


def districts_with_counts(
    districts: gpd.GeoDataFrame, places: pd.DataFrame, reports: Sequence[ReportInfo]
) -> gpd.GeoDataFrame:
    """Return districts with the counts the map's choropleth draws, one column each.

    Counted as on the map: Shanghai places with a district, placed or not. ``n_places`` and
    ``n_<category>`` count every place; ``n_<report>`` and ``n_<category>_<report>`` the
    places that report names.
    """
    keys = report_keys(reports)
    counted = places[places["in_shanghai"].astype(bool) & places["district_zh"].notna()]
    counts: dict[str, dict[str, int]] = {}
    for rec in counted.to_dict("records"):
        cell = counts.setdefault(str(rec["district_zh"]), {})
        named = {str(e.get("report")) for e in rec.get("timeline") or []}
        for parts in (
            ("places",),
            (str(rec["category"]),),
            *((keys[r],) for r in keys if r in named),
            *((str(rec["category"]), keys[r]) for r in keys if r in named),
        ):
            col = count_column(*parts)
            cell[col] = cell.get(col, 0) + 1
    columns = [count_column("places"), *(count_column(c) for c in CATEGORIES)]
    columns += [count_column(k) for k in keys.values()]
    columns += [count_column(c, k) for c in CATEGORIES for k in keys.values()]
    table = pd.DataFrame(
        [[counts.get(name, {}).get(c, 0) for c in columns] for name in districts["name_zh"]],
        columns=columns,
        index=districts.index,
    )
    return gpd.GeoDataFrame(
        pd.concat([districts.drop(columns=districts.geometry.name), table], axis=1),
        geometry=districts.geometry,
        crs=districts.crs,
    )


#: Geometry families: a layer holds one (its multi form where both occur).
_FAMILY = {
    "Point": "Point",
    "MultiPoint": "Point",
    "LineString": "LineString",
    "MultiLineString": "LineString",
    "Polygon": "Polygon",
    "MultiPolygon": "Polygon",
}


def by_geometry_family(gdf: gpd.GeoDataFrame, family: str) -> gpd.GeoDataFrame:
    """Return the rows whose geometry is of ``family`` (``Polygon`` keeps multipolygons too)."""
    kept: gpd.GeoDataFrame = gdf[gdf.geom_type.map(_FAMILY) == family]
    return kept


#: The geometry type each spatial collection is written with, even when it is empty.
LAYER_GEOMETRY: dict[str, str] = {
    "places": "Point",
    "districts": "MultiPolygon",
    "hubs": "MultiPolygon",
    "corridors": "MultiLineString",
}


def single_geometry_type(
    gdf: gpd.GeoDataFrame, layer: str | None = None
) -> tuple[gpd.GeoDataFrame, str | None]:
    """Return ``gdf`` with one geometry type, and that type (for the file's layer definition).

    A known layer gets its type from :data:`LAYER_GEOMETRY` (areas and lines as their multi
    form); otherwise singles are promoted to multi where both occur. Mixed families (polygons
    with lines) are a GeoError: they belong in separate layers.
    """
    present = gdf.geometry[gdf.geometry.notna() & ~gdf.geometry.is_empty]
    types = set(present.geom_type)
    families = {_FAMILY.get(t, t) for t in types}
    wanted = LAYER_GEOMETRY.get(layer or "")
    if wanted is not None:
        families.add(_FAMILY[wanted])
    if len(families) > 1:
        msg = f"one layer cannot mix {sorted(types)}: split it by geometry type"
        raise GeoError(msg)
    if wanted is None:
        if len(types) <= 1:
            return gdf, next(iter(types), None)
        wanted = "Multi" + next(iter(families))
    if wanted.startswith("Multi") and types - {wanted}:
        out = gdf.copy()
        out[gdf.geometry.name] = gdf.geometry.map(_to_multi)
        return out, wanted
    return gdf, wanted


def _to_multi(geom: Any) -> Any:
    if geom is None or geom.is_empty or geom.geom_type.startswith("Multi"):
        return geom
    if geom.geom_type == "Point":
        return MultiPoint([geom])
    if geom.geom_type == "LineString":
        return MultiLineString([geom])
    return MultiPolygon([geom])


#: What each exported column means (the data package's schemas and docs/exports.md).
COLUMN_DESCRIPTIONS: dict[str, str] = {
    "id": "stable identifier (ASCII slug)",
    "place_id": "the place's id (key to places.id)",
    "name_zh": "name in Chinese",
    "name_en": "name in English",
    "aliases": "other names found in the reports, separated by '; '",
    "category": "category id (facility, national_lab, ...)",
    "category_zh": "category in Chinese",
    "category_en": "category in English",
    "parent_id": "id of the place this one is part of",
    "district_zh": "Shanghai district in Chinese (empty outside Shanghai)",
    "district_en": "Shanghai district in English",
    "in_shanghai": "true for places in Shanghai",
    "precision": "what the point stands for: site, campus, area or district",
    "coord_source": "how the coordinate was obtained",
    "status": "the most recent report's status",
    "first_year": "first report year naming the place",
    "last_year": "last report year naming the place",
    "years": "report years naming the place, separated by '; '",
    "n_citations": "number of citations (rows in mentions)",
    "first_report": "report id of the first citation",
    "first_line": "line of the first citation in its report",
    "first_quote": "text of the first citation",
    "report": "report id (see the package's sources)",
    "year": "report year",
    "line": "line in the report's normalised text",
    "quote": "the report's text at that line",
    "lon": "longitude, degrees",
    "lat": "latitude, degrees",
    "wkt": "geometry as WKT",
    "name": "name",
    "adcode": "administrative division code",
    "kind": "area or line",
    "approximate": "true where the outline is approximate",
    "geometry_source": "how the outline was drawn",
    "headline": "the report's headline for the district",
    "text": "the report's paragraph on the district",
    "line_start": "first line of the paragraph",
    "line_end": "last line of the paragraph",
    "place_ids": "places the paragraph names, separated by '; '",
    "numbers": "figures the paragraph gives",
}


def column_description(name: str) -> str:
    """Return what an exported column means (``status_*`` and ``n_*`` by their pattern)."""
    if name in COLUMN_DESCRIPTIONS:
        return COLUMN_DESCRIPTIONS[name]
    if name.startswith("status_"):
        return (
            f"status in report {name[7:]}: {', '.join(STATUSES)} or {NOT_STATED}; "
            "empty where the report does not name the place"
        )
    if name.startswith("n_"):
        return f"number of places counted as {name[2:]} (category and/or report)"
    return name


def export_table(
    frame: pd.DataFrame, layer: str, metadata: Mapping[str, Any], *, lists: bool = False
) -> pd.DataFrame:
    """Return one layer as exported: places get the GIS columns; nothing keeps ``notes``."""
    if layer == "places" and "timeline" in frame:
        return places_columns(frame, reports_from_metadata(metadata), lists=lists)
    out = frame.drop(columns=[c for c in ("notes",) if c in frame])
    if not lists:
        for col in ("place_ids", "numbers"):
            if col in out:
                out[col] = [_joined(v) for v in out[col]]
    return out


def _joined(value: Any) -> Any:
    if isinstance(value, list | tuple):
        if all(isinstance(v, str | int | float) for v in value):
            return LIST_SEPARATOR.join(str(v) for v in value)
        return json.dumps(value, ensure_ascii=False)
    return value


__all__ = [
    "CATEGORY_COLOURS",
    "CATEGORY_LABELS",
    "NOT_STATED",
    "STATUS_LABELS",
    "by_geometry_family",
    "citations_frame",
    "districts_with_counts",
    "export_table",
    "places_columns",
    "report_keys",
    "single_geometry_type",
    "status_column",
]
