"""Dry run of next year's report (issue #15): a sixth report as PDF and DOCX, two commands, a map.

The report is made here (reportlab with its built-in CID font STSong-Light, python-docx). It
names known places, two new places, a renamed place (上海量子科学研究中心 → 上海量子科学研究院), a
place outside Shanghai and two status changes (the hard X-ray FEL and the gas-turbine rig, under
construction in 2025, operating in 2026; one in a sentence, one in a table). Everything runs on
a copy of data/ in a temporary folder: the repository's data/ is never written.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from geo import settings
from layers.ui import read_page_data
from mapapp.cli import main

YEAR = 2026
TITLE = f"{YEAR}上海科技进步报告"
BLOCKS: list[tuple[str, Any]] = [
    ("h1", "1 打造体系化战略科技力量"),
    ("p", "张江实验室、临港实验室加快推进建设，李政道研究所引进一批顶尖科学家。"),
    ("p", "硬X射线自由电子激光装置全面建成并投入使用，首批用户开展实验。"),
    ("p", "上海同步辐射光源年度服务用户超过4000家。"),
    ("p", "上海量子科学研究院正式揭牌，聚焦量子计算与量子通信。"),
    ("h1", "2 培育新质生产力"),
    ("p", "上海具身智能创新研究院在浦东张江揭牌成立，聚焦人形机器人。"),
    ("p", "临港深海科技创新园正式开园，集聚一批海洋装备企业。"),
    ("p", "与浙江嘉兴科技城深化合作。"),
    ("table", [["设施", "进展"], ["高效低碳燃气轮机试验装置", "建成运行"]]),
]
NEW_PLACES = {
    "上海具身智能创新研究院": {
        "place_id": "shanghai-embodied-ai-institute",
        "name_en": "Shanghai Embodied AI Innovation Institute",
    },
    "临港深海科技创新园": {
        "name_en": "Lingang Deep-Sea Technology Innovation Park",
        "lon": "121.93",
        "lat": "30.90",
        "precision": "area",
        "coord_source": "area point: 临港 (dry-run test)",
    },
}


def make_pdf(path: Path) -> None:
    """Title and headings in larger type (read back as Markdown headings), a ruled table, and a
    last page holding only a picture (reported as not read)."""
    pytest.importorskip("reportlab")
    from PIL import Image as PILImage
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Image, PageBreak, Paragraph, SimpleDocTemplate, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    body = ParagraphStyle("body", fontName="STSong-Light", fontSize=11, leading=16)
    h1 = ParagraphStyle("h1", fontName="STSong-Light", fontSize=16, leading=22, spaceBefore=8)
    title = ParagraphStyle("title", fontName="STSong-Light", fontSize=22, leading=28)
    story: list[Any] = [Paragraph(TITLE, title)]
    for kind, content in BLOCKS:
        if kind == "table":
            table = Table(content)
            table.setStyle(
                TableStyle(
                    [
                        ("FONT", (0, 0), (-1, -1), "STSong-Light", 11),
                        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                    ]
                )
            )
            story.append(table)
        else:
            story.append(Paragraph(content, h1 if kind == "h1" else body))
    picture = path.with_suffix(".png")
    PILImage.new("RGB", (40, 40), "gray").save(picture)
    story += [PageBreak(), Image(str(picture), width=100, height=100)]
    SimpleDocTemplate(str(path), pagesize=A4).build(story)


def make_docx(path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_heading(TITLE, 0)
    for kind, content in BLOCKS:
        if kind == "table":
            table = document.add_table(rows=len(content), cols=len(content[0]))
            for i, row in enumerate(content):
                for j, cell in enumerate(row):
                    table.cell(i, j).text = cell
        elif kind == "h1":
            document.add_heading(content, 1)
        else:
            document.add_paragraph(content)
    document.save(str(path))


def data_copy(root: Path) -> Path:
    """A copy of the shipped inputs (reports, gazetteer, boundaries, hubs): the test's data dir."""
    for sub in ("reports", "gazetteer", "boundaries", "hubs"):
        shutil.copytree(settings.DATA_DIR / sub, root / sub)
    return root


def read_sheet(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def write_sheet(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def page_payload(html: str) -> dict[str, Any]:
    assert 'id="im-data"' in html, "the map page has no data blob"
    return read_page_data(html)


@pytest.fixture(scope="module")
def dry_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """add-report (PDF) → review sheet → review apply (a broken sheet first) → build."""
    root = tmp_path_factory.mktemp("dry-run")
    data_dir = data_copy(root / "data")
    pdf = root / "2026上海科技进步报告.pdf"
    make_pdf(pdf)
    sheet = root / "review.csv"
    repo_gazetteer = {p.name: p.read_bytes() for p in settings.GAZETTEER_DIR.iterdir()}
    runs: dict[str, Any] = {"root": root, "data_dir": data_dir, "sheet": sheet}

    add = ["--data-dir", str(data_dir), "add-report", str(pdf), "--year", str(YEAR)]
    runs["add_rc"] = main([*add, "--url", "https://example.org/2026.pdf", "--sheet", str(sheet)])
    runs["suggested"] = read_sheet(sheet)

    rows = [dict(r) for r in runs["suggested"]]
    for row in rows:
        row.update(NEW_PLACES.get(row["name"], {}))
    broken = [dict(r) for r in rows]
    broken[0]["decision"] = "maybe"
    next(r for r in broken if r["name"] == "临港深海科技创新园")["name_en"] = ""
    write_sheet(sheet, broken)
    before = {p.name: p.read_bytes() for p in (data_dir / "gazetteer").iterdir()}
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        runs["broken_rc"] = main(["--data-dir", str(data_dir), "review", "apply", str(sheet)])
    runs["broken_err"] = err.getvalue()
    runs["unchanged_after_broken"] = before == {
        p.name: p.read_bytes() for p in (data_dir / "gazetteer").iterdir()
    }

    write_sheet(sheet, rows)
    runs["apply_rc"] = main(["--data-dir", str(data_dir), "review", "apply", str(sheet)])
    runs["repo_untouched"] = repo_gazetteer == {
        p.name: p.read_bytes() for p in settings.GAZETTEER_DIR.iterdir()
    }
    return runs


def test_add_report_writes_text_manifest_and_sheet(dry_run: dict[str, Any]) -> None:
    assert dry_run["add_rc"] == 0
    reports = dry_run["data_dir"] / "reports"
    manifest = json.loads((reports / "manifest.json").read_text(encoding="utf-8"))
    entry = manifest["reports"][-1]
    assert entry["id"] == f"{YEAR}_st_progress_report" and entry["year"] == YEAR
    assert entry["title_zh"] == TITLE
    assert entry["source"]["url"] == "https://example.org/2026.pdf"
    assert entry["source"]["format"] == "pdf" and entry["source"]["pages"] == 2
    # The picture-only last page is reported, and recorded with the entry.
    assert any("page 2" in u for u in entry["source"]["unread"])
    text = (reports / entry["file"]).read_text(encoding="utf-8")
    assert "## 1 打造体系化战略科技力量" in text  # a heading by its type size
    assert "高效低碳燃气轮机试验装置 | 建成运行" in text  # a table row, cells kept apart
    # The other five reports and their entries are untouched.
    assert [r["id"] for r in manifest["reports"][:-1]] == [
        r["id"] for r in json.loads((settings.REPORTS_DIR / "manifest.json").read_text())["reports"]
    ]


def test_sheet_suggests_alias_new_places_and_exclusion(dry_run: dict[str, Any]) -> None:
    by_name = {r["name"]: r for r in dry_run["suggested"]}
    assert set(by_name) == {
        "上海量子科学研究院",
        "上海具身智能创新研究院",
        "临港深海科技创新园",
        "浙江嘉兴科技城",
    }
    renamed = by_name["上海量子科学研究院"]
    assert (renamed["decision"], renamed["place_id"]) == (
        "alias",
        "shanghai-quantum-science-center",
    )
    institute = by_name["上海具身智能创新研究院"]
    assert (institute["decision"], institute["category"]) == ("place", "research_institute")
    assert institute["district_zh"] == "浦东新区"
    # The heading glued in front by line joining is cut off; the scan's own form is kept.
    assert institute["found"] != institute["name"] and institute["found"].endswith(
        institute["name"]
    )
    park = by_name["临港深海科技创新园"]
    assert (park["decision"], park["district_zh"]) == ("place", "浦东新区")
    outside = by_name["浙江嘉兴科技城"]
    assert (outside["decision"], outside["kind"]) == ("exclude", "outside")
    for row in dry_run["suggested"]:
        assert row["count"] == "1" and row["context"] and int(row["first_line"]) > 0


def test_docx_gives_the_same_sheet(tmp_path: Path, dry_run: dict[str, Any]) -> None:
    data_dir = data_copy(tmp_path / "data")
    document = tmp_path / "report.docx"
    make_docx(document)
    sheet = tmp_path / "review.csv"
    args = ["--data-dir", str(data_dir), "add-report", str(document), "--year", str(YEAR)]
    assert main([*args, "--sheet", str(sheet)]) == 0
    pick = ("name", "decision", "place_id", "category", "district_zh", "kind")
    assert sorted(tuple(r[k] for k in pick) for r in read_sheet(sheet)) == sorted(
        tuple(r[k] for k in pick) for r in dry_run["suggested"]
    )


def test_broken_sheet_lists_every_problem_and_writes_nothing(dry_run: dict[str, Any]) -> None:
    assert dry_run["broken_rc"] == 2
    err = dry_run["broken_err"]
    assert "(2 problems)" in err, err
    assert "decision 'maybe' must be one of alias, place, exclude, skip" in err
    assert "临港深海科技创新园): a new place needs name_en" in err
    assert dry_run["unchanged_after_broken"]


def test_apply_rebuilds_and_keeps_repo_data(dry_run: dict[str, Any]) -> None:
    assert dry_run["apply_rc"] == 0
    assert dry_run["repo_untouched"]
    assert (dry_run["data_dir"] / "build" / "places.geojson").exists()
    unmatched = (dry_run["data_dir"] / "build" / "unmatched.csv").read_text(encoding="utf-8")
    assert unmatched.strip() == "name,count,report,line,quote"  # every name decided


@pytest.fixture(scope="module")
def rendered(dry_run: dict[str, Any]) -> dict[str, Any]:
    from mapapp import pages
    from mapapp.app import load_map_data

    data = load_map_data(dry_run["data_dir"] / "build")
    html = pages.render_map_pages(data)
    return {"data": data, "html": html, "payload": {k: page_payload(v) for k, v in html.items()}}


def _feature(build: Path, place_id: str) -> dict[str, Any]:
    gj = json.loads((build / "places.geojson").read_text(encoding="utf-8"))
    return next(f["properties"] for f in gj["features"] if f["properties"]["id"] == place_id)


def test_map_offers_the_new_year(rendered: dict[str, Any]) -> None:
    assert YEAR in rendered["data"].report_years
    for lang, payload in rendered["payload"].items():
        assert YEAR in payload["years"], lang
        assert f'<option value="{YEAR}">{YEAR}</option>' in rendered["html"][lang]


def test_new_and_renamed_places_are_cited_at_their_lines(dry_run: dict[str, Any]) -> None:
    build = dry_run["data_dir"] / "build"
    report = dry_run["data_dir"] / "reports" / f"{YEAR}_st_progress_report.md"
    lines = report.read_text(encoding="utf-8").splitlines()
    for place_id, name in (
        ("shanghai-embodied-ai-institute", "上海具身智能创新研究院"),
        ("lingang-deep-sea-technology-innovation-park", "临港深海科技创新园"),
        ("shanghai-quantum-science-center", "上海量子科学研究院"),
    ):
        props = _feature(build, place_id)
        cited = [s for s in props["sources"] if s["year"] == YEAR]
        assert cited, place_id
        assert name in lines[cited[0]["line"] - 1], (place_id, cited[0])
    assert _feature(build, "shanghai-embodied-ai-institute")["district_zh"] == "浦东新区"


def test_timeline_shows_the_status_changes(rendered: dict[str, Any]) -> None:
    places = {p["id"]: p for p in rendered["payload"]["en"]["places"]}
    # 全面建成并投入使用: completed and opened in the new report's period (launched);
    # 建成运行 in the table: built and running (operating). Both advance from 2025.
    expected = {"shanghai-hard-x-ray-fel": "launched", "gas-turbine-test-facility": "operating"}
    for place_id, status in expected.items():
        timeline = places[place_id]["tl"]
        assert timeline["2025"] == "under_construction", place_id
        assert timeline[str(YEAR)] == status, place_id


def test_nothing_names_a_fixed_set_of_years(
    rendered: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Caption, page footer and PNG footer name exactly the manifest's years."""
    from matplotlib.figure import Figure

    from layers.static_map import static_png

    years = {str(y) for y in rendered["data"].report_years}
    for lang, html in rendered["html"].items():
        caption = rendered["payload"][lang]["t"]["source"]
        assert set(re.findall(r"\b(?:19|20)\d\d\b", caption)) == years, caption
        footer = re.search(r'<p class="im-foot">(.*?)</p>', html, re.S)
        box = re.search(r'<div id="im-caption".*?</footer>', html, re.S)
        assert footer and box
        for part in (footer.group(1), box.group(0)):
            assert set(re.findall(r"\b(?:19|20)\d\d\b", part)) == years
    drawn: list[str] = []
    real_text = Figure.text

    def record(self: Figure, x: float, y: float, s: str, *args: Any, **kwargs: Any) -> Any:
        drawn.append(s)
        return real_text(self, x, y, s, *args, **kwargs)

    monkeypatch.setattr(Figure, "text", record)
    data = rendered["data"]
    png = static_png(
        data.places.head(20), data.districts, None, lang="en", width=400, height=300,
        reports=data.reports,
    )  # fmt: skip
    assert png.startswith(b"\x89PNG")
    footer = [s for s in drawn if s.startswith("Source")]
    assert len(footer) == 1 and set(re.findall(r"\b(?:19|20)\d\d\b", footer[0])) == years


def test_a_corpus_of_other_years_names_only_those(tmp_path: Path) -> None:
    """The test corpus has one report of 2030: no 2021–2025 anywhere the map names reports."""
    from geo.pipeline import Inputs, build
    from mapapp import pages
    from mapapp.app import load_map_data

    fixtures = Path(__file__).parent / "data"
    inputs = Inputs(
        fixtures / "reports",
        fixtures / "gazetteer",
        settings.BOUNDARIES_FILE,
        fixtures / "hubs" / "hubs.geojson",
    )
    build(tmp_path / "build", inputs)
    data = load_map_data(tmp_path / "build")
    for lang, html in pages.render_map_pages(data).items():
        payload = page_payload(html)
        assert payload["years"] == [2030]
        assert "2030" in payload["t"]["source"], lang
        footer = re.search(r'<p class="im-foot">(.*?)</p>', html, re.S)
        box = re.search(r'<div id="im-caption".*?</div>', html, re.S)
        options = re.findall(r'<option value="(\d{4})">', html)
        assert footer and box and options == ["2030"]
        for part in (payload["t"]["source"], footer.group(1), box.group(0)):
            assert not re.search(r"\b202[1-5]\b", part), part
