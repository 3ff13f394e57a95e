"""GeoDataFrames → Folium: one FeatureGroup per layer, districts as base, on a tile-free map."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import folium
import geopandas as gpd
from branca.element import Figure
from folium.plugins import MarkerCluster

from layers.i18n import Lang, text
from layers.popups import popup_html, tooltip_html
from layers.specs import LAYER_SPECS, LayerSpec
from layers.style import PRECISION_BADGES, style_for

#: Centre of Shanghai (lat, lon) for folium, and the zoom that shows the whole city.
SHANGHAI_CENTER = (31.20, 121.45)
SHANGHAI_ZOOM = 9
_CLUSTER_THRESHOLD = 12  # cluster a layer only when it has more points than this
_WIDE_SCREEN_PX = 700


def _marker(place: dict[str, Any], lang: Lang) -> folium.Marker:
    style = style_for(str(place["category"]))
    badge = PRECISION_BADGES.get(str(place["precision"]), "?")
    # A circle in the category colour with the precision letter: readable without colour.
    icon = folium.DivIcon(
        html=(
            f'<div class="pm pm-{place["precision"]}" style="background:{style.color}" '
            f'title="{text("precision", lang)}: {badge}">'
            f'<i class="fa-solid fa-{style.icon}"></i><span class="pm-badge">{badge}</span></div>'
        ),
        icon_size=(26, 26),
        icon_anchor=(13, 13),
    )
    geom = place["geometry"]
    return folium.Marker(
        location=(geom.y, geom.x),  # folium wants (lat, lon); shapely gives x=lon, y=lat
        icon=icon,
        tooltip=folium.Tooltip(tooltip_html(place, lang)),
        popup=folium.Popup(popup_html(place, lang), max_width=360),
    )


def layer_from_gdf(places: gpd.GeoDataFrame, spec: LayerSpec, lang: Lang) -> folium.FeatureGroup:
    """Return the FeatureGroup of one places layer (clustered when it is crowded)."""
    fg = folium.FeatureGroup(name=spec.title(lang), show=spec.default_on)
    places = places[places.geometry.notna() & ~places.geometry.is_empty]  # unplaced rows: list only
    in_shanghai = places["in_shanghai"].astype(bool)
    if spec.kind == "outside":
        rows = places[~in_shanghai].to_dict("records")
    else:
        rows = places[in_shanghai & (places["category"] == spec.category)].to_dict("records")
    parent: folium.FeatureGroup | MarkerCluster = fg
    if len(rows) > _CLUSTER_THRESHOLD:
        # folium's plugins are untyped
        parent = MarkerCluster(options={"showCoverageOnHover": False})  # type: ignore[no-untyped-call]
        parent.add_to(fg)
    for place in rows:
        _marker(place, lang).add_to(parent)
    return fg


def hubs_layer(hubs: gpd.GeoDataFrame, spec: LayerSpec, lang: Lang) -> folium.FeatureGroup:
    """Return the hubs layer: approximate areas and the G60 line, dashed to show approximation."""
    fg = folium.FeatureGroup(name=spec.title(lang), show=spec.default_on)
    name = "name_zh" if lang == "zh" else "name_en"
    folium.GeoJson(
        hubs[["id", "name_zh", "name_en", "kind", "geometry_source", "geometry"]],
        style_function=lambda _: {
            "color": "#D55E00",
            "weight": 2,
            "dashArray": "6 4",
            "fillOpacity": 0.08,
        },
        tooltip=folium.GeoJsonTooltip(fields=[name, "geometry_source"], labels=False),
    ).add_to(fg)
    return fg


def districts_base(districts: gpd.GeoDataFrame, lang: Lang) -> folium.GeoJson:
    """Return the district polygons drawn as the base map (always on, not in the layer control)."""
    name = "name_zh" if lang == "zh" else "name_en"
    return folium.GeoJson(
        districts[["name_zh", "name_en", "geometry"]],
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


_PAGE_CSS = """
<style>
.folium-map.leaflet-container { background: #cfe3ef; font-family: "WenQuanYi Micro Hei", system-ui, sans-serif; }
.pm { width: 26px; height: 26px; border-radius: 50%; border: 2px solid #fff; box-shadow: 0 0 2px #333;
      color: #fff; display: flex; align-items: center; justify-content: center; font-size: 12px; position: relative; }
.pm-district, .pm-area { border-style: dashed; }
.pm-badge { position: absolute; right: -7px; bottom: -5px; background: #fff; color: #222; border-radius: 6px;
            font: bold 9px/11px sans-serif; padding: 0 2px; border: 1px solid #555; }
.map-title { position: absolute; top: 10px; left: 56px; z-index: 1000; background: rgba(255,255,255,.92);
             padding: 6px 10px; border-radius: 6px; box-shadow: 0 1px 4px rgba(0,0,0,.3); }
.map-title h1 { font-size: 16px; margin: 0; } .map-title p { font-size: 12px; margin: 2px 0 0; }
.place-popup table { font-size: 12px; } .place-popup th { padding-right: 6px; vertical-align: top; }
.place-popup q { font-size: 12px; }
</style>
"""


def _title_box(lang: Lang) -> str:
    other = "en" if lang == "zh" else "zh"
    title = "上海科技创新地图" if lang == "zh" else "Shanghai innovation map"
    sub = (
        "来源：上海市科技进步报告与“十四五”规划 · 坐标 WGS-84"
        if lang == "zh"
        else "Source: Shanghai S&amp;T progress reports and 14th Five-Year plan · WGS-84"
    )
    switch = "English" if lang == "zh" else "中文"
    return (
        f'<div class="map-title" lang="{lang}"><h1>{title}</h1>'
        f'<p>{sub} · <a href="?lang={other}" hreflang="{other}">{switch}</a></p></div>'
    )


def map_from_layers(
    places: gpd.GeoDataFrame,
    districts: gpd.GeoDataFrame,
    hubs: gpd.GeoDataFrame,
    *,
    lang: Lang = "zh",
    specs: Iterable[LayerSpec] = LAYER_SPECS,
) -> folium.Map:
    """Return a tile-free folium.Map: district base, hubs, and one layer per category."""
    for gdf in (places, districts, hubs):
        if gdf.crs is None or gdf.crs.to_epsg() != 4326:
            msg = f"layers need EPSG:4326 data, got {gdf.crs}"
            raise ValueError(msg)
    # tiles=None needs maxZoom on the map itself, or MarkerCluster fails ("Map has no maxZoom").
    m = folium.Map(location=SHANGHAI_CENTER, zoom_start=SHANGHAI_ZOOM, tiles=None, maxZoom=18)
    districts_base(districts, lang).add_to(m)
    for spec in specs:
        if spec.kind == "hubs":
            hubs_layer(hubs, spec, lang).add_to(m)
        else:
            layer_from_gdf(places, spec, lang).add_to(m)
    control = folium.LayerControl(collapsed=True).add_to(m)
    figure = m.get_root()
    assert isinstance(figure, Figure)  # a Map's root is always its Figure
    figure.header.add_child(folium.Element(_PAGE_CSS))
    figure.html.add_child(folium.Element(_title_box(lang)))
    # Wide screens show the layer list open; phones keep it behind its button so the map shows.
    figure.script.add_child(
        folium.Element(
            # Deferred: folium defines the control later in this same script block.
            "document.addEventListener('DOMContentLoaded', function () {"
            f" if (window.matchMedia('(min-width: {_WIDE_SCREEN_PX}px)').matches)"
            f" {{ {control.get_name()}.expand(); }} }});"
        )
    )
    return m
