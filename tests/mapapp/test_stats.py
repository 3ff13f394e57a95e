"""The README's data numbers are generated from the data and kept in step by this test."""

from __future__ import annotations

from pathlib import Path

import pytest
from buildcache import Built

from mapapp.stats import BEGIN, END, data_stats_markdown, readme_block, replace_block

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_readme_numbers_match_the_shipped_data(shipped_build: Built) -> None:
    generated = data_stats_markdown(shipped_build.data)
    assert readme_block(README.read_text(encoding="utf-8")) == generated, (
        "README.md's data numbers are stale: run `innovation-map stats --readme README.md`"
    )


def test_the_block_is_replaced_between_its_markers_only() -> None:
    text = f"intro\n{BEGIN}\nold\n{END}\noutro\n"
    assert replace_block(text, "new\n") == f"intro\n{BEGIN}\nnew\n{END}\noutro\n"
    assert readme_block(replace_block(text, "new\n")) == "new\n"


def test_a_readme_without_markers_is_refused() -> None:
    with pytest.raises(ValueError, match="markers are missing"):
        replace_block("no markers here", "x")
