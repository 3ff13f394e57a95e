"""The 16 districts of Shanghai: names, short forms and codes."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class District:
    """One district (区) with the names the reports use for it."""

    name_zh: str
    name_en: str
    short_zh: str
    adcode: str


DISTRICTS: tuple[District, ...] = (
    District("黄浦区", "Huangpu", "黄浦", "310101"),
    District("徐汇区", "Xuhui", "徐汇", "310104"),
    District("长宁区", "Changning", "长宁", "310105"),
    District("静安区", "Jing'an", "静安", "310106"),
    District("普陀区", "Putuo", "普陀", "310107"),
    District("虹口区", "Hongkou", "虹口", "310109"),
    District("杨浦区", "Yangpu", "杨浦", "310110"),
    District("闵行区", "Minhang", "闵行", "310112"),
    District("宝山区", "Baoshan", "宝山", "310113"),
    District("嘉定区", "Jiading", "嘉定", "310114"),
    District("浦东新区", "Pudong", "浦东", "310115"),
    District("金山区", "Jinshan", "金山", "310116"),
    District("松江区", "Songjiang", "松江", "310117"),
    District("青浦区", "Qingpu", "青浦", "310118"),
    District("奉贤区", "Fengxian", "奉贤", "310120"),
    District("崇明区", "Chongming", "崇明", "310151"),
)

DISTRICT_NAMES_ZH: frozenset[str] = frozenset(d.name_zh for d in DISTRICTS)


def district_by_name(name: str) -> District | None:
    """Return the district whose full or short Chinese or English name is ``name``."""
    for d in DISTRICTS:
        if name in (d.name_zh, d.short_zh) or name.lower() == d.name_en.lower():
            return d
    return None
