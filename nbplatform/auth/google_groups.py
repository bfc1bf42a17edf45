"""Hub groups from Google Groups membership, read with the Cloud Identity API.

Only groups listed in a mapping become hub groups, so a Workspace with
thousands of groups does not flood the hub. Membership is transitive (a
member of a nested group counts) and cached per user for ``cache_seconds``.
The access token comes from a pluggable async provider; the default uses
Application Default Credentials, which on GKE come from Workload Identity.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from typing import Awaitable, Callable, Mapping
from urllib.parse import urlencode

from ..errors import AuthError

log = logging.getLogger(__name__)

CLOUD_IDENTITY_URL = "https://cloudidentity.googleapis.com"
READONLY_SCOPE = "https://www.googleapis.com/auth/cloud-identity.groups.readonly"
MAX_PAGES = 20

TokenProvider = Callable[[], Awaitable[str]]


class GroupLookupError(AuthError):
    """Google Groups membership could not be read."""

    reason = "group-lookup-failed"


async def application_default_token() -> str:
    """Return an access token from Application Default Credentials, refreshed in a worker thread."""
    import google.auth
    import google.auth.transport.requests

    def refresh() -> str:
        credentials, _project = google.auth.default(scopes=[READONLY_SCOPE])
        credentials.refresh(google.auth.transport.requests.Request())
        return credentials.token

    return await asyncio.to_thread(refresh)


# NOTE: Google documents searchTransitiveGroups as available only to Workspace
# Enterprise Standard, Enterprise Plus, Enterprise for Education and Cloud
# Identity Premium accounts; others get HTTP 403, which leaves groups unchanged.
class GoogleGroupsClient:
    """Transitive Google Groups of a user, limited to the groups in ``group_map``.

    ``group_map`` maps a Google group address to the hub group name, e.g.
    ``{"data-team@example.com": "data"}``.
    """

    def __init__(
        self,
        group_map: Mapping[str, str],
        *,
        token_provider: TokenProvider = application_default_token,
        api_url: str = CLOUD_IDENTITY_URL,
        cache_seconds: float = 300.0,
        timeout: float = 10.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.group_map = {address.lower(): name for address, name in group_map.items()}
        self.token_provider = token_provider
        self.api_url = api_url.rstrip("/")
        self.cache_seconds = cache_seconds
        self.timeout = timeout
        self.clock = clock
        self._cache: dict[str, tuple[float, list[str]]] = {}

    async def hub_groups_for(self, email: str) -> list[str]:
        """Return the sorted hub groups of ``email``. Raises :class:`GroupLookupError` when the API fails."""
        email = email.lower()
        cached = self._cache.get(email)
        if cached and self.clock() - cached[0] < self.cache_seconds:
            return cached[1]
        addresses = await self._transitive_groups(email)
        groups = sorted({self.group_map[a] for a in addresses if a in self.group_map})
        self._cache[email] = (self.clock(), groups)
        return groups

    async def _transitive_groups(self, email: str) -> set[str]:
        from tornado.httpclient import AsyncHTTPClient, HTTPClientError

        try:
            token = await self.token_provider()
        except Exception as exc:  # any credential failure means no lookup
            raise GroupLookupError(f"cannot get an access token for the Cloud Identity API: {exc}") from exc
        query = f"member_key_id == '{email}' && 'cloudidentity.googleapis.com/groups.discussion_forum' in labels"
        addresses: set[str] = set()
        page_token = ""
        client = AsyncHTTPClient()
        for _ in range(MAX_PAGES):
            params = {"query": query}
            if page_token:
                params["pageToken"] = page_token
            url = f"{self.api_url}/v1/groups/-/memberships:searchTransitiveGroups?{urlencode(params)}"
            try:
                response = await client.fetch(
                    url,
                    headers={"Authorization": f"Bearer {token}"},
                    connect_timeout=self.timeout,
                    request_timeout=self.timeout,
                    follow_redirects=False,
                )
                body = json.loads(response.body or b"{}")
            except HTTPClientError as exc:
                raise GroupLookupError(f"Cloud Identity API returned HTTP {exc.code} for {email}") from None
            except (OSError, ValueError) as exc:
                raise GroupLookupError(f"Cloud Identity API request for {email} failed: {exc}") from None
            for membership in body.get("memberships", []):
                address = (membership.get("groupKey") or {}).get("id")
                if isinstance(address, str):
                    addresses.add(address.lower())
            page_token = body.get("nextPageToken") or ""
            if not page_token:
                return addresses
        log.warning("Google Groups of %s span more than %d pages; the rest were not read", email, MAX_PAGES)
        return addresses
