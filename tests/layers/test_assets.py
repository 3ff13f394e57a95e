"""Browser-free guard: a localized folium page loads nothing from other hosts, and all is on disk."""

from __future__ import annotations

import re
from pathlib import Path

import branca.colormap
import folium
import pytest
from folium.plugins import Fullscreen, MarkerCluster, Search

from layers.assets import (
    DEFAULT_PREFIX,
    STATIC_DIR,
    URL_MAP,
    VENDOR_DIR,
    AssetError,
    external_refs,
    localize_html,
    missing_vendor_files,
)

_ATTR_URL = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
_CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+?)['"]?\s*\)""")


def _full_map(tiles: str | None = None) -> folium.Map:
    """Every folium feature the project uses, so every asset they pull in is rendered."""
    m = folium.Map(location=(31.23, 121.47), zoom_start=10, tiles=tiles, maxZoom=18)
    cluster = MarkerCluster(name="Sites").add_to(m)
    folium.Marker((31.20, 121.60), icon=folium.Icon(icon="flask", prefix="fa")).add_to(cluster)
    folium.Marker((31.25, 121.45), icon=folium.Icon(icon="leaf", angle=45)).add_to(cluster)
    folium.Marker((31.30, 121.50)).add_to(cluster)
    districts = folium.GeoJson(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {"name": "张江", "value": 0.7},
                    "geometry": {
                        "type": "Polygon",
                        "coordinates": [
                            [[121.55, 31.15], [121.65, 31.15], [121.65, 31.25], [121.55, 31.15]]
                        ],
                    },
                }
            ],
        },
        name="Districts",
        tooltip=folium.GeoJsonTooltip(fields=["name"]),
        popup=folium.GeoJsonPopup(fields=["name", "value"]),
    ).add_to(m)
    Search(layer=districts, search_label="name").add_to(m)
    Fullscreen().add_to(m)
    branca.colormap.LinearColormap(
        ["#fff7bc", "#d95f0e"], vmin=0, vmax=1, caption="研发投入"
    ).add_to(m)
    folium.LayerControl().add_to(m)
    return m


@pytest.fixture(scope="module")
def raw_html() -> str:
    return _full_map().get_root().render()


@pytest.fixture(scope="module")
def localized_html(raw_html: str) -> str:
    return localize_html(raw_html)


def test_url_map_is_exactly_what_the_full_map_loads(raw_html: str) -> None:
    # Guards both ways: a new folium/branca URL, and a stale URL_MAP entry nobody renders.
    assert external_refs(raw_html) == sorted(URL_MAP)


def test_localized_page_references_no_other_host(localized_html: str) -> None:
    assert external_refs(localized_html) == []
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", localized_html, re.I)
    assert "cdn.jsdelivr" not in localized_html and "cdnjs" not in localized_html


def test_every_local_reference_exists_on_disk(localized_html: str) -> None:
    refs = [u for u in _ATTR_URL.findall(localized_html) if u.startswith(f"{DEFAULT_PREFIX}/")]
    assert len(set(refs)) == len(URL_MAP)
    for ref in refs:
        path = VENDOR_DIR / ref.removeprefix(f"{DEFAULT_PREFIX}/")
        assert path.is_file(), ref


def test_every_vendored_file_is_present() -> None:
    assert missing_vendor_files() == []
    assert missing_vendor_files(STATIC_DIR) == []


def test_missing_vendor_files_names_what_is_absent(tmp_path: Path) -> None:
    missing = missing_vendor_files(tmp_path)
    assert len(missing) == len(set(URL_MAP.values()))
    assert "vendor/leaflet@1.9.3/dist/leaflet.js" in missing


def test_css_relative_urls_resolve() -> None:
    sheets = sorted(VENDOR_DIR.rglob("*.css"))
    assert len(sheets) >= 10
    for css in sheets:
        for ref in _CSS_URL.findall(css.read_text(encoding="utf-8")):
            if ref.startswith(("data:", "#")):
                continue  # inline data, or leaflet.css's old-IE url(#default#VML)
            assert not ref.startswith(("http:", "https:", "//")), (css, ref)
            target = (css.parent / ref.split("?")[0].split("#")[0]).resolve()
            assert target.is_file(), (css.relative_to(VENDOR_DIR), ref)


def test_rotate_css_covers_every_folium_icon_angle() -> None:
    css = (VENDOR_DIR / "folium@0.20.0/leaflet.awesome.rotate.min.css").read_text(encoding="utf-8")
    for angle in (0, 1, 45, 359, 360):
        assert f".fa-rotate-{angle}{{" in css
        assert f"transform:rotate({angle}deg)" in css


def test_custom_static_prefix(raw_html: str) -> None:
    html = localize_html(raw_html, static_prefix="/assets/vendor/")
    assert 'src="/assets/vendor/d3@3.5.5/d3.min.js"' in html  # branca's hard-coded d3
    assert "/assets/vendor//" not in html


def test_tile_url_templates_are_left_alone() -> None:
    html = localize_html(_full_map(tiles="OpenStreetMap").get_root().render())
    assert "https://tile.openstreetmap.org/{z}/{x}/{y}.png" in html
    assert external_refs(html) == []


@pytest.mark.parametrize(
    "snippet",
    [
        '<script src="https://unpkg.com/leaflet@1.9.4/dist/leaflet.js"></script>',
        "<link rel='stylesheet' href='http://example.org/x.css'>",
        '<link href="//cdn.example/x.css" rel="stylesheet">',
        "<img src=https://example.org/a.png>",
        '<SCRIPT SRC = "https://example.org/x.js"></SCRIPT>',
    ],
)
def test_an_unknown_cdn_url_fails_loudly(localized_html: str, snippet: str) -> None:
    page = localized_html.replace("</head>", f"{snippet}\n</head>", 1)
    with pytest.raises(AssetError, match=r"example|unpkg"):
        localize_html(page)


def test_a_changed_folium_url_fails_loudly(raw_html: str) -> None:
    upgraded = raw_html.replace("leaflet@1.9.3", "leaflet@1.9.4")
    with pytest.raises(AssetError, match=r"leaflet@1\.9\.4"):
        localize_html(upgraded)
