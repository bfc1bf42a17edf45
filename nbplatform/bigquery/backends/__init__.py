"""Data back ends by name: ``duckdb`` (the local warehouse) and ``bigquery``.

Local and GKE differ only in which back end :func:`get_backend` hands out.
The mode picks the default; ``NBPLATFORM_DATA_BACKEND`` overrides it.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Mapping, Protocol

from ...config import Settings
from ...errors import ConfigError

if TYPE_CHECKING:
    import dask.dataframe as dd
    import pandas as pd

#: Query parameters: a mapping for named ``@name`` parameters or a sequence for ``?``.
Params = Mapping[str, Any] | list[Any] | tuple[Any, ...] | None


@dataclass(frozen=True)
class DryRun:
    """Result of validating a query without running it."""

    estimated_bytes: int
    #: The SQL the back end will run (translated for DuckDB, unchanged for BigQuery).
    sql: str


class DataBackend(Protocol):
    name: str

    def dry_run(self, sql: str, params: Params) -> DryRun: ...

    def run_query(
        self, sql: str, params: Params, *, maximum_bytes_billed: int, labels: Mapping[str, str]
    ) -> "pd.DataFrame": ...

    def estimate_table_bytes(self, table: str, columns: list[str] | None, row_filter: str | None) -> int: ...

    def read_table(
        self, table: str, columns: list[str] | None, row_filter: str | None, *, partitions: int | None
    ) -> "dd.DataFrame": ...


#: Back end name -> "module:factory"; the factory takes Settings. Imported on
#: first use so the Google client libraries load only where they are used.
_REGISTRY: dict[str, str | Callable[[Settings], DataBackend]] = {
    "duckdb": "nbplatform.bigquery.backends.duckdb:DuckDBBackend.from_settings",
    "bigquery": "nbplatform.bigquery.backends.bigquery:BigQueryBackend.from_settings",
}

#: Back end used in each platform mode unless ``NBPLATFORM_DATA_BACKEND`` is set.
DEFAULT_BY_MODE = {"local": "duckdb", "gke": "bigquery"}


def register_backend(name: str, factory: str | Callable[[Settings], DataBackend]) -> None:
    """Add or replace a back end; ``factory`` is a callable or a ``"module:attribute"`` path."""
    _REGISTRY[name] = factory


def backend_names() -> list[str]:
    return sorted(_REGISTRY)


def backend_name_for(settings: Settings, environ: Mapping[str, str]) -> str:
    """Return the back end name for this environment: ``NBPLATFORM_DATA_BACKEND`` or the mode's default."""
    name = environ.get("NBPLATFORM_DATA_BACKEND", "").strip() or DEFAULT_BY_MODE[settings.mode]
    if name not in _REGISTRY:
        raise ConfigError(
            f"NBPLATFORM_DATA_BACKEND={name!r} is not a data back end; use one of {', '.join(backend_names())}.",
            reason="unknown-backend",
        )
    return name


def create_backend(name: str, settings: Settings) -> DataBackend:
    """Instantiate the back end registered as ``name``."""
    try:
        factory = _REGISTRY[name]
    except KeyError:
        raise ConfigError(
            f"Data back end {name!r} is not registered; use one of {', '.join(backend_names())}.",
            reason="unknown-backend",
        ) from None
    if isinstance(factory, str):
        factory = _resolve(factory)
    return factory(settings)


def _resolve(path: str) -> Callable[[Settings], DataBackend]:
    module_name, _, attribute = path.partition(":")
    target: Any = importlib.import_module(module_name)
    for part in attribute.split("."):
        target = getattr(target, part)
    return target
