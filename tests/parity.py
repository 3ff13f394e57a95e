"""The parity fixture: a synthetic build from tests/data/parity/places.csv, and its cases.

Statuses are given per report in the CSV (not extracted), so the cases test only what each
surface does with a query. Districts, hubs and profiles come from the small fixture corpus.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import geopandas as gpd
from shapely.geometry import Point

from geo import settings
from geo.extract import Mention
from geo.geocode import PLACE_COLUMNS
from geo.pipeline import Inputs, run_pipeline, write_outputs
from geo.vocab import status_by_year

PARITY = Path(__file__).parent / "data" / "parity"
#: (report id, year, CSV column)
REPORTS = (
    ("2030_mini_report", 2030, "r2030"),
    ("2031_report_ch1", 2031, "r2031a"),
    ("2031_report_summary", 2031, "r2031b"),
)


def cases() -> list[dict[str, Any]]:
    """Return the parity table: ``{"query": "a=b&c=d", "ids": [...]}`` per case."""
    table: list[dict[str, Any]] = json.loads((PARITY / "cases.json").read_text(encoding="utf-8"))
    return table


def _places() -> tuple[gpd.GeoDataFrame, list[Mention]]:
    rows, mentions = [], []
    with (PARITY / "places.csv").open(encoding="utf-8") as fh:
        for line, row in enumerate(csv.DictReader(fh), start=2):
            timeline = []
            for report, year, column in REPORTS:
                status = row[column]
                if status == "-":
                    continue
                timeline.append({"report": report, "year": year, "status": status or None})
                mentions.append(
                    Mention(
                        row["id"],
                        report,
                        year,
                        line,
                        row["name_zh"],
                        status or None,
                        row["name_zh"],
                        0,
                    )
                )
            by_year = status_by_year(timeline)
            placed = bool(row["lon"])
            rows.append(
                {
                    "id": row["id"],
                    "name_zh": row["name_zh"],
                    "name_en": row["name_en"],
                    "aliases": [a for a in row["aliases"].split("|") if a],
                    "category": row["category"],
                    "parent_id": None,
                    "district_zh": row["district_zh"] or None,
                    "in_shanghai": row["in_shanghai"] == "true",
                    "precision": row["precision"] or None,
                    "coord_source": "parity fixture" if placed else "unplaced: parity fixture",
                    "status": by_year[max(by_year)] if by_year else None,
                    "years": sorted({t["year"] for t in timeline}),
                    "timeline": timeline,
                    "sources": [
                        {
                            "report": t["report"],
                            "year": t["year"],
                            "line": line,
                            "quote": row["name_zh"],
                        }
                        for t in timeline
                    ],
                    "notes": "",
                    "geometry": Point(float(row["lon"]), float(row["lat"])) if placed else None,
                }
            )
    frame = gpd.GeoDataFrame(rows, columns=[*PLACE_COLUMNS, "geometry"], crs=settings.WGS84)
    return frame, mentions


def build_parity(out_dir: Path, fixture_inputs: Inputs) -> Path:
    """Write the parity build into ``out_dir`` and return it."""
    data = run_pipeline(fixture_inputs)
    data.places, data.mentions = _places()
    data.metadata["sources"] = [
        {"report": report, "year": year, "title_zh": report, "title_en": report}
        for report, year, _ in REPORTS
    ]
    out_dir.mkdir(parents=True, exist_ok=True)
    write_outputs(data, out_dir)
    return out_dir
