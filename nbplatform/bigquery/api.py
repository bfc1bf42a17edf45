"""``query()`` and ``read_table()``: the calls notebooks make, the same locally and on GKE."""

from __future__ import annotations

import logging
import os
import threading
from typing import TYPE_CHECKING, Mapping

from ..config import Settings
from ..errors import DataError
from .backends import DataBackend, Params, backend_name_for, create_backend
from .context import QueryContext, context_from_env
from .cost import QueryTooExpensiveError, check_estimate, effective_limit, format_bytes, limit_source

if TYPE_CHECKING:
    import dask.dataframe as dd
    import pandas as pd

log = logging.getLogger(__name__)

_backends: dict[tuple[str, str], DataBackend] = {}
_backends_lock = threading.Lock()


def get_backend(name: str | None = None, environ: Mapping[str, str] | None = None) -> DataBackend:
    """Return the data back end for this environment, created once per process and settings."""
    env = os.environ if environ is None else environ
    settings = Settings.from_env(env)
    name = name or backend_name_for(settings, env)
    key = (name, settings.model_dump_json())
    with _backends_lock:
        if key not in _backends:
            _backends[key] = create_backend(name, settings)
        return _backends[key]


def query(
    sql: str,
    params: Params = None,
    *,
    maximum_bytes_billed: int | None = None,
    backend: DataBackend | None = None,
    context: QueryContext | None = None,
) -> "pd.DataFrame":
    """Run a BigQuery Standard SQL query and return its result as a pandas DataFrame.

    ``params`` fills ``@name`` parameters from a mapping or ``?`` parameters
    from a list. A dry run comes first. If its estimate exceeds the byte
    limit (the profile's ``bigquery.maximum_bytes_billed``, or the lower
    ``maximum_bytes_billed`` passed here), QueryTooExpensiveError is raised
    before the query runs. On BigQuery the limit is also set
    on the job, and the job carries user, notebook and profile labels.
    """
    backend = backend or get_backend()
    context = context or context_from_env()
    limit = effective_limit(context.profile_limit, maximum_bytes_billed)
    estimate = backend.dry_run(sql, params)
    _check_cost_and_log("Query", context, backend.name, estimate.estimated_bytes, limit, maximum_bytes_billed)
    return backend.run_query(sql, params, maximum_bytes_billed=limit, labels=context.labels())


def read_table(
    table: str,
    columns: list[str] | None = None,
    row_filter: str | None = None,
    *,
    partitions: int | None = None,
    maximum_bytes_billed: int | None = None,
    backend: DataBackend | None = None,
    context: QueryContext | None = None,
) -> "dd.DataFrame":
    """Read a table as a Dask DataFrame, optionally only ``columns`` and rows matching ``row_filter``.

    ``table`` is ``project.dataset.table``, ``dataset.table`` or, locally, a
    bare table name. ``row_filter`` is a BigQuery SQL condition such as
    ``"origin = 'JFK'"``. ``partitions`` caps the number of partitions (on
    BigQuery, read streams); by default the local back end sizes them by the
    bytes of ``columns``, so name the columns you need. The bytes of the
    selected columns are checked against the same limit as queries before
    anything is read.
    """
    backend = backend or get_backend()
    context = context or context_from_env()
    limit = effective_limit(context.profile_limit, maximum_bytes_billed)
    if isinstance(columns, str):
        raise DataError(
            f"columns={columns!r} is a string; pass a list of column names, such as [{columns!r}].",
            reason="invalid-columns",
        )
    if partitions is not None and partitions < 1:
        raise DataError(f"partitions={partitions} is invalid: use a positive number.", reason="invalid-partitions")
    estimated = backend.estimate_table_bytes(table, columns, row_filter)
    _check_cost_and_log(f"Read of {table}", context, backend.name, estimated, limit, maximum_bytes_billed)
    return backend.read_table(table, columns, row_filter, partitions=partitions)


def _check_cost_and_log(
    subject: str, context: QueryContext, backend: str, estimated: int, limit: int, argument_limit: int | None
) -> None:
    """Apply the cost guard and log its decision, one line per query or read, with the user and profile."""
    source = limit_source(context.profile_slug, argument_limit)
    try:
        check_estimate(estimated, limit, source=source)
    except QueryTooExpensiveError:
        # A query over the limit is the user's to fix, so this is a warning. The notebook gets the error.
        log.warning(
            "%s for user %s with profile %s on %s rejected: estimated %s, above the limit of %s from %s",
            subject, context.user, context.profile_slug or "(none)", backend, format_bytes(estimated),
            format_bytes(limit), source,
        )
        raise
    log.info(
        "%s for user %s with profile %s on %s allowed: estimated %s, limit %s",
        subject, context.user, context.profile_slug or "(none)", backend, format_bytes(estimated), format_bytes(limit),
    )
