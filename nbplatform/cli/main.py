"""Entry point of the ``nbplatform`` command.

Each subcommand lives in its own module with a ``register(subparsers)``
function that adds its parser and sets ``func`` to a callable taking the
parsed arguments and returning an exit code.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys

from ..errors import NbplatformError
from .messages import error_text, message
from .parser import LocalizedArgumentParser

#: Modules under ``nbplatform.cli`` that contribute subcommands, in ``--help`` order.
COMMAND_MODULES = ("up", "data", "profiles", "promote", "jobs", "users")


def build_parser() -> argparse.ArgumentParser:
    parser = LocalizedArgumentParser(prog="nbplatform", description=message("help-description"))
    parser.add_argument("--log-level", default="INFO", help=message("help-log-level"))
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(f"{__package__}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"{__package__}.{name}":
                continue
            raise
        module.register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    level = getattr(logging, str(args.log_level).upper(), logging.INFO)
    logging.basicConfig(level=level, format="[%(levelname)1.1s %(asctime)s %(name)s] %(message)s")
    # Commands import JupyterHub only when they run (it is slow to import), and
    # then alembic logs one INFO line per plugin it sets up.
    logging.getLogger("alembic").setLevel(max(level, logging.WARNING))
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except NbplatformError as exc:
        print(message("cli-error", prog="nbplatform", message=error_text(exc)), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
