"""Tornado handlers of the jobs service: the Jobs and Promote pages, the JSON API and run outputs.

Every handler resolves the hub user through hub OAuth (a browser cookie) or an
API token, then applies :func:`may_access` before it reads or changes a job.
Non-admins get 404 for jobs of other users, so their names do not leak.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import time
from pathlib import Path
from typing import Any, Sequence
from urllib.parse import quote

from jupyterhub.services.auth import HubOAuthCallbackHandler, HubOAuthenticated
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from tornado import web
from tornado.httpclient import AsyncHTTPClient, HTTPClientError, HTTPRequest

from ..i18n import locale_from_accept_language
from ..jobs.errors import JobError, JobNotFound
from ..jobs.schedule import next_slot
from ..jobs.spec import JobSpec
from ..jobs.store import HTML_NAME, NOTEBOOK_NAME, new_run_id
from .access import Caller, may_access, visible_jobs
from .messages import MESSAGES
from .promote_form import (
    DEFAULTS, FIELDS, FieldError, check_form, error_from_promotion, form_values, parse_parameter_lines, resolve_notebook,
)
from .metrics import job_metric_families

log = logging.getLogger(__name__)

#: Seconds a user's admin flag, read from the hub API, is reused.
ADMIN_CACHE_SECONDS = 60
_admin_cache: dict[str, tuple[float, bool]] = {}


class BaseHandler(HubOAuthenticated, web.RequestHandler):
    """Resolves the calling hub user and their admin flag before each request."""

    caller: Caller

    def initialize(self) -> None:
        self.hub_auth = self.settings["hub_auth"]

    @property
    def service(self):
        return self.settings["jobs_service"]

    @property
    def context(self):
        return self.service.context

    @property
    def locale_code(self) -> str:
        return locale_from_accept_language(self.request.headers.get("Accept-Language"))

    def text(self, key: str, **fields: object) -> str:
        return MESSAGES.get(key, self.locale_code, **fields)

    async def prepare(self) -> None:
        model = self.get_current_user()
        if not model:
            return
        name = model.get("name", "")
        admin = model.get("admin")
        if admin is None:
            admin = await self._lookup_admin(name)
        self.caller = Caller(name=name, admin=bool(admin))

    async def _lookup_admin(self, name: str) -> bool:
        cached = _admin_cache.get(name)
        if cached and time.monotonic() - cached[0] < ADMIN_CACHE_SECONDS:
            return cached[1]
        auth = self.hub_auth
        request = HTTPRequest(
            f"{auth.api_url}/users/{quote(name)}",
            headers={"Authorization": f"token {auth.api_token}"},
            request_timeout=10,
        )
        try:
            response = await AsyncHTTPClient().fetch(request)
            admin = bool(json.loads(response.body).get("admin"))
        except (HTTPClientError, OSError, ValueError) as exc:
            log.warning("Reading the admin flag of user %r from the hub failed: %s; treating as non-admin", name, exc)
            return False
        _admin_cache[name] = (time.monotonic(), admin)
        return admin

    def job_for_caller(self, name: str) -> JobSpec:
        """Return the job if it exists and the caller may access it; 404 otherwise."""
        try:
            spec = self.context.specs.get(name)
        except JobNotFound:
            raise web.HTTPError(404, f"Job {name} not found") from None
        if not may_access(self.caller, spec):
            log.warning("User %r denied access to job %r of %r", self.caller.name, name, spec.owner)
            raise web.HTTPError(404, f"Job {name} not found")
        return spec

    def job_model(self, spec: JobSpec, runs: int = 5) -> dict[str, Any]:
        now = dt.datetime.now(dt.timezone.utc)
        entries = self.context.history_for(spec).runs(spec.name, limit=runs)
        base = self.service.prefix
        return {
            "name": spec.name,
            "owner": spec.owner,
            "schedule": spec.schedule,
            "timezone": spec.timezone,
            "paused": spec.paused,
            "profile": spec.profile,
            "parameters": spec.parameters,
            "notebook": spec.notebook.model_dump(),
            "next_run": None if spec.paused else next_slot(spec.schedule, spec.zone, now).astimezone(spec.zone).isoformat(),
            "runs": [
                {
                    "run_id": r.run_id,
                    "status": r.status,
                    "logical_date": r.logical_date.isoformat(),
                    "started": r.started.isoformat(),
                    "duration_seconds": r.duration_seconds,
                    "error_name": r.error_name,
                    "error_message": r.error_message,
                    "error_cell": r.error_cell,
                    # Set when the job's output location was not writable and the run is kept in ``recorded_in``.
                    "output_location": r.output_location,
                    "recorded_in": store.url(spec.name, r.run_id, "").rstrip("/") if r.output_location else None,
                    "trigger": r.trigger,
                    "html_url": f"{base}runs/{spec.name}/{r.run_id}/{HTML_NAME}" if r.output_html else None,
                    "notebook_url": f"{base}runs/{spec.name}/{r.run_id}/{NOTEBOOK_NAME}" if r.output_notebook else None,
                }
                for r, store in entries
            ],
        }


class OAuthCallbackHandler(HubOAuthCallbackHandler):
    """Finishes hub OAuth sign-in with the service's own :class:`HubOAuth`."""

    def initialize(self) -> None:
        self.hub_auth = self.settings["hub_auth"]


class APIHandler(BaseHandler):
    """JSON in and out; errors as ``{"error": ..., "reason": ...}``."""

    def get_login_url(self) -> str:
        raise web.HTTPError(403, "Authentication required: sign in to the hub or send an API token.")

    def write_json(self, data: Any, status: int = 200) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.finish(json.dumps(data, ensure_ascii=False))

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        message = self._reason
        exc = kwargs.get("exc_info", (None, None, None))[1]
        if isinstance(exc, web.HTTPError) and exc.log_message:
            message = exc.log_message
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.finish(json.dumps({"error": message, "status": status_code}))


class JobListAPI(APIHandler):
    @web.authenticated
    def get(self) -> None:
        specs = visible_jobs(self.caller, list(self.context.specs.load_all().values()))
        model = {"user": self.caller.name, "admin": self.caller.admin, "jobs": [self.job_model(s) for s in specs]}
        if self.caller.admin:
            # Admins see spec files that failed validation, with the validator's message.
            model["invalid_specs"] = {path.name: error for path, error in self.context.specs.errors.items()}
        self.write_json(model)


class JobAPI(APIHandler):
    @web.authenticated
    def get(self, name: str) -> None:
        self.write_json(self.job_model(self.job_for_caller(name), runs=20))

    @web.authenticated
    def delete(self, name: str) -> None:
        spec = self.job_for_caller(name)
        self.context.specs.delete(spec.name)
        log.info("Job %r deleted by %r", spec.name, self.caller.name)
        self.write_json({"deleted": spec.name})


class JobActionAPI(APIHandler):
    @web.authenticated
    def post(self, name: str, action: str) -> None:
        spec = self.job_for_caller(name)
        if action in ("pause", "resume"):
            updated = spec.model_copy(update={"paused": action == "pause"})
            self.context.specs.write(updated)
            log.info("Job %r %sd by %r", spec.name, action, self.caller.name)
            self.write_json(self.job_model(updated))
            return
        # action == "run": a manual run now, outside the schedule and its slot claims.
        now = dt.datetime.now(dt.timezone.utc)
        run_id = new_run_id(now)
        # The launcher logs the one line for this event, naming the caller.
        self.service.launcher.launch(spec, now, run_id, "manual", requested_by=self.caller.name)
        self.write_json({"job": spec.name, "run_id": run_id}, status=202)


class RunOutputHandler(BaseHandler):
    """Serves a run's HTML rendering or notebook in a sandbox, so notebook scripts cannot use the service's cookies."""

    @web.authenticated
    def get(self, name: str, run_id: str, filename: str) -> None:
        spec = self.job_for_caller(name)
        try:
            data = self.context.history_for(spec).read_bytes(spec.name, run_id, filename)
        except (FileNotFoundError, JobError):
            raise web.HTTPError(404, "Output not found") from None
        if filename == HTML_NAME:
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.set_header("Content-Security-Policy", "sandbox allow-scripts")
        else:
            self.set_header("Content-Type", "application/x-ipynb+json")
            self.set_header("Content-Disposition", f'attachment; filename="{spec.name}-{run_id}.ipynb"')
        self.set_header("X-Content-Type-Options", "nosniff")
        self.finish(data)


class JobsPage(BaseHandler):
    @web.authenticated
    def get(self) -> None:
        specs = visible_jobs(self.caller, list(self.context.specs.load_all().values()))
        self.render(
            "jobs.html", t=self.text, locale=self.locale_code, caller=self.caller,
            jobs=[self.job_model(s) for s in specs], prefix=self.service.prefix,
        )


def home_notebooks(home: Path) -> list[str]:
    """Return the notebooks under ``home`` as relative paths, skipping checkpoints and hidden folders."""
    if not home.is_dir():
        return []
    found = []
    for path in sorted(home.rglob("*.ipynb")):
        relative = path.relative_to(home)
        if any(part.startswith(".") for part in relative.parts):
            continue
        found.append(str(relative))
    return found


class PromotePage(BaseHandler):
    """The Promote form; after an error it comes back with every submitted value and the error at its field."""

    def home(self) -> Path:
        return self.context.settings.homes_dir / self.caller.name

    @web.authenticated
    def get(self) -> None:
        self._render(dict(DEFAULTS))

    def _render(self, values: dict[str, str], errors: Sequence[FieldError] = (), done: str | None = None, status: int = 200) -> None:
        notebooks = home_notebooks(self.home())
        # A submitted path that is not in the list (deleted, or typed into the request) stays selected.
        if values["notebook"] and values["notebook"] not in notebooks:
            notebooks.insert(0, values["notebook"])
        by_field = {name: [self.text(e.key, **e.values) for e in errors if e.field == name] for name in FIELDS}
        summary = [self.text(e.key, **e.values) for e in errors if e.field is None]
        fields_in_error = [self.text(f"field_{name}") for name in FIELDS if by_field[name]]
        if fields_in_error:
            summary.insert(0, self.text("error_summary", fields=self.text("list_separator").join(fields_in_error)))
        self.set_status(status)
        self.render(
            "promote.html", t=self.text, locale=self.locale_code, caller=self.caller, prefix=self.service.prefix,
            notebooks=notebooks, values=values, field_errors=by_field, summary=summary, done=done,
        )

    @web.authenticated
    def post(self) -> None:
        # Imported on use: promotion loads nbformat, which is slow to import, and the service should start fast.
        from ..jobs.promote import PromoteRequest, promote

        values = form_values(self.request.body_arguments)
        home = self.home()
        errors = check_form(values, home)
        if errors:
            log.warning(
                "Promotion of %r by %r rejected: %s", values["notebook"], self.caller.name, ", ".join(e.key for e in errors)
            )
            self._render(values, errors, status=400)
            return
        notebook = resolve_notebook(home, values["notebook"].strip())
        parameters, _ = parse_parameter_lines(values["parameters"])
        try:
            spec = promote(
                PromoteRequest(
                    notebook=notebook,
                    name=values["name"].strip(),
                    schedule=values["schedule"].strip(),
                    owner=self.caller.name,
                    timezone=values["timezone"].strip() or DEFAULTS["timezone"],
                    profile=values["profile"].strip() or None,
                    parameters=parameters,
                    parameters_as_text=True,
                    source_label=str(notebook),
                ),
                specs=self.context.specs,
                snapshots=self.context.snapshots,
                profiles=self.service.profiles,
                is_admin=self.caller.admin,
            )
        except JobError as exc:
            # The reason only: the message may quote parameter values the user typed.
            log.warning(
                "Promotion of %r to job %r by %r rejected: %s",
                values["notebook"], values["name"].strip(), self.caller.name, exc.reason,
            )
            self._render(values, [error_from_promotion(exc, values)], status=400)
            return
        self._render(dict(DEFAULTS), done=spec.name)


class MetricsHandler(HubOAuthenticated, web.RequestHandler):
    """Prometheus text exposition of the jobs' run metrics, for tokens with the ``read:metrics`` scope."""

    def initialize(self) -> None:
        self.hub_auth = self.settings["hub_auth"]

    def get_login_url(self) -> str:
        raise web.HTTPError(403, "Send a hub API token with the read:metrics scope.")

    async def get(self) -> None:
        model = self.get_current_user()
        if not model:
            raise web.HTTPError(403, "Send a hub API token with the read:metrics scope.")
        if "read:metrics" not in model.get("scopes", []):
            raise web.HTTPError(403, "This token lacks the read:metrics scope.")
        context = self.settings["jobs_service"].context
        payload = await asyncio.to_thread(render_job_metrics, context)
        self.set_header("Content-Type", CONTENT_TYPE_LATEST)
        self.finish(payload)


def render_job_metrics(context) -> bytes:
    """Read every job's run records and return them in the Prometheus text format."""
    # NOTE: reads all run records on each scrape; with thousands of runs per
    # job, scrape at a longer interval or cache the result.
    runs_by_job = {name: context.history_for(spec).list_runs(name) for name, spec in context.specs.load_all().items()}
    registry = CollectorRegistry(auto_describe=False)
    registry.register(_StaticCollector(job_metric_families(runs_by_job)))
    return generate_latest(registry)


class _StaticCollector:
    def __init__(self, families: list) -> None:
        self.families = families

    def collect(self):
        return iter(self.families)
