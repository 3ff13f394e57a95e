"""Real-browser fixtures: the app on 127.0.0.1, Debian's Chromium, every other host blocked.

One rule for a machine without Chromium: the browser tests are skipped, with the command that
installs it, except in CI (``CI=true``), where they fail, so CI never passes without them.
"""

from __future__ import annotations

import os
import re
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from buildcache import Built
from playwright.sync_api import Browser, BrowserContext, Page, Route, sync_playwright
from werkzeug.serving import make_server

from mapapp import create_app

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@dataclass
class PageLog:
    """What a page did: console errors, page errors, and requests to other hosts (blocked)."""

    errors: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)


MISSING = "Chromium is missing: apt-get install -y chromium fonts-wqy-microhei (see .ci/run)"


def require_chromium() -> str:
    """Return Chromium's path; without it, skip the test, or fail it when ``CI=true``."""
    if Path(CHROMIUM).exists():
        return CHROMIUM
    if os.environ.get("CI", "").strip().lower() == "true":
        pytest.fail(f"{MISSING}; CI=true, so the browser tests must run")
    pytest.skip(MISSING)


def serve(build_dir: Path) -> Iterator[str]:
    """Serve the app on a build at a free loopback port; yield its base URL."""
    server = make_server("127.0.0.1", 0, create_app({"BUILD_DIR": build_dir}), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def base_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """The app over the session's build of the shipped data/ (shared with tests/geo/)."""
    require_chromium()  # no build either when no browser will open it
    shipped: Built = request.getfixturevalue("shipped_build")
    yield from serve(shipped.dir)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    executable = require_chromium()
    with sync_playwright() as p:
        yield p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)


class Contexts:
    """Browser contexts kept open for the session, one per set of context options.

    A fresh context costs about 1.5 CPU-seconds (a new renderer that loads its fonts again), a
    page in an open one a tenth of that, so tests open pages, not contexts. Pages of one
    context share only the HTTP cache: the app keeps no cookies or storage. A page's viewport
    is its own. Tests that count requests make their own context.
    """

    def __init__(self, browser: Browser) -> None:
        self._browser = browser
        self._open: dict[tuple[tuple[str, object], ...], BrowserContext] = {}

    def context(self, **options: object) -> BrowserContext:
        """The shared context with these options (``bypass_csp``, ``is_mobile`` …)."""
        key = tuple(sorted(options.items()))
        if key not in self._open:
            self._open[key] = self._browser.new_context(
                viewport={"width": 1280, "height": 800},
                **options,  # type: ignore[arg-type]
            )
        return self._open[key]

    def page(self, width: int = 1280, height: int = 800, **options: object) -> Page:
        """A new page of ``width``×``height`` CSS pixels; the caller closes it."""
        page = self.context(**options).new_page()
        page.set_viewport_size({"width": width, "height": height})
        page.set_default_timeout(10_000)
        return page

    def close(self) -> None:
        for context in self._open.values():
            context.close()


@pytest.fixture(scope="session")
def contexts(browser: Browser) -> Iterator[Contexts]:
    shared = Contexts(browser)
    yield shared
    shared.close()


@pytest.fixture(scope="session")
def desktop(contexts: Contexts) -> BrowserContext:
    """The shared 1280×800 context for the session's ordinary pages."""
    return contexts.context()


def new_page(context: BrowserContext, base_url: str) -> tuple[Page, PageLog]:
    """A page in ``context`` that logs errors and blocks (and logs) every other host."""
    page = context.new_page()
    page.set_default_timeout(10_000)
    log = PageLog()
    page.on("console", lambda msg: log.errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: log.errors.append(str(exc)))

    def guard(route: Route) -> None:
        if route.request.url.startswith(base_url):
            route.continue_()
        else:
            log.external.append(route.request.url)
            route.abort()

    # Only URLs outside the app reach Python (the pattern is matched in the driver): the app's
    # own requests, a dozen per page load, are not sent back and forth.
    page.route(re.compile("^(?!" + re.escape(base_url + "/") + ")"), guard)
    return page, log


@pytest.fixture
def page(desktop: BrowserContext, base_url: str) -> Iterator[tuple[Page, PageLog]]:
    page, log = new_page(desktop, base_url)
    yield page, log
    page.close()
