"""CSV safe for spreadsheets (issue #16, item 7): every formula prefix is defused.

OWASP's CSV-injection page lists = + - @ tab and carriage return; ASVS 1.2.10 adds the null
character. The defusing lives in geo/formats.py (the export formats work); these tests check
it through the download the web app serves.
"""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

from geo.formats import defuse_formulas

OWASP = ["=", "+", "-", "@", "\t", "\r"]


@pytest.mark.parametrize("prefix", OWASP)
def test_every_owasp_formula_prefix_is_defused(prefix: str) -> None:
    cell = f'{prefix}HYPERLINK("http://evil.example","x")'
    out = defuse_formulas(pd.DataFrame({"name_en": [cell], "n": [1]}))
    assert out["name_en"][0] == "'" + cell
    # written and read back as CSV, the cell still starts with the quote
    text = out.to_csv(index=False)
    assert next(csv.DictReader(io.StringIO(text)))["name_en"].startswith("'")


def test_plain_text_and_numbers_are_left_alone() -> None:
    frame = pd.DataFrame({"name_en": ["Zhangjiang", "张江", "1-2"], "lon": [-1.5, 2.0, 3.0]})
    out = defuse_formulas(frame)
    assert list(out["name_en"]) == ["Zhangjiang", "张江", "1-2"]
    assert list(out["lon"]) == [-1.5, 2.0, 3.0]  # numbers are numbers, not text


@pytest.mark.parametrize("prefix", ["\0", "＝", "＋", "－", "＠"])
def test_asvs_and_full_width_prefixes(prefix: str) -> None:
    out = defuse_formulas(pd.DataFrame({"name_en": [f"{prefix}1+1"]}))
    assert out["name_en"][0].startswith("'")
