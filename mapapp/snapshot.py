"""PNG and PDF of a map view: headless Chromium screenshots or prints the offline HTML file.

The file is self-contained, so the browser needs no server and no network (it is also pointed
at a dead proxy, so nothing can leave the machine). Where no Chromium is installed,
:func:`layers.static_map.static_png` draws a simplified map with matplotlib instead.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from mapapp.errors import MapAppError

log = logging.getLogger(__name__)

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "chrome")
MAX_PIXELS = 4000 * 4000  # width × height × scale²: larger is refused (memory)
TIMEOUT_S = 90


def find_browser() -> str | None:
    """Return the path of a Chromium-family browser, or None."""
    return next((p for p in map(shutil.which, BROWSERS) if p), None)


def check_size(width: int, height: int, scale: float) -> None:
    """Refuse sizes a slide never needs and a server cannot afford (400 naming the parameter)."""
    for name, value, low, high in (("width", width, 200, 4000), ("height", height, 200, 4000)):
        if not low <= value <= high:
            raise MapAppError(400, f"{name}: must be from {low} to {high} pixels")
    if scale not in (1, 1.5, 2, 3):
        raise MapAppError(400, "scale: must be 1, 1.5, 2 or 3")
    if width * height * scale * scale > MAX_PIXELS:
        raise MapAppError(400, "scale: the image would be too large; lower scale or size")


def screenshot(
    html: str, *, width: int, height: int, scale: float, browser: str, tmp_dir: Path | None = None
) -> bytes:
    """Return a PNG of ``html`` rendered at width×height CSS pixels and ``scale``.

    Every file the browser writes (page, profile, its own temporary files) goes under
    ``tmp_dir`` (default: a new temporary folder), which the caller removes.
    """
    return _render(
        html, "png", width=width, height=height, scale=scale, browser=browser, tmp_dir=tmp_dir
    )


#: One page the size of the window, no margins, backgrounds printed: the PNG's layout on paper.
#: The body is pinned to that size too: the window headless Chromium lays out before printing
#: is not exactly the page, and the map (fitted and drawn for the screen layout) must not move.
_PRINT_CSS = (
    "<style>@page {{ size: {w}px {h}px; margin: 0; }} "
    "html, body {{ width: {w}px !important; height: {h}px !important; min-height: 0 !important; "
    "overflow: hidden; }} "
    "* {{ -webkit-print-color-adjust: exact; print-color-adjust: exact; }}</style>"
)


def print_pdf(
    html: str, *, width: int, height: int, browser: str, tmp_dir: Path | None = None
) -> bytes:
    """Return a one-page PDF of ``html`` laid out at width×height CSS pixels (vector, text kept).

    The same browser, flags and limits as :func:`screenshot`; the page is the window's size.
    """
    page = html.replace("</head>", _PRINT_CSS.format(w=width, h=height) + "</head>", 1)
    return _render(
        page, "pdf", width=width, height=height, scale=1, browser=browser, tmp_dir=tmp_dir
    )


def _render(
    html: str,
    fmt: str,
    *,
    width: int,
    height: int,
    scale: float,
    browser: str,
    tmp_dir: Path | None,
) -> bytes:
    if tmp_dir is None:
        with tempfile.TemporaryDirectory(prefix="innovation-map-png-") as tmp:
            return _render(
                html,
                fmt,
                width=width,
                height=height,
                scale=scale,
                browser=browser,
                tmp_dir=Path(tmp),
            )
    page = tmp_dir / "map.html"
    page.write_text(html, encoding="utf-8")
    out = tmp_dir / f"map.{fmt}"
    output = (
        [f"--screenshot={out}"]
        if fmt == "png"
        else [f"--print-to-pdf={out}", "--no-pdf-header-footer"]
    )
    command = [
        browser,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",  # /dev/shm may be small; files go under tmp_dir instead
        "--proxy-server=127.0.0.1:9",  # a dead proxy: nothing can leave the machine
        f"--user-data-dir={tmp_dir / 'profile'}",
        "--hide-scrollbars",
        f"--window-size={width},{height}",
        f"--force-device-scale-factor={scale}",
        "--virtual-time-budget=8000",
        *output,
        page.resolve().as_uri(),  # a relative run folder still gives a file: URL
    ]
    env = {**os.environ, "TMPDIR": str(tmp_dir), "HOME": str(tmp_dir)}
    # Its own process group (killed whole on a timeout), at low priority: a render must not
    # slow the pages other people are waiting for.
    nice = shutil.which("nice")
    with (tmp_dir / "browser.log").open("wb") as browser_log:
        proc = subprocess.Popen(
            [nice, "-n", "10", *command] if nice else command,
            stdout=browser_log,
            stderr=browser_log,
            env=env,
            start_new_session=True,
        )
    try:
        proc.wait(timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        raise MapAppError(503, "the browser took too long to render / 渲染超时") from None
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)  # helpers left behind, if any
        proc.wait()
    if not out.exists():
        said = (tmp_dir / "browser.log").read_bytes()[-2000:].decode("utf-8", "replace")
        log.warning("the browser made no %s (exit %s): %s", fmt, proc.returncode, said)
        raise MapAppError(503, "the browser could not render the map / 浏览器渲染失败")
    return out.read_bytes()
