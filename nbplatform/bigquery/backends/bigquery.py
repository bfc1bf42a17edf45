"""The GKE back end: Google BigQuery through ``google-cloud-bigquery`` and dask-bigquery."""

from __future__ import annotations

import datetime
import decimal
import logging
import os
from typing import TYPE_CHECKING, Any, Callable, Mapping

from ...config import Settings
from ...errors import ConfigError, DataError
from . import DryRun, Params

if TYPE_CHECKING:
    import dask.dataframe as dd
    import pandas as pd
    from google.cloud import bigquery

log = logging.getLogger(__name__)

#: Python type -> BigQuery parameter type. Order matters: bool before int,
#: datetime before date, because each is a subclass of the next.
_PARAMETER_TYPES: tuple[tuple[type, str], ...] = (
    (bool, "BOOL"),
    (int, "INT64"),
    (float, "FLOAT64"),
    (decimal.Decimal, "NUMERIC"),
    (str, "STRING"),
    (bytes, "BYTES"),
    (datetime.datetime, "DATETIME"),
    (datetime.date, "DATE"),
    (datetime.time, "TIME"),
)


class BigQueryBackend:
    """Runs queries as BigQuery jobs in ``project`` and reads tables with the Storage Read API."""

    name = "bigquery"

    def __init__(
        self,
        client: "bigquery.Client",
        *,
        location: str | None = None,
        use_storage_api: bool = True,
        table_reader: Callable[..., "dd.DataFrame"] | None = None,
    ) -> None:
        self.client = client
        self.project = client.project
        self.location = location
        #: Download query results over the Storage Read API (faster for large results).
        self.use_storage_api = use_storage_api
        self._table_reader = table_reader

    @classmethod
    def from_settings(cls, settings: Settings, environ: Mapping[str, str] | None = None) -> "BigQueryBackend":
        """Create a client for ``NBPLATFORM_BIGQUERY_PROJECT`` (or ``GOOGLE_CLOUD_PROJECT``).

        The client uses Application Default Credentials: on GKE, the Workload
        Identity of the notebook's service account.
        """
        from google.cloud import bigquery

        env = os.environ if environ is None else environ
        project = env.get("NBPLATFORM_BIGQUERY_PROJECT") or env.get("GOOGLE_CLOUD_PROJECT")
        if not project:
            raise ConfigError(
                "No BigQuery project is set. Set NBPLATFORM_BIGQUERY_PROJECT (or GOOGLE_CLOUD_PROJECT) to the "
                "project that runs and pays for query jobs.",
                reason="missing-bigquery-project",
            )
        location = env.get("NBPLATFORM_BIGQUERY_LOCATION") or None
        return cls(bigquery.Client(project=project, location=location), location=location)

    # Queries ------------------------------------------------------------

    def dry_run(self, sql: str, params: Params) -> DryRun:
        from google.cloud import bigquery

        config = bigquery.QueryJobConfig(
            dry_run=True, use_query_cache=False, query_parameters=query_parameters(params)
        )
        job = self._submit(sql, config)
        return DryRun(estimated_bytes=int(job.total_bytes_processed or 0), sql=sql)

    def run_query(
        self, sql: str, params: Params, *, maximum_bytes_billed: int, labels: Mapping[str, str]
    ) -> "pd.DataFrame":
        from google.cloud import bigquery

        config = bigquery.QueryJobConfig(
            maximum_bytes_billed=maximum_bytes_billed,
            labels=dict(labels),
            query_parameters=query_parameters(params),
        )
        job = self._submit(sql, config)
        log.info("BigQuery job %s started for labels %s", job.job_id, dict(labels))
        try:
            rows = job.result()
        except Exception as exc:  # google.api_core raises many types; all mean the job failed
            error = _job_failed(job.job_id, exc)
            log.warning("BigQuery job %s for labels %s failed: %s", job.job_id, dict(labels), error.reason)
            raise error from exc
        log.info("BigQuery job %s for labels %s done: %s bytes billed", job.job_id, dict(labels), job.total_bytes_billed)
        return rows.to_arrow(create_bqstorage_client=self.use_storage_api).to_pandas()

    def estimate_table_bytes(self, table: str, columns: list[str] | None, row_filter: str | None = None) -> int:
        """Estimate a table read with a dry run of the equivalent SELECT.

        NOTE: the Storage Read API bills bytes actually read, which the dry
        run of the SELECT approximates (it also honours partition pruning by
        ``row_filter``).
        """
        project, dataset, name = self.split_table(table)
        column_list = ", ".join(f"`{c}`" for c in columns) if columns else "*"
        sql = f"SELECT {column_list} FROM `{project}.{dataset}.{name}`"
        if row_filter:
            sql += f" WHERE {row_filter}"
        return self.dry_run(sql, None).estimated_bytes

    def read_table(
        self, table: str, columns: list[str] | None, row_filter: str | None, *, partitions: int | None
    ) -> "dd.DataFrame":
        reader = self._table_reader
        if reader is None:
            from dask_bigquery import read_gbq

            reader = read_gbq
        project, dataset, name = self.split_table(table)
        return reader(
            project_id=project,
            dataset_id=dataset,
            table_id=name,
            row_filter=row_filter or "",
            columns=columns,
            max_stream_count=partitions or 0,
        )

    def split_table(self, table: str) -> tuple[str, str, str]:
        """Split ``project.dataset.table`` or ``dataset.table`` (in this back end's project)."""
        parts = table.strip().strip("`").split(".")
        if len(parts) == 2 and all(parts):
            return (self.project, parts[0], parts[1])
        if len(parts) == 3 and all(parts):
            return (parts[0], parts[1], parts[2])
        raise DataError(
            f"Invalid table name {table!r}: use dataset.table or project.dataset.table.",
            reason="invalid-table-name",
        )

    def _submit(self, sql: str, config: "bigquery.QueryJobConfig"):
        try:
            return self.client.query(sql, job_config=config, location=self.location)
        except Exception as exc:  # BadRequest, Forbidden, NotFound... all end the request
            raise _job_failed(None, exc) from exc


def query_parameters(params: Params) -> list[Any]:
    """Convert a mapping (``@name``) or a sequence (``?``) of Python values to BigQuery parameters.

    Values that already are ``google.cloud.bigquery`` parameters pass through,
    which is how to send a NULL or an empty array with a given type.
    """
    if params is None:
        return []
    if isinstance(params, Mapping):
        return [_parameter(str(name), value) for name, value in params.items()]
    return [_parameter(None, value) for value in params]


def _parameter(name: str | None, value: Any):
    from google.cloud import bigquery

    if isinstance(value, (bigquery.ScalarQueryParameter, bigquery.ArrayQueryParameter, bigquery.StructQueryParameter)):
        return value
    if isinstance(value, (list, tuple)):
        if not value:
            raise DataError(
                f"Query parameter {name or '?'} is an empty list, whose element type is unknown. Pass "
                "bigquery.ArrayQueryParameter(name, 'STRING', []) with the type instead.",
                reason="invalid-parameter",
            )
        return bigquery.ArrayQueryParameter(name, parameter_type(name, value[0]), list(value))
    return bigquery.ScalarQueryParameter(name, parameter_type(name, value), value)


def parameter_type(name: str | None, value: Any) -> str:
    """Return the BigQuery type of a Python parameter value; a timezone-aware datetime is a TIMESTAMP."""
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        return "TIMESTAMP"
    for python_type, bigquery_type in _PARAMETER_TYPES:
        if isinstance(value, python_type):
            return bigquery_type
    raise DataError(
        f"Query parameter {name or '?'} has unsupported type {type(value).__name__}. Use a str, int, "
        "float, bool, Decimal, bytes, date, time, datetime, a list of one of those, or a "
        "bigquery.ScalarQueryParameter.",
        reason="invalid-parameter",
    )


def _job_failed(job_id: str | None, exc: Exception) -> DataError:
    subject = f"BigQuery job {job_id}" if job_id else "The BigQuery request"
    detail = getattr(exc, "message", None) or str(exc)
    if "bytes billed" in detail.lower() or "bytesbilledlimitexceeded" in detail.lower():
        return DataError(
            f"{subject} was stopped by maximum_bytes_billed: {detail}",
            reason="query-too-expensive",
        )
    return DataError(f"{subject} failed: {detail}", reason="query-failed")
