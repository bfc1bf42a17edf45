"""Fixtures of the jobs tests.

- ``notebooks``: directory of the test notebooks (``tests/jobs/notebooks``).
- ``context``: a :class:`JobsContext` on a fresh data directory and jobs directory.
- ``make_spec``: snapshot a test notebook into ``context`` and return a :class:`JobSpec` for it.
- ``receiver``: a loopback HTTP server that stores every POST body (webhook and Sentry tests).
- ``start_jobs_hub(workdir)``: a real hub and proxy with the jobs service; ``hub.context`` is its
  :class:`JobsContext` and ``hub.tokens`` holds API tokens of alice, bob and admin. Callers stop it with ``cleanup()``.
"""

from __future__ import annotations

import datetime as dt
import http.server
import threading
import time
from pathlib import Path
from typing import Any, Callable

import nbformat
import pytest
import requests

from nbplatform.config import Settings
from nbplatform.jobs.context import JobsContext
from nbplatform.jobs.spec import JobSpec, parse_spec

NOTEBOOKS = Path(__file__).parent / "notebooks"


@pytest.fixture
def notebooks() -> Path:
    return NOTEBOOKS


def make_context(root: Path) -> JobsContext:
    settings = Settings(data_dir=root / "data", jobs_dir=root / "jobs", profiles_dir=Path(__file__).parents[2] / "profiles")
    return JobsContext(settings, runs_url=str(root / "data" / "runs"), snapshots_url=str(root / "data" / "snapshots"))


@pytest.fixture
def context(tmp_path: Path) -> JobsContext:
    return make_context(tmp_path)


def spec_for(context: JobsContext, notebook: str, name: str, **fields: Any) -> JobSpec:
    digest = context.snapshots.save(nbformat.read(NOTEBOOKS / notebook, as_version=4))
    data = {
        "name": name,
        "owner": fields.pop("owner", "alice"),
        "notebook": {"snapshot": digest, "source": str(NOTEBOOKS / notebook), "kernel": "python3"},
        "schedule": fields.pop("schedule", "0 7 * * *"),
        **fields,
    }
    spec = parse_spec(data)
    context.specs.write(spec)
    return spec


@pytest.fixture
def make_spec(context: JobsContext) -> Callable[..., JobSpec]:
    return lambda notebook, name, **fields: spec_for(context, notebook, name, **fields)


class Receiver:
    """Loopback HTTP server recording (path, headers, body) of every POST."""

    def __init__(self) -> None:
        received = self.received = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - name fixed by http.server
                length = int(self.headers.get("Content-Length") or 0)
                received.append((self.path, dict(self.headers), self.rfile.read(length)))
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args: Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.close()


UTC = dt.timezone.utc


def start_jobs_hub(workdir: Path, env: dict[str, str] | None = None):
    """Start a hub and wait for its jobs service; return the hub with ``context``, ``tokens`` and ``jobs_api`` set."""
    from support.hub import HubProcess
    from support.ports import free_port

    jobs_dir = workdir / "jobs"
    hub = HubProcess(
        workdir, env={"NBPLATFORM_JOBS_PORT": str(free_port()), "NBPLATFORM_JOBS_DIR": str(jobs_dir), **(env or {})},
    )
    settings = make_context(workdir).settings
    settings.data_dir = hub.data_dir
    settings.jobs_dir = jobs_dir
    hub.context = JobsContext(settings)
    hub.start()
    try:
        hub.tokens = {name: hub.user_token(name) for name in ("alice", "bob", "admin")}
        hub.jobs_api = f"{hub.url}/services/jobs/api"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                response = requests.get(
                    hub.jobs_api + "/jobs", headers={"Authorization": f"token {hub.tokens['alice']}"}, timeout=30,
                )
                if response.status_code == 200:
                    return hub
            except requests.RequestException:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"jobs service did not answer:\n{hub.log_text()[-3000:]}")
    except BaseException:
        hub.cleanup()
        raise
