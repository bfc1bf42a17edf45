"""explore_flights_dask.ipynb on a real LocalCluster via Papermill, its numbers checked against DuckDB directly."""

import pytest

from data.papermill_runner import image_outputs, run_notebook, tagged_json

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def executed(warehouse_env, tmp_path_factory):
    return run_notebook("explore_flights_dask.ipynb", tmp_path_factory.mktemp("explore"), warehouse_env)


@pytest.fixture(scope="module")
def summary(executed):
    return tagged_json(executed, "summary")


def test_explore_worst_hour(summary, direct):
    (departed,) = direct.execute("SELECT count(dep_delay) FROM nycflights13.flights").fetchone()
    (hour, delay) = direct.execute(
        "SELECT hour, avg(dep_delay) AS d FROM nycflights13.flights GROUP BY hour ORDER BY d DESC NULLS LAST LIMIT 1"
    ).fetchone()
    assert summary["departed_flights"] == departed
    assert summary["worst_hour"] == hour
    assert summary["worst_hour_mean_dep_delay"] == pytest.approx(delay, abs=1e-3)


def test_explore_weather_join(summary, direct):
    joined_sql = (
        "FROM nycflights13.flights f JOIN nycflights13.weather w "
        "USING (origin, year, month, day, hour)"
    )
    (rows,) = direct.execute(f"SELECT count(*) {joined_sql}").fetchone()
    (rain, dry) = direct.execute(
        f"SELECT avg(dep_delay) FILTER (WHERE precip > 0), avg(dep_delay) FILTER (WHERE precip = 0) {joined_sql}"
    ).fetchone()
    assert summary["weather_joined_rows"] == rows
    assert summary["mean_dep_delay_rain"] == pytest.approx(rain, abs=1e-3)
    assert summary["mean_dep_delay_dry"] == pytest.approx(dry, abs=1e-3)


def test_explore_planes_join(summary, direct):
    (rows,) = direct.execute(
        "SELECT count(*) FROM nycflights13.flights f JOIN nycflights13.planes p USING (tailnum) "
        "WHERE p.year IS NOT NULL AND f.arr_delay IS NOT NULL"
    ).fetchone()
    assert summary["planes_joined_rows"] == rows


def test_explore_draws_plots(executed):
    assert image_outputs(executed) == 2
