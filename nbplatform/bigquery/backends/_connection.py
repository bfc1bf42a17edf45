"""Connections to the local warehouse: read-only, closed to files and network, in UTC."""

from __future__ import annotations

from pathlib import Path

import duckdb

#: Run on every new connection, for the whole database instance (GLOBAL), so
#: cursors and other connections to the same file in this process follow.
#: With external access on, DuckDB table functions such as read_text() read
#: any local file, and an unknown function can make DuckDB download an
#: extension. BigQuery evaluates TIMESTAMP literals and functions in UTC;
#: DuckDB would take the machine's time zone, so counts would change with TZ.
WAREHOUSE_SETTINGS = (
    "SET GLOBAL enable_external_access = false",
    "SET GLOBAL autoinstall_known_extensions = false",
    "SET GLOBAL autoload_known_extensions = false",
    "SET GLOBAL TimeZone = 'UTC'",
)


def connect_warehouse(path: Path | str, *, threads: int | None = None) -> duckdb.DuckDBPyConnection:
    """Open the warehouse read-only and apply WAREHOUSE_SETTINGS.

    ``threads`` limits DuckDB's own threads. If this process already has
    the file open with another configuration (a notebook's own
    ``duckdb.connect``, or query()'s connection when partitions run in the
    notebook's threads), DuckDB refuses a different one, so the existing
    configuration is used.
    """
    try:
        con = duckdb.connect(str(path), read_only=True, config={} if threads is None else {"threads": threads})
    except duckdb.ConnectionException:
        if threads is None:
            raise
        con = duckdb.connect(str(path), read_only=True)
    try:
        for statement in WAREHOUSE_SETTINGS:
            con.execute(statement)
    except duckdb.Error:
        con.close()
        raise
    return con
