"""``nbplatform promote NOTEBOOK --name NAME --schedule CRON``: turn a notebook into a scheduled job."""

from __future__ import annotations

import argparse
import getpass
import os
from pathlib import Path

from ..config import Settings
from ..jobs.context import JobsContext
from ..jobs.promote import PromoteRequest, promote
from ..jobs.spec import DEFAULT_TIMEZONE
from ..profiles import ProfileRegistry


def current_user() -> str:
    """Return the JupyterHub user in a JupyterLab terminal, else the OS user."""
    return os.environ.get("JUPYTERHUB_USER") or getpass.getuser()


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "promote",
        help="promote a notebook to a scheduled Papermill job",
        description=(
            "Check the notebook (a cell tagged 'parameters', typed values, an installed kernel), store a "
            "snapshot of it without outputs, and write the job spec. Promoting again under the same name "
            "updates the job and keeps its run history."
        ),
    )
    parser.add_argument("notebook", type=Path, help="path of the .ipynb file")
    parser.add_argument("--name", required=True, help="job name: lowercase letters, digits and '-', at most 52 characters")
    parser.add_argument("--schedule", required=True, help="cron expression with 5 fields, such as '0 7 * * *'")
    parser.add_argument("--timezone", default=DEFAULT_TIMEZONE, help=f"IANA time zone of the schedule; default {DEFAULT_TIMEZONE}")
    parser.add_argument("--profile", help="profile slug whose resources the job gets; default the job runner's own")
    parser.add_argument(
        "-p", "--parameter", nargs=2, action="append", default=[], metavar=("KEY", "VALUE"),
        help="parameter value, read with the type of its default in the parameters cell (repeatable)",
    )
    parser.set_defaults(func=run_promote)


def run_promote(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    context = JobsContext(settings)
    profiles = ProfileRegistry(settings.profiles_dir) if args.profile else None
    notebook = args.notebook.resolve()
    spec = promote(
        PromoteRequest(
            notebook=notebook,
            name=args.name,
            schedule=args.schedule,
            owner=current_user(),
            timezone=args.timezone,
            profile=args.profile,
            parameters=dict(args.parameter),
            parameters_as_text=True,
        ),
        specs=context.specs,
        snapshots=context.snapshots,
        profiles=profiles,
    )
    print(f"Promoted {notebook.name} as job {spec.name!r} ({spec.schedule} {spec.timezone}), snapshot {spec.notebook.snapshot[:19]}")
    print(f"Spec: {context.specs.path_for(spec.name)}")
    return 0
