"""Read a curated CSV file with required columns, turning every read failure into one message."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

from geo.errors import GazetteerError


def read_rows(path: Path, columns: Sequence[str], what: str) -> list[dict[str, str]]:
    """Return the rows of ``path``; raise GazetteerError if missing, unreadable or short of a column.

    ``what`` names the file in messages ("gazetteer", "excluded names" …).
    """
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            missing = [c for c in columns if c not in (reader.fieldnames or ())]
            if missing:
                msg = f"{what} {path} lacks columns {missing!r}; expected {list(columns)!r}"
                raise GazetteerError(msg)
            return [{k: v or "" for k, v in row.items() if k is not None} for row in reader]
    except FileNotFoundError:
        raise GazetteerError(f"{what} not found: {path}") from None
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise GazetteerError(f"{what} {path} is unreadable: {exc}") from None
