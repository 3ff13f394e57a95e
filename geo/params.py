"""Total parsers for request and command-line values: every bad value is a ParamError naming it.

One strict reading of numbers for every surface (URL, CLI, OGC API): ASCII digits only, so
``²`` or ``٣`` (which :meth:`str.isdigit` accepts and :func:`int` may not) are refused with a
message, never a 500.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from typing import Any

from geo.errors import GeoError

_INT = re.compile(r"[0-9]{1,18}")
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]{1,3})?")
#: Values in one multi-valued parameter: more is a mistake or an attack.
MAX_VALUES = 50


class ParamError(GeoError, ValueError):
    """A parameter's value is not allowed; ``parameter`` names it, ``status`` is the HTTP status."""

    def __init__(self, parameter: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.parameter = parameter
        self.status = status

    @property
    def user_message(self) -> str:
        """Return the message as users see it: the parameter's name first."""
        return f"{self.parameter}: {self}"


def parse_int(name: str, raw: str, *, low: int, high: int) -> int:
    """Return ``raw`` as an int in ``[low, high]``; ASCII digits only."""
    text = raw.strip()
    if not _INT.fullmatch(text) or not low <= int(text) <= high:
        raise ParamError(
            name, f"must be a whole number from {low} to {high} / 须为 {low}–{high} 的整数"
        )
    return int(text)


def parse_number(name: str, raw: str, *, low: float = -math.inf, high: float = math.inf) -> float:
    """Return ``raw`` as a finite float in ``[low, high]``; ASCII digits only."""
    text = raw.strip()
    value = float(text) if _NUMBER.fullmatch(text) else math.nan
    if not math.isfinite(value) or not low <= value <= high:
        raise ParamError(
            name, f"must be a number from {low:g} to {high:g} / 须为 {low:g}–{high:g} 的数"
        )
    return value


def parse_flag(name: str, raw: str | None) -> bool:
    """Return a 0/1 flag (empty or missing is 0)."""
    if raw in (None, "", "0"):
        return False
    if raw == "1":
        return True
    raise ParamError(name, "must be 0 or 1 / 须为 0 或 1")


def pairs(args: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Return every (name, value) of ``args``, repeated parameters once per value (for links)."""
    getlist = getattr(args, "getlist", None)
    if getlist is None:
        return [(str(k), str(v)) for k, v in args.items()]
    return [(str(k), str(v)) for k in args for v in getlist(k)]


def values(args: Mapping[str, Any], name: str) -> list[str]:
    """Return every comma-separated value of ``name`` (repeated parameters are joined)."""
    getlist = getattr(args, "getlist", None)
    if getlist is not None:
        raw: Iterable[Any] = getlist(name)
    else:
        item = args.get(name)
        raw = [] if item is None else [item] if isinstance(item, str) else list(item)
    out = []
    for item in raw:
        text = str(item).strip()
        if not text:
            continue  # "status=" means not given
        parts = [v.strip() for v in text.split(",")]
        if "" in parts:
            raise ParamError(name, "an empty value in the list / 列表中有空值")
        out += parts
    if len(out) > MAX_VALUES:
        raise ParamError(name, f"at most {MAX_VALUES} values / 最多 {MAX_VALUES} 个值")
    return out


def single(args: Mapping[str, Any], name: str) -> str:
    """Return the one value of ``name`` ("" when absent); the last one when repeated."""
    getlist = getattr(args, "getlist", None)
    items = getlist(name) if getlist is not None else [args[name]] if name in args else []
    return str(items[-1]).strip() if items else ""
