from __future__ import annotations

import re

import branca.colormap
import folium
import pytest
from folium.plugins import Fullscreen, MarkerCluster, Search

from layers.assets import VENDOR_DIR, AssetError, localize_html, missing_vendor_files


def _full_map() -> folium.Map:
    m = folium.Map(tiles=None, maxZoom=18)
    cluster = MarkerCluster().add_to(m)
    folium.Marker((31.2, 121.5), icon=folium.Icon(icon="flask", prefix="fa")).add_to(cluster)
    gj = folium.GeoJson(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {"name": "张江"},
                    "geometry": {"type": "Point", "coordinates": [121.6, 31.2]},
                }
            ],
        },
        tooltip=folium.GeoJsonTooltip(fields=["name"]),
        popup=folium.GeoJsonPopup(fields=["name"]),
    ).add_to(m)
    Search(layer=gj, search_label="name").add_to(m)
    Fullscreen().add_to(m)
    branca.colormap.LinearColormap(["#ffffff", "#000000"], vmin=0, vmax=1).add_to(m)
    folium.LayerControl().add_to(m)
    return m


def test_every_asset_is_vendored() -> None:
    assert missing_vendor_files() == []


def test_localized_map_references_no_other_host_and_only_existing_files() -> None:
    html = localize_html(_full_map().get_root().render())
    assert not re.search(r"""(src|href)=["'](https?:)?//""", html)
    local = re.findall(r"""(?:src|href)=["']/static/vendor/([^"']+)["']""", html)
    assert len(local) >= 15
    for path in local:
        assert (VENDOR_DIR / path).is_file(), path


def test_css_relative_urls_resolve() -> None:
    for css in VENDOR_DIR.rglob("*.css"):
        for ref in re.findall(r"url\(['\"]?([^'\")]+)['\"]?\)", css.read_text(encoding="utf-8")):
            if ref.startswith(("data:", "#")):
                continue
            target = (css.parent / ref.split("?")[0].split("#")[0]).resolve()
            if target.suffix in (".eot", ".svg", ".ttf", ".woff") and not target.exists():
                continue  # older font formats: browsers here take woff2
            assert target.exists(), (css, ref)


def test_an_unknown_cdn_url_fails_loudly() -> None:
    with pytest.raises(AssetError, match="unpkg"):
        localize_html('<script src="https://unpkg.com/x.js"></script>')
    with pytest.raises(AssetError):
        localize_html('<link href="//cdn.example/x.css" rel="stylesheet">')
