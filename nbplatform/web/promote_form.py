"""The Promote form: its fields, the checks run before promotion, and errors tied to the field they concern.

Each error is a message key of :data:`.messages.MESSAGES` with its values, so
the page words it in its own language. The checks are pure functions. After an
error the handler renders the form again with every submitted value.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from ..errors import JobError
from ..jobs.errors import AccessDenied, PromoteError
from ..jobs.spec import DEFAULT_TIMEZONE, NAME_PATTERN, RESERVED_PARAMETERS, is_valid_schedule, is_valid_timezone

#: Form fields in page order.
FIELDS = ("notebook", "name", "schedule", "timezone", "profile", "parameters")
#: Values of an empty form.
DEFAULTS = {"notebook": "", "name": "", "schedule": "0 7 * * *", "timezone": DEFAULT_TIMEZONE, "profile": "", "parameters": ""}
#: Form field of each promotion error, by the error's ``reason``. The page shows other errors above the form.
FIELD_OF_REASON = {
    "notebook-missing": "notebook",
    "notebook-unreadable": "notebook",
    "notebook-invalid": "notebook",
    "no-parameters-cell": "notebook",
    "parameters-cell-invalid": "notebook",
    "kernel-missing": "notebook",
    "unknown-parameter": "parameters",
    "parameter-type": "parameters",
    "unknown-profile": "profile",
    AccessDenied.reason: "name",
}


@dataclass(frozen=True)
class FieldError:
    """One problem with the form: the field it concerns (None for the whole form), a message key and its values."""

    field: str | None
    key: str
    values: Mapping[str, object] = field(default_factory=dict)


def form_values(arguments: Mapping[str, list[bytes]]) -> dict[str, str]:
    """Return the submitted value of every form field, as typed, from Tornado's ``body_arguments``."""
    values = {}
    for name in FIELDS:
        raw = arguments.get(name)
        values[name] = raw[-1].decode("utf-8", errors="replace") if raw else ""
    return values


def parse_parameter_lines(text: str) -> tuple[dict[str, str], list[FieldError]]:
    """Read ``KEY=VALUE`` lines; return the values and one error per line that is not ``KEY=VALUE``."""
    values: dict[str, str] = {}
    errors: list[FieldError] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        key, sep, value = line.partition("=")
        key = key.strip()
        if not sep or not key:
            errors.append(FieldError("parameters", "error_parameters_line", {"number": number, "line": line}))
            continue
        if key in RESERVED_PARAMETERS:
            errors.append(FieldError("parameters", "error_parameters_reserved", {"name": key}))
            continue
        values[key] = value.strip()
    return values, errors


def resolve_notebook(home: Path, relative: str) -> Path | None:
    """Return the notebook path inside ``home``, or None if ``relative`` leaves it or is not an ``.ipynb`` file."""
    notebook = (home / relative).resolve()
    if not notebook.is_relative_to(home.resolve()) or notebook.suffix != ".ipynb":
        return None
    return notebook


def check_form(values: Mapping[str, str], home: Path) -> list[FieldError]:
    """Return every problem the form shows before the notebook is read, in field order."""
    errors: list[FieldError] = []
    notebook = values["notebook"].strip()
    if not notebook:
        errors.append(FieldError("notebook", "error_notebook_required"))
    elif resolve_notebook(home, notebook) is None:
        errors.append(FieldError("notebook", "error_notebook_outside_home", {"path": notebook}))

    name = values["name"].strip()
    if not name:
        errors.append(FieldError("name", "error_name_required"))
    elif not NAME_PATTERN.match(name):
        errors.append(FieldError("name", "error_name_invalid", {"value": name}))

    schedule = values["schedule"].strip()
    if not schedule:
        errors.append(FieldError("schedule", "error_schedule_required"))
    elif not is_valid_schedule(schedule):
        errors.append(FieldError("schedule", "error_schedule_invalid", {"value": schedule}))

    timezone = values["timezone"].strip()
    if timezone and not is_valid_timezone(timezone):
        errors.append(FieldError("timezone", "error_timezone_invalid", {"value": timezone}))

    errors.extend(parse_parameter_lines(values["parameters"])[1])
    return errors


def error_from_promotion(exc: JobError, values: Mapping[str, str]) -> FieldError:
    """Tie an error that :func:`nbplatform.jobs.promote.promote` raised to its form field and message key."""
    target = FIELD_OF_REASON.get(exc.reason)
    if target is None:
        return FieldError(None, "error_other", {"message": exc.message})
    details: dict[str, object] = dict(exc.details) if isinstance(exc, PromoteError) else {}
    if exc.reason == AccessDenied.reason:
        details["value"] = values["name"].strip()
    if exc.reason == "parameter-type":
        details["value"] = repr(details.get("value"))
    if target == "notebook":
        # The page names the notebook as the user chose it, not by its path on the server.
        details["path"] = values["notebook"]
    return FieldError(target, f"error_{exc.reason.replace('-', '_')}", details)
