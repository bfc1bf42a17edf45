"""Queries and tables from BigQuery on GKE, or from the local DuckDB warehouse.

Notebooks call :func:`query` and :func:`read_table`; the platform mode picks
the back end. Every query is dry-run first and rejected if its estimate
exceeds the profile's ``bigquery.maximum_bytes_billed``.
"""

from .api import get_backend, query, read_table
from .cost import QueryTooExpensiveError
from .translate import QueryTranslationError

__all__ = ["QueryTooExpensiveError", "QueryTranslationError", "get_backend", "query", "read_table"]
