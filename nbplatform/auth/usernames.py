"""Hub usernames from verified Google email addresses.

The mapping must never give two Google accounts the same hub user. Rules:

- The email is lowercased.
- The domain is kept, so ``alice@a.example`` and ``alice@b.example`` are two
  users. When exactly one domain is configured, addresses in that domain
  lose it (``alice@a.example`` becomes ``alice``); addresses in any other
  domain keep it. A stripped name has no ``@`` and a kept one has, so the
  two forms cannot collide.
- Plus-addressing (``alice+tag@...``) follows ``plus_addressing``:
  ``keep`` makes the tagged address its own user, ``strip`` maps it to the
  untagged user (only safe where the mail system delivers tagged mail to the
  same account), ``reject`` refuses to sign it in.
"""

from __future__ import annotations

from typing import Iterable, Literal

from ..errors import AuthError

PlusAddressing = Literal["keep", "strip", "reject"]
PLUS_ADDRESSING_MODES: tuple[str, ...] = ("keep", "strip", "reject")


class UsernameError(AuthError):
    """An email address cannot be mapped to a hub username."""

    reason = "invalid-email"


def username_from_email(
    email: str,
    *,
    strip_domain: str | None = None,
    plus_addressing: PlusAddressing = "keep",
) -> str:
    """Return the hub username for a verified ``email``.

    ``strip_domain`` is the one configured domain whose addresses lose their
    domain, or None to keep every domain.
    """
    if plus_addressing not in PLUS_ADDRESSING_MODES:
        raise ValueError(f"plus_addressing {plus_addressing!r} is invalid: use one of {PLUS_ADDRESSING_MODES}")
    local, at, domain = email.strip().lower().rpartition("@")
    if not at or not local or not domain:
        raise UsernameError(f"{email!r} is not an email address")

    if "+" in local:
        if plus_addressing == "reject":
            raise UsernameError(f"{email!r} uses plus-addressing, which this hub does not accept", reason="plus-address")
        if plus_addressing == "strip":
            local = local.split("+", 1)[0]
            if not local:
                raise UsernameError(f"{email!r} has nothing before the '+'")

    if strip_domain is not None and domain == strip_domain.lower():
        return local
    return f"{local}@{domain}"


def single_domain(domains: Iterable[str]) -> str | None:
    """Return the only domain in ``domains`` (lowercased), or None if there are zero or several."""
    unique = {d.strip().lower() for d in domains if d.strip()}
    return unique.pop() if len(unique) == 1 else None
