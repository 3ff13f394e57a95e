"""Browser-free guard: the map page loads nothing from other hosts, all of it is on disk, and
nothing is vendored that the page does not load."""

from __future__ import annotations

import re
from pathlib import Path

import folium
import pytest

from geo import settings
from geo.pipeline import Inputs, run_pipeline
from layers import build as build_module
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
from layers.build import map_from_layers

_ATTR_URL = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
_CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+?)['"]?\s*\)""")


@pytest.fixture(scope="module")
def raw_html() -> str:
    """The real map page (fixture data), with every layer clustered so all assets appear."""
    base = Path(__file__).parents[1] / "data"
    data = run_pipeline(
        Inputs(
            base / "reports",
            base / "gazetteer",
            settings.BOUNDARIES_FILE,
            base / "hubs" / "hubs.geojson",
        )
    )
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(build_module, "_CLUSTER_THRESHOLD", 0)
        m = map_from_layers(data.places, data.districts, data.hubs, lang="en")
        return m.get_root().render()


@pytest.fixture(scope="module")
def localized_html(raw_html: str) -> str:
    return localize_html(raw_html)


def test_url_map_is_exactly_what_the_page_loads(raw_html: str) -> None:
    # Guards both ways: a new folium URL, and a stale URL_MAP entry nobody renders.
    assert external_refs(raw_html) == sorted(URL_MAP)


def test_nothing_is_vendored_that_the_page_does_not_load() -> None:
    def package(local: str) -> str:
        parts = local.split("/")
        return "/".join(parts[:2]) if parts[0].startswith("@") else parts[0]

    wanted = {package(local) for local in URL_MAP.values()}
    on_disk = {
        str(p.relative_to(VENDOR_DIR))
        for p in [*VENDOR_DIR.glob("[!@]*@*"), *VENDOR_DIR.glob("@*/*@*")]
        if p.is_dir()
    }
    assert on_disk == wanted
    assert {p.name for p in VENDOR_DIR.iterdir() if p.is_file()} == {"README.md"}


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
    assert len(sheets) >= 4  # Leaflet, two MarkerCluster, the icon subset
    for css in sheets:
        for ref in _CSS_URL.findall(css.read_text(encoding="utf-8")):
            if ref.startswith(("data:", "#")):
                continue  # inline data, or leaflet.css's old-IE url(#default#VML)
            assert not ref.startswith(("http:", "https:", "//")), (css, ref)
            target = (css.parent / ref.split("?")[0].split("#")[0]).resolve()
            assert target.is_file(), (css.relative_to(VENDOR_DIR), ref)


def test_custom_static_prefix(raw_html: str) -> None:
    html = localize_html(raw_html, static_prefix="/assets/vendor/")
    assert 'src="/assets/vendor/leaflet@1.9.3/dist/leaflet.js"' in html
    assert "/assets/vendor//" not in html


def test_tile_url_templates_are_left_alone() -> None:
    m = folium.Map(location=(31.23, 121.47), tiles="OpenStreetMap")
    m.default_js = [js for js in m.default_js if js[0] == "leaflet"]
    m.default_css = [css for css in m.default_css if css[0] in ("leaflet_css",)]
    html = localize_html(m.get_root().render())
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
        '<script src="https://code.jquery.com/jquery-3.7.1.min.js"></script>',  # no longer vendored
    ],
)
def test_an_unknown_cdn_url_fails_loudly(localized_html: str, snippet: str) -> None:
    page = localized_html.replace("</head>", f"{snippet}\n</head>", 1)
    with pytest.raises(AssetError, match=r"example|unpkg|jquery"):
        localize_html(page)


def test_a_changed_folium_url_fails_loudly(raw_html: str) -> None:
    upgraded = raw_html.replace("leaflet@1.9.3", "leaflet@1.9.4")
    with pytest.raises(AssetError, match=r"leaflet@1\.9\.4"):
        localize_html(upgraded)


def test_the_icon_subset_holds_every_icon_the_map_uses() -> None:
    import re

    from fontTools.ttLib import TTFont

    from layers.style import CATEGORY_STYLES, ICONS, style_for

    subset_dir = VENDOR_DIR / "fontawesome-subset@6.2.0"
    css = (subset_dir / "css" / "icons.css").read_text(encoding="utf-8")
    rules = dict(re.findall(r'\.fa-([a-z0-9-]+):before\{content:"\\([0-9a-f]+)"\}', css))
    used = {s.icon for s in CATEGORY_STYLES.values()} | {style_for("unknown").icon}
    assert used <= set(ICONS) == set(rules)
    font = TTFont(subset_dir / "webfonts" / "fa-solid-900.woff2")
    cmap = font.getBestCmap()
    assert all(int(code, 16) in cmap for code in rules.values())
