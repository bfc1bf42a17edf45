"""A stand-in for the BigQuery REST API on 127.0.0.1, for testing request construction.

The real BigQuery cannot run here. This server records every request the
real ``google-cloud-bigquery`` client sends and returns canned but well-formed
responses (job resources, query results). It runs no SQL: the result rows are
whatever the test sets in :attr:`FakeBigQuery.rows`.
"""

from __future__ import annotations

import json
import re
import threading
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class RecordedRequest:
    method: str
    path: str
    query: dict[str, list[str]]
    body: dict[str, Any] | None
    headers: dict[str, str]


@dataclass
class FakeBigQuery:
    """The fake's state: what it returns and what it received."""

    #: totalBytesProcessed reported for dry runs and jobs.
    estimated_bytes: int = 1_000
    #: Result schema as BigQuery REST ``TableFieldSchema`` dicts.
    schema: list[dict[str, str]] = field(
        default_factory=lambda: [{"name": "carrier", "type": "STRING"}, {"name": "n", "type": "INTEGER"}]
    )
    #: Result rows, as lists of values already in BigQuery's string encoding.
    rows: list[list[str | None]] = field(default_factory=lambda: [["UA", "58665"], ["B6", "54635"]])
    #: If set, query jobs fail with this error reason and message.
    job_error: tuple[str, str] | None = None
    requests: list[RecordedRequest] = field(default_factory=list)
    jobs: dict[str, dict[str, Any]] = field(default_factory=dict)

    def job_inserts(self) -> list[dict[str, Any]]:
        """Return the bodies of jobs.insert requests, in order."""
        return [r.body for r in self.requests if r.method == "POST" and r.path.endswith("/jobs") and r.body]


class _Handler(BaseHTTPRequestHandler):
    state: FakeBigQuery

    def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
        pass

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def _dispatch(self, method: str) -> None:
        url = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        body = json.loads(raw) if raw else None
        self.state.requests.append(
            RecordedRequest(method, url.path, parse_qs(url.query), body, {k.lower(): v for k, v in self.headers.items()})
        )
        path = url.path.removeprefix("/bigquery/v2")
        if method == "POST" and (m := re.fullmatch(r"/projects/([^/]+)/jobs", path)):
            return self._insert_job(m.group(1), body or {})
        if method == "GET" and (m := re.fullmatch(r"/projects/([^/]+)/queries/([^/]+)", path)):
            return self._query_results(m.group(1), m.group(2), url.query)
        if method == "GET" and (m := re.fullmatch(r"/projects/([^/]+)/jobs/([^/]+)", path)):
            job = self.state.jobs.get(m.group(2))
            return self._send(200, job) if job else self._not_found(f"Job {m.group(2)}")
        self._not_found(path)

    def _insert_job(self, project: str, body: dict[str, Any]) -> None:
        reference = body.get("jobReference") or {}
        job_id = reference.get("jobId") or uuid.uuid4().hex
        configuration = body.get("configuration", {})
        dry_run = bool(configuration.get("dryRun"))
        bytes_text = str(self.state.estimated_bytes)
        job = {
            "kind": "bigquery#job",
            "id": f"{project}:US.{job_id}",
            "jobReference": {"projectId": project, "jobId": job_id, "location": reference.get("location", "US")},
            "configuration": configuration,
            "status": {"state": "DONE"},
            "statistics": {
                "creationTime": "1700000000000",
                "totalBytesProcessed": bytes_text,
                "query": {"totalBytesProcessed": bytes_text, "totalBytesBilled": "0" if dry_run else bytes_text},
            },
        }
        if self.state.job_error and not dry_run:
            reason, message = self.state.job_error
            job["status"] = {"state": "DONE", "errorResult": {"reason": reason, "message": message}, "errors": [
                {"reason": reason, "message": message}
            ]}
        if not dry_run:
            self.state.jobs[job_id] = job
        self._send(200, job)

    def _query_results(self, project: str, job_id: str, query_string: str) -> None:
        job = self.state.jobs.get(job_id)
        if job is None:
            return self._not_found(f"Job {job_id}")
        if "errorResult" in job["status"]:
            error = job["status"]["errorResult"]
            return self._send(400, {"error": {"code": 400, "message": error["message"], "errors": [error]}})
        # Like BigQuery, return rows only when maxResults allows; the client
        # first asks with maxResults=0 to wait for the job, then pages rows.
        max_results = parse_qs(query_string).get("maxResults", [None])[0]
        rows = self.state.rows if max_results is None else self.state.rows[: int(max_results)]
        response = {
            "kind": "bigquery#getQueryResultsResponse",
            "jobReference": job["jobReference"],
            "jobComplete": True,
            "schema": {"fields": self.state.schema},
            "totalRows": str(len(self.state.rows)),
            "totalBytesProcessed": str(self.state.estimated_bytes),
        }
        if rows:
            response["rows"] = [{"f": [{"v": value} for value in row]} for row in rows]
        self._send(200, response)

    def _not_found(self, what: str) -> None:
        self._send(404, {"error": {"code": 404, "message": f"Not found: {what}", "errors": [{"reason": "notFound"}]}})

    def _send(self, status: int, payload: dict[str, Any]) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class FakeBigQueryServer:
    """Serve :class:`FakeBigQuery` on a free loopback port in a background thread."""

    def __init__(self) -> None:
        self.state = FakeBigQuery()
        handler = type("Handler", (_Handler,), {"state": self.state})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> "FakeBigQueryServer":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def reset(self) -> None:
        self.state.requests.clear()
        self.state.jobs.clear()
        self.state.job_error = None
        self.state.estimated_bytes = 1_000
