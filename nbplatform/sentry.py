"""Sentry for unexpected exceptions in the hub's platform code and in the jobs service.

With ``NBPLATFORM_SENTRY_DSN`` (or ``SENTRY_DSN``) set, :func:`init_sentry`
starts the SDK in the calling process. Every record logged at ERROR level or
above (``log.exception`` in catch-all handlers, Tornado's "Uncaught exception")
then becomes a Sentry event tagged with the component. Without a DSN it does
nothing. Failed job runs are reported separately by ``nbplatform.jobs.alerts``.
"""

from __future__ import annotations

import logging
import os
from typing import Mapping

log = logging.getLogger(__name__)


def sentry_dsn(environ: Mapping[str, str] | None = None) -> str | None:
    """Return the configured DSN: ``NBPLATFORM_SENTRY_DSN``, else ``SENTRY_DSN``, else None."""
    env = os.environ if environ is None else environ
    return env.get("NBPLATFORM_SENTRY_DSN") or env.get("SENTRY_DSN") or None


def init_sentry(component: str, environ: Mapping[str, str] | None = None) -> bool:
    """Start Sentry for this process if a DSN is configured; return True if it was started."""
    dsn = sentry_dsn(environ)
    if not dsn:
        return False
    import sentry_sdk  # imported only when a DSN is set
    from sentry_sdk.integrations.logging import LoggingIntegration

    sentry_sdk.init(
        dsn=dsn,
        # No request bodies, cookies, Authorization headers or user IPs leave the process.
        send_default_pii=False,
        max_request_body_size="never",
        traces_sample_rate=0.0,
        integrations=[LoggingIntegration(level=logging.INFO, event_level=logging.ERROR)],
    )
    sentry_sdk.set_tag("component", component)
    log.info("Sentry enabled for %s (events from ERROR log records)", component)
    return True
