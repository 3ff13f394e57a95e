"""The curated gazetteer: load the CSV, validate every row, build the alias index."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, get_args

from geo import settings
from geo.districts import DISTRICT_NAMES_ZH
from geo.errors import GazetteerError, problems_message
from geo.reports import normalise
from geo.tables import read_rows

Category = Literal[
    "science_city",
    "hightech_zone",
    "innovation_area",
    "science_park",
    "national_lab",
    "key_lab",
    "facility",
    "research_institute",
    "university",
    "incubator",
    "platform",
    "enterprise_hub",
    "venue",
]
Precision = Literal["site", "campus", "area", "district"]

CATEGORIES: tuple[str, ...] = get_args(Category)
PRECISIONS: tuple[str, ...] = get_args(Precision)
COLUMNS: tuple[str, ...] = (
    "id",
    "name_zh",
    "name_en",
    "aliases",
    "category",
    "parent_id",
    "district_zh",
    "lon",
    "lat",
    "precision",
    "coord_source",
    "in_shanghai",
    "notes",
)
#: Evidence for a point, after ``notes``. Optional in the file (a row written without them reads
#: them as empty), but a ``campus`` or ``site`` row must fill both and say how it was placed.
EVIDENCE_COLUMNS: tuple[str, ...] = ("address_zh", "address_source")
#: How a ``campus`` or ``site`` point was obtained: its ``coord_source`` starts with one of these.
COORD_METHODS: tuple[str, ...] = (
    "curator: known campus location",
    "curator: known building",
    "address → reviewer's placement",
    "geocoder:",
)
ALIAS_SEPARATOR = "|"
#: In an alias, "…" stands for the rest of a list sharing one ending: "代谢性疾病…国家临床医学研究中心"
#: names the centre in "代谢性疾病、消化系统疾病…等国家临床医学研究中心" (see ``list_aliases``).
LIST_MARK = "…"
#: A **bare alias** ends in "=": "张江=" names the place only where the word stands alone (before
#: punctuation, "再出发", "成立" or "等"), never as the head of a longer name ("张江区域", "张江杯").
#: It may be a generic word, which is the point: a place's bare name (see ``bare_aliases``).
BARE_MARK = "="


def readable_aliases(aliases: Iterable[str], name_zh: str = "") -> list[str]:
    """Return aliases as a reader writes the names, for users; matching keeps the raw ones.

    A bare alias loses its mark ("张江=" → "张江"); a list alias is its head and tail
    ("上海张江…综合性国家科学中心" → "上海张江综合性国家科学中心"). A name equal to ``name_zh``
    or to an earlier alias is left out.
    """
    out: list[str] = []
    for alias in aliases:
        head, mark, tail = alias.partition(LIST_MARK)
        name = head.strip() + tail.strip() if mark else alias.removesuffix(BARE_MARK).strip()
        if name and name != name_zh and name not in out:
            out.append(name)
    return out


#: Words that name places in some sentences and are ordinary words (or several places) in
#: others. They may never be an alias: only a longer, unambiguous form may.
GENERIC_WORDS: frozenset[str] = frozenset(
    {"蛋白质", "转化医学", "长兴", "西岸", "虹桥", "光源", "张江", "激光", "上海", "浦江", "科学城"}
)
_ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_MIN_ALIAS_CHARS = 2


@dataclass(frozen=True)
class Place:
    """One curated place (a gazetteer row)."""

    id: str
    name_zh: str
    name_en: str
    aliases: tuple[str, ...]
    category: str
    parent_id: str | None
    district_zh: str | None
    lon: float | None
    lat: float | None
    precision: str | None
    coord_source: str
    in_shanghai: bool
    notes: str
    #: The address as published ("张江高科技园区 海科路99号"), and what published it.
    address_zh: str = ""
    address_source: str = ""

    @property
    def has_coords(self) -> bool:
        """Whether the row gives its own coordinate."""
        return self.lon is not None and self.lat is not None

    def names(self) -> tuple[str, ...]:
        """Return the Chinese name and every plain alias (matched literally in the text)."""
        return (
            self.name_zh,
            *(a for a in self.aliases if LIST_MARK not in a and not a.endswith(BARE_MARK)),
        )

    def bare_aliases(self) -> tuple[str, ...]:
        """Return every bare alias "name=" without its mark, normalised."""
        return tuple(normalise(a[:-1]) for a in self.aliases if a.endswith(BARE_MARK))

    def list_aliases(self) -> tuple[tuple[str, str], ...]:
        """Return (head, tail) of every list alias "head…tail"."""
        out = []
        for alias in self.aliases:
            if LIST_MARK in alias:
                head, _, tail = alias.partition(LIST_MARK)
                out.append((normalise(head), normalise(tail)))
        return tuple(out)


def _float_or_none(value: str, column: str, row_id: str, problems: list[str]) -> float | None:
    if not value.strip():
        return None
    try:
        number = float(value)
    except ValueError:
        problems.append(f"{row_id}: {column} {value!r} is not a number")
        return None
    if not math.isfinite(number):
        problems.append(f"{row_id}: {column} {value!r} is not finite")
        return None
    return number


def _place_from_row(row: dict[str, str], problems: list[str]) -> Place:
    row_id = row["id"].strip()
    aliases = tuple(a.strip() for a in row["aliases"].split(ALIAS_SEPARATOR) if a.strip())
    in_shanghai_raw = row["in_shanghai"].strip().lower()
    if in_shanghai_raw not in ("true", "false"):
        problems.append(f"{row_id}: in_shanghai must be true or false, got {row['in_shanghai']!r}")
    return Place(
        id=row_id,
        name_zh=row["name_zh"].strip(),
        name_en=row["name_en"].strip(),
        aliases=aliases,
        category=row["category"].strip(),
        parent_id=row["parent_id"].strip() or None,
        district_zh=row["district_zh"].strip() or None,
        lon=_float_or_none(row["lon"], "lon", row_id, problems),
        lat=_float_or_none(row["lat"], "lat", row_id, problems),
        precision=row["precision"].strip() or None,
        coord_source=row["coord_source"].strip(),
        in_shanghai=in_shanghai_raw == "true",
        notes=row["notes"].strip(),
        address_zh=(row.get("address_zh") or "").strip(),
        address_source=(row.get("address_source") or "").strip(),
    )


def _row_problems(p: Place) -> list[str]:
    out: list[str] = []
    if not _ID_PATTERN.match(p.id):
        out.append(f"id {p.id!r} is not an ASCII slug (a-z, 0-9, single hyphens)")
    if not p.name_zh:
        out.append(f"{p.id}: name_zh is empty")
    if not p.name_en:
        out.append(f"{p.id}: name_en is empty")
    if p.category not in CATEGORIES:
        out.append(f"{p.id}: unknown category {p.category!r}; allowed: {', '.join(CATEGORIES)}")
    if p.precision is not None and p.precision not in PRECISIONS:
        out.append(f"{p.id}: unknown precision {p.precision!r}; allowed: {', '.join(PRECISIONS)}")
    if (p.lon is None) != (p.lat is None):
        out.append(f"{p.id}: give both lon and lat, or neither")
    if p.has_coords:
        assert p.lon is not None and p.lat is not None  # narrowed for mypy
        if not (-180 <= p.lon <= 180 and -90 <= p.lat <= 90):
            out.append(f"{p.id}: lon/lat ({p.lon}, {p.lat}) out of range (lat/lon swapped?)")
        if p.precision is None or p.precision == "district":
            out.append(f"{p.id}: a given coordinate needs precision site, campus or area")
        if not p.coord_source:
            out.append(f"{p.id}: coord_source must say how the coordinate was obtained")
        out += _evidence_problems(p)
    elif p.precision not in (None, "district"):
        out.append(f"{p.id}: precision {p.precision!r} claimed but no lon/lat given")
    if p.in_shanghai:
        # An empty district is allowed only without a point: the place is kept, unplaced.
        if p.district_zh is None and p.has_coords:
            out.append(f"{p.id}: a Shanghai point needs its district_zh")
        elif p.district_zh is not None and p.district_zh not in DISTRICT_NAMES_ZH:
            out.append(f"{p.id}: district_zh {p.district_zh!r} is not one of the 16 districts")
    else:
        if p.district_zh:
            out.append(f"{p.id}: in_shanghai is false but district_zh is {p.district_zh!r}")
        if not p.has_coords:
            out.append(f"{p.id}: a place outside Shanghai needs its own lon/lat")
    for alias in p.aliases:
        if LIST_MARK in alias:
            head, _, tail = alias.partition(LIST_MARK)
            if len(normalise(head)) < _MIN_ALIAS_CHARS or len(normalise(tail)) < _MIN_ALIAS_CHARS:
                out.append(f"{p.id}: list alias {alias!r} needs a head and a tail (head…tail)")
            elif LIST_MARK in tail:
                out.append(f"{p.id}: list alias {alias!r} has more than one {LIST_MARK}")
        elif alias.endswith(BARE_MARK):
            if len(normalise(alias[:-1])) < _MIN_ALIAS_CHARS:
                out.append(f"{p.id}: bare alias {alias!r} is too short")
        elif alias in GENERIC_WORDS:
            out.append(f"{p.id}: alias {alias!r} is a generic word and would create false mentions")
        elif len(normalise(alias)) < _MIN_ALIAS_CHARS:
            out.append(f"{p.id}: alias {alias!r} is too short")
    return out


def _evidence_problems(p: Place) -> list[str]:
    """Return what a campus or site point lacks: its address, who published it, how it was placed."""
    if p.precision not in ("campus", "site"):
        return []
    out = []
    if not p.address_zh:
        out.append(f"{p.id}: a {p.precision} point needs address_zh (the address as published)")
    if not p.address_source:
        out.append(f"{p.id}: a {p.precision} point needs address_source (what published it)")
    if not p.coord_source.startswith(COORD_METHODS):
        out.append(
            f"{p.id}: a {p.precision} point's coord_source must start with one of "
            f"{', '.join(repr(m) for m in COORD_METHODS)}; got {p.coord_source!r}"
        )
    return out


@dataclass(frozen=True)
class Gazetteer:
    """All curated places, indexed by id and by normalised name/alias."""

    places: tuple[Place, ...]

    def by_id(self) -> dict[str, Place]:
        """Map each id to its place."""
        return {p.id: p for p in self.places}

    def alias_index(self) -> dict[str, str]:
        """Map each normalised Chinese name and alias to its place id."""
        index: dict[str, str] = {}
        for p in self.places:
            for name in p.names():
                index.setdefault(normalise(name), p.id)
        return index


def validate_gazetteer(places: list[Place]) -> list[str]:
    """Return every problem in the gazetteer (empty when it is valid)."""
    problems: list[str] = []
    ids = [p.id for p in places]
    seen: set[str] = set()
    for pid in ids:
        if pid in seen:
            problems.append(f"duplicate id {pid!r}")
        seen.add(pid)
    owners: dict[str, str] = {}
    for p in places:
        problems += _row_problems(p)
        for name in dict.fromkeys(normalise(n) for n in p.names()):
            other = owners.setdefault(name, p.id)
            if other != p.id:
                problems.append(f"alias collision: {name!r} names both {other!r} and {p.id!r}")
    by_id = {p.id: p for p in places}
    for p in places:
        if p.parent_id is None:
            continue
        if p.parent_id not in by_id:
            problems.append(f"{p.id}: parent_id {p.parent_id!r} is not a gazetteer id")
            continue
        chain, cur = {p.id}, by_id[p.parent_id]
        while True:
            if cur.id in chain:
                problems.append(f"{p.id}: parent_id chain loops through {cur.id!r}")
                break
            chain.add(cur.id)
            if cur.parent_id is None or cur.parent_id not in by_id:
                break
            cur = by_id[cur.parent_id]
    return problems


def read_gazetteer(path: Path | None = None) -> tuple[Gazetteer, list[str]]:
    """Read the gazetteer CSV and return it with every row problem (an unreadable file raises)."""
    path = path or settings.GAZETTEER_DIR / settings.PLACES_FILE
    rows = read_rows(path, COLUMNS, "gazetteer")
    problems: list[str] = []
    places = []
    for lineno, row in enumerate(rows, start=2):
        # The evidence columns may be missing from a short row (read as empty); the rest may not.
        if None in row or any(row.get(c) is None for c in COLUMNS):
            problems.append(f"line {lineno}: wrong number of fields")
            continue
        places.append(_place_from_row(row, problems))
    problems += validate_gazetteer(places)
    return Gazetteer(places=tuple(places)), problems


def load_gazetteer(path: Path | None = None) -> Gazetteer:
    """Read and validate the gazetteer CSV; raise GazetteerError listing every problem."""
    path = path or settings.GAZETTEER_DIR / settings.PLACES_FILE
    gazetteer, problems = read_gazetteer(path)
    if problems:
        raise GazetteerError(problems_message(f"gazetteer {path} is invalid", problems))
    return gazetteer
