"""``nbplatform promote NOTEBOOK --name NAME --schedule CRON``: turn a notebook into a scheduled job."""

from __future__ import annotations

import argparse
import getpass
import os
from pathlib import Path

from ..config import Settings
from ..jobs.context import JobsContext
from ..jobs.spec import DEFAULT_TIMEZONE
from ..profiles import ProfileRegistry
from .messages import message


def current_user() -> str:
    """Return the JupyterHub user in a JupyterLab terminal, else the OS user."""
    return os.environ.get("JUPYTERHUB_USER") or getpass.getuser()


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "promote", help=message("help-promote"), description=message("help-promote-description")
    )
    parser.add_argument("notebook", type=Path, help=message("help-promote-notebook"))
    parser.add_argument("--name", required=True, help=message("help-promote-name"))
    parser.add_argument("--schedule", required=True, help=message("help-promote-schedule"))
    parser.add_argument(
        "--timezone", default=DEFAULT_TIMEZONE, help=message("help-promote-timezone", default=DEFAULT_TIMEZONE)
    )
    parser.add_argument("--profile", help=message("help-promote-profile"))
    parser.add_argument(
        "-p", "--parameter", nargs=2, action="append", default=[], metavar=("KEY", "VALUE"),
        help=message("help-promote-parameter"),
    )
    parser.set_defaults(func=run_promote)


def run_promote(args: argparse.Namespace) -> int:
    # Imported here because nbformat's schema validator takes seconds to
    # import, which every other command (and --help) would pay for.
    from ..jobs.promote import PromoteRequest, promote

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
    print(
        message(
            "promote-done", notebook=notebook.name, name=spec.name, schedule=spec.schedule,
            timezone=spec.timezone, snapshot=spec.notebook.snapshot[:19],
        )
    )
    print(message("promote-spec", path=context.specs.path_for(spec.name)))
    return 0
