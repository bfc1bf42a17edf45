"""``nbplatform data``: build and inspect the local DuckDB warehouse."""

from __future__ import annotations

import argparse
import time

from ..bigquery.warehouse import init_warehouse, read_row_counts
from ..config import Settings
from .messages import message


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("data", help=message("help-data"))
    commands = parser.add_subparsers(dest="data_command", metavar="ACTION")

    init = commands.add_parser("init", help=message("help-data-init"))
    init.add_argument("--force", action="store_true", help=message("help-data-force"))
    init.set_defaults(func=run_init)

    status = commands.add_parser("status", help=message("help-data-status"))
    status.set_defaults(func=run_status)

    parser.set_defaults(func=lambda args: (parser.print_help(), 2)[1])


def run_init(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    started = time.monotonic()
    result = init_warehouse(settings.warehouse_path, force=args.force)
    if not result.created:
        print(message("data-complete", path=result.path))
        return 0
    elapsed = time.monotonic() - started
    print(message("data-built", path=result.path, seconds=elapsed))
    for table, count in result.row_counts.items():
        print(message("data-table-rows", table=table, count=count))
    return 0


def run_status(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    path = settings.warehouse_path
    counts = read_row_counts(path) if path.exists() else None
    if counts is None:
        print(message("data-outdated" if path.exists() else "data-missing", path=path))
        return 1
    print(message("data-warehouse", path=path))
    for table, count in counts.items():
        print(message("data-table-rows", table=table, count=count))
    return 0
