"""Benchmark the map page: time to first rendered map in headless Chromium, and page weight.

Usage: ``python benchmarks/bench_map.py [--repeat 7] [--build-dir DIR] [--path /?lang=en]``
(needs a build and Chromium). Serves the build on 127.0.0.1 with the app itself, opens the page
in a fresh browser context each run (empty cache), and records the time from navigation start
until the page's script marks the map ready (every layer, marker and control built:
``.folium-map[data-ready]``), plus the browser's own ``domContentLoaded`` and ``load`` marks.
Page weight = the HTML and every asset the page loads, raw and gzip-compressed (level 6, as a
compressing server would send it), listed per request; no tiles, since the default map has
none. Prints Markdown tables. A benchmark, not a test.
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
from werkzeug.serving import WSGIRequestHandler, make_server  # noqa: E402

from geo import settings  # noqa: E402
from mapapp import create_app  # noqa: E402

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking"]


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args: object, **kwargs: object) -> None:
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--build-dir", type=Path, default=settings.BUILD_DIR)
    parser.add_argument("--path", default="/?lang=en", help="page to open (default /?lang=en)")
    args = parser.parse_args()

    app = create_app({"BUILD_DIR": args.build_dir})
    client = app.test_client()
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"

    ready_ms: list[float] = []
    dcl_ms: list[float] = []
    load_ms: list[float] = []
    urls: list[str] = []
    markers = 0
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        for run in range(args.repeat):
            context = browser.new_context(viewport={"width": 1280, "height": 800})
            page = context.new_page()
            seen: list[str] = []
            page.on("request", lambda r, seen=seen: seen.append(r.url))
            start = time.perf_counter()
            page.goto(base + args.path)
            page.wait_for_selector(".folium-map[data-ready]", state="attached")
            ready_ms.append((time.perf_counter() - start) * 1000)
            timing = page.evaluate(
                "() => { const t = performance.getEntriesByType('navigation')[0];"
                " return [t.domContentLoadedEventEnd, t.loadEventEnd]; }"
            )
            dcl_ms.append(timing[0])
            load_ms.append(timing[1])
            if run == 0:
                page.wait_for_load_state("load")
                urls = list(seen)
                markers = page.evaluate(
                    "() => document.querySelectorAll('.leaflet-marker-icon').length"
                )
            context.close()
        browser.close()
    server.shutdown()

    rows = []
    for url in dict.fromkeys(urls):
        if not url.startswith(base):
            continue
        body = client.get(url.removeprefix(base)).data
        rows.append((url.removeprefix(base), len(body), len(gzip.compress(body, compresslevel=6))))
    external = [u for u in urls if not u.startswith(base)]

    print(f"Machine: {platform.platform()}, Python {platform.python_version()}, {CHROMIUM}")
    print(f"Page: {args.path}; runs: {args.repeat}, fresh browser context each (empty cache)\n")
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
    print(f"\nMarker icons in the DOM after load: {markers}")
    print(f"Requests: {len(urls)} (outside 127.0.0.1: {len(external)})\n")
    print("| request | raw bytes | gzip bytes |")
    print("|---|---:|---:|")
    for path, raw, gz in rows:
        print(f"| `{path[:90]}` | {raw:,} | {gz:,} |")
    print(f"| **total** | **{sum(r[1] for r in rows):,}** | **{sum(r[2] for r in rows):,}** |")


if __name__ == "__main__":
    main()
