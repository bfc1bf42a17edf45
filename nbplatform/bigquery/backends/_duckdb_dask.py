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
import sqlglot
from sqlglot.errors import ErrorLevel, ParseError, UnsupportedError

from ..translate import QueryTranslationError

#: Rows per partition when the caller sets no count: DuckDB's row group size,
#: so each partition reads whole row groups.
ROWS_PER_PARTITION = 122_880


def read_warehouse_table(
    path: Path,
    dataset: str,
    table: str,
    columns: list[str],
    row_filter: str | None,
    *,
    partitions: int | None,
) -> dd.DataFrame:
    where = translate_row_filter(row_filter)
    select = _select_sql(dataset, table, columns, where)
    con = duckdb.connect(str(path), read_only=True)
    try:
        meta = con.execute(select + " LIMIT 0").df()
        (max_rowid,) = con.execute(f'SELECT coalesce(max(rowid), -1) FROM "{dataset}"."{table}"').fetchone()
    finally:
        con.close()
    total_rows = int(max_rowid) + 1
    count = partitions or max(1, math.ceil(total_rows / ROWS_PER_PARTITION))
    count = max(1, min(count, total_rows)) if total_rows else 1
    step = math.ceil(total_rows / count) if total_rows else 1
    ranges = [(start, min(start + step, total_rows)) for start in range(0, max(total_rows, 1), step)]
    return dd.from_map(
        _read_range,
        ranges,
        args=(str(path), select, where is not None),
        meta=meta,
        label=f"read-warehouse-{table}",
        enforce_metadata=False,
    )


def translate_row_filter(row_filter: str | None) -> str | None:
    """Translate a BigQuery row filter (a SQL condition) to DuckDB SQL; None if there is none."""
    if row_filter is None or not row_filter.strip():
        return None
    try:
        condition = sqlglot.condition(row_filter, dialect="bigquery")
        return condition.sql(dialect="duckdb", unsupported_level=ErrorLevel.RAISE)
    except (ParseError, UnsupportedError) as exc:
        raise QueryTranslationError(
            f"Invalid or untranslatable row_filter {row_filter!r}: {str(exc).strip().splitlines()[0]}",
        ) from exc


def _select_sql(dataset: str, table: str, columns: list[str], where: str | None) -> str:
    column_list = ", ".join(f'"{c}"' for c in columns)
    sql = f'SELECT {column_list} FROM "{dataset}"."{table}"'
    return sql + (f" WHERE ({where})" if where else "")


def _read_range(row_range: tuple[int, int], path: str, select: str, has_where: bool) -> pd.DataFrame:
    start, stop = row_range
    joiner = " AND " if has_where else " WHERE "
    con = duckdb.connect(path, read_only=True)
    try:
        return con.execute(f"{select}{joiner}rowid >= ? AND rowid < ?", [start, stop]).df()
    finally:
        con.close()
