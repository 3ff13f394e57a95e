"""One self-contained HTML file of the map: every script, style, font and icon inlined.

The file opens from ``file://`` with the network off (for slides, e-mail, archives). Its view
(layers, filters, centre, zoom …) travels inside it as ``#im-state`` because a file has no
query string to read.
"""

from __future__ import annotations

import base64
import mimetypes
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from layers.assets import DEFAULT_PREFIX, VENDOR_DIR, AssetError, external_refs
from layers.ui import json_for_script

_SCRIPT = re.compile(r'<script src="(?P<src>[^"]+)"></script>')
_STYLESHEET = re.compile(r'<link rel="stylesheet" href="(?P<href>[^"]+)"\s*/?>')
_CSS_URL = re.compile(r"url\((?P<q>['\"]?)(?P<url>[^)'\"]+)(?P=q)\)")
# Font Awesome lists a TrueType fallback after each WOFF2; every browser that runs the map reads
# WOFF2, so the fallbacks are dropped instead of inlined (saves ~1 MB).
_TTF_FALLBACK = re.compile(r""",\s*url\([^)]*\.ttf\)\s*format\(["']truetype["']\)""")


def _local_file(url: str, prefix: str, vendor_dir: Path) -> Path:
    if not url.startswith(prefix + "/"):
        raise AssetError(f"cannot inline {url!r}: not a vendored asset under {prefix}")
    path = (vendor_dir / url[len(prefix) + 1 :]).resolve()
    if vendor_dir.resolve() not in path.parents or not path.is_file():
        raise AssetError(f"cannot inline {url!r}: {path} is missing")
    return path


def _data_uri(path: Path) -> str:
    media = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if path.suffix == ".woff2":
        media = "font/woff2"
    return f"data:{media};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def _inline_css(css_path: Path) -> str:
    css = _TTF_FALLBACK.sub("", css_path.read_text(encoding="utf-8"))

    def repl(m: re.Match[str]) -> str:
        url = m.group("url").split("?")[0].split("#")[0]
        if url.startswith(("data:", "#")):
            return m.group(0)
        target = (css_path.parent / url).resolve()
        if not target.is_file():
            # A font or image the stylesheet names but the page never uses: leave it empty
            # rather than referring outside the file.
            return "url(data:,)"
        return f"url({_data_uri(target)})"

    return _CSS_URL.sub(repl, css)


def inline_html(
    html: str,
    *,
    query: str = "",
    embed: bool = False,
    slide: bool = False,
    prefix: str = DEFAULT_PREFIX,
    vendor_dir: Path = VENDOR_DIR,
    charts: Mapping[str, str] | None = None,
) -> str:
    """Return ``html`` (a localized map page) with every asset inlined and its view embedded.

    ``slide`` lays the page out for a slide or print (PNG, PDF): title band, map, legend column
    and source band, none covering another. ``charts`` (district → SVG, layers/charts.py)
    travel in the file for its district panel, which has no server to fetch them from.
    """

    def script(m: re.Match[str]) -> str:
        body = _local_file(m.group("src"), prefix, vendor_dir).read_text(encoding="utf-8")
        return "<script>" + body.replace("</script", "<\\/script") + "</script>"

    def style(m: re.Match[str]) -> str:
        css = _inline_css(_local_file(m.group("href"), prefix, vendor_dir))
        return "<style>" + css.replace("</style", "<\\/style") + "</style>"

    external = external_refs(html)
    if external:
        raise AssetError(f"the page loads assets from other hosts: {external[:3]}")
    out = _SCRIPT.sub(script, html)
    out = _STYLESHEET.sub(style, out)
    preset: dict[str, Any] = {"query": query.lstrip("?"), "embed": embed, "slide": slide}
    if charts:
        preset["charts"] = dict(charts)
    state = json_for_script(preset)
    out = out.replace(
        "</body>", f'<script type="application/json" id="im-state">{state}</script>\n</body>', 1
    )
    # Every asset is now inside the file (a link in Leaflet's attribution is not a load).
    left = re.findall(r'(?:src|href)="(/static/[^"]+)"', out) + re.findall(
        r"url\((?:https?:)?//", out
    )
    if left:
        raise AssetError(f"the offline file still refers to {left[:3]}")
    return out
