"""Request handlers with no Flask in them: (data, params) → a dict to render as HTML or JSON."""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, unquote_to_bytes, urlencode, urlsplit

import geopandas as gpd
import pandas as pd

from geo.columns import by_geometry_family, districts_with_counts, export_table
from geo.districts import district_by_name
from geo.gazetteer import readable_aliases
from geo.io import gdf_to_feature_collection, plain_records, plain_value
from geo.params import ParamError, parse_flag, parse_int, parse_number, single
from geo.query import PARAMS, Param, PlaceIndex, PlaceQuery, check_known
from geo.vocab import ReportInfo, reports_from_metadata
from layers.charts import chart_svg, counts_by_year
from layers.i18n import LANGS, Lang
from layers.popups import clean_quote, coord_note
from layers.ui import METRICS
from mapapp.errors import MapAppError


@dataclass(frozen=True)
class MapData:
    """The build, loaded once at start-up and shared read-only by every request."""

    places: gpd.GeoDataFrame
    districts: gpd.GeoDataFrame
    hubs: gpd.GeoDataFrame
    profiles: pd.DataFrame
    metadata: dict[str, Any]
    #: Lookups for fast filters (year, status, text); built once by the loader.
    index: PlaceIndex | None = None
    #: Each OGC collection as served (``served``), computed on first use; never compared.
    _served: dict[str, gpd.GeoDataFrame] = field(default_factory=dict, compare=False, repr=False)

    def served(self, collection: str) -> gpd.GeoDataFrame:
        """Return a whole collection with the GeoJSON download's properties (:mod:`geo.columns`).

        Places get their GIS columns, districts the choropleth's counts, nothing keeps
        ``notes``. Computed once per build (the rows' index is the source frame's, so a
        filtered frame selects its rows with ``.loc``); two threads may both compute it first.
        """
        cached = self._served.get(collection)
        if cached is None:
            frame = with_counts(self, collection, collection_source(self, collection))
            cached = export_table(frame, collection, self.metadata, lists=True)
            self._served[collection] = cached
        return cached

    @property
    def reports(self) -> tuple[ReportInfo, ...]:
        """Return the build's reports, oldest first."""
        return reports_from_metadata(self.metadata)

    @property
    def report_years(self) -> tuple[int, ...]:
        """Return the years of the build's reports (each once), oldest first."""
        years = {r.year for r in self.reports} or {
            int(y) for ys in self.places["years"] for y in ys
        }
        return tuple(sorted(years))


def collection_source(data: MapData, collection: str) -> pd.DataFrame:
    """Return one collection's rows, unfiltered, as every surface serves them.

    Each spatial collection has one geometry type, so the hubs' areas (``hubs``) and lines
    (``corridors``, the G60 corridor) are two collections.
    """
    frames: dict[str, pd.DataFrame] = {
        "places": data.places,
        "districts": data.districts,
        "hubs": by_geometry_family(data.hubs, "Polygon"),
        "corridors": by_geometry_family(data.hubs, "LineString"),
        "district_profiles": data.profiles,
    }
    return frames[collection]


def with_counts(data: MapData, collection: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Return ``frame`` as every download and the OGC API give it.

    Districts get the choropleth's counts (:func:`geo.columns.districts_with_counts`); the
    other collections are unchanged.
    """
    if collection == "districts":
        counted: pd.DataFrame = districts_with_counts(frame, data.places, data.reports)
        return counted
    return frame


def parse_lang(value: str | None) -> Lang:
    """Return the language asked for (default zh); raise a 400 naming ``lang`` otherwise."""
    if value in (None, ""):
        return "zh"
    if value not in LANGS:
        raise MapAppError(400, "lang must be zh or en / 参数 lang 须为 zh 或 en")
    return value


def place_record(row: dict[str, Any]) -> dict[str, Any]:
    """Return one place as plain data (lon/lat instead of a geometry)."""
    geom = row["geometry"]
    # The curators' notes stay in the build (their working remarks), as in every download.
    out = {k: plain_value(v) for k, v in row.items() if k not in ("geometry", "notes")}
    if "aliases" in out:  # the names as written, not the gazetteer's matching syntax
        out["aliases"] = readable_aliases(out["aliases"] or [], str(out.get("name_zh") or ""))
    placed = geom is not None and not geom.is_empty
    # shapely: x=lon, y=lat; unplaced places have no point
    out["lon"], out["lat"] = (round(geom.x, 6), round(geom.y, 6)) if placed else (None, None)
    return out


def place_list(data: MapData) -> dict[str, Any]:
    """Every place on the map, sorted by district then name."""
    records = [place_record(r) for r in data.places.to_dict("records")]
    records.sort(key=lambda r: (r["district_zh"] or "~", r["name_zh"]))
    return {"ok": True, "count": len(records), "places": records, "metadata": data.metadata}


def place_detail(data: MapData, place_id: str) -> dict[str, Any]:
    """One place by id; 404 when unknown."""
    rows = data.places[data.places["id"] == place_id]
    if rows.empty:
        raise MapAppError(404, "no such place / 没有这个地点")
    record = place_record(rows.iloc[0].to_dict())
    children = data.places[data.places["parent_id"] == place_id]
    record["children"] = sorted(
        zip(children["id"], children["name_zh"], children["name_en"], strict=True)
    )
    parent = data.places[data.places["id"] == record.get("parent_id")]
    record["parent"] = (
        {
            "id": record["parent_id"],
            "name_zh": parent.iloc[0]["name_zh"],
            "name_en": parent.iloc[0]["name_en"],
        }
        if not parent.empty
        else None
    )
    record["citations"] = citations(data, record)
    # Copies: the entries belong to the loaded data, which every request shares.
    record["timeline"] = [
        {
            **t,
            "anchor": citation_anchor(str(t["report"]), int(t["line"])) if t.get("line") else None,
        }
        for t in record.get("timeline") or []
    ]
    district = district_by_name(str(record.get("district_zh") or ""))
    record["district_en"] = district.name_en if district else None
    note = str(record.get("coord_source") or "")
    record["coord_note"] = {"zh": coord_note(note, "zh"), "en": note}
    return {"ok": True, "place": record, "metadata": data.metadata}


def citation_anchor(report: str, line: int) -> str:
    """Return the id of a citation on a place's page (the timeline links to it)."""
    return f"cite-{report}-{line}"


def citations(data: MapData, record: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Return a place's sources as cited: report year and titles, line, quote without Markdown."""
    titles = {r.id: r for r in data.reports}
    deciding = {(t.get("report"), t.get("line")) for t in record.get("timeline") or []}
    out = []
    for s in record.get("sources") or []:
        report = titles.get(str(s["report"]))
        out.append(
            {
                "anchor": citation_anchor(str(s["report"]), int(s["line"])),
                "decides_status": (s["report"], s["line"]) in deciding,
                "report": s["report"],
                "year": report.year if report else s.get("year"),
                "title_zh": report.title_zh if report else s["report"],
                "title_en": report.title_en if report else s["report"],
                "line": s["line"],
                "quote": clean_quote(
                    str(s["quote"]), keep=str(record.get("name_zh", "")), max_chars=1000
                ),
            }
        )
    return out


def _report_titles(data: MapData, report_id: str) -> dict[str, str]:
    """Return a report's titles (``title_zh``, ``title_en``), or its id where it has none."""
    report = next((r for r in data.reports if r.id == report_id), None)
    return {
        "title_zh": report.title_zh if report else report_id,
        "title_en": report.title_en if report else report_id,
    }


def district_detail(data: MapData, name: str) -> dict[str, Any]:
    """One district (by 浦东新区, 浦东 or Pudong): its profiles per report and its places."""
    district = district_by_name(name)
    if district is None:
        raise MapAppError(404, "no such district / 没有这个区")
    profiles = data.profiles[data.profiles["district_zh"] == district.name_zh]
    places = data.places[data.places["district_zh"] == district.name_zh]
    counts = places["category"].value_counts().to_dict()
    by_year = counts_by_year(places.to_dict("records"), data.report_years)
    return {
        "ok": True,
        "district": {
            "name_zh": district.name_zh,
            "name_en": district.name_en,
            "adcode": district.adcode,
        },
        "profiles": [
            {**p, **_report_titles(data, str(p["report"]))}
            for p in plain_records(profiles.sort_values("year"))
        ],
        "counts": counts,
        # The district chart's numbers: places named in each report year, by category.
        "by_year": {str(y): dict(c) for y, c in by_year.items()},
        "places": [place_record(r) for r in places.sort_values("name_zh").to_dict("records")],
        "metadata": data.metadata,
    }


def district_chart(detail: Mapping[str, Any], lang: Lang) -> str:
    """Return the SVG chart of a :func:`district_detail`: places by category per report year."""
    district = detail["district"]
    counts = {int(y): c for y, c in detail["by_year"].items()}
    name = district["name_zh"] if lang == "zh" else district["name_en"]
    return chart_svg(counts, lang, name=name)


def district_charts(data: MapData, lang: Lang) -> dict[str, str]:
    """Return every district's chart (Chinese name → SVG), for the offline file's panel."""
    places = data.places
    out = {}
    for d in data.districts.to_dict("records"):
        rows = places[places["district_zh"] == d["name_zh"]].to_dict("records")
        name = d["name_zh"] if lang == "zh" else d["name_en"]
        out[str(d["name_zh"])] = chart_svg(
            counts_by_year(rows, data.report_years), lang, name=str(name)
        )
    return out


def places_geojson(data: MapData) -> dict[str, Any]:
    """Every place, placed or not, as an RFC 7946 FeatureCollection with the build's metadata.

    The GeoJSON download's properties (``served``): readable aliases, no curators' notes.
    """
    return gdf_to_feature_collection(data.served("places"), data.metadata)


#: Embed presets (``/embed``): show controls, scroll-wheel zoom, fixed view, caption.
EMBED_FLAGS = ("controls", "scrollzoom", "fixed", "caption")
#: Parameters of the map's view that are not filters (accepted, and ignored, by downloads).
VIEW_ONLY = ("lang", "basemap", "center", "zoom", "metric", "place")
#: Parameters of a PNG request that are not part of the map's view.
PNG_PARAMS = ("width", "height", "scale", "engine")

#: The map view's own parameters (the filters are :data:`geo.query.PARAMS`), for OpenAPI.
VIEW_PARAMS: tuple[Param, ...] = (
    Param("lang", {"type": "string", "enum": list(LANGS)}, "page language"),
    Param("metric", {"type": "string", "enum": list(METRICS)}, "colour districts by"),
    Param("basemap", {"type": "string"}, "tile basemap (none by default)"),
    Param("center", {"type": "string", "example": "31.2,121.5"}, "map centre: lat,lon"),
    Param("zoom", {"type": "integer", "minimum": 0, "maximum": 18}, "zoom level"),
    Param("place", {"type": "string"}, "id of the place whose popup is open"),
)
PNG_PARAMS_DECLARED: tuple[Param, ...] = (
    Param("width", {"type": "integer", "minimum": 1}, "width in CSS pixels"),
    Param("height", {"type": "integer", "minimum": 1}, "height in CSS pixels"),
    Param("scale", {"type": "number", "minimum": 0.1, "maximum": 10}, "device pixel ratio"),
    Param("engine", {"type": "string", "enum": ["auto", "chromium", "matplotlib"]}, "renderer"),
)
#: Parameters of a PDF request that are not part of the map's view (vector: no scale).
PDF_PARAMS = ("width", "height", "engine")
PDF_PARAMS_DECLARED: tuple[Param, ...] = tuple(
    p for p in PNG_PARAMS_DECLARED if p.name in PDF_PARAMS
)
EMBED_PARAMS: tuple[Param, ...] = tuple(
    Param(f, {"type": "integer", "enum": [0, 1]}, f"embed preset: {f}") for f in EMBED_FLAGS
)


def _bad(parameter: str, zh: str, en: str) -> MapAppError:
    return MapAppError(400, f"{parameter}: {en} / 参数 {parameter}：{zh}")


def parse_view(
    args: Mapping[str, Any], data: MapData, basemap_ids: Sequence[str], *, embed: bool = False
) -> dict[str, Any]:
    """Validate the map's URL state; raise a 400 naming the first bad parameter.

    The filters are parsed by :class:`PlaceQuery`, exactly as downloads and the OGC API parse
    them; the page's script applies the same state to the same per-place values.
    """
    allowed = {p.name for p in (*PARAMS, *VIEW_PARAMS, *(EMBED_PARAMS if embed else ()))}
    try:
        check_known(args, allowed | ({"layers"}))
        query = PlaceQuery.parse(args, report_years=data.report_years)
        for flag in EMBED_FLAGS if embed else ():
            parse_flag(flag, single(args, flag) or None)
        zoom = single(args, "zoom")
        if zoom:
            parse_int("zoom", zoom, low=0, high=18)
        center = single(args, "center")
        if center:
            parts = center.split(",")
            if len(parts) != 2:
                raise ParamError("center", "must be 'lat,lon' in degrees / 须为“纬度,经度”")
            parse_number("center", parts[0], low=-90, high=90)
            parse_number("center", parts[1], low=-180, high=180)
    except ParamError as exc:
        raise MapAppError(exc.status, exc.user_message) from None
    view: dict[str, Any] = {"lang": parse_lang(single(args, "lang") or None), "query": query}
    for name, choices in (("metric", METRICS), ("basemap", basemap_ids)):
        value = single(args, name)
        if value and value not in choices:
            allowed_text = ", ".join(choices)
            raise _bad(name, f"须为 {allowed_text} 之一", f"must be one of {allowed_text}")
    place = single(args, "place")
    if place and not (data.places["id"] == place).any():
        raise _bad("place", "没有这个地点", "no such place")
    return view


def parse_png_size(args: Mapping[str, str]) -> dict[str, Any]:
    """Return width, height, scale and engine of a PNG (or PDF) request (400 naming a bad one).

    A PDF is vector: it has no ``scale`` parameter, and gets scale 1 here.
    """
    out: dict[str, Any] = {}
    try:
        for name, default in (("width", "1920"), ("height", "1080")):
            out[name] = parse_int(name, single(args, name) or default, low=1, high=100_000)
        out["scale"] = parse_number("scale", single(args, "scale") or "2", low=0.1, high=10)
    except ParamError as exc:
        raise MapAppError(400, exc.user_message) from None
    engine = args.get("engine") or "auto"
    if engine not in ("auto", "chromium", "matplotlib"):
        raise _bad(
            "engine", "须为 auto、chromium 或 matplotlib", "must be auto, chromium or matplotlib"
        )
    out["engine"] = engine
    return out


def check_query_encoding(raw: bytes | str) -> None:
    """Raise a 400 naming the first parameter whose name or value is not UTF-8 once decoded.

    Werkzeug (``request.args``) and :func:`urllib.parse.parse_qsl` would carry on with "%FF"
    or U+FFFD instead, and search for that; every query string is checked here first.
    """
    data = raw.encode("utf-8", "surrogateescape") if isinstance(raw, str) else raw
    for pair in data.split(b"&"):
        name, _, value = pair.partition(b"=")
        try:
            for part in (name, value):
                unquote_to_bytes(part.replace(b"+", b" ")).decode("utf-8")
        except UnicodeDecodeError:
            label = unquote_to_bytes(name.replace(b"+", b" ")).decode("utf-8", "replace")
            raise MapAppError(
                400,
                f"{label}: not valid UTF-8 (percent-encode the text's UTF-8 bytes) / "
                f"参数 {label} 不是有效的 UTF-8 编码",
            ) from None


#: Size of the oEmbed thumbnail (CSS pixels at scale 1): a small PNG export of the view.
THUMBNAIL = (640, 360)


def oembed(args: Mapping[str, str], host_url: str) -> dict[str, Any]:
    """Return the oEmbed (1.0, type rich) answer for a map URL of this site.

    The map (``/``, ``/embed``) embeds with its view; a place's or a district's page embeds as
    the map showing it. The answer carries a thumbnail: the PNG export of the same view, small.
    A URL of another site, or not of the map, is a 404 (the oEmbed spec's answer for "no
    embed for this URL"); only JSON is offered (XML is 501, as the spec asks).
    """
    if (args.get("format") or "json") != "json":
        raise MapAppError(501, "format: only json is offered / 仅提供 json")
    url = args.get("url") or ""
    parts = urlsplit(url)
    site = urlsplit(host_url)
    if not url or (parts.scheme, parts.netloc) != (site.scheme, site.netloc):
        raise MapAppError(404, "url: not a map of this site / 不是本站地图链接")
    root = site.path.rstrip("/")
    path = parts.path[len(root) :] if parts.path.startswith(root) else parts.path
    check_query_encoding(parts.query)  # the map URL's own parameters, as for a request
    query = dict(parse_qsl(parts.query))
    # A place's or a district's page embeds as the map showing that place or district.
    page = re.fullmatch(r"/(places|districts)/([^/.]+)", unquote(path))
    if page:
        query[{"places": "place", "districts": "district"}[page.group(1)]] = page.group(2)
    elif path.rstrip("/") not in ("", "/embed"):
        raise MapAppError(404, "url: not a map of this site / 不是本站地图链接")

    def size(name: str, default: int) -> int:
        raw = single(args, name)
        if not raw:
            return default
        try:
            return min(default, parse_int(name, raw, low=100, high=1_000_000))
        except ParamError as exc:
            raise MapAppError(400, exc.user_message) from None

    width, height = size("maxwidth", 800), size("maxheight", 600)
    view = {k: v for k, v in query.items() if k not in EMBED_FLAGS}
    query.setdefault("caption", "1")
    src = f"{host_url}/embed?{urlencode(query)}"
    title = "上海科技创新地图 · Shanghai innovation map"
    # A small slide render of the same view (the PNG export: title, legend and source).
    thumb = {**view, "width": str(THUMBNAIL[0]), "height": str(THUMBNAIL[1]), "scale": "1"}
    return {
        "version": "1.0",
        "type": "rich",
        "provider_name": title,
        "provider_url": host_url + "/",
        "title": title,
        "width": width,
        "height": height,
        "thumbnail_url": f"{host_url}/export/map.png?{urlencode(thumb)}",
        "thumbnail_width": THUMBNAIL[0],
        "thumbnail_height": THUMBNAIL[1],
        "html": (
            f'<iframe src="{escape(src)}" width="{width}" height="{height}" style="border:0" '
            f'loading="lazy" title="{escape(title)}" allowfullscreen></iframe>'
        ),
    }


#: The packages whose files make the responses: code, templates, scripts, styles, assets.
CODE_PACKAGES = ("geo", "layers", "mapapp")


@functools.cache
def code_stamp() -> str:
    """Return a hash of the code that renders responses (every file of ``CODE_PACKAGES``).

    With the build's stamp it names a response: after an upgrade on the same build, ETags and
    cached renders change too, so no client or cache keeps a page of the previous code.
    """
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for package in CODE_PACKAGES:
        for path in sorted((root / package).rglob("*")):
            # Not caches or scratch folders (__pycache__, static/_bench): only what ships.
            folders = path.relative_to(root).parts[:-1]
            if path.is_file() and not any(f.startswith(("_", ".")) for f in folders):
                digest.update(str(path.relative_to(root)).encode() + b"\0")
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


#: The files a build is loaded from: its fingerprint is the hash of their contents.
BUILD_FILES = ("innovation_map.gpkg", "build_info.json")


def build_stamp(build_dir: Path) -> str:
    """Return the build's fingerprint: a hash of the contents of the files the app loads.

    Sizes and dates would miss a file changed in place; hashing 3 MB takes a few ms.
    """
    digest = hashlib.sha256()
    try:
        folder = build_dir.resolve(strict=True)  # every file from one build, even mid-switch
    except OSError:
        return "missing"
    for name in BUILD_FILES:
        digest.update(name.encode() + b"\0")
        try:
            with (folder / name).open("rb") as fh:
                while chunk := fh.read(1 << 20):
                    digest.update(chunk)
        except FileNotFoundError:
            return "missing"
        except OSError as exc:
            return f"unreadable: {exc.strerror}"
    return digest.hexdigest()[:20]


def build_problem(build_dir: Path, loaded_stamp: str, *, reloading: bool = False) -> str | None:
    """Return why the build on disk is not the one in memory, or None.

    ``reloading``: this worker has seen the new build and is loading it; until then it serves
    the previous one whole, which is no problem.
    """
    now = build_stamp(build_dir)
    if now == loaded_stamp or (reloading and now != "missing"):
        return None
    if now == "missing":
        return "the build on disk is missing; run `innovation-map build`"
    if now.startswith("unreadable"):
        return f"the build on disk is {now}"
    return (
        "the build on disk differs (by content) from the one served, and this worker has not "
        "loaded it (a failed load is in the log); restart, or run `innovation-map build`"
    )
