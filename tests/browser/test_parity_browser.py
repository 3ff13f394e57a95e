"""The parity table in Chromium: the map draws, counts and offers for download the same ids.

For every case of ``tests/parity.cases()`` the page applies the query through the code a page
load runs (``innovationMap.applyQuery``; a handful of cases are real page loads too) and must
draw exactly the case's places that have a point, say so in its "shown" count and in the
district panel, and offer a download link that returns exactly what is drawn (places without a
point only when the dialog's box asks for them, and then exactly the case's ids).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, parse_qsl, urlencode, urlsplit

import pytest
from parity import PARITY, cases
from playwright.sync_api import Page, Route

from geo.districts import district_by_name
from tests.browser.conftest import Contexts, PageLog, require_chromium, serve

CASES = cases()
IDS = [c["query"] or "(none)" for c in CASES]
READY = "() => document.querySelector('.folium-map[data-ready]') !== null"
#: Cases also checked as real page loads (each kind of parameter at least once).
LOADED = (
    "",
    "unplaced=1",
    "district=Yangpu,徐汇区",
    "layers=hubs",
    "category=research_institute",
    "year=2031&status=under_construction",
    "bbox=121.5,31.1,0,121.7,31.3,100",
    "q=ｓｓｒｆ",
    "q=AI open&unplaced=1",
    "district=浦东新区&category=facility&year=2031&status=under_construction",
)


def _places() -> dict[str, dict[str, str]]:
    with (PARITY / "places.csv").open(encoding="utf-8") as fh:
        return {row["id"]: row for row in csv.DictReader(fh)}


PLACES = _places()


@pytest.fixture(scope="module")
def parity_url(parity_build: Path) -> Iterator[str]:
    require_chromium()
    yield from serve(parity_build)


def _open(contexts: Contexts, url: str, log: PageLog) -> Page:
    page = contexts.page()
    page.on("console", lambda m: log.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: log.errors.append(str(exc)))
    origin = "/".join(url.split("/")[:3])

    def guard(route: Route) -> None:
        if route.request.url.startswith(origin):
            route.continue_()
        else:
            log.external.append(route.request.url)
            route.abort()

    page.route("**/*", guard)
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    page.wait_for_function(READY)
    return page


@pytest.fixture(scope="module")
def one_page(contexts: Contexts, parity_url: str) -> Iterator[tuple[Page, PageLog]]:
    log = PageLog()
    page = _open(contexts, parity_url + "/?lang=en", log)
    yield page, log
    page.close()


def _check(page: Page, base: str, case: dict[str, object]) -> None:
    query = str(case["query"])
    args = parse_qs(query)
    expected = list(case["ids"])  # type: ignore[call-overload]
    placed = [i for i in expected if PLACES[i]["lon"]]

    # What is drawn, and the count that says so.
    assert page.evaluate("() => window.innovationMap.drawnIds()") == placed, query
    count = page.locator("#im-count").inner_text()
    assert re.match(rf"Places shown: {len(placed)} / \d+$", count), (query, count)
    # The query the page holds keeps exactly the case's ids (with unplaced=1: those too).
    assert page.evaluate("() => window.innovationMap.matchingIds()") == expected, query

    # District counts (choropleth and panel) agree with what is drawn.
    asked = [district_by_name(v) for raw in args.get("district", []) for v in raw.split(",")]
    names = {d.name_zh for d in asked if d is not None}
    counts = page.evaluate("() => window.innovationMap.districtCounts()")
    for zh, n in counts.items():
        if not names or zh in names:
            assert n == sum(PLACES[i]["district_zh"] == zh for i in placed), (query, zh)
    if len(names) == 1:
        panel = page.locator("#im-detail .im-counts b")
        assert panel.inner_text() == str(len(placed)), query
        assert page.locator("#im-detail .im-here").inner_text() == str(len(placed)), query

    # The dialog's download holds exactly what is drawn; unplaced places only on request.
    page.locator("#im-share-open").click()
    box = page.locator("#im-dl-unplaced")
    label = page.locator("#im-dl-unplaced-label").inner_text()
    n_unplaced = int(re.search(r"include (\d+) places without a point", label).group(1))  # type: ignore[union-attr]
    wanted_unplaced = args.get("unplaced") == ["1"]
    assert box.is_checked() == wanted_unplaced, query

    def downloaded() -> tuple[str, list[str]]:
        href = page.locator("#im-dl-data").get_attribute("href") or ""
        features = page.request.get(href).json()["features"]
        return href, sorted(f["id"] for f in features)

    if wanted_unplaced:
        href, ids = downloaded()
        assert "unplaced=1" in href and ids == expected, query
        assert n_unplaced == len(expected) - len(placed), (query, label)
        box.uncheck()
        href, ids = downloaded()
        assert "unplaced=1" not in href and ids == placed, query
        box.check()
    else:
        href, ids = downloaded()
        assert "unplaced=1" not in urlsplit(href).query and ids == placed, query
        if n_unplaced:
            box.check()
            href, ids = downloaded()
            assert "unplaced=1" in href, query
            extra = sorted(set(ids) - set(placed))
            assert len(extra) == n_unplaced and not any(PLACES[i]["lon"] for i in extra), query
            assert set(placed) <= set(ids), query
            box.uncheck()
        else:
            assert box.is_disabled(), query
    page.keyboard.press("Escape")
    assert page.locator("#im-share").is_hidden()
    assert page.evaluate("() => window.innovationMap.drawnIds()") == placed, query


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_the_map_applies_each_query_as_the_server_does(
    one_page: tuple[Page, PageLog], parity_url: str, case: dict[str, object]
) -> None:
    page, log = one_page
    page.evaluate("q => window.innovationMap.applyQuery(q)", str(case["query"]))
    _check(page, parity_url, case)
    assert log.errors == [] and log.external == []


@pytest.mark.parametrize("query", LOADED)
def test_a_page_load_applies_the_query_as_the_server_does(
    contexts: Contexts, parity_url: str, query: str
) -> None:
    case = next(c for c in CASES if c["query"] == query)
    log = PageLog()
    url = parity_url + "/?" + urlencode([("lang", "en"), *parse_qsl(query)])
    page = _open(contexts, url, log)
    try:
        _check(page, parity_url, case)
        # The address the page writes back keeps the same filters. It is written 150 ms after
        # the last change (_check toggles the unplaced box): wait for it, then compare.
        keys = sorted({k for k, _ in parse_qsl(query)})
        page.wait_for_function(
            "keys => { const p = new URLSearchParams(location.search);"
            " return p.has('zoom') && keys.every(k => p.has(k)); }",
            arg=keys,
        )
        kept = {k: v for k, v in parse_qsl(urlsplit(page.url).query) if k in dict(parse_qsl(query))}
        assert set(kept) == set(keys), page.url
        assert log.errors == [] and log.external == []
    finally:
        page.close()


def test_the_search_key_rule_is_the_same_in_the_page(one_page: tuple[Page, PageLog]) -> None:
    from geo.vocab import search_key

    page, _ = one_page
    samples = [
        "Zhangjiang Lab",
        "ｓｓｒｆ",
        "南汇新城 · 科创中心",
        "杨“数”浦",
        "G60 S&T",
        "《上海》—(2025)",
        "İstanbul\u00a0Tab\tNew\nline",
        "ＡＩ・Open・Platform",
        "x\u200by\ufeffz",
    ]
    from_page = page.evaluate("s => s.map(x => window.innovationMap.norm(x))", samples)
    assert from_page == [search_key(s) for s in samples]
