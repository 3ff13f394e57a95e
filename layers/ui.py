"""The map page's controls: search, filters, year, choropleth, district panel, basemaps, URL state.

Python prepares the data (one JSON blob in the page: every value a filter reads, computed here,
and one array of marker rows) and the HTML skeleton; the ES modules in ``static/js`` apply the
query's rules to it in the browser, on the Leaflet objects folium created. The modules are
bundled into one inline script (:mod:`layers.bundle`), so the page stays one self-contained
document (no extra request, works from ``file://``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from html import escape
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import rcssmin

from geo.compare import CHANGES, CODES, DEFAULT_CHANGES, change_codes, year_pairs
from geo.districts import DISTRICTS
from geo.formats import FORMATS
from geo.io import plain_records
from geo.query import place_search_keys, place_suggest_keys
from geo.vocab import STATUSES, layer_of, reports_from_metadata, status_by_year
from layers.basemaps import Basemap, basemap_options
from layers.bundle import page_script
from layers.cartography import CARTO_WORDS
from layers.i18n import CATEGORY_TITLES, UI_WORDS, WORDS, Lang, source_caption, text
from layers.popups import popup_html
from layers.specs import LayerSpec
from layers.style import PRECISION_BADGES, style_for

_STATIC = Path(__file__).with_name("static")
#: Choropleth metrics: every place, places per 100 km², or one category.
METRICS: tuple[str, ...] = ("all", "density", *CATEGORY_TITLES)
#: Words only the page's script uses ("{n}" is filled in by the script).
PAGE_WORDS: dict[str, dict[Lang, str]] = {
    "include_unplaced": {
        "zh": "包括 {n} 个未定位的地点（无坐标）",
        "en": "include {n} places without a point",
    },
    "without_point": {"zh": "未定位的地点", "en": "Without a point"},
    "bbox_filter": {"zh": "范围", "en": "Area"},
    "category": {"zh": "类别", "en": "Category"},
    "clear_filters": {"zh": "清除", "en": "Clear"},
    "active_filters": {"zh": "其他筛选条件", "en": "Other filters"},
    # The map's notice when the filters leave nothing to draw (static/js/main.js).
    "no_match": {"zh": "没有符合条件的地点", "en": "No places match these filters"},
    "clear_all_filters": {"zh": "清除筛选", "en": "Clear filters"},
    # A popup's text is loaded when the first popup opens (static/js/lazy.js).
    "loading": {"zh": "正在载入…", "en": "Loading…"},
    "load_failed": {"zh": "无法载入详情。", "en": "The details could not be loaded."},
    # Compare mode (geo/compare.py defines the changes).
    "more_results": {"zh": "还有 {n} 个结果", "en": "+{n} more"},
    "near_results": {"zh": "近似匹配", "en": "close match"},
    "compare": {"zh": "对比报告", "en": "Compare reports"},
    "compare_off": {"zh": "不对比", "en": "Off"},
    "change_new": {"zh": "新提及", "en": "Newly named"},
    "change_advanced": {"zh": "状态推进", "en": "Status advanced"},
    "change_dropped": {"zh": "不再提及", "en": "No longer named"},
    "change_unchanged": {"zh": "无变化", "en": "Unchanged"},
    "compare_shown": {"zh": "{a} → {b} 的变化", "en": "Change {a} → {b}"},
    "licence_text": {
        "zh": "数据：地点与引文来自公开的政府出版物，仅供参考引用；坐标由本项目整理（见精度与坐标来源）。",
        "en": "Data: places and quotes from public government publications, quoted for reference; "
        "coordinates curated by the project (see precision and coord_source).",
    },
}
#: Words of the caption of embeds and slides (static/js/embed.js fills in "{…}").
CAPTION_WORDS: dict[str, dict[Lang, str]] = {
    "cap_year": {"zh": "{y}年报告", "en": "{y} report"},
    "cap_years": {"zh": "{a}–{b}年报告", "en": "reports {a}–{b}"},
    "cap_metric": {"zh": "各区{m}", "en": "{m} per district"},
    "cap_shown": {"zh": "显示 {n} / {t} 个地点", "en": "{n} of {t} places shown"},
    "cap_layers": {"zh": "图层", "en": "Layers"},
    "cap_full_map": {"zh": "打开完整地图", "en": "Open the full map"},
}


@cache
def _static(name: str) -> str:
    """Return a stylesheet of ``static/``, minified (comments and spaces removed)."""
    css: str = rcssmin.cssmin((_STATIC / name).read_text(encoding="utf-8"))
    return css


def json_for_script(value: Any) -> str:
    """Return JSON that is safe inside a ``<script>`` element (no ``</script>``, no ``<!--``)."""
    raw = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return raw.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _place_entry(row: Mapping[str, Any], pairs: Sequence[tuple[int, int]] = ()) -> dict[str, Any]:
    """Return what the page knows of a place: every value its filters read, computed here.

    The script applies the query's rules to these values; it never derives them itself
    (layer, status per report year and search keys come from :mod:`geo.vocab` and
    :mod:`geo.query`, as :class:`geo.query.PlaceIndex` computes them for the server).
    """
    district = row.get("district_zh")
    return {
        "id": row["id"],
        "zh": row["name_zh"],
        "en": row["name_en"],
        "keys": place_search_keys(row),
        # Acronyms and short forms: the search box's suggestions only, never the q filter.
        "sk": place_suggest_keys(row),
        "cat": row["category"],
        "d": district if isinstance(district, str) else "",
        "years": [int(y) for y in row.get("years") or []],
        "tl": {str(y): s for y, s in status_by_year(row.get("timeline")).items()},
        "st": row.get("status") if isinstance(row.get("status"), str) else "",
        "layer": layer_of(str(row["category"]), bool(row["in_shanghai"])),
        # One change code per pair of report years (geo.compare.change_codes).
        "cmp": change_codes(row.get("timeline"), pairs),
    }


def _placed(row: Mapping[str, Any]) -> bool:
    geom = row["geometry"]
    return geom is not None and not geom.is_empty


def district_names() -> dict[str, str]:
    """Return every name :func:`geo.districts.district_by_name` accepts → the Chinese name.

    English names are lower case: the script looks a value up as given, then lower-cased.
    """
    out: dict[str, str] = {}
    for d in DISTRICTS:
        out.update({d.name_zh: d.name_zh, d.short_zh: d.name_zh, d.name_en.lower(): d.name_zh})
    return out


def ui_payload(
    places: gpd.GeoDataFrame,
    districts: gpd.GeoDataFrame,
    profiles: pd.DataFrame,
    *,
    lang: Lang,
    names: Mapping[str, str],
    specs: Iterable[LayerSpec],
    layer_vars: Mapping[str, str],
    choices: Sequence[Basemap],
    metadata: Mapping[str, Any],
    links: str,
    default_basemap: str = "none",
    aggregate_threshold: int = 2000,
    cluster_threshold: int = 12,
) -> dict[str, Any]:
    """Return the data the page's script needs (no polygons: those are in folium's layers).

    ``places`` hold every place; each with a point becomes one row of ``markers``
    (``[lat, lon, id, layer, precision]``), unless its layer has more than
    ``aggregate_threshold`` points (then folium draws counted cells and the place stays out of
    the page). A layer with more than ``cluster_threshold`` points is clustered.
    """
    records = plain_records(places)
    layer_sizes: dict[str, int] = {}
    for row in records:
        if _placed(row):
            layer = layer_of(str(row["category"]), bool(row["in_shanghai"]))
            layer_sizes[layer] = layer_sizes.get(layer, 0) + 1
    # Places of aggregated layers (drawn as counted cells) stay out of the page: the search
    # asks the server for them instead, so a huge city does not make a huge page.
    aggregated = {k for k, n in layer_sizes.items() if n > aggregate_threshold}
    place_names = {str(r["id"]): (str(r["name_zh"]), str(r["name_en"])) for r in records}
    children: dict[str, list[str]] = {}
    for row in records:
        if isinstance(row.get("parent_id"), str) and row["parent_id"]:
            children.setdefault(row["parent_id"], []).append(str(row["id"]))
    reports = reports_from_metadata(metadata)
    pairs = year_pairs([r.year for r in reports])
    cited = {r.id: (r.year, r.title_zh if lang == "zh" else r.title_en) for r in reports}
    entries: list[dict[str, Any]] = []
    markers: list[list[Any]] = []
    popups: dict[str, str] = {}
    for row in records:
        entry = _place_entry(row, pairs)
        if entry["layer"] in aggregated:
            continue
        if children.get(str(row["id"])):
            # How many places it contains: the search box lists a container before the places
            # in it when both match equally ("Zhangjiang" → Zhangjiang Science City first).
            entry["kids"] = len(children[str(row["id"])])
        entries.append(entry)
        if _placed(row):
            geom = row["geometry"]
            # Leaflet wants [lat, lon]; shapely gives x=lon, y=lat.
            markers.append([geom.y, geom.x, entry["id"], entry["layer"], row.get("precision")])
            popups[str(row["id"])] = popup_html(
                row,
                lang,
                place_names,
                children.get(str(row["id"]), ()),
                reports=cited,
                links=links,
            )
    years = sorted(
        {int(y) for y in profiles["year"]} | {int(y) for r in records for y in r.get("years") or []}
    )
    by_district: dict[str, list[dict[str, Any]]] = {}
    for p in profiles.sort_values(["year", "report"]).to_dict("records"):
        by_district.setdefault(str(p["district_zh"]), []).append(
            {
                "year": int(p["year"]),
                "report": p["report"],
                "line": int(p["line_start"]),
                "headline": p["headline"],
                "text": p["text"],
            }
        )
    return {
        "lang": lang,
        "vars": dict(names),
        "layers": [
            {
                "id": s.id,
                "var": layer_vars[s.id],
                "title": s.title(lang),
                "cluster": cluster_threshold < layer_sizes.get(s.id, 0) <= aggregate_threshold,
                "aggregated": s.id in aggregated,
            }
            for s in specs
        ],
        "places": entries,
        "markers": markers,
        "partial": bool(aggregated),  # some places are only reachable through the server
        "aggregated": sorted(aggregated),
        "popups": popups,  # escaped HTML, bound to each marker by the script
        "districts": [
            {
                "zh": d["name_zh"],
                "en": d["name_en"],
                "profiles": by_district.get(str(d["name_zh"]), []),
            }
            for d in districts.to_dict("records")
        ],
        "districtNames": district_names(),
        "years": years,
        "reports": {
            str(s["report"]): {
                "year": s.get("year"),
                "title": s.get(f"title_{lang}") or s["report"],
            }
            for s in metadata.get("sources", [])
            if isinstance(s, Mapping) and "report" in s
        },
        "statuses": {s: WORDS[s][lang] for s in STATUSES},
        "compare": {
            "pairs": [f"{a},{b}" for a, b in pairs],
            "codes": {c: CODES[c] for c in CHANGES},
            "default": list(DEFAULT_CHANGES),
        },
        "categories": {
            c: {"title": t[lang], "color": style_for(c).color, "icon": style_for(c).icon}
            for c, t in CATEGORY_TITLES.items()
        },
        "precision": {"word": text("precision", lang), "badges": PRECISION_BADGES},
        "basemaps": basemap_options(tuple(choices), lang),
        "defaultBasemap": default_basemap,
        "t": {
            **{k: v[lang] for k, v in (UI_WORDS | PAGE_WORDS | CAPTION_WORDS).items()},
            "source": source_caption(reports, lang),
        },
        "links": links,
        # The build's licence note is English; Chinese pages say the same in Chinese.
        "licence": PAGE_WORDS["licence_text"]["zh"]
        if lang == "zh"
        else metadata.get("licence", ""),
    }


def _select(id_: str, label: str, options: Iterable[tuple[str, str]]) -> str:
    opts = "".join(f'<option value="{escape(v)}">{escape(t)}</option>' for v, t in options)
    return (
        f'<label class="im-field" for="{id_}"><span>{escape(label)}</span>'
        f'<select id="{id_}">{opts}</select></label>'
    )


def panel_html(payload: Mapping[str, Any]) -> str:
    """Return the control panel and the detail panel (filled in by the script)."""
    lang: Lang = payload["lang"]
    t = payload["t"]
    other = "en" if lang == "zh" else "zh"
    years = [("", t["all_years"])] + [(str(y), str(y)) for y in payload["years"]]
    name_key = "zh" if lang == "zh" else "en"
    districts = [("", t["all_districts"])] + [(d["zh"], d[name_key]) for d in payload["districts"]]
    statuses = [("", t["all_statuses"]), *payload["statuses"].items()]
    density = ("density", CARTO_WORDS["metric_density"][lang])
    metrics = [("", t["metric_none"]), ("all", t["metric_all"]), density] + [
        (c, v["title"]) for c, v in payload["categories"].items()
    ]
    basemaps = [(b["id"], b["title"]) for b in payload["basemaps"]]
    return f"""
<div class="im-side">
<div id="im-panel" class="im-panel" lang="{lang}">
  <div class="im-head">
    <h1>{escape(t["title"])}</h1>
    <a id="im-lang" class="im-lang" href="?lang={other}" hreflang="{other}" lang="{other}">{escape(t["other_lang"])}</a>
    <button id="im-toggle" class="im-toggle" type="button" aria-expanded="false" aria-controls="im-tools">{escape(t["filters"])}</button>
  </div>
  <div class="im-search" role="search">
    <label class="im-sr" for="im-q">{escape(t["search"])}</label>
    <input id="im-q" type="search" placeholder="{escape(t["search_placeholder"])}" autocomplete="off"
      role="combobox" aria-autocomplete="list" aria-expanded="false" aria-controls="im-results">
    <ul id="im-results" role="listbox" hidden></ul>
  </div>
  <div id="im-tools" class="im-tools">
    {_select("im-year", t["year"], years)}
    {_select("im-district", t["district"], districts)}
    {_select("im-status", t["status"], statuses)}
    {_select("im-metric", t["metric"], metrics)}
    {compare_html(payload)}
    {_select("im-basemap", t["basemap"], basemaps)}
    <button id="im-share-open" class="im-btn" type="button" aria-haspopup="dialog">{escape(t["share_open"])}</button>
    <div id="im-legend" class="im-legend" aria-live="polite"></div>
    <p class="im-note">{escape(t["legend_precision"])}</p>
    <p id="im-count" class="im-count" aria-live="polite"></p>
    <p id="im-active" class="im-active-filters" hidden><span id="im-active-text"></span>
      <button id="im-active-clear" class="im-btn" type="button">{escape(t["clear_filters"])}</button></p>
    <p class="im-foot"><span id="im-datum" class="im-datum">{escape(t["datum_wgs84"])}</span> ·
      {escape(t["source"])} · {escape(t["licence"])}: {escape(str(payload["licence"]))} ·
      <a id="im-list" href="{escape(payload["links"])}/places?lang={lang}">{escape(t["place_list"])}</a></p>
  </div>
</div>
<aside id="im-detail" class="im-detail" lang="{lang}" hidden>
  <button id="im-close" class="im-close" type="button" aria-label="{escape(t["close"])}">×</button>
  <div id="im-detail-body"></div>
</aside>
</div>
{caption_html(payload)}
{share_dialog(payload)}
"""


def compare_html(payload: Mapping[str, Any]) -> str:
    """Return the compare controls: a pair of report years, and which changes to show."""
    t = payload["t"]
    pairs = payload["compare"]["pairs"]
    if not pairs:
        return ""
    options = [("", t["compare_off"])] + [(p, p.replace(",", " → ")) for p in pairs]
    boxes = "".join(
        f'<label class="im-check im-chg-item"><input type="checkbox" name="im-change" value="{c}">'
        f' <span class="im-chg-sw im-chg-{c}" aria-hidden="true"></span> {escape(t["change_" + c])}'
        f' <b class="im-chg-n" data-change="{c}"></b></label>'
        for c in payload["compare"]["codes"]
    )
    return (
        f'<div id="im-compare" class="im-compare">{_select("im-compare-pair", t["compare"], options)}'
        f'<fieldset id="im-changes" class="im-changes" hidden><legend id="im-compare-title"></legend>'
        f"{boxes}</fieldset></div>"
    )


def caption_html(payload: Mapping[str, Any]) -> str:
    """Return the caption of embeds and slides: title band, legend, source band.

    The script (static/js/embed.js) writes the title from the view and places the three parts
    in bands beside and below the map, so they never cover the data or a control.
    """
    lang: Lang = payload["lang"]
    t = payload["t"]
    return f"""
<div id="im-caption" class="im-caption" lang="{lang}" hidden>
  <header class="im-cap-head"><h2 id="im-cap-title">{escape(t["title"])}</h2>
    <p id="im-cap-sub"></p></header>
  <div class="im-cap-legend" role="group" aria-label="{escape(t["legend_metric"])}">
    <ul id="im-caption-legend"></ul><div id="im-cap-metric"></div>
    <p class="im-cap-note">{escape(t["legend_precision"])}</p></div>
  <footer class="im-cap-foot"><span>{escape(t["source"])} ·
    <span class="im-cap-licence">{escape(t["licence"])}: {escape(str(payload["licence"]))} ·</span> <span class="im-caption-datum">{escape(t["datum_wgs84"])}</span>
    <span id="im-cap-attr"></span></span>
    <a id="im-cap-full" href="{escape(payload["links"])}/?lang={lang}">{escape(t["cap_full_map"])} ↗</a></footer>
</div>"""


_VIEWPORT = re.compile(r'<meta name="viewport"[^>]*>')


def page_document(html: str, lang: Lang) -> str:
    """Return the rendered map page with its language, title, and a viewport that allows zoom.

    folium writes ``<html>`` without a language, no ``<title>``, and a viewport that forbids
    pinch-zoom (``maximum-scale=1.0, user-scalable=no``), which fails WCAG 1.4.4.
    """
    title = escape(UI_WORDS["title"][lang])
    html = html.replace("<html>", f'<html lang="{"zh-Hans" if lang == "zh" else "en"}">', 1)
    html = _VIEWPORT.sub(
        '<meta name="viewport" content="width=device-width, initial-scale=1">', html
    )
    return html.replace("<head>", f"<head>\n<title>{title}</title>", 1)


def share_dialog(payload: Mapping[str, Any]) -> str:
    """Return the share / embed / download dialog (links are filled in by the script)."""
    t = payload["t"]

    def check(id_: str, key: str, on: bool = False) -> str:
        checked = " checked" if on else ""
        return f'<label class="im-check"><input type="checkbox" id="{id_}"{checked}> {escape(t[key])}</label>'

    def copy(target: str) -> str:
        return f'<button type="button" class="im-btn" data-copy="{target}">{escape(t["copy"])}</button>'

    # Every registered export format, as the API and the CLI offer them.
    formats = "".join(
        f'<option value="{escape(f.id)}">{escape(f.title(payload["lang"]))}</option>'
        for f in FORMATS.values()
    )
    return f"""
<dialog id="im-share" class="im-dialog" lang="{payload["lang"]}" aria-labelledby="im-share-title">
  <form method="dialog"><button class="im-close" aria-label="{escape(t["close"])}">×</button></form>
  <h2 id="im-share-title">{escape(t["share_open"])}</h2>
  <h3>{escape(t["link"])}</h3>
  <div class="im-row"><input id="im-permalink" readonly aria-label="{escape(t["link"])}">{copy("im-permalink")}</div>
  <h3>{escape(t["embed"])}</h3>
  <div class="im-row">
    <label>{escape(t["width"])} <input id="im-e-width" type="number" min="200" max="4000" value="800"></label>
    <label>{escape(t["height"])} <input id="im-e-height" type="number" min="200" max="4000" value="600"></label>
    <label>{escape(t["language"])} <select id="im-e-lang"><option value="zh">中文</option><option value="en">English</option></select></label>
  </div>
  {check("im-e-view", "embed_view", True)}{check("im-e-controls", "embed_controls")}
  {check("im-e-scroll", "embed_scroll")}{check("im-e-fixed", "embed_fixed")}
  {check("im-e-caption", "embed_caption", True)}
  <div class="im-row"><textarea id="im-embed-code" readonly rows="3" aria-label="{escape(t["embed"])}"></textarea>{copy("im-embed-code")}</div>
  <h3>{escape(t["download"])}</h3>
  <div class="im-row">
    <label>{escape(t["format"])} <select id="im-dl-format">{formats}</select></label>
    {check("im-dl-bbox", "visible_area")}
  </div>
  <label class="im-check"><input type="checkbox" id="im-dl-unplaced"> <span id="im-dl-unplaced-label">{escape(t["include_unplaced"].replace("{n}", "0"))}</span></label>
  <ul class="im-links">
    <li><a id="im-dl-data" href="#" download>{escape(t["download_data"])}</a></li>
    <li><a id="im-dl-html" href="#" download>{escape(t["offline_html"])}</a></li>
    <li><a id="im-dl-png" href="#" download>{escape(t["png"])}</a></li>
    <li><a id="im-dl-pdf" href="#" download>{escape(t["pdf"])}</a></li>
    <li><a id="im-ogc" href="{escape(payload["links"])}/ogc/collections?f=html">{escape(t["ogc"])}</a></li>
  </ul>
  <p id="im-copied" class="im-muted" aria-live="polite"></p>
</dialog>
"""


#: Parts of the page data its script needs only later: the popups (when the first one opens),
#: the search keys (first search, or a ``q`` filter) and the districts' profiles (the first
#: district panel). Inline in the page as
#: ``#im-lazy-<name>``; the app serves them as files of their own (mapapp/pages.py).
LAZY_PARTS = ("popups", "keys", "profiles")
_PLACE_VOCABS = ("cat", "d", "years", "tl", "st", "layer", "prec")


def pack_payload(payload: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Return (the page data as written, its lazy parts): the compact form ``data.js`` reads.

    Each place is one row ``[id, zh, en, cat, d, years, tl, st, layer, cmp]`` whose repeated
    values are indices into vocabularies (``pl.v``), plus ``lat, lon, precision`` when it has a
    point (its marker, in the order of ``markers``). Search keys are ``[keys, sk]`` per place
    (``[keys, sk, kids]`` for a place containing others), in the same order; profiles are one list per district, in the order of ``districts``.
    :func:`unpack_payload` reads it back.
    """
    vocab: dict[str, list[Any]] = {k: [] for k in _PLACE_VOCABS}
    seen: dict[str, dict[str, int]] = {k: {} for k in _PLACE_VOCABS}

    def code(kind: str, value: Any) -> int:
        key = json.dumps(value, sort_keys=True)
        if key not in seen[kind]:
            seen[kind][key] = len(vocab[kind])
            vocab[kind].append(value)
        return seen[kind][key]

    points = {str(m[2]): m for m in payload["markers"]}
    rows = []
    for p in payload["places"]:
        row = [p["id"], p["zh"], p["en"]] + [code(k, p[k]) for k in _PLACE_VOCABS[:-1]]
        row.append(p["cmp"])
        marker = points.get(str(p["id"]))
        if marker is not None:
            row += [marker[0], marker[1], code("prec", marker[4])]
        rows.append(row)
    data = {k: v for k, v in payload.items() if k not in ("places", "markers", "popups")}
    data["pl"] = {"v": vocab, "rows": rows}
    data["districts"] = [
        {k: v for k, v in d.items() if k != "profiles"} for d in payload["districts"]
    ]
    lazy = {
        "popups": payload["popups"],
        # [keys, suggestion keys] per place, plus how many places it contains when any.
        "keys": [
            [p["keys"], p.get("sk", [])] + ([p["kids"]] if p.get("kids") else [])
            for p in payload["places"]
        ],
        "profiles": [d["profiles"] for d in payload["districts"]],
    }
    return data, lazy


def unpack_payload(data: Mapping[str, Any], lazy: Mapping[str, Any]) -> dict[str, Any]:
    """Return the payload :func:`pack_payload` packed (what ``data.js`` and ``lazy.js`` rebuild)."""
    vocab = data["pl"]["v"]
    places, markers = [], []
    for i, row in enumerate(data["pl"]["rows"]):
        place = {"id": row[0], "zh": row[1], "en": row[2]}
        place |= {k: vocab[k][row[3 + n]] for n, k in enumerate(_PLACE_VOCABS[:-1])}
        place["cmp"] = row[9]
        if "keys" in lazy:
            place["keys"], place["sk"], *kids = lazy["keys"][i]
            if kids:
                place["kids"] = kids[0]
        places.append(place)
        if len(row) > 10:
            markers.append([row[10], row[11], row[0], place["layer"], vocab["prec"][row[12]]])
    out = {k: v for k, v in data.items() if k != "pl"}
    profiles = lazy.get("profiles") or [[] for _ in data["districts"]]
    districts = [d | {"profiles": p} for d, p in zip(data["districts"], profiles, strict=True)]
    return out | {
        "places": places,
        "markers": markers,
        "popups": lazy.get("popups", {}),
        "districts": districts,
    }


def ui_parts(payload: Mapping[str, Any]) -> tuple[str, str, str]:
    """Return (head CSS, body HTML, script) to add to the map's page."""
    css = f"<style>{_static('map_ui.css')}</style>"
    data, lazy = pack_payload(payload)
    body = (
        panel_html(payload)
        + f'<script type="application/json" id="im-data">{json_for_script(data)}</script>'
        + "".join(
            f'<script type="application/json" id="im-lazy-{name}">{json_for_script(lazy[name])}'
            "</script>"
            for name in LAZY_PARTS
        )
    )
    return css, body, page_script()


_DATA_BLOCK = re.compile(
    r'<script type="application/json" id="im-(?P<name>data|lazy-\w+)"[^>]*>(?P<body>.*?)</script>',
    re.S,
)


def read_page_data(html: str) -> dict[str, Any]:
    """Return the payload written into a map page (lazy parts that are inline included)."""
    blocks = {m["name"]: m["body"] for m in _DATA_BLOCK.finditer(html)}
    lazy = {
        name.removeprefix("lazy-"): json.loads(body)
        for name, body in blocks.items()
        if name.startswith("lazy-") and body
    }
    return unpack_payload(json.loads(blocks["data"]), lazy)
