"""The same build and query give the same bytes, whenever they are written (ETags, ranges)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from geo.formats import FORMATS
from geo.io import load_places


@pytest.fixture(scope="module")
def written_twice(
    parity_build: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, list[bytes]]:
    """Every format written, then (more than a second later) written again: format → bodies."""
    places = load_places(parity_build / "innovation_map.gpkg")
    metadata = {"built": "2026-11-30T08:00:00+00:00", "collection": "places"}
    out = tmp_path_factory.mktemp("twice")
    bodies: dict[str, list[bytes]] = {fmt: [] for fmt in FORMATS}
    for attempt in range(2):
        if attempt:
            time.sleep(1.1)  # GDAL's own timestamps have one-second resolution
        for fmt, spec in FORMATS.items():
            path = out / f"{fmt}-{attempt}{spec.suffix}"
            spec.write(places, path, metadata, "places", {})
            bodies[fmt].append(path.read_bytes())
    return bodies


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_writing_twice_gives_the_same_bytes(
    written_twice: dict[str, list[bytes]], fmt: str
) -> None:
    first, second = written_twice[fmt]
    assert first == second
