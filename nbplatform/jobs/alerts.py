"""Alerts for failed runs: a Sentry event when a DSN is configured, and a JSON webhook.

Both are sent from the process that ran the job, after its last attempt. A
failure to deliver an alert is logged and never changes the run's status.
"""

from __future__ import annotations

import json
import logging
import os
import urllib.error
import urllib.request
from typing import TYPE_CHECKING, Mapping

if TYPE_CHECKING:
    from .spec import JobSpec
    from .store import RunRecord

log = logging.getLogger(__name__)

#: Seconds to wait for a webhook receiver or for Sentry to accept an event.
DELIVERY_TIMEOUT = 10


def alert_payload(spec: "JobSpec", record: "RunRecord") -> dict:
    """Return the JSON body of a failure alert."""
    return {
        "event": "run_failed",
        "job": spec.name,
        "owner": spec.owner,
        "run_id": record.run_id,
        "status": record.status,
        "logical_date": record.logical_date.isoformat(),
        "attempt": record.attempt,
        "started": record.started.isoformat(),
        "ended": record.ended.isoformat() if record.ended else None,
        "duration_seconds": record.duration_seconds,
        "error_name": record.error_name,
        "error_message": record.error_message,
        "error_cell": record.error_cell,
        "output_notebook": record.output_notebook,
        "output_html": record.output_html,
        "output_location": record.output_location,
    }


class AlertSender:
    """Sends failure alerts for runs; the Sentry DSN comes from settings, the webhook from each spec."""

    def __init__(self, sentry_dsn: str | None = None) -> None:
        self.sentry_dsn = sentry_dsn or None
        self._client = None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> "AlertSender":
        env = os.environ if environ is None else environ
        return cls(sentry_dsn=env.get("NBPLATFORM_SENTRY_DSN") or env.get("SENTRY_DSN"))

    def run_failed(self, spec: "JobSpec", record: "RunRecord") -> None:
        payload = alert_payload(spec, record)
        if spec.alerts.sentry and self.sentry_dsn:
            self._send_sentry(payload)
        if spec.alerts.webhook:
            self._send_webhook(spec.alerts.webhook, payload)

    def _send_sentry(self, payload: dict) -> None:
        import sentry_sdk  # imported on first use: the SDK is only needed when a DSN is set

        try:
            if self._client is None:
                self._client = sentry_sdk.Client(
                    dsn=self.sentry_dsn, default_integrations=False, auto_enabling_integrations=False,
                )
            with sentry_sdk.isolation_scope() as scope:
                scope.set_client(self._client)
                scope.set_tag("job", payload["job"])
                scope.set_tag("run_id", payload["run_id"])
                scope.set_tag("status", payload["status"])
                scope.set_context("run", payload)
                scope.fingerprint = ["nbplatform-job", payload["job"], payload["status"]]
                scope.capture_message(
                    f"Job {payload['job']} run {payload['run_id']} {payload['status']}: {payload['error_name'] or ''}",
                    level="error",
                )
            self._client.flush(timeout=DELIVERY_TIMEOUT)
            log.info("Sentry alert sent for run %s of job %r", payload["run_id"], payload["job"])
        except Exception:  # alert delivery must not fail the run
            log.warning("Sending the Sentry alert for run %s of job %r failed", payload["run_id"], payload["job"], exc_info=True)

    def _send_webhook(self, url: str, payload: dict) -> None:
        body = json.dumps(payload).encode("utf-8")
        request = urllib.request.Request(url, data=body, method="POST", headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=DELIVERY_TIMEOUT) as response:
                log.info("Webhook alert for run %s of job %r: HTTP %d", payload["run_id"], payload["job"], response.status)
        except (urllib.error.URLError, OSError) as exc:
            log.warning("Webhook alert for run %s of job %r failed: %s", payload["run_id"], payload["job"], exc)
