"""The project's vocabulary, defined once: categories, statuses, layers, collections, reports.

Every surface (map page, exports, OGC API, CLI, OpenAPI documents) takes its allowed values
from here, so a new category or status means editing this module and its test.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from geo.gazetteer import CATEGORIES, PRECISIONS

__all__ = [
    "CATEGORIES",
    "COLLECTIONS",
    "FEATURE_ID_COLUMNS",
    "LAYER_IDS",
    "OUTSIDE_LAYER",
    "PLACE_LAYER_IDS",
    "PRECISIONS",
    "STATUSES",
    "STATUS_BASES",
    "ReportInfo",
    "headline_entry",
    "layer_of",
    "reports_from_metadata",
    "search_key",
    "status_by_year",
]

#: From least to most advanced; also the order filters and legends list them.
STATUSES: tuple[str, ...] = ("planned", "under_construction", "launched", "operating")
_RANK = {s: i for i, s in enumerate(STATUSES)}
#: How a report's status of a place was decided: a sentence about the place itself, the heading
#: or box it is listed under, or its category (the report names an existing institution, or a
#: park it reports on, without a status word: inferred, not stated).
STATUS_BASES: tuple[str, ...] = ("sentence", "heading", "category")

#: The layer of places outside Shanghai (G60 partner cities, facilities elsewhere).
OUTSIDE_LAYER = "outside_shanghai"
#: The hubs layer: outlines and labels, not places.
HUBS_LAYER = "hubs"
#: Layers that hold places: one per category, plus the places outside Shanghai.
PLACE_LAYER_IDS: tuple[str, ...] = (*CATEGORIES, OUTSIDE_LAYER)
#: Every layer id a URL may name, in the order the layer control lists them.
LAYER_IDS: tuple[str, ...] = (HUBS_LAYER, *PLACE_LAYER_IDS)

#: Downloadable collections (the OGC API serves places, districts and hubs). Exports split
#: the hubs by geometry type: ``hubs`` the areas, ``corridors`` the lines.
COLLECTIONS: tuple[str, ...] = ("places", "districts", "hubs", "corridors", "district_profiles")
#: The column that gives each collection's features their id (GeoJSON ``id``, OGC feature id);
#: district profiles are rows of a table, without one.
FEATURE_ID_COLUMNS: dict[str, str | None] = {
    "places": "id",
    "districts": "adcode",
    "hubs": "id",
    "corridors": "id",
    "district_profiles": None,
}


def layer_of(category: str, in_shanghai: bool) -> str:
    """Return the layer a place belongs to: its category in Shanghai, else the outside layer."""
    return category if in_shanghai else OUTSIDE_LAYER


def most_advanced(statuses: Iterable[str | None]) -> str | None:
    """Return the most advanced of ``statuses`` (None when none is given)."""
    known = [s for s in statuses if s in _RANK]
    return max(known, key=_RANK.__getitem__) if known else None


def status_by_year(timeline: Sequence[Mapping[str, Any]] | None) -> dict[int, str]:
    """Return ``{year: status}`` from a place's per-report timeline.

    Two reports of one year (2023 has a chapter and a summary) count as one year: the more
    advanced status wins. A report that names the place without a status adds no entry.
    """
    by_year: dict[int, list[str | None]] = {}
    for entry in timeline or ():
        by_year.setdefault(int(entry["year"]), []).append(entry.get("status"))
    out: dict[int, str] = {}
    for year, statuses in by_year.items():
        best = most_advanced(statuses)
        if best is not None:
            out[year] = best
    return out


def headline_entry(timeline: Sequence[Mapping[str, Any]] | None) -> Mapping[str, Any] | None:
    """Return the timeline entry that gives a place its headline status, or None.

    The headline status is the latest year's most advanced; of two reports of that year
    giving it, the first. Its ``basis`` and ``line`` say how that status was decided.
    """
    dated = [e for e in timeline or () if e.get("status") in _RANK]
    if not dated:
        return None
    latest = max(int(e["year"]) for e in dated)
    in_year = [e for e in dated if int(e["year"]) == latest]
    best = max(_RANK[e["status"]] for e in in_year)
    return next(e for e in in_year if _RANK[e["status"]] == best)


# Whitespace, punctuation and symbols (·, -, 《》, quotes, brackets) are not part of a name.
_IGNORED = re.compile(r"[\s\u00b7\u30fb]")


def search_key(text: str) -> str:
    """Return ``text`` as search compares it: NFKC, lower case, no spaces or punctuation.

    The page's script applies the same rule to what a visitor types (``layers/static``); a
    test checks both give the same key for the same strings.
    """
    folded = unicodedata.normalize("NFKC", text).lower()
    return "".join(
        ch for ch in _IGNORED.sub("", folded) if unicodedata.category(ch)[0] not in "PSZC"
    )


@dataclass(frozen=True)
class ReportInfo:
    """One source report as the map names it: id, year, titles and kind (from the manifest)."""

    id: str
    year: int
    title_zh: str
    title_en: str
    kind: str = ""


def reports_from_metadata(metadata: Mapping[str, Any]) -> tuple[ReportInfo, ...]:
    """Return the build's reports, oldest first, from its metadata's ``sources``."""
    out = [
        ReportInfo(
            id=str(s["report"]),
            year=int(s["year"]),
            title_zh=str(s.get("title_zh", s["report"])),
            title_en=str(s.get("title_en", s["report"])),
            kind=str(s.get("kind", "")),
        )
        for s in metadata.get("sources", ())
    ]
    return tuple(sorted(out, key=lambda r: (r.year, r.id)))
