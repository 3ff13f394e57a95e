"""A corrupt hubs or district cue file is one clear message (GeoError), never a traceback."""

from __future__ import annotations

import pytest

from geo.errors import GeoError
from geo.pipeline import Inputs, run_pipeline


@pytest.mark.parametrize(
    "content, expected",
    [
        (b'{"type": "FeatureCollection", "features": [', "hubs file .* is unreadable"),
        (b"\xff\xfe not json", "hubs file .* is unreadable"),
    ],
)
def test_corrupt_hubs_file(fixture_inputs: Inputs, content: bytes, expected: str) -> None:
    fixture_inputs.hubs.write_bytes(content)
    with pytest.raises(GeoError, match=expected):
        run_pipeline(fixture_inputs)


@pytest.mark.parametrize(
    "content, expected",
    [
        (b"district_zh,cue\n\xff\xfe\n", "district cue file .* is not UTF-8: save it as CSV UTF-8"),
        (b"nope\n", "district cue file .* lacks columns"),
        ("district_zh,cue\n不是一个区,张江\n".encode(), "bad cue row"),
    ],
)
def test_corrupt_district_cue_file(fixture_inputs: Inputs, content: bytes, expected: str) -> None:
    (fixture_inputs.gazetteer_dir / "district_cues.csv").write_bytes(content)
    with pytest.raises(GeoError, match=expected):
        run_pipeline(fixture_inputs)
