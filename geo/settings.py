"""Documented defaults: where data lives, the CRS, and build options."""

from __future__ import annotations

from pathlib import Path

#: Project root (the folder holding ``pyproject.toml``).
ROOT: Path = Path(__file__).resolve().parents[1]

#: Shipped input data: reports, gazetteer, boundaries, hubs.
DATA_DIR: Path = ROOT / "data"

#: The report corpus and its manifest.
REPORTS_DIR: Path = DATA_DIR / "reports"
MANIFEST_FILE: str = "manifest.json"

#: Curated gazetteer files.
GAZETTEER_DIR: Path = DATA_DIR / "gazetteer"
PLACES_FILE: str = "places.csv"
EXCLUDED_FILE: str = "excluded.csv"
STATUS_GROUPS_FILE: str = "status_groups.csv"
DISTRICT_CUES_FILE: str = "district_cues.csv"

#: District polygons (WGS-84) made by ``scripts/make_boundaries.py``.
BOUNDARIES_FILE: Path = DATA_DIR / "boundaries" / "shanghai_districts.geojson"

#: Hand-drawn hub outlines and lines (approximate).
HUBS_FILE: Path = DATA_DIR / "hubs" / "hubs.geojson"

#: Where ``innovation-map build`` writes its outputs.
BUILD_DIR: Path = DATA_DIR / "build"

#: The only CRS stored or exported.
WGS84: str = "EPSG:4326"

#: Longest verbatim quote kept per mention, in characters.
QUOTE_MAX_CHARS: int = 80

#: Tolerance (degrees, ~30 m) when checking that a point lies inside its district: the
#: polygons are simplified by ~50 m, so a riverside campus may sit just outside.
DISTRICT_TOLERANCE_DEG: float = 0.0003
