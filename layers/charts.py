"""A district's places by category in each report year, as one small inline SVG.

The one definition of the chart: the district page draws it inline, the map's district panel
fetches the same SVG (``/districts/<name>/chart.svg``), so the map page carries no chart code.
No script, no CDN, no style attributes (the app's Content-Security-Policy); colours are the
map's category colours (:mod:`layers.style`), and a category that shares its colour with an
earlier one is hatched, so no two neighbouring segments look alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from html import escape
from typing import Any

from layers.i18n import CATEGORY_TITLES, Lang
from layers.style import CATEGORY_STYLES, style_for

#: The chart's words, in each language ("{n}" and "{year}" are filled in).
CHART_WORDS: dict[str, dict[Lang, str]] = {
    "title": {
        "zh": "各报告年份提到的地点（按类别）",
        "en": "Places named in each report year, by category",
    },
    "row": {"zh": "{year}年：{n} 个地点", "en": "{year}: {n} places"},
    "none": {"zh": "没有地点", "en": "no places"},
}
WIDTH = 320
_ROW_H, _BAR_H, _LABEL_W, _NUM_W = 22, 14, 40, 34
_LEGEND_ROW_H = 16


def counts_by_year(
    places: Iterable[Mapping[str, Any]], years: Sequence[int]
) -> dict[int, dict[str, int]]:
    """Return {year: {category: places named in that year's reports}} for ``years``.

    ``places`` are rows with ``category`` and ``years`` (the report years that name the place),
    as in the build's places table; every year of ``years`` has an entry, maybe empty.
    """
    out: dict[int, dict[str, int]] = {int(y): {} for y in years}
    for row in places:
        category = str(row["category"])
        for year in row.get("years") or ():
            if int(year) in out:
                out[int(year)][category] = out[int(year)].get(category, 0) + 1
    return out


def _order(counts: Mapping[int, Mapping[str, int]]) -> list[str]:
    """Categories present, in the map's order (unknown ones last, by name)."""
    present = {c for row in counts.values() for c, n in row.items() if n}
    known = [c for c in CATEGORY_STYLES if c in present]
    return known + sorted(present - set(known))


def _fills(categories: Sequence[str]) -> tuple[dict[str, str], str]:
    """Return each category's fill and the <defs> of the hatches of repeated colours."""
    fills: dict[str, str] = {}
    seen: set[str] = set()
    defs = []
    for i, c in enumerate(categories):
        color = style_for(c).color
        if color in seen:
            pid = f"imc-h{i}"
            defs.append(
                f'<pattern id="{pid}" width="4" height="4" patternUnits="userSpaceOnUse" '
                f'patternTransform="rotate(45)"><rect width="4" height="4" fill="#ffffff"/>'
                f'<rect width="2.2" height="4" fill="{color}"/></pattern>'
            )
            fills[c] = f"url(#{pid})"
        else:
            seen.add(color)
            fills[c] = color
    return fills, f"<defs>{''.join(defs)}</defs>" if defs else ""


def chart_svg(counts: Mapping[int, Mapping[str, int]], lang: Lang, *, name: str = "") -> str:
    """Return the chart of ``counts`` (from :func:`counts_by_year`) as accessible inline SVG.

    One bar per report year (stacked by category, longest = the most places), its total at
    its end, a key of the categories below. ``name`` (the district's) starts the accessible
    title; the description lists every number, for screen readers.
    """
    years = sorted(counts)
    categories = _order(counts)
    fills, defs = _fills(categories)
    titles = {c: CATEGORY_TITLES.get(c, {}).get(lang, c) for c in categories}
    totals = {y: sum(counts[y].values()) for y in years}
    most = max(totals.values(), default=0) or 1
    span = WIDTH - _LABEL_W - _NUM_W
    rows = []
    for i, y in enumerate(years):
        top = i * _ROW_H
        words = CHART_WORDS["row"][lang].format(year=y, n=totals[y])
        parts = [
            f'<g data-year="{y}" data-total="{totals[y]}"><title>{escape(words)}</title>',
            f'<text x="0" y="{top + 15}" font-weight="bold">{y}</text>',
        ]
        x = float(_LABEL_W)
        for c in categories:
            n = counts[y].get(c, 0)
            if not n:
                continue
            w = span * n / most
            tip = f"{titles[c]}: {n}"
            parts.append(
                f'<rect x="{x:.1f}" y="{top + 4}" width="{w:.1f}" height="{_BAR_H}" '
                f'fill="{fills[c]}" stroke="#ffffff" stroke-width="0.8" data-cat="{escape(c)}" '
                f'data-n="{n}"><title>{escape(tip)}</title></rect>'
            )
            x += w
        parts.append(f'<text x="{x + 4:.1f}" y="{top + 15}">{totals[y]}</text></g>')
        rows.append("".join(parts))
    key_top = len(years) * _ROW_H + 8
    half = WIDTH // 2
    keys = []
    for i, c in enumerate(categories):
        kx, ky = (i % 2) * half, key_top + (i // 2) * _LEGEND_ROW_H
        keys.append(
            f'<rect x="{kx}" y="{ky + 2}" width="10" height="10" fill="{fills[c]}" '
            f'stroke="#555555" stroke-width="0.5"/>'
            f'<text x="{kx + 14}" y="{ky + 11}">{escape(titles[c])}</text>'
        )
    if not categories:
        keys.append(f'<text x="0" y="{key_top + 11}">{escape(CHART_WORDS["none"][lang])}</text>')
    height = key_top + max(1, (len(categories) + 1) // 2) * _LEGEND_ROW_H
    title = CHART_WORDS["title"][lang]
    if name:
        title = f"{name}: {title}"
    desc = "; ".join(
        CHART_WORDS["row"][lang].format(year=y, n=totals[y])
        + "".join(f", {titles[c]} {counts[y][c]}" for c in categories if counts[y].get(c, 0))
        for y in years
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="im-chart" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'aria-labelledby="imc-title imc-desc" font-family="WenQuanYi Micro Hei, sans-serif" '
        f'font-size="11" fill="#222222">'
        f'<title id="imc-title">{escape(title)}</title><desc id="imc-desc">{escape(desc)}</desc>'
        f"{defs}{''.join(rows)}{''.join(keys)}</svg>"
    )
