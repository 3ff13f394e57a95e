"""A static PNG of the map drawn with matplotlib: the fallback where no browser is installed.

It draws what the browser render shows, simplified: district polygons, hub outlines, the
places (one colour per category, as on the map), a legend, title and source caption. It does
not reproduce tiles, clusters or the exact browser view (it frames the places shown).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

import geopandas as gpd
import matplotlib

matplotlib.use("Agg")  # no display: render to memory
import matplotlib.pyplot as plt
from matplotlib import font_manager
from matplotlib.lines import Line2D

from geo.vocab import ReportInfo
from layers.i18n import CATEGORY_TITLES, UI_WORDS, Lang, source_caption
from layers.style import style_for

_CJK_FONTS = (
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    Path("/usr/share/fonts/wenquanyi/wqy-microhei/wqy-microhei.ttc"),
)


def _font() -> str | None:
    """Register WenQuanYi Micro Hei if installed; return its family name or None."""
    for path in _CJK_FONTS:
        if path.exists():
            font_manager.fontManager.addfont(str(path))
            return font_manager.FontProperties(fname=str(path)).get_name()
    return None


def static_png(
    places: gpd.GeoDataFrame,
    districts: gpd.GeoDataFrame,
    hubs: gpd.GeoDataFrame | None,
    *,
    lang: Lang = "zh",
    width: int = 1920,
    height: int = 1080,
    scale: float = 1.0,
    reports: Sequence[ReportInfo] = (),
    fmt: str = "png",
) -> bytes:
    """Return a PNG of ``width``×``height`` CSS pixels at ``scale`` (2 → twice the pixels).

    ``reports`` are the build's reports (``MapData.reports``): the footer names them.
    ``fmt`` "pdf" draws the same figure as a vector PDF (its text kept as text).
    """
    family = _font()
    if family is None:
        lang = "en"  # without a CJK font, Chinese text would draw as empty boxes
    dpi = 100 * scale
    with plt.rc_context({"font.family": family} if family else None):
        fig, ax = plt.subplots(figsize=(width / 100, height / 100), dpi=dpi)
        fig.patch.set_facecolor("#cfe3ef")
        ax.set_facecolor("#cfe3ef")
        districts.plot(ax=ax, color="#f4f1ea", edgecolor="#7a7a7a", linewidth=0.6)
        if hubs is not None and len(hubs):
            hubs.plot(ax=ax, facecolor="none", edgecolor="#D55E00", linewidth=1, linestyle="--")
        placed = places[places.geometry.notna() & ~places.geometry.is_empty]
        handles = []
        for category, group in placed.groupby("category"):
            style = style_for(str(category))
            group.plot(ax=ax, color=style.color, markersize=28, edgecolor="white", linewidth=0.6)
            title = CATEGORY_TITLES.get(str(category), {}).get(lang, str(category))
            handles.append(Line2D([], [], marker="o", linestyle="", color=style.color, label=title))
        minx, miny, maxx, maxy = districts.total_bounds
        ax.set_xlim(minx - 0.05, maxx + 0.05)
        ax.set_ylim(miny - 0.05, maxy + 0.05)
        ax.set_aspect(1 / 0.857)  # ≈ 1/cos(31°): degrees look right at Shanghai's latitude
        ax.set_axis_off()
        if handles:
            ax.legend(handles=handles, loc="upper right", fontsize=11, framealpha=0.95)
        fig.suptitle(UI_WORDS["title"][lang], x=0.02, y=0.97, ha="left", fontsize=22)
        caption = f"{source_caption(reports, lang)} · {UI_WORDS['datum_wgs84'][lang]}"
        fig.text(0.02, 0.02, caption, fontsize=10, ha="left")
        fig.subplots_adjust(left=0.01, right=0.99, top=0.92, bottom=0.05)
        buffer = io.BytesIO()
        fig.savefig(buffer, format=fmt, dpi=dpi, facecolor=fig.get_facecolor())
        plt.close(fig)
    return buffer.getvalue()
