"""The jobs service: a JupyterHub-managed Tornado server with hub OAuth, running the local scheduler.

The hub starts it from ``c.JupyterHub.services`` (see :func:`hub_service_config`)
and passes ``JUPYTERHUB_API_TOKEN``, ``JUPYTERHUB_SERVICE_URL`` and
``JUPYTERHUB_SERVICE_PREFIX``. Run it by hand with
``python -m nbplatform.web.service`` under those variables.
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import signal
import sys
from pathlib import Path
from urllib.parse import urlparse

from jupyterhub.services.auth import HubOAuth
from tornado import ioloop, web
from traitlets import Bool, Float, Unicode, default
from traitlets.config import Application

from ..config import Settings, check_bind_address
from ..jobs.context import JobsContext
from ..jobs.scheduler import Scheduler, SubprocessLauncher
from ..profiles import ProfileRegistry
from ..sentry import init_sentry
from ..errors import ProfileError
from .handlers import JobActionAPI, JobAPI, JobListAPI, JobsPage, MetricsHandler, OAuthCallbackHandler, PromotePage, RunOutputHandler

log = logging.getLogger(__name__)

SERVICE_NAME = "jobs"
TEMPLATES = Path(__file__).parent / "templates"


class JobsService(Application):
    """Serves the Jobs page and API and runs the local scheduler in the same process."""

    name = "nbplatform-jobs"
    description = "nbplatform jobs service (JupyterHub-managed)"

    service_url = Unicode(
        help="""URL the service listens on, such as http://127.0.0.1:8101.

        Default: $JUPYTERHUB_SERVICE_URL, set by the hub for a managed service.
        Only loopback hosts are accepted unless NBPLATFORM_ALLOW_REMOTE is set.""",
    ).tag(config=True)

    @default("service_url")
    def _service_url_default(self) -> str:
        return os.environ.get("JUPYTERHUB_SERVICE_URL", f"http://127.0.0.1:{DEFAULT_PORT}")

    prefix = Unicode(
        help="""URL prefix under the hub's proxy, ending in '/'. Default: $JUPYTERHUB_SERVICE_PREFIX or /services/jobs/.""",
    ).tag(config=True)

    @default("prefix")
    def _prefix_default(self) -> str:
        return os.environ.get("JUPYTERHUB_SERVICE_PREFIX", f"/services/{SERVICE_NAME}/")

    bind_ip = Unicode(
        help="""Address to listen on. Default: ``NBPLATFORM_JOBS_BIND_IP``, else the
        host of ``service_url``. On GKE the hub sets 0.0.0.0, because the proxy
        reaches the service from another pod through the hub's Kubernetes Service.""",
    ).tag(config=True)

    @default("bind_ip")
    def _default_bind_ip(self) -> str:
        return os.environ.get("NBPLATFORM_JOBS_BIND_IP") or urlparse(self.service_url).hostname or "127.0.0.1"

    scheduler_enabled = Bool(
        help="""Run the local scheduler in this process. Default: True in local
        mode, False on GKE, where Kubernetes CronJobs schedule the jobs.

        Set False when another process schedules the jobs; run now, pause and
        resume still work.""",
    ).tag(config=True)

    @default("scheduler_enabled")
    def _default_scheduler_enabled(self) -> bool:
        return self.settings.mode == "local"

    parent_check_interval = Float(
        1.0,
        help="""Seconds between checks that the hub which started this service is still alive. Default 1.

        When the hub dies (SIGKILL, OOM), the service exits within this time, so
        the restarted hub can start a fresh service on the same port instead of
        finding the port bound by an orphan whose API token the new hub no longer accepts.
        Set 0 to disable (for example when the service runs on its own).""",
    ).tag(config=True)

    scheduler_interval = Float(
        15.0,
        help="""Seconds between scheduling passes. Default 15.

        A slot starts at most this long after its time; keep it well below the jobs'
        catchup.grace_seconds (default 300) or slots count as missed.""",
    ).tag(config=True)

    def initialize(self, argv: list[str] | None = None) -> None:
        super().initialize(argv)
        init_sentry("jobs-service")
        self.settings = Settings.from_env()
        self.context = JobsContext(self.settings)
        self.launcher = SubprocessLauncher(self.context)
        self.scheduler = Scheduler(self.context, self.launcher)
        try:
            self.profiles: ProfileRegistry | None = ProfileRegistry(self.settings.profiles_dir)
        except ProfileError as exc:
            log.warning("Profiles unavailable (%s); promote will not check profile names", exc.message)
            self.profiles = None
        self._scheduling = False

    def make_app(self, hub_auth: HubOAuth | None = None) -> web.Application:
        hub_auth = hub_auth or HubOAuth(cache_max_age=60)
        prefix = self.prefix
        handler_settings = {"hub_auth": hub_auth}
        routes = [
            (prefix, JobsPage),
            (prefix + "promote", PromotePage),
            (prefix + "oauth_callback", OAuthCallbackHandler),
            (prefix + "metrics", MetricsHandler),
            (prefix + "api/jobs", JobListAPI),
            (prefix + r"api/jobs/([a-z0-9-]+)", JobAPI),
            (prefix + r"api/jobs/([a-z0-9-]+)/(run|pause|resume)", JobActionAPI),
            (prefix + r"runs/([a-z0-9-]+)/([A-Za-z0-9_.-]+)/(output\.html|output\.ipynb)", RunOutputHandler),
        ]
        return web.Application(
            [(pattern, handler, {}) for pattern, handler in routes],
            cookie_secret=secrets.token_bytes(32),
            template_path=str(TEMPLATES),
            jobs_service=self,
            **handler_settings,
        )

    async def _scheduling_pass(self) -> None:
        if self._scheduling:
            return
        self._scheduling = True
        try:
            decisions = await asyncio.get_running_loop().run_in_executor(None, self.scheduler.tick)
            for decision in decisions:
                log.debug("Scheduler: job %r slot %s %s", decision.job, decision.slot.isoformat(), decision.action)
        except Exception:  # the loop goes on; the next pass retries
            log.exception("Scheduling pass failed")
        finally:
            self._scheduling = False

    def _watch_parent(self, loop: ioloop.IOLoop) -> None:
        parent = os.getppid()

        def check() -> None:
            if os.getppid() != parent:
                log.warning("Hub process %d is gone; stopping the jobs service so a restarted hub can start it again", parent)
                loop.stop()

        ioloop.PeriodicCallback(check, self.parent_check_interval * 1000).start()

    def start(self) -> None:
        url = urlparse(self.service_url)
        host, port = self.bind_ip, url.port or DEFAULT_PORT
        if self.settings.mode == "local":
            check_bind_address(host, self.settings.allow_remote)
        app = self.make_app()
        app.listen(port, address=host)
        log.info("Jobs service listening on %s (prefix %s), jobs in %s", self.service_url, self.prefix, self.settings.jobs_dir)
        loop = ioloop.IOLoop.current()
        if self.parent_check_interval > 0:
            self._watch_parent(loop)
        if self.scheduler_enabled:
            callback = ioloop.PeriodicCallback(self._scheduling_pass, self.scheduler_interval * 1000)
            callback.start()
            loop.add_callback(self._scheduling_pass)
            log.info("Scheduler started: a pass every %.0f s", self.scheduler_interval)
        self._stop_on_signals(loop)
        loop.start()
        log.info("Jobs service stopped")

    def _stop_on_signals(self, loop: ioloop.IOLoop) -> None:
        """Stop the loop on SIGINT or SIGTERM, so the hub's shutdown does not wait for its kill timeout."""

        def stop(signum: int, frame: object) -> None:
            log.info("Jobs service received %s; stopping", signal.Signals(signum).name)
            loop.add_callback_from_signal(loop.stop)

        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, stop)


#: Loopback port of the jobs service when neither ``NBPLATFORM_JOBS_PORT`` nor the hub's port sets one.
DEFAULT_PORT = 8101
#: Offset from the hub's public port (8000 gives 8101), so hubs on different ports get different services.
PORT_OFFSET = 101


def hub_service_config(
    settings: Settings, port: int | None = None, host: str = "127.0.0.1"
) -> tuple[list[dict], list[dict]]:
    """Return the ``c.JupyterHub.services`` entry and the roles the jobs service needs.

    ``host`` is how the proxy reaches the service: loopback locally, the hub's
    Kubernetes Service name on GKE, where the service then listens on all
    interfaces and Kubernetes CronJobs do the scheduling.

    The ``user`` role gains access to the service, so every user can sign in to
    it. The service's own role may read users, because it needs their admin flag.
    The port comes from ``port``, else ``NBPLATFORM_JOBS_PORT``, else the hub's
    port plus 101 (8101 for the default hub port 8000).
    """
    if port is None and os.environ.get("NBPLATFORM_JOBS_PORT"):
        port = int(os.environ["NBPLATFORM_JOBS_PORT"])
    if port is None:
        port = settings.port + PORT_OFFSET if settings.port + PORT_OFFSET < 65536 else DEFAULT_PORT
    env = {
        "NBPLATFORM_MODE": settings.mode,
        "NBPLATFORM_DATA_DIR": str(settings.data_dir),
        "NBPLATFORM_PROFILES_DIR": str(settings.profiles_dir),
        "NBPLATFORM_JOBS_DIR": str(settings.jobs_dir),
        "NBPLATFORM_NOTEBOOKS_DIR": str(settings.notebooks_dir),
    }
    if host not in ("127.0.0.1", "localhost"):
        env["NBPLATFORM_JOBS_BIND_IP"] = "0.0.0.0"
    for passthrough in ("PYTHONPATH", "SENTRY_DSN", "NBPLATFORM_SENTRY_DSN", "NBPLATFORM_ALLOW_REMOTE", "PATH", "LANG"):
        if os.environ.get(passthrough):
            env[passthrough] = os.environ[passthrough]
    services = [
        {
            "name": SERVICE_NAME,
            "display": True,
            "url": f"http://{host}:{port}",
            "command": [sys.executable, "-m", "nbplatform.web.service"],
            "environment": env,
            "oauth_no_confirm": True,
        }
    ]
    roles = [
        {"name": "nbplatform-jobs-service", "scopes": ["read:users"], "services": [SERVICE_NAME]},
        {"name": "user", "scopes": ["self", f"access:services!service={SERVICE_NAME}"]},
    ]
    return services, roles


def main(argv: list[str] | None = None) -> None:
    logging.basicConfig(level=logging.INFO, format="[%(levelname)1.1s %(asctime)s %(name)s] %(message)s")
    JobsService.launch_instance(argv)


if __name__ == "__main__":
    main()
