"""Benchmark production serving with wrk: the app vs a static file of the same bytes vs pygeoapi.

Usage: ``python benchmarks/bench_serve.py [--seconds 10] [--load-seconds 120]
[--pygeoapi /path/to/venv/bin]``. Needs ``make build`` and ``wrk`` (apt). Starts
``innovation-map serve --prod`` (gunicorn, 3 workers × 4 threads) on 127.0.0.1, measures
requests/s and p50/p99 latency for each endpoint with 32 connections, then the same bytes
saved as a file under the app's static folder and served by the same server, then (if a
pygeoapi install is given) pygeoapi serving the same GeoPackage with the same gunicorn
settings. Finally a load run of ``--load-seconds`` at 32 connections over a mix of URLs,
sampling the workers' memory. Prints Markdown. A benchmark, not a test: nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
STATIC_BENCH = ROOT / "mapapp" / "static" / "_bench"  # removed again at the end
ENDPOINTS = {
    "map page `/`": "/?lang=en",
    "full layer (all platforms, GeoJSON)": "/api/places.geojson?layers=platform",
    "filtered export (Pudong facilities, GeoJSON)": "/api/places.geojson?district=浦东新区&category=facility",
    "OGC items (limit 100)": "/ogc/collections/places/items?limit=100&f=json",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_up(url: str, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def quote_url(url: str) -> str:
    return urllib.request.quote(url, safe="/?=&,:.")


def wrk(
    url: str, seconds: int, connections: int = 32, script: str | None = None
) -> dict[str, float]:
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    if script:
        cmd += ["-s", script]
    out = subprocess.run([*cmd, quote_url(url)], capture_output=True, text=True, check=True).stdout

    def latency(label: str) -> float:
        m = re.search(rf"^\s*{label}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        if not m:
            return float("nan")
        value, unit = float(m.group(1)), m.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    total = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    err = int(non2xx.group(1)) if non2xx else 0
    if errors:
        err += sum(int(g) for g in errors.groups())
    return {
        "rps": rps,
        "p50": latency("50"),
        "p99": latency("99"),
        "requests": total,
        "errors": err,
    }


def workers_rss_mb(master_pid: int) -> float:
    """Sum of RSS of the gunicorn master's children (the workers), in MB."""
    total = 0
    for child in Path("/proc").iterdir():
        if not child.name.isdigit():
            continue
        try:
            stat = (child / "stat").read_text().split()
            if int(stat[3]) == master_pid:
                status = (child / "status").read_text()
                total += int(re.search(r"VmRSS:\s+(\d+)", status).group(1))  # type: ignore[union-attr]
        except (OSError, AttributeError):
            continue
    return total / 1024


def start(cmd: list[str], env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, start_new_session=True
    )


def stop(proc: subprocess.Popen[bytes]) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(timeout=30)


def pygeoapi_config(gpkg: Path, port: int, folder: Path) -> tuple[Path, Path]:
    config = folder / "pygeoapi.yml"
    config.write_text(
        f"""server:
  bind: {{host: 127.0.0.1, port: {port}}}
  url: http://127.0.0.1:{port}
  mimetype: application/json; charset=UTF-8
  encoding: utf-8
  languages: [en-US]
  limits: {{default_items: 100, max_items: 10000}}
  map: {{url: 'https://tile.openstreetmap.org/{{z}}/{{x}}/{{y}}.png', attribution: 'OSM'}}
logging: {{level: ERROR}}
metadata:
  identification: {{title: bench, description: bench, keywords: [bench], keywords_type: theme, terms_of_service: none, url: http://127.0.0.1}}
  license: {{name: none, url: http://127.0.0.1}}
  provider: {{name: bench, url: http://127.0.0.1}}
  contact: {{name: bench}}
resources:
  places:
    type: collection
    title: places
    description: places
    keywords: [places]
    extents:
      spatial: {{bbox: [120, 30, 123, 32], crs: http://www.opengis.net/def/crs/OGC/1.3/CRS84}}
    providers:
      - type: feature
        name: GeoJSON
        data: {gpkg}
        id_field: id
""",
        encoding="utf-8",
    )
    openapi = folder / "openapi.yml"
    return config, openapi


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--load-seconds", type=int, default=120)
    parser.add_argument("--pygeoapi", help="bin folder of a venv with pygeoapi and gunicorn")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install -y wrk")

    port = free_port()
    app = start(
        [str(BIN / "innovation-map"), "serve", "--prod", "--port", str(port), "--workers", "3"]
    )
    base = f"http://127.0.0.1:{port}"
    rows = []
    try:
        wait_up(base + "/healthz")
        STATIC_BENCH.mkdir(exist_ok=True)
        for i, (name, path) in enumerate(ENDPOINTS.items()):
            with urllib.request.urlopen(base + quote_url(path)) as r:
                body = r.read()
            (STATIC_BENCH / f"e{i}.bin").write_bytes(body)
            dynamic = wrk(base + path, args.seconds)
            static = wrk(base + f"/static/_bench/e{i}.bin", args.seconds)
            rows.append((name, len(body), dynamic, static))

        pg_row = None
        if args.pygeoapi:
            pg_port = free_port()
            with tempfile.TemporaryDirectory() as tmp:
                # pygeoapi's GeoPackage provider needs SQLite extension loading, which this Python
                # lacks (and GDAL's Python bindings for OGR); its GeoJSON provider serves the
                # same 416 features from data/build/places.geojson.
                config, openapi = pygeoapi_config(
                    ROOT / "data/build/places.geojson", pg_port, Path(tmp)
                )
                env = {
                    **os.environ,
                    "PYGEOAPI_CONFIG": str(config),
                    "PYGEOAPI_OPENAPI": str(openapi),
                }
                with openapi.open("w") as f:
                    subprocess.run(
                        [f"{args.pygeoapi}/pygeoapi", "openapi", "generate", str(config)],
                        stdout=f,
                        env=env,
                        check=True,
                    )
                pg = start(
                    [
                        f"{args.pygeoapi}/gunicorn",
                        "-w",
                        "3",
                        "-k",
                        "gthread",
                        "--threads",
                        "4",
                        "-b",
                        f"127.0.0.1:{pg_port}",
                        "pygeoapi.flask_app:APP",
                    ],
                    env=env,
                )
                try:
                    pg_url = f"http://127.0.0.1:{pg_port}/collections/places/items?limit=100&f=json"
                    wait_up(pg_url)
                    pg_row = wrk(pg_url, args.seconds)
                finally:
                    stop(pg)

        # Load: a mix of pages, data and OGC, 32 connections, memory sampled every 10 s.
        script = Path(tempfile.mkstemp(suffix=".lua")[1])
        paths = [quote_url(p) for p in ENDPOINTS.values()] + [
            "/places?lang=en",
            "/ogc/collections",
            "/healthz",
        ]
        script.write_text(
            "local paths = {" + ",".join(f'"{p}"' for p in paths) + "}\nlocal i = 0\n"
            "request = function() i = i % #paths + 1; return wrk.format('GET', paths[i]) end\n"
        )
        samples: list[float] = []
        done = threading.Event()

        def sample() -> None:
            while not done.wait(10):
                samples.append(workers_rss_mb(app.pid))

        samples.append(workers_rss_mb(app.pid))
        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        load = wrk(base + "/", args.load_seconds, script=str(script))
        done.set()
        samples.append(workers_rss_mb(app.pid))
        script.unlink()
    finally:
        stop(app)
        shutil.rmtree(STATIC_BENCH, ignore_errors=True)

    print(
        f"Machine: {platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    )
    print(f"wrk -t2 -c32 -d{args.seconds}s per row; server and wrk share the machine.\n")
    print(
        "| endpoint | bytes | app req/s | app p50 ms | app p99 ms | static req/s | static p50 ms | static p99 ms | app / static |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for name, size, d, s in rows:
        print(
            f"| {name} | {size:,} | {d['rps']:.0f} | {d['p50']:.1f} | {d['p99']:.1f} | {s['rps']:.0f} | "
            f"{s['p50']:.1f} | {s['p99']:.1f} | {d['rps'] / s['rps']:.0%} |"
        )
    if pg_row:
        ours = rows[-1][2]
        print(
            f"\npygeoapi items (limit 100): {pg_row['rps']:.0f} req/s, p50 {pg_row['p50']:.1f} ms, "
            f"p99 {pg_row['p99']:.1f} ms, errors {pg_row['errors']}; ours {ours['rps']:.0f} req/s "
            f"({ours['rps'] / pg_row['rps']:.1f}× pygeoapi)"
        )
    print(
        f"\nLoad {args.load_seconds} s, 32 connections, {len(paths)} URLs in rotation: "
        f"{load['requests']:,} requests, {load['rps']:.0f} req/s, p50 {load['p50']:.1f} ms, "
        f"p99 {load['p99']:.1f} ms, errors {load['errors']}"
    )
    print(
        "Worker memory (MB, sum of 3 workers, every 10 s): "
        + ", ".join(f"{m:.0f}" for m in samples)
    )


if __name__ == "__main__":
    main()
