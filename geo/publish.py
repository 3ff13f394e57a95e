"""Publish every layer into a PostGIS schema in one transaction: tables, keys, GiST indexes, metadata.

``innovation-map publish postgresql://…`` builds the layers in a staging schema, then swaps it
for the published one, all inside one transaction: a rerun replaces the schema, a failure
leaves the old one as it was. Plain SQL over psycopg 3; geometries travel as hex EWKB.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import pandas as pd
import shapely

from geo.columns import (
    LAYER_GEOMETRY,
    citations_frame,
    column_description,
    single_geometry_type,
)
from geo.errors import GeoError
from geo.formats import prepare
from geo.vocab import reports_from_metadata

if TYPE_CHECKING:
    import psycopg

DEFAULT_SCHEMA = "innovation_map"
SRID = 4326
INSTALL = 'pip install "shanghai-innovation-map[postgis]"  (psycopg 3)'

#: Natural keys; tables without one get a generated ``fid``.
PRIMARY_KEYS = {"places": "id", "districts": "adcode", "hubs": "id", "corridors": "id"}
#: (table, column) → (table, column) it refers to.
FOREIGN_KEYS = {("mentions", "place_id"): ("places", "id")}


def _connect(dsn: str) -> psycopg.Connection[Any]:
    try:
        import psycopg
    except ImportError:
        msg = f"publishing to PostGIS needs psycopg: {INSTALL}"
        raise GeoError(msg) from None
    try:
        return psycopg.connect(dsn)
    except psycopg.Error as exc:
        msg = f"cannot connect to the database: {str(exc).strip()}"
        raise GeoError(msg) from None


def _sql_type(series: pd.Series) -> str:
    kind = series.dtype.kind
    if kind == "b":
        return "boolean"
    if kind in "iu" or str(series.dtype) == "Int64":
        return "bigint"
    if kind == "f":
        return "double precision"
    return "text"


def _value(value: Any) -> Any:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


def _rows(table: pd.DataFrame, columns: Sequence[str], geom: str | None) -> Iterator[list[Any]]:
    geoms: list[Any] = []
    if geom is not None:
        with_srid = shapely.set_srid(table[geom].to_numpy(), SRID)
        geoms = list(shapely.to_wkb(with_srid, hex=True, include_srid=True))
    for i, row in enumerate(table[list(columns)].itertuples(index=False, name=None)):
        values = [_value(v) for v in row]
        if geom is not None:
            values.append(geoms[i])
        yield values


def _layers(frames: Mapping[str, pd.DataFrame], metadata: Mapping[str, Any]) -> dict[str, Any]:
    """Return each layer's export table (flat columns, WGS-84), with the places' citations."""
    tables: dict[str, pd.DataFrame] = {}
    for name, frame in frames.items():
        table = prepare(frame, name, metadata, {})[0]
        if isinstance(table, gpd.GeoDataFrame):
            table = single_geometry_type(table, name)[0]
        tables[name] = table
        if name == "places":
            tables["mentions"] = citations_frame(frame, reports_from_metadata(metadata))
    return tables


def _create_table(
    cur: psycopg.Cursor[Any],
    schema: str,
    name: str,
    table: pd.DataFrame,
    metadata: Mapping[str, Any],
) -> None:
    from psycopg import sql

    geom = table.geometry.name if isinstance(table, gpd.GeoDataFrame) else None
    columns = [c for c in table.columns if c != geom]
    key = PRIMARY_KEYS.get(name)
    defs: list[sql.Composable] = (
        [] if key else [sql.SQL("fid bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY")]
    )
    for c in columns:
        suffix = " PRIMARY KEY" if c == key else ""
        defs.append(
            sql.SQL("{} {}" + suffix).format(sql.Identifier(c), sql.SQL(_sql_type(table[c])))
        )
    target = sql.Identifier(schema, name)
    if geom is not None:
        type_ = LAYER_GEOMETRY.get(name, "Geometry")
        defs.append(sql.SQL(f"geom geometry({type_}, {SRID})"))
    cur.execute(sql.SQL("CREATE TABLE {} ({})").format(target, sql.SQL(", ").join(defs)))
    names = [sql.Identifier(c) for c in columns] + ([sql.Identifier("geom")] if geom else [])
    copy_sql = sql.SQL("COPY {} ({}) FROM STDIN").format(target, sql.SQL(", ").join(names))
    with cur.copy(copy_sql) as copy:
        for row in _rows(table, columns, geom):
            copy.write_row(row)
    if geom is not None:
        cur.execute(
            sql.SQL("CREATE INDEX {} ON {} USING GIST (geom)").format(
                sql.Identifier(f"{name}_geom_gist"), target
            )
        )
    title = f"{name}: {metadata.get('title', '')} (built {metadata.get('built', '?')})"
    cur.execute(sql.SQL("COMMENT ON TABLE {} IS {}").format(target, sql.Literal(title)))
    for c in columns:
        cur.execute(
            sql.SQL("COMMENT ON COLUMN {}.{} IS {}").format(
                target, sql.Identifier(c), sql.Literal(column_description(c))
            )
        )


def publish_layers(
    dsn: str,
    frames: Mapping[str, pd.DataFrame],
    metadata: Mapping[str, Any],
    *,
    schema: str = DEFAULT_SCHEMA,
) -> dict[str, int]:
    """Write every layer into ``schema`` of a PostGIS database; return rows per table.

    Parameters
    ----------
    dsn
        A libpq connection string or URI (``postgresql://user@host/db``).
    frames
        Each collection as exported (places with their list columns; citations become the
        ``mentions`` table).
    metadata
        The build's metadata, stored in ``<schema>.metadata`` and in table comments.
    schema
        The schema to replace; built beside it as ``<schema>__staging`` and swapped in.
    """
    from psycopg import sql

    if not schema.isidentifier() or schema.lower() != schema:
        msg = f"schema {schema!r}: use lower-case letters, digits and _ only"
        raise GeoError(msg)
    tables = _layers(frames, metadata)
    staging = f"{schema}__staging"
    counts: dict[str, int] = {}
    with _connect(dsn) as conn, conn.cursor() as cur:
        try:
            # One publisher at a time per schema; the lock ends with the transaction.
            cur.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (schema,))
            cur.execute("SELECT 1 FROM pg_extension WHERE extname = 'postgis'")
            if cur.fetchone() is None:
                cur.execute("CREATE EXTENSION postgis")
            cur.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(staging)))
            cur.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(staging)))
            for name, table in tables.items():
                _create_table(cur, staging, name, table, metadata)
                counts[name] = len(table)
            for (table, column), (ref_table, ref_column) in FOREIGN_KEYS.items():
                if table in tables and ref_table in tables:
                    cur.execute(
                        sql.SQL("ALTER TABLE {} ADD FOREIGN KEY ({}) REFERENCES {} ({})").format(
                            sql.Identifier(staging, table),
                            sql.Identifier(column),
                            sql.Identifier(staging, ref_table),
                            sql.Identifier(ref_column),
                        )
                    )
            cur.execute(
                sql.SQL("CREATE TABLE {} (key text PRIMARY KEY, value jsonb)").format(
                    sql.Identifier(staging, "metadata")
                )
            )
            for key, value in metadata.items():
                cur.execute(
                    sql.SQL("INSERT INTO {} VALUES (%s, %s::jsonb)").format(
                        sql.Identifier(staging, "metadata")
                    ),
                    (key, json.dumps(value, ensure_ascii=False)),
                )
            cur.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))
            cur.execute(
                sql.SQL("ALTER SCHEMA {} RENAME TO {}").format(
                    sql.Identifier(staging), sql.Identifier(schema)
                )
            )
            comment = f"{metadata.get('title', '')}; built {metadata.get('built', '?')}; WGS-84"
            cur.execute(
                sql.SQL("COMMENT ON SCHEMA {} IS {}").format(
                    sql.Identifier(schema), sql.Literal(comment)
                )
            )
        except Exception as exc:
            conn.rollback()
            import psycopg

            if isinstance(exc, psycopg.Error):
                msg = f"publishing failed, the schema {schema!r} is unchanged: {str(exc).strip()}"
                raise GeoError(msg) from None
            raise
    return counts
