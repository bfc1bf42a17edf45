"""The job spec: one YAML file per job under the jobs directory, validated on load.

Every validation error names the file, the field, the rejected value and the
fix, the way profile files are checked.
"""

from __future__ import annotations

import logging
import os
import re
import tempfile
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from croniter import croniter
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ..i18n import Message
from .errors import JobNotFound, JobSpecError
from .messages import CATALOG, message

#: Kubernetes names a CronJob's Jobs ``<name>-<minutes>`` and caps the result at 63 characters,
#: so a CronJob name may have at most 52.
NAME_PATTERN = re.compile(r"^[a-z0-9]([-a-z0-9]{0,50}[a-z0-9])?$")
SPEC_SUFFIX = ".yaml"
#: Names the runner injects itself; a spec cannot set them as parameters.
RESERVED_PARAMETERS = ("logical_date", "run_id")
DEFAULT_TIMEZONE = "Asia/Tokyo"
#: The libyaml parser when PyYAML was built with it; the scheduler reads every spec on a cold start.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_YAML_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


log = logging.getLogger(__name__)


def is_valid_schedule(value: str) -> bool:
    """Return True for a 5-field cron expression that croniter accepts."""
    return len(value.split()) == 5 and croniter.is_valid(value)


def is_valid_timezone(value: str) -> bool:
    """Return True for an IANA time zone name, such as ``Asia/Tokyo``."""
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


class NotebookRef(BaseModel):
    """The snapshot a job runs and the working copy it was taken from."""

    model_config = ConfigDict(extra="forbid")

    snapshot: str
    source: str = ""
    kernel: str = "python3"

    @field_validator("snapshot")
    @classmethod
    def _snapshot_is_digest(cls, value: str) -> str:
        if not re.fullmatch(r"sha256:[0-9a-f]{64}", value):
            raise ValueError("must be 'sha256:' followed by 64 hex digits, as written by nbplatform promote")
        return value


class Retries(BaseModel):
    model_config = ConfigDict(extra="forbid")

    #: Extra attempts after the first one fails.
    max: int = Field(default=0, ge=0, le=10)
    #: Wait before the first retry in seconds; doubled before each further retry.
    backoff_seconds: float = Field(default=60, ge=0, le=86400)

    def delay_before(self, attempt: int) -> float:
        """Return the wait in seconds before ``attempt`` (2 is the first retry)."""
        return self.backoff_seconds * (2 ** max(attempt - 2, 0))


class CatchUp(BaseModel):
    model_config = ConfigDict(extra="forbid")

    #: ``none`` skips slots missed while no scheduler ran, ``latest`` runs the newest one,
    #: ``all`` runs up to ``max_runs`` of the newest ones, oldest first.
    policy: Literal["none", "latest", "all"] = "latest"
    max_runs: int = Field(default=10, ge=1, le=1000)
    #: A slot at most this many seconds old is on time and runs whatever the policy
    #: (``startingDeadlineSeconds`` of the CronJob when the policy is ``none``).
    grace_seconds: int = Field(default=300, ge=10, le=86400)
    #: Missed slots older than this many seconds are never caught up
    #: (``startingDeadlineSeconds`` when the policy is ``latest`` or ``all``).
    window_seconds: int = Field(default=86400, ge=60, le=90 * 86400)


class Alerts(BaseModel):
    model_config = ConfigDict(extra="forbid")

    #: Report failed runs to Sentry when the scheduler or runner has ``SENTRY_DSN`` set.
    sentry: bool = True
    #: URL that receives a JSON POST for every failed run; ``null`` sends none.
    webhook: str | None = None

    @field_validator("webhook")
    @classmethod
    def _webhook_is_http(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"^https?://", value):
            raise ValueError("must be an http:// or https:// URL")
        return value


class Output(BaseModel):
    model_config = ConfigDict(extra="forbid")

    #: fsspec URL under which each run writes its notebook, HTML and record
    #: (``gs://bucket/runs`` on GKE); ``null`` means the platform's runs directory.
    location: str | None = None


class JobSpec(BaseModel):
    """One scheduled notebook job."""

    model_config = ConfigDict(extra="forbid")

    name: str
    owner: str
    notebook: NotebookRef
    profile: str | None = None
    #: Container image; on GKE it must be pinned by digest (``...@sha256:...``).
    image: str | None = None
    schedule: str
    timezone: str = DEFAULT_TIMEZONE
    parameters: dict[str, Any] = Field(default_factory=dict)
    #: Deadline for the whole run in seconds, kernel start included.
    timeout_seconds: int = Field(default=3600, ge=1, le=7 * 86400)
    retries: Retries = Field(default_factory=Retries)
    overlap: Literal["forbid", "allow"] = "forbid"
    catchup: CatchUp = Field(default_factory=CatchUp)
    output: Output = Field(default_factory=Output)
    alerts: Alerts = Field(default_factory=Alerts)
    paused: bool = False

    @field_validator("name")
    @classmethod
    def _name_is_dns_label(cls, value: str) -> str:
        if not NAME_PATTERN.match(value):
            raise ValueError("must be 1-52 lowercase letters, digits or '-', starting and ending with a letter or digit")
        return value

    @field_validator("schedule")
    @classmethod
    def _schedule_is_cron(cls, value: str) -> str:
        if not is_valid_schedule(value):
            raise ValueError("must be a 5-field cron expression")
        return value

    @field_validator("timezone")
    @classmethod
    def _timezone_is_iana(cls, value: str) -> str:
        if not is_valid_timezone(value):
            raise ValueError("is not an IANA time zone name")
        return value

    @field_validator("parameters")
    @classmethod
    def _parameters_not_reserved(cls, value: dict[str, Any]) -> dict[str, Any]:
        for name in value:
            if name in RESERVED_PARAMETERS:
                raise ValueError(f"{name!r} is set by the runner for every run and cannot be a job parameter")
        return value

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


def _fix_for(error: Any) -> Message:
    """Return what to do about one pydantic error, chosen by the first element of its field path."""
    if error["type"] == "extra_forbidden":
        return message("fix-extra-field")
    key = f"fix-{error['loc'][0]}" if error["loc"] else ""
    return message(key if key in CATALOG.keys() else "fix-other")


def _format_validation_error(path: Path | str, exc: ValidationError) -> list[Message]:
    """Return one line per problem naming the file, field, value and fix.

    The problem itself is pydantic's or a validator's English text in every locale.
    """
    lines = []
    for error in exc.errors():
        location: Message | str = ".".join(str(part) for part in error["loc"]) or message("spec-top-level")
        fix = _fix_for(error)
        if error["type"] == "missing":
            lines.append(message("spec-field-missing", source=path, field=location, fix=fix))
            continue
        problem = error["msg"].removeprefix("Value error, ")
        lines.append(
            message("spec-field-invalid", source=path, field=location, value=error.get("input"), problem=problem, fix=fix)
        )
    return lines


def parse_spec(data: Any, source: Path | str = "<spec>") -> JobSpec:
    """Validate a mapping as a job spec; raise JobSpecError naming ``source`` on any problem."""
    if not isinstance(data, dict):
        raise JobSpecError(message("spec-not-mapping", source=source, type=type(data).__name__))
    try:
        return JobSpec.model_validate(data)
    except ValidationError as exc:
        raise JobSpecError(_format_validation_error(source, exc)) from exc


def load_spec(path: Path) -> JobSpec:
    """Read and validate one job spec file."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise JobNotFound(message("spec-missing", path=path)) from None
    except OSError as exc:
        raise JobSpecError(message("spec-unreadable", path=path, reason=exc.strerror)) from exc
    try:
        data = yaml.load(text, Loader=_YAML_LOADER)  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        raise JobSpecError(message("spec-invalid-yaml", path=path, error=str(exc))) from exc
    spec = parse_spec(data, path)
    if path.stem != spec.name:
        raise JobSpecError(
            message("spec-name-mismatch", path=path, name=spec.name, file_name=f"{spec.name}{SPEC_SUFFIX}", stem=path.stem)
        )
    return spec


def spec_to_yaml(spec: JobSpec) -> str:
    data = spec.model_dump(mode="json")
    return yaml.dump(data, Dumper=_YAML_DUMPER, sort_keys=False, allow_unicode=True)


class SpecDirectory:
    """The job specs in one directory, read again only when a file changed."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        self._cache: dict[Path, tuple[int, int, JobSpec]] = {}
        #: Invalid files and their error messages from the last :meth:`load_all`.
        self.errors: dict[Path, str] = {}

    def path_for(self, name: str) -> Path:
        return self.directory / f"{name}{SPEC_SUFFIX}"

    def spec_files(self) -> list[Path]:
        if not self.directory.is_dir():
            return []
        return sorted(
            p
            for p in self.directory.iterdir()
            if p.suffix == SPEC_SUFFIX and p.is_file() and not p.name.startswith((".", "kustomization"))
        )

    def load_all(self) -> dict[str, JobSpec]:
        """Return valid specs by name; invalid files are kept in :attr:`errors`.

        A file that was valid before and is broken now keeps its last good
        version in the result, so a bad edit does not stop a scheduled job.
        """
        specs: dict[str, JobSpec] = {}
        errors: dict[Path, str] = {}
        cache: dict[Path, tuple[int, int, JobSpec]] = {}
        for path in self.spec_files():
            try:
                stat = path.stat()
            except FileNotFoundError:
                continue
            cached = self._cache.get(path)
            if cached and cached[0] == stat.st_mtime_ns and cached[1] == stat.st_size:
                spec = cached[2]
            else:
                try:
                    spec = load_spec(path)
                except (JobSpecError, JobNotFound) as exc:
                    errors[path] = exc.message
                    if exc.message != self.errors.get(path):
                        log.error("Job spec %s is invalid%s: %s", path, "; keeping its last good version" if cached else "", exc.message)
                    if cached is None:
                        continue
                    # The last good version keeps serving until the file is fixed.
                    cache[path] = cached
                    specs[cached[2].name] = cached[2]
                    continue
            cache[path] = (stat.st_mtime_ns, stat.st_size, spec)
            specs[spec.name] = spec
        self._cache = cache
        self.errors = errors
        return specs

    def get(self, name: str) -> JobSpec:
        if not NAME_PATTERN.match(name):
            raise JobNotFound(message("job-name-invalid", name=name))
        path = self.path_for(name)
        if not path.exists():
            raise JobNotFound(message("job-not-found", name=name, directory=self.directory))
        return load_spec(path)

    def write(self, spec: JobSpec) -> Path:
        """Write ``spec`` atomically, so a scheduler never reads half a file."""
        self.directory.mkdir(parents=True, exist_ok=True)
        path = self.path_for(spec.name)
        descriptor, temp = tempfile.mkstemp(dir=self.directory, prefix=f".{spec.name}.", suffix=".tmp")
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(spec_to_yaml(spec))
        os.replace(temp, path)
        return path

    def delete(self, name: str) -> None:
        path = self.path_for(name)
        if not path.exists():
            raise JobNotFound(message("job-not-found-delete", name=name, directory=self.directory))
        path.unlink()
