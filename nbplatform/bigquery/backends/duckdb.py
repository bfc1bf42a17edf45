"""The local back end: BigQuery SQL translated with sqlglot, run on the DuckDB warehouse."""

from __future__ import annotations

import logging
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Mapping, TypeVar

import duckdb

from ...config import Settings
from ...errors import DataError
from ..results import arrow_to_pandas
from ..translate import QueryTranslationError, TranslatedQuery, translate
from ..warehouse import COLUMN_BYTES_TABLE, DATASET
from . import DryRun, Params
from ._connection import connect_warehouse

if TYPE_CHECKING:
    import dask.dataframe as dd
    import pandas as pd

log = logging.getLogger(__name__)

T = TypeVar("T")

#: DuckDB errors that mean the translated SQL is not something DuckDB can
#: run (unknown function, type mismatch, syntax), as opposed to I/O failures.
_TRANSLATION_ERRORS = (duckdb.BinderException, duckdb.CatalogException, duckdb.ParserException)


class DuckDBBackend:
    """Runs queries read-only against the warehouse file built by ``nbplatform data init``."""

    name = "duckdb"

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._connection: duckdb.DuckDBPyConnection | None = None
        self._lock = threading.Lock()
        self._schema: dict[str, dict[str, dict[str, str]]] | None = None
        self._column_bytes: dict[tuple[str, str], int] | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> "DuckDBBackend":
        return cls(settings.warehouse_path)

    # Connection and catalog --------------------------------------------

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """Return a new cursor on a shared read-only connection (one cursor per query or thread)."""
        with self._lock:
            if self._connection is None:
                self._connection = open_warehouse(self.path)
            return self._connection.cursor()

    def schema(self) -> dict[str, dict[str, dict[str, str]]]:
        """Return dataset -> table -> column -> DuckDB type for the warehouse tables."""
        if self._schema is None:
            rows = self.cursor().execute(
                "SELECT table_name, column_name, data_type FROM information_schema.columns "
                "WHERE table_schema = ? ORDER BY table_name, ordinal_position",
                [DATASET],
            ).fetchall()
            tables: dict[str, dict[str, str]] = {}
            for table, column, kind in rows:
                tables.setdefault(table, {})[column] = kind
            self._schema = {DATASET: tables}
        return self._schema

    def column_bytes(self) -> dict[tuple[str, str], int]:
        if self._column_bytes is None:
            rows = self.cursor().execute(
                f"SELECT table_name, column_name, logical_bytes FROM main.{COLUMN_BYTES_TABLE}"
            ).fetchall()
            self._column_bytes = {(table, column): int(size) for table, column, size in rows}
        return self._column_bytes

    # Queries ------------------------------------------------------------

    def translate(self, sql: str) -> TranslatedQuery:
        return translate(sql, self.schema())

    def dry_run(self, sql: str, params: Params) -> DryRun:
        """Translate and plan the query without running it; estimate bytes as BigQuery would bill them.

        The estimate adds up the logical size of every column the query
        reads in full, like BigQuery's on-demand pricing for unpartitioned
        tables. Filters and LIMIT do not lower it.
        """
        translated = self.translate(sql)
        cursor = self.cursor()
        try:
            cursor.execute("EXPLAIN " + translated.sql, _duckdb_params(params))
        except duckdb.IOException as exc:
            raise DataError(f"The local warehouse failed to plan the query: {exc}", reason="query-failed") from exc
        except duckdb.Error as exc:
            # Planning reads no data, so any other failure is about the SQL itself.
            raise _rejected(translated.sql, exc) from exc
        return DryRun(estimated_bytes=self._estimate(translated), sql=translated.sql)

    def run_query(
        self, sql: str, params: Params, *, maximum_bytes_billed: int, labels: Mapping[str, str]
    ) -> "pd.DataFrame":
        # maximum_bytes_billed and labels only matter to BigQuery; the guard
        # already compared the dry-run estimate with the limit.
        translated = self.translate(sql)
        cursor = self.cursor()
        try:
            return arrow_to_pandas(
                run_interruptibly(
                    cursor, lambda: cursor.sql(translated.sql, params=_duckdb_params(params)).to_arrow_table()
                )
            )
        except _TRANSLATION_ERRORS as exc:
            raise _rejected(translated.sql, exc) from exc
        except duckdb.Error as exc:
            raise DataError(f"The local warehouse failed to run the query: {exc}", reason="query-failed") from exc
        finally:
            cursor.close()

    def estimate_table_bytes(self, table: str, columns: list[str] | None, row_filter: str | None = None) -> int:
        # Like a BigQuery dry run on an unpartitioned table, a filter does not lower the estimate.
        dataset, name = self.resolve_table(table)
        wanted = columns if columns is not None else list(self.schema()[dataset][name])
        sizes = self.column_bytes()
        return sum(sizes.get((name, column), 0) for column in wanted)

    def read_table(
        self, table: str, columns: list[str] | None, row_filter: str | None, *, partitions: int | None
    ) -> "dd.DataFrame":
        from ._duckdb_dask import read_warehouse_table

        dataset, name = self.resolve_table(table)
        known = self.schema()[dataset][name]
        unknown = [c for c in (columns or []) if c not in known]
        if unknown:
            raise DataError(
                f"Table {dataset}.{name} has no column(s) {', '.join(unknown)}; its columns are {', '.join(known)}.",
                reason="column-not-found",
            )
        duplicates = sorted({c for c in columns or [] if columns.count(c) > 1})
        if duplicates:
            raise DataError(
                f"columns= names {', '.join(duplicates)} more than once; name each column once.",
                reason="duplicate-column",
            )
        selected = columns or list(known)
        return read_warehouse_table(
            self.path,
            dataset,
            name,
            selected,
            row_filter,
            partitions=partitions,
            selected_bytes=self.estimate_table_bytes(f"{dataset}.{name}", selected),
        )

    def resolve_table(self, table: str) -> tuple[str, str]:
        """Map ``project.dataset.table``, ``dataset.table`` or ``table`` to a warehouse table."""
        parts = [p.strip("`") for p in table.strip().strip("`").split(".")]
        if len(parts) > 3 or not all(parts):
            raise DataError(
                f"Invalid table name {table!r}: use table, dataset.table or project.dataset.table.",
                reason="invalid-table-name",
            )
        name = parts[-1]
        dataset = parts[-2] if len(parts) >= 2 else DATASET
        tables = self.schema().get(dataset, {})
        if name not in tables:
            available = ", ".join(f"{DATASET}.{t}" for t in self.schema()[DATASET])
            raise DataError(
                f"Table {table!r} is not in the local warehouse; it has {available}.",
                reason="table-not-found",
            )
        return dataset, name

    def _estimate(self, translated: TranslatedQuery) -> int:
        sizes = self.column_bytes()
        total = 0
        for (dataset, table), columns in translated.columns_read.items():
            if columns is None:
                columns = set(self.schema().get(dataset, {}).get(table, {}))
            total += sum(sizes.get((table, column), 0) for column in columns)
        return total


def open_warehouse(path: Path) -> duckdb.DuckDBPyConnection:
    """Open the warehouse read-only; raise DataError saying how to build it if it is missing."""
    if not path.is_file():
        raise DataError(
            f"The local warehouse {path} does not exist. Run 'nbplatform data init' "
            "(with the same NBPLATFORM_DATA_DIR) to build it.",
            reason="warehouse-missing",
        )
    try:
        return connect_warehouse(path)
    except duckdb.Error as exc:
        raise DataError(
            f"Cannot open the local warehouse {path}: {exc}. Rebuild it with 'nbplatform data init --force'.",
            reason="warehouse-unreadable",
        ) from exc


def run_interruptibly(cursor: duckdb.DuckDBPyConnection, work: Callable[[], T]) -> T:
    """Return ``work()``, run in a helper thread so that an interrupt can stop the query.

    DuckDB does not see SIGINT while it executes, so Ctrl-C and Jupyter's
    "Interrupt kernel" would wait for a long query to finish. Here the
    KeyboardInterrupt arrives in the waiting thread, which interrupts the
    cursor and re-raises.
    """
    outcome: dict[str, Any] = {}
    finished = threading.Event()

    def target() -> None:
        try:
            outcome["value"] = work()
        except BaseException as exc:  # handed to the waiting thread
            outcome["error"] = exc
        finally:
            finished.set()

    threading.Thread(target=target, name="nbplatform-duckdb-query", daemon=True).start()
    try:
        while not finished.wait(0.1):
            pass
    except KeyboardInterrupt:
        cursor.interrupt()
        finished.wait(_INTERRUPT_GRACE_SECONDS)
        raise
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


#: How long an interrupted query gets to stop before the KeyboardInterrupt
#: propagates anyway; the helper thread is a daemon and ends with DuckDB.
_INTERRUPT_GRACE_SECONDS = 10.0


def _duckdb_params(params: Params) -> Any:
    if params is None:
        return None
    if isinstance(params, Mapping):
        return {name: _plain_value(value) for name, value in params.items()}
    return [_plain_value(value) for value in params]


def _plain_value(value: Any) -> Any:
    """Unwrap google-cloud-bigquery query parameter objects, which DuckDB cannot bind."""
    # A caller holding such an object has imported the client already, so this costs no import.
    client = sys.modules.get("google.cloud.bigquery")
    if client is None:
        return value
    if isinstance(value, client.ScalarQueryParameter):
        return value.value
    if isinstance(value, client.ArrayQueryParameter):
        return list(value.values)
    return value


def _rejected(duckdb_sql: str, exc: duckdb.Error) -> QueryTranslationError:
    first_line = str(exc).strip().splitlines()[0]
    return QueryTranslationError(
        f"The local DuckDB warehouse cannot run this query: {first_line}. Translated SQL: {duckdb_sql}. "
        "If the query is valid on BigQuery, it uses a feature the local warehouse does not have.",
    )
