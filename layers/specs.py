"""The map's layers: one per place category, plus hubs and districts; ids are URL-safe."""

from __future__ import annotations

from dataclasses import dataclass

from geo.gazetteer import CATEGORIES
from layers.i18n import CATEGORY_TITLES, Lang, text


@dataclass(frozen=True)
class LayerSpec:
    """One toggleable layer: its id (also its URL value) and kind.

    Every layer starts visible: a URL without ``layers`` means every layer, on the map as in a
    download of the same URL.
    """

    id: str
    kind: str  # "places", "hubs" or "outside" (places outside Shanghai)
    category: str | None

    def title(self, lang: Lang) -> str:
        """Return the layer's title in ``lang``."""
        if self.category is not None:
            return CATEGORY_TITLES[self.category][lang]
        return text(self.id, lang)


LAYER_SPECS: tuple[LayerSpec, ...] = (
    LayerSpec("hubs", "hubs", None),
    *(LayerSpec(c, "places", c) for c in CATEGORIES),
    # Partner cities and facilities elsewhere: never mixed into the Shanghai layers.
    LayerSpec("outside_shanghai", "outside", None),
)


def spec_by_id(layer_id: str) -> LayerSpec | None:
    """Return the spec of a layer id, or None."""
    return next((s for s in LAYER_SPECS if s.id == layer_id), None)
