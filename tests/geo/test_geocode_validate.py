from __future__ import annotations

import pandas as pd
import pytest
from shapely.geometry import Point

from geo.boundaries import district_points, load_districts
from geo.errors import PlaceValidationError
from geo.extract import Mention
from geo.gazetteer import Gazetteer
from geo.geocode import places_from_mentions
from geo.validate import place_problems, validate_places_gdf


def _mention(pid: str, year: int = 2025, status: str | None = None) -> Mention:
    return Mention(pid, f"{year}_r", year, 1, "quote", status, "x", 0)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def districts():  # type: ignore[no-untyped-def]
    return load_districts()


def _places(gazetteer: Gazetteer, districts):  # type: ignore[no-untyped-def]
    mentions = [_mention(p.id) for p in gazetteer.places]
    return places_from_mentions(gazetteer, mentions, district_points(districts))


def test_fallback_chain_is_recorded(fixture_gazetteer: Gazetteer, districts) -> None:  # type: ignore[no-untyped-def]
    gdf = _places(fixture_gazetteer, districts).set_index("id")
    assert gdf.crs.to_epsg() == 4326
    own = gdf.loc["fudan-university"]
    assert own.precision == "campus" and own.coord_source.startswith("curator: known campus")
    assert (own.geometry.x, own.geometry.y) == (121.5035, 31.2975)  # (lon, lat)
    parent = gdf.loc["ssrf-phase-ii"]
    assert parent.coord_source == "parent: shanghai-synchrotron-radiation-facility"
    assert parent.precision == "campus"
    assert parent.geometry == gdf.loc["shanghai-synchrotron-radiation-facility"].geometry
    area = gdf.loc["zhangjiang-drug-base"]
    assert area.precision == "area" and area.coord_source == "parent: zhangjiang-science-city"
    district = gdf.loc["tsung-dao-lee-institute"]
    assert district.precision == "district" and district.coord_source == "district point: 浦东新区"
    validate_places_gdf(gdf.reset_index(), districts)


def test_years_timeline_and_latest_status(fixture_gazetteer: Gazetteer, districts) -> None:  # type: ignore[no-untyped-def]
    pid = "zhangjiang-laboratory"
    mentions = [_mention(p.id) for p in fixture_gazetteer.places if p.id != pid]
    mentions += [
        _mention(pid, 2021, "planned"),
        _mention(pid, 2025, "launched"),
        _mention(pid, 2025, "operating"),
    ]
    gdf = places_from_mentions(fixture_gazetteer, mentions, district_points(districts)).set_index(
        "id"
    )
    row = gdf.loc[pid]
    assert row.years == [2021, 2025]
    assert row.status == "operating"
    assert [t["status"] for t in row.timeline] == ["planned", "operating"]
    # The two 2025 mentions are on the same line with the same quote: cited once.
    assert len(row.sources) == 2 and set(row.sources[0]) == {"report", "year", "line", "quote"}
    assert [s["year"] for s in row.sources] == [2021, 2025]


def test_validation_reports_every_problem_at_once(fixture_gazetteer: Gazetteer, districts) -> None:  # type: ignore[no-untyped-def]
    gdf = _places(fixture_gazetteer, districts)
    gdf.loc[0, "geometry"] = Point(121.5035, 31.2975)  # Yangpu point for a Pudong place
    gdf.loc[1, "geometry"] = Point(120.16, 30.27)  # Hangzhou, but in_shanghai
    gdf.loc[2, "sources"] = []  # type: ignore[call-overload]
    gdf.loc[3, "category"] = "castle"
    gdf.loc[9, "geometry"] = Point(121.47, 31.23)  # outside-Shanghai place put in the city
    gdf.loc[4, "id"] = gdf.loc[5, "id"]
    problems = place_problems(gdf, districts)
    text = "\n".join(problems)
    assert "outside its district 浦东新区 (it lies in 杨浦区)" in text
    assert "is outside Shanghai" in text
    assert "no source" in text
    assert "unknown category 'castle'" in text
    assert "in_shanghai is false but its point lies inside Shanghai" in text
    assert "duplicate id" in text
    with pytest.raises(PlaceValidationError, match=r"\(\d+ problems\)"):
        validate_places_gdf(gdf, districts)


def test_a_place_with_no_known_district_stays_unplaced(
    fixture_gazetteer: Gazetteer, districts
) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from geo.geocode import UNPLACED

    lee = next(p for p in fixture_gazetteer.places if p.id == "tsung-dao-lee-institute")
    places = tuple(
        replace(p, district_zh=None) if p.id == lee.id else p for p in fixture_gazetteer.places
    )
    gaz = Gazetteer(places)
    gdf = _places(gaz, districts).set_index("id")
    row = gdf.loc["tsung-dao-lee-institute"]
    assert row.geometry is None and row.coord_source == UNPLACED and pd.isna(row.precision)
    assert place_problems(gdf.reset_index(), districts) == []
    # ... but a Shanghai point must still name its district.
    from geo.gazetteer import validate_gazetteer

    fudan = next(p for p in places if p.id == "fudan-university")
    problems = validate_gazetteer([replace(fudan, district_zh=None)])
    assert problems == ["fudan-university: a Shanghai point needs its district_zh"]


def test_an_unplaced_shanghai_place_never_inherits_a_point_from_outside(
    fixture_gazetteer: Gazetteer, districts
) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from geo.geocode import UNPLACED

    places = tuple(
        replace(p, district_zh=None, parent_id="hefei-national-science-centre")
        if p.id == "tsung-dao-lee-institute"
        else p
        for p in fixture_gazetteer.places
    )
    row = _places(Gazetteer(places), districts).set_index("id").loc["tsung-dao-lee-institute"]
    assert row.geometry is None and row.coord_source == UNPLACED
