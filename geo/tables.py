"""Read a curated CSV file with required columns, turning every read failure into one message.

Curated files and review sheets are edited in spreadsheets: a byte-order mark (Excel's "CSV
UTF-8") is accepted, and a file saved in another encoding (Excel's default "CSV", GBK) gets a
message that says how to save it.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

from geo.errors import GazetteerError, GeoError

#: What to do with a CSV that is not UTF-8 (a spreadsheet's default save in China is GBK).
NOT_UTF8 = (
    'is not UTF-8: save it as CSV UTF-8 (Excel: Save As → "CSV UTF-8 (Comma delimited)"; '
    "WPS: encoding UTF-8) / 不是 UTF-8 编码：请另存为 “CSV UTF-8” 格式"
)


def unreadable(path: Path, what: str, exc: Exception) -> str:
    """Return the message for a CSV that cannot be read: how to fix the encoding, else why."""
    if isinstance(exc, UnicodeDecodeError):
        return f"{what} {path} {NOT_UTF8}"
    return f"{what} {path} is unreadable: {exc}"


def read_rows(
    path: Path, columns: Sequence[str], what: str, *, error: type[GeoError] = GazetteerError
) -> list[dict[str, str]]:
    """Return the rows of ``path``; raise ``error`` if missing, unreadable or short of a column.

    ``what`` names the file in messages ("gazetteer", "review sheet" …).
    """
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:  # a BOM is Excel's UTF-8 mark
            reader = csv.DictReader(fh)
            missing = [c for c in columns if c not in (reader.fieldnames or ())]
            if missing:
                msg = (
                    f"{what} {path} lacks columns {', '.join(missing)}; "
                    f"expected {', '.join(columns)}"
                )
                raise error(msg)
            return [{k: v or "" for k, v in row.items() if k is not None} for row in reader]
    except FileNotFoundError:
        raise error(f"{what} not found: {path}") from None
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise error(unreadable(path, what, exc)) from None
