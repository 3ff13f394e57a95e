"""Production serving: compression, HTTP caching, and the gunicorn entry point.

Everything a response contains is a function of the build (loaded once, read-only) and the
request URL, so a build-wide ETag is exact: a client holding one gets 304 before any work is
done. Vendored assets live in versioned folders (``leaflet@1.9.3``) and never change: they are
cached for a year as immutable. Responses are compressed with brotli or gzip (flask-compress);
compressed bodies of the most requested URLs are kept in a small in-memory LRU.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import logging
import os
import shutil
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask, Response, current_app, request
from flask_compress import Compress

from mapapp.core import BUILD_FILES
from mapapp.pages import MAP_DATA

log = logging.getLogger(__name__)

#: Seconds browsers and proxies may reuse a page or data response without asking again.
MAX_AGE = 300
IMMUTABLE = "public, max-age=31536000, immutable"
COMPRESSED_TYPES = [
    "text/html",
    "text/css",
    "text/csv",
    "text/javascript",
    "application/javascript",
    "application/json",
    "application/geo+json",
    "application/vnd.oai.openapi+json",
    "application/vnd.google-earth.kml+xml",
    "image/svg+xml",
]
_NO_CACHE_PATHS = ("/healthz",)


class LRUCache:
    """The cache flask-compress asks for (get/set), bounded by entries, entry size and total."""

    def __init__(
        self, entries: int = 128, max_bytes: int = 4_000_000, max_total: int = 64_000_000
    ) -> None:
        self._data: OrderedDict[str, bytes] = OrderedDict()
        self.entries = entries
        self.max_bytes = max_bytes
        self.max_total = max_total
        self._total = 0

    def get(self, key: str) -> bytes | None:
        """Return the cached body, or None."""
        value = self._data.get(key)
        if value is not None:
            self._data.move_to_end(key)
        return value

    def set(self, key: str, value: bytes) -> None:
        """Keep ``value`` unless it is too large; drop the least recently used beyond the bound."""
        if len(value) > self.max_bytes:
            return
        if key in self._data:
            self._total -= len(self._data[key])
        self._data[key] = value
        self._total += len(value)
        self._data.move_to_end(key)
        while len(self._data) > self.entries or self._total > self.max_total:
            _, dropped = self._data.popitem(last=False)
            self._total -= len(dropped)


class ResponseCache:
    """Uncompressed 200 responses by representation key: body, status and headers, bounded."""

    _KEPT_HEADERS = ("Content-Type", "Content-Disposition", "Link", "X-Rendered-By")

    def __init__(self, entries: int, max_bytes: int) -> None:
        self._store = LRUCache(entries, max_bytes)
        self._headers: dict[str, list[tuple[str, str]]] = {}

    def get(self, key: str) -> Response | None:
        """Return a fresh Response for ``key``, or None."""
        body = self._store.get(key)
        if body is None or key not in self._headers:
            return None
        return Response(body, status=200, headers=self._headers[key])

    def put(self, key: str, response: Response) -> None:
        """Keep a copy of ``response`` (never a streamed or already compressed one)."""
        if (
            response.is_streamed
            or response.direct_passthrough
            or "Content-Encoding" in response.headers
        ):
            return
        self._store.set(key, response.get_data())
        self._headers[key] = [
            (k, v) for k, v in response.headers.items() if k in self._KEPT_HEADERS
        ]
        if len(self._headers) > 4 * self._store.entries:  # forget headers of evicted bodies
            self._headers = {
                k: v for k, v in self._headers.items() if self._store.get(k) is not None
            }


def negotiated_encoding(accept_encoding: str, offered: tuple[str, ...] = ("br", "gzip")) -> str:
    """Return the coding to send ("br", "gzip" or "identity") for an Accept-Encoding header.

    RFC 9110 §12.5.3: a coding with ``q=0`` is refused, ``*`` stands for every coding not
    named, and among equal weights the server's order decides (brotli first).
    """
    weights: dict[str, float] = {}
    for part in accept_encoding.lower().split(","):
        name, _, params = part.partition(";")
        name = name.strip()
        if not name:
            continue
        weight = 1.0
        for param in params.split(";"):
            key, _, value = param.partition("=")
            if key.strip() == "q":
                try:
                    weight = min(max(float(value.strip()), 0.0), 1.0)
                except ValueError:
                    weight = 0.0  # a malformed weight is not a yes
        weights[name] = weight
    star = weights.get("*")
    best, best_weight = "identity", 0.0
    for coding in offered:
        weight = weights.get(coding, star if star is not None else 0.0)
        if weight > best_weight:
            best, best_weight = coding, weight
    return best


def representation_key(req: Any) -> str:
    """Return what a response depends on besides the build and the code.

    The method (an OPTIONS or HEAD answer has no body: it must never be the cached body of a
    GET); the URL with the path the app is mounted under (its links start with it); the scheme
    and host when links are built from the request (no PUBLIC_URL: the host is one of the
    trusted ones); for /ogc the negotiated format (``f`` or Accept).
    """
    key = f"{req.method} {req.script_root}{req.full_path}"
    if not current_app.config.get("PUBLIC_URL"):
        key = f"{req.scheme}://{req.host}{key}"
    if req.path.startswith("/ogc"):
        from mapapp.routes.ogc import wants_html

        key += "|html" if wants_html() else "|json"
    return f"{_build_id()}|{key}"


def _build_id() -> str:
    state = current_app.extensions.get("innovation_map")
    return str(getattr(state, "build_id", ""))


def build_etag(key: str) -> str:
    """Return the ETag of one representation (the key names the build)."""
    return hashlib.sha1(key.encode()).hexdigest()[:20]


def _matches(etag: str) -> bool:
    """Tell whether If-None-Match names ``etag`` (weak comparison, RFC 9110 §13.1.2)."""
    header = request.if_none_match
    if header.star_tag:
        return True
    # flask-compress adds ":br" / ":gzip" to the ETag of a compressed variant.
    sent = {t.split(":")[0] for t in header.as_set(include_weak=True)}
    return etag in sent


def configure(app: Flask) -> None:
    """Add compression, ETags, 304s and Cache-Control to ``app``."""
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    app.config.setdefault("COMPRESS_MIMETYPES", COMPRESSED_TYPES)
    app.config.setdefault("COMPRESS_MIN_SIZE", 512)
    app.config.setdefault("COMPRESS_BR_LEVEL", 5)
    app.config.setdefault("COMPRESS_CACHE_BACKEND", LRUCache)
    app.config.setdefault("COMPRESS_CACHE_KEY", representation_key)

    # flask-compress picks a coding even when the client gave it q=0 ("br;q=0"): decide here,
    # and hand it a one-word header it cannot misread.
    @app.before_request
    def choose_encoding() -> None:
        raw = request.environ.get("HTTP_ACCEPT_ENCODING")
        if raw is not None:
            request.environ["HTTP_ACCEPT_ENCODING"] = negotiated_encoding(raw)

    # A byte range (206) is streamed and must reach the client as the bytes asked for.
    app.config.setdefault("COMPRESS_STREAMS", False)
    Compress(app)

    def cacheable() -> bool:
        # A request that routing refused (an untrusted Host, an unknown path) gets its error,
        # never a cached answer or a 304.
        return (
            request.method in ("GET", "HEAD")
            and request.path not in _NO_CACHE_PATHS
            and request.routing_exception is None
            and "Range" not in request.headers
        )

    def caching_headers(response: Response) -> None:
        # The same on a 200 and on its 304 (RFC 9110 §15.4.5). The map page's lazy parts are
        # named by their content's hash (mapapp/pages.py): a name never changes its bytes.
        if request.path.startswith(MAP_DATA):
            response.headers["Cache-Control"] = IMMUTABLE
        else:
            response.headers["Cache-Control"] = f"public, max-age={MAX_AGE}"
        if request.path.startswith("/ogc"):
            response.vary.add("Accept")

    @app.before_request
    def not_modified() -> Response | None:
        if not cacheable() or request.path.startswith("/static/"):
            return None
        etag = build_etag(representation_key(request))
        if _matches(etag):
            response = Response(status=304)
            response.set_etag(etag)
            caching_headers(response)
            return response
        return None

    # Every page and data response is a pure function of the build and its representation key:
    # keep the most requested ones, so a repeat costs what a static file costs
    # (docs/benchmarks.md). Bounded by entries and size; per worker.
    responses = ResponseCache(entries=256, max_bytes=5_000_000)

    @app.before_request
    def cached_response() -> Response | None:
        if not cacheable() or request.path.startswith("/static/"):
            return None
        return responses.get(representation_key(request))

    # Registered after Compress(app): Flask runs after_request handlers last-registered first,
    # so this sets the ETag before flask-compress compresses and suffixes it.
    @app.after_request
    def cache_headers(response: Response) -> Response:
        if request.path.startswith("/static/vendor/") and response.status_code in (200, 304):
            response.headers["Cache-Control"] = IMMUTABLE
            if response.status_code == 200:
                # send_file streams the file; buffer it (≤ 150 KB) so flask-compress compresses
                # it once and keeps it in its cache.
                response.direct_passthrough = False
                stream = response.response
                body = response.get_data()
                if hasattr(stream, "close"):
                    stream.close()  # the file send_file opened
                response.set_data(body)
        elif cacheable() and response.status_code == 304:
            caching_headers(response)
        elif not cacheable() or response.status_code != 200:
            response.headers["Cache-Control"] = "no-store"
        else:
            key = representation_key(request)
            responses.put(key, response)
            response.set_etag(build_etag(key))
            caching_headers(response)
        return response


class BuildWatcher:
    """Notice a new build (``innovation-map build`` switches the folder) and load it in the worker.

    A ``stat`` of the build's files, at most every ``every`` seconds, is all a request pays.
    When they change, a thread loads the new build while requests are still answered from the
    previous one, then swaps it in at once: workers change builds one by one, by themselves,
    and none stops answering (docs/benchmarks.md, "A rebuild under load").
    """

    def __init__(self, app: Flask, load: Callable[[], Any], *, every: float) -> None:
        self.app = app
        self.load = load
        self.every = every
        self.loading = False
        self.failed: str | None = None
        self._next = 0.0
        self._lock = threading.Lock()
        self._signature = self._look()
        app.before_request(self.check)

    def _look(self) -> tuple[int, ...] | None:
        state = self.app.extensions["innovation_map"]
        try:
            stats = [os.stat(state.build_dir / name) for name in BUILD_FILES]
        except OSError:
            return None
        return tuple(v for st in stats for v in (st.st_ino, st.st_size, st.st_mtime_ns))

    def check(self, *, force: bool = False) -> None:
        """Start loading the build on disk if it is not the one looked at last."""
        now = time.monotonic()
        if not force and now < self._next:
            return
        self._next = now + self.every
        signature = self._look()
        if signature is None or signature == self._signature:
            return
        with self._lock:
            if self.loading:
                return
            self.loading = True
            self._signature = signature
        threading.Thread(target=self._reload, name="build-reload", daemon=True).start()

    def _reload(self) -> None:
        # Low priority (Linux: per thread), and one worker of the machine at a time (a lock in
        # the run folder): loading renders the map pages, seconds of CPU, and requests must
        # keep getting answers meanwhile.
        with contextlib.suppress(OSError, AttributeError):
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)
        lock = None
        try:
            run_dir = Path(self.app.config["RUN_DIR"])
            lock = (run_dir / "reload.lock").open("ab")
            fcntl.flock(lock, fcntl.LOCK_EX)
        except OSError:
            pass  # no run folder: reload anyway
        try:
            state = self.load()
            if state.build_stamp != self.app.extensions["innovation_map"].build_stamp:
                self.app.extensions["innovation_map"] = state
                log.info("now serving build %s", state.build_stamp)
            self.failed = None
        except Exception as exc:  # keep serving the previous build, say why in /healthz
            log.exception("cannot load the new build; still serving the previous one")
            self.failed = str(exc)
            self._signature = None  # look again (a half-copied build may be complete later)
        finally:
            self.loading = False
            if lock is not None:
                lock.close()


def gunicorn_options(
    bind: str, workers: int, threads: int, *, control_dir: Path | None = None, quiet: bool = False
) -> dict[str, Any]:
    """Return gunicorn settings: preloaded app (the build is loaded once, then forked).

    gunicorn never believes forwarding headers itself (not even from loopback or its Unix
    socket): the app's PROXIES setting (werkzeug ProxyFix) decides. Its control socket is this
    instance's own (in ``control_dir``), or none: the shared default would be taken over by
    whichever instance starts last.
    """
    options: dict[str, Any] = {
        "bind": bind,
        "workers": workers,
        "worker_class": "gthread",
        "threads": threads,
        "preload_app": True,
        "accesslog": None if quiet else "-",
        "timeout": 150,  # a PNG render may take a while (mapapp.snapshot.TIMEOUT_S + waiting)
        "graceful_timeout": 20,
        # The longest request line nginx passes on (large_client_header_buffers 8k): a long
        # filter URL is answered, not a 414 from gunicorn that nginx let through.
        "limit_request_line": 8190,
        "forwarded_allow_ips": "",
        "secure_scheme_headers": {},
        "forwarder_headers": "",
    }
    if control_dir is not None:
        options["control_socket"] = str(control_dir / "gunicorn.ctl")
    else:
        options["control_socket_disable"] = True
    return options


def run_gunicorn(app: Flask, options: dict[str, Any]) -> None:
    """Serve ``app`` with gunicorn in this process (``innovation-map serve --prod --no-nginx``)."""
    from gunicorn.app.base import BaseApplication

    class _Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            for key, value in options.items():
                if key in self.cfg.settings:  # older gunicorns lack the control socket
                    self.cfg.set(key, value)

        def load(self) -> Flask:
            return app

    _Server().run()


def run_behind_nginx(
    app: Flask, host: str, port: int, workers: int, threads: int, *, quiet: bool = False
) -> None:
    """Serve ``app``: nginx on host:port, gunicorn on a Unix socket; both stop together.

    nginx starts once gunicorn listens, and stops (gracefully) when gunicorn exits, on
    Ctrl-C or SIGTERM; if this process is killed outright, the kernel tells nginx to stop.
    """
    from mapapp import nginx

    stack = nginx.prepare(host, port, workers=min(2, os.cpu_count() or 1), access_log=not quiet)
    running: list[Any] = []
    try:
        nginx.check(stack)

        def when_ready(server: Any) -> None:
            os.chmod(stack.socket, 0o666)  # nginx's workers may run as another user
            running.append(nginx.start(stack))

        def on_exit(server: Any) -> None:
            for proc in running:
                nginx.stop(proc, stack)

        options = gunicorn_options(
            f"unix:{stack.socket}", workers, threads, control_dir=stack.dir, quiet=quiet
        )
        run_gunicorn(app, {**options, "when_ready": when_ready, "on_exit": on_exit})
    finally:
        for proc in running:
            nginx.stop(proc, stack)
        shutil.rmtree(stack.dir, ignore_errors=True)


def default_workers() -> int:
    """Return 2 × CPUs + 1, gunicorn's own advice."""
    return 2 * (os.cpu_count() or 1) + 1
