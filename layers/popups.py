"""Bilingual tooltip and popup HTML for one place, every value escaped, with its citations."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

from layers.i18n import Lang, text

_MAX_SOURCES = 5
_MAX_CHILDREN = 8


def _name(names: Mapping[str, tuple[str, str]], pid: str, lang: Lang) -> str:
    zh, en = names.get(pid, (pid, pid))
    return zh if lang == "zh" else en


def _timeline_text(place: Mapping[str, Any], lang: Lang) -> str:
    """Return each report's status, oldest first: "2021 规划 → 2022 在建 → 2025 运行中"."""
    steps = [
        f"{int(t['year'])} {text(str(t['status'] or 'not_stated'), lang)}"
        for t in place.get("timeline") or []
    ]
    return " → ".join(steps)


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


def popup_html(
    place: Mapping[str, Any],
    lang: Lang,
    names: Mapping[str, tuple[str, str]] | None = None,
    children: Sequence[str] = (),
) -> str:
    """Return the popup: names, category, district, status, timeline, precision and citations.

    With ``names`` (id → (zh, en)) it also names the place it is part of and what it contains.
    """
    names = names or {}
    district = place.get("district_zh") or text("outside_shanghai", lang)
    status = place.get("status") or "not_stated"
    rows = [
        (text("category", lang), text(str(place["category"]), lang)),
        (text("district", lang), str(district)),
        (text("status", lang), text(str(status), lang)),
        (text("timeline", lang), _timeline_text(place, lang)),
        (text("precision", lang), _precision_label(str(place["precision"]), lang)),
        (text("coord_source", lang), str(place.get("coord_source", ""))),
    ]
    parent = place.get("parent_id")
    if isinstance(parent, str) and parent:
        rows.append((text("part_of", lang), _name(names, parent, lang)))
    if children:
        sep = "、" if lang == "zh" else ", "
        shown = sep.join(_name(names, c, lang) for c in children[:_MAX_CHILDREN])
        extra = f" … +{len(children) - _MAX_CHILDREN}" if len(children) > _MAX_CHILDREN else ""
        rows.append((text("contains", lang), shown + extra))
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
