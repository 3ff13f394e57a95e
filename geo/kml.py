"""KML for Google Earth and Ovi (奥维): one style per category, citations in each description.

Written directly (KML 2.2) rather than through GDAL, whose drivers can neither attach a
shared style per category nor take a description per placemark. Fields travel as a
``Schema`` with ``SimpleData``, which GDAL reads back as columns.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator, Mapping, Sequence
from html import escape
from typing import Any
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

import geopandas as gpd

from geo.columns import CATEGORY_COLOURS, CATEGORY_LABELS, STATUS_LABELS, report_keys
from geo.io import plain_records
from geo.vocab import reports_from_metadata

#: Hub outlines and district boundaries (not categories of places).
HUB_COLOUR = "#0072B2"
DISTRICT_COLOUR = "#555555"


def _kml_colour(hex_rgb: str, alpha: int) -> str:
    """Return KML's aabbggrr for ``#rrggbb``."""
    r, g, b = hex_rgb[1:3], hex_rgb[3:5], hex_rgb[5:7]
    return f"{alpha:02x}{b}{g}{r}".lower()


def _cdata(html: str) -> str:
    # "]]>" would end the section early: split it across two sections.
    return "<![CDATA[" + html.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _style(id_: str, colour: str) -> str:
    return (
        f'<Style id="{id_}">'
        f"<IconStyle><color>{_kml_colour(colour, 255)}</color><scale>1.1</scale></IconStyle>"
        f"<LineStyle><color>{_kml_colour(colour, 255)}</color><width>2</width></LineStyle>"
        f"<PolyStyle><color>{_kml_colour(colour, 0x40)}</color></PolyStyle>"
        "<BalloonStyle><text>$[description]</text></BalloonStyle>"
        "</Style>"
    )


def _coords(seq: Any) -> str:
    # KML is lon,lat (like shapely), never lat,lon.
    return " ".join(f"{x:.6f},{y:.6f}" for x, y, *_ in seq)


def _geometry(geom: Any) -> str:
    kind = geom.geom_type
    if kind == "Point":
        return f"<Point><coordinates>{_coords([(geom.x, geom.y)])}</coordinates></Point>"
    if kind == "LineString":
        return f"<LineString><tessellate>1</tessellate><coordinates>{_coords(geom.coords)}</coordinates></LineString>"
    if kind == "Polygon":
        inner = "".join(
            f"<innerBoundaryIs><LinearRing><coordinates>{_coords(r.coords)}</coordinates></LinearRing></innerBoundaryIs>"
            for r in geom.interiors
        )
        return (
            "<Polygon><outerBoundaryIs><LinearRing><coordinates>"
            f"{_coords(geom.exterior.coords)}</coordinates></LinearRing></outerBoundaryIs>{inner}</Polygon>"
        )
    parts = "".join(_geometry(g) for g in getattr(geom, "geoms", ()))
    return f"<MultiGeometry>{parts}</MultiGeometry>"


def _plain(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, list | tuple | dict):
        return json.dumps(value, ensure_ascii=False)
    if hasattr(value, "item"):
        value = value.item()
    return str(value)


def _field_type(name: str, frame: gpd.GeoDataFrame) -> str:
    kind = frame[name].dtype.kind
    return {"b": "bool", "i": "int", "u": "int", "f": "double"}.get(kind, "string")


def place_description(
    row: Mapping[str, Any], citations: Sequence[Mapping[Any, Any]], keys: Mapping[str, str]
) -> str:
    """Return a place's balloon: names, category, district, status per report, citations."""
    cat = CATEGORY_LABELS.get(str(row.get("category")), {})
    lines = [f"<h3>{escape(str(row.get('name_zh') or ''))}</h3>"]
    if row.get("name_en"):
        lines.append(f"<p>{escape(str(row['name_en']))}</p>")
    district = " · ".join(escape(str(row[k])) for k in ("district_zh", "district_en") if row.get(k))
    lines.append(
        f"<p>{escape(cat.get('zh', ''))} · {escape(cat.get('en', ''))}"
        + (f"<br>{district}" if district else "")
        + "</p>"
    )
    statuses = []
    for key in keys.values():
        status = row.get(f"status_{key}")
        if isinstance(status, str) and status:
            label = STATUS_LABELS.get(status, {"zh": status, "en": status})
            statuses.append(
                f"<li>{escape(key)}: {escape(label['zh'])} · {escape(label['en'])}</li>"
            )
    if statuses:
        lines.append("<p>各年报告 · By report</p><ul>" + "".join(statuses) + "</ul>")
    if citations:
        items = "".join(
            f"<li>{escape(str(c.get('report')))}, 第 {escape(_plain(c.get('line')))} 行 · "
            f"line {escape(_plain(c.get('line')))}: “{escape(str(c.get('quote') or ''))}”</li>"
            for c in citations
        )
        lines.append(f"<p>出处 · Sources ({len(citations)})</p><ol>{items}</ol>")
    return "".join(lines)


def document_description(metadata: Mapping[str, Any]) -> str:
    """Return the document's description as readable HTML (title, sources, licence, datum)."""
    parts = [f"<h3>{escape(str(metadata.get('title', '')))}</h3>"]
    for key, label in (
        ("datum", "Datum 坐标系"),
        ("built", "Built 生成时间"),
        ("licence", "Licence 许可"),
        ("boundaries", "Boundaries 边界"),
    ):
        if metadata.get(key):
            parts.append(f"<p><b>{label}</b>: {escape(str(metadata[key]))}</p>")
    sources = metadata.get("sources") or []
    if sources:
        items = "".join(
            f"<li>{escape(str(s.get('title_zh', '')))} · {escape(str(s.get('title_en', '')))} "
            f"({escape(str(s.get('publisher', '')))}, {escape(str(s.get('year', '')))})</li>"
            for s in sources
        )
        parts.append(f"<p><b>Sources 来源</b></p><ul>{items}</ul>")
    filters = metadata.get("filters") or {}
    if filters:
        shown = ", ".join(f"{k}={v}" for k, v in filters.items())
        parts.append(f"<p><b>Filters 筛选</b>: {escape(shown)}</p>")
    return "".join(parts)


def _placemarks(
    gdf: gpd.GeoDataFrame,
    layer: str,
    fields: Sequence[str],
    citations: Mapping[str, Sequence[Mapping[Any, Any]]],
    keys: Mapping[str, str],
) -> Iterator[str]:
    for row in plain_records(gdf):  # a missing district is None, not "nan"
        geom = row.get(gdf.geometry.name)
        # A Placemark without geometry is valid KML (2.2, 10.8): places asked for without a
        # point (unplaced=1) keep their name, description and fields, as in every other format.
        placed = geom is not None and not geom.is_empty
        zh, en = row.get("name_zh") or "", row.get("name_en") or ""
        name = f"{zh} · {en}" if en and en != zh else str(zh)
        if layer == "places":
            style = str(row.get("category"))
            description = place_description(row, citations.get(str(row.get("id")), ()), keys)
        else:
            style = layer
            description = "".join(
                f"<b>{escape(f)}</b>: {escape(_plain(row.get(f)))}<br>"
                for f in fields
                if _plain(row.get(f))
            )
        data = "".join(
            f"<SimpleData name={quoteattr(f)}>{xml_escape(_plain(row.get(f)))}</SimpleData>"
            for f in fields
            if f != "id"
        )
        # The id is the placemark's own (GDAL reads it back as the "id" field).
        id_ = f" id={quoteattr(_plain(row['id']))}" if "id" in row else ""
        yield (
            f"<Placemark{id_}><name>{xml_escape(name)}</name>"
            f"<description>{_cdata(description)}</description>"
            f"<styleUrl>#{xml_escape(style)}</styleUrl>"
            f'<ExtendedData><SchemaData schemaUrl="#{layer}">{data}</SchemaData></ExtendedData>'
            f"{_geometry(geom) if placed else ''}</Placemark>"
        )


def kml_document(
    gdf: gpd.GeoDataFrame,
    layer: str,
    metadata: Mapping[str, Any],
    citations: Mapping[str, Sequence[Mapping[Any, Any]]] | None = None,
) -> str:
    """Return a KML document of ``gdf`` (WGS-84): styles, described placemarks, typed fields.

    Parameters
    ----------
    gdf
        The layer's export table (flat columns).
    layer
        Collection name (``places`` gets a style per category and citations).
    metadata
        The export's metadata (shown as the document's description).
    citations
        Each place's citations by place id, oldest first.
    """
    fields = [c for c in gdf.columns if c != gdf.geometry.name]
    keys = report_keys(reports_from_metadata(metadata))
    styles = (
        [_style(c, colour) for c, colour in CATEGORY_COLOURS.items()]
        if layer == "places"
        else [_style(layer, DISTRICT_COLOUR if layer == "districts" else HUB_COLOUR)]
    )
    schema = "".join(
        f"<SimpleField name={quoteattr(f)} type={quoteattr(_field_type(f, gdf))}/>"
        for f in fields
        if f != "id"
    )
    body = "".join(_placemarks(gdf, layer, fields, citations or {}, keys))
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<kml xmlns="http://www.opengis.net/kml/2.2"><Document>'
        f"<name>{xml_escape(layer)}</name>"
        f"<description>{_cdata(document_description(metadata))}</description>"
        f'{"".join(styles)}<Schema name="{layer}" id="{layer}">{schema}</Schema>'
        f"<Folder><name>{xml_escape(layer)}</name>{body}</Folder>"
        "</Document></kml>\n"
    )
