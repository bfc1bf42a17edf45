"""``nbplatform users``: manage the local sign-in accounts."""

from __future__ import annotations

import argparse
import secrets

from ..config import Settings
from .messages import message


def generate_password() -> str:
    return secrets.token_urlsafe(12)


# The users file functions are imported in each command because
# nbplatform.auth.local imports JupyterHub, which every other command would pay for.


def _add(args: argparse.Namespace) -> int:
    from ..auth.local import set_user

    settings = Settings.from_env()
    settings.ensure_data_dir()
    password = args.password or generate_password()
    set_user(settings.users_file, args.name, password, admin=args.admin, groups=args.group or None)
    print(message("password-set", user=args.name, path=settings.users_file, password=password))
    return 0


def _passwd(args: argparse.Namespace) -> int:
    from ..auth.local import read_users, set_user

    settings = Settings.from_env()
    users = read_users(settings.users_file)
    if args.name not in users:
        text = message("users-unknown", name=args.name, path=settings.users_file)
        print(message("cli-error", prog="nbplatform", message=text))
        return 1
    password = args.password or generate_password()
    set_user(settings.users_file, args.name, password)
    print(message("password-set", user=args.name, path=settings.users_file, password=password))
    return 0


def _list(args: argparse.Namespace) -> int:
    from ..auth.local import read_users

    settings = Settings.from_env()
    for name, entry in sorted(read_users(settings.users_file).items()):
        role = "admin" if entry.get("admin") else "user"
        groups = ",".join(entry.get("groups", [])) or "-"
        print(f"{name}\t{role}\t{groups}")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("users", help=message("help-users"))
    commands = parser.add_subparsers(dest="users_command", metavar="ACTION", required=True)

    add = commands.add_parser("add", help=message("help-users-add"))
    add.add_argument("name", help=message("help-users-name"))
    add.add_argument("--admin", action="store_true", help=message("help-users-admin"))
    add.add_argument("--group", action="append", help=message("help-users-group"))
    add.add_argument("--password", help=message("help-users-password"))
    add.set_defaults(func=_add)

    passwd = commands.add_parser("passwd", help=message("help-users-passwd"))
    passwd.add_argument("name", help=message("help-users-name"))
    passwd.add_argument("--password", help=message("help-users-password"))
    passwd.set_defaults(func=_passwd)

    listing = commands.add_parser("list", help=message("help-users-list"))
    listing.set_defaults(func=_list)
