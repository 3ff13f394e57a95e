from __future__ import annotations

from pathlib import Path

import pytest

from geo.errors import ReportError
from geo.ingest import text_from_document


def test_txt_utf8_is_tidied_and_gb18030_is_read_with_a_note(tmp_path: Path) -> None:
    path = tmp_path / "r.txt"
    path.write_text("\ufeff上海光源\u200b二期  \n\n\n\n张江实验室\n\n", encoding="utf-8")
    doc = text_from_document(path)
    assert doc.lines == ["上海光源二期", "", "张江实验室"]
    assert doc.suffix == ".txt" and not doc.notes
    path.write_bytes("临港实验室揭牌".encode("gb18030"))
    doc = text_from_document(path)
    assert doc.lines == ["临港实验室揭牌"]
    assert doc.notes == ["decoded as GB18030 (the file is not UTF-8)"]


def test_markdown_is_kept_and_its_pictures_are_listed(tmp_path: Path) -> None:
    path = tmp_path / "r.md"
    path.write_text("# 报告\n\n### 在建中\n![图1 张江地图](a.png)\n上海光源\n", encoding="utf-8")
    doc = text_from_document(path)
    assert doc.lines[2] == "### 在建中" and doc.headings == 2 and doc.suffix == ".md"
    assert doc.unread == ["line 4: picture '图1 张江地图' (any text in it)"]


def test_html_blocks_headings_tables_and_pictures(tmp_path: Path) -> None:
    path = tmp_path / "r.html"
    path.write_text(
        "<html><head><style>p{}</style><script>var x='张江实验室';</script></head><body>"
        "<h2>1 打造体系化\n  战略科技力量</h2><p>上海光源\n   二期基本建成。<br>临港实验室揭牌。</p>"
        "<table><tr><th>设施</th><th>进展</th></tr><tr><td>硬X射线装置</td><td>在建</td></tr></table>"
        "<img src='m.png' alt='张江示意图'><h3> </h3></body></html>",
        encoding="utf-8",
    )
    doc = text_from_document(path)
    assert doc.lines == [
        "## 1 打造体系化 战略科技力量",
        "",
        "上海光源 二期基本建成。",
        "临港实验室揭牌。",
        "",
        "设施 | 进展",
        "硬X射线装置 | 在建",
    ]
    assert (doc.headings, doc.tables) == (1, 1)
    assert "picture '张江示意图' (any text in it)" in doc.unread
    assert any("empty h3" in u for u in doc.unread)


def test_docx_headings_tables_merged_cells_pictures(tmp_path: Path) -> None:
    docx = pytest.importorskip("docx")
    from PIL import Image

    picture = tmp_path / "p.png"
    Image.new("RGB", (8, 8), "gray").save(picture)
    document = docx.Document()
    document.add_heading("2030上海科技进步报告", 0)
    document.add_heading("在建中", 2)
    document.add_paragraph("硬X射线自由电子激光装置加快建设。")
    table = document.add_table(rows=2, cols=3)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "设施"
    table.cell(0, 2).text = "进展"
    for j, text in enumerate(("上海光源", "二期", "建成")):
        table.cell(1, j).text = text
    document.add_picture(str(picture))
    document.add_heading("", 1)
    path = tmp_path / "r.docx"
    document.save(str(path))
    doc = text_from_document(path)
    assert doc.lines == [
        "# 2030上海科技进步报告",
        "",
        "## 在建中",
        "",
        "硬X射线自由电子激光装置加快建设。",
        "设施 | 进展",
        "上海光源 | 二期 | 建成",
    ]
    assert (doc.headings, doc.tables, doc.suffix) == (2, 1, ".md")
    assert any("picture" in u for u in doc.unread)
    assert any("empty heading" in u for u in doc.unread)


def _pdf(path: Path, pages: list[list[tuple[int, str]]]) -> None:
    pytest.importorskip("reportlab")
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path))
    for page in pages:
        y = 800
        for size, text in page:
            c.setFont("STSong-Light", size)
            c.drawString(72, y, text)
            y -= size * 1.6
        c.showPage()
    c.save()


def test_pdf_headings_by_size_running_heads_and_page_numbers_dropped(tmp_path: Path) -> None:
    head = (9, "上海科技进步报告2030")
    pages = [
        [head, (18, "1 打造体系化战略科技力量"), (11, "新建和集聚了李政道研究"), (11, "1")],
        [head, (11, "所、张江实验室等一批机构。"), (14, "在建中"), (11, "2")],
        [head, (11, "硬X射线自由电子激光装置加快建设。"), (11, "第 3 页")],
    ]
    path = tmp_path / "r.pdf"
    _pdf(path, pages)
    doc = text_from_document(path)
    assert doc.lines == [
        "# 1 打造体系化战略科技力量",
        "",
        "新建和集聚了李政道研究",
        "所、张江实验室等一批机构。",
        "",
        "## 在建中",
        "",
        "硬X射线自由电子激光装置加快建设。",
    ]
    assert doc.pages == 3 and doc.headings == 2
    assert "3 running head line(s) dropped" in doc.notes
    assert "3 page number line(s) dropped" in doc.notes


def test_pdf_blank_page_is_a_note(tmp_path: Path) -> None:
    path = tmp_path / "r.pdf"
    _pdf(path, [[(11, "临港实验室揭牌成立。")], []])
    doc = text_from_document(path)
    assert doc.lines == ["临港实验室揭牌成立。"] and doc.notes == ["page 2: blank"]


def test_unknown_missing_and_empty_documents_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ReportError, match=r"suffix must be one of \.pdf, \.docx"):
        text_from_document(tmp_path / "r.doc")
    with pytest.raises(ReportError, match="not found"):
        text_from_document(tmp_path / "r.pdf")
    (tmp_path / "r.txt").write_text("\n \n", encoding="utf-8")
    with pytest.raises(ReportError, match="no text could be read"):
        text_from_document(tmp_path / "r.txt")
    (tmp_path / "bad.pdf").write_bytes(b"not a pdf")
    with pytest.raises(ReportError, match="not a readable PDF"):
        text_from_document(tmp_path / "bad.pdf")
    (tmp_path / "bad.docx").write_bytes(b"not a zip")
    with pytest.raises(ReportError, match=r"not a readable \.docx"):
        text_from_document(tmp_path / "bad.docx")
