"""Expensive renders (a PNG through a browser) bounded per machine: slots, merging, a disk cache.

One Chromium render takes ~10 processes, ~0.5 GB and seconds of both cores, so:

- at most ``RENDER_SLOTS`` run at once on the machine, across every gunicorn worker: a slot is
  an ``fcntl.flock`` on a file in the run folder, released by the kernel when its holder dies;
- identical requests are merged: the second waits for the first (a lock per view) and is then
  answered from the cache;
- results are kept on disk by build and normalised view, bounded in bytes, oldest out first;
- a request that finds no free slot within ``RENDER_WAIT`` seconds gets 503 with Retry-After;
- browsers write only under ``<run>/render-tmp/png-<pid>-*`` (or, when the run folder is deep,
  ``$TMPDIR/innovation-map-render-<uid>/``: Chromium's socket path must stay short); folders
  of dead processes (a worker killed mid-render) are removed before every render and at start.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO

from flask import Flask

from geo.errors import GeoError
from mapapp.errors import MapAppError

#: Longest parent folder for browser temporary folders (see Renderer.__init__).
MAX_TMP_PARENT = 40
#: Seconds a busy client is asked to wait before trying again.
RETRY_AFTER_S = 10
_POLL_S = 0.05


class RenderBusyError(MapAppError):
    """Every render slot is taken: 503 with a Retry-After header."""

    def __init__(self) -> None:
        super().__init__(503, "the map renderer is busy; try again shortly / 渲染繁忙，请稍后再试")
        self.headers = {"Retry-After": str(RETRY_AFTER_S)}


def view_key(build_id: str, items: Iterable[tuple[str, str]]) -> str:
    """Return the cache key of a render: the build and the request's parameters, normalised.

    Order and repetition do not matter; empty values are the same as absent ones. Unknown
    parameters never get here (they are 400s).
    """
    canonical = sorted({(k, v.strip()) for k, v in items if v.strip()})
    text = build_id + "\n" + "\n".join(f"{k}={v}" for k, v in canonical)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale_temp(parent: Path) -> int:
    """Remove render folders (``png-<pid>-…``) whose process is gone; return how many."""
    removed = 0
    for folder in parent.glob("png-*"):
        try:
            pid = int(folder.name.split("-")[1])
        except (IndexError, ValueError):
            continue
        if not _pid_alive(pid):
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    return removed


class Renderer:
    """Run renders under a machine-wide limit, merging identical ones, caching results on disk."""

    def __init__(self, run_dir: Path, *, slots: int, wait: float, cache_bytes: int) -> None:
        self.slots = slots
        self.wait = wait
        self.cache_bytes = cache_bytes
        self.locks = run_dir / "render-locks"
        self.cache = run_dir / "render-cache"
        self.tmp = run_dir / "render-tmp"
        if len(str(self.tmp)) > MAX_TMP_PARENT:
            # Chromium puts a Unix socket in its temporary folder, and socket paths have at
            # most 107 bytes: a deep run folder would make every render fail.
            self.tmp = Path(tempfile.gettempdir()) / f"innovation-map-render-{os.getuid()}"
        try:
            for folder in (self.locks, self.cache, self.tmp):
                folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            msg = (
                f"cannot use the run folder {run_dir} ({exc.strerror}); "
                "point INNOVATION_MAP_RUN_DIR at a writable folder"
            )
            raise GeoError(msg) from None
        remove_stale_temp(self.tmp)

    def cached(self, key: str) -> tuple[bytes, str] | None:
        """Return a kept render (body, engine), or None."""
        for path in self.cache.glob(f"{key}.*.png"):
            with contextlib.suppress(OSError):
                body = path.read_bytes()
                os.utime(path)  # recently used: kept longer
                return body, path.name.split(".")[1]
        return None

    def render(
        self, key: str, make: Callable[[Path], tuple[bytes, str]], *, timeout: float = 120
    ) -> tuple[bytes, str]:
        """Return the render of ``key``: from the cache, after an identical one, or by ``make``.

        ``make`` gets a fresh temporary folder for its files. Raises RenderBusyError when no
        slot frees within the wait.
        """
        hit = self.cached(key)
        if hit:
            return hit
        # Identical requests wait for the first one (at most a render's time), then read its
        # result; they hold no slot while they wait.
        with _flock(self.locks / f"view-{key}.lock", self.wait + timeout):
            hit = self.cached(key)
            if hit:
                return hit
            with self._slot():
                remove_stale_temp(self.tmp)
                folder = Path(tempfile.mkdtemp(prefix=f"png-{os.getpid()}-", dir=self.tmp))
                try:
                    body, engine = make(folder)
                finally:
                    shutil.rmtree(folder, ignore_errors=True)
            self._keep(key, body, engine)
        return body, engine

    @contextlib.contextmanager
    def _slot(self) -> Iterator[None]:
        deadline = time.monotonic() + self.wait
        while True:
            for i in range(self.slots):
                handle = _try_lock(self.locks / f"slot-{i}.lock")
                if handle is not None:
                    try:
                        yield
                    finally:
                        handle.close()  # closing the file releases the lock
                    return
            if time.monotonic() >= deadline:
                raise RenderBusyError()
            time.sleep(_POLL_S)

    def _keep(self, key: str, body: bytes, engine: str) -> None:
        if len(body) > self.cache_bytes:
            return
        path = self.cache / f"{key}.{engine}.png"
        tmp = self.cache / f".{key}.{os.getpid()}.tmp"
        try:
            tmp.write_bytes(body)
            tmp.replace(path)
        except OSError:  # a full disk costs the cache, not the answer
            tmp.unlink(missing_ok=True)
            return
        files = []
        for p in self.cache.glob("*.png"):
            with contextlib.suppress(OSError):
                st = p.stat()
                files.append((st.st_mtime, st.st_size, p))
        total = sum(size for _, size, _ in files)
        for _, size, p in sorted(files, key=lambda f: f[0]):
            if total <= self.cache_bytes:
                break
            p.unlink(missing_ok=True)
            total -= size
        cutoff = time.time() - 3600
        for lock in self.locks.glob("view-*.lock"):
            with contextlib.suppress(OSError):
                if lock.stat().st_mtime < cutoff:
                    lock.unlink()


def _try_lock(path: Path) -> IO[bytes] | None:
    handle = path.open("ab")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        return None
    return handle


@contextlib.contextmanager
def _flock(path: Path, timeout: float) -> Iterator[None]:
    deadline = time.monotonic() + timeout
    while (handle := _try_lock(path)) is None:
        if time.monotonic() >= deadline:
            raise RenderBusyError()
        time.sleep(_POLL_S)
    try:
        yield
    finally:
        handle.close()


def configure(app: Flask) -> None:
    """Give ``app`` its renderer (``app.extensions["innovation_map_renders"]``)."""
    app.extensions["innovation_map_renders"] = Renderer(
        app.config["RUN_DIR"],
        slots=app.config["RENDER_SLOTS"],
        wait=app.config["RENDER_WAIT"],
        cache_bytes=app.config["RENDER_CACHE_MB"] * 1_000_000,
    )
