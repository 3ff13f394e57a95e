"""What the map page's HTML is made of: each embedded blob's size, raw and gzip.

Usage: ``python benchmarks/page_parts.py [--build-dir DIR] [--path /?lang=en]`` (needs a
build). Fetches the page from the app in-process and splits it into the page data
(``#im-data``, one row per top-level key, and per key of ``carto``), folium's GeoJSON
layers, the bundled script, the stylesheet and the rest. For each part: its raw bytes, its
own gzip size (level 6), and what removing it saves from the gzip of the whole page (the
honest measure: parts compress against each other). A benchmark, not a test.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from geo import settings  # noqa: E402
from mapapp import create_app  # noqa: E402

_DATA = re.compile(r'(<script type="application/json" id="im-data">)(.*?)(</script>)', re.S)
_GEOJSON_ADD = re.compile(r"(geo_json_\w+)_add\((\{.*?\})\);\n", re.S)
_STYLE = re.compile(r"<style>.*?</style>", re.S)
# layers/bundle.py: one function scope, minified or not, ending before folium's own code.
_BUNDLE = re.compile(r"\(function ?\(\) ?\{\n?'use strict';.*?\}\)\(\);", re.S)


def gz(text: str) -> int:
    """Return the gzip size (level 6, as a compressing server sends it) of ``text``."""
    return len(gzip.compress(text.encode("utf-8"), compresslevel=6))


def parts(html: str) -> list[tuple[str, str]]:
    """Return (name, text) of every part worth a row; the text occurs once in ``html``."""
    out: list[tuple[str, str]] = []
    m = _DATA.search(html)
    if m:
        data = json.loads(m.group(2))
        for key, value in data.items():
            if key == "carto" and isinstance(value, dict):
                for sub, sub_value in value.items():
                    out.append((f"im-data carto.{sub}", json.dumps(sub_value, ensure_ascii=False)))
            else:
                out.append((f"im-data {key}", json.dumps(value, ensure_ascii=False)))
    names = {}
    if m:
        data = json.loads(m.group(2))
        names = {v: k for k, v in data.get("vars", {}).items()}
    for g in _GEOJSON_ADD.finditer(html):
        out.append((f"folium GeoJSON {names.get(g.group(1), g.group(1))}", g.group(2)))
    m = _BUNDLE.search(html)
    if m:
        out.append(("bundled script", m.group(0)))
    for s in _STYLE.finditer(html):
        if len(s.group(0)) > 1000:
            out.append(("stylesheet (map_ui.css)", s.group(0)))
    return out


def without(html: str, name: str, text: str) -> str:
    """Return ``html`` without the part (page data keys are removed from the JSON)."""
    if name.startswith("im-data "):
        m = _DATA.search(html)
        assert m is not None
        data = json.loads(m.group(2))
        key = name.removeprefix("im-data ")
        if key.startswith("carto."):
            data["carto"].pop(key.removeprefix("carto."))
        else:
            data.pop(key)
        blob = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        return html[: m.start(2)] + blob + html[m.end(2) :]
    return html.replace(text, "", 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--build-dir", type=Path, default=settings.BUILD_DIR)
    parser.add_argument("--path", default="/?lang=en")
    args = parser.parse_args()
    html = create_app({"BUILD_DIR": args.build_dir}).test_client().get(args.path).text
    whole = gz(html)
    m = _DATA.search(html)
    # The page data as written (compact JSON): the reference for removing one of its keys.
    if m:
        data = json.loads(m.group(2))
        compact = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        whole_compact = gz(html[: m.start(2)] + compact + html[m.end(2) :])
    else:
        whole_compact = whole
    rows = []
    for name, text in parts(html):
        base = whole_compact if name.startswith("im-data ") else whole
        saved = base - gz(without(html, name, text))
        rows.append((name, len(text.encode("utf-8")), gz(text), saved))
    rows.sort(key=lambda r: -r[3])
    print(f"Page {args.path}: {len(html.encode('utf-8')):,} bytes raw, {whole:,} gzip\n")
    print("| part | raw bytes | gzip alone | removing it saves (gzip) |")
    print("|---|---:|---:|---:|")
    for name, raw, alone, saved in rows:
        print(f"| {name} | {raw:,} | {alone:,} | {saved:,} |")


if __name__ == "__main__":
    main()
