"""Arrow results of the local warehouse as pandas frames typed like google-cloud-bigquery's to_dataframe().

google-cloud-bigquery (3.x) ``RowIterator.to_dataframe()`` returns INT64 as
pandas ``Int64``, BOOL as ``boolean``, DATE as db-dtypes ``dbdate``, TIME as
``dbtime``, FLOAT64 as ``float64``, NUMERIC as ``decimal.Decimal`` objects and
TIMESTAMP as UTC-aware ``datetime64``. STRING gets pandas' default string
dtype (``object`` before pandas 3). The same types come back here whether or
not a column contains NULLs, so a frame's dtypes do not depend on its rows.
"""

from __future__ import annotations

from typing import Callable

import db_dtypes
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..errors import DataError

#: DuckDB returns HUGEINT (SUM and COUNT_IF of integers) as this Arrow type.
#: BigQuery's NUMERIC(P, 0) stops at 29 digits, so only a HUGEINT has it.
_HUGEINT = pa.decimal128(38, 0)


def arrow_to_pandas(table: pa.Table, *, arrow_strings: bool = False) -> pd.DataFrame:
    """Convert a warehouse result to pandas with BigQuery's client types.

    ``arrow_strings`` keeps strings Arrow-backed (``string[pyarrow]``), as
    dask.dataframe.read_parquet returns them. Raises DataError when an
    integer result does not fit INT64, as BigQuery raises on overflow.
    """
    table = _hugeint_to_int64(table)
    return table.to_pandas(types_mapper=_types_mapper(arrow_strings))


def _hugeint_to_int64(table: pa.Table) -> pa.Table:
    for index, field in enumerate(table.schema):
        if field.type != _HUGEINT:
            continue
        try:
            column = pc.cast(table.column(index), pa.int64(), safe=True)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
            raise DataError(
                f"Integer overflow: column {field.name!r} has a value outside INT64, which BigQuery "
                "rejects too. Cast the values to FLOAT64 or NUMERIC before adding them up.",
                reason="query-failed",
            ) from exc
        table = table.set_column(index, pa.field(field.name, pa.int64(), field.nullable), column)
    return table


def _types_mapper(arrow_strings: bool) -> Callable[[pa.DataType], object]:
    def pandas_type(arrow_type: pa.DataType) -> object:
        if pa.types.is_integer(arrow_type):
            return pd.Int64Dtype()
        if pa.types.is_boolean(arrow_type):
            return pd.BooleanDtype()
        if pa.types.is_date(arrow_type):
            return db_dtypes.DateDtype()
        if pa.types.is_time(arrow_type):
            return db_dtypes.TimeDtype()
        if arrow_strings and (pa.types.is_string(arrow_type) or pa.types.is_large_string(arrow_type)):
            return pd.StringDtype("pyarrow")
        # None keeps pyarrow's default: float64, datetime64, pandas' default
        # string dtype, Decimal objects and lists.
        return None

    return pandas_type
