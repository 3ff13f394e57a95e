"""GeoDataFrames → Folium: one FeatureGroup per layer, districts as base, on a tile-free map."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from html import escape
from typing import Any

import folium
import geopandas as gpd
import pandas as pd
import shapely
from branca.element import Element, Figure, MacroElement
from folium.elements import JSCSSMixin
from folium.plugins import MarkerCluster
from jinja2 import Template
from shapely.geometry import shape

from geo.hubs import hub_shape
from layers.basemaps import Basemap, basemaps
from layers.cartography import carto_payload, context_geojson
from layers.i18n import Lang, text
from layers.outlines import encode
from layers.specs import LAYER_SPECS, LayerSpec
from layers.style import style_for
from layers.ui import ui_parts, ui_payload

#: Centre of Shanghai (lat, lon) for folium, and the zoom that shows the whole city.
SHANGHAI_CENTER = (31.20, 121.45)
SHANGHAI_ZOOM = 9
_CLUSTER_THRESHOLD = 12  # cluster a layer only when it has more points than this
#: Above this many points a layer is drawn as counted grid cells instead of one marker each.
AGGREGATE_THRESHOLD = 2000
AGGREGATE_CELL_DEG = 0.05  # about 5 km: a few hundred cells per layer for the whole city
_NO_PROFILES = pd.DataFrame(
    columns=["report", "year", "district_zh", "headline", "text", "line_start"]
)


def layer_label(spec: LayerSpec, lang: Lang) -> str:
    """Return the layer control's label: the category's swatch and icon, then its title.

    The label is HTML (Leaflet sets it as innerHTML), so the layer control is also the legend.
    """
    if spec.kind == "hubs":
        swatch = '<span class="im-lsw im-hub"></span>'
    else:
        style = style_for(spec.category or "")
        swatch = (
            f'<span class="im-lsw" style="background:{style.color}">'
            f'<i class="fa-solid fa-{style.icon}"></i></span>'
        )
    return (
        f'<span class="im-layer" data-layer="{spec.id}">{swatch}{escape(spec.title(lang))}</span>'
    )


def _aggregate(rows: list[dict[str, Any]], spec: LayerSpec, lang: Lang) -> folium.FeatureGroup:
    """Return one counted circle per grid cell: a layer too big for one marker per place.

    Server-side aggregation keeps a city of 100,000 places usable in a browser
    (docs/benchmarks.md); search, the list, exports and the OGC API still reach every place.
    """
    cells: dict[tuple[int, int], list[tuple[float, float]]] = {}
    for row in rows:
        geom = row["geometry"]
        key = (round(geom.x / AGGREGATE_CELL_DEG), round(geom.y / AGGREGATE_CELL_DEG))
        cells.setdefault(key, []).append((geom.y, geom.x))
    group = folium.FeatureGroup(control=False)
    color = style_for(spec.category or "").color
    word = "个地点" if lang == "zh" else " places"
    for points in cells.values():
        lat = sum(p[0] for p in points) / len(points)
        lon = sum(p[1] for p in points) / len(points)
        folium.CircleMarker(
            location=(lat, lon),
            radius=4 + 2.5 * math.log2(len(points)),
            color="#ffffff",
            weight=1,
            fill=True,
            fill_color=color,
            fill_opacity=0.85,
            tooltip=f"{escape(spec.title(lang))}: {len(points)}{word}",
        ).add_to(group)
    return group


def layer_from_gdf(places: gpd.GeoDataFrame, spec: LayerSpec, lang: Lang) -> folium.FeatureGroup:
    """Return the FeatureGroup of one places layer.

    Its markers are made by the page's script from the page data (layers/ui.py, one array of
    rows, clustered when crowded); only a layer too big for one marker per place is drawn here,
    as counted grid cells.
    """
    fg = folium.FeatureGroup(name=layer_label(spec, lang), show=True)
    places = places[places.geometry.notna() & ~places.geometry.is_empty]  # unplaced rows: list only
    in_shanghai = places["in_shanghai"].astype(bool)
    if spec.kind == "outside":
        rows = places[~in_shanghai]
    else:
        rows = places[in_shanghai & (places["category"] == spec.category)]
    if len(rows) > AGGREGATE_THRESHOLD:
        _aggregate(rows.to_dict("records"), spec, lang).add_to(fg)
    return fg


#: Display-only geometry: simplified to about 10 m and rounded to 1e-5° (about 1 m), which
#: cannot be seen at the map's zooms and keeps the page small (docs/benchmarks.md).
DISPLAY_TOLERANCE_DEG = 0.0001
DISPLAY_DECIMALS = 5


def _rounded(coords: Any) -> Any:
    if isinstance(coords, float):
        return round(coords, DISPLAY_DECIMALS)
    if isinstance(coords, list | tuple):
        return [_rounded(c) for c in coords]
    return coords


def display_geojson(gdf: gpd.GeoDataFrame, columns: Sequence[str]) -> dict[str, Any]:
    """Return ``gdf`` (EPSG:4326) as GeoJSON for drawing only: simplified and rounded.

    The data, exports and point-in-district tests keep the full geometry; this is what the
    browser draws.
    """
    shapes = gdf[[*columns, "geometry"]].copy()
    shapes["geometry"] = shapes.geometry.simplify(DISPLAY_TOLERANCE_DEG, preserve_topology=True)
    doc: dict[str, Any] = json.loads(shapes.to_json(drop_id=True))
    for feature in doc["features"]:
        geometry = feature.get("geometry")
        if geometry and "coordinates" in geometry:
            geometry["coordinates"] = _rounded(geometry["coordinates"])
        elif geometry and "geometries" in geometry:  # a GeometryCollection
            for part in geometry["geometries"]:
                part["coordinates"] = _rounded(part["coordinates"])
    return doc


def hubs_layer(hubs: gpd.GeoDataFrame, spec: LayerSpec, lang: Lang) -> folium.FeatureGroup:
    """Return the hubs layer: traced outlines (dashed) and the G60 line, nothing invented.

    A hub whose extent is not known (its file geometry is a stand-in circle) gets no outline
    here: the page's script marks it with a label and a small dashed ring (``hubs.js``), and
    binds the tooltips and clicks of every hub.
    """
    fg = folium.FeatureGroup(name=layer_label(spec, lang), show=True)
    shapes = [
        hub_shape(str(k), str(s))
        for k, s in zip(hubs["kind"], hubs["geometry_source"], strict=True)
    ]
    drawn = hubs[[s != "approximate" for s in shapes]]
    if drawn.empty:
        return fg
    folium.GeoJson(
        display_geojson(drawn, ["id", "name_zh", "name_en", "kind"]),
        style_function=lambda f: {
            "color": "#D55E00",
            "weight": 3 if f["properties"]["kind"] == "line" else 2,
            "dashArray": "8 6" if f["properties"]["kind"] == "line" else "6 4",
            "fillOpacity": 0.06,
        },
    ).add_to(fg)
    return fg


#: Grid of the districts' drawn outlines (layers/outlines.py): 1e-4° moves a point by at most
#: about 6 m, which cannot be seen at the map's zooms; the context file is on a 1e-3° grid
#: already (scripts/make_context.py), so its outlines lose nothing.
OUTLINE_STEP_DEG = 0.0001
CONTEXT_STEP_DEG = 0.001


def district_outlines(districts: gpd.GeoDataFrame) -> dict[str, Any]:
    """Return the districts' drawn outlines, compact (layers/outlines.py), with their names.

    Simplified as one coverage, so a border two districts share stays one line (stored once,
    no slivers); per district when the polygons are not a clean coverage.
    """
    geoms = districts.geometry.values
    if bool(shapely.coverage_is_valid(geoms)):
        geoms = shapely.coverage_simplify(geoms, DISPLAY_TOLERANCE_DEG)
    else:
        geoms = shapely.simplify(geoms, DISPLAY_TOLERANCE_DEG, preserve_topology=True)
    props = [
        {"name_zh": zh, "name_en": en}
        for zh, en in zip(districts["name_zh"], districts["name_en"], strict=True)
    ]
    return encode(list(geoms), props, OUTLINE_STEP_DEG)


def context_outlines(context: Mapping[str, Any]) -> dict[str, Any]:
    """Return the Delta's land polygons, compact (layers/outlines.py), with name and G60 flag."""
    features = context["features"]
    geoms = [shape(f["geometry"]) if f.get("geometry") else None for f in features]
    props = [
        {"name_zh": f["properties"]["name_zh"], "g60": bool(f["properties"]["g60"])}
        for f in features
    ]
    return encode(geoms, props, CONTEXT_STEP_DEG)


def _without_geometry(outlines: Mapping[str, Any]) -> dict[str, Any]:
    """Return the features of ``outlines`` with their properties and no geometry.

    folium writes each feature's style and tooltip from its properties; Leaflet skips a
    feature without geometry, and the page's script adds the decoded outlines to the same
    layer (``static/js/outlines.js``), so they are in the page once, compact.
    """
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": f["p"], "geometry": None}
            for f in outlines["features"]
        ],
    }


def context_base(outlines: Mapping[str, Any]) -> folium.GeoJson:
    """Return the Delta around Shanghai as light land on the sea-coloured map (not clickable).

    The nine G60 cities are outlined in the hubs' colour so the corridor's line ends in real
    places. ``outlines`` is :func:`context_outlines`.
    """
    return folium.GeoJson(
        _without_geometry(outlines),
        control=False,
        interactive=False,
        style_function=lambda f: {
            "color": "#D55E00" if f["properties"]["g60"] else "#b9b2a3",
            "weight": 1.5 if f["properties"]["g60"] else 0.6,
            "dashArray": "4 3" if f["properties"]["g60"] else None,
            "fillColor": "#ece3d3" if f["properties"]["g60"] else "#e5e0d5",
            "fillOpacity": 1,
        },
    )


def districts_base(outlines: Mapping[str, Any], lang: Lang) -> folium.GeoJson:
    """Return the district polygons drawn as the base map (always on, not in the layer control).

    ``outlines`` is :func:`district_outlines`.
    """
    name = "name_zh" if lang == "zh" else "name_en"
    return folium.GeoJson(
        _without_geometry(outlines),
        name=text("districts", lang),
        control=False,
        style_function=lambda _: {
            "color": "#7a7a7a",
            "weight": 1,
            "fillColor": "#f4f1ea",
            "fillOpacity": 1,
        },
        tooltip=folium.GeoJsonTooltip(fields=[name], labels=False),
    )


class _LeanMap(folium.Map):
    """folium.Map without jQuery, Bootstrap and Leaflet.awesome-markers, which nothing here uses.

    folium's own popups need jQuery; ours are bound by the page's script instead. Dropping the
    three saves about 90 KB gzip per page load (docs/benchmarks.md); Leaflet and Font Awesome
    (the category icons) stay.
    """

    # folium declares these as plain class-level lists; keep the same shape.
    default_js = [js for js in folium.Map.default_js if js[0] == "leaflet"]  # noqa: RUF012
    default_css = [  # noqa: RUF012
        css
        for css in folium.Map.default_css
        if css[0] in {"leaflet_css", "awesome_markers_font_css"}
    ]


class _ClusterAssets(JSCSSMixin):
    """Load Leaflet.markercluster, whose groups the page's script makes (no folium markers)."""

    # folium declares these as plain class-level lists; keep the same shape.
    default_js = MarkerCluster.default_js
    default_css = MarkerCluster.default_css
    _template = Template("")


class _Verbatim(Element):
    """Text written into the page as it is.

    ``folium.Element`` reads its text as a Jinja template, so a ``{{`` in the data (the
    outlines' polyline characters, or a name) would break or change the page.
    """

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def render(self, **kwargs: Any) -> str:
        """Return the text unchanged."""
        return self.text


class _ExposeVariable(MacroElement):
    """Publish one of folium's block-scoped variables (``let``) on ``window`` for our script."""

    _template = Template(
        "{% macro script(this, kwargs) %}window[{{ this.alias|tojson }}] = {{ this.target }};"
        "{% endmacro %}"
    )

    def __init__(self, alias: str, target: str) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.alias = alias
        self.target = target


def map_from_layers(
    places: gpd.GeoDataFrame,
    districts: gpd.GeoDataFrame,
    hubs: gpd.GeoDataFrame,
    profiles: pd.DataFrame | None = None,
    *,
    lang: Lang = "zh",
    specs: Iterable[LayerSpec] = LAYER_SPECS,
    choices: Sequence[Basemap] = basemaps(),
    metadata: Mapping[str, Any] | None = None,
    links: str = "",
    default_basemap: str = "none",
) -> folium.Map:
    """Return a tile-free folium.Map: district base, hubs, one layer per category, controls.

    ``choices`` are the tile basemaps a visitor may switch to (none is drawn at first);
    ``links`` prefixes the links to the app's pages (``""`` on the app itself).
    """
    for gdf in (places, districts, hubs):
        if gdf.crs is None or gdf.crs.to_epsg() != 4326:
            msg = f"layers need EPSG:4326 data, got {gdf.crs}"
            raise ValueError(msg)
    specs = tuple(specs)
    # tiles=None needs maxZoom on the map itself, or MarkerCluster fails ("Map has no maxZoom").
    # Zoom buttons bottom right: the top left holds the title, search and filters.
    m = _LeanMap(
        location=SHANGHAI_CENTER,
        zoom_start=SHANGHAI_ZOOM,
        tiles=None,
        maxZoom=18,
        zoom_control="bottomright",
    )
    context = context_geojson()
    outlines = {"context": context_outlines(context), "districts": district_outlines(districts)}
    land = context_base(outlines["context"]).add_to(m)
    base = districts_base(outlines["districts"], lang).add_to(m)
    layer_vars: dict[str, str] = {}
    for spec in specs:
        if spec.kind == "hubs":
            fg = hubs_layer(hubs, spec, lang)
        else:
            fg = layer_from_gdf(places, spec, lang)
        fg.add_to(m)
        layer_vars[spec.id] = fg.get_name()
    control = folium.LayerControl(collapsed=True).add_to(m)
    _ExposeVariable("imLayerControl", control.get_name()).add_to(m)
    payload = ui_payload(
        places,
        districts,
        profiles if profiles is not None else _NO_PROFILES,
        lang=lang,
        names={"map": m.get_name(), "control": "imLayerControl", "districts": base.get_name()},
        specs=specs,
        layer_vars=layer_vars,
        choices=choices,
        metadata=metadata or {},
        links=links,
        default_basemap=default_basemap,
        aggregate_threshold=AGGREGATE_THRESHOLD,
        cluster_threshold=_CLUSTER_THRESHOLD,
    )
    payload["carto"] = carto_payload(places, districts, hubs, lang, context)
    payload["vars"]["context"] = land.get_name()
    payload["outlines"] = outlines  # drawn into folium's two layers by static/js/outlines.js
    if any(layer["cluster"] for layer in payload["layers"]):
        _ClusterAssets().add_to(m)  # type: ignore[no-untyped-call]
    css, body, script = ui_parts(payload)
    figure = m.get_root()
    assert isinstance(figure, Figure)  # a Map's root is always its Figure
    figure.header.add_child(_Verbatim(css))
    figure.html.add_child(_Verbatim(body))
    figure.script.add_child(_Verbatim(script))
    return m
