"""The local warehouse runs only BigQuery-shaped reads of its own tables, whatever the SQL tries."""

import os
import subprocess
import sys
import textwrap

import duckdb
import pandas as pd
import pytest

from nbplatform.bigquery import QueryTooExpensiveError, QueryTranslationError, query, read_table
from nbplatform.bigquery.api import get_backend
from nbplatform.bigquery.context import QueryContext
from nbplatform.errors import DataError


@pytest.fixture
def backend(warehouse_env):
    return get_backend("duckdb", environ=warehouse_env)


@pytest.fixture
def context():
    return QueryContext(user="alice", notebook=None, profile=None)


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT * FROM main.flights",
        "SELECT * FROM FLIGHTS",
        "SELECT * FROM nycflights13.FLIGHTS",
        "SELECT * FROM nycflights13.INFORMATION_SCHEMA.TABLES",
    ],
)
def test_unknown_table_names_rejected(backend, context, sql):
    # DuckDB would find these (case-insensitive names, the main schema's
    # views) while the cost estimate counted 0 bytes for them.
    with pytest.raises(QueryTranslationError, match="is not in the local warehouse; it has nycflights13.airlines"):
        query(sql, backend=backend, context=context, maximum_bytes_billed=1000)


def test_table_functions_rejected(backend, context):
    with pytest.raises(QueryTranslationError, match=r"read_text\('/etc/hostname'\) is not a table"):
        query("SELECT LENGTH(content) FROM read_text('/etc/hostname')", backend=backend, context=context)
    with pytest.raises(QueryTranslationError, match="is not a table"):
        query("SELECT * FROM duckdb_settings()", backend=backend, context=context)


def test_connection_closed_to_files(backend):
    # Below the SQL checks: the connection itself refuses file access.
    with pytest.raises(duckdb.PermissionException):
        backend.cursor().execute("SELECT * FROM read_text('/etc/hostname')").fetchall()


def test_cte_may_shadow_table_name(backend, context):
    frame = query("WITH flights AS (SELECT 1 AS x) SELECT x FROM flights", backend=backend, context=context)
    assert frame["x"].tolist() == [1]


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("SELECT 1 AS x INTO tmp", "SELECT ... INTO creates a table"),
        (
            "WITH d AS (DELETE FROM nycflights13.airlines WHERE TRUE RETURNING *) SELECT * FROM d",
            "contains a DELETE statement",
        ),
        ("INSTALL httpfs", "not INSTALL statements"),
    ],
)
def test_writes_rejected(backend, context, sql, message):
    with pytest.raises(QueryTranslationError, match=message):
        query(sql, backend=backend, context=context)


def test_planning_error_is_translation_error(backend, context):
    with pytest.raises(QueryTranslationError, match="%Q"):
        query("SELECT FORMAT_DATE('%Q', DATE '2013-01-01') AS q", backend=backend, context=context)


def test_limit_must_be_integer(backend, context):
    with pytest.raises(DataError, match=r"maximum_bytes_billed='1000' is invalid: pass a whole number"):
        query("SELECT 1 AS x", backend=backend, context=context, maximum_bytes_billed="1000")


def test_typed_null_parameter(backend, context, direct):
    from google.cloud.bigquery import ArrayQueryParameter, ScalarQueryParameter

    frame = query(
        "SELECT COUNT(*) AS n FROM flights WHERE dep_delay IS NOT DISTINCT FROM @x AND origin IN UNNEST(@origins)",
        {"x": ScalarQueryParameter("x", "FLOAT64", None), "origins": ArrayQueryParameter("origins", "STRING", ["JFK"])},
        backend=backend,
        context=context,
    )
    (expected,) = direct.execute(
        "SELECT count(*) FROM nycflights13.flights WHERE dep_delay IS NULL AND origin = 'JFK'"
    ).fetchone()
    assert frame["n"].tolist() == [expected]


@pytest.mark.parametrize(
    ("row_filter", "message"),
    [
        ("EXISTS (SELECT * FROM nycflights13.flights)", "uses subqueries"),
        ("dep_delay > (SELECT AVG(dep_delay) FROM nycflights13.flights)", "uses subqueries"),
        ("COUNT(*) > 1", "uses aggregate functions"),
        ("origin = @o", "uses query parameters"),
        ("NET.HOST(dest) = 'x'", "NET.* functions"),
        ("nosuch = 1", "cannot run on nycflights13.flights"),
    ],
)
def test_row_filter_rejected(backend, context, row_filter, message):
    with pytest.raises(QueryTranslationError, match=message):
        read_table("flights", columns=["carrier"], row_filter=row_filter, backend=backend, context=context)


def test_row_filter_subquery_keeps_limit(backend, context):
    # Without the check the filter's scan of flights counted 0 bytes.
    with pytest.raises((QueryTranslationError, QueryTooExpensiveError)):
        read_table(
            "airlines",
            columns=["carrier"],
            row_filter="EXISTS (SELECT * FROM nycflights13.flights)",
            backend=backend,
            context=context,
            maximum_bytes_billed=1000,
        )


def test_columns_string_rejected(backend, context):
    with pytest.raises(DataError, match=r"columns='carrier' is a string; pass a list of column names, such as \['carrier'\]"):
        read_table("flights", columns="carrier", backend=backend, context=context)


def test_results_independent_of_tz(warehouse_env, direct):
    # A kernel on a laptop in Tokyo must count what BigQuery counts (UTC).
    (expected,) = direct.execute(
        "SELECT count(*) FROM nycflights13.flights WHERE time_hour < TIMESTAMP '2013-01-02 00:00:00'"
    ).fetchone()
    script = textwrap.dedent(
        """
        import dask
        from nbplatform.bigquery import query, read_table
        condition = "time_hour < TIMESTAMP '2013-01-02 00:00:00+00'"
        print(query(f"SELECT COUNT(*) AS n FROM flights WHERE {condition}")["n"][0])
        with dask.config.set(scheduler="sync"):
            print(len(read_table("flights", columns=["carrier"], row_filter=condition)))
        print(query("SELECT TIMESTAMP_TRUNC(TIMESTAMP '2013-07-04 02:00:00+00', DAY) AS t")["t"][0].isoformat())
        """
    )
    env = {**os.environ, **warehouse_env, "TZ": "Asia/Tokyo"}
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    sql_count, frame_rows, truncated = result.stdout.split()
    assert int(sql_count) == expected
    assert int(frame_rows) == expected
    assert truncated == "2013-07-04T00:00:00+00:00"


def test_interrupt_stops_long_query(warehouse_env):
    # A real SIGINT, as Jupyter's "Interrupt kernel" sends, during a cross
    # join of flights with itself that would run for minutes.
    script = textwrap.dedent(
        """
        import os, signal, threading, time
        from nbplatform.bigquery import query
        threading.Timer(2, lambda: os.kill(os.getpid(), signal.SIGINT)).start()
        started = time.monotonic()
        try:
            query("SELECT COUNT(*) AS n, SUM(a.distance + b.distance) AS s FROM flights a CROSS JOIN flights b")
        except KeyboardInterrupt:
            print("interrupted", round(time.monotonic() - started))
        """
    )
    env = {**os.environ, **warehouse_env}
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    word, seconds = result.stdout.split()
    assert word == "interrupted"
    assert int(seconds) < 30


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT f FROM flights AS f LIMIT 2",
        "SELECT TO_JSON_STRING(f) AS j FROM flights AS f",
        "SELECT COUNT(*) AS n FROM flights AS f WHERE f IS NOT NULL",
        "SELECT * FROM flights, UNNEST([1]) LIMIT 1",
    ],
)
def test_whole_row_reads_count_every_column(backend, context, direct, sql):
    (all_columns,) = direct.execute(
        "SELECT sum(logical_bytes) FROM main._nbplatform_column_bytes WHERE table_name = 'flights'"
    ).fetchone()
    assert backend.dry_run(sql, None).estimated_bytes == all_columns
    with pytest.raises(QueryTooExpensiveError):
        query(sql, backend=backend, context=context, maximum_bytes_billed=1000)


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT COUNT(*) AS n, SUM(f.distance) AS s FROM flights AS f, "
        "(WITH flights AS (SELECT 1 AS one) SELECT * FROM flights) AS x",
        "SELECT * FROM (WITH sqlite_master AS (SELECT 1 AS one) SELECT * FROM sqlite_master) AS x, sqlite_master",
    ],
)
def test_cte_scope_keeps_table_visible(backend, context, sql):
    # The CTE is visible only inside its own subquery; the outer name is a table.
    with pytest.raises((QueryTooExpensiveError, QueryTranslationError)):
        query(sql, backend=backend, context=context, maximum_bytes_billed=1000)


def test_cte_chain_and_recursion_resolve(backend, context):
    frame = query(
        "WITH RECURSIVE a AS (SELECT 1 AS x UNION ALL SELECT x + 1 FROM a WHERE x < 3), b AS (SELECT x FROM a) "
        "SELECT SUM(x) AS total FROM b",
        backend=backend,
        context=context,
    )
    assert frame["total"].tolist() == [6]


def test_time_zone_arguments(backend, context, direct):
    # The table's own hour column is the New York departure hour of each flight.
    (rows,) = direct.execute("SELECT count(*) FROM nycflights13.flights").fetchone()
    frame = query(
        "SELECT COUNTIF(EXTRACT(HOUR FROM time_hour AT TIME ZONE 'America/New_York') = hour) AS extracted, "
        "COUNTIF(CAST(FORMAT_TIMESTAMP('%H', time_hour, 'America/New_York') AS INT64) = hour) AS formatted "
        "FROM flights",
        backend=backend,
        context=context,
    )
    assert frame["extracted"].tolist() == [rows]
    assert frame["formatted"].tolist() == [rows]


def test_timestamp_truncated_in_zone(backend, context):
    frame = query(
        "SELECT TIMESTAMP_TRUNC(time_hour, DAY, 'America/New_York') AS day_start FROM flights ORDER BY time_hour LIMIT 1",
        backend=backend,
        context=context,
    )
    # The first departure is on 2013-01-01 in New York, whose midnight is 05:00 UTC.
    assert frame["day_start"][0] == pd.Timestamp("2013-01-01 05:00", tz="UTC")


def test_extract_from_timestamp_expression(backend, context):
    frame = query(
        "SELECT EXTRACT(HOUR FROM TIMESTAMP '2013-07-04 02:00:00+00') AS literal_hour, "
        "EXTRACT(HOUR FROM TIMESTAMP_ADD(TIMESTAMP '2013-07-04 23:30:00+00', INTERVAL 1 HOUR)) AS added_hour",
        backend=backend,
        context=context,
    )
    assert frame["literal_hour"].tolist() == [2]
    assert frame["added_hour"].tolist() == [0]


def test_timestamps_come_back_in_utc(backend, context):
    # google-cloud-bigquery's to_dataframe() gives TIMESTAMP columns as UTC-aware datetimes.
    frame = query("SELECT time_hour FROM flights LIMIT 1", backend=backend, context=context)
    partitions = read_table("weather", columns=["time_hour"], backend=backend, context=context)
    assert str(frame["time_hour"].dt.tz) == "UTC"
    assert str(partitions.compute()["time_hour"].dt.tz) == "UTC"


def test_unnamed_columns_named_as_bigquery(backend, context):
    frame = query(
        "SELECT f.carrier, COUNT(*), MAX(dep_delay) FROM flights AS f GROUP BY f.carrier ORDER BY 1 LIMIT 1",
        backend=backend,
        context=context,
    )
    assert list(frame.columns) == ["carrier", "f0_", "f1_"]
