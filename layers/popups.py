"""Bilingual tooltip and popup HTML for one place, every value escaped, with its citations.

A popup can be cited: each quote is cleaned of Markdown and cut at a clause or word boundary
(with an ellipsis), and names its report by title and year with the line; the place, its
parent and the rest of its citations are links to the place's page.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from html import escape
from typing import Any
from urllib.parse import quote

from geo import settings
from geo.districts import district_by_name
from layers.i18n import Lang, text

_MAX_SOURCES = 3
_MAX_CHILDREN = 8
#: Longest quote a popup shows (characters), cut at a clause or word boundary.
POPUP_QUOTE_CHARS = 60

# Markdown a report line may carry: headings, list markers, emphasis, code, links.
_HEADING = re.compile(r"^\s*#{1,6}\s*")
_LIST = re.compile(r"^\s*(?:[-*+•]|\d{1,3}[.)、])\s+")
_EMPHASIS = re.compile(r"\*{1,3}|_{2,3}|`+")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
# Where a quote may be cut: after clause punctuation (Chinese or Latin), or at a space.
_CLAUSE = "，；。、：！？,;:!?）)"
_LATIN = re.compile(r"[A-Za-z0-9]")
_OPENERS = "《（(“「"

#: How a coordinate was obtained, by the start of ``coord_source`` (curators write English).
_COORD_KINDS: tuple[tuple[str, dict[Lang, str]], ...] = (
    ("unplaced", {"zh": "无坐标", "en": "no coordinate"}),
    ("district point", {"zh": "区的代表点（仅知所在区）", "en": "district point (district only)"}),
    ("parent", {"zh": "沿用所属地点的位置", "en": "the point of the place it is part of"}),
    ("curator: known building", {"zh": "整理者标注的已知建筑", "en": "known building (curator)"}),
    ("curator", {"zh": "整理者标注的已知园区位置", "en": "known campus (curator)"}),
    ("known campus", {"zh": "已知园区", "en": "known campus"}),
    ("known address", {"zh": "已知地址", "en": "known address"}),
    ("address", {"zh": "按地址由审核者定位", "en": "placed by a reviewer from the address"}),
    ("city point", {"zh": "城市代表点", "en": "city point"}),
    ("area point", {"zh": "片区代表点", "en": "area point"}),
)


def clean_quote(quote: str, *, keep: str = "", max_chars: int = POPUP_QUOTE_CHARS) -> str:
    """Return a report quote fit to cite: no Markdown, cut at clause or word boundaries.

    A quote as long as :data:`geo.settings.QUOTE_MAX_CHARS` is a window on a longer line, so
    its ends may fall mid-clause: they are trimmed back to the nearest clause (keeping
    ``keep``, the place's name, when it is in the quote) and marked with an ellipsis. A quote
    longer than ``max_chars`` is cut the same way. Latin text is never cut inside a word.
    """
    windowed = len(quote.strip()) >= settings.QUOTE_MAX_CHARS
    text_ = _LINK.sub(r"\1", quote.strip())
    starts_line = bool(_HEADING.match(text_) or _LIST.match(text_))
    text_ = _LIST.sub("", _HEADING.sub("", text_))
    text_ = _EMPHASIS.sub("", text_).strip()
    text_ = re.sub(r"\s+", " ", text_)
    at = text_.find(keep) if keep else -1
    head_cut = tail_cut = False
    if windowed and not starts_line:
        text_, head_cut = _trim_head(text_, at)
        at = text_.find(keep) if keep else -1
    if windowed:
        text_, tail_cut = _trim_tail(text_, at + len(keep) if at >= 0 else 0)
    while len(text_) > max_chars:
        at = text_.find(keep) if keep else -1
        end_of_name = at + len(keep) if at >= 0 else 0
        if end_of_name < max_chars:
            text_, cut = _trim_tail(text_[: max_chars + 1], end_of_name, force=True)
            tail_cut = tail_cut or cut
        else:
            text_, cut = _trim_head(text_, at, force=True)
            head_cut = head_cut or cut
        if not cut:
            break
    text_ = text_.strip(" ，；、：,;:")
    # A bracket or quote opened in the last few characters and never closed: the line ended
    # there (the name went on in the next line); end before it.
    tail = text_[-6:]
    for opener, closer in ("（）", "()", "《》", "“”", "「」"):
        at = tail.rfind(opener)
        if at >= 0 and closer not in tail[at:] and len(text_) - 6 + at > 0:
            text_, tail_cut = text_[: len(text_) - len(tail) + at].rstrip(" ，；、：,;:"), True
            break
    return ("…" if head_cut else "") + text_ + ("…" if tail_cut else "")


def _trim_head(text_: str, name_at: int, *, force: bool = False) -> tuple[str, bool]:
    """Drop a partial first clause (not past the name); a Latin word at least."""
    limit = name_at if name_at >= 0 else len(text_) // 2
    cuts = [i for i, ch in enumerate(text_[:limit]) if ch in _CLAUSE]
    if cuts and (force or cuts[0] < len(text_) // 3):
        return text_[cuts[0] + 1 :].lstrip(), True
    if _LATIN.match(text_[:1]) and " " in text_[:limit]:
        return text_[text_.index(" ") + 1 :], True
    if force and name_at > 0:
        return text_[name_at:], True
    return text_, False


def _trim_tail(text_: str, keep_until: int, *, force: bool = False) -> tuple[str, bool]:
    """Drop a partial last clause (not before ``keep_until``); a Latin word at least."""
    cuts = [i for i, ch in enumerate(text_) if ch in _CLAUSE and i >= keep_until]
    if cuts and cuts[-1] < len(text_) - 1 and (force or cuts[-1] > len(text_) * 2 // 3):
        return text_[: cuts[-1]], True
    if cuts and cuts[-1] == len(text_) - 1:
        return text_, False  # ends at a clause already
    if _LATIN.match(text_[-1:]) and " " in text_[keep_until:]:
        return text_[: text_.rindex(" ")], True
    if force:
        end = max(keep_until, len(text_) - 1)
        # No clause to end at: end before an opening bracket or quote, else outside a Latin
        # word or a number, so "（2023—2025年）" is never cut to "（202…".
        opener = max((i for i in range(keep_until, end) if text_[i] in _OPENERS), default=-1)
        if opener > keep_until:
            return text_[:opener], True
        while (
            end > keep_until
            and _LATIN.match(text_[end - 1 : end])
            and _LATIN.match(text_[end : end + 1])
        ):
            end -= 1
        return text_[:end], True
    return text_, False


def coord_note(coord_source: str, lang: Lang) -> str:
    """Return how the coordinate was obtained, in ``lang`` (the curator's note kept in English)."""
    source = str(coord_source or "")
    for prefix, words in _COORD_KINDS:
        if source.startswith(prefix) or f" {prefix}" in source.split(":")[0]:
            return words[lang]
    return source


def district_name(district_zh: object, lang: Lang) -> str:
    """Return a district's name in ``lang`` (the Chinese name when it is not a known one)."""
    if not isinstance(district_zh, str) or not district_zh:
        return text("outside_shanghai", lang)
    district = district_by_name(district_zh)
    return district.name_en if district is not None and lang == "en" else str(district_zh)


def _name(names: Mapping[str, tuple[str, str]], pid: str, lang: Lang) -> str:
    zh, en = names.get(pid, (pid, pid))
    return zh if lang == "zh" else en


def timeline_text(place: Mapping[str, Any], lang: Lang) -> str:
    """Return each report's status, oldest first: "2021 规划 → 2022 在建 → 2025 运行中（推定）".

    A status inferred from the category (the report names the place without a status word) says
    so, so that it is not read as the report's own words.
    """
    steps = []
    for t in place.get("timeline") or []:
        step = f"{int(t['year'])} {text(str(t['status'] or 'not_stated'), lang)}"
        if t.get("basis") == "category":
            inferred = text("basis_category", lang)
            step += f"（{inferred}）" if lang == "zh" else f" ({inferred})"
        steps.append(step)
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


def place_url(links: str, place_id: str, lang: Lang, anchor: str = "") -> str:
    """Return the address of a place's page (``links`` is the site's root, maybe empty)."""
    return f"{links}/places/{quote(place_id, safe='')}?lang={lang}{anchor}"


def _cite(source: Mapping[str, Any], reports: Mapping[str, tuple[int, str]], lang: Lang) -> str:
    """Return "2025 · <title>, line 12" for one citation (the report id when its title is unknown)."""
    year, title = reports.get(str(source["report"]), (source.get("year"), str(source["report"])))
    line = int(source["line"])
    where = f"第 {line} 行" if lang == "zh" else f"line {line}"
    sep = "，" if lang == "zh" else ", "
    return f"{escape(str(year))} · {escape(title)}{sep}{escape(where)}"


def popup_html(
    place: Mapping[str, Any],
    lang: Lang,
    names: Mapping[str, tuple[str, str]] | None = None,
    children: Sequence[str] = (),
    *,
    reports: Mapping[str, tuple[int, str]] | None = None,
    links: str = "",
) -> str:
    """Return the popup: names, category, district, status, timeline, precision and citations.

    With ``names`` (id → (zh, en)) it also names the place it is part of and what it contains;
    ``reports`` (report id → (year, title in ``lang``)) names each citation's report; ``links``
    is the site's root for the links to place pages.
    """
    names = names or {}
    reports = reports or {}
    pid = str(place.get("id", ""))
    status = place.get("status") or "not_stated"
    note = str(place.get("coord_source", ""))
    kind = coord_note(note, lang)
    coord = escape(kind) + (
        f' <small class="im-note" lang="en">({escape(note)})</small>'
        if lang == "zh" and kind != note and note
        else ""
    )
    rows = [
        (text("category", lang), escape(text(str(place["category"]), lang))),
        (text("district", lang), escape(district_name(place.get("district_zh"), lang))),
        (text("status", lang), escape(text(str(status), lang))),
        (text("timeline", lang), escape(timeline_text(place, lang))),
        (text("precision", lang), escape(_precision_label(str(place["precision"]), lang))),
        (text("coord_source", lang), coord if lang == "zh" else escape(note)),
    ]
    parent = place.get("parent_id")
    if isinstance(parent, str) and parent:
        rows.append(
            (
                text("part_of", lang),
                f'<a href="{escape(place_url(links, parent, lang))}">'
                f"{escape(_name(names, parent, lang))}</a>",
            )
        )
    if children:
        sep = "、" if lang == "zh" else ", "
        shown = sep.join(escape(_name(names, c, lang)) for c in children[:_MAX_CHILDREN])
        extra = f" … +{len(children) - _MAX_CHILDREN}" if len(children) > _MAX_CHILDREN else ""
        rows.append((text("contains", lang), shown + extra))
    sources: Sequence[Mapping[str, Any]] = place.get("sources") or []
    name = str(place.get("name_zh", ""))
    # The citation whose sentence or heading decides a report's status says so.
    deciding = {(t.get("report"), t.get("line")) for t in place.get("timeline") or []}
    tag = f'<strong class="im-tag">{escape(text("decides_status", lang))}</strong> '
    cites = "".join(
        f"<li>{tag if (s['report'], s['line']) in deciding else ''}"
        f"<q>{escape(clean_quote(str(s['quote']), keep=name))}</q> "
        f"<cite>{_cite(s, reports, lang)}</cite></li>"
        for s in sources[:_MAX_SOURCES]
    )
    page = place_url(links, pid, lang)
    more = ""
    if len(sources) > _MAX_SOURCES:
        n = len(sources) - _MAX_SOURCES
        label = f"另 {n} 处出处" if lang == "zh" else f"+{n} more"
        more = (
            f'<li class="im-more"><a href="{escape(place_url(links, pid, lang, "#sources"))}">'
            f"{escape(label)}</a></li>"
        )
    table = "".join(f"<tr><th>{escape(k)}</th><td>{v}</td></tr>" for k, v in rows)
    details = "详情页" if lang == "zh" else "Details page"
    return (
        f'<div class="place-popup" lang="{lang}" data-place="{escape(pid)}">'
        f"{tooltip_html(place, lang)}"
        f"<table>{table}</table>"
        f"<p>{escape(text('sources', lang))}</p><ol>{cites}{more}</ol>"
        f'<p class="im-popup-link"><a href="{escape(page)}">{escape(details)}</a></p></div>'
    )
