"""A Dask DataFrame over one warehouse table, one partition per range of DuckDB row ids.

Each partition opens the warehouse read-only in whichever process runs it,
so the graph works on a LocalCluster's worker processes as well as in the
notebook's own process.
"""

from __future__ import annotations

import math
from pathlib import Path

import dask.dataframe as dd
import duckdb
import pandas as pd
import pyarrow as pa
import sqlglot
from sqlglot.errors import ErrorLevel, ParseError, UnsupportedError

from ..results import arrow_to_pandas
from ..rewrites import apply_rewrites
from ..translate import QueryTranslationError, check_row_filter
from ._connection import connect_warehouse

#: DuckDB's row group size (rows); no partition is smaller than one row group.
ROW_GROUP_ROWS = 122_880

#: Size aimed at per partition when the caller sets no count, in logical
#: bytes of the columns read. A narrow read thus gets few partitions: above
#: 15, a groupby on one key switches from a tree reduction to a shuffle,
#: which benchmarks/data.py measured at about half the throughput. Reading
#: every flights column in 256 MiB partitions paused the 'small' profile's
#: 1.5 GiB worker at its memory limit (85 s against 7 s at 128 MiB).
TARGET_PARTITION_BYTES = 128 * 2**20

#: Small tables still get up to this many partitions (one per row group), so
#: several workers share them.
MIN_PARTITIONS = 4


def read_warehouse_table(
    path: Path,
    dataset: str,
    table: str,
    columns: list[str],
    row_filter: str | None,
    *,
    partitions: int | None,
    selected_bytes: int,
) -> dd.DataFrame:
    """Return a Dask DataFrame reading ``columns`` of ``dataset.table`` from the warehouse at ``path``.

    ``selected_bytes`` is the logical size of the selected columns, used to
    size partitions when ``partitions`` is None.
    """
    where = translate_row_filter(row_filter)
    select = _select_sql(dataset, table, columns, where)
    con = connect_warehouse(path)
    try:
        meta = _to_pandas(con.sql(select + " LIMIT 0").to_arrow_table())
        (max_rowid,) = con.execute(f'SELECT coalesce(max(rowid), -1) FROM "{dataset}"."{table}"').fetchone()
    except (duckdb.BinderException, duckdb.ConversionException, duckdb.InvalidInputException) as exc:
        # Planning the first partition's SQL checks row_filter before any worker runs it.
        raise QueryTranslationError(
            f"row_filter {row_filter!r} cannot run on {dataset}.{table}: {str(exc).strip().splitlines()[0]}",
        ) from exc
    finally:
        con.close()
    total_rows = int(max_rowid) + 1
    count = partitions or default_partitions(total_rows, selected_bytes)
    count = max(1, min(count, total_rows)) if total_rows else 1
    step = math.ceil(total_rows / count) if total_rows else 1
    ranges = [(start, min(start + step, total_rows)) for start in range(0, max(total_rows, 1), step)]
    # Passing ``columns`` lets Dask push a later projection such as
    # ``frame[["carrier", "dep_delay"]]`` into the SQL of each partition.
    # NOTE: unlike read_parquet, the partitions are not fused after such a
    # projection, so a read without columns= keeps the whole table's count.
    return dd.from_map(
        _read_range,
        ranges,
        args=(str(path), dataset, table, where),
        columns=columns,
        meta=meta,
        label=f"read-warehouse-{table}",
        enforce_metadata=False,
    )


def default_partitions(total_rows: int, selected_bytes: int) -> int:
    """Return the partition count for ``total_rows`` rows holding ``selected_bytes`` when the caller sets none.

    Partitions hold about TARGET_PARTITION_BYTES each and no fewer rows than
    a row group; tables of a few row groups still get up to MIN_PARTITIONS.
    """
    row_groups = max(1, math.ceil(total_rows / ROW_GROUP_ROWS))
    by_size = math.ceil(max(selected_bytes, 0) / TARGET_PARTITION_BYTES)
    return min(row_groups, max(by_size, MIN_PARTITIONS))


def translate_row_filter(row_filter: str | None) -> str | None:
    """Translate a BigQuery row filter (a SQL condition) to DuckDB SQL; None if there is none."""
    if row_filter is None or not row_filter.strip():
        return None
    try:
        condition = sqlglot.condition(row_filter, dialect="bigquery")
        check_row_filter(condition, row_filter)
        condition = apply_rewrites(condition)
        return condition.sql(dialect="duckdb", unsupported_level=ErrorLevel.RAISE)
    except (ParseError, UnsupportedError) as exc:
        raise QueryTranslationError(
            f"Invalid or untranslatable row_filter {row_filter!r}: {str(exc).strip().splitlines()[0]}",
        ) from exc


def _select_sql(dataset: str, table: str, columns: list[str], where: str | None) -> str:
    column_list = ", ".join(f'"{c}"' for c in columns)
    sql = f'SELECT {column_list} FROM "{dataset}"."{table}"'
    return sql + (f" WHERE ({where})" if where else "")


def _read_range(
    row_range: tuple[int, int], path: str, dataset: str, table: str, where: str | None, columns: list[str]
) -> pd.DataFrame:
    start, stop = row_range
    select = _select_sql(dataset, table, columns, where)
    joiner = " AND " if where else " WHERE "
    # One DuckDB thread: Dask already runs one partition per worker thread.
    con = connect_warehouse(path, threads=1)
    try:
        # DuckDB (1.x) turns BETWEEN on rowid into a row-group range scan; the
        # equivalent ">= AND <" scans the whole table (measured 20x slower).
        rows = con.sql(f"{select}{joiner}rowid BETWEEN ? AND ?", params=[start, stop - 1]).to_arrow_table()
        return _to_pandas(rows)
    finally:
        con.close()


def _to_pandas(table: pa.Table) -> pd.DataFrame:
    # Arrow strings stay Arrow-backed in pandas, as dask.dataframe.read_parquet
    # returns them; converting through Python objects (DuckDB's ``df()``) was
    # about five times slower per partition.
    return arrow_to_pandas(table, arrow_strings=True)
