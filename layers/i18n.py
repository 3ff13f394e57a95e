"""User-facing words in Chinese and English; pick one with ``text(key, lang)``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from geo.vocab import ReportInfo

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")

CATEGORY_TITLES: dict[str, dict[Lang, str]] = {
    "science_city": {"zh": "科学城", "en": "Science cities"},
    "hightech_zone": {"zh": "高新区及分园", "en": "High-tech zone parks"},
    "innovation_area": {"zh": "创新功能区", "en": "Innovation areas"},
    "science_park": {"zh": "科技园区", "en": "Science parks"},
    "national_lab": {"zh": "国家实验室", "en": "National labs"},
    "key_lab": {"zh": "重点实验室", "en": "Key labs"},
    "facility": {"zh": "重大科技基础设施", "en": "Big-science facilities"},
    "research_institute": {"zh": "科研机构", "en": "Research institutes"},
    "university": {"zh": "高校", "en": "Universities"},
    "incubator": {"zh": "孵化器", "en": "Incubators"},
    "platform": {"zh": "创新平台", "en": "Platforms"},
    "enterprise_hub": {"zh": "企业创新中心", "en": "Company R&D hubs"},
    "venue": {"zh": "场馆", "en": "Venues"},
}

WORDS: dict[str, dict[Lang, str]] = {
    "category": {"zh": "类别", "en": "Category"},
    "district": {"zh": "所在区", "en": "District"},
    "status": {"zh": "状态", "en": "Status"},
    "precision": {"zh": "位置精度", "en": "Location precision"},
    "coord_source": {"zh": "坐标来源", "en": "Coordinate source"},
    "sources": {"zh": "出处", "en": "Sources"},
    "line": {"zh": "行", "en": "line"},
    "outside_shanghai": {"zh": "上海以外", "en": "Outside Shanghai"},
    "operating": {"zh": "运行中", "en": "Operating"},
    "under_construction": {"zh": "在建", "en": "Under construction"},
    "planned": {"zh": "规划", "en": "Planned"},
    "launched": {"zh": "启动/揭牌", "en": "Launched"},
    "not_stated": {"zh": "未说明", "en": "Not stated"},
    "site": {"zh": "具体地址", "en": "Site"},
    "campus": {"zh": "园区/校区", "en": "Campus"},
    "area": {"zh": "片区", "en": "Area"},
    "precision_district": {"zh": "仅知所在区", "en": "District only"},
    "timeline": {"zh": "各年报告", "en": "By report"},
    # How a report's status was decided (geo.vocab.STATUS_BASES).
    "basis_sentence": {"zh": "原句所述", "en": "stated in a sentence"},
    "basis_heading": {"zh": "据所列标题", "en": "from the heading it is listed under"},
    "basis_category": {"zh": "推定", "en": "inferred"},
    "decides_status": {"zh": "定状态", "en": "decides the status"},
    "part_of": {"zh": "所属", "en": "Part of"},
    "contains": {"zh": "包含", "en": "Contains"},
    "hubs": {"zh": "创新枢纽", "en": "Innovation hubs"},
    "districts": {"zh": "行政区", "en": "Districts"},
}


def text(key: str, lang: Lang) -> str:
    """Return the word for ``key`` in ``lang`` (the key itself when unknown)."""
    entry = WORDS.get(key) or CATEGORY_TITLES.get(key)
    return entry[lang] if entry else key


#: Words of the map page's controls, handed to its script for the page's language.
UI_WORDS: dict[str, dict[Lang, str]] = {
    "title": {"zh": "上海科技创新地图", "en": "Shanghai innovation map"},
    "other_lang": {"zh": "English", "en": "中文"},
    "search": {"zh": "搜索", "en": "Search"},
    "search_placeholder": {
        "zh": "搜索地点：中文名、英文名或简称",
        "en": "Search places: Chinese, English or short name",
    },
    "no_results": {"zh": "没有匹配的地点", "en": "No matching place"},
    "not_on_map": {"zh": "未定位，见详情页", "en": "not on the map, see its page"},
    "filters": {"zh": "筛选", "en": "Filters"},
    "year": {"zh": "报告年份", "en": "Report year"},
    "all_years": {"zh": "全部报告", "en": "All reports"},
    "district": {"zh": "所在区", "en": "District"},
    "all_districts": {"zh": "全部区", "en": "All districts"},
    "status": {"zh": "状态", "en": "Status"},
    "all_statuses": {"zh": "全部状态", "en": "Any status"},
    "metric": {"zh": "分区着色", "en": "Colour districts by"},
    "metric_none": {"zh": "不着色", "en": "Nothing"},
    "metric_all": {"zh": "全部地点数", "en": "Number of places"},
    "basemap": {"zh": "底图", "en": "Basemap"},
    "shown": {"zh": "显示地点", "en": "Places shown"},
    "datum_wgs84": {"zh": "坐标 WGS-84", "en": "Datum WGS-84"},
    "datum_gcj02": {
        "zh": "底图为 GCJ-02：叠加图层已临时偏移显示，数据与导出仍为 WGS-84",
        "en": "Basemap in GCJ-02: overlays shifted for display only; data and exports stay WGS-84",
    },
    # The page's caption names the reports: see source_caption (never a literal year here).
    "source": {"zh": "来源", "en": "Source"},
    "licence": {"zh": "许可", "en": "Licence"},
    "place_list": {"zh": "地点列表", "en": "List of places"},
    "close": {"zh": "关闭", "en": "Close"},
    "profile": {"zh": "报告中的本区概况", "en": "The district in each report"},
    "no_profile": {"zh": "该报告未单列本区", "en": "This report has no section on the district"},
    "counts": {"zh": "地点数量", "en": "Places"},
    "places_here": {"zh": "本区地点", "en": "Places in the district"},
    "details": {"zh": "详情页", "en": "Details page"},
    "legend_precision": {
        "zh": "点上字母为位置精度：S 具体地址 · C 园区/校区 · A 片区 · D 仅知所在区（区中心点）",
        "en": "Letter on a point = location precision: S site · C campus · A area · D district only (district centre)",
    },
    "legend_metric": {"zh": "图例", "en": "Legend"},
    "line": {"zh": "行", "en": "line"},
    "filters_cleared": {
        "zh": "已清除隐藏该地点的筛选条件",
        "en": "Filters that hid this place were cleared",
    },
}

UI_WORDS.update(
    {
        "share_open": {"zh": "分享、嵌入与下载", "en": "Share, embed and download"},
        "link": {"zh": "链接", "en": "Link"},
        "copy": {"zh": "复制", "en": "Copy"},
        "copied": {"zh": "已复制", "en": "Copied"},
        "embed": {"zh": "嵌入网页", "en": "Embed in a web page"},
        "width": {"zh": "宽度", "en": "Width"},
        "height": {"zh": "高度", "en": "Height"},
        "embed_view": {
            "zh": "使用当前视图（否则为默认视图）",
            "en": "Current view (else the default view)",
        },
        "embed_controls": {
            "zh": "显示搜索、筛选与图层控件",
            "en": "Show search, filters and layer controls",
        },
        "embed_scroll": {"zh": "允许滚轮缩放", "en": "Zoom with the scroll wheel"},
        "embed_fixed": {
            "zh": "固定视图（不可拖动或缩放）",
            "en": "Fixed view (no panning or zooming)",
        },
        "embed_caption": {"zh": "显示标题、图例与来源", "en": "Show title, legend and source"},
        "language": {"zh": "语言", "en": "Language"},
        "download": {"zh": "下载", "en": "Download"},
        "download_data": {"zh": "下载当前地点数据", "en": "Download the places shown"},
        "format": {"zh": "格式", "en": "Format"},
        "visible_area": {"zh": "仅当前视野内", "en": "Visible area only"},
        "offline_html": {"zh": "离线 HTML（单文件）", "en": "Offline HTML (one file)"},
        "png": {"zh": "PNG 图片（1920×1080，2 倍）", "en": "PNG image (1920×1080, 2×)"},
        "pdf": {
            "zh": "PDF 打印版（矢量，同 PNG 版式）",
            "en": "PDF for print (vector, the PNG's layout)",
        },
        "ogc": {"zh": "GIS 软件（OGC API Features）", "en": "GIS software (OGC API Features)"},
    }
)


#: How the source caption names each kind of report; a kind not listed is named by its title.
#: Kinds sharing a prefix group together ("progress_report_chapter" under "progress_report").
REPORT_KIND_NAMES: dict[str, dict[Lang, str]] = {
    "progress_report": {"zh": "上海市科技进步报告", "en": "Shanghai S&T progress reports"},
    "five_year_plan": {
        "zh": "科创中心“十四五”规划",
        "en": "the 14th five-year plan for the science and innovation centre",
    },
}


def source_caption(reports: Sequence[ReportInfo], lang: Lang) -> str:
    """Return the map's source line, naming each kind of report with its years.

    It is made from the build's manifest (``reports_from_metadata``), so a new report is named
    as soon as it is built: "来源：上海市科技进步报告（2022、2023、2025）与科创中心“十四五”规划（2021）".
    """
    groups: dict[str, list[int]] = {}
    for r in reports:
        kind = next((k for k in REPORT_KIND_NAMES if r.kind.startswith(k)), "")
        name = (
            REPORT_KIND_NAMES[kind][lang] if kind else (r.title_zh if lang == "zh" else r.title_en)
        )
        years = groups.setdefault(name, [])
        if r.year not in years:
            years.append(r.year)
    order = [v[lang] for v in REPORT_KIND_NAMES.values()]
    names = sorted(groups, key=lambda n: (order.index(n) if n in order else len(order), groups[n]))
    sep, last = ("、", "与") if lang == "zh" else (", ", " and ")
    parts = [
        f"{n}（{'、'.join(map(str, sorted(groups[n])))}）"
        if lang == "zh"
        else f"{n} ({', '.join(map(str, sorted(groups[n])))})"
        for n in names
    ]
    word = UI_WORDS["source"][lang]
    if not parts:
        return word
    listed = sep.join(parts[:-1]) + last + parts[-1] if len(parts) > 1 else parts[0]
    return f"{word}：{listed}" if lang == "zh" else f"{word}: {listed}"
