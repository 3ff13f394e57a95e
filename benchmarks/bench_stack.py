"""Benchmark the production stack (nginx → gunicorn) against nginx serving the same bytes.

Usage: ``python benchmarks/bench_stack.py --build-dir /tmp/x/build [--data-dir data]
[--seconds 10] [--parts speed,slow,png,rebuild,fuzz] [--examples 200]``. Needs ``wrk`` and
``nginx`` (apt), a build (``--build-dir`` should be a copy: the rebuild part rebuilds it from
``--data-dir``). Everything listens on 127.0.0.1 only. Prints Markdown; asserts nothing.

Parts:
- speed: wrk per endpoint: the stack on a cache hit, the stack on a cache miss (a unique
  ``bbox``/``center`` per request, so neither nginx nor the app has it), gunicorn alone (the
  previous production setup) on the same misses, and a second nginx serving the same response
  bytes as static files.
- slow: 300 slow connections for 45 s (benchmarks/slow_clients.py) while wrk measures normal
  requests; against the stack, then against gunicorn alone.
- misses: stack vs gunicorn alone on cache misses, alternating, three rounds (noise check).
- png: 10 concurrent distinct PNG requests; memory of the whole process tree (Chromium
  included) and other users' latency meanwhile.
- rebuild: ``innovation-map build`` into the served folder during a 60 s wrk run.
- fuzz: schemathesis against the stack's /openapi.json (PNG excluded: each is a browser run).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
PUDONG = quote("浦东新区")
ENDPOINTS = {
    "map page `/`": ("/?lang=en", "&center=31.{a},121.{b}"),
    "filtered GeoJSON (Pudong facilities)": (
        f"/api/places.geojson?district={PUDONG}&category=facility",
        "&bbox=120.5,30.6,122.{a},31.{b}",
    ),
    "full layer (platforms, GeoJSON)": (
        "/api/places.geojson?layers=platform",
        "&bbox=120.5,30.6,122.{a},31.{b}",
    ),
    "OGC items (limit 100)": (
        "/ogc/collections/places/items?limit=100&f=json",
        "&bbox=120.5,30.6,122.{a},31.{b}",
    ),
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def get(url: str, timeout: float = 30) -> tuple[int, bytes, dict[str, str]]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status, r.read(), dict(r.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(), dict(exc.headers)


def wait_up(url: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            if get(url, 2)[0] == 200:
                return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise SystemExit(f"{url} did not come up")
        time.sleep(0.5)


def lua_unique(tail: str) -> str:
    """A wrk script asking for a URL no cache has: ``tail`` with random digits."""
    body = tail.replace("{a}", '" .. math.random(100000, 999999) .. "').replace(
        "{b}", '" .. math.random(100000, 999999) .. "'
    )
    script = (
        "math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))\n"
        f'request = function() return wrk.format("GET", wrk.path .. "{body}") end\n'
    )
    path = Path(tempfile.mkstemp(suffix=".lua")[1])
    path.write_text(script, encoding="utf-8")
    return str(path)


def lua_rotate(paths: list[str]) -> str:
    items = ", ".join(json.dumps(p) for p in paths)
    script = (
        f"local paths = {{{items}}}\nlocal i = 0\n"
        "local last = ''\n"
        "request = function() i = i + 1; last = paths[(i % #paths) + 1]; "
        "return wrk.format('GET', last) end\n"
        # a failed answer is printed (the path is approximate under pipelining: wrk does not)
        "response = function(status) if status >= 400 then "
        "io.write('FAIL ' .. status .. ' ' .. last .. '\\n') end end\n"
    )
    path = Path(tempfile.mkstemp(suffix=".lua")[1])
    path.write_text(script, encoding="utf-8")
    return str(path)


def wrk(
    url: str, seconds: float, connections: int = 32, threads: int = 2, script: str | None = None
) -> dict[str, float]:
    cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{int(seconds)}s", "--latency"]
    cmd += ["--timeout", "10s"]
    if script:
        cmd += ["-s", script]
    out = subprocess.run([*cmd, url], capture_output=True, text=True, check=True).stdout
    failures = sorted(set(re.findall(r"^FAIL (.+)$", out, re.M)))

    def latency(label: str) -> float:
        m = re.search(rf"^\s*{label}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        if not m:
            return float("nan")
        value, unit = float(m.group(1)), m.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    found = re.search(r"Requests/sec:\s+([\d.]+)", out)
    total = re.search(r"(\d+) requests in", out)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if (non2xx or sock) and os.environ.get("BENCH_VERBOSE"):
        print(out, file=sys.stderr)
    return {
        "rps": float(found.group(1)) if found else 0.0,
        "p50": latency("50"),
        "p99": latency("99"),
        "requests": int(total.group(1)) if total else 0,
        "non2xx": int(non2xx.group(1)) if non2xx else 0,
        "socket_errors": sum(int(g) for g in sock.groups()) if sock else 0,
        "failures": failures,  # type: ignore[dict-item]
        "socket_detail": sock.group(0) if sock else "",  # type: ignore[dict-item]
    }


def tree_rss_mb(pid: int) -> float:
    """PSS of ``pid`` and all its descendants (gunicorn, nginx, Chromium), in MB.

    PSS counts a page shared by n processes as 1/n in each, so the sum is what the tree
    really uses (RSS would count Chromium's shared pages once per process).
    """
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            try:
                m = re.search(r"^Pss:\s+(\d+)", (entry / "smaps_rollup").read_text(), re.M)
            except OSError:
                m = re.search(r"VmRSS:\s+(\d+)", (entry / "status").read_text())
        except (OSError, IndexError, ValueError):
            continue
        parents[int(entry.name)] = ppid
        rss[int(entry.name)] = int(m.group(1)) if m else 0
    total, todo = 0, [pid]
    children: dict[int, list[int]] = {}
    for child, parent in parents.items():
        children.setdefault(parent, []).append(child)
    while todo:
        p = todo.pop()
        total += rss.get(p, 0)
        todo += children.get(p, [])
    return total / 1024


class Server:
    def __init__(self, cmd: list[str], env: dict[str, str] | None = None) -> None:
        self.log = tempfile.NamedTemporaryFile(  # noqa: SIM115 (open while the server runs)
            prefix="bench-server-", suffix=".log", delete=False
        )
        self.proc = subprocess.Popen(
            cmd,
            stdout=self.log,
            stderr=self.log,
            env={**os.environ, **(env or {})},
            start_new_session=True,
        )

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


def static_nginx(folder: Path, port: int) -> Server:
    """nginx serving ``folder`` as static files, set up like the stack's nginx."""
    conf = folder / "nginx.conf"
    for sub in ("tmp", "logs"):
        (folder / sub).mkdir(exist_ok=True)
    conf.write_text(
        f"""worker_processes 2;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
{"user nobody nogroup;" if os.geteuid() == 0 else ""}
events {{ worker_connections 4096; }}
http {{
    types {{ text/html html; application/geo+json geojson; application/json json; }}
    access_log off; sendfile on; tcp_nopush off; server_tokens off;
    client_body_temp_path {folder}/tmp/body; proxy_temp_path {folder}/tmp/proxy;
    fastcgi_temp_path {folder}/tmp/fcgi; uwsgi_temp_path {folder}/tmp/uwsgi;
    scgi_temp_path {folder}/tmp/scgi;
    keepalive_requests 1000;
    server {{ listen {HOST}:{port}; root {folder}/files; }}
}}
""",
        encoding="utf-8",
    )
    folder.chmod(0o755)
    return Server(
        [
            "nginx",
            "-p",
            f"{folder}/",
            "-c",
            str(conf),
            "-e",
            f"{folder}/error.log",
            "-g",
            "daemon off;",
        ]
    )


def fmt(r: dict[str, float]) -> str:
    return f"{r['rps']:.0f} | {r['p50']:.1f} | {r['p99']:.1f}"


def part_speed(stack: str, alone: str, args: argparse.Namespace, work: Path) -> list[str]:
    files = work / "static" / "files"
    files.mkdir(parents=True)
    static_port = free_port()
    names = {}
    for i, (label, (path, _)) in enumerate(ENDPOINTS.items()):
        status, body, _ = get(stack + path)
        assert status == 200, (label, status)
        names[label] = f"e{i}.{'html' if path.startswith('/?') else 'json'}"
        (files / names[label]).write_bytes(body)
    os.chmod(files, 0o755)
    static = static_nginx(work / "static", static_port)
    lines = [
        "| endpoint | bytes | stack hit req/s | p50 ms | p99 ms | nginx static req/s | p50 ms | p99 ms "
        "| hit / static | stack miss req/s | p50 ms | p99 ms | gunicorn alone, miss req/s | p50 ms | p99 ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    try:
        wait_up(f"http://{HOST}:{static_port}/{names[next(iter(ENDPOINTS))]}")
        hits, plains = {}, {}
        for label, (path, _) in ENDPOINTS.items():  # hits first: misses fill nginx's cache
            get(stack + path)  # nginx keeps an answer from its second request on
            hits[label] = wrk(stack + path, args.seconds)
            plains[label] = wrk(f"http://{HOST}:{static_port}/{names[label]}", args.seconds)
        for label, (path, tail) in ENDPOINTS.items():
            size = (files / names[label]).stat().st_size
            hit, plain = hits[label], plains[label]
            script = lua_unique(tail)
            miss = wrk(stack + path, args.seconds, script=script)
            old = wrk(alone + path, args.seconds, script=script)
            bad = sum(r["non2xx"] + r["socket_errors"] for r in (hit, plain, miss, old))
            lines.append(
                f"| {label} | {size:,} | {fmt(hit)} | {fmt(plain)} | "
                f"{100 * hit['rps'] / plain['rps']:.0f} % | {fmt(miss)} | {fmt(old)} |"
                + (f" ({bad} errors)" if bad else "")
            )
            print(lines[-1], file=sys.stderr, flush=True)
    finally:
        static.stop()
    return lines


def part_misses(stack: str, alone: str, seconds: float, rounds: int = 3) -> list[str]:
    """Cache misses, the stack and gunicorn alone alternating, ``rounds`` times (noise)."""
    lines = [
        "| endpoint | round | stack miss req/s | p50 ms | p99 ms | gunicorn alone req/s | p50 ms "
        "| p99 ms | stack / alone |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for label in ("map page `/`", "filtered GeoJSON (Pudong facilities)"):
        path, tail = ENDPOINTS[label]
        script = lua_unique(tail)
        for i in range(rounds):
            miss = wrk(stack + path, seconds, script=script)
            old = wrk(alone + path, seconds, script=script)
            lines.append(
                f"| {label} | {i + 1} | {fmt(miss)} | {fmt(old)} | "
                f"{100 * miss['rps'] / old['rps']:.0f} % |"
            )
            print(lines[-1], file=sys.stderr, flush=True)
    return lines


def _normal_load(base: str, seconds: float) -> dict[str, dict[str, float]]:
    """What "other users" see: the map page (a cache hit) and an app request (a miss)."""
    results: dict[str, dict[str, float]] = {}

    def run(name: str, url: str, script: str | None) -> None:
        results[name] = wrk(url, seconds, connections=4, threads=1, script=script)

    path, tail = ENDPOINTS["filtered GeoJSON (Pudong facilities)"]
    jobs = [
        threading.Thread(target=run, args=("hit", base + "/?lang=en", None)),
        threading.Thread(target=run, args=("miss", base + path, lua_unique(tail))),
    ]
    for j in jobs:
        j.start()
    for j in jobs:
        j.join()
    return results


def part_slow(stack_port: int, alone_port: int, seconds: float) -> list[str]:
    lines = [
        "| server | normal requests | unloaded p50 ms | p50 ms with 300 slow clients | ratio "
        "| requests (errors) during | slow connections closed by server |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for name, port in (("nginx → gunicorn (stack)", stack_port), ("gunicorn alone", alone_port)):
        base = f"http://{HOST}:{port}"
        quiet = _normal_load(base, 10)
        slow = subprocess.Popen(
            [
                sys.executable,
                str(ROOT / "benchmarks" / "slow_clients.py"),
                str(port),
                "--connections",
                "300",
                "--interval",
                "5",
                "--seconds",
                str(seconds),
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        time.sleep(6)  # every slow connection open and started
        loaded = _normal_load(base, seconds - 10)
        out, _ = slow.communicate(timeout=seconds + 60)
        counts = json.loads(out or "{}")
        for kind in ("hit", "miss"):
            q, l_ = quiet[kind], loaded[kind]
            errors = l_["non2xx"] + l_["socket_errors"]
            during = f"{l_['p50']:.1f}" if l_["requests"] else "no answer"
            ratio = f"{l_['p50'] / q['p50']:.2f}×" if l_["requests"] else "—"
            lines.append(
                f"| {name} | {kind} | {q['p50']:.1f} | {during} | "
                f"{ratio} | {l_['requests']:.0f} ({errors:.0f}) | "
                f"{counts.get('closed_by_server', '?')} of {counts.get('opened', '?')} |"
            )
            print(lines[-1], file=sys.stderr, flush=True)
    return lines


def part_png(stack: str, stack_pid: int) -> list[str]:
    quiet = _normal_load(stack, 10)
    base_mb = tree_rss_mb(stack_pid)
    peak = [base_mb]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak.append(tree_rss_mb(stack_pid))
            time.sleep(0.5)

    results: list[tuple[int, float, str]] = []

    def fetch(i: int) -> None:
        start = time.monotonic()
        url = f"{stack}/export/map.png?lang=en&zoom={9 + i % 3}&center=31.{200 + i},121.{400 + i}&width=1280&height=720&scale=1"
        status, body, headers = get(url, timeout=300)
        reason = (
            headers.get("Retry-After", "")
            if status != 503
            else body[:120].decode("utf-8", "replace")
        )
        results.append((status, time.monotonic() - start, reason if status != 200 else ""))

    sampler = threading.Thread(target=sample)
    sampler.start()
    loaded: dict[str, dict[str, float]] = {}
    load = threading.Thread(target=lambda: loaded.update(_normal_load(stack, 30)))
    load.start()
    fetchers = [threading.Thread(target=fetch, args=(i,)) for i in range(10)]
    for f in fetchers:
        f.start()
    for f in fetchers:
        f.join()
    load.join()
    done.set()
    sampler.join()
    statuses: dict[int, int] = {}
    for status, _, _ in results:
        statuses[status] = statuses.get(status, 0) + 1
    times = sorted(t for _, t, _ in results)
    lines = [
        f"- answers: {', '.join(f'{n}× {s}' for s, n in sorted(statuses.items()))} "
        f"(503s said: {sorted({r for s, _, r in results if s != 200})}); "
        f"times {times[0]:.1f}–{times[-1]:.1f} s",
        f"- memory (PSS) of the whole tree (nginx, gunicorn, Chromium): {base_mb:.0f} MB before, "
        f"peak {max(peak):.0f} MB (+{max(peak) - base_mb:.0f} MB)",
    ]
    for kind in ("hit", "miss"):
        q, l_ = quiet[kind], loaded[kind]
        lines.append(
            f"- other users ({kind}): p50 {q['p50']:.1f} ms unloaded → {l_['p50']:.1f} ms during "
            f"the renders ({l_['p50'] / q['p50']:.2f}×), p99 {l_['p99']:.1f} ms, "
            f"{l_['non2xx'] + l_['socket_errors']:.0f} errors"
        )
    return lines


def part_rebuild(stack: str, build_dir: Path, data_dir: Path) -> list[str]:
    path, _ = ENDPOINTS["filtered GeoJSON (Pudong facilities)"]
    paths = ["/healthz", "/places.json", path, "/?lang=en", "/ogc/collections?f=json"]
    script = lua_rotate(paths)
    health_bad = health_total = 0
    stop = threading.Event()

    def poll() -> None:
        nonlocal health_bad, health_total
        while not stop.is_set():
            health_total += 1
            try:
                health_bad += get(stack + "/healthz", 5)[0] != 200
            except OSError:
                health_bad += 1
            time.sleep(0.1)

    result: dict[str, float] = {}
    load = threading.Thread(target=lambda: result.update(wrk(stack, 60, 16, script=script)))
    poller = threading.Thread(target=poll)
    before = build_dir.resolve()
    load.start()
    poller.start()
    time.sleep(10)
    start = time.monotonic()
    built = subprocess.run(
        [
            str(BIN / "innovation-map"),
            "--data-dir",
            str(data_dir),
            "build",
            "--out",
            str(build_dir),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    build_s = time.monotonic() - start
    load.join()
    stop.set()
    poller.join()
    return [
        f"- build: exit {built.returncode} in {build_s:.1f} s; {build_dir} → "
        f"{before.name} then {build_dir.resolve().name}",
        f"- wrk, 60 s, 16 connections, {len(paths)} URLs in rotation: {result['requests']:.0f} "
        f"requests, {result['rps']:.0f} req/s, p50 {result['p50']:.1f} ms, p99 "
        f"{result['p99']:.1f} ms, **{result['non2xx'] + result['socket_errors']:.0f} failed**"
        + (
            f" ({result['failures']}; {result['socket_detail']})"
            if result["failures"] or result["socket_detail"]
            else ""
        ),
        f"- /healthz polled every 0.1 s meanwhile: {health_bad} of {health_total} not 200",
    ]


def part_fuzz(stack: str, examples: int) -> list[str]:
    cmd = [
        str(BIN / "schemathesis"),
        "run",
        f"{stack}/openapi.json",
        "-n",
        str(examples),
        "--exclude-path",
        "/export/map.png",
        "--checks",
        "all",
        "--exclude-checks",
        "unsupported_method,ignored_auth,positive_data_acceptance",
        "--phases",
        "examples,coverage,fuzzing",
        "--generation-database",
        "none",
    ]
    start = time.monotonic()
    run = subprocess.run(cmd, capture_output=True, text=True, check=False)
    full = Path(tempfile.gettempdir()) / "bench-stack-schemathesis.txt"
    full.write_text(run.stdout, encoding="utf-8")
    found = re.findall(r"^- (ST\d+ [^\n]+)\n\n\s+(?:Received: ([^\n]+)|[^\n]*)", run.stdout, re.M)
    kinds: dict[str, int] = {}
    for code, received in found:
        key = f"{code} ({received})" if received else code
        kinds[key] = kinds.get(key, 0) + 1
    tail = "\n".join(run.stdout.strip().splitlines()[-25:])
    tail += "\n\nby kind: " + "; ".join(f"{k}: {n}" for k, n in sorted(kinds.items()))
    tail += f"\n(full output: {full})"
    return [
        f"Command: `{' '.join(cmd[1:])}` ({time.monotonic() - start:.0f} s, exit {run.returncode})",
        "",
        "```",
        tail,
        "```",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--build-dir", type=Path, required=True)
    parser.add_argument("--data-dir", type=Path, default=ROOT / "data")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--slow-seconds", type=float, default=45)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--parts", default="speed,slow,png,rebuild,fuzz")
    parser.add_argument("--examples", type=int, default=200)
    args = parser.parse_args()
    parts = set(args.parts.split(","))
    work = Path(tempfile.mkdtemp(prefix="bench-stack-"))
    work.chmod(0o755)  # nginx's workers (nobody) read the static copies
    run_dir = work / "run"
    stack_port, alone_port = free_port(), free_port()
    common = ["--quiet", "--workers", str(args.workers), "--build-dir", str(args.build_dir)]
    cli = str(BIN / "innovation-map")
    if "rebuild" in parts and not args.build_dir.is_symlink():
        # The first build into an old-style folder moves it aside once: do that before.
        subprocess.run(
            [cli, "--data-dir", str(args.data_dir), "build", "--out", str(args.build_dir)],
            check=True,
            capture_output=True,
        )
    env = {"INNOVATION_MAP_RUN_DIR": str(run_dir)}
    stack = Server([cli, "serve", "--prod", "--port", str(stack_port), *common], env)
    alone = Server([cli, "serve", "--prod", "--no-nginx", "--port", str(alone_port), *common], env)
    stack_url, alone_url = f"http://{HOST}:{stack_port}", f"http://{HOST}:{alone_port}"
    out: list[str] = []
    try:
        wait_up(stack_url + "/healthz")
        wait_up(alone_url + "/healthz")
        if "speed" in parts:
            out += ["### Speed", "", *part_speed(stack_url, alone_url, args, work), ""]
        if "misses" in parts:
            out += [
                "### Cache misses, alternating",
                "",
                *part_misses(stack_url, alone_url, args.seconds),
                "",
            ]
        if "slow" in parts:
            out += [
                "### Slow clients",
                "",
                *part_slow(stack_port, alone_port, args.slow_seconds),
                "",
            ]
        if "png" in parts:
            out += [
                "### 10 concurrent distinct PNG requests",
                "",
                *part_png(stack_url, stack.proc.pid),
                "",
            ]
        if "rebuild" in parts:
            out += [
                "### A rebuild under load",
                "",
                *part_rebuild(stack_url, args.build_dir, args.data_dir),
                "",
            ]
        if "fuzz" in parts:
            out += ["### schemathesis", "", *part_fuzz(stack_url, args.examples), ""]
    finally:
        stack.stop()
        alone.stop()
    print("\n".join(out))


if __name__ == "__main__":
    main()
