"""flight_delays.ipynb run by Papermill on a real kernel, its numbers checked against DuckDB directly."""

import pytest

from data.papermill_runner import image_outputs, run_notebook, tagged_json

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def executed(warehouse_env, tmp_path_factory):
    return run_notebook("flight_delays.ipynb", tmp_path_factory.mktemp("flight_delays"), warehouse_env)


@pytest.fixture(scope="module")
def summary(executed):
    return tagged_json(executed, "summary")


def test_flight_delays_totals(summary, direct):
    (flights, cancelled) = direct.execute(
        "SELECT count(*), count(*) FILTER (WHERE dep_time IS NULL) FROM nycflights13.flights"
    ).fetchone()
    assert summary["flights"] == flights
    assert summary["cancelled"] == cancelled


def test_flight_delays_carrier_ranking(summary, direct):
    ranking = direct.execute(
        "SELECT carrier, avg(arr_delay) AS d FROM nycflights13.flights "
        "GROUP BY carrier HAVING count(*) >= 1000 ORDER BY d DESC"
    ).fetchall()
    assert summary["carriers_ranked"] == len(ranking)
    assert summary["worst_carrier"] == ranking[0][0]
    assert summary["worst_carrier_mean_arr_delay"] == pytest.approx(ranking[0][1], abs=1e-3)
    assert summary["best_carrier"] == ranking[-1][0]
    assert summary["best_carrier_mean_arr_delay"] == pytest.approx(ranking[-1][1], abs=1e-3)


def test_flight_delays_worst_month(summary, direct):
    (month, delay) = direct.execute(
        "SELECT month, avg(dep_delay) AS d FROM nycflights13.flights GROUP BY month ORDER BY d DESC LIMIT 1"
    ).fetchone()
    assert summary["worst_month"] == month
    assert summary["worst_month_mean_dep_delay"] == pytest.approx(delay, abs=1e-3)


def test_flight_delays_draws_plots(executed):
    assert image_outputs(executed) == 3
