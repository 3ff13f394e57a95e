"""The build: reports + gazetteer → validated GeoDataFrames → data/build/, written atomically."""

from __future__ import annotations

import csv
import json
import shutil
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import geopandas as gpd

from geo import settings
from geo.boundaries import district_points, load_districts
from geo.errors import GazetteerError, problems_message
from geo.excluded import Exclusion, read_excluded
from geo.extract import Candidate, Mention, candidates_from_corpus, mentions_from_report
from geo.gazetteer import read_gazetteer
from geo.geocode import places_from_mentions
from geo.hubs import load_hubs
from geo.io import (
    mentions_frame,
    places_to_csv_frame,
    profiles_frame,
    write_geojson,
    write_geopackage,
)
from geo.profiles import DistrictProfile, load_district_cues, profiles_from_report
from geo.reports import Report, load_corpus
from geo.status_groups import read_status_groups
from geo.validate import place_problems

Progress = Callable[[str], None]
GPKG_NAME = "innovation_map.gpkg"


@dataclass(frozen=True)
class Inputs:
    """Where the build reads from (defaults: the shipped data/)."""

    reports_dir: Path = settings.REPORTS_DIR
    gazetteer_dir: Path = settings.GAZETTEER_DIR
    boundaries: Path = settings.BOUNDARIES_FILE
    hubs: Path = settings.HUBS_FILE


@dataclass
class BuildData:
    """Everything a build produces, in memory."""

    reports: list[Report]
    places: gpd.GeoDataFrame
    mentions: list[Mention]
    profiles: list[DistrictProfile]
    districts: gpd.GeoDataFrame
    hubs: gpd.GeoDataFrame
    candidates: list[Candidate]
    metadata: dict[str, Any] = field(default_factory=dict)
    # Excluded names the scan found (and why), and listed ones it no longer finds.
    exclusions: list[Exclusion] = field(default_factory=list)
    stale_exclusions: list[str] = field(default_factory=list)


def _quiet(_: str) -> None:
    return None


def build_metadata(reports: list[Report], boundaries: Path) -> dict[str, Any]:
    """Source, licence, datum and date carried by every output."""
    try:
        boundary_meta = json.loads(boundaries.read_text(encoding="utf-8")).get("metadata", {})
    except (OSError, json.JSONDecodeError):
        boundary_meta = {}
    return {
        "title": "上海科技创新地图 / Shanghai innovation map",
        "built": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "datum": "WGS-84 (EPSG:4326)",
        "licence": "Data: places and quotes from public government publications, quoted for "
        "reference; coordinates curated by the project (see precision and coord_source).",
        "boundaries": boundary_meta.get("attribution", ""),
        "sources": [
            {
                "report": r.id,
                "title_zh": r.title_zh,
                "title_en": r.title_en,
                "year": r.year,
                "kind": r.kind,
                "publisher": r.publisher,
                "sha256": r.sha256,
                "licence": r.licence,
            }
            for r in reports
        ],
    }


def run_pipeline(inputs: Inputs = Inputs(), progress: Progress = _quiet) -> BuildData:
    """Run every step in memory and validate; raise a GeoError subclass on bad input."""
    progress("reading and checking the report corpus")
    corpus = load_corpus(inputs.reports_dir)
    progress(f"  {len(corpus)} reports, sha256 verified")
    gazetteer_path = inputs.gazetteer_dir / settings.PLACES_FILE
    gazetteer, gazetteer_problems = read_gazetteer(gazetteer_path)
    progress(f"  gazetteer: {len(gazetteer.places)} places")
    cues = load_district_cues(inputs.gazetteer_dir / settings.DISTRICT_CUES_FILE)
    districts = load_districts(inputs.boundaries)
    progress("extracting mentions and district profiles")
    mentions: list[Mention] = []
    profiles: list[DistrictProfile] = []
    boxes = read_status_groups(
        inputs.gazetteer_dir / settings.STATUS_GROUPS_FILE, {rt.report.id for rt in corpus}
    )
    for rt in corpus:
        report_boxes = [
            (b.first_line, b.last_line, b.status) for b in boxes if b.report == rt.report.id
        ]
        found = mentions_from_report(rt, gazetteer, report_boxes)
        prof = profiles_from_report(rt, gazetteer, cues)
        progress(f"  {rt.report.id}: {len(found)} mentions, {len(prof)} district profiles")
        mentions += found
        profiles += prof
    found_names = candidates_from_corpus(corpus, gazetteer)
    excluded = read_excluded(inputs.gazetteer_dir / settings.EXCLUDED_FILE)
    excluded_names = {e.name for e in excluded}
    candidates = [c for c in found_names if c.name not in excluded_names]
    seen = {c.name for c in found_names}
    progress("geocoding and validating places")
    places = places_from_mentions(gazetteer, mentions, district_points(districts))
    # Gazetteer rows and placed points are checked together: one message lists every problem.
    problems = gazetteer_problems + place_problems(places, districts)
    if problems:
        title = f"gazetteer {gazetteer_path} and its places are invalid"
        raise GazetteerError(problems_message(title, list(dict.fromkeys(problems))))
    hubs = load_hubs(inputs.hubs, {p.id for p in gazetteer.places})
    reports = [rt.report for rt in corpus]
    return BuildData(
        reports=reports,
        places=places,
        mentions=mentions,
        profiles=profiles,
        districts=districts,
        hubs=hubs,
        candidates=candidates,
        metadata=build_metadata(reports, inputs.boundaries),
        exclusions=[e for e in excluded if e.name in seen],
        stale_exclusions=[e.name for e in excluded if e.name not in seen],
    )


def write_outputs(data: BuildData, out_dir: Path) -> None:
    """Write every output file of a build into ``out_dir`` (which must exist)."""
    mentions = mentions_frame(data.mentions)
    profiles = profiles_frame(data.profiles)
    write_geopackage(
        out_dir / GPKG_NAME, data.places, mentions, data.districts, profiles, data.hubs
    )
    write_geojson(data.places, out_dir / "places.geojson", data.metadata)
    write_geojson(data.districts, out_dir / "districts.geojson", data.metadata)
    write_geojson(data.hubs, out_dir / "hubs.geojson", data.metadata)
    places_to_csv_frame(data.places).to_csv(out_dir / "places.csv", index=False)
    mentions.to_csv(out_dir / "mentions.csv", index=False)
    (out_dir / "district_profiles.json").write_text(
        json.dumps(profiles.to_dict(orient="records"), ensure_ascii=False, indent=1) + "\n",
        encoding="utf-8",
    )
    with (out_dir / "unmatched.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["name", "count", "report", "line", "quote"])
        for c in data.candidates:
            writer.writerow([c.name, c.count, c.report, c.line, c.quote])
    info = {**data.metadata, "summary": summary(data)}
    (out_dir / "build_info.json").write_text(
        json.dumps(info, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )


def _district_labels(places: gpd.GeoDataFrame) -> list[str]:
    return [
        d if isinstance(d, str) else ("(district unknown)" if inside else "(outside Shanghai)")
        for d, inside in zip(places["district_zh"], places["in_shanghai"], strict=True)
    ]


def summary(data: BuildData) -> dict[str, Any]:
    """Count places by category, district, report and precision, and the unmatched candidates."""
    by_report = Counter(m.report for m in data.mentions)
    places_by_report = {
        r.id: len({m.place_id for m in data.mentions if m.report == r.id}) for r in data.reports
    }
    return {
        "places": len(data.places),
        "mentions": len(data.mentions),
        "district_profiles": len(data.profiles),
        "by_category": dict(Counter(data.places["category"]).most_common()),
        "by_district": dict(Counter(_district_labels(data.places)).most_common()),
        "by_precision": dict(Counter(data.places["precision"].fillna("unplaced")).most_common()),
        "mentions_by_report": dict(by_report),
        "places_by_report": places_by_report,
        "unmatched_candidates": len(data.candidates),
        "excluded_by_kind": dict(Counter(e.kind for e in data.exclusions).most_common()),
        "stale_exclusions": data.stale_exclusions,
    }


def build(
    out_dir: Path = settings.BUILD_DIR, inputs: Inputs = Inputs(), progress: Progress = _quiet
) -> BuildData:
    """Build into a temporary directory, then swap it in: a failed build leaves ``out_dir`` intact."""
    data = run_pipeline(inputs, progress)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_dir.parent / f".build-tmp-{uuid.uuid4().hex[:8]}"
    old = out_dir.parent / f".build-old-{uuid.uuid4().hex[:8]}"
    tmp.mkdir()
    try:
        progress(f"writing outputs to {out_dir}")
        write_outputs(data, tmp)
        if out_dir.exists():
            out_dir.rename(old)
        tmp.rename(out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        if old.exists() and not out_dir.exists():
            old.rename(out_dir)
        raise
    shutil.rmtree(old, ignore_errors=True)
    return data
