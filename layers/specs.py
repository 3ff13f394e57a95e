"""The map's layers: one per place category, plus hubs and districts; ids are URL-safe."""

from __future__ import annotations

from dataclasses import dataclass

from geo.gazetteer import CATEGORIES
from layers.i18n import CATEGORY_TITLES, Lang, text

#: Categories drawn on first load; the rest start hidden so the map is readable.
DEFAULT_ON = frozenset(
    {
        "science_city",
        "hightech_zone",
        "national_lab",
        "facility",
        "university",
        "research_institute",
    }
)


@dataclass(frozen=True)
class LayerSpec:
    """One toggleable layer: its id (also its URL value), kind, and whether it starts visible."""

    id: str
    kind: str  # "places", "hubs" or "outside" (places outside Shanghai)
    category: str | None
    default_on: bool

    def title(self, lang: Lang) -> str:
        """Return the layer's title in ``lang``."""
        if self.category is not None:
            return CATEGORY_TITLES[self.category][lang]
        return text(self.id, lang)


LAYER_SPECS: tuple[LayerSpec, ...] = (
    LayerSpec("hubs", "hubs", None, True),
    *(LayerSpec(c, "places", c, c in DEFAULT_ON) for c in CATEGORIES),
    # Partner cities and facilities elsewhere: never mixed into the Shanghai layers.
    LayerSpec("outside_shanghai", "outside", None, False),
)


def spec_by_id(layer_id: str) -> LayerSpec | None:
    """Return the spec of a layer id, or None."""
    return next((s for s in LAYER_SPECS if s.id == layer_id), None)
