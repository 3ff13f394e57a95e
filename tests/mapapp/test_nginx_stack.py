"""The production stack: nginx (from the system) in front of gunicorn (issue #16).

These need the nginx binary: outside CI they are skipped with a message when it is missing;
in CI (CI=true) a missing nginx is a failure, since .ci/run installs it.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from buildcache import Built

from mapapp import nginx

DATA = Path(__file__).parents[1] / "data"

if not shutil.which("nginx") and not Path("/usr/sbin/nginx").exists():
    if os.environ.get("CI") == "true":
        pytest.fail("nginx is missing in CI: .ci/run must install nginx-light", pytrace=False)
    pytest.skip(
        "nginx is not installed (sudo apt-get install nginx-light); skipping the stack tests",
        allow_module_level=True,
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def test_the_generated_config_is_accepted_and_assets_are_precompressed() -> None:
    stack = nginx.prepare("127.0.0.1", _free_port())
    try:
        nginx.check(stack)
        leaflet = stack.dir / "static" / "vendor" / "leaflet@1.9.3" / "dist" / "leaflet.js"
        assert leaflet.exists() and leaflet.with_name("leaflet.js.gz").exists()
        text = stack.conf.read_text(encoding="utf-8")
        assert "gzip_static on" in text and f"unix:{stack.socket}" in text
        assert "client_header_timeout" in text and "proxy_cache_key" in text
    finally:
        shutil.rmtree(stack.dir)


@pytest.fixture(scope="module")
def stack_url(
    fixture_build: Built, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    out = fixture_build.dir
    run_dir = tmp_path_factory.mktemp("stack") / "run"  # nginx's files, this stack's alone
    port = _free_port()
    cli = Path(sys.executable).with_name("innovation-map")
    proc = subprocess.Popen(
        [
            str(cli),
            "serve",
            "--prod",
            "--quiet",
            "--port",
            str(port),
            "--workers",
            "2",
            "--build-dir",
            str(out),
        ],
        env={**os.environ, "INNOVATION_MAP_RUN_DIR": str(run_dir)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            if _get(url + "/healthz")[0] == 200:
                break
        except OSError:
            pass
        if time.monotonic() > deadline or proc.poll() is not None:
            proc.kill()
            pytest.fail("the stack did not come up")
        time.sleep(0.5)
    yield url, proc
    if proc.poll() is None:
        proc.kill()
        proc.wait()


def test_nginx_serves_assets_precompressed_and_caches_the_app(
    stack_url: tuple[str, subprocess.Popen[bytes]],
) -> None:
    url, _ = stack_url
    status, headers, _ = _get(
        url + "/static/vendor/leaflet@1.9.3/dist/leaflet.js", {"Accept-Encoding": "gzip"}
    )
    assert status == 200 and headers["Server"] == "nginx" and headers["Content-Encoding"] == "gzip"
    assert "immutable" in headers["Cache-Control"]
    first = _get(url + "/places.json")
    _get(url + "/places.json")  # nginx keeps an answer from its second request on (min_uses 2)
    second = _get(url + "/places.json")
    assert first[0] == second[0] == 200 and first[2] == second[2]
    assert second[1]["X-Cache"] == "HIT"
    etag = second[1]["ETag"]
    again = _get(url + "/places.json", {"If-None-Match": f"W/{etag}"})
    assert again[0] == 304 and again[1]["Cache-Control"] == second[1]["Cache-Control"]
    assert _get(url + "/healthz")[1]["Cache-Control"] == "no-store"


def test_the_stack_cannot_be_poisoned(stack_url: tuple[str, subprocess.Popen[bytes]]) -> None:
    url, _ = stack_url
    for _ in range(12):
        assert _get(url + "/openapi.json", {"Host": "evil.example"})[0] == 400
        spoofed = {"X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "https"}
        assert b"evil" not in _get(url + "/ogc/collections?f=json", spoofed)[2]
    assert b"evil" not in _get(url + "/openapi.json")[2]
    assert b"evil" not in _get(url + "/ogc/collections?f=json")[2]


def test_both_stop_together_on_sigterm(stack_url: tuple[str, subprocess.Popen[bytes]]) -> None:
    url, proc = stack_url
    folders = list(Path("/tmp").glob(f"innovation-map-nginx-{proc.pid}-*"))
    assert len(folders) == 1
    nginx_pid = int((folders[0] / "nginx.pid").read_text().strip())
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=60)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.kill(nginx_pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.2)
    else:
        pytest.fail("nginx outlived gunicorn")
    assert not folders[0].exists()
    with pytest.raises(OSError):
        _get(url + "/healthz")
