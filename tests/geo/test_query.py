from __future__ import annotations

import pytest

from geo.params import ParamError
from geo.pipeline import BuildData, Inputs, run_pipeline
from geo.query import PlaceIndex, QueryError, filter_places

QUERIES = [
    {},
    {"district": "Pudong"},
    {"category": "facility,university"},
    {"year": "2030"},
    {"status": "operating"},
    {"year": "2030", "status": "operating"},
    {"year": "2030", "status": "planned,under_construction"},
    {"q": "LAB"},
    {"q": "光源"},
    {"bbox": "121.49,31.29,121.52,31.31"},
    {"district": "浦东新区", "q": "x射线"},
]


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> BuildData:
    from pathlib import Path

    from geo import settings

    base = Path(__file__).parents[1] / "data"
    return run_pipeline(
        Inputs(
            base / "reports",
            base / "gazetteer",
            settings.BOUNDARIES_FILE,
            base / "hubs" / "hubs.geojson",
        )
    )


@pytest.mark.parametrize("query", QUERIES)
def test_the_prepared_index_gives_the_same_answer(data: BuildData, query: dict[str, str]) -> None:
    places = data.places
    index = PlaceIndex.of(places)
    plain = sorted(filter_places(places, **query)["id"])  # type: ignore[arg-type]
    fast = sorted(filter_places(places, index=index, **query)["id"])  # type: ignore[arg-type]
    assert plain == fast
    # The index of the whole frame also serves a subset of it (the map's layers filter).
    subset = places[places["in_shanghai"].astype(bool)]
    assert sorted(filter_places(subset, index=index, **query)["id"]) == sorted(  # type: ignore[arg-type]
        filter_places(subset, **query)["id"]  # type: ignore[arg-type]
    )


def test_status_in_a_year_means_that_reports_status(data: BuildData) -> None:
    for row in filter_places(data.places, year="2030", status="operating").to_dict("records"):
        assert {"year": 2030, "status": "operating"}.items() <= next(
            t for t in row["timeline"] if t["year"] == 2030
        ).items()


def test_text_search_is_case_insensitive_over_names_and_aliases(data: BuildData) -> None:
    assert set(filter_places(data.places, q="zhangjiang LAB")["id"]) == {"zhangjiang-laboratory"}


@pytest.mark.parametrize(
    ("kwargs", "parameter"),
    [
        ({"district": "Atlantis"}, "district"),
        ({"category": "castle"}, "category"),
        ({"year": "soon"}, "year"),
        ({"status": "dreaming"}, "status"),
        ({"bbox": "1,2,3"}, "bbox"),
        ({"bbox": "10,10,5,5"}, "bbox"),
        ({"q": "x" * 101}, "q"),
    ],
)
def test_bad_filters_name_the_parameter(
    data: BuildData, kwargs: dict[str, str], parameter: str
) -> None:
    with pytest.raises(QueryError) as err:
        filter_places(data.places, **kwargs)  # type: ignore[arg-type]
    assert err.value.parameter == parameter


@pytest.mark.parametrize("raw", [",", ",,,", "facility,", ",facility", "facility,,university"])
def test_an_empty_item_in_a_list_is_refused(raw: str) -> None:
    from geo.params import ParamError, values

    with pytest.raises(ParamError) as err:
        values({"layers": raw}, "layers")
    assert err.value.parameter == "layers"


def test_an_empty_value_means_not_given() -> None:
    from geo.params import values

    assert values({"status": ""}, "status") == []
    assert values({"status": " operating , planned "}, "status") == ["operating", "planned"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2025", (2025,)),
        ("2022/2025", (2022, 2025)),
        ("../2022", (2021, 2022)),
        ("2025-06/2025", (2025,)),
        ("2021-01-01T00:00:00Z", (2021,)),
        ("2025-01-01T09:00:00+08:00/2025-01-01T09:00:00Z", (2025,)),
    ],
)
def test_datetime_accepts_real_instants_and_intervals(raw: str, expected: tuple[int, ...]) -> None:
    from geo.query import parse_datetime

    assert parse_datetime(raw, (2021, 2022, 2025)) == expected


@pytest.mark.parametrize(
    ("raw", "says"),
    [
        ("2025-13-01T00:00:00Z", "not a real date"),
        ("2025-02-30", "not a real date"),
        ("2025-13", "not a real date"),
        ("2025-01-01T25:00:00Z", "not a real date"),
        ("2025/2022", "starts after it ends"),
        ("2025-06-01/2025-01-31", "starts after it ends"),
        ("2025-01-01T10:00:00Z/2025-01-01T09:00:00Z", "starts after it ends"),
    ],
)
def test_datetime_refuses_impossible_dates_and_reversed_intervals(raw: str, says: str) -> None:
    from geo.query import parse_datetime

    with pytest.raises(ParamError, match=says) as info:
        parse_datetime(raw, (2021, 2022, 2025))
    assert info.value.parameter == "datetime" and " / " in str(info.value)
