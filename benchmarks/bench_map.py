"""Benchmark the map page: time to first rendered map in headless Chromium, and page weight.

Usage: ``python benchmarks/bench_map.py [--repeat 7]`` (needs ``make build`` and Chromium).
Serves the real build on 127.0.0.1 with the app itself, opens ``/`` in a fresh browser context
each run (empty cache), and records the time from navigation start until the page's script marks
the map ready (every layer, marker and control built: ``.folium-map[data-ready]``), plus the
browser's own ``domContentLoaded`` and ``load`` marks. Page weight = the HTML and every asset the
page loads, raw and gzip-compressed (level 6, as a compressing server would send it); no tiles,
since the default map has none. Prints a Markdown table. A benchmark, not a test.
"""

from __future__ import annotations

import argparse
import gzip
import platform
import shutil
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

from geo import settings  # noqa: E402
from mapapp import create_app  # noqa: E402

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()

    app = create_app({"BUILD_DIR": settings.BUILD_DIR})
    client = app.test_client()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"

    ready_ms: list[float] = []
    dcl_ms: list[float] = []
    load_ms: list[float] = []
    urls: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        for run in range(args.repeat):
            context = browser.new_context(viewport={"width": 1280, "height": 800})
            page = context.new_page()
            seen: list[str] = []
            page.on("request", lambda r, seen=seen: seen.append(r.url))
            start = time.perf_counter()
            page.goto(base + "/?lang=en")
            page.wait_for_selector(".folium-map[data-ready]", state="attached")
            ready_ms.append((time.perf_counter() - start) * 1000)
            timing = page.evaluate(
                "() => { const t = performance.getEntriesByType('navigation')[0];"
                " return [t.domContentLoadedEventEnd, t.loadEventEnd]; }"
            )
            dcl_ms.append(timing[0])
            load_ms.append(timing[1])
            if run == 0:
                urls = seen
            context.close()
        browser.close()
    server.shutdown()

    raw = gz = 0
    for url in urls:
        body = client.get(url.removeprefix(base)).data
        raw += len(body)
        gz += len(gzip.compress(body, compresslevel=6))
    external = [u for u in urls if not u.startswith(base)]

    print(f"Machine: {platform.platform()}, Python {platform.python_version()}, {CHROMIUM}")
    print(f"Runs: {args.repeat}, fresh browser context each (empty cache)\n")
    print("| measure | median | best | worst |")
    print("|---|---|---|---|")
    for name, values in (
        ("map ready (navigation → data-ready), ms", ready_ms),
        ("DOMContentLoaded, ms", dcl_ms),
        ("load event, ms", load_ms),
    ):
        print(
            f"| {name} | {statistics.median(values):.0f} | {min(values):.0f} | {max(values):.0f} |"
        )
    print(f"\nRequests: {len(urls)} (outside 127.0.0.1: {len(external)})")
    print(f"Page weight: {raw:,} bytes raw, {gz:,} bytes gzip")


if __name__ == "__main__":
    main()
