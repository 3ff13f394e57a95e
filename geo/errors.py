"""Exceptions raised by the data pipeline; each subclasses a builtin."""

from __future__ import annotations


class GeoError(Exception):
    """Base class for every error the data pipeline raises on bad input."""


class ReportError(GeoError, ValueError):
    """A report is missing, unreadable, or does not match its manifest entry."""


class GazetteerError(GeoError, ValueError):
    """The curated gazetteer has problems; the message lists all of them."""


class PlaceValidationError(GeoError, ValueError):
    """The geocoded places fail validation; the message lists every problem."""


class ReviewError(GeoError, ValueError):
    """A review sheet cannot be applied; the message lists every problem."""


class BoundaryError(GeoError, ValueError):
    """The district boundary file is missing or malformed."""


class BuildLockedError(GeoError, RuntimeError):
    """Another build is running into the same folder."""


class BuildWriteError(GeoError, OSError):
    """The build cannot be written (disk full, read-only folder, a file where a folder goes)."""


def problems_message(title: str, problems: list[str]) -> str:
    """Format a list of problems as one message: a title line then one bullet each."""
    lines = [f"{title} ({len(problems)} problem{'s' if len(problems) != 1 else ''}):"]
    lines += [f"  - {p}" for p in problems]
    return "\n".join(lines)
