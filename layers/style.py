"""Category → colour and icon, colour-blind safe (Okabe-Ito), never by hue alone.

Where two categories share a colour their icons differ.
"""

from __future__ import annotations

from dataclasses import dataclass

# Okabe & Ito (2008), "Color Universal Design".
OKABE_ITO: dict[str, str] = {
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "black": "#000000",
}


@dataclass(frozen=True)
class CategoryStyle:
    """How one category is drawn: a fill colour and a Font Awesome (solid) icon name."""

    color: str
    icon: str


CATEGORY_STYLES: dict[str, CategoryStyle] = {
    "science_city": CategoryStyle(OKABE_ITO["vermillion"], "city"),
    "hightech_zone": CategoryStyle(OKABE_ITO["orange"], "industry"),
    "innovation_area": CategoryStyle(OKABE_ITO["yellow"], "lightbulb"),
    "science_park": CategoryStyle(OKABE_ITO["bluish_green"], "tree"),
    "national_lab": CategoryStyle(OKABE_ITO["blue"], "flask"),
    "key_lab": CategoryStyle(OKABE_ITO["sky_blue"], "vial"),
    "facility": CategoryStyle(OKABE_ITO["reddish_purple"], "atom"),
    "research_institute": CategoryStyle(OKABE_ITO["blue"], "microscope"),
    "university": CategoryStyle(OKABE_ITO["black"], "graduation-cap"),
    "incubator": CategoryStyle(OKABE_ITO["bluish_green"], "seedling"),
    "platform": CategoryStyle(OKABE_ITO["sky_blue"], "cubes"),
    "enterprise_hub": CategoryStyle(OKABE_ITO["orange"], "building"),
    "venue": CategoryStyle(OKABE_ITO["reddish_purple"], "landmark"),
}

#: Badge letters shown on a point for its precision (site / campus / area / district).
PRECISION_BADGES: dict[str, str] = {"site": "S", "campus": "C", "area": "A", "district": "D"}


#: The icon of a category the map does not know (a plain map pin).
FALLBACK_ICON = "location-dot"
#: Every icon the page may show: the Font Awesome subset holds exactly these
#: (scripts/subset_icons.py; a test fails when one is missing).
ICONS: tuple[str, ...] = tuple(sorted({s.icon for s in CATEGORY_STYLES.values()} | {FALLBACK_ICON}))


def style_for(category: str) -> CategoryStyle:
    """Return the style of a category; unknown categories get black with a map-pin icon."""
    return CATEGORY_STYLES.get(category, CategoryStyle(OKABE_ITO["black"], FALLBACK_ICON))
