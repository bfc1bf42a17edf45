"""BigQuery semantics of query() and read_table() on the local warehouse.

Each expected value comes from the GoogleSQL for BigQuery reference's
definition, computed with Python's datetime, decimal or %-formatting, or
from DuckDB queried directly with the native function that has BigQuery's
meaning. Constructs the warehouse rejects are checked by their error text.
"""

import datetime
import re
from decimal import Decimal

import db_dtypes
import pandas as pd
import pytest

from nbplatform.bigquery import QueryTranslationError, query, read_table
from nbplatform.bigquery.api import get_backend
from nbplatform.bigquery.context import QueryContext
from nbplatform.errors import DataError

#: 2012 starts on a Sunday, 2013 on a Tuesday, 2014 on a Wednesday and 2016
#: on a Friday, so week 0 has between 0 and 5 days across these years.
FIRST_DAY = datetime.date(2012, 1, 1)
LAST_DAY = datetime.date(2016, 12, 31)


@pytest.fixture(scope="module")
def backend(warehouse_dir):
    return get_backend("duckdb", environ={"NBPLATFORM_MODE": "local", "NBPLATFORM_DATA_DIR": str(warehouse_dir)})


@pytest.fixture(scope="module")
def context():
    return QueryContext(user="alice", notebook=None, profile=None)


@pytest.fixture(scope="module")
def run(backend, context):
    def run_query(sql, params=None):
        return query(sql, params, backend=backend, context=context)

    return run_query


def one_row(run, sql):
    return run(sql).iloc[0].to_dict()


def week_number(day: datetime.date, first_weekday: int) -> int:
    """BigQuery's WEEK(<weekday>): weeks start on ``first_weekday`` (Monday=0), earlier days are week 0."""
    first = datetime.date(day.year, 1, 1)
    while first.weekday() != first_weekday:
        first += datetime.timedelta(days=1)
    return 0 if day < first else (day - first).days // 7 + 1


@pytest.fixture(scope="module")
def calendar(run):
    frame = run(
        "SELECT d, EXTRACT(DAYOFWEEK FROM d) AS dow, EXTRACT(WEEK FROM d) AS week, "
        "EXTRACT(WEEK(MONDAY) FROM d) AS week_monday, EXTRACT(WEEK(WEDNESDAY) FROM d) AS week_wednesday, "
        "EXTRACT(WEEK(SATURDAY) FROM d) AS week_saturday, EXTRACT(ISOWEEK FROM d) AS isoweek, "
        "EXTRACT(ISOYEAR FROM d) AS isoyear "
        f"FROM UNNEST(GENERATE_DATE_ARRAY('{FIRST_DAY}', '{LAST_DAY}')) AS d ORDER BY d"
    )
    return frame.set_index("d")


# EXTRACT -----------------------------------------------------------------


def test_extract_covers_every_day(calendar):
    assert len(calendar) == (LAST_DAY - FIRST_DAY).days + 1


def test_extract_dayofweek_sunday_is_one(calendar):
    expected = [day.isoweekday() % 7 + 1 for day in calendar.index]
    assert list(calendar["dow"]) == expected


def test_extract_dayofweek_literal(run):
    # 2013-07-07 is a Sunday.
    assert one_row(run, "SELECT EXTRACT(DAYOFWEEK FROM DATE '2013-07-07') AS dow")["dow"] == 1


def test_extract_week_starts_sunday(calendar):
    expected = [int(day.strftime("%U")) for day in calendar.index]
    assert list(calendar["week"]) == expected


def test_extract_week_monday(calendar):
    expected = [int(day.strftime("%W")) for day in calendar.index]
    assert list(calendar["week_monday"]) == expected


@pytest.mark.parametrize(("column", "weekday"), [("week_wednesday", 2), ("week_saturday", 5)])
def test_extract_week_weekday(calendar, column, weekday):
    expected = [week_number(day, weekday) for day in calendar.index]
    assert list(calendar[column]) == expected


def test_extract_isoweek_and_isoyear(calendar):
    assert list(calendar["isoweek"]) == [day.isocalendar().week for day in calendar.index]
    assert list(calendar["isoyear"]) == [day.isocalendar().year for day in calendar.index]


def test_extract_week_literals(run):
    row = one_row(run, "SELECT EXTRACT(WEEK FROM DATE '2013-01-07') AS wk, EXTRACT(WEEK FROM DATE '2013-01-01') AS w1")
    assert row["wk"] == 1
    assert row["w1"] == 0


def test_row_filter_dayofweek(backend, context, direct):
    frame = read_table(
        "flights",
        columns=["carrier"],
        row_filter="EXTRACT(DAYOFWEEK FROM time_hour) = 1",
        backend=backend,
        context=context,
    )
    (sundays,) = direct.execute("SELECT count(*) FROM nycflights13.flights WHERE dayofweek(time_hour) = 0").fetchone()
    assert len(frame) == sundays


def test_row_filter_week(backend, context, direct):
    frame = read_table(
        "flights",
        columns=["carrier"],
        row_filter="EXTRACT(WEEK FROM time_hour) = 0",
        backend=backend,
        context=context,
    )
    (expected,) = direct.execute(
        "SELECT count(*) FROM nycflights13.flights WHERE strftime(time_hour, '%U') = '00'"
    ).fetchone()
    assert expected > 0
    assert len(frame) == expected


# TIMESTAMP_DIFF, DATE_DIFF, DATETIME_DIFF -----------------------------------


def whole_intervals(later: datetime.datetime, earlier: datetime.datetime, unit: datetime.timedelta) -> int:
    micros = (later - earlier) // datetime.timedelta(microseconds=1)
    step = unit // datetime.timedelta(microseconds=1)
    return abs(micros) // step * (1 if micros >= 0 else -1)


@pytest.mark.parametrize(
    ("later", "earlier", "part", "unit"),
    [
        ("2010-07-07 10:20:00", "2008-12-25 15:30:00", "HOUR", datetime.timedelta(hours=1)),
        ("2013-01-02 00:00:00", "2013-01-01 00:00:01", "DAY", datetime.timedelta(days=1)),
        ("2013-01-01 02:30:00", "2013-01-01 01:45:00", "HOUR", datetime.timedelta(hours=1)),
        ("2013-01-01 01:45:00", "2013-01-01 02:30:00", "MINUTE", datetime.timedelta(minutes=1)),
        ("2008-12-25 15:30:00", "2010-07-07 10:20:00", "HOUR", datetime.timedelta(hours=1)),
        ("2013-01-01 00:00:01.5", "2013-01-01 00:00:00", "MILLISECOND", datetime.timedelta(milliseconds=1)),
        ("2013-01-01 00:00:01.5", "2013-01-01 00:00:00", "SECOND", datetime.timedelta(seconds=1)),
    ],
)
def test_timestamp_diff_whole_intervals(run, later, earlier, part, unit):
    row = one_row(run, f"SELECT TIMESTAMP_DIFF(TIMESTAMP '{later}+00', TIMESTAMP '{earlier}+00', {part}) AS n")
    expected = whole_intervals(
        datetime.datetime.fromisoformat(later), datetime.datetime.fromisoformat(earlier), unit
    )
    assert row["n"] == expected


def test_timestamp_diff_docs_example(run):
    row = one_row(
        run,
        'SELECT TIMESTAMP_DIFF(TIMESTAMP "2010-07-07 10:20:00+00", TIMESTAMP "2008-12-25 15:30:00+00", HOUR) AS h',
    )
    assert row["h"] == 13410


def test_timestamp_diff_rejects_month(run):
    with pytest.raises(QueryTranslationError, match="TIMESTAMP_DIFF does not take the part MONTH"):
        run("SELECT TIMESTAMP_DIFF(TIMESTAMP '2013-02-01', TIMESTAMP '2013-01-01', MONTH)")


def test_datetime_diff_counts_boundaries(run):
    # DATETIME_DIFF and DATE_DIFF count part boundaries crossed, unlike TIMESTAMP_DIFF.
    row = one_row(
        run,
        "SELECT DATETIME_DIFF(DATETIME '2010-07-07 10:20:00', DATETIME '2008-12-25 15:30:00', DAY) AS d, "
        "DATE_DIFF(DATE '2013-01-01', DATE '2012-12-31', YEAR) AS y, "
        "DATETIME_DIFF(DATETIME '2017-10-15 00:00:00', DATETIME '2017-10-14 00:00:00', WEEK) AS w, "
        "DATETIME_DIFF(DATETIME '2013-07-04 12:00:00', DATETIME '2013-07-03 13:00:00', DAY) AS short_day",
    )
    assert row["d"] == (datetime.date(2010, 7, 7) - datetime.date(2008, 12, 25)).days
    assert row["y"] == 1
    # 2017-10-15 is a Sunday, so one WEEK boundary lies between the two days.
    assert row["w"] == 1
    # 23 hours apart, but across one midnight.
    assert row["short_day"] == (datetime.date(2013, 7, 4) - datetime.date(2013, 7, 3)).days


# FORMAT --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        ("FORMAT('%d-%s', 5, 'x')", "%d-%s" % (5, "x")),
        ("FORMAT('%.2f', 3.14159)", "%.2f" % 3.14159),
        ("FORMAT('%5d|%-5s|%x|%X|%o', 42, 'ab', 255, 255, 8)", "%5d|%-5s|%x|%X|%o" % (42, "ab", 255, 255, 8)),
        ("FORMAT('%e %g %+d %05.1f', 12345.678, 0.0001, 7, 2.25)", "%e %g %+d %05.1f" % (12345.678, 0.0001, 7, 2.25)),
        ("FORMAT('%i%%', 50)", "%i%%" % 50),
        ("FORMAT('%s', DATE '2013-01-01')", "2013-01-01"),
        ("FORMAT('no specifiers')", "no specifiers"),
    ],
)
def test_format_printf(run, call, expected):
    assert one_row(run, f"SELECT {call} AS f")["f"] == expected


def test_format_null_argument(run):
    # The BigQuery reference: a NULL argument is written as NULL.
    assert one_row(run, "SELECT FORMAT('%s|%d', CAST(NULL AS STRING), 3) AS f")["f"] == "NULL|3"


@pytest.mark.parametrize("specifier", ["%t", "%T", "%p", "%'d", "%*d"])
def test_format_rejects_specifier(run, specifier):
    with pytest.raises(QueryTranslationError, match=re.escape(f"FORMAT() specifier {specifier} has no equivalent")):
        run(f'SELECT FORMAT("{specifier}", 1234)')


def test_format_rejects_argument_count(run):
    with pytest.raises(QueryTranslationError, match="has 2 specifier\\(s\\) but 3 argument\\(s\\)"):
        run("SELECT FORMAT('%d %d', 1, 2, 3)")


def test_format_rejects_computed_format(run):
    with pytest.raises(QueryTranslationError, match="needs a string literal as its format"):
        run("SELECT FORMAT(CONCAT('%', 'd'), 1)")


# NUMERIC and FLOAT64 -----------------------------------------------------------


def test_numeric_scale_nine(run):
    row = one_row(run, "SELECT CAST('1.123456789123' AS NUMERIC) AS m, CAST(1 AS NUMERIC) / 3 AS n")
    nine_places = Decimal("0.000000001")
    assert row["m"] == Decimal("1.123456789123").quantize(nine_places)
    assert row["n"] == (Decimal(1) / Decimal(3)).quantize(nine_places)


def test_numeric_comes_back_as_decimal(run):
    assert isinstance(one_row(run, "SELECT CAST(2.5 AS NUMERIC) AS m")["m"], Decimal)


def test_bignumeric_rejected(run):
    with pytest.raises(QueryTranslationError, match="BIGNUMERIC has no equivalent .* 38 digits"):
        run("SELECT CAST('1.5' AS BIGNUMERIC) AS b")


def test_float_literals_are_float64(run):
    # BigQuery reads 0.1 as FLOAT64, so 0.1 + 0.2 is not exactly 0.3.
    assert one_row(run, "SELECT 0.1 + 0.2 AS s")["s"] == 0.1 + 0.2


def test_cast_float_to_string(run):
    row = one_row(run, "SELECT CAST(1.0 AS STRING) AS a, CAST(0.1 + 0.2 AS STRING) AS b, CAST(2.5 AS STRING) AS c")
    assert row["a"] == "1"
    assert row["b"] == "0.30000000000000004"
    assert row["c"] == "2.5"


def test_cast_float_column_to_string(run, direct):
    frame = run("SELECT CAST(dep_delay AS STRING) AS s FROM flights WHERE dep_delay IS NOT NULL LIMIT 5")
    values = [row[0] for row in direct.execute(
        "SELECT dep_delay FROM nycflights13.flights WHERE dep_delay IS NOT NULL LIMIT 5"
    ).fetchall()]
    # dep_delay contains whole minutes, which BigQuery writes without ".0".
    assert list(frame["s"]) == [str(int(value)) for value in values]


def test_cast_numeric_to_string(run):
    row = one_row(
        run,
        "SELECT CAST(CAST('2.50' AS NUMERIC) AS STRING) AS a, CAST(CAST(100 AS NUMERIC) AS STRING) AS b, "
        "CAST(x AS STRING) AS c FROM (SELECT CAST('-0.125' AS NUMERIC) AS x)",
    )
    # str(Decimal.normalize()) writes a NUMERIC without trailing zeros, as BigQuery does.
    assert row["a"] == str(Decimal("2.50").normalize())
    assert row["b"] == "100"
    assert row["c"] == str(Decimal("-0.125").normalize())


def test_cast_other_types_to_string(run):
    row = one_row(
        run, "SELECT CAST(5 AS STRING) AS i, CAST(DATE '2013-01-01' AS STRING) AS d, CAST(TRUE AS STRING) AS b"
    )
    assert row["i"] == "5"
    assert row["d"] == "2013-01-01"
    assert row["b"] == "true"


# LIKE --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "pattern", "expected"),
    [("a_b", r"a\\_b", True), ("axb", r"a\\_b", False), ("50%", r"50\\%", True), ("500", r"50\\%", False)],
)
def test_like_backslash_escape(run, value, pattern, expected):
    assert one_row(run, f"SELECT '{value}' LIKE '{pattern}' AS l")["l"] is expected


def test_row_filter_like_escape(backend, context, direct):
    frame = read_table("airlines", columns=["name"], row_filter=r"name LIKE '%\\.%'", backend=backend, context=context)
    names = [name for (name,) in direct.execute("SELECT name FROM nycflights13.airlines").fetchall()]
    assert sorted(frame.compute()["name"]) == sorted(name for name in names if "." in name)


# Errors where BigQuery raises -------------------------------------------------


def test_division_by_zero_raises(run):
    with pytest.raises(DataError, match="division by zero"):
        run("SELECT 1 / 0 AS x")


def test_division_by_zero_in_column_raises(run):
    with pytest.raises(DataError, match="division by zero"):
        run("SELECT 10 / x AS y FROM UNNEST([1, 0]) AS x")


def test_division_without_zero(run):
    assert list(run("SELECT 10 / x AS y FROM UNNEST([4, 5]) AS x")["y"]) == [2.5, 2.0]


def test_safe_divide_returns_null(run):
    assert pd.isna(one_row(run, "SELECT SAFE_DIVIDE(1, 0) AS s")["s"])


def test_array_agg_null_element_raises(run):
    with pytest.raises(DataError, match="Array cannot have a null element"):
        run("SELECT ARRAY_AGG(x) AS a FROM UNNEST([1, NULL, 3]) AS x")


def test_array_agg_ignore_nulls(run):
    assert list(one_row(run, "SELECT ARRAY_AGG(x IGNORE NULLS) AS a FROM UNNEST([1, NULL, 3]) AS x")["a"]) == [1, 3]


def test_array_agg_without_nulls(run):
    assert list(one_row(run, "SELECT ARRAY_AGG(x ORDER BY x) AS a FROM UNNEST([3, 1, 2]) AS x")["a"]) == [1, 2, 3]


def test_sum_overflow_raises(run):
    with pytest.raises(DataError, match="Integer overflow"):
        run("SELECT SUM(x) AS s FROM UNNEST([9223372036854775807, 1]) AS x")


# Aggregates ------------------------------------------------------------------


def test_countif_no_rows_is_zero(run):
    row = one_row(run, "SELECT SUM(distance) AS s, COUNTIF(distance > 0) AS c FROM flights WHERE FALSE")
    assert row["c"] == 0
    assert pd.isna(row["s"])


def test_integer_aggregates_are_int64(run, direct):
    frame = run("SELECT COUNTIF(dep_delay > 0) AS n, SUM(distance) AS s, SUM(COUNT(*)) OVER () AS w FROM flights")
    expected_n, expected_s, expected_w = direct.execute(
        "SELECT count(*) FILTER (WHERE dep_delay > 0), sum(distance), count(*) FROM nycflights13.flights"
    ).fetchone()
    assert {str(dtype) for dtype in frame.dtypes} == {"Int64"}
    assert frame["n"].iloc[0] == expected_n
    assert frame["s"].iloc[0] == expected_s
    assert frame["w"].iloc[0] == expected_w


def test_approx_quantiles_ends(run, direct):
    quantiles = list(one_row(run, "SELECT APPROX_QUANTILES(dep_delay, 4) AS q FROM flights")["q"])
    (low, high, exact) = direct.execute(
        "SELECT min(dep_delay), max(dep_delay), quantile_disc(dep_delay, [0.25, 0.5, 0.75]) FROM nycflights13.flights"
    ).fetchone()
    assert len(quantiles) == 5
    assert quantiles[0] == low
    assert quantiles[-1] == high
    assert quantiles[1:4] == exact


def test_approx_quantiles_rejects_respect_nulls(run):
    with pytest.raises(QueryTranslationError, match="RESPECT NULLS"):
        run("SELECT APPROX_QUANTILES(dep_delay, 4 RESPECT NULLS) AS q FROM flights")


# Result types --------------------------------------------------------------------


def test_date_column_compares_with_date(run):
    frame = run("SELECT DATE(time_hour) AS d, COUNT(*) AS n FROM flights GROUP BY d")
    assert isinstance(frame["d"].dtype, db_dtypes.DateDtype)
    assert (frame["d"] == datetime.date(2013, 1, 1)).sum() == 1


def test_date_functions_return_dates(run):
    row = one_row(
        run,
        "SELECT DATE_TRUNC(DATE '2013-07-04', MONTH) AS t, LAST_DAY(DATE '2013-02-10', MONTH) AS l, "
        "PARSE_DATE('%Y%m%d', '20130704') AS p",
    )
    assert row["t"] == datetime.date(2013, 7, 1)
    assert row["l"] == datetime.date(2013, 2, 28)
    assert row["p"] == datetime.date(2013, 7, 4)


def test_nullable_result_types(run):
    frame = run("SELECT dep_time, dep_time IS NULL AS missing FROM flights WHERE dep_time IS NULL LIMIT 3")
    assert str(frame["dep_time"].dtype) == "Int64"
    assert str(frame["missing"].dtype) == "boolean"
    assert frame["dep_time"].isna().all()


def test_read_table_meta_matches_data(backend, context):
    frame = read_table("planes", columns=["tailnum", "year"], backend=backend, context=context)
    computed = frame.compute()
    assert dict(frame.dtypes) == dict(computed.dtypes)
    assert str(computed["year"].dtype) == "Int64"
    assert computed["year"].isna().any()


def test_read_table_strings_stay_arrow(backend, context):
    frame = read_table("airlines", columns=["carrier"], backend=backend, context=context)
    assert frame.dtypes["carrier"] == pd.StringDtype("pyarrow")


def test_read_table_duplicate_columns(backend, context):
    with pytest.raises(DataError, match="columns= names carrier more than once"):
        read_table("flights", columns=["carrier", "carrier"], backend=backend, context=context)


# UNNEST ----------------------------------------------------------------------


def test_unnest_offset_starts_at_zero(run):
    frame = run("SELECT x, pos FROM UNNEST(['a', 'b', 'c']) AS x WITH OFFSET AS pos ORDER BY pos")
    assert list(frame["pos"]) == [0, 1, 2]
    assert list(frame["x"]) == ["a", "b", "c"]


def test_unnest_offset_correlated(run, direct):
    frame = run(
        "SELECT carrier, word, pos FROM airlines, UNNEST(SPLIT(name, ' ')) AS word WITH OFFSET AS pos "
        "ORDER BY carrier, pos"
    )
    names = direct.execute("SELECT carrier, name FROM nycflights13.airlines ORDER BY carrier").fetchall()
    expected = [(carrier, word, pos) for carrier, name in names for pos, word in enumerate(name.split(" "))]
    assert list(frame.itertuples(index=False, name=None)) == expected


def test_unnest_offset_needs_alias(run):
    with pytest.raises(QueryTranslationError, match="WITH OFFSET needs an alias for the element"):
        run("SELECT * FROM UNNEST([1, 2]) WITH OFFSET")
