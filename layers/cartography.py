"""What the map needs to explain itself: label points, hub marks, the Delta as context, words.

Python computes where each name goes (inside its polygon, away from the edges) and what each
hub mark means; the page's script (``labels.js``, ``hubs.js``, ``legend.js``) places the
labels without collisions and draws the marks.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
from shapely.geometry import LineString, MultiLineString, MultiPolygon, Point, Polygon
from shapely.geometry.base import BaseGeometry
from shapely.ops import polylabel

from geo.hubs import hub_place_ids, hub_shape
from geo.settings import DATA_DIR
from layers.charts import CHART_WORDS
from layers.i18n import Lang

#: The Yangtze River Delta around Shanghai, as light land on the sea (scripts/make_context.py).
CONTEXT_FILE = DATA_DIR / "context" / "yrd_context.geojson"
#: Equal-area enough for Shanghai's districts: UTM zone 51N.
_UTM51N = "EPSG:32651"
#: Categories whose places are named on the map at closer zooms → the zoom their names appear.
MAJOR_CATEGORIES: dict[str, int] = {
    "science_city": 11,
    "national_lab": 12,
    "facility": 12,
    "hightech_zone": 12,
}
#: Map labels of hubs whose full names are too long for the map (the panel shows the full name).
SHORT_NAMES: dict[str, dict[Lang, str]] = {
    "lingang-special-area": {"zh": "临港新片区", "en": "Lingang Special Area"},
    "zizhu-hi-tech-park": {"zh": "紫竹高新区", "en": "Zizhu Hi-Tech Zone"},
    "da-linghao-bay": {"zh": "大零号湾", "en": "Da Linghao Bay"},
    "shibei-hi-tech-park": {"zh": "市北高新园区", "en": "Shibei Hi-Tech Park"},
    "changyang-xiudai": {"zh": "长阳秀带", "en": "Changyang Xiudai"},
    "yangpu-xiudai": {"zh": "杨浦新质秀带", "en": "Yangpu innovation belt"},
    "shanghai-university-science-park": {"zh": "环上大科技园", "en": "SHU Science Park"},
    "shanghai-bay-area-science-city": {"zh": "湾区科创城", "en": "Bay Area Science City"},
    "yangtze-delta-eco-green-demonstration-zone": {
        "zh": "长三角生态绿色示范区",
        "en": "YRD Eco-Green Zone",
    },
    "chongming-carbon-neutral-zone": {
        "zh": "崇明碳中和示范区",
        "en": "Chongming carbon-neutral zone",
    },
    "g60-science-and-innovation-corridor": {"zh": "G60科创走廊", "en": "G60 Corridor"},
    "china-israel-innovation-park": {"zh": "中以创新园", "en": "China-Israel Park"},
    "tongji-knowledge-economy-circle": {"zh": "环同济知识经济圈", "en": "Tongji Knowledge Circle"},
    "jiading-auto-city": {"zh": "国际汽车城", "en": "Auto City"},
    "xicen-innovation-center": {"zh": "西岑科创中心", "en": "Xicen Centre"},
}
#: What each kind of hub mark means, in plain words (tooltips, the hub panel, the legend).
HUB_NOTES: dict[str, dict[Lang, str]] = {
    "outline": {
        "zh": "大致范围：沿道路手绘，不是官方边界",
        "en": "Rough extent, hand-drawn along roads; not an official boundary",
    },
    "approximate": {
        "zh": "范围未知：虚线圈只标出大致位置",
        "en": "Extent not known: the dashed ring only marks roughly where it is",
    },
    "line": {
        "zh": "示意线：连接走廊九城的中心，不是实际路线",
        "en": "Schematic line joining the centres of the corridor's nine cities; not a route",
    },
}
#: Words of the labels, hubs and legend ("{n}" is filled in by the script).
CARTO_WORDS: dict[str, dict[Lang, str]] = {
    "legend": {"zh": "图例", "en": "Legend"},
    "categories": {"zh": "类别", "en": "Categories"},
    "precision": {"zh": "位置精度", "en": "How exact a point is"},
    "site": {"zh": "实心：确切地点或园区", "en": "Solid: a site or campus"},
    "area": {"zh": "空心虚线：片区内的大致位置", "en": "Hollow, dashed: somewhere in an area"},
    "district_only": {
        "zh": "区名旁的数字：只知所在区的地点（见区面板）",
        "en": "Number by a district name: places known only by district (listed in its panel)",
    },
    "shared": {
        "zh": "带数字的标记：同一坐标的多个地点",
        "en": "Marker with a number: places at one point",
    },
    "cluster": {"zh": "圆环：聚合地点的类别构成", "en": "Ring: the category mix of a cluster"},
    "hubs": {"zh": "创新枢纽", "en": "Innovation hubs"},
    "g60": {"zh": "G60科创走廊城市", "en": "G60 corridor cities"},
    "choropleth": {"zh": "各区着色", "en": "District shading"},
    "district_only_title": {"zh": "只知所在区", "en": "Known only by district"},
    "district_count": {"zh": "{n} 个地点只知所在区", "en": "{n} places known only by district"},
    "hub_places": {"zh": "枢纽内的地点", "en": "Places in this hub"},
    "hub_page": {"zh": "枢纽页面：状态与原文", "en": "Hub page: statuses and sentences"},
    "click_hub": {"zh": "点击查看枢纽", "en": "Click for the hub"},
    "places_here": {"zh": "此处 {n} 个地点", "en": "{n} places here"},
    "per_km2": {"zh": "每百平方千米地点数", "en": "Places per 100 km²"},
    "metric_density": {"zh": "地点密度（每百平方千米）", "en": "Places per 100 km²"},
    "g60_songjiang": {"zh": "上海松江", "en": "Songjiang, Shanghai"},
    "chart": CHART_WORDS["title"],  # the district chart's heading in the panel
}


@cache
def context_geojson(path: Path = CONTEXT_FILE) -> dict[str, Any]:
    """Return the Delta's land polygons (EPSG:4326 GeoJSON, already simplified and rounded)."""
    doc: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return doc


def _latlon(point: Point) -> list[float]:
    return [round(point.y, 5), round(point.x, 5)]  # Leaflet's [lat, lon]; shapely: x=lon, y=lat


def label_point(geom: BaseGeometry) -> list[float]:
    """Return [lat, lon] inside ``geom`` and far from its edges (its largest part's pole)."""
    if isinstance(geom, MultiPolygon):
        geom = max(geom.geoms, key=lambda g: g.area)
    if isinstance(geom, Polygon):
        return _latlon(polylabel(geom, tolerance=0.001))
    if isinstance(geom, MultiLineString):
        geom = geom.geoms[0]
    if isinstance(geom, LineString) and len(geom.coords) > 1:
        (x0, y0), (x1, y1) = geom.coords[0], geom.coords[1]  # 60 % along the first leg
        return [round(y0 + 0.6 * (y1 - y0), 5), round(x0 + 0.6 * (x1 - x0), 5)]
    centroid: Point = geom.centroid
    return _latlon(centroid)


def carto_payload(
    places: pd.DataFrame,
    districts: gpd.GeoDataFrame,
    hubs: gpd.GeoDataFrame,
    lang: Lang,
    context: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Return what ``labels.js``, ``hubs.js`` and ``legend.js`` need (no geometry but points)."""
    km2 = districts.to_crs(_UTM51N).area / 1e6
    members = hub_place_ids(hubs, places)
    shapes = {
        str(h["id"]): hub_shape(str(h["kind"]), str(h["geometry_source"]))
        for h in hubs.to_dict("records")
    }
    in_hub = {p for ids in members.values() for p in ids}
    majors = [
        [str(r["id"]), MAJOR_CATEGORIES[str(r["category"])]]
        for r in places.to_dict("records")
        if str(r["category"]) in MAJOR_CATEGORIES
        and bool(r["in_shanghai"])
        and r.get("precision") in ("site", "campus", "area")
        and str(r["id"]) not in set(hubs["place_id"])
        and r["geometry"] is not None
        and not r["geometry"].is_empty
    ]
    context = context if context is not None else context_geojson()
    return {
        "districts": [
            {"zh": d["name_zh"], "en": d["name_en"], "ll": label_point(d["geometry"]), "km2": a}
            for d, a in zip(districts.to_dict("records"), km2.round(1), strict=True)
        ],
        "hubs": [
            {
                "id": str(h["id"]),
                "place": str(h["place_id"]),
                "zh": h["name_zh"],
                "en": h["name_en"],
                "label": SHORT_NAMES.get(str(h["id"]), {}).get(lang)
                or h["name_zh" if lang == "zh" else "name_en"],
                "shape": shapes[str(h["id"])],
                "ll": label_point(h["geometry"]),
                "note": HUB_NOTES[shapes[str(h["id"])]][lang],
                "places": members[str(h["id"])],
            }
            for h in hubs.to_dict("records")
        ],
        "majors": majors,
        "inHub": sorted(in_hub),
        "context": [
            {
                "zh": f["properties"]["name_zh"],
                "en": f["properties"]["name_en"],
                "ll": f["properties"]["label"][::-1],  # stored lon, lat; Leaflet wants lat, lon
                "g60": bool(f["properties"]["g60"]),
            }
            for f in context["features"]
            if f["properties"].get("label")
        ],
        "contextSource": context.get("metadata", {}).get("attribution", ""),
        "notes": {k: v[lang] for k, v in HUB_NOTES.items()},
        "t": {k: v[lang] for k, v in CARTO_WORDS.items()},
    }
