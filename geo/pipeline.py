"""The build: reports + gazetteer → validated GeoDataFrames → builds/<id>/, switched in atomically."""

from __future__ import annotations

import csv
import errno
import fcntl
import json
import os
import shutil
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import geopandas as gpd
import pyogrio.errors

from geo import settings
from geo.boundaries import district_points, load_districts
from geo.errors import (
    BuildLockedError,
    BuildWriteError,
    GazetteerError,
    GeoError,
    problems_message,
)
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
from geo.vocab import FEATURE_ID_COLUMNS

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
    write_geojson(
        data.districts,
        out_dir / "districts.geojson",
        data.metadata,
        id_column=FEATURE_ID_COLUMNS["districts"],
    )
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


#: Builds kept in ``builds/`` (the current one and those before it), for a quick way back.
KEEP_BUILDS = 3


def build(
    out_dir: Path = settings.BUILD_DIR,
    inputs: Inputs = Inputs(),
    progress: Progress = _quiet,
    *,
    keep: int = KEEP_BUILDS,
) -> BuildData:
    """Build into a new folder, then make it current by one atomic switch of ``out_dir``.

    ``out_dir`` (data/build) becomes a symlink to ``builds/<id>`` beside it; the switch is a
    rename of a new symlink over it, so readers always find a complete build, the old or the
    new one (a server notices the change and loads the new build: mapapp.serving). One build
    at a time: a second one fails at once with a BuildLockedError naming the first. A failed
    build leaves ``out_dir`` as it was; a build that cannot be written (disk full, read-only
    folder) raises a BuildWriteError saying where and why.
    """
    parent = out_dir.parent
    builds = parent / f"{out_dir.name}s"
    try:
        builds.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _write_error(builds, exc) from None
    with _build_lock(parent / f".{out_dir.name}.lock", out_dir):
        try:
            data = run_pipeline(inputs, progress)
        except pyogrio.errors.DataSourceError as exc:  # an input GDAL cannot read
            msg = f"cannot read an input file (reports, gazetteer, boundaries or hubs): {exc}"
            raise GeoError(msg) from None
        _remove_leftovers(parent, builds)
        build_id = f"{datetime.now(UTC):%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:6]}"  # sorts by time
        tmp, target = builds / f".tmp-{build_id}", builds / build_id
        try:
            tmp.mkdir()
            progress(f"writing outputs to {target}")
            write_outputs(data, tmp)
            tmp.rename(target)
            _switch(out_dir, target, builds)
        except GeoError:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        except Exception as exc:  # GDAL reports a full disk as its own error, not OSError
            shutil.rmtree(tmp, ignore_errors=True)
            if target.exists() and out_dir.resolve() != target.resolve():
                shutil.rmtree(target, ignore_errors=True)
            raise _write_error(target, exc) from None
        progress(f"{out_dir} -> {target}")
        _prune(builds, keep, target)
    return data


def _write_error(path: Path, exc: BaseException) -> BuildWriteError:
    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        reason += " (free some space)"
    msg = f"cannot write the build to {path}: {reason}"
    return BuildWriteError(msg)


@contextmanager
def _build_lock(path: Path, out_dir: Path) -> Iterator[None]:
    """Hold an exclusive lock for one build; another one fails at once, naming the holder."""
    try:
        handle = path.open("a+", encoding="utf-8")
    except OSError as exc:
        raise _write_error(path, exc) from None
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            msg = (
                f"another build into {out_dir} is running ({holder}); "
                "wait for it to finish, then build again if you need to"
            )
            raise BuildLockedError(msg) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}, started {datetime.now(UTC):%Y-%m-%d %H:%M:%SZ}\n")
        handle.flush()
        yield  # the kernel releases the lock when the file closes, even if we are killed


def _remove_leftovers(parent: Path, builds: Path) -> None:
    """Remove half-written builds of killed runs (we hold the lock: nobody is writing)."""
    for leftover in [*parent.glob(".build-tmp-*"), *parent.glob(".build-old-*")]:
        shutil.rmtree(leftover, ignore_errors=True)
    for leftover in builds.glob(".tmp-*"):
        shutil.rmtree(leftover, ignore_errors=True)


def _switch(out_dir: Path, target: Path, builds: Path) -> None:
    """Point ``out_dir`` at ``target`` with one rename (atomic for every reader)."""
    link = out_dir.parent / f".{out_dir.name}.link-{target.name}"
    link.unlink(missing_ok=True)
    link.symlink_to(Path(builds.name) / target.name, target_is_directory=True)
    if out_dir.is_dir() and not out_dir.is_symlink():
        # A build from before builds/ existed: keep it as one of the builds (once; the only
        # moment without out_dir).
        out_dir.rename(builds / f"00000000T000000000000-{uuid.uuid4().hex[:6]}-earlier")
    os.replace(link, out_dir)


def _prune(builds: Path, keep: int, current: Path) -> None:
    """Remove all but the newest ``keep`` builds (never the current one)."""
    done = sorted(p for p in builds.iterdir() if p.is_dir() and not p.name.startswith("."))
    for old in done[: max(0, len(done) - keep)]:
        if old.resolve() != current.resolve():
            shutil.rmtree(old, ignore_errors=True)
