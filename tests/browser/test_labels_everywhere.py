"""Names are on the map in every output: the app, the embed, the offline file opened from
file://, the page the PNG is taken of, and the PDF (whose text layer pdfplumber reads)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from flask import Flask
from playwright.sync_api import Page

from geo.pipeline import Inputs, build
from mapapp import create_app, pages
from tests.browser.conftest import Contexts, PageLog

READY = "() => document.querySelector('.folium-map[data-ready]') !== null"
# Every label shown now, with its box, and the map's box (what a screenshot of the map holds).
SHOWN = """() => {
  const frame = document.querySelector('.folium-map').getBoundingClientRect();
  const labels = Array.from(document.querySelectorAll('.im-label.im-label-on')).map(e => {
    const s = e.firstElementChild, r = s.getBoundingClientRect(), st = getComputedStyle(e);
    return {kind: e.className, text: (s.querySelector('b') || s).textContent.trim(),
            box: [r.left, r.top, r.right, r.bottom], visible: st.visibility !== 'hidden'};
  });
  return {frame: [frame.left, frame.top, frame.right, frame.bottom], labels: labels,
          districts: JSON.parse(document.getElementById('im-data').textContent).carto.districts.length};
}"""


def _overlap(a: list[float], b: list[float]) -> bool:
    return a[0] < b[2] - 1 and b[0] < a[2] - 1 and a[1] < b[3] - 1 and b[1] < a[3] - 1


def _check(page: Page) -> list[dict[str, Any]]:
    """Assert the page names its districts, inside the map and apart; return the district labels."""
    page.wait_for_function(READY)
    got = page.evaluate(SHOWN)
    f = got["frame"]
    inside = [
        lab
        for lab in got["labels"]
        if lab["visible"]
        and lab["box"][0] >= f[0]
        and lab["box"][1] >= f[1]
        and lab["box"][2] <= f[2]
        and lab["box"][3] <= f[3]
    ]
    districts = [lab for lab in inside if "im-label-district" in lab["kind"]]
    # Most districts are named (central ones may give way to their neighbours at city zoom).
    assert len(districts) >= got["districts"] / 2, [d["text"] for d in districts]
    assert any("im-label-hub" in lab["kind"] for lab in inside)  # and hubs
    free = [lab for lab in inside if "im-label-hub" not in lab["kind"]]  # hub names are forced
    for i, a in enumerate(free):
        for b in free[i + 1 :]:
            assert not _overlap(a["box"], b["box"]), (a["text"], b["text"])
    return districts


@pytest.fixture(scope="module")
def real_app(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    """The app over the real build (the PNG's and PDF's pages come from its state)."""
    build_dir = tmp_path_factory.mktemp("labels") / "build"
    build(build_dir, Inputs())
    return create_app({"BUILD_DIR": build_dir, "TESTING": True})


@pytest.fixture
def bare_page(contexts: Contexts) -> Iterator[tuple[Page, list[str]]]:
    """A page for files: no server; any request over the network is recorded (and fails)."""
    page = contexts.page(1920, 1080)
    seen: list[str] = []
    page.on("request", lambda r: seen.append(r.url) if r.url.startswith("http") else None)
    page.on("pageerror", lambda exc: seen.append(str(exc)))
    yield page, seen
    page.close()


def test_the_app_map_names_its_districts(page: tuple[Page, PageLog], base_url: str) -> None:
    p, log = page
    p.goto(f"{base_url}/?lang=zh")
    assert any(d["text"] == "浦东新区" for d in _check(p))
    assert log.errors == [] and log.external == []


def test_the_embed_names_its_districts(page: tuple[Page, PageLog], base_url: str) -> None:
    p, log = page
    p.goto(f"{base_url}/embed?lang=en")
    assert any(d["text"] == "Pudong" for d in _check(p))
    assert log.errors == [] and log.external == []


def test_the_offline_file_names_its_districts_from_file_url(
    real_app: Flask, bare_page: tuple[Page, list[str]], tmp_path: Path
) -> None:
    p, seen = bare_page
    html = pages.offline_page(real_app.extensions["innovation_map"].map_pages["en"], "lang=en")
    path = tmp_path / "map.html"
    path.write_text(html, encoding="utf-8")
    p.goto(path.as_uri())
    assert p.evaluate("() => window.innovationMap.mode") == "offline"
    assert any(d["text"] == "Pudong" for d in _check(p))
    assert seen == []


def test_the_png_and_pdf_show_the_same_names(
    real_app: Flask, bare_page: tuple[Page, list[str]]
) -> None:
    """The PNG is a screenshot of the slide page at capture time: its DOM holds the names; the
    PDF prints the same page, so its text layer holds every one of them and the title."""
    p, seen = bare_page
    state = real_app.extensions["innovation_map"]
    query = "lang=en&metric=all"
    p.set_content(pages.slide_html(state.map_pages["en"], query))
    districts = _check(p)
    title = p.locator("#im-cap-title").inner_text()
    assert seen == []
    body, engine = pages.pdf(
        state.data, state.map_pages["en"], query, {"lang": "en", "metric": "all"}, lang="en"
    )
    assert engine == "chromium"
    with pdfplumber.open(io.BytesIO(body)) as pdf:
        assert len(pdf.pages) == 1
        # The text layer in the order the PDF draws it: each label is one run of text (a
        # reading-order extraction would interleave the counts drawn over the names).
        text = "".join(str(c["text"]) for c in pdf.pages[0].chars)
    assert title in text
    missing = [d["text"] for d in districts if d["text"] not in text]
    assert missing == []
