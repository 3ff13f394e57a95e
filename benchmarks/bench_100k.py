"""Benchmark a synthetic city of 100,000 places: build, memory, filtered queries, and the map.

Usage: ``python benchmarks/bench_100k.py [--places 100000] [--browser]``. Generates a
gazetteer of N places (16 districts × 13 categories, random points inside each district) and a
report that names each once, runs the real build in a child process (wall time and peak RSS),
times ``filter_places`` on the result (p50 of 30 runs per filter), renders the map page (layers
above 2,000 points are aggregated into counted grid cells on the server) and, with
``--browser``, opens it in headless Chromium. Prints Markdown. A benchmark, not a test.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import geopandas as gpd  # noqa: E402
import shapely  # noqa: E402

from geo import settings  # noqa: E402
from geo.gazetteer import CATEGORIES, COLUMNS  # noqa: E402

BUILD_SNIPPET = """
import resource, sys, time
from pathlib import Path
sys.path.insert(0, {root!r})
from geo.pipeline import Inputs, build
t = time.perf_counter()
build(Path({out!r}), Inputs(Path({reports!r}), Path({gazetteer!r}), Path({boundaries!r}), Path({hubs!r})))
print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def synthetic_inputs(n: int, root: Path, seed: int = 7) -> tuple[Path, Path]:
    rng = np.random.default_rng(seed)
    districts = gpd.read_file(settings.BOUNDARIES_FILE)
    gaz = root / "gazetteer"
    shutil.copytree(settings.GAZETTEER_DIR, gaz)
    (gaz / "pending.csv").unlink(missing_ok=True)
    rows, lines = [], []
    per_district = n // len(districts) + 1
    k = 0
    for _, d in districts.iterrows():
        minx, miny, maxx, maxy = d.geometry.bounds
        pts: list[tuple[float, float]] = []
        while len(pts) < per_district:
            xs = rng.uniform(minx, maxx, per_district * 3)
            ys = rng.uniform(miny, maxy, per_district * 3)
            # keep points well inside (the build checks points against the district polygon)
            inside = shapely.contains_xy(d.geometry.buffer(-0.002), xs, ys)
            pts.extend(zip(xs[inside], ys[inside], strict=True))
        for x, y in pts[:per_district]:
            if k >= n:
                break
            name = f"合成科创载体{k:06d}号"
            rows.append(
                {
                    "id": f"syn-{k:06d}",
                    "name_zh": name,
                    "name_en": f"Synthetic place {k:06d}",
                    "aliases": "",
                    "category": CATEGORIES[k % len(CATEGORIES)],
                    "parent_id": "",
                    "district_zh": d["name_zh"],
                    "lon": f"{x:.5f}",
                    "lat": f"{y:.5f}",
                    "precision": "area",
                    "coord_source": "synthetic",
                    "in_shanghai": "true",
                    "notes": "synthetic",
                }
            )
            lines.append(f"建设{name}。")
            k += 1
    with (gaz / "places.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(COLUMNS))
        writer.writeheader()
        writer.writerows(rows)
    reports = root / "reports"
    reports.mkdir()
    text = (
        "合成报告\n"
        + "\n".join("".join(lines[i : i + 10]) for i in range(0, len(lines), 10))
        + "\n"
    )
    (reports / "synthetic.txt").write_text(text, encoding="utf-8")
    manifest = {
        "reports": [
            {
                "id": "synthetic",
                "file": "synthetic.txt",
                "title_zh": "合成报告",
                "title_en": "Synthetic report",
                "year": 2030,
                "publisher": "benchmark",
                "kind": "progress_report",
                "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
                "licence": "synthetic",
            }
        ]
    }
    (reports / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False), encoding="utf-8"
    )
    hubs = root / "hubs.geojson"
    hub = json.loads((ROOT / "data/hubs/hubs.geojson").read_text(encoding="utf-8"))
    hub["features"] = [
        dict(f, properties={**f["properties"], "place_id": "syn-000000"}) for f in hub["features"]
    ]
    hubs.write_text(json.dumps(hub, ensure_ascii=False), encoding="utf-8")
    return reports, gaz


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--places", type=int, default=100_000)
    parser.add_argument("--browser", action="store_true")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench100k-") as tmp:
        root = Path(tmp)
        t0 = time.perf_counter()
        reports, gaz = synthetic_inputs(args.places, root)
        gen_s = time.perf_counter() - t0
        out = root / "build"
        code = BUILD_SNIPPET.format(
            root=str(ROOT),
            out=str(out),
            reports=str(reports),
            gazetteer=str(gaz),
            boundaries=str(settings.BOUNDARIES_FILE),
            hubs=str(root / "hubs.geojson"),
        )
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        if done.returncode != 0:
            sys.exit(done.stderr[-3000:])
        build_s, peak_kb = (float(v) for v in done.stdout.split()[-2:])

        from geo.io import load_layer, load_places
        from geo.query import PlaceIndex, filter_places
        from layers.build import map_from_layers

        t0 = time.perf_counter()
        places = load_places(out / "innovation_map.gpkg")
        load_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        index = PlaceIndex.of(places)  # what the app builds once at start-up
        index_s = time.perf_counter() - t0
        filters = {
            "district=浦东新区": {"district": "浦东新区"},
            "category=facility": {"category": "facility"},
            "year=2030": {"year": "2030"},
            "district+category+year": {
                "district": "Yangpu",
                "category": "incubator",
                "year": "2030",
            },
            "status=operating, year=2030": {"status": "operating", "year": "2030"},
            "bbox (Zhangjiang)": {"bbox": "121.55,31.15,121.65,31.25"},
            "q=载体0001 (text)": {"q": "载体0001"},
        }
        query_rows = []
        for name, kwargs in filters.items():
            times, count = [], 0
            for _ in range(30):
                t0 = time.perf_counter()
                count = len(filter_places(places, index=index, **kwargs))  # type: ignore[arg-type]
                times.append((time.perf_counter() - t0) * 1000)
            query_rows.append((name, count, statistics.median(times), max(times)))

        districts = gpd.GeoDataFrame(load_layer(out / "innovation_map.gpkg", "districts"), crs=4326)
        hubs = gpd.GeoDataFrame(load_layer(out / "innovation_map.gpkg", "hubs"), crs=4326)
        profiles = load_layer(out / "innovation_map.gpkg", "district_profiles")
        t0 = time.perf_counter()
        html = map_from_layers(places, districts, hubs, profiles, lang="en").get_root().render()
        render_s = time.perf_counter() - t0
        page = root / "map.html"
        page.write_text(html, encoding="utf-8")

        ready_ms = None
        if args.browser:
            from layers.assets import localize_html
            from layers.offline import inline_html

            page.write_text(inline_html(localize_html(html)), encoding="utf-8")
            from playwright.sync_api import sync_playwright

            with sync_playwright() as p:
                browser = p.chromium.launch(
                    executable_path=shutil.which("chromium") or "/usr/bin/chromium",
                    args=["--no-sandbox", "--disable-gpu"],
                )
                tab = browser.new_page(viewport={"width": 1280, "height": 800})
                t0 = time.perf_counter()
                tab.goto(page.as_uri())
                tab.wait_for_selector(".folium-map[data-ready]", state="attached", timeout=120_000)
                ready_ms = (time.perf_counter() - t0) * 1000
                browser.close()

    print(
        f"Synthetic city: {args.places:,} places (16 districts × 13 categories), one report naming each.\n"
    )
    print("| step | result |")
    print("|---|---|")
    print(f"| generate inputs | {gen_s:.1f} s |")
    print(f"| full build (child process) | {build_s:.1f} s, peak RSS {peak_kb / 1024:.0f} MB |")
    print(f"| load places from the GeoPackage | {load_s:.2f} s |")
    print(f"| build the filter index (once, at start-up) | {index_s:.2f} s |")
    print(
        f"| render the map page (aggregated layers) | {render_s:.1f} s, {len(html) / 1e6:.1f} MB HTML, {len(gzip.compress(html.encode())) / 1e6:.2f} MB gzip |"
    )
    if ready_ms is not None:
        print(f"| map ready in headless Chromium (offline file) | {ready_ms:.0f} ms |")
    print("\n| filter | matches | p50 ms | worst ms |")
    print("|---|---|---|---|")
    for name, count, p50, worst in query_rows:
        print(f"| {name} | {count:,} | {p50:.1f} | {worst:.1f} |")
    print(
        f"\nThis process peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
    )


if __name__ == "__main__":
    main()
