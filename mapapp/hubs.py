"""The hub pages' handler, with no Flask in it: one hub, its places by category, its sentences."""

from __future__ import annotations

from typing import Any

from geo.hubs import hub_place_ids, hub_shape
from layers.cartography import HUB_NOTES
from layers.i18n import CATEGORY_TITLES
from mapapp.core import MapData, place_record
from mapapp.errors import MapAppError


def hub_detail(data: MapData, hub_id: str) -> dict[str, Any]:
    """Return one hub by id (404 when unknown).

    With what its mark means, its places by category with their status per report, and the
    report sentences that name the hub.
    """
    rows = data.hubs[data.hubs["id"] == hub_id]
    if rows.empty:
        raise MapAppError(404, "no such hub / 没有这个枢纽")
    hub = rows.iloc[0]
    shape = hub_shape(str(hub["kind"]), str(hub["geometry_source"]))
    ids = hub_place_ids(rows, data.places)[hub_id]
    by_id = {str(r["id"]): r for r in data.places.to_dict("records")}
    own = by_id.get(str(hub["place_id"]))
    groups: dict[str, list[dict[str, Any]]] = {}
    for place_id in ids[1:]:
        if place_id in by_id:
            record = place_record(by_id[place_id])
            entry = {
                k: record.get(k)
                for k in ("id", "name_zh", "name_en", "district_zh", "precision", "status")
            }
            entry["timeline"] = list(record.get("timeline") or [])
            groups.setdefault(str(record["category"]), []).append(entry)
    categories = [
        {"category": c, "title": CATEGORY_TITLES[c], "places": groups[c]}
        for c in CATEGORY_TITLES
        if c in groups
    ]
    sentences = list(own.get("sources") or []) if own is not None else []
    return {
        "ok": True,
        "hub": {
            "id": hub_id,
            "place_id": str(hub["place_id"]),
            "name_zh": hub["name_zh"],
            "name_en": hub["name_en"],
            "shape": shape,
            "note": HUB_NOTES[shape],
            "geometry_source": hub["geometry_source"],
            "status": own.get("status") if own is not None else None,
            "timeline": list(own.get("timeline") or []) if own is not None else [],
        },
        "count": sum(len(g["places"]) for g in categories),
        "categories": categories,
        "sentences": sentences,
        "metadata": data.metadata,
    }
