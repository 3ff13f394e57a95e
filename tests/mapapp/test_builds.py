"""Rebuilds without an outage: one build at a time, an atomic switch, workers that follow (#16)."""

from __future__ import annotations

import errno
import fcntl
import json
import shutil
import threading
import time
from pathlib import Path

import pytest

from geo.errors import BuildLockedError, BuildWriteError
from geo.pipeline import GPKG_NAME, Inputs, build
from mapapp import create_app
from mapapp.cli import main


def _cli_inputs(inputs: Inputs) -> list[str]:
    """The --data-dir of the fixture inputs (the CLI wants boundaries/ there too)."""
    root = inputs.reports_dir.parent
    (root / "boundaries").mkdir(exist_ok=True)
    shutil.copy(inputs.boundaries, root / "boundaries" / inputs.boundaries.name)
    return ["--data-dir", str(root)]


def test_a_build_is_a_folder_of_its_own_made_current_by_a_symlink(
    fixture_inputs: Inputs, tmp_path: Path
) -> None:
    out = tmp_path / "build"
    for _ in range(4):
        build(out, fixture_inputs, keep=3)
    assert out.is_symlink() and (out / GPKG_NAME).exists()
    kept = sorted(p.name for p in (tmp_path / "builds").iterdir())
    assert len(kept) == 3 and out.resolve().name == kept[-1]
    assert not list(tmp_path.glob(".build.link-*"))


def test_a_build_from_before_is_kept_and_replaced(fixture_inputs: Inputs, tmp_path: Path) -> None:
    out = tmp_path / "build"
    out.mkdir()
    (out / "old.txt").write_text("from before", encoding="utf-8")
    build(out, fixture_inputs)
    assert out.is_symlink() and not (out / "old.txt").exists()
    assert [p.name for p in (tmp_path / "builds").glob("*earlier")]


def test_readers_never_see_a_moment_without_a_build(fixture_inputs: Inputs, tmp_path: Path) -> None:
    out = tmp_path / "build"
    build(out, fixture_inputs)
    missing = 0
    stop = threading.Event()

    def read() -> None:
        nonlocal missing
        while not stop.is_set():
            missing += not (out / GPKG_NAME).exists() or not (out / "build_info.json").exists()

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for _ in range(2):
            build(out, fixture_inputs)
    finally:
        stop.set()
        reader.join()
    assert missing == 0


def test_one_build_at_a_time(fixture_inputs: Inputs, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "build"
    build(out, fixture_inputs)
    before = out.resolve()
    with (tmp_path / ".build.lock").open("a") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)  # as a running build holds it
        with pytest.raises(BuildLockedError, match=r"another build into .* is running"):
            build(out, fixture_inputs)
        code = main([*_cli_inputs(fixture_inputs), "build", "--out", str(out)])
        assert code == 2 and "another build" in capsys.readouterr().err
    assert out.resolve() == before
    build(out, fixture_inputs)  # free again
    assert out.resolve() != before


def test_leftovers_of_killed_builds_are_removed(fixture_inputs: Inputs, tmp_path: Path) -> None:
    for leftover in (tmp_path / "builds" / ".tmp-x", tmp_path / ".build-old-1234"):
        leftover.mkdir(parents=True)
        (leftover / "junk").write_text("x", encoding="utf-8")
    build(tmp_path / "build", fixture_inputs)
    assert not list((tmp_path / "builds").glob(".tmp-*"))
    assert not list(tmp_path.glob(".build-old-*"))


def test_a_full_disk_is_one_clear_message_and_exit_2(
    fixture_inputs: Inputs, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "build"
    build(out, fixture_inputs)
    before = out.resolve()

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("geo.pipeline.write_geojson", full)
    with pytest.raises(BuildWriteError, match=r"No space left on device.*free some space"):
        build(out, fixture_inputs)
    code = main([*_cli_inputs(fixture_inputs), "build", "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2 and "cannot write the build" in err and "Traceback" not in err
    assert out.resolve() == before and len(list((tmp_path / "builds").iterdir())) == 1


def test_an_unwritable_folder_is_one_clear_message_and_exit_2(
    fixture_inputs: Inputs, tmp_path: Path, capsys
) -> None:  # type: ignore[no-untyped-def]
    # We may run as root, for whom chmod does not bite: a file where a folder must go does.
    (tmp_path / "blocked").write_text("a file, not a folder", encoding="utf-8")
    out = tmp_path / "blocked" / "build"
    code = main([*_cli_inputs(fixture_inputs), "build", "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2 and "cannot write the build to" in err and "Not a directory" in err
    assert "Traceback" not in err


def test_an_invalid_hubs_file_is_one_clear_message_and_exit_2(
    fixture_inputs: Inputs, tmp_path: Path, capsys
) -> None:  # type: ignore[no-untyped-def]
    fixture_inputs.hubs.write_text('{"type": "FeatureCollection", "features": [', encoding="utf-8")
    code = main([*_cli_inputs(fixture_inputs), "build", "--out", str(tmp_path / "build")])
    err = capsys.readouterr().err
    assert code == 2 and "hubs.geojson" in err and "Traceback" not in err
    assert not (tmp_path / "build").exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [("build_info.json", b'{"built": "2025'), (GPKG_NAME, b"not a geopackage")],
)
def test_a_corrupt_build_file_refuses_to_serve_with_one_message(
    fixture_inputs: Inputs, tmp_path: Path, capsys, name: str, content: bytes
) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "build"
    build(out, fixture_inputs)
    (out / name).write_bytes(content)
    code = main(["serve", "--build-dir", str(out), "--port", "9"])  # fails before binding
    err = capsys.readouterr().err
    assert code == 2 and name in err and "Traceback" not in err


def _wait_for_reload(app) -> None:  # type: ignore[no-untyped-def]
    watcher = app.extensions["innovation_map_watcher"]
    deadline = time.monotonic() + 60
    while watcher.loading and time.monotonic() < deadline:
        time.sleep(0.05)


def test_a_running_app_switches_to_a_new_build_without_failing_health(
    fixture_inputs: Inputs, tmp_path: Path
) -> None:
    out = tmp_path / "build"
    build(out, fixture_inputs)
    app = create_app({"BUILD_DIR": out, "BUILD_CHECK_S": 0, "RUN_DIR": tmp_path / "run"})
    client = app.test_client()
    first = app.extensions["innovation_map"].build_stamp
    etag = client.get("/places.json").headers["ETag"]
    time.sleep(1.1)  # a new "built" second: a different build
    build(out, fixture_inputs)
    response = client.get("/healthz")
    assert response.status_code == 200  # reloading: the previous build is served whole
    _wait_for_reload(app)
    assert app.extensions["innovation_map"].build_stamp != first
    assert client.get("/healthz").status_code == 200
    fresh = client.get("/places.json", headers={"If-None-Match": etag})
    assert fresh.status_code == 200 and fresh.headers["ETag"] != etag  # caches follow the build
    built = json.loads((out / "build_info.json").read_text(encoding="utf-8"))["built"]
    assert client.get("/api/metadata.json").get_json()["built"] == built


def test_a_build_changed_in_place_is_noticed_by_its_content(
    fixture_inputs: Inputs, tmp_path: Path
) -> None:
    out = tmp_path / "build"
    build(out, fixture_inputs)
    app = create_app({"BUILD_DIR": out, "RUN_DIR": tmp_path / "run"})
    client = app.test_client()
    assert client.get("/healthz").status_code == 200
    gpkg = out / GPKG_NAME
    stat = gpkg.stat()
    with gpkg.open("r+b") as fh:  # flip bytes in the middle, keep size and date
        fh.seek(stat.st_size // 2)
        fh.write(b"\0" * 64)
    import os

    os.utime(gpkg, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert "differs" in response.get_json()["error"]
