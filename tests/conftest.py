from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from buildcache import Built, built, committed_inputs, remove_all

from geo import settings
from geo.gazetteer import Gazetteer, Place, load_gazetteer
from geo.pipeline import Inputs

DATA = Path(__file__).parent / "data"


def pytest_sessionfinish() -> None:
    remove_all()


@pytest.fixture(scope="session")
def fixture_build() -> Built:
    """The build of the committed fixtures (12 places), made once per session; read-only."""
    return built(committed_inputs())


@pytest.fixture(scope="session")
def shipped_build() -> Built:
    """The build of the shipped data/, made once per session; read-only."""
    return built(Inputs())


@pytest.fixture
def fixture_inputs(tmp_path: Path) -> Inputs:
    """A writable copy of the small committed fixtures (tests may break it on purpose)."""
    return _fixture_inputs_in(tmp_path)


@pytest.fixture(scope="session")
def fixture_gazetteer() -> Gazetteer:
    return load_gazetteer(DATA / "gazetteer" / "places.csv")


def _make_place(pid: str, name: str, *aliases: str) -> Place:
    return Place(
        id=pid,
        name_zh=name,
        name_en=pid,
        aliases=aliases,
        category="platform",
        parent_id=None,
        district_zh=None,
        lon=None,
        lat=None,
        precision=None,
        coord_source="",
        in_shanghai=True,
        notes="",
    )


@pytest.fixture
def make_place() -> Callable[..., Place]:
    """Build a minimal gazetteer place: ``make_place(id, name_zh, *aliases)``."""
    return _make_place


def _fixture_inputs_in(root: Path) -> Inputs:
    for sub in ("reports", "gazetteer", "hubs"):
        shutil.copytree(DATA / sub, root / sub)
    return Inputs(
        reports_dir=root / "reports",
        gazetteer_dir=root / "gazetteer",
        boundaries=settings.BOUNDARIES_FILE,
        hubs=root / "hubs" / "hubs.geojson",
    )


@pytest.fixture(scope="session")
def parity_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The parity fixture's build folder (tests/data/parity), made once per test session."""
    from parity import build_parity

    root = tmp_path_factory.mktemp("parity")
    return build_parity(root / "build", _fixture_inputs_in(root))
