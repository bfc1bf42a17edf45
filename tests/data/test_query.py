"""query() and read_table() on the local DuckDB back end, checked against DuckDB queried directly."""

import dask
import pytest

from nbplatform.bigquery import QueryTooExpensiveError, QueryTranslationError, query, read_table
from nbplatform.bigquery.api import get_backend
from nbplatform.bigquery.backends import _duckdb_dask
from nbplatform.bigquery.backends._duckdb_dask import default_partitions
from nbplatform.bigquery.context import QueryContext
from nbplatform.bigquery.translate import translate
from nbplatform.errors import ConfigError, DataError


@pytest.fixture
def backend(warehouse_env):
    return get_backend("duckdb", environ=warehouse_env)


@pytest.fixture
def context():
    return QueryContext(user="alice", notebook=None, profile=None)


def run(sql, backend, context, params=None, **kwargs):
    return query(sql, params, backend=backend, context=context, **kwargs)


def test_translate_drops_project():
    translated = translate("SELECT carrier FROM `my-project.nycflights13.flights`")
    assert translated.sql == 'SELECT carrier AS "carrier" FROM "nycflights13"."flights"'


def test_translate_rejects_dml():
    with pytest.raises(QueryTranslationError, match="not DELETE statements"):
        translate("DELETE FROM nycflights13.flights WHERE TRUE")


def test_translate_rejects_two_statements():
    with pytest.raises(QueryTranslationError, match="exactly one SQL statement, got 2"):
        translate("SELECT 1; SELECT 2")


def test_translate_rejects_ml_functions():
    with pytest.raises(QueryTranslationError, match="ML"):
        translate("SELECT * FROM ML.PREDICT(MODEL `p.d.m`, TABLE `p.d.t`)")


def test_translate_rejects_unsupported_function():
    with pytest.raises(QueryTranslationError, match="cannot be translated"):
        translate("SELECT APPROX_TOP_COUNT(carrier, 3) FROM nycflights13.flights")


def test_translate_invalid_sql():
    with pytest.raises(QueryTranslationError, match="Invalid BigQuery SQL"):
        translate("SELECT FROM WHERE (")


def test_query_bigquery_names(backend, context, direct):
    result = run(
        "SELECT carrier, COUNT(*) AS n FROM `any-project.nycflights13.flights` GROUP BY carrier ORDER BY carrier",
        backend,
        context,
    )
    expected = direct.execute("SELECT carrier, count(*) FROM nycflights13.flights GROUP BY 1 ORDER BY 1").fetchall()
    assert list(zip(result["carrier"], result["n"])) == expected


def test_query_named_params(backend, context, direct):
    result = run(
        "SELECT COUNT(*) AS n FROM nycflights13.flights WHERE origin = @origin AND month = @month",
        backend,
        context,
        {"origin": "JFK", "month": 7},
    )
    (expected,) = direct.execute(
        "SELECT count(*) FROM nycflights13.flights WHERE origin = 'JFK' AND month = 7"
    ).fetchone()
    assert int(result["n"][0]) == expected


def test_query_positional_params(backend, context):
    result = run("SELECT name FROM nycflights13.airlines WHERE carrier = ?", backend, context, ["UA"])
    assert list(result["name"]) == ["United Air Lines Inc."]


def test_query_bigquery_functions(backend, context, direct):
    result = run(
        "SELECT COUNTIF(arr_delay > 15) AS late, SAFE_DIVIDE(SUM(arr_delay), COUNT(arr_delay)) AS mean "
        "FROM nycflights13.flights",
        backend,
        context,
    )
    (late, mean) = direct.execute(
        "SELECT count(*) FILTER (WHERE arr_delay > 15), avg(arr_delay) FROM nycflights13.flights"
    ).fetchone()
    assert int(result["late"][0]) == late
    assert result["mean"][0] == pytest.approx(mean)


def test_query_unknown_function_errors(backend, context):
    with pytest.raises(QueryTranslationError, match="cannot run this query"):
        run("SELECT NOT_A_FUNCTION(carrier) FROM nycflights13.flights", backend, context)


def test_dry_run_counts_read_columns(backend, direct):
    estimate = backend.dry_run("SELECT carrier, AVG(dep_delay) FROM nycflights13.flights GROUP BY 1", None)
    (expected,) = direct.execute(
        "SELECT sum(strlen(carrier) + 2) + 8 * count(dep_delay) FROM nycflights13.flights"
    ).fetchone()
    assert estimate.estimated_bytes == expected


def test_dry_run_star_counts_all_columns(backend, direct):
    estimate = backend.dry_run("SELECT * FROM airlines", None)
    (expected,) = direct.execute(
        "SELECT sum(strlen(carrier) + 2) + sum(strlen(name) + 2) FROM nycflights13.airlines"
    ).fetchone()
    assert estimate.estimated_bytes == expected


def test_query_over_limit_rejected(backend, context):
    with pytest.raises(QueryTooExpensiveError, match="rejected before it ran"):
        run("SELECT * FROM nycflights13.flights", backend, context, maximum_bytes_billed=1_000_000)


def test_cost_guard_logs_decision(backend, context, caplog):
    caplog.set_level("INFO", logger="nbplatform.bigquery")
    with pytest.raises(QueryTooExpensiveError):
        run("SELECT * FROM nycflights13.flights", backend, context, maximum_bytes_billed=1_000_000)
    run("SELECT COUNT(*) AS n FROM nycflights13.flights", backend, context, maximum_bytes_billed=1)
    records = [r for r in caplog.records if r.name == "nbplatform.bigquery.api"]
    assert len(records) == 2
    assert records[0].levelname == "WARNING"
    assert records[0].getMessage().startswith("Query for user alice with profile (none) on duckdb rejected: estimated ")
    assert records[1].levelname == "INFO"
    assert records[1].getMessage().startswith("Query for user alice with profile (none) on duckdb allowed: estimated ")


def test_query_under_limit_runs(backend, context):
    result = run("SELECT COUNT(*) AS n FROM nycflights13.flights", backend, context, maximum_bytes_billed=1)
    assert int(result["n"][0]) == 336776


def test_query_missing_warehouse(tmp_path, context):
    backend = get_backend("duckdb", environ={"NBPLATFORM_DATA_DIR": str(tmp_path)})
    with pytest.raises(DataError, match="nbplatform data init") as info:
        run("SELECT 1 AS x FROM nycflights13.flights", backend, context)
    assert info.value.reason == "warehouse-missing"


def test_unknown_backend_name(tmp_path):
    with pytest.raises(ConfigError, match="NBPLATFORM_DATA_BACKEND='oracle'"):
        get_backend(environ={"NBPLATFORM_DATA_DIR": str(tmp_path), "NBPLATFORM_DATA_BACKEND": "oracle"})


def test_read_table_filtered(backend, context, direct):
    frame = read_table(
        "proj.nycflights13.flights",
        columns=["carrier", "arr_delay"],
        row_filter="origin = 'LGA' AND month BETWEEN 6 AND 8",
        backend=backend,
        context=context,
    )
    result = frame.groupby("carrier")["arr_delay"].mean().compute().sort_index()
    expected = direct.execute(
        "SELECT carrier, avg(arr_delay) FROM nycflights13.flights "
        "WHERE origin = 'LGA' AND month BETWEEN 6 AND 8 GROUP BY 1 ORDER BY 1"
    ).fetchall()
    assert list(frame.columns) == ["carrier", "arr_delay"]
    assert list(result.index) == [carrier for carrier, _ in expected]
    assert list(result.values) == pytest.approx([mean for _, mean in expected])


def test_read_table_partitions(backend, context):
    frame = read_table("weather", partitions=4, backend=backend, context=context)
    assert frame.npartitions == 4
    assert len(frame) == 26115


def test_read_table_default_partitions(backend, context):
    frame = read_table("nycflights13.flights", columns=["year"], backend=backend, context=context)
    assert frame.npartitions == 3
    assert len(frame) == 336776


def test_read_table_unknown_column(backend, context):
    with pytest.raises(DataError, match="no column\\(s\\) colour"):
        read_table("flights", columns=["carrier", "colour"], backend=backend, context=context)


def test_read_table_unknown_table(backend, context):
    with pytest.raises(DataError, match="'nycflights13.trains' is not in the local warehouse"):
        read_table("nycflights13.trains", backend=backend, context=context)


def test_read_table_over_limit(backend, context):
    with pytest.raises(QueryTooExpensiveError):
        read_table("flights", backend=backend, context=context, maximum_bytes_billed=1000)


@pytest.mark.parametrize(
    ("total_rows", "selected_bytes", "expected"),
    [
        (336_776, 2_700_000, 3),  # three row groups: one partition each
        (20_206_560, 400_168_800, 4),  # narrow read: 3 of 128 MiB, raised to MIN_PARTITIONS
        (20_206_560, 2_846_870_100, 22),  # every column
        (100_000, 10**12, 1),  # never less than a row group per partition
        (0, 0, 1),
    ],
)
def test_default_partitions_follow_selected_bytes(total_rows, selected_bytes, expected):
    assert default_partitions(total_rows, selected_bytes) == expected


def test_partitions_sized_by_columns(backend, context, monkeypatch):
    # Smaller row groups and target make the flights table big enough to tell
    # a narrow read from a wide one.
    monkeypatch.setattr(_duckdb_dask, "ROW_GROUP_ROWS", 10_000)
    monkeypatch.setattr(_duckdb_dask, "TARGET_PARTITION_BYTES", 2**20)
    narrow = read_table("flights", columns=["year"], backend=backend, context=context)
    wide = read_table("flights", backend=backend, context=context)
    assert narrow.npartitions == 4
    assert wide.npartitions == 34
    assert len(wide) == 336_776


def test_read_table_pushes_projection(backend, context, direct, monkeypatch):
    # Records the columns each partition reads; the synchronous scheduler
    # keeps the calls in this process.
    read_columns = []
    real_read_range = _duckdb_dask._read_range

    def recording_read_range(row_range, *args, columns):
        read_columns.append(list(columns))
        return real_read_range(row_range, *args, columns=columns)

    monkeypatch.setattr(_duckdb_dask, "_read_range", recording_read_range)
    frame = read_table("flights", row_filter="origin = 'JFK'", backend=backend, context=context)
    with dask.config.set(scheduler="sync"):
        result = frame.groupby("carrier")["dep_delay"].mean().compute().sort_index()
    expected = direct.execute(
        "SELECT carrier, avg(dep_delay) FROM nycflights13.flights WHERE origin = 'JFK' GROUP BY 1 ORDER BY 1"
    ).fetchall()
    assert read_columns and all(sorted(columns) == ["carrier", "dep_delay"] for columns in read_columns)
    assert list(result.index) == [carrier for carrier, _ in expected]
    assert list(result.values) == pytest.approx([mean for _, mean in expected])
