"""Bounded expensive work (issue #16): PNG renders limited per machine, merged, cached, cleaned."""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from flask import Flask

from mapapp import create_app
from mapapp.renders import RenderBusyError, Renderer, remove_stale_temp, view_key


def test_the_view_key_ignores_order_repetition_and_empty_values() -> None:
    a = view_key("b1", [("lang", "en"), ("zoom", "10"), ("width", "800")])
    b = view_key("b1", [("width", "800"), ("zoom", " 10 "), ("lang", "en"), ("center", "")])
    assert a == b
    assert view_key("b2", [("lang", "en"), ("zoom", "10"), ("width", "800")]) != a


def test_identical_renders_are_merged_and_cached(tmp_path: Path) -> None:
    renderer = Renderer(tmp_path, slots=1, wait=5, cache_bytes=10_000_000)
    calls: list[Path] = []

    def make(folder: Path) -> tuple[bytes, str]:
        calls.append(folder)
        assert folder.is_dir() and folder.parent == renderer.tmp
        time.sleep(0.3)
        return b"png", "chromium"

    results: list[tuple[bytes, str]] = []
    threads = [
        threading.Thread(target=lambda: results.append(renderer.render("k", make)))
        for _ in range(4)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) == 1 and results == [(b"png", "chromium")] * 4
    assert not calls[0].exists()  # its temporary folder is gone
    assert renderer.render("k", make) == (b"png", "chromium") and len(calls) == 1


def test_a_busy_machine_answers_503_with_retry_after(tmp_path: Path) -> None:
    renderer = Renderer(tmp_path, slots=1, wait=0.3, cache_bytes=0)
    # Another process (a gunicorn worker) holds the only slot.
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, sys, time; f = open(sys.argv[1], 'ab'); "
            "fcntl.flock(f, fcntl.LOCK_EX); print('held', flush=True); time.sleep(30)",
            str(tmp_path / "render-locks" / "slot-0.lock"),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout and holder.stdout.readline().strip() == "held"
        with pytest.raises(RenderBusyError) as busy:
            renderer.render("other", lambda folder: (b"x", "chromium"))
        assert busy.value.status == 503 and busy.value.headers["Retry-After"].isdigit()
    finally:
        holder.kill()
        holder.wait()
        if holder.stdout:
            holder.stdout.close()
    # the kernel released the dead holder's lock
    assert renderer.render("other", lambda folder: (b"x", "chromium")) == (b"x", "chromium")


def test_two_slots_run_two_at_once_never_three(tmp_path: Path) -> None:
    renderer = Renderer(tmp_path, slots=2, wait=10, cache_bytes=0)
    running, peak = 0, 0
    lock = threading.Lock()

    def make(folder: Path) -> tuple[bytes, str]:
        nonlocal running, peak
        with lock:
            running += 1
            peak = max(peak, running)
        time.sleep(0.2)
        with lock:
            running -= 1
        return b"x", "chromium"

    threads = [threading.Thread(target=renderer.render, args=(f"k{i}", make)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert peak == 2


def test_the_disk_cache_is_bounded(tmp_path: Path) -> None:
    renderer = Renderer(tmp_path, slots=1, wait=5, cache_bytes=2500)
    for i in range(5):
        renderer.render(f"k{i}", lambda folder: (b"x" * 1000, "chromium"))
        time.sleep(0.01)
    kept = sorted(p.name.split(".")[0] for p in renderer.cache.glob("*.png"))
    assert kept == ["k3", "k4"]


def test_temporary_folders_of_dead_workers_are_removed(tmp_path: Path) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    parent = tmp_path / "render-tmp"
    (parent / f"png-{dead.pid}-abc" / "profile").mkdir(parents=True)
    (parent / f"png-{os.getpid()}-abc").mkdir()
    assert remove_stale_temp(parent) == 1
    assert [p.name for p in parent.iterdir()] == [f"png-{os.getpid()}-abc"]
    Renderer(tmp_path, slots=1, wait=1, cache_bytes=0)  # and at start


def test_a_deep_run_folder_keeps_browser_paths_short(tmp_path: Path) -> None:
    deep = tmp_path / ("x" * 60) / "run"
    renderer = Renderer(deep, slots=1, wait=1, cache_bytes=0)
    assert len(str(renderer.tmp)) <= 60 and renderer.cache.parent == deep


def _app(fixture_app: Flask, tmp_path: Path, **config: object) -> Flask:
    return create_app(
        {"BUILD_DIR": fixture_app.config["BUILD_DIR"], "RUN_DIR": tmp_path / "run", **config}
    )


def test_png_requests_go_through_the_renderer(
    fixture_app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []

    def fake_png(*args: object, **kwargs: object) -> tuple[bytes, str]:
        calls.append(str(kwargs.get("tmp_dir")))
        return b"\x89PNG fake", "chromium"

    monkeypatch.setattr("mapapp.pages.png", fake_png)
    app = _app(fixture_app, tmp_path)
    client = app.test_client()
    first = client.get("/export/map.png?lang=en&zoom=10&width=800&height=600")
    again = client.get("/export/map.png?height=600&width=800&zoom=10&lang=en&center=")
    assert first.status_code == again.status_code == 200 and first.data == again.data
    assert len(calls) == 1 and calls[0].startswith(
        str(app.extensions["innovation_map_renders"].tmp)
    )
    for url in ("/export/map.png?utm=1", "/export/map.png?zoom=²", "/export/map.png?width=9"):
        response = client.get(url)
        assert response.status_code == 400, url
    assert len(calls) == 1  # refused before any render


def test_a_busy_renderer_is_a_503_with_retry_after_over_http(
    fixture_app: Flask, tmp_path: Path
) -> None:
    client = _app(fixture_app, tmp_path, RENDER_WAIT=0).test_client()
    slot = (tmp_path / "run" / "render-locks" / "slot-0.lock").open("ab")
    try:
        fcntl.flock(slot, fcntl.LOCK_EX)
        response = client.get("/export/map.png?lang=en&engine=matplotlib")
        assert response.status_code == 503 and response.headers["Retry-After"].isdigit()
        assert response.headers["Cache-Control"] == "no-store"
    finally:
        slot.close()
