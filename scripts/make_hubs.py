"""Regenerate data/hubs/hubs.geojson: approximate hub areas and the G60 corridor line.

No official outline of these hubs is available offline, so each is drawn from knowledge and
marked ``approximate: true`` with a ``geometry_source`` that says how it was drawn:

* a hand-drawn polygon through the roads that bound the area (Zhangjiang, Lingang), or
* a circle of a stated radius around the hub's gazetteer point, or
* a schematic line through the corridor's cities (G60).

Usage: ``python scripts/make_hubs.py``
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import shapely
from pyproj import Transformer
from shapely.geometry import LineString, MultiLineString, Point, Polygon, mapping

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "data" / "hubs" / "hubs.geojson"
PLACES = ROOT / "data" / "gazetteer" / "places.csv"

# Polygons drawn by hand (lon, lat), WGS-84.
POLYGONS = {
    "zhangjiang-science-city": (
        [
            (121.555, 31.235),
            (121.640, 31.238),
            (121.665, 31.215),
            (121.670, 31.170),
            (121.630, 31.155),
            (121.570, 31.160),
            (121.555, 31.190),
        ],
        "hand-drawn: 龙东大道 (north), 罗山路 (west), 外环/川南奉公路 (south), 申江路 and beyond (east); ~90 km²",
    ),
    "lingang-special-area": (
        [
            (121.860, 30.955),
            (121.960, 30.965),
            (122.005, 30.905),
            (121.965, 30.850),
            (121.880, 30.855),
            (121.845, 30.900),
        ],
        "hand-drawn: the 南汇新城 core around 滴水湖 only; the whole special area (873 km²) is larger",
    ),
}

# Circles: place id → radius in km around the place's gazetteer point.
CIRCLES = {
    "zizhu-hi-tech-park": 2.0,
    "da-linghao-bay": 2.5,
    "shibei-hi-tech-park": 1.2,
    "xuhui-riverside": 1.5,
    "shanghai-silicon-alley": 1.0,
    "hongqiao-zhigu": 1.5,
    "china-israel-innovation-park": 1.5,
    "north-bund": 1.0,
    "changyang-xiudai": 1.2,
    "yangpu-xiudai": 1.5,
    "tongji-knowledge-economy-circle": 1.2,
    "shanghai-university-science-park": 1.5,
    "jiading-auto-city": 3.0,
    "shanghai-bay-area-science-city": 3.0,
    "oriental-beauty-valley": 3.0,
    "yangtze-delta-eco-green-demonstration-zone": 6.0,
    "xicen-innovation-center": 2.0,
    "chongming-carbon-neutral-zone": 5.0,
}

# The G60 corridor: Songjiang and its partner cities (lon, lat of each city centre).
G60_CITIES = {
    "松江": (121.227, 31.032),
    "嘉兴": (120.755, 30.746),
    "杭州": (120.155, 30.274),
    "金华": (119.647, 29.079),
    "苏州": (120.585, 31.299),
    "湖州": (120.086, 30.894),
    "宣城": (118.759, 30.940),
    "芜湖": (118.433, 31.352),
    "合肥": (117.227, 31.820),
}
G60_LINES = [
    ["松江", "嘉兴", "杭州", "金华"],
    ["松江", "苏州"],
    ["杭州", "湖州", "宣城", "芜湖", "合肥"],
]


def _places() -> dict[str, dict[str, str]]:
    with PLACES.open(encoding="utf-8", newline="") as fh:
        return {row["id"]: row for row in csv.DictReader(fh)}


def _circle(lon: float, lat: float, radius_km: float) -> Polygon:
    to_utm = Transformer.from_crs(4326, 32651, always_xy=True)
    to_wgs = Transformer.from_crs(32651, 4326, always_xy=True)
    x, y = to_utm.transform(lon, lat)
    ring = Point(x, y).buffer(radius_km * 1000, 32)
    return shapely.transform(
        ring, lambda xy: list(zip(*to_wgs.transform(xy[:, 0], xy[:, 1]), strict=True))
    )


def main() -> int:
    places = _places()
    features = []

    def add(pid: str, kind: str, geom: object, source: str) -> None:
        row = places[pid]
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "id": pid,
                    "place_id": pid,
                    "name_zh": row["name_zh"],
                    "name_en": row["name_en"],
                    "kind": kind,
                    "approximate": True,
                    "geometry_source": source,
                },
                "geometry": mapping(geom),
            }
        )

    missing = [
        p for p in [*POLYGONS, *CIRCLES, "g60-science-and-innovation-corridor"] if p not in places
    ]
    if missing:
        print(f"not in the gazetteer: {missing}", file=sys.stderr)
        return 1
    for pid, (ring, source) in POLYGONS.items():
        add(pid, "area", Polygon(ring), source)
    for pid, radius in CIRCLES.items():
        row = places[pid]
        add(
            pid,
            "area",
            _circle(float(row["lon"]), float(row["lat"]), radius),
            f"circle of {radius} km around the gazetteer point ({row['coord_source']})",
        )
    corridor = MultiLineString([LineString([G60_CITIES[c] for c in line]) for line in G60_LINES])
    add(
        "g60-science-and-innovation-corridor",
        "line",
        corridor,
        "schematic: straight lines between the centres of the nine G60 cities "
        + "、".join(G60_CITIES),
    )
    rounded = json.loads(
        json.dumps({"type": "FeatureCollection", "features": features}),
        parse_float=lambda s: round(float(s), 6),
    )
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(rounded, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {OUT} ({len(features)} hubs)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
