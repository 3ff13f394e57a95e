"""One build per set of inputs per test session, found by the inputs' content.

Many modules serve or read a build of the same inputs (the committed fixtures, or the shipped
data). Building costs about a second each time, so fixtures ask :func:`built` instead: the
first call builds, later calls with the same content (the same files, or a copy of them) get
the same folder and data. The result is shared: a test that changes a build makes its own.
Tests of the build itself call :func:`geo.pipeline.build` directly.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from geo import settings
from geo.pipeline import BuildData, Inputs, build

DATA = Path(__file__).parent / "data"


def committed_inputs() -> Inputs:
    """The small committed fixtures (tests/data), read in place."""
    return Inputs(
        DATA / "reports",
        DATA / "gazetteer",
        settings.BOUNDARIES_FILE,
        DATA / "hubs" / "hubs.geojson",
    )


@dataclass(frozen=True)
class Built:
    """A shared build: its folder (``<root>/build``) and what the pipeline produced."""

    dir: Path
    data: BuildData


_BUILDS: dict[str, Built] = {}
_ROOT: list[Path] = []


def fingerprint(inputs: Inputs) -> str:
    """Return a hash of every input file's name (relative to its input) and bytes."""
    digest = hashlib.sha256()
    for label, path in (
        ("reports", inputs.reports_dir),
        ("gazetteer", inputs.gazetteer_dir),
        ("boundaries", inputs.boundaries),
        ("hubs", inputs.hubs),
    ):
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            name = file.relative_to(path) if path.is_dir() else Path(file.name)
            digest.update(f"{label}/{name}\0".encode())
            digest.update(file.read_bytes() if file.exists() else b"<missing>")
            digest.update(b"\0")
    return digest.hexdigest()


def _root() -> Path:
    if not _ROOT:
        _ROOT.append(Path(tempfile.mkdtemp(prefix="innovation-map-test-builds-")))
    return _ROOT[0]


def scratch_dir(prefix: str) -> Path:
    """Return a new empty folder removed with the builds (for code that runs before fixtures)."""
    return Path(tempfile.mkdtemp(prefix=prefix, dir=_root()))


def built(inputs: Inputs) -> Built:
    """Return the session's build of ``inputs`` (made now if this content was not built yet)."""
    key = fingerprint(inputs)
    if key not in _BUILDS:
        out = _root() / key[:16] / "build"
        _BUILDS[key] = Built(out, build(out, inputs))
    return _BUILDS[key]


def remove_all() -> None:
    """Delete the session's builds (at the end of the session)."""
    for root in _ROOT:
        shutil.rmtree(root, ignore_errors=True)
    _ROOT.clear()
    _BUILDS.clear()
