"""BigQuery SQL to DuckDB SQL, for running notebook queries on the local warehouse.

sqlglot does the dialect translation. This module also drops the project part
of ``project.dataset.table`` names, because the local warehouse has one
project, and rejects statements that are not queries. Any construct sqlglot
cannot express in DuckDB raises :class:`QueryTranslationError`, so a different
query never runs in its place.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlglot
from sqlglot import exp
from sqlglot.errors import ErrorLevel, OptimizeError, ParseError, UnsupportedError
from sqlglot.optimizer.qualify import qualify
from sqlglot.optimizer.scope import Scope, traverse_scope

# QueryTranslationError lives in rewrites, which raises it too; callers import it from here.
from .rewrites import QueryTranslationError, apply_rewrites  # noqa: F401


#: BigQuery-only expressions with no DuckDB equivalent that sqlglot passes through unchanged.
_BIGQUERY_ONLY = {
    exp.Predict: "BigQuery ML functions (ML.*)",
    exp.NetFunc: "NET.* functions",
}


@dataclass(frozen=True)
class TranslatedQuery:
    """A query in DuckDB SQL with the warehouse tables and columns it reads."""

    sql: str
    #: ``(dataset, table)`` -> column names read; None means all columns.
    columns_read: dict[tuple[str, str], set[str] | None] = field(default_factory=dict)


def translate(sql: str, schema: dict[str, dict[str, dict[str, str]]] | None = None) -> TranslatedQuery:
    """Translate one BigQuery Standard SQL query to DuckDB SQL.

    ``schema`` maps dataset -> table -> column -> type; with it, the result
    lists the columns each table contributes (for the cost estimate). Raises
    QueryTranslationError for invalid SQL, for more than one statement, for
    statements other than SELECT, and for constructs DuckDB cannot run.
    """
    try:
        statements = [s for s in sqlglot.parse(sql, read="bigquery") if s is not None]
    except ParseError as exc:
        raise QueryTranslationError(f"Invalid BigQuery SQL: {_first_line(exc)}") from exc
    if len(statements) != 1:
        raise QueryTranslationError(
            f"Expected exactly one SQL statement, got {len(statements)}. Run the statements one at a time.",
        )
    tree = statements[0]
    _check_query_only(tree, sql)
    reject_bigquery_only(tree)
    if schema is not None:
        resolve_tables(tree, schema)
    _drop_project(tree)
    # The estimate reads the tree as written, before rewrites add DuckDB-only functions.
    columns_read = _columns_read(tree, schema or {})
    _name_result_columns(tree)
    tree = apply_rewrites(tree)
    try:
        duckdb_sql = tree.sql(dialect="duckdb", unsupported_level=ErrorLevel.RAISE)
    except UnsupportedError as exc:
        raise QueryTranslationError(
            f"The query cannot be translated to DuckDB: {_first_line(exc)}. Rewrite it without that "
            "construct or run it on BigQuery.",
        ) from exc
    return TranslatedQuery(sql=duckdb_sql, columns_read=columns_read)


def reject_bigquery_only(tree: exp.Expression) -> None:
    """Raise QueryTranslationError if ``tree`` uses a BigQuery feature the local warehouse lacks."""
    for kind, label in _BIGQUERY_ONLY.items():
        if tree.find(kind) is not None:
            raise QueryTranslationError(
                f"{label} have no equivalent in the local DuckDB warehouse; run this query on BigQuery.",
            )


def resolve_tables(tree: exp.Expression, schema: dict[str, dict[str, dict[str, str]]]) -> None:
    """Check that every table ``tree`` reads is a warehouse table, and qualify bare names with their dataset.

    Names are case-sensitive, as BigQuery's dataset and table names are. A
    name the warehouse does not contain, or a DuckDB table function such as
    read_text(), raises QueryTranslationError. DuckDB would otherwise find
    ``FLIGHTS`` or its own catalog tables, which BigQuery does not have and
    the cost estimate does not count.
    """
    available = ", ".join(f"{dataset}.{table}" for dataset, tables in schema.items() for table in tables)
    for table in tree.find_all(exp.Table):
        if not isinstance(table.this, exp.Identifier):
            raise QueryTranslationError(
                f"{table.this.sql(dialect='bigquery')} is not a table of the local warehouse; "
                f"query its tables ({available}).",
            )
        if is_cte_reference(table):
            continue
        dataset = table.db
        if not dataset:
            datasets = [d for d, names in schema.items() if table.name in names]
            dataset = datasets[0] if len(datasets) == 1 else ""
        if table.name not in schema.get(dataset, {}):
            name = ".".join(part for part in (table.catalog, table.db, table.name) if part)
            raise QueryTranslationError(
                f"Table {name} is not in the local warehouse; it has {available}. "
                "Names are case-sensitive, as on BigQuery.",
            )
        table.set("db", exp.to_identifier(dataset))


def check_row_filter(condition: exp.Expression, row_filter: str) -> None:
    """Raise QueryTranslationError unless ``condition`` is a plain row condition.

    Like a BigQuery Storage Read API row restriction, a row filter reads only
    its own row: no subqueries, aggregates, window functions or query
    parameters.
    """
    reject_bigquery_only(condition)
    forbidden = {
        exp.Subquery: "subqueries",
        exp.Select: "subqueries",
        exp.AggFunc: "aggregate functions",
        exp.Window: "window functions",
        exp.Parameter: "query parameters",
        exp.Placeholder: "query parameters",
    }
    for kind, label in forbidden.items():
        if condition.find(kind) is not None:
            raise QueryTranslationError(
                f"row_filter {row_filter!r} uses {label}; a row filter is a condition on one row's "
                "columns and literals. Use query() for anything more.",
            )


def table_references(sql: str) -> list[tuple[str | None, str | None, str]]:
    """Return the ``(project, dataset, table)`` names a BigQuery query reads, CTE names excluded."""
    tree = sqlglot.parse_one(sql, read="bigquery")
    return [(t.catalog or None, t.db or None, t.name) for t in tree.find_all(exp.Table) if not is_cte_reference(t)]


def is_cte_reference(table: exp.Table) -> bool:
    """Return True if ``table`` names a CTE visible at its position, not a warehouse table.

    A CTE is visible in the query whose WITH defines it (subqueries
    included) and, inside that WITH, to the CTEs after it (and to itself in
    WITH RECURSIVE). A CTE of the same name elsewhere in the query does not
    hide a table.
    """
    if table.db:
        return False
    node: exp.Expression = table
    while node.parent is not None:
        parent = node.parent
        if isinstance(parent, exp.With):
            visible = []
            for cte in parent.expressions:
                if cte is node and not parent.args.get("recursive"):
                    break
                visible.append(cte.alias_or_name)
                if cte is node:
                    break
            if table.name in visible:
                return True
        else:
            with_ = parent.args.get("with_") or parent.args.get("with")
            if isinstance(with_, exp.With) and with_ is not node:
                if any(cte.alias_or_name == table.name for cte in with_.expressions):
                    return True
        node = parent
    return False


#: Statements that change data or schema, rejected wherever they appear (a
#: data-modifying CTE inside a SELECT included).
_WRITES = (exp.Insert, exp.Update, exp.Delete, exp.Merge, exp.Create, exp.Drop, exp.Alter, exp.Command)


def _check_query_only(tree: exp.Expression, sql: str) -> None:
    words = sql.strip().split(None, 1)
    first_word = words[0].upper() if words else ""
    if not isinstance(tree, exp.Query):
        raise QueryTranslationError(
            f"Only queries (SELECT) run on the local warehouse, not {first_word} statements.",
        )
    written = tree.find(*_WRITES)
    if written is not None:
        raise QueryTranslationError(
            f"The query contains a {written.key.upper()} statement; only queries (SELECT) run on the "
            "local warehouse.",
        )
    if any(select.args.get("into") is not None for select in tree.find_all(exp.Select)):
        raise QueryTranslationError(
            "SELECT ... INTO creates a table; only queries run on the local warehouse. "
            "Keep the result in a DataFrame instead.",
        )


def _name_result_columns(tree: exp.Expression) -> None:
    """Name the result columns as BigQuery does: ``f0_``, ``f1_``... for unnamed expressions.

    DuckDB would name them after their SQL (``count_star()``). Plain columns
    are aliased to their own names, so a rewrite that wraps one keeps its name.
    """
    select = tree
    while isinstance(select, exp.SetOperation):
        select = select.this
    if not isinstance(select, exp.Select):
        return
    unnamed = 0
    for item in list(select.expressions):
        if isinstance(item, (exp.Alias, exp.Star)) or (isinstance(item, exp.Column) and isinstance(item.this, exp.Star)):
            continue
        if isinstance(item, exp.Column):
            item.replace(exp.alias_(item.copy(), item.name, quoted=True))
            continue
        if isinstance(item, exp.Dot):
            continue
        item.replace(exp.alias_(item.copy(), f"f{unnamed}_", quoted=True))
        unnamed += 1


def _drop_project(tree: exp.Expression) -> None:
    """Rewrite ``project.dataset.table`` to ``dataset.table``: the warehouse stands for one project."""
    for table in tree.find_all(exp.Table):
        if table.args.get("catalog") is not None and table.args.get("db") is not None:
            table.set("catalog", None)


def _columns_read(
    tree: exp.Expression, schema: dict[str, dict[str, dict[str, str]]]
) -> dict[tuple[str, str], set[str] | None]:
    """Map each warehouse table in the query to the columns it reads.

    Falls back to all columns (None) for every table when sqlglot cannot
    resolve the columns, so the estimate errs on the high side.
    """
    # resolve_tables() has already qualified bare names with their dataset.
    tree = tree.copy()
    tables = {
        (table.db, table.name)
        for table in tree.find_all(exp.Table)
        if not is_cte_reference(table) and table.name in schema.get(table.db, {})
    }
    if not tables:
        return {}
    try:
        qualified = qualify(tree, schema=schema, dialect="duckdb", validate_qualify_columns=True)
    except (OptimizeError, ValueError, KeyError):
        return {table: None for table in tables}
    columns: dict[tuple[str, str], set[str] | None] = {table: set() for table in tables}
    for scope in traverse_scope(qualified):
        for column in scope.columns:
            source = scope.sources.get(column.table)
            if isinstance(source, exp.Table):
                read = columns.get((source.db, source.name))
                if read is not None:
                    read.add(column.name)
        for source in _sources_read_whole(scope):
            columns[(source.db, source.name)] = None
    # A table none of whose columns appear (SELECT COUNT(*) FROM t) keeps an
    # empty set: BigQuery bills no column data for it either.
    return columns


def _sources_read_whole(scope: Scope) -> list[exp.Table]:
    """Return the warehouse tables of ``scope`` that it reads as whole rows.

    sqlglot leaves these out of ``scope.columns``: a table alias used as a
    value (``SELECT f``, ``TO_JSON_STRING(f)``, ``f IS NOT NULL``), and a
    ``*`` it could not expand (next to an UNNEST). BigQuery bills every
    column for both.
    """
    tables = {name: source for name, source in scope.sources.items() if isinstance(source, exp.Table)}
    whole = {
        column.name
        for column in scope.expression.find_all(exp.Column, exp.TableColumn)
        if not (isinstance(column, exp.Column) and column.table) and column.name in tables
    }
    if isinstance(scope.expression, exp.Select) and any(
        isinstance(item, exp.Star) or (isinstance(item, exp.Column) and isinstance(item.this, exp.Star))
        for item in scope.expression.expressions
    ):
        whole.update(tables)
    return [tables[name] for name in whole]


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
