"""Fixtures for the data tests.

``warehouse_dir``: a data directory with the flights warehouse built by the
real ``init_warehouse``, shared by the whole session (a build takes seconds).
``warehouse_env``: environment variables pointing the platform at it.
``direct``: a read-only DuckDB connection to the warehouse, for computing
expected numbers independently of ``nbplatform.bigquery``.
"""

from __future__ import annotations

import os

# No test may reach Google: point the metadata server google-auth would probe
# for default credentials at a closed loopback port, and drop any key file.
# google-auth reads these when its compute_engine module is first imported.
os.environ["GCE_METADATA_HOST"] = "127.0.0.1:9"
os.environ["GCE_METADATA_IP"] = "127.0.0.1:9"
os.environ["NO_GCE_CHECK"] = "True"
os.environ.pop("GOOGLE_APPLICATION_CREDENTIALS", None)
from pathlib import Path

import duckdb
import pytest

from nbplatform.bigquery.warehouse import init_warehouse
from nbplatform.config import Settings

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def warehouse_dir(tmp_path_factory) -> Path:
    data_dir = tmp_path_factory.mktemp("data")
    init_warehouse(Settings(data_dir=data_dir).warehouse_path)
    return data_dir


@pytest.fixture(scope="session")
def warehouse_path(warehouse_dir) -> Path:
    return Settings(data_dir=warehouse_dir).warehouse_path


@pytest.fixture(scope="session")
def warehouse_env(warehouse_dir) -> dict[str, str]:
    """Variables a kernel needs to find this checkout and the session's warehouse."""
    python_path = os.pathsep.join(p for p in (str(REPO_ROOT), os.environ.get("PYTHONPATH", "")) if p)
    return {
        "NBPLATFORM_MODE": "local",
        "NBPLATFORM_DATA_DIR": str(warehouse_dir),
        "PYTHONPATH": python_path,
    }


@pytest.fixture
def direct(warehouse_path):
    con = duckdb.connect(str(warehouse_path), read_only=True)
    yield con
    con.close()
