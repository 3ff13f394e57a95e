"""``publish`` against a real PostgreSQL with PostGIS, started in a temporary folder.

The server comes from Debian's packages (``apt-get install postgresql postgis``, done by
``.ci/run``). Outside CI the tests skip when the binaries are missing; in CI (``CI=true``)
they fail instead, so a missing install step cannot pass unnoticed.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from buildcache import Built

from geo.errors import GeoError
from geo.query import PlaceQuery
from geo.vocab import COLLECTIONS
from mapapp.app import load_map_data
from mapapp.cli import main
from mapapp.exports import export_frame

psycopg = pytest.importorskip("psycopg", reason='pip install -e ".[dev]" (psycopg 3)')

DATA = Path(__file__).parents[1] / "data"


def _postgres_bin() -> Path | None:
    """Return the newest PostgreSQL bin folder that has PostGIS installed beside it."""
    for initdb in sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True):
        version = Path(initdb).parents[1].name
        if Path(f"/usr/share/postgresql/{version}/extension/postgis.control").exists():
            return Path(initdb).parent
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def postgres_dsn() -> Iterator[str]:
    """A throw-away PostgreSQL server on a free port; its DSN."""
    bin_dir = _postgres_bin()
    if bin_dir is None:
        message = "PostgreSQL with PostGIS not found: apt-get install postgresql postgis"
        if os.environ.get("CI") == "true":
            pytest.fail(message + " (.ci/run installs them)")
        pytest.skip(message)
    root = Path(tempfile.mkdtemp(prefix="innovation-map-pg-"))
    prefix: list[str] = []
    if os.geteuid() == 0:
        # PostgreSQL refuses to run as root: run it as nobody, in a folder nobody owns.
        nobody = pwd.getpwnam("nobody")
        os.chown(root, nobody.pw_uid, nobody.pw_gid)
        prefix = ["runuser", "-u", "nobody", "--"]
    data, port = root / "data", _free_port()

    def run(*args: str) -> None:
        subprocess.run([*prefix, *args], check=True, capture_output=True, timeout=120)

    run(str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8")
    options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off"
    run(
        str(bin_dir / "pg_ctl"),
        "-D",
        str(data),
        "-l",
        str(root / "log"),
        "-o",
        options,
        "-w",
        "start",
    )
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        run(str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="module")
def build_dir(fixture_build: Built) -> Path:
    """The session's build of the committed fixtures (read, never changed, here)."""
    return fixture_build.dir


def _frames(build_dir: Path, **query: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    data = load_map_data(build_dir)
    q = PlaceQuery(unplaced=True, **query)
    return {c: export_frame(data, c, q) for c in COLLECTIONS}, data.metadata


def _one(dsn: str, query: str) -> Any:
    with psycopg.connect(dsn) as conn:
        row = conn.execute(query).fetchone()
        return row[0] if row else None


def test_publish_fills_postgis(
    postgres_dsn: str, build_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["publish", postgres_dsn, "--build-dir", str(build_dir)]
    assert main(args) == 0
    assert "published schema innovation_map" in capsys.readouterr().out
    assert _one(postgres_dsn, "SELECT count(*) FROM innovation_map.places") == 12
    assert _one(postgres_dsn, "SELECT count(*) FROM innovation_map.districts") == 16
    mentions = _one(postgres_dsn, "SELECT count(*) FROM innovation_map.mentions")
    assert mentions >= 12
    srids = _one(
        postgres_dsn,
        "SELECT array_agg(DISTINCT srid) FROM geometry_columns "
        "WHERE f_table_schema = 'innovation_map'",
    )
    assert srids == [4326]
    types = _one(
        postgres_dsn,
        "SELECT json_object_agg(f_table_name, type) FROM geometry_columns "
        "WHERE f_table_schema = 'innovation_map'",
    )
    assert types == {
        "places": "POINT",
        "districts": "MULTIPOLYGON",
        "hubs": "MULTIPOLYGON",
        "corridors": "MULTILINESTRING",
    }
    gist = _one(
        postgres_dsn,
        "SELECT array_agg(tablename ORDER BY tablename) FROM pg_indexes "
        "WHERE schemaname = 'innovation_map' AND indexdef ILIKE '%USING gist%'",
    )
    assert gist == ["corridors", "districts", "hubs", "places"]
    # A planner's query: facilities in Pudong, by a column and a spatial join.
    in_pudong = _one(
        postgres_dsn,
        "SELECT count(*) FROM innovation_map.places p JOIN innovation_map.districts d "
        "ON ST_Within(p.geom, d.geom) WHERE d.name_en = 'Pudong' AND p.category = 'facility'",
    )
    assert in_pudong == 3
    assert _one(
        postgres_dsn, "SELECT value #>> '{}' FROM innovation_map.metadata WHERE key = 'datum'"
    ).startswith("WGS-84")
    assert "Shanghai" in _one(
        postgres_dsn, "SELECT obj_description('innovation_map.places'::regclass)"
    )
    orphan = _one(
        postgres_dsn,
        "SELECT count(*) FROM innovation_map.mentions m LEFT JOIN innovation_map.places p "
        "ON p.id = m.place_id WHERE p.id IS NULL",
    )
    assert orphan == 0


def test_rerun_replaces_and_failure_keeps_the_old_schema(
    postgres_dsn: str, build_dir: Path
) -> None:
    from geo.publish import publish_layers

    frames, metadata = _frames(build_dir, categories=("facility",))
    counts = publish_layers(postgres_dsn, frames, metadata, schema="trial")
    assert counts["places"] == 3
    assert _one(postgres_dsn, "SELECT count(*) FROM trial.places") == 3
    frames, metadata = _frames(build_dir)
    publish_layers(postgres_dsn, frames, metadata, schema="trial")
    assert _one(postgres_dsn, "SELECT count(*) FROM trial.places") == 12
    # A broken layer (a duplicate id breaks the primary key) fails the whole publish.
    broken = dict(frames)
    broken["places"] = frames["places"].iloc[[0, 0]]
    with pytest.raises(GeoError, match="unchanged"):
        publish_layers(postgres_dsn, broken, metadata, schema="trial")
    assert _one(postgres_dsn, "SELECT count(*) FROM trial.places") == 12
    leftovers = _one(
        postgres_dsn,
        "SELECT count(*) FROM information_schema.schemata WHERE schema_name LIKE 'trial\\_\\_%'",
    )
    assert leftovers == 0


def test_publish_errors_are_clear(build_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    port = _free_port()  # nothing listens there
    dsn = f"postgresql://nobody@127.0.0.1:{port}/x?connect_timeout=2"
    assert main(["publish", dsn, "--build-dir", str(build_dir)]) == 2
    assert "cannot connect to the database" in capsys.readouterr().err
    assert main(["publish", dsn, "--schema", "Bad Name", "--build-dir", str(build_dir)]) == 2
    assert "lower-case letters" in capsys.readouterr().err
