from __future__ import annotations

from pathlib import Path

import folium
import pytest

from geo.pipeline import BuildData, Inputs, run_pipeline
from layers.build import map_from_layers
from layers.specs import LAYER_SPECS, spec_by_id


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
    names = {g.layer_name for g in groups}
    assert {
        "Big-science facilities",
        "Universities",
        "Innovation hubs",
        "Outside Shanghai",
    } <= names
    outside = next(g for g in groups if g.layer_name == "Outside Shanghai")
    assert outside.show is False  # partner cities are context, off at first
    assert spec_by_id("facility") is not None and spec_by_id("castle") is None


def test_rendered_map_has_markers_popups_and_no_tiles(data: BuildData) -> None:
    html = map_from_layers(data.places, data.districts, data.hubs, lang="zh").get_root().render()
    assert "tile.openstreetmap.org" not in html  # tile-free by default
    assert "maxZoom" in html
    assert html.count("L.marker(") == len(data.places)
    assert "上海同步辐射光源" in html and "2030_mini_report" in html  # popup cites its source
    assert "pm-badge" in html  # precision badge on every point


def test_points_are_lat_lon_for_folium(data: BuildData) -> None:
    html = map_from_layers(data.places, data.districts, data.hubs).get_root().render()
    # Fudan: lon 121.5035, lat 31.2975 → folium location [31.2975, 121.5035]
    assert "[31.2975, 121.5035]" in html


def test_non_wgs84_input_is_refused(data: BuildData) -> None:
    with pytest.raises(ValueError, match="EPSG:4326"):
        map_from_layers(data.places.to_crs(3857), data.districts, data.hubs)
