"""Reports → data: the corpus, the gazetteer, mentions, profiles and geocoded places."""

from __future__ import annotations

from geo.boundaries import load_districts
from geo.errors import (
    BoundaryError,
    GazetteerError,
    GeoError,
    PlaceValidationError,
    ReportError,
)
from geo.extract import candidates_from_corpus, mentions_from_report
from geo.gazetteer import load_gazetteer
from geo.geocode import places_from_mentions
from geo.io import load_places, write_places
from geo.pipeline import Inputs, build, run_pipeline
from geo.profiles import profiles_from_report
from geo.query import filter_places
from geo.reports import load_corpus
from geo.validate import validate_places_gdf

__all__ = [
    "BoundaryError",
    "GazetteerError",
    "GeoError",
    "Inputs",
    "PlaceValidationError",
    "ReportError",
    "build",
    "candidates_from_corpus",
    "filter_places",
    "load_corpus",
    "load_districts",
    "load_gazetteer",
    "load_places",
    "mentions_from_report",
    "places_from_mentions",
    "profiles_from_report",
    "run_pipeline",
    "validate_places_gdf",
    "write_places",
]
