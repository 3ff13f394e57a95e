"""How precisely the Shanghai places are placed, measured once for the README, tests and tools.

The measures and targets are issue 13's: the share of placed Shanghai places at ``campus`` or
``site`` among the categories that have a site, the share of Shanghai places at ``district``
precision, the number left unplaced, and the facilities, labs and universities at district
precision (there should be none).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import pandas as pd

#: Categories for which an area is the honest precision: a zone has no one site.
AREA_ONLY_CATEGORIES = frozenset({"science_city", "hightech_zone", "innovation_area"})
#: Categories whose site, when public, must not be left at district precision.
SITE_REQUIRED_CATEGORIES = frozenset({"facility", "national_lab", "university"})


@dataclass(frozen=True)
class Target:
    """One measure and its target: ``at_least`` a share, or ``at_most`` a share or a count."""

    meaning: str
    bound: str  # "at_least" | "at_most"
    value: float

    def met(self, measured: float) -> bool:
        """Whether ``measured`` meets the target."""
        return measured >= self.value if self.bound == "at_least" else measured <= self.value


CAMPUS_SITE = Target(
    "placed Shanghai places at `campus` or `site`, in the categories that have a site",
    "at_least",
    0.5,
)
DISTRICT = Target("Shanghai places at `district` precision", "at_most", 0.10)
UNPLACED = Target("Shanghai places with no point", "at_most", 40)
#: No more coordinates shared by more places than this, unless they share one building.
MAX_PLACES_PER_POINT = 8


@dataclass(frozen=True)
class PrecisionFigures:
    """The measured figures behind the targets (counts, so a report can show n / total)."""

    campus_site: int
    site_having_placed: int
    at_district: int
    shanghai: int
    unplaced: int
    site_required_at_district: frozenset[str]
    #: (lon, lat, places) of every coordinate holding more than ``MAX_PLACES_PER_POINT``.
    crowded_points: tuple[tuple[float, float, int], ...]

    @property
    def campus_site_share(self) -> float:
        """Placed site-having Shanghai places at ``campus`` or ``site``, as a share."""
        return self.campus_site / self.site_having_placed if self.site_having_placed else 0.0

    @property
    def district_share(self) -> float:
        """Shanghai places at ``district`` precision, as a share."""
        return self.at_district / self.shanghai if self.shanghai else 0.0


def precision_figures(places: pd.DataFrame) -> PrecisionFigures:
    """Measure a build's places (``precision``, ``category``, ``in_shanghai``, geometry)."""
    shanghai = places[places["in_shanghai"].astype(bool)]
    placed = shanghai[shanghai.geometry.notna()]
    site_having = placed[~placed["category"].isin(AREA_ONLY_CATEGORIES)]
    at_district = shanghai[shanghai["precision"] == "district"]
    per_point = Counter(
        (round(g.x, 6), round(g.y, 6)) for g in places.geometry if g is not None and not g.is_empty
    )
    return PrecisionFigures(
        campus_site=int(site_having["precision"].isin(["campus", "site"]).sum()),
        site_having_placed=len(site_having),
        at_district=len(at_district),
        shanghai=len(shanghai),
        unplaced=len(shanghai) - len(placed),
        site_required_at_district=frozenset(
            at_district.loc[at_district["category"].isin(SITE_REQUIRED_CATEGORIES), "id"]
        ),
        crowded_points=tuple(
            (x, y, n) for (x, y), n in per_point.most_common() if n > MAX_PLACES_PER_POINT
        ),
    )
