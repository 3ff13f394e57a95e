from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from geo.errors import ReportError
from geo.reports import load_corpus, load_manifest, normalise, normalise_lines, verify_reports

DATA = Path(__file__).parents[1] / "data"


def test_manifest_lists_the_real_corpus_with_hashes_that_match() -> None:
    reports = load_manifest()
    assert [r.year for r in reports] == [2021, 2022, 2023, 2023, 2025]
    assert all(r.id == r.path.stem for r in reports)
    verify_reports(reports)  # raises on any mismatch


def test_hash_mismatch_fails_with_the_file_named(tmp_path: Path) -> None:
    shutil.copytree(DATA / "reports", tmp_path / "reports")
    report = tmp_path / "reports" / "2030_mini_report.txt"
    report.write_text(report.read_text(encoding="utf-8") + "篡改\n", encoding="utf-8")
    with pytest.raises(ReportError, match=r"2030_mini_report: sha256 mismatch"):
        load_corpus(tmp_path / "reports")


def test_missing_and_non_utf8_files_are_all_reported(tmp_path: Path) -> None:
    shutil.copytree(DATA / "reports", tmp_path / "reports")
    manifest = json.loads((tmp_path / "reports" / "manifest.json").read_text(encoding="utf-8"))
    extra = dict(manifest["reports"][0], id="2031_gbk", file="2031_gbk.txt")
    gbk = "上海光源".encode("gbk")
    (tmp_path / "reports" / "2031_gbk.txt").write_bytes(gbk)
    import hashlib

    extra["sha256"] = hashlib.sha256(gbk).hexdigest()
    missing = dict(manifest["reports"][0], id="2032_gone", file="2032_gone.txt")
    manifest["reports"] += [extra, missing]
    (tmp_path / "reports" / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(ReportError) as err:
        load_corpus(tmp_path / "reports")
    assert "2031_gbk: 2031_gbk.txt is not UTF-8" in str(err.value)
    assert "2032_gone: cannot read" in str(err.value)


def test_bad_manifest_entry_is_reported(tmp_path: Path) -> None:
    (tmp_path / "manifest.json").write_text(
        json.dumps({"reports": [{"id": "x", "file": "y.txt"}]}), encoding="utf-8"
    )
    with pytest.raises(ReportError, match="missing title_zh"):
        load_manifest(tmp_path)


def test_a_sixth_report_needs_only_a_file_and_a_manifest_entry(tmp_path: Path) -> None:
    shutil.copytree(DATA / "reports", tmp_path / "reports")
    import hashlib

    new = tmp_path / "reports" / "2026_st_progress_report.txt"
    new.write_text("张江实验室加快建设。\n", encoding="utf-8")
    manifest = json.loads((tmp_path / "reports" / "manifest.json").read_text(encoding="utf-8"))
    manifest["reports"].append(
        {
            "id": new.stem,
            "file": new.name,
            "title_zh": "2026上海科技进步报告",
            "title_en": "Shanghai S&T Progress Report 2026",
            "year": 2026,
            "publisher": "上海市科学技术委员会",
            "kind": "progress_report",
            "sha256": hashlib.sha256(new.read_bytes()).hexdigest(),
        }
    )
    (tmp_path / "reports" / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    corpus = load_corpus(tmp_path / "reports")
    assert [rt.report.year for rt in corpus] == [2030, 2026]


# --- one test per text pitfall (shared/reports/README.md) ------------------------------


def test_line_wrap_inside_a_name_is_joined_and_maps_to_the_first_line() -> None:
    text, line_of, _ = normalise_lines(["新建和集聚了李政道研究", "所、张江实验室"])
    pos = text.index("李政道研究所")
    assert line_of[pos] == 1
    assert line_of[text.index("张江实验室")] == 2


def test_blank_line_after_every_line_does_not_break_names() -> None:
    text, line_of, _ = normalise_lines(["新建和集聚了李政道研究", "", "所、张江实验室", ""])
    assert "李政道研究所" in text
    assert line_of[text.index("张江实验室")] == 3


def test_letter_spacing_and_full_width_letters_are_folded() -> None:
    assert normalise("加快推进硬 X 射线、上海光源二期") == "加快推进硬X射线、上海光源二期"
    assert normalise("硬Ｘ射线自由电子激光装置") == "硬X射线自由电子激光装置"
    # Spaces between two ASCII words survive.
    assert normalise("Shanghai Synchrotron") == "Shanghai Synchrotron"


def test_heading_split_across_lines_is_joined() -> None:
    assert normalise("打造体系化\n战略科技力量") == "打造体系化战略科技力量"


def test_quotes_inside_names_are_kept() -> None:
    assert normalise("建设杨“数”浦新质秀带创新区") == "建设杨“数”浦新质秀带创新区"


def test_quote_is_verbatim_from_the_original_line_and_short() -> None:
    corpus = load_corpus()
    for rt in corpus:
        for name in ("张江实验室", "上海光源"):
            pos = rt.text.find(name)
            if pos < 0:
                continue
            quote = rt.quote_at(pos, len(name))
            assert len(quote) <= 80
            assert quote in rt.lines[rt.line_at(pos) - 1]


def test_real_corpus_pitfalls_survive_normalisation() -> None:
    by_id = {rt.report.id: rt for rt in load_corpus()}
    plan = by_id["2021_sti_centre_14th_five_year_plan"]
    assert "硬X射线" in plan.text  # letter-spaced as 硬 X 射线 in the file
    assert plan.lines[plan.line_at(plan.text.index("硬X射线")) - 1].count("硬 X 射线") == 1
    ch1 = by_id["2023_st_progress_report_ch1"]
    assert "打造体系化战略科技力量" in ch1.text
