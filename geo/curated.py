"""Changing the curated gazetteer files safely: every change checked by a build, or none written.

Both review steps (``innovation-map review apply`` for a new report's names and
``innovation-map geocode apply`` for reviewed coordinates) edit ``places.csv`` and its siblings
through :class:`CuratedTable`, which writes unchanged rows back byte for byte, and
:func:`commit_checked`, which runs the whole build in memory on the staged files first.
"""

from __future__ import annotations

import csv
import io
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from geo.errors import GazetteerError, GeoError, ReviewError, problems_message
from geo.pipeline import Inputs, run_pipeline
from geo.tables import unreadable


@dataclass
class CuratedTable:
    """A curated CSV file kept as rows of strings, written back in its own line ending."""

    header: list[str]
    rows: list[list[str]]
    newline: str
    #: Whether the file began with a byte-order mark (a spreadsheet's "CSV UTF-8"): kept.
    bom: bool = False

    @classmethod
    def read(cls, path: Path) -> CuratedTable:
        """Read ``path`` (an empty table if it does not exist); GazetteerError if not UTF-8."""
        # newline="": keep "\r\n" as written, so unchanged rows are written back byte for byte.
        raw = ""
        if path.exists():
            try:
                with path.open(encoding="utf-8", newline="") as fh:
                    raw = fh.read()
            except (OSError, UnicodeDecodeError) as exc:
                raise GazetteerError(unreadable(path, "curated file", exc)) from None
        bom = raw.startswith("\ufeff")
        # Blank lines (a spreadsheet's stray "\r\r\n") are no records.
        records = [r for r in csv.reader(io.StringIO(raw.removeprefix("\ufeff"), newline="")) if r]
        newline = "\r\n" if "\r\n" in raw else "\n"
        return cls(records[0] if records else [], records[1:], newline, bom)

    def write(self, path: Path) -> None:
        """Write the table to ``path``, in its own line ending and with its BOM if it had one."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator=self.newline)
        writer.writerow(self.header)
        writer.writerows(self.rows)
        text = ("\ufeff" if self.bom else "") + out.getvalue()
        path.write_text(text, encoding="utf-8", newline="")


def commit_checked(
    inputs: Inputs, tables: Mapping[str, CuratedTable], problems: list[str], title: str
) -> None:
    """Write ``tables`` (file name → table) into the gazetteer folder if all is well.

    The tables are staged in a copy of the folder and the whole build runs on it (aliases,
    categories, coordinates inside their district, every place cited). The build's problems
    join ``problems``; if there are any, a ReviewError titled ``title`` lists them all and
    nothing is written. Otherwise each file is replaced atomically.
    """
    with tempfile.TemporaryDirectory(prefix="review-") as tmp:
        staged = Path(tmp) / "gazetteer"
        shutil.copytree(inputs.gazetteer_dir, staged)
        for name, table in tables.items():
            table.write(staged / name)
        try:
            run_pipeline(replace(inputs, gazetteer_dir=staged))
        except GeoError as exc:
            # The build's message is a title and one "  - " line per problem: keep the lines.
            lines = str(exc).splitlines()
            problems = problems + (
                [ln.strip()[2:] if ln.strip().startswith("- ") else ln for ln in lines[1:]] or lines
            )
        if problems:
            raise ReviewError(problems_message(title, problems))
        for name in tables:
            (inputs.gazetteer_dir / f".{name}.tmp").write_bytes((staged / name).read_bytes())
        for name in tables:
            (inputs.gazetteer_dir / f".{name}.tmp").replace(inputs.gazetteer_dir / name)
