"""Tile basemaps offered on top of the district base, with the datum each one is drawn in.

The map needs no tiles: ``none`` (the district polygons only) is the default, so it is complete
offline, in tests and on networks that block foreign tile servers. The others are options a
visitor picks. Gaode's tiles are in GCJ-02, so the page shifts our WGS-84 overlays at display
time while Gaode is shown (the data and every export stay WGS-84). Tianditu (CGCS2000, within
about a metre of WGS-84) is offered only when a key is configured, because it refuses requests
without one.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from layers.i18n import Lang


@dataclass(frozen=True)
class Basemap:
    """A tile basemap: its id (the URL value), titles, tile URL template and datum."""

    id: str
    title_zh: str
    title_en: str
    url: str  # Leaflet tile URL template; empty for the tile-free base
    attribution: str
    datum: str  # "wgs84" or "gcj02": the datum the tiles are drawn in
    subdomains: str = "abc"
    max_zoom: int = 18
    overlay_url: str = ""  # annotation layer drawn above the tiles (Tianditu labels)

    def title(self, lang: Lang) -> str:
        """Return the title in ``lang``."""
        return self.title_zh if lang == "zh" else self.title_en


NO_TILES = Basemap("none", "无底图（仅行政区）", "No tiles (districts only)", "", "", "wgs84")

_PUBLIC: tuple[Basemap, ...] = (
    NO_TILES,
    Basemap(
        "carto",
        "CARTO 浅色",
        "CARTO light",
        "https://{s}.basemaps.cartocdn.com/light_all/{z}/{x}/{y}.png",
        "© OpenStreetMap contributors © CARTO",
        "wgs84",
        subdomains="abcd",
    ),
    Basemap(
        "osm",
        "OpenStreetMap",
        "OpenStreetMap",
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        "© OpenStreetMap contributors",
        "wgs84",
        subdomains="",
        max_zoom=19,
    ),
    Basemap(
        "gaode",
        "高德地图（GCJ-02）",
        "Gaode / Amap (GCJ-02)",
        "https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}",
        "© 高德地图 AutoNavi",
        "gcj02",
        subdomains="1234",
    ),
)

_TIANDITU_URL = (
    "https://t{{s}}.tianditu.gov.cn/{layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
    "&LAYER={layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles"
    "&TILEMATRIX={{z}}&TILEROW={{y}}&TILECOL={{x}}&tk={key}"
)


def basemaps(tianditu_key: str | None = None) -> tuple[Basemap, ...]:
    """Return the basemaps offered: the public ones, plus Tianditu when a key is given."""
    if not tianditu_key:
        return _PUBLIC
    tianditu = Basemap(
        "tianditu",
        "天地图（CGCS2000）",
        "Tianditu (CGCS2000)",
        _TIANDITU_URL.format(layer="vec", key=tianditu_key),
        "© 天地图 Tianditu",
        "wgs84",  # CGCS2000 and WGS-84 differ by about a metre: no shift
        subdomains="01234567",
        overlay_url=_TIANDITU_URL.format(layer="cva", key=tianditu_key),
    )
    return (*_PUBLIC, tianditu)


BASEMAP_IDS: tuple[str, ...] = (*(b.id for b in _PUBLIC), "tianditu")


def basemap_options(choices: tuple[Basemap, ...], lang: Lang) -> list[dict[str, Any]]:
    """Return the basemaps as plain data for the page's script."""
    out = []
    for b in choices:
        item = asdict(b)
        item["title"] = b.title(lang)
        del item["title_zh"], item["title_en"]
        out.append(item)
    return out
