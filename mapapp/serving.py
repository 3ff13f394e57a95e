"""Production serving: compression, HTTP caching, and the gunicorn entry point.

Everything a response contains is a function of the build (loaded once, read-only) and the
request URL, so a build-wide ETag is exact: a client holding one gets 304 before any work is
done. Vendored assets live in versioned folders (``leaflet@1.9.3``) and never change: they are
cached for a year as immutable. Responses are compressed with brotli or gzip (flask-compress);
compressed bodies of the most requested URLs are kept in a small in-memory LRU.
"""

from __future__ import annotations

import hashlib
import os
from collections import OrderedDict
from typing import Any

from flask import Flask, Response, request
from flask_compress import Compress

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


def representation_key(req: Any) -> str:
    """Return what a response depends on besides the build: the URL, and for /ogc the Accept."""
    if req.path.startswith("/ogc") and "f=" not in req.query_string.decode():
        return f"{req.full_path}|{req.headers.get('Accept', '')}"
    return str(req.full_path)


def build_etag(build_id: str, key: str) -> str:
    """Return the ETag of one representation of one build."""
    return hashlib.sha1(f"{build_id}\n{key}".encode()).hexdigest()[:20]


def configure(app: Flask, build_id: str) -> None:
    """Add compression, ETags, 304s and Cache-Control to ``app``."""
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    app.config.setdefault("COMPRESS_MIMETYPES", COMPRESSED_TYPES)
    app.config.setdefault("COMPRESS_MIN_SIZE", 512)
    app.config.setdefault("COMPRESS_BR_LEVEL", 5)
    app.config.setdefault("COMPRESS_CACHE_BACKEND", LRUCache)
    app.config.setdefault("COMPRESS_CACHE_KEY", representation_key)
    # A byte range (206) is streamed and must reach the client as the bytes asked for.
    app.config.setdefault("COMPRESS_STREAMS", False)
    Compress(app)

    def cacheable() -> bool:
        return (
            request.method in ("GET", "HEAD")
            and request.path not in _NO_CACHE_PATHS
            and "Range" not in request.headers
        )

    @app.before_request
    def not_modified() -> Response | None:
        if not cacheable() or request.path.startswith("/static/"):
            return None
        etag = build_etag(build_id, representation_key(request))
        # flask-compress adds ":br" / ":gzip" to the ETag of a compressed variant.
        sent = {t.split(":")[0] for t in request.if_none_match.as_set()}
        if etag in sent:
            response = Response(status=304)
            response.set_etag(etag)
            response.headers["Cache-Control"] = f"public, max-age={MAX_AGE}"
            return response
        return None

    # Every page and data response is a pure function of the build and the URL (and for /ogc
    # the Accept header): keep the most requested ones, so a repeat costs what a static file
    # costs (docs/benchmarks.md). Bounded by entries and size; per worker.
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
        elif not cacheable() or response.status_code != 200:
            response.headers["Cache-Control"] = "no-store"
        elif response.status_code == 200:
            responses.put(representation_key(request), response)
            response.set_etag(build_etag(build_id, representation_key(request)))
            if request.path.startswith("/ogc"):
                response.vary.add("Accept")
            response.headers["Cache-Control"] = f"public, max-age={MAX_AGE}"
        return response


def gunicorn_options(host: str, port: int, workers: int, threads: int) -> dict[str, Any]:
    """Return gunicorn settings: preloaded app (the build is loaded once, then forked)."""
    return {
        "bind": f"{host}:{port}",
        "workers": workers,
        "worker_class": "gthread",
        "threads": threads,
        "preload_app": True,
        "accesslog": "-",
        "timeout": 120,  # a PNG render may take a while
        "graceful_timeout": 20,
    }


def run_gunicorn(app: Flask, options: dict[str, Any]) -> None:
    """Serve ``app`` with gunicorn in this process (``innovation-map serve --prod``)."""
    from gunicorn.app.base import BaseApplication

    class _Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> Flask:
            return app

    _Server().run()


def default_workers() -> int:
    """Return 2 × CPUs + 1, gunicorn's own advice."""
    return 2 * (os.cpu_count() or 1) + 1
