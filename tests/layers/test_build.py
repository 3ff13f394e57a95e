from __future__ import annotations

import json
import re
from pathlib import Path

import folium
import pytest

from geo.pipeline import BuildData, Inputs, run_pipeline
from layers.build import map_from_layers
from layers.bundle import page_script
from layers.specs import LAYER_SPECS, spec_by_id
from layers.ui import read_page_data


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> BuildData:
    base = Path(__file__).parents[1] / "data"
    from geo import settings

    return run_pipeline(
        Inputs(
            base / "reports",
            base / "gazetteer",
            settings.BOUNDARIES_FILE,
            base / "hubs" / "hubs.geojson",
        )
    )


def test_one_layer_per_category_plus_hubs(data: BuildData) -> None:
    m = map_from_layers(data.places, data.districts, data.hubs, lang="en")
    groups = [c for c in m._children.values() if isinstance(c, folium.FeatureGroup)]
    assert len(groups) == len(LAYER_SPECS)
    # Labels are HTML (swatch + title): the layer control doubles as the legend.
    names = {re.sub(r"<[^>]+>", "", g.layer_name) for g in groups}
    assert {
        "Big-science facilities",
        "Universities",
        "Innovation hubs",
        "Outside Shanghai",
    } <= names
    # Every layer is on at first: a URL without `layers` means all of them, as downloads read it.
    assert all(g.show for g in groups)
    assert spec_by_id("facility") is not None and spec_by_id("castle") is None


def test_rendered_map_has_markers_popups_and_no_tiles(data: BuildData) -> None:
    html = map_from_layers(data.places, data.districts, data.hubs, lang="zh").get_root().render()
    # Tile-free by default: tile URLs are only options in the page's data, never a layer.
    assert "tile_layer_" not in html  # folium names its tile layers tile_layer_<hash>
    payload = read_page_data(html)
    assert payload["defaultBasemap"] == "none"
    assert [b["id"] for b in payload["basemaps"]] == ["none", "carto", "osm", "gaode"]
    assert "maxZoom" in html
    # Markers are made in the browser from one array, not generated one call each.
    assert "L.marker(" not in html.replace(page_script(), "")
    placed = data.places[data.places.geometry.notna() & ~data.places.geometry.is_empty]
    assert len(payload["markers"]) == len(placed)
    assert "上海同步辐射光源" in html and "2030_mini_report" in html  # popup cites its source
    assert "pm-badge" in html  # the script's precision badge


def test_points_are_lat_lon_for_leaflet(data: BuildData) -> None:
    html = map_from_layers(data.places, data.districts, data.hubs).get_root().render()
    # Fudan: lon 121.5035, lat 31.2975 → marker row [31.2975, 121.5035, id, layer, precision]
    assert [31.2975, 121.5035, "fudan-university", "university", "campus"] in read_page_data(html)[
        "markers"
    ]


def test_non_wgs84_input_is_refused(data: BuildData) -> None:
    with pytest.raises(ValueError, match="EPSG:4326"):
        map_from_layers(data.places.to_crs(3857), data.districts, data.hubs)


def test_tianditu_is_offered_only_with_a_key_and_the_key_only_then(data: BuildData) -> None:
    from layers.basemaps import basemaps

    plain = map_from_layers(data.places, data.districts, data.hubs).get_root().render()
    assert "tianditu" not in plain
    keyed = (
        map_from_layers(data.places, data.districts, data.hubs, choices=basemaps("k3y-123"))
        .get_root()
        .render()
    )
    assert "tianditu.gov.cn" in keyed and "tk=k3y-123" in keyed


def test_page_data_cannot_close_its_script_element(data: BuildData) -> None:
    from layers.ui import json_for_script

    raw = json_for_script({"q": "</script><script>alert(1)</script>", "a": "&<!--"})
    assert "<" not in raw and ">" not in raw and "&" not in raw
    assert json.loads(raw) == {"q": "</script><script>alert(1)</script>", "a": "&<!--"}


def test_a_crowded_layer_is_aggregated_and_left_out_of_the_page_data(
    data: BuildData, monkeypatch: pytest.MonkeyPatch
) -> None:
    import layers.build as build_module

    monkeypatch.setattr(build_module, "AGGREGATE_THRESHOLD", 2)  # facilities (3) now aggregate
    html = map_from_layers(data.places, data.districts, data.hubs, lang="en").get_root().render()
    payload = read_page_data(html)
    assert payload["partial"] is True and "facility" in payload["aggregated"]
    assert not any(p["cat"] == "facility" for p in payload["places"])
    assert not any(row[3] == "facility" for row in payload["markers"])
    assert "L.circleMarker(" in html and "Big-science facilities: 3 places" in html
    # Places of other layers are still markers with popups.
    assert "fudan-university" in payload["popups"]


def test_drawn_outlines_are_simplified_and_rounded_but_keep_their_properties(
    data: BuildData,
) -> None:
    from layers.build import DISPLAY_DECIMALS, display_geojson

    doc = display_geojson(data.districts, ["name_zh", "name_en"])
    assert len(doc["features"]) == len(data.districts)
    assert {f["properties"]["name_zh"] for f in doc["features"]} == set(data.districts["name_zh"])

    def numbers(x: object) -> list[float]:
        return [v for c in x for v in numbers(c)] if isinstance(x, list) else [x]  # type: ignore[list-item]

    coords = [v for f in doc["features"] for v in numbers(f["geometry"]["coordinates"])]
    assert coords and all(round(v, DISPLAY_DECIMALS) == v for v in coords)
