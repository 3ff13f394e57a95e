"""Request handlers with no Flask in them: (data, arguments) → a :class:`Reply`.

Each returns the status, headers and body of one response, so it can be tested, and reused
by the command line, without a web server. Routes (``mapapp/routes``) are a line or two each.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from geo.formats import FORMATS
from geo.params import pairs
from mapapp import core, exports
from mapapp.core import MapData


@dataclass(frozen=True)
class Reply:
    """Serve one response: status, media type, headers and body (bytes, str, or data to send as JSON)."""

    body: Any
    media_type: str = "application/json"
    status: int = 200
    headers: Mapping[str, str] = field(default_factory=dict)

    def data(self) -> bytes | str:
        """Return the body to send: JSON-encoded unless it is already text or bytes."""
        if isinstance(self.body, bytes | str):
            return self.body
        return json.dumps(self.body, ensure_ascii=False)


def export(data: MapData, collection: str, fmt: str, args: Mapping[str, Any], root: str) -> Reply:
    """Serve a filtered collection as a file download."""
    download = exports.export(data, collection, fmt, args)
    # CSV has no place for metadata: point to this download's own (its CRS and filters; the
    # CLI writes it beside the file instead). Percent-encoded, so the header stays ASCII.
    described = f"{root}/api/{collection}.metadata.json"
    query = urlencode(pairs(args))
    if query:
        described += f"?{query}"
    return Reply(
        download.body,
        FORMATS[fmt].media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{download.filename}"',
            "Link": f'<{described}>; rel="describedby"; type="application/json"',
        },
    )


def export_metadata(data: MapData, collection: str, args: Mapping[str, Any]) -> Reply:
    """Serve the metadata of one download (what its GeoJSON embeds), for the CSV's Link."""
    return Reply(exports.metadata_document(data, collection, args))


def place_list(data: MapData) -> Reply:
    """Serve every place, as JSON."""
    return Reply(core.place_list(data))


def places_geojson(data: MapData) -> Reply:
    """Serve every place, as GeoJSON."""
    return Reply(core.places_geojson(data), "application/geo+json")


def health(data: MapData, problem: str | None) -> Reply:
    """Answer 200 with the build's size and date, or 503 naming what is wrong with the build."""
    if problem:
        return Reply({"ok": False, "status": 503, "error": problem}, status=503)
    return Reply({"ok": True, "places": len(data.places), "built": data.metadata.get("built")})
