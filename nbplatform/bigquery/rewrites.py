"""sqlglot rewrites that give DuckDB BigQuery's semantics where sqlglot's dialect translation does not.

``apply_rewrites`` runs on a tree parsed with the BigQuery dialect, before it
is generated as DuckDB SQL. Each rewrite replaces a construct whose plain
translation would run on DuckDB but return a different result than BigQuery.
A construct that no rewrite can express raises QueryTranslationError, so a
different result never comes back in its place.

The semantics come from the GoogleSQL for BigQuery reference (date, timestamp,
string, aggregate and conversion functions) and the DuckDB 2.0 functions
named below.
"""

from __future__ import annotations

import re
from fractions import Fraction

from sqlglot import exp
from sqlglot.optimizer.annotate_types import annotate_types

from ..errors import DataError


class QueryTranslationError(DataError):
    """A BigQuery query uses something the local DuckDB warehouse cannot run."""

    reason = "untranslatable-query"


#: Microseconds in each part that TIMESTAMP_DIFF accepts.
_TIMESTAMP_DIFF_MICROS = {
    "MICROSECOND": 1,
    "MILLISECOND": 1_000,
    "SECOND": 1_000_000,
    "MINUTE": 60_000_000,
    "HOUR": 3_600_000_000,
    "DAY": 86_400_000_000,
}

#: DuckDB's dayofweek() number of each BigQuery WEEK(<WEEKDAY>) start day.
_WEEKDAYS = {
    "SUNDAY": 0,
    "MONDAY": 1,
    "TUESDAY": 2,
    "WEDNESDAY": 3,
    "THURSDAY": 4,
    "FRIDAY": 5,
    "SATURDAY": 6,
}

#: One FORMAT() specifier: flags, width, precision and conversion.
_FORMAT_SPECIFIER = re.compile(r"%([-+ #0']*)(\*|\d*)(?:\.(\d+))?(.)", re.DOTALL)

#: FORMAT() conversions DuckDB's printf() writes the way BigQuery does.
_FORMAT_NUMBER_CONVERSIONS = {"d": "d", "i": "d", "o": "o", "x": "x", "X": "X"}
_FORMAT_FLOAT_CONVERSIONS = {"f": "f", "F": "F", "e": "e", "E": "E", "g": "g", "G": "G"}

#: BigQuery functions that return DATE for a DATE argument; their DuckDB
#: translations (date_trunc, DATE + INTERVAL, ...) can return TIMESTAMP.
_DATE_FUNCTIONS = tuple(
    getattr(exp, name)
    for name in ("DateTrunc", "DateAdd", "DateSub", "LastDay", "DateFromUnixDate", "TimestampTrunc")
    if hasattr(exp, name)
)

_FLOAT_TYPES = {exp.DataType.Type.DOUBLE, exp.DataType.Type.FLOAT}


def apply_rewrites(tree: exp.Expression) -> exp.Expression:
    """Rewrite a BigQuery tree so its DuckDB translation returns what BigQuery returns.

    Returns the new root (the root itself may be replaced, as for a row filter
    that is a single LIKE). Raises QueryTranslationError for constructs with
    no faithful DuckDB form.
    """
    _reject_bignumeric(tree)
    _zero_based_offsets(tree)
    _format_in_zone(tree)
    tree = tree.transform(_rewrite_node, copy=False)
    tree = _reject_null_array_elements(tree)
    annotate_types(tree, dialect="bigquery")
    _extract_in_utc(tree)
    _round_numeric_division(tree)
    _keep_dates(tree)
    return _rewrite_casts_to_string(tree)


def _extract_in_utc(tree: exp.Expression) -> None:
    """Extract parts of a TIMESTAMP from its UTC wall-clock time, as BigQuery does without AT TIME ZONE.

    Warehouse connections run in UTC, so casting DuckDB's TIMESTAMPTZ to a
    plain TIMESTAMP gives that wall-clock time. Without the cast, sqlglot
    refuses EXTRACT from TIMESTAMPTZ, since it cannot know the session's zone.
    """
    for node in list(tree.find_all(exp.Extract)):
        value = node.expression
        if isinstance(value, exp.Expression) and value.is_type(exp.DType.TIMESTAMPTZ, exp.DType.TIMESTAMPLTZ):
            node.set("expression", exp.cast(value.copy(), exp.DataType.build("TIMESTAMP")))


def _format_in_zone(tree: exp.Expression) -> None:
    """FORMAT_TIMESTAMP(format, ts, zone): format the wall-clock time in ``zone``, which sqlglot drops."""
    for node in list(tree.find_all(exp.TimeToStr)):
        zone = node.args.get("zone")
        if zone is None:
            continue
        value = node.this.this if isinstance(node.this, exp.TsOrDsToTimestamp) else node.this
        node.set("this", exp.AtTimeZone(this=exp.cast(value.copy(), exp.DataType.build("TIMESTAMPTZ")), zone=zone.copy()))
        node.set("zone", None)


def _rewrite_node(node: exp.Expression) -> exp.Expression:
    if isinstance(node, exp.Literal) and not node.is_string:
        return _float_literal(node)
    if isinstance(node, exp.DataType):
        return _numeric_type(node)
    if isinstance(node, exp.Extract):
        return _extract(node)
    if type(node) is exp.TimestampDiff:
        return _timestamp_diff(node)
    if isinstance(node, exp.Format):
        return _format(node)
    if isinstance(node, exp.Like) and not isinstance(node.parent, exp.Escape):
        # BigQuery patterns escape % and _ with a backslash; DuckDB has no
        # escape character unless ESCAPE names one.
        return exp.Escape(this=node, expression=exp.Literal.string("\\"))
    if isinstance(node, exp.Div) and not node.args.get("safe"):
        return _checked_division(node)
    if isinstance(node, exp.CountIf):
        return _count_if(node)
    if isinstance(node, exp.ApproxQuantiles):
        return _approx_quantiles(node)
    if isinstance(node, exp.IgnoreNulls) and isinstance(node.this, exp.ApproxQuantiles):
        # IGNORE NULLS is APPROX_QUANTILES' default, and quantile_disc() ignores NULLs.
        return _approx_quantiles(node.this)
    if isinstance(node, exp.RespectNulls) and isinstance(node.this, exp.ApproxQuantiles):
        raise QueryTranslationError(
            "APPROX_QUANTILES(... RESPECT NULLS) has no equivalent in the local DuckDB warehouse; "
            "drop RESPECT NULLS or run this query on BigQuery.",
        )
    return node


def _zero_based_offsets(tree: exp.Expression) -> None:
    """Number ``UNNEST(...) WITH OFFSET`` from 0 as BigQuery does.

    sqlglot translates WITH OFFSET to DuckDB's WITH ORDINALITY, which counts
    from 1, so the UNNEST moves into a subquery that subtracts 1.
    """
    for number, unnest in enumerate(list(tree.find_all(exp.Unnest))):
        offset = unnest.args.get("offset")
        alias = unnest.args.get("alias")
        if not isinstance(offset, exp.Identifier):
            continue
        if alias is None or len(alias.columns) != 1:
            raise QueryTranslationError(
                "UNNEST(...) WITH OFFSET needs an alias for the element in the local warehouse, as in "
                "UNNEST(array) AS element WITH OFFSET AS position.",
            )
        element = alias.columns[0].name
        ordinal = exp.Sub(this=exp.column(offset.name, quoted=offset.quoted), expression=exp.Literal.number(1))
        select = exp.select(
            exp.column(element, quoted=alias.columns[0].quoted),
            exp.alias_(ordinal, exp.to_identifier(offset.name, quoted=offset.quoted)),
        ).from_(unnest.copy())
        unnest.replace(exp.Subquery(this=select, alias=exp.TableAlias(this=exp.to_identifier(f"_offsets_{number}"))))


# Literals and types -----------------------------------------------------


def _float_literal(node: exp.Literal) -> exp.Expression:
    """Type ``1.5`` and ``1e3`` as FLOAT64, as BigQuery does; DuckDB reads them as DECIMAL."""
    text = node.this
    if "." in text or "e" in text.lower():
        return exp.cast(node, exp.DataType.build("DOUBLE"))
    return node


def _numeric_type(node: exp.DataType) -> exp.Expression:
    """Map BigQuery NUMERIC, which is DECIMAL(38, 9), to the same DuckDB DECIMAL.

    sqlglot parses NUMERIC as a DECIMAL without parameters, which DuckDB reads
    as DECIMAL(18, 3). NUMERIC(P) and NUMERIC(P, S) keep their parameters.
    """
    if node.this == exp.DataType.Type.DECIMAL and not node.expressions:
        return exp.DataType.build("DECIMAL(38, 9)", dialect="duckdb")
    return node


def _reject_bignumeric(tree: exp.Expression) -> None:
    for node in tree.find_all(exp.DataType):
        if node.this == exp.DataType.Type.BIGDECIMAL:
            raise QueryTranslationError(
                "BIGNUMERIC has no equivalent in the local DuckDB warehouse: its DECIMAL stores at most "
                "38 digits, where BIGNUMERIC has 76. Use NUMERIC (38 digits, 9 after the point) or "
                "FLOAT64, or run this query on BigQuery.",
            )


# Dates and timestamps ---------------------------------------------------


def _extract(node: exp.Extract) -> exp.Expression:
    """Map the EXTRACT parts whose DuckDB meaning differs from BigQuery's."""
    part = node.this
    value = node.expression
    if isinstance(part, exp.WeekStart):
        weekday = part.this.name.upper()
        if weekday not in _WEEKDAYS:
            raise QueryTranslationError(
                f"EXTRACT(WEEK({weekday}) ...) names no weekday; use SUNDAY through SATURDAY.",
            )
        return _week_number(value, _WEEKDAYS[weekday])
    name = part.name.upper()
    if name == "DAYOFWEEK":
        # BigQuery counts Sunday as 1 through Saturday as 7; DuckDB's dayofweek() is 0 to 6.
        return exp.paren(exp.Add(this=_call("dayofweek", value), expression=exp.Literal.number(1)))
    if name == "WEEK":
        return _week_number(value, _WEEKDAYS["SUNDAY"])
    if name == "ISOWEEK":
        # DuckDB's week() is the ISO 8601 week number.
        return _call("week", value)
    if name == "ISOYEAR":
        return _call("isoyear", value)
    return node


def _week_number(value: exp.Expression, first_weekday: int) -> exp.Expression:
    """Return BigQuery's WEEK(<first_weekday>) number of ``value``.

    Weeks start on ``first_weekday`` (DuckDB dayofweek() numbering), and the
    days of the year before the first such day are week 0:
    ``(dayofyear - 1 - days_since_week_start + 7) // 7``.
    """
    since_start = exp.Mod(
        this=exp.paren(
            exp.Add(
                this=exp.Sub(this=_call("dayofweek", value.copy()), expression=exp.Literal.number(first_weekday)),
                expression=exp.Literal.number(7),
            )
        ),
        expression=exp.Literal.number(7),
    )
    numerator = exp.Add(
        this=exp.Sub(
            this=exp.Sub(this=_call("dayofyear", value.copy()), expression=exp.Literal.number(1)),
            expression=exp.paren(since_start),
        ),
        expression=exp.Literal.number(7),
    )
    return exp.paren(exp.IntDiv(this=exp.paren(numerator), expression=exp.Literal.number(7)))


def _timestamp_diff(node: exp.TimestampDiff) -> exp.Expression:
    """Count whole ``part`` intervals between two timestamps, truncated toward zero, as BigQuery does.

    DuckDB's date_diff() counts part boundaries crossed instead (02:30 minus
    01:45 is 1 HOUR there, 0 in BigQuery). DATE_DIFF and DATETIME_DIFF count
    boundaries in BigQuery too, so they keep sqlglot's translation.
    """
    # NOTE: BigQuery's reference shows DATETIME_DIFF boundary counts only for
    # DAY and longer parts. Here HOUR and shorter parts count boundaries too,
    # which is not checked against BigQuery.
    unit = node.args.get("unit")
    part = unit.name.upper() if unit is not None else "DAY"
    if part not in _TIMESTAMP_DIFF_MICROS:
        raise QueryTranslationError(
            f"TIMESTAMP_DIFF does not take the part {part}: use MICROSECOND, MILLISECOND, SECOND, MINUTE, "
            "HOUR or DAY, or DATETIME_DIFF/DATE_DIFF for calendar parts.",
        )
    micros = exp.Sub(this=_call("epoch_us", node.this), expression=_call("epoch_us", node.expression))
    # DuckDB's // on integers truncates toward zero, like BigQuery's TIMESTAMP_DIFF.
    return exp.paren(exp.IntDiv(this=exp.paren(micros), expression=exp.Literal.number(_TIMESTAMP_DIFF_MICROS[part])))


# Strings ----------------------------------------------------------------


def _format(node: exp.Format) -> exp.Expression:
    """Translate BigQuery's printf-style FORMAT() to a concatenation of DuckDB printf() pieces.

    Each argument is formatted on its own, so a NULL argument prints as
    ``NULL`` as in BigQuery. Conversions DuckDB cannot reproduce (%t, %T, %p,
    %P, the ' flag, * widths) raise QueryTranslationError.
    """
    template = node.this
    if not (isinstance(template, exp.Literal) and template.is_string):
        raise QueryTranslationError(
            "FORMAT() needs a string literal as its format in the local warehouse; the format "
            f"{template.sql(dialect='bigquery')} is computed at run time.",
        )
    arguments = list(node.expressions)
    pieces: list[exp.Expression] = []
    text = template.this
    position = 0
    used = 0
    for match in _FORMAT_SPECIFIER.finditer(text):
        if match.start() > position:
            pieces.append(exp.Literal.string(text[position : match.start()]))
        position = match.end()
        flags, width, precision, conversion = match.groups()
        if conversion == "%" and not (flags or width or precision):
            pieces.append(exp.Literal.string("%"))
            continue
        known = conversion in _FORMAT_NUMBER_CONVERSIONS or conversion in _FORMAT_FLOAT_CONVERSIONS or conversion == "s"
        if "'" in flags or width == "*" or not known:
            raise QueryTranslationError(
                f"FORMAT() specifier {match.group(0)} has no equivalent in the local DuckDB warehouse; "
                "use %d, %i, %o, %x, %X, %f, %F, %e, %E, %g, %G or %s (with flags - + space # 0, width "
                "and precision), or run this query on BigQuery.",
            )
        if used >= len(arguments):
            raise QueryTranslationError(
                f"FORMAT({template.sql(dialect='bigquery')}, ...) has more specifiers than its "
                f"{len(arguments)} argument(s).",
            )
        argument = arguments[used]
        used += 1
        precision_text = f".{precision}" if precision is not None else ""
        if conversion == "s":
            spec = f"%{flags}{width}{precision_text}s"
            value: exp.Expression = exp.cast(argument, exp.DataType.build("TEXT"))
        elif conversion in _FORMAT_FLOAT_CONVERSIONS:
            spec = f"%{flags}{width}{precision_text}{conversion}"
            value = exp.cast(argument, exp.DataType.build("DOUBLE"))
        else:
            spec = f"%{flags}{width}{precision_text}{_FORMAT_NUMBER_CONVERSIONS[conversion]}"
            value = argument
        piece = _call("printf", exp.Literal.string(spec), value)
        pieces.append(exp.Coalesce(this=piece, expressions=[exp.Literal.string("NULL")]))
    if position < len(text):
        pieces.append(exp.Literal.string(text[position:]))
    if used != len(arguments):
        raise QueryTranslationError(
            f"FORMAT({template.sql(dialect='bigquery')}, ...) has {used} specifier(s) but "
            f"{len(arguments)} argument(s).",
        )
    if not pieces:
        return exp.Literal.string("")
    return _call("concat", *pieces) if len(pieces) > 1 else pieces[0]


def _keep_dates(tree: exp.Expression) -> None:
    """Cast DATE functions back to DATE: DuckDB's date_trunc() and DATE + INTERVAL return TIMESTAMP."""
    # Only arguments sqlglot can type count, so DATE_TRUNC(@day, MONTH)
    # with a date parameter still comes back as a timestamp.
    for function in list(tree.find_all(*_DATE_FUNCTIONS)):
        if isinstance(function.parent, (exp.Cast, exp.TryCast)):
            continue
        if function.type is not None and function.type.this == exp.DataType.Type.DATE:
            function.replace(exp.cast(function.copy(), exp.DataType.build("DATE")))


def _rewrite_casts_to_string(tree: exp.Expression) -> exp.Expression:
    """Format FLOAT64 and NUMERIC values cast to STRING as BigQuery does.

    BigQuery returns ``1`` for the FLOAT64 1.0 where DuckDB writes ``1.0``.
    Writing ``%.15g``, or ``%.17g`` when that does not read back as the same
    number, gives ``1``, ``0.1`` and ``0.30000000000000004`` as BigQuery does.
    BigQuery writes NUMERIC without trailing zeros (``2.5``) where DuckDB
    writes all 9 decimals. Where sqlglot cannot type the value, the choice
    happens in DuckDB on typeof(), which it folds to a constant per query.
    """
    # BigQuery documents the FLOAT64 cast only as "an approximate string
    # representation"; exponent forms such as 1e+15 are not checked against it.
    for cast in list(tree.find_all(exp.Cast)):
        if not cast.to.is_type(*exp.DataType.TEXT_TYPES):
            continue
        value = cast.this
        source = value.type
        if source is not None and source.this in _FLOAT_TYPES:
            cast.replace(_float_to_string(value.copy()))
        elif source is not None and source.this == exp.DataType.Type.DECIMAL:
            cast.replace(_decimal_to_string(cast.copy()))
        elif source is None or source.this == exp.DataType.Type.UNKNOWN:
            value_type = _call("typeof", value.copy())
            is_float = exp.In(
                this=value_type.copy(),
                expressions=[exp.Literal.string("DOUBLE"), exp.Literal.string("FLOAT")],
            )
            is_decimal = exp.Like(this=value_type.copy(), expression=exp.Literal.string("DECIMAL%"))
            as_double = exp.TryCast(this=value.copy(), to=exp.DataType.build("DOUBLE"))
            cast.replace(
                exp.Case(
                    ifs=[
                        exp.If(this=is_float, true=_float_to_string(as_double)),
                        exp.If(this=is_decimal, true=_decimal_to_string(cast.copy())),
                    ],
                    default=cast.copy(),
                )
            )
    return tree


def _decimal_to_string(text: exp.Expression) -> exp.Expression:
    """Drop the trailing zeros after the decimal point of DuckDB's DECIMAL text, and the point itself."""
    without_zeros = _call(
        "regexp_replace", text, exp.Literal.string(r"(\.[0-9]*?)0+$"), exp.Literal.string(r"\1")
    )
    return _call("regexp_replace", without_zeros, exp.Literal.string(r"\.$"), exp.Literal.string(""))


def _float_to_string(value: exp.Expression) -> exp.Expression:
    short = _call("printf", exp.Literal.string("%.15g"), value.copy())
    full = _call("printf", exp.Literal.string("%.17g"), value.copy())
    reads_back = exp.EQ(this=exp.cast(short.copy(), exp.DataType.build("DOUBLE")), expression=value.copy())
    return exp.Case(ifs=[exp.If(this=reads_back, true=short)], default=full)


# Arithmetic and aggregates ---------------------------------------------


def _checked_division(node: exp.Div) -> exp.Expression:
    """Raise on division by zero as BigQuery does; DuckDB returns inf or NULL. SAFE_DIVIDE keeps NULL."""
    divisor = node.expression
    if isinstance(divisor, exp.Literal) and not divisor.is_string and float(divisor.this) != 0:
        return node
    message = exp.Literal.string("division by zero: use SAFE_DIVIDE(x, y) to get NULL instead")
    # The divisor is evaluated twice, so a volatile divisor such as RAND() may differ between the two.
    checked = exp.Case(
        ifs=[exp.If(this=exp.EQ(this=divisor.copy(), expression=exp.Literal.number(0)), true=_call("error", message))],
        default=divisor.copy(),
    )
    node.set("expression", checked)
    return node


def _round_numeric_division(tree: exp.Expression) -> None:
    """Keep NUMERIC / NUMERIC (or INT64) a NUMERIC with 9 decimals; DuckDB divides DECIMALs as DOUBLE.

    Only operands sqlglot can type are found: literals, casts and functions
    of them. The warehouse tables have no NUMERIC columns.
    """
    # NOTE: the quotient passes through DOUBLE, so digits past the 15th or
    # 16th significant one can differ from BigQuery's exact NUMERIC division.
    for division in list(tree.find_all(exp.Div)):
        types = [operand.type for operand in (division.this, division.expression)]
        kinds = {kind.this for kind in types if kind is not None}
        if exp.DataType.Type.DECIMAL in kinds and not kinds & _FLOAT_TYPES:
            division.replace(exp.cast(division.copy(), exp.DataType.build("DECIMAL(38, 9)", dialect="duckdb")))


def _count_if(node: exp.CountIf) -> exp.Expression:
    """COUNTIF is 0 over zero rows and INT64; DuckDB's count_if() gives NULL and HUGEINT."""
    condition = node.this
    if isinstance(condition, exp.Distinct):
        raise QueryTranslationError(
            "COUNTIF(DISTINCT ...) has no equivalent in the local DuckDB warehouse; use "
            "COUNT(DISTINCT IF(condition, value, NULL)) instead.",
        )
    return exp.Count(this=exp.Case(ifs=[exp.If(this=condition, true=exp.Literal.number(1))]))


def _approx_quantiles(node: exp.ApproxQuantiles) -> exp.Expression:
    """Use DuckDB's exact quantile_disc(), so the first and last values are the true MIN and MAX.

    BigQuery's APPROX_QUANTILES is approximate; an exact result lies within
    its error bound, where DuckDB's t-digest approx_quantile() interpolates
    values far from the ends of the data.
    """
    value = node.this
    count = node.expression
    if isinstance(value, exp.Distinct):
        raise QueryTranslationError(
            "APPROX_QUANTILES(DISTINCT ...) has no equivalent in the local DuckDB warehouse; "
            "run this query on BigQuery.",
        )
    if not (isinstance(count, exp.Literal) and not count.is_string and count.this.isdigit() and int(count.this) > 0):
        raise QueryTranslationError(
            "APPROX_QUANTILES needs a positive integer literal as its number of quantiles in the local warehouse.",
        )
    buckets = int(count.this)
    fractions = [exp.Literal.number(float(Fraction(i, buckets))) for i in range(buckets + 1)]
    return _call("quantile_disc", value, exp.Array(expressions=fractions))


def _reject_null_array_elements(tree: exp.Expression) -> exp.Expression:
    """Raise BigQuery's "Array cannot have a null element" where ARRAY_AGG meets a NULL.

    ARRAY_AGG(x IGNORE NULLS) is left alone; sqlglot translates it to a FILTER.
    """
    for aggregate in list(tree.find_all(exp.ArrayAgg)):
        if isinstance(aggregate.parent, exp.IgnoreNulls):
            continue
        target: exp.Expression = aggregate
        if isinstance(target.parent, exp.RespectNulls):
            target = target.parent
        if isinstance(target.parent, exp.Window) and target.parent.this is target:
            target = target.parent
        has_null = exp.Not(this=exp.Is(this=_call("list_position", target.copy(), exp.Null()), expression=exp.Null()))
        message = exp.Literal.string(
            "Array cannot have a null element; use ARRAY_AGG(x IGNORE NULLS) to drop NULL values"
        )
        checked = exp.Case(ifs=[exp.If(this=has_null, true=_call("error", message))], default=target.copy())
        if target is tree:
            return checked
        target.replace(checked)
    return tree


def _call(name: str, *args: exp.Expression) -> exp.Expression:
    return exp.Anonymous(this=name, expressions=list(args))
