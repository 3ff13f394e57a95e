"""The PDF for print: validated like the PNG, cached apart from it, listed in OpenAPI, and read
back with pdfplumber (a PDF reader this project did not write). The Chromium PDF's labels are
tested in tests/browser/test_labels_everywhere.py."""

from __future__ import annotations

import io
from pathlib import Path

import pdfplumber
import pytest
from flask import Flask

from mapapp import create_app
from mapapp.cli import main


def _text(body: bytes) -> tuple[int, float, float, str]:
    with pdfplumber.open(io.BytesIO(body)) as pdf:
        page = pdf.pages[0]
        return len(pdf.pages), float(page.width), float(page.height), page.extract_text() or ""


def test_pdf_without_a_browser_is_matplotlib_with_its_text_kept(fixture_app: Flask) -> None:
    response = fixture_app.test_client().get(
        "/export/map.pdf?lang=en&width=1000&height=700&engine=matplotlib"
    )
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["X-Rendered-By"] == "matplotlib"
    assert 'filename="shanghai-innovation-map.pdf"' in response.headers["Content-Disposition"]
    pages, width, height, text = _text(response.data)
    assert pages == 1 and abs(width / height - 1000 / 700) < 0.01
    assert "Shanghai innovation map" in text and "WGS-84" in text


def test_a_png_and_a_pdf_of_one_view_are_two_renders(fixture_app: Flask) -> None:
    client = fixture_app.test_client()
    query = "lang=en&width=800&height=600&engine=matplotlib"
    pdf = client.get(f"/export/map.pdf?{query}")
    png = client.get(f"/export/map.png?{query}")
    assert pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    assert png.mimetype == "image/png" and png.data.startswith(b"\x89PNG")


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("width=100", "width"),
        ("height=5000", "height"),
        ("scale=2", "scale"),  # a PDF is vector: no pixel ratio
        ("engine=gimp", "engine"),
        ("year=1999", "year"),
        ("zoom=99", "zoom"),
    ],
)
def test_pdf_requests_are_validated(fixture_app: Flask, query: str, named: str) -> None:
    response = fixture_app.test_client().get(f"/export/map.pdf?{query}")
    assert response.status_code == 400
    assert named in response.get_json()["error"]


def test_openapi_lists_the_pdf_and_the_chart_with_their_parameters(fixture_app: Flask) -> None:
    paths = fixture_app.test_client().get("/openapi.json").get_json()["paths"]
    names = {p["name"] for p in paths["/export/map.pdf"]["get"]["parameters"]}
    png = {p["name"] for p in paths["/export/map.png"]["get"]["parameters"]}
    assert names == png - {"scale"}
    assert "application/pdf" in paths["/export/map.pdf"]["get"]["responses"]["200"]["content"]
    chart = paths["/districts/{name}/chart.svg"]["get"]
    assert {p["name"] for p in chart["parameters"]} == {"name", "lang"}


def test_share_dialog_offers_the_pdf(fixture_app: Flask) -> None:
    html = fixture_app.test_client().get("/?lang=en").get_data(as_text=True)
    assert 'id="im-dl-pdf"' in html and "PDF for print" in html


def test_cli_writes_a_pdf(
    fixture_app: Flask, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    build_dir = fixture_app.extensions["innovation_map"].build_dir
    out = tmp_path / "map.pdf"
    args = ["pdf", str(out), "--view", "lang=zh", "--width", "900", "--height", "600"]
    assert main([*args, "--engine", "matplotlib", "--build-dir", str(build_dir)]) == 0
    assert "drawn by matplotlib" in capsys.readouterr().out
    pages, width, height, text = _text(out.read_bytes())
    assert pages == 1 and abs(width / height - 1.5) < 0.01 and "上海科技创新地图" in text


def test_pdf_requests_go_through_the_bounded_renderer_apart_from_the_png(
    fixture_app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[str, str]] = []

    def fake(fmt: str):  # type: ignore[no-untyped-def]
        def draw(*args: object, **kwargs: object) -> tuple[bytes, str]:
            calls.append((fmt, str(kwargs.get("tmp_dir"))))
            return (b"%PDF fake" if fmt == "pdf" else b"\x89PNG fake"), "chromium"

        return draw

    monkeypatch.setattr("mapapp.pages.pdf", fake("pdf"))
    monkeypatch.setattr("mapapp.pages.png", fake("png"))
    app = create_app(
        {"BUILD_DIR": fixture_app.config["BUILD_DIR"], "RUN_DIR": tmp_path / "run", "TESTING": True}
    )
    client = app.test_client()
    query = "lang=en&zoom=10&width=800&height=600"
    assert client.get(f"/export/map.pdf?{query}").data == b"%PDF fake"
    assert client.get("/export/map.pdf?height=600&width=800&zoom=10&lang=en").data == b"%PDF fake"
    assert client.get(f"/export/map.png?{query}").data == b"\x89PNG fake"
    assert [c[0] for c in calls] == ["pdf", "png"]  # the repeat came from the render cache
    tmp = str(app.extensions["innovation_map_renders"].tmp)
    assert all(c[1].startswith(tmp) for c in calls)


@pytest.mark.parametrize("command", ["png", "pdf"])
def test_cli_refuses_a_file_name_of_another_format(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    out = tmp_path / "map.txt"
    assert main([command, str(out)]) == 2
    assert f"must end in .{command}" in capsys.readouterr().err
    assert not out.exists()
