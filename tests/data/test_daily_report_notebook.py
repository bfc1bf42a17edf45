"""daily_delay_report.ipynb as a parameterized Papermill batch: the report file and the loud failure."""

import json

import papermill
import pytest

from data.papermill_runner import run_notebook, tagged_json

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def report_run(warehouse_env, tmp_path_factory):
    workdir = tmp_path_factory.mktemp("report")
    notebook = run_notebook(
        "daily_delay_report.ipynb",
        workdir,
        warehouse_env,
        parameters={"airport": "LGA", "logical_date": "2013-12-24", "output_dir": str(workdir / "out")},
    )
    return workdir, notebook


def test_report_file_written(report_run):
    workdir, notebook = report_run
    written = json.loads((workdir / "out" / "delay_report_LGA_2013-12-24.json").read_text())
    assert written == tagged_json(notebook, "summary")


def test_report_numbers_match_duckdb(report_run, direct):
    workdir, _ = report_run
    report = json.loads((workdir / "out" / "delay_report_LGA_2013-12-24.json").read_text())
    where = "origin = 'LGA' AND year = 2013 AND month = 12 AND day = 24"
    (scheduled, cancelled, mean_delay, late) = direct.execute(
        f"SELECT count(*), count(*) FILTER (WHERE dep_time IS NULL), avg(dep_delay) FILTER (WHERE dep_time IS NOT NULL), "
        f"count(*) FILTER (WHERE arr_delay > 15) FROM nycflights13.flights WHERE {where}"
    ).fetchone()
    (worst_carrier,) = direct.execute(
        f"SELECT carrier FROM nycflights13.flights WHERE {where} AND dep_time IS NOT NULL "
        "GROUP BY carrier ORDER BY avg(dep_delay) DESC, count(*) DESC LIMIT 1"
    ).fetchone()
    assert report["scheduled"] == scheduled
    assert report["cancelled"] == cancelled
    assert report["mean_dep_delay"] == pytest.approx(mean_delay, abs=1e-3)
    assert report["late_arrivals"] == late
    assert report["worst_carriers"][0]["carrier"] == worst_carrier


def test_report_empty_day_fails(warehouse_env, tmp_path):
    with pytest.raises(papermill.PapermillExecutionError, match="No flights from EWR on 2014-01-01") as info:
        run_notebook(
            "daily_delay_report.ipynb",
            tmp_path,
            warehouse_env,
            parameters={"airport": "EWR", "logical_date": "2014-01-01", "output_dir": str(tmp_path / "out")},
        )
    assert info.value.ename == "RuntimeError"
    assert not (tmp_path / "out").exists()


def test_report_invalid_airport_fails(warehouse_env, tmp_path):
    with pytest.raises(papermill.PapermillExecutionError, match="airport='jfk; DROP' is invalid"):
        run_notebook("daily_delay_report.ipynb", tmp_path, warehouse_env, parameters={"airport": "jfk; DROP"})


@pytest.mark.parametrize(
    ("value", "detail"),
    [("2013-02-30", "is not a valid date"), ("07/01/2013", "is invalid")],
    ids=["no-such-day", "wrong-format"],
)
def test_report_invalid_date_fails(warehouse_env, tmp_path, value, detail):
    with pytest.raises(papermill.PapermillExecutionError) as info:
        run_notebook("daily_delay_report.ipynb", tmp_path, warehouse_env, parameters={"logical_date": value})
    message = str(info.value)
    assert info.value.ename == "ValueError"
    assert f"logical_date='{value}' {detail}" in message
    assert "YYYY-MM-DD" in message
