"""User-facing words in Chinese and English; pick one with ``text(key, lang)``."""

from __future__ import annotations

from typing import Literal

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
    "hubs": {"zh": "创新枢纽", "en": "Innovation hubs"},
    "districts": {"zh": "行政区", "en": "Districts"},
}


def text(key: str, lang: Lang) -> str:
    """Return the word for ``key`` in ``lang`` (the key itself when unknown)."""
    entry = WORDS.get(key) or CATEGORY_TITLES.get(key)
    return entry[lang] if entry else key
