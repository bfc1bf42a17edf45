"""``nbplatform profiles``: validate, list and render the resource profiles in a directory."""

from __future__ import annotations

import argparse
import pprint
import sys
from pathlib import Path

import yaml

from ..config import Settings
from ..i18n import locale_from_env
from ..profiles.loader import read_directory
from ..profiles.model import Profile
from ..profiles.units import format_memory
from .messages import message

RENDER_FORMATS = ("kubespawner", "z2jh")


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``profiles`` command and its subcommands."""
    parser = subparsers.add_parser(
        "profiles", help=message("help-profiles"), description=message("help-profiles-description")
    )
    commands = parser.add_subparsers(dest="profiles_command", metavar="SUBCOMMAND")
    parser.set_defaults(func=lambda args: _usage(parser))

    validate = commands.add_parser(
        "validate",
        help=message("help-profiles-validate"),
        description=message("help-profiles-validate-description"),
    )
    _add_directory(validate)
    validate.set_defaults(func=run_validate)

    listing = commands.add_parser(
        "list", help=message("help-profiles-list"), description=message("help-profiles-list-description")
    )
    _add_directory(listing)
    listing.set_defaults(func=run_list)

    render = commands.add_parser(
        "render", help=message("help-profiles-render"), description=message("help-profiles-render-description")
    )
    render.add_argument("--format", choices=RENDER_FORMATS, default="z2jh", help=message("help-profiles-format"))
    _add_directory(render)
    render.set_defaults(func=run_render)


def _add_directory(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "directory",
        nargs="?",
        type=Path,
        help=message("help-profiles-directory"),
    )


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


def _directory(args: argparse.Namespace) -> Path:
    return args.directory or Settings.from_env().profiles_dir


def run_validate(args: argparse.Namespace) -> int:
    """Print every problem in the profile files; return 1 if there is any, else 0."""
    directory = _directory(args)
    result = read_directory(directory)
    locale = locale_from_env()
    for issue in result.issues:
        print(issue.render(locale))
    if result.issues:
        print(message("profiles-problems", count=len(result.issues), directory=directory), file=sys.stderr)
        return 1
    print(message("profiles-valid", profiles=len(result.profiles), files=len(result.files), directory=directory))
    return 0


def _load_or_report(directory: Path) -> list[Profile] | None:
    result = read_directory(directory)
    if result.issues:
        locale = locale_from_env()
        for issue in result.issues:
            print(issue.render(locale), file=sys.stderr)
        print(message("profiles-fix-first", directory=directory), file=sys.stderr)
        return None
    return result.profiles


def run_list(args: argparse.Namespace) -> int:
    """Print one line per profile with its limits, groups, quota and cost."""
    directory = _directory(args)
    profiles = _load_or_report(directory)
    if profiles is None:
        return 1
    rows = [("SLUG", "DEFAULT", "ENABLED", "CPU", "MEMORY", "GPU", "GROUPS", "MAX", "COST/H", "FILE")]
    for profile in profiles:
        resources = profile.resources()
        rows.append(
            (
                profile.slug,
                "yes" if profile.default else "",
                "yes" if profile.enabled else "no",
                _number(resources.cpu_limit),
                format_memory(resources.mem_limit) if resources.mem_limit else "-",
                str(resources.gpu_limit or "-"),
                ",".join(profile.groups) or "everyone",
                str(profile.max_servers) if profile.max_servers is not None else "-",
                f"{profile.cost_per_hour:.2f}" if profile.cost_per_hour is not None else "-",
                f"{profile.source_file.name}:{profile.source_line}" if profile.source_file else "-",
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
    return 0


def _number(value: float | None) -> str:
    if value is None:
        return "-"
    return str(int(value)) if float(value).is_integer() else str(value)


def run_render(args: argparse.Namespace) -> int:
    """Print the enabled profiles as a KubeSpawner ``profile_list`` or a z2jh values block."""
    directory = _directory(args)
    profiles = _load_or_report(directory)
    if profiles is None:
        return 1
    print(render_profiles(profiles, args.format), end="")
    return 0


def render_profiles(profiles: list[Profile], output_format: str) -> str:
    """Return the enabled profiles that every user may see, in ``output_format``.

    Profiles limited to groups are left out because a static KubeSpawner or
    z2jh list would show them to everyone.
    """
    entries = [p.to_kubespawner() for p in profiles if p.enabled and not p.groups]
    left_out = [p.slug for p in profiles if not p.enabled or p.groups]
    header = ""
    if left_out:
        header = f"# Left out (disabled, or limited to groups, which KubeSpawner cannot express): {', '.join(left_out)}\n"
    if output_format == "kubespawner":
        return header + "c.KubeSpawner.profile_list = " + pprint.pformat(entries, sort_dicts=False, width=100) + "\n"
    return header + yaml.safe_dump({"singleuser": {"profileList": entries}}, sort_keys=False, allow_unicode=True)
