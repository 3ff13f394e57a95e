"""Optional online geocoding: propose coordinates for review, never write them into the gazetteer.

Three services are supported, each in its own response format and datum:

- ``nominatim`` (OpenStreetMap ``/search``, ``format=jsonv2``): WGS-84.
- ``amap`` (高德 Web 服务 ``/v3/geocode/geo``): GCJ-02, converted to WGS-84 with ``geo.datum``.
- ``tianditu`` (天地图 ``/geocoder``): CGCS2000, used as WGS-84 (they differ by well under 1 m).

Every request goes through geopy's HTTP adapter (one code path, a User-Agent, a timeout), is
throttled per the provider's policy, and may be cached on disk. Keys come from the environment
(``INNOVATION_MAP_AMAP_KEY``, ``INNOVATION_MAP_TIANDITU_KEY``) unless passed in; base URLs can
be overridden per call or with ``INNOVATION_MAP_<SERVICE>_URL``. Install with
``pip install -e ".[geocode]"``.

The result is a review sheet (``SHEET_COLUMNS``), one row per place, with the raw response and
empty review columns. A curator marks the proposals they accept and ``innovation-map geocode
apply`` (:mod:`geo.geocoder_review`) writes those into ``places.csv``; this module never edits
the gazetteer, and a place's curated coordinate is shown beside the proposal, never replaced.
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
import os
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal, NamedTuple, get_args
from urllib.parse import urlencode, urlsplit

from geo import settings
from geo.datum import gcj02_to_wgs84
from geo.errors import GeoError
from geo.gazetteer import Gazetteer, Place
from geo.precision import AREA_ONLY_CATEGORIES

Service = Literal["nominatim", "amap", "tianditu"]
SERVICES: tuple[str, ...] = get_args(Service)

#: Default endpoints (override with ``base_url=`` or ``INNOVATION_MAP_<SERVICE>_URL``).
BASE_URLS: dict[str, str] = {
    "nominatim": "https://nominatim.openstreetmap.org",
    "amap": "https://restapi.amap.com/v3/geocode/geo",
    "tianditu": "https://api.tianditu.gov.cn/geocoder",
}
#: Environment variables holding the keys; Nominatim needs none.
KEY_ENV: dict[str, str] = {
    "amap": "INNOVATION_MAP_AMAP_KEY",
    "tianditu": "INNOVATION_MAP_TIANDITU_KEY",
}
#: Seconds between requests. Nominatim's usage policy: "an absolute maximum of 1 request per
#: second"; Amap's and Tianditu's free tiers allow a few per second, so stay well below.
MIN_DELAY_SECONDS: dict[str, float] = {"nominatim": 1.0, "amap": 0.34, "tianditu": 0.34}
#: The datum of each service's answer, as written in the review CSV.
DATUMS: dict[str, str] = {
    "nominatim": "WGS-84",
    "amap": "GCJ-02 → WGS-84 (geo.datum.gcj02_to_wgs84)",
    "tianditu": "CGCS2000 (used as WGS-84)",
}
USER_AGENT = "shanghai-innovation-map/0.1 (curation aid; proposals are reviewed by hand)"
#: Stop after this many failed requests in a row (no network, a bad key): asking the other
#: places, one a second, would only repeat the failure for minutes.
MAX_FAILURES_IN_A_ROW = 5
TIMEOUT_SECONDS = 10.0

PROPOSAL_COLUMNS: tuple[str, ...] = (
    "id",
    "name_zh",
    "query",
    "service",
    "status",
    "lon",
    "lat",
    "datum",
    "level",
    "matched_address",
    "curated_lon",
    "curated_lat",
    "curated_precision",
    "distance_to_curated_m",
    "raw_response",
)
#: What the reviewer fills in: ``decision`` (``accept`` or ``reject``; empty is undecided), the
#: ``precision`` to record (``site``, ``campus`` or ``area``; pre-filled with a suggestion) and
#: the address evidence (pre-filled from the gazetteer, else from the service's answer).
REVIEW_COLUMNS: tuple[str, ...] = ("decision", "precision", "address_zh", "address_source")
SHEET_COLUMNS: tuple[str, ...] = (*PROPOSAL_COLUMNS, *REVIEW_COLUMNS)
DECISIONS: tuple[str, ...] = ("accept", "reject")
ProposalStatus = Literal["proposed", "no_result", "error"]


class GeocoderError(GeoError, RuntimeError):
    """The geocoder cannot run: missing optional dependency, missing key, or a bad setting."""


@dataclass(frozen=True)
class Proposal:
    """One service's answer for one place, beside the place's curated coordinate (if any)."""

    id: str
    name_zh: str
    query: str
    service: str
    status: ProposalStatus
    lon: float | None
    lat: float | None
    datum: str
    level: str
    matched_address: str
    curated_lon: float | None
    curated_lat: float | None
    curated_precision: str
    distance_to_curated_m: float | None
    raw_response: str
    # The review columns, pre-filled (decision stays empty: only a person accepts).
    decision: str = ""
    precision: str = ""
    address_zh: str = ""
    address_source: str = ""


class _Answer(NamedTuple):
    status: ProposalStatus
    lon: float | None
    lat: float | None
    level: str
    address: str
    raw: Any


def _adapter() -> Any:
    try:
        from geopy.adapters import URLLibAdapter
    except ImportError:
        msg = 'the geocoder needs geopy: pip install -e ".[geocode]"'
        raise GeocoderError(msg) from None
    return URLLibAdapter(proxies=None, ssl_context=None)


def _distance_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance in metres (haversine; enough to compare a proposal with a point)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371008.8 * math.asin(math.sqrt(h))


class _Client:
    """One service: builds the request, throttles, caches, parses the answer."""

    def __init__(
        self,
        service: Service,
        base_url: str,
        key: str | None,
        min_delay: float,
        timeout: float,
        cache_dir: Path | None,
    ) -> None:
        self.service, self.base_url, self.key = service, base_url.rstrip("/"), key
        self.min_delay, self.timeout, self.cache_dir = min_delay, timeout, cache_dir
        self._last = 0.0
        self._nominatim: Any = None

    def _throttle(self) -> None:
        wait = self._last + self.min_delay - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        self._last = time.monotonic()

    def _cached(self, url: str) -> Any | None:
        if self.cache_dir is None:
            return None
        path = self.cache_dir / f"{hashlib.sha256(url.encode()).hexdigest()}.json"
        return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None

    def _store(self, url: str, data: Any) -> None:
        if self.cache_dir is not None:
            self.cache_dir.mkdir(parents=True, exist_ok=True)
            path = self.cache_dir / f"{hashlib.sha256(url.encode()).hexdigest()}.json"
            path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    def _get_json(self, url: str) -> Any:
        # The cache key is the prepared URL without the key, so a new key reuses old answers.
        cache_url = url.replace(self.key, "<key>") if self.key else url
        data = self._cached(cache_url)
        if data is None:
            self._throttle()
            data = _adapter().get_json(
                url, timeout=self.timeout, headers={"User-Agent": USER_AGENT}
            )
            self._store(cache_url, data)
        return data

    def lookup(self, query: str) -> _Answer:
        """Return status, WGS-84 lon and lat, match level, matched address and raw answer."""
        if self.service == "nominatim":
            params = {"q": query, "format": "jsonv2", "limit": 1, "countrycodes": "cn"}
            data = self._get_json(f"{self.base_url}/search?{urlencode(params)}")
            if not data:
                return _Answer("no_result", None, None, "", "", data)
            hit = data[0]
            return _Answer(
                "proposed",
                float(hit["lon"]),
                float(hit["lat"]),
                str(hit.get("type", "")),
                str(hit.get("display_name", "")),
                data,
            )
        if self.service == "amap":
            params = {"address": query, "city": "上海", "output": "JSON", "key": self.key or ""}
            data = self._get_json(f"{self.base_url}?{urlencode(params)}")
            if str(data.get("status")) != "1":
                return _Answer("error", None, None, str(data.get("info", "")), "", data)
            if not data.get("geocodes"):
                return _Answer("no_result", None, None, "", "", data)
            hit = data["geocodes"][0]
            gcj_lon, gcj_lat = (float(v) for v in hit["location"].split(","))  # "lon,lat"
            lon, lat = gcj02_to_wgs84(gcj_lon, gcj_lat)
            address = hit.get("formatted_address")
            return _Answer(
                "proposed",
                lon,
                lat,
                str(hit.get("level", "")),
                address if isinstance(address, str) else "",  # Amap sends [] when it has none
                data,
            )
        ds = json.dumps({"keyWord": query}, ensure_ascii=False)
        data = self._get_json(f"{self.base_url}?{urlencode({'ds': ds, 'tk': self.key or ''})}")
        if str(data.get("status")) != "0":
            return _Answer("error", None, None, str(data.get("msg", "")), "", data)
        loc = data.get("location") or {}
        if "lon" not in loc:
            return _Answer("no_result", None, None, "", "", data)
        # Tianditu's geocoder answers a point only: no address of its own to record.
        return _Answer(
            "proposed", float(loc["lon"]), float(loc["lat"]), str(loc.get("level", "")), "", data
        )


def query_for(place: Place) -> str:
    """Return what to ask a geocoder for a place: its published address, else its name."""
    return place.address_zh or place.name_zh


def places_to_geocode(gazetteer: Gazetteer, ids: Sequence[str] = ()) -> list[Place]:
    """Return the places to ask about, in gazetteer order.

    By default every Shanghai place without a coordinate of its own (unplaced, on its district's
    point, or on its parent's point): the ones a geocoder could improve. With ``ids``, exactly
    those places (a curated point is then checked against the service, never replaced); an
    unknown id is a GeocoderError naming it.
    """
    by_id = gazetteer.by_id()
    unknown = [i for i in ids if i not in by_id]
    if unknown:
        raise GeocoderError(f"unknown place id(s): {', '.join(unknown)}")
    if ids:
        wanted = set(ids)
        return [p for p in gazetteer.places if p.id in wanted]
    return [p for p in gazetteer.places if p.in_shanghai and not p.has_coords]


def suggested_precision(place: Place) -> str:
    """Return the precision a reviewer most likely records: ``area`` for a zone, else ``campus``."""
    return "area" if place.category in AREA_ONLY_CATEGORIES else "campus"


def _evidence(place: Place, service: str, answer: _Answer, day: str) -> tuple[str, str]:
    """Pre-filled address evidence: the gazetteer's, else the address the service matched."""
    if place.address_zh:
        return place.address_zh, place.address_source
    if answer.address:
        return answer.address, f"{service} geocoder's matched address for {place.name_zh!r}, {day}"
    return "", ""


def service_settings(
    service: str, base_url: str | None = None, key: str | None = None
) -> tuple[str, str | None]:
    """Return the endpoint and key to use for ``service``; GeocoderError if one is missing."""
    if service not in SERVICES:
        msg = f"unknown geocoding service {service!r}; allowed: {', '.join(SERVICES)}"
        raise GeocoderError(msg)
    env_var = KEY_ENV.get(service)
    if env_var is not None:
        key = key or os.environ.get(env_var)
        if not key:
            msg = f"the {service} geocoder needs a key: set {env_var} in the environment"
            raise GeocoderError(msg)
    url = base_url or os.environ.get(f"INNOVATION_MAP_{service.upper()}_URL") or BASE_URLS[service]
    if urlsplit(url).scheme not in ("http", "https"):
        msg = f"base URL {url!r} for {service} must start with http:// or https://"
        raise GeocoderError(msg)
    return url, key


def propose_coordinates(
    places: Iterable[Place],
    out: Path,
    *,
    service: Service,
    base_url: str | None = None,
    key: str | None = None,
    min_delay_seconds: float | None = None,
    timeout: float = TIMEOUT_SECONDS,
    cache_dir: Path | None = None,
    progress: Callable[[int, int, Proposal], None] | None = None,
) -> list[Proposal]:
    """Ask one geocoder about each place and write the answers to a review sheet.

    Parameters
    ----------
    places
        Gazetteer places to look up (typically those at ``area`` or ``district`` precision).
        Each is queried by ``address_zh`` if it has one, else by ``name_zh``.
    out
        The review CSV to write (``PROPOSAL_COLUMNS``); it may not be the gazetteer itself.
    service
        ``nominatim``, ``amap`` or ``tianditu``.
    base_url
        The service endpoint; default ``INNOVATION_MAP_<SERVICE>_URL`` or ``BASE_URLS``.
    key
        The API key; default from ``KEY_ENV`` (required for ``amap`` and ``tianditu``).
    min_delay_seconds
        Pause between requests; default ``MIN_DELAY_SECONDS`` (the provider's policy).
    timeout
        Seconds to wait for each answer.
    cache_dir
        If given, raw answers are cached there, keyed by the request URL (without the key).
    progress
        Called after each place with (number done, total, its proposal).

    Returns
    -------
    list[Proposal]
        One per place, in input order. A failed lookup is a row with status ``error`` or
        ``no_result`` and empty coordinates; a curated coordinate is reported, never changed.
    """
    gazetteer_file = (settings.GAZETTEER_DIR / settings.PLACES_FILE).resolve()
    if out.resolve() == gazetteer_file or out.name == settings.PLACES_FILE:
        msg = f"refusing to write proposals to {out}: write a review CSV, not the gazetteer"
        raise GeocoderError(msg)
    url, key = service_settings(service, base_url, key)
    delay = MIN_DELAY_SECONDS[service] if min_delay_seconds is None else min_delay_seconds
    client = _Client(service, url, key, delay, timeout, cache_dir)
    proposals: list[Proposal] = []
    todo = list(places)
    day = time.strftime("%Y-%m-%d")
    for place in todo:
        query = query_for(place)
        try:
            answer = client.lookup(query)
        except GeocoderError:
            raise
        except Exception as exc:  # any transport or format failure stays as a row
            answer = _Answer("error", None, None, type(exc).__name__, "", str(exc))
        status, lon, lat, level, _, raw = answer
        address_zh, address_source = _evidence(place, service, answer, day)
        distance = (
            round(_distance_m(lon, lat, place.lon, place.lat), 1)
            if lon is not None
            and lat is not None
            and place.lon is not None
            and place.lat is not None
            else None
        )
        proposals.append(
            Proposal(
                id=place.id,
                name_zh=place.name_zh,
                query=query,
                service=service,
                status=status,
                lon=None if lon is None else round(lon, 6),
                lat=None if lat is None else round(lat, 6),
                datum=DATUMS[service],
                level=level,
                matched_address=answer.address,
                curated_lon=place.lon,
                curated_lat=place.lat,
                curated_precision=place.precision or "",
                distance_to_curated_m=distance,
                raw_response=raw if isinstance(raw, str) else json.dumps(raw, ensure_ascii=False),
                precision=suggested_precision(place) if lon is not None else "",
                address_zh=address_zh,
                address_source=address_source,
            )
        )
        if progress is not None:
            progress(len(proposals), len(todo), proposals[-1])
        recent = proposals[-MAX_FAILURES_IN_A_ROW:]
        if len(recent) == MAX_FAILURES_IN_A_ROW and all(p.status == "error" for p in recent):
            last = recent[-1]
            msg = (
                f"stopped: {MAX_FAILURES_IN_A_ROW} requests in a row failed (the last: "
                f"{last.level}: {last.raw_response[:200]}); is {url} reachable from here, and is "
                f"the key valid? No sheet was written; answers already received are cached"
            )
            raise GeocoderError(msg)
    write_proposals(proposals, out)
    return proposals


def write_proposals(proposals: Iterable[Proposal], out: Path) -> None:
    """Write the review sheet: one row per proposal, empty cells for missing values.

    UTF-8 with a byte-order mark, so Excel and WPS open the Chinese text.
    """
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=SHEET_COLUMNS)
        writer.writeheader()
        for p in proposals:
            writer.writerow({k: "" if v is None else v for k, v in asdict(p).items()})
