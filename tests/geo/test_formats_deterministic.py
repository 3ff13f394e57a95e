"""The same build and query give the same bytes, whenever they are written (ETags, ranges)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from geo.formats import FORMATS
from geo.io import load_places


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_writing_twice_gives_the_same_bytes(parity_build: Path, tmp_path: Path, fmt: str) -> None:
    places = load_places(parity_build / "innovation_map.gpkg")
    spec = FORMATS[fmt]
    metadata = {"built": "2026-11-30T08:00:00+00:00", "collection": "places"}
    bodies = []
    for attempt in range(2):
        out = tmp_path / f"{attempt}{spec.suffix}"
        spec.write(places, out, metadata, "places", {})
        bodies.append(out.read_bytes())
        time.sleep(1.1)  # GDAL's own timestamps have one-second resolution
    assert bodies[0] == bodies[1]
