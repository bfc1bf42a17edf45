"""Password sign-in for local mode, with users, admins and groups from a YAML file.

The users file (default ``<data_dir>/users.yaml``) looks like::

    users:
      admin: {password_hash: "scrypt$...", admin: true, groups: [ml]}
      alice: {password_hash: "scrypt$...", groups: []}

Passwords are stored as scrypt hashes. Only users listed in the file may sign
in. The file is read on every sign-in, so edits apply without a restart.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import os
import secrets
from pathlib import Path
from typing import Any

import yaml
from jupyterhub.auth import Authenticator
from traitlets import Unicode, default

from ..config import Settings
from ..errors import AuthError

_SCRYPT_N = 2**14
_SCRYPT_R = 8
_SCRYPT_P = 1


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    """Return an scrypt hash of ``password`` in the form ``scrypt$n$r$p$salt$hash``."""
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=_SCRYPT_N, r=_SCRYPT_R, p=_SCRYPT_P)
    encode = lambda raw: base64.b64encode(raw).decode()  # noqa: E731
    return f"scrypt${_SCRYPT_N}${_SCRYPT_R}${_SCRYPT_P}${encode(salt)}${encode(digest)}"


def verify_password(password: str, stored: str) -> bool:
    """Check ``password`` against a hash from :func:`hash_password` in constant time."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        actual = hashlib.scrypt(
            password.encode(), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p)
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


def read_users(path: Path) -> dict[str, dict[str, Any]]:
    """Read the users file; raise AuthError naming the file and the entry on bad content."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except FileNotFoundError:
        raise AuthError(
            f"Users file {path} not found. Run 'nbplatform users add NAME --admin' to create it.",
            reason="no-users-file",
        ) from None
    except (OSError, yaml.YAMLError) as exc:
        raise AuthError(f"Cannot read users file {path}: {exc}", reason="bad-users-file") from exc
    users = data.get("users") if isinstance(data, dict) else None
    if not isinstance(users, dict):
        raise AuthError(f"{path}: expected a mapping under 'users:'.", reason="bad-users-file")
    for name, entry in users.items():
        if not isinstance(entry, dict) or not isinstance(entry.get("password_hash"), str):
            raise AuthError(
                f"{path}: user {name!r} needs a 'password_hash' (set one with 'nbplatform users passwd {name}').",
                reason="bad-users-file",
            )
        groups = entry.get("groups", [])
        if not isinstance(groups, list) or not all(isinstance(g, str) for g in groups):
            raise AuthError(f"{path}: user {name!r}: 'groups' must be a list of group names.", reason="bad-users-file")
    return users


def write_users(path: Path, users: dict[str, dict[str, Any]]) -> None:
    """Write the users file atomically with owner-only permissions."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        yaml.safe_dump({"users": users}, handle, sort_keys=True, allow_unicode=True)
    os.replace(temporary, path)


def set_user(path: Path, name: str, password: str, *, admin: bool = False, groups: list[str] | None = None) -> None:
    """Add or update one user in the users file, keeping every other entry."""
    users = read_users(path) if path.exists() else {}
    entry = dict(users.get(name, {}))
    entry["password_hash"] = hash_password(password)
    entry["admin"] = bool(admin or entry.get("admin", False))
    if groups is not None:
        entry["groups"] = list(groups)
    entry.setdefault("groups", [])
    users[name] = entry
    write_users(path, users)


class LocalPasswordAuthenticator(Authenticator):
    """Sign in with a password from the local users file (local mode only)."""

    users_file = Unicode(
        help="""
        YAML file with users, password hashes, admin flags and groups.
        Default: ``<data_dir>/users.yaml`` (``NBPLATFORM_DATA_DIR``).
        """,
    ).tag(config=True)

    @default("users_file")
    def _default_users_file(self) -> str:
        return str(Settings.from_env().users_file)

    @default("manage_groups")
    def _default_manage_groups(self) -> bool:
        return True

    @default("allowed_users")
    def _default_allowed_users(self) -> set[str]:
        # Listed users exist in the hub from startup, so admins see them
        # before their first sign-in. Later edits apply at sign-in time.
        try:
            return set(self._users())
        except AuthError as exc:
            self.log.error("%s", exc.message)
            return set()

    @default("admin_users")
    def _default_admin_users(self) -> set[str]:
        try:
            return {name for name, entry in self._users().items() if entry.get("admin")}
        except AuthError:
            return set()

    def _users(self) -> dict[str, dict[str, Any]]:
        return read_users(Path(self.users_file))

    def check_allow_config(self) -> None:
        # Who may sign in is decided by the users file, not allowed_users.
        return None

    async def check_allowed(self, username: str, authentication: dict | None = None) -> bool:
        try:
            return username in self._users()
        except AuthError as exc:
            self.log.error("Users file problem, rejecting %r: %s", username, exc.message)
            return False

    async def authenticate(self, handler, data: dict) -> dict | None:
        username = self.normalize_username(str(data.get("username", "")))
        password = str(data.get("password", ""))
        try:
            users = self._users()
        except AuthError as exc:
            self.log.error("Cannot check sign-in for %r: %s", username, exc.message)
            return None
        entry = users.get(username)
        valid = entry is not None and await asyncio.to_thread(verify_password, password, entry["password_hash"])
        if not valid:
            # JupyterHub logs the one line for this event ("Failed login for ...").
            return None
        return {
            "name": username,
            "admin": bool(entry.get("admin", False)),
            "groups": list(entry.get("groups", [])),
        }
