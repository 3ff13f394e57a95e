"""Bilingual tooltip and popup HTML for one place, every value escaped, with its citations."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

from layers.i18n import Lang, text

_MAX_SOURCES = 5


def tooltip_html(place: Mapping[str, Any], lang: Lang) -> str:
    """Return the one-line tooltip: the name in ``lang``, then the other language's name."""
    first, second = (
        (place["name_zh"], place["name_en"])
        if lang == "zh"
        else (place["name_en"], place["name_zh"])
    )
    return f"<b>{escape(str(first))}</b> · {escape(str(second))}"


def _precision_label(precision: str, lang: Lang) -> str:
    return text("precision_district" if precision == "district" else precision, lang)


def popup_html(place: Mapping[str, Any], lang: Lang) -> str:
    """Return the popup: names, category, district, status, precision and up to five citations."""
    district = place.get("district_zh") or text("outside_shanghai", lang)
    status = place.get("status") or "not_stated"
    rows = [
        (text("category", lang), text(str(place["category"]), lang)),
        (text("district", lang), str(district)),
        (text("status", lang), text(str(status), lang)),
        (text("precision", lang), _precision_label(str(place["precision"]), lang)),
        (text("coord_source", lang), str(place.get("coord_source", ""))),
    ]
    sources: Sequence[Mapping[str, Any]] = place.get("sources") or []
    cites = "".join(
        f"<li><q>{escape(str(s['quote']))}</q> <cite>{escape(str(s['report']))}, "
        f"{escape(text('line', lang))} {int(s['line'])}</cite></li>"
        for s in sources[:_MAX_SOURCES]
    )
    more = f"<li>… +{len(sources) - _MAX_SOURCES}</li>" if len(sources) > _MAX_SOURCES else ""
    table = "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in rows)
    return (
        f'<div class="place-popup" lang="{lang}">{tooltip_html(place, lang)}'
        f"<table>{table}</table>"
        f"<p>{escape(text('sources', lang))}</p><ol>{cites}{more}</ol></div>"
    )
