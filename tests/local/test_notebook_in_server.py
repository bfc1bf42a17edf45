"""notebooks/flight_delays.ipynb executed inside a spawned JupyterLab server, checked against DuckDB."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
import requests

from nbplatform.bigquery.warehouse import init_warehouse
from nbplatform.config import Settings
from support.hub import HubProcess
from support.kernel import KernelClient

pytestmark = pytest.mark.slow

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "flight_delays.ipynb"


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    process = HubProcess(tmp_path_factory.mktemp("notebook-hub"))
    init_warehouse(Settings(data_dir=process.data_dir).warehouse_path)
    process.start()
    yield process
    process.cleanup()


def summary_from(notebook: dict) -> dict:
    for cell in notebook["cells"]:
        if "summary" in cell.get("metadata", {}).get("tags", []):
            text = "".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("output_type") == "stream")
            return json.loads(text.strip().splitlines()[-1])
    raise AssertionError("no cell tagged 'summary' in the executed notebook")


def test_flight_delays_runs_in_spawned_server(hub):
    response = hub.api("POST", "/users/alice/server", json={"profile": "small"})
    assert response.status_code in (201, 202), response.text
    hub.wait_for_server("alice")
    token = hub.user_token("alice")
    headers = {"Authorization": f"token {token}"}
    contents = f"{hub.url}/user/alice/api/contents"

    upload = requests.put(
        f"{contents}/flight_delays.ipynb",
        json={"type": "notebook", "format": "json", "content": json.loads(NOTEBOOK.read_text())},
        headers=headers,
        timeout=30,
    )
    assert upload.status_code in (200, 201), upload.text

    kernel = KernelClient(hub.url, "alice", token)
    try:
        result = kernel.execute(
            "import papermill\n"
            "papermill.execute_notebook('flight_delays.ipynb', 'flight_delays.out.ipynb',"
            " kernel_name='python3', progress_bar=False)\n"
            "print('executed')",
            timeout=300,
        )
    finally:
        kernel.close()
    assert result.status == "ok", result.stderr[-2000:]

    executed = requests.get(f"{contents}/flight_delays.out.ipynb", headers=headers, timeout=30)
    assert executed.status_code == 200
    summary = summary_from(executed.json()["content"])

    warehouse = duckdb.connect(str(Settings(data_dir=hub.data_dir).warehouse_path), read_only=True)
    try:
        flights, cancelled = warehouse.execute(
            "SELECT count(*), count(*) FILTER (WHERE dep_time IS NULL) FROM nycflights13.flights"
        ).fetchone()
        worst_carrier, worst_delay = warehouse.execute(
            "SELECT carrier, avg(arr_delay) AS d FROM nycflights13.flights "
            "GROUP BY carrier HAVING count(*) >= 1000 ORDER BY d DESC LIMIT 1"
        ).fetchone()
    finally:
        warehouse.close()
    assert summary["flights"] == flights
    assert summary["cancelled"] == cancelled
    assert summary["worst_carrier"] == worst_carrier
    assert summary["worst_carrier_mean_arr_delay"] == pytest.approx(worst_delay, abs=1e-3)
    assert (hub.data_dir / "home" / "alice" / "flight_delays.out.ipynb").exists()

    hub.api("DELETE", "/users/alice/server")
    hub.wait_for_stop("alice")
