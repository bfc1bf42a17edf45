"""Measure the cost of IAP sign-in against token authentication on one real hub.

One JupyterHub (with configurable-http-proxy) runs the IAP authenticator,
with keys served by a loopback JWK server and already cached. Three request
kinds go through the proxy to ``/hub/api/user``, interleaved in rounds so
drift affects them alike:

- ``token``: ``Authorization: token ...``, the baseline.
- ``iap-session``: the hub cookie that an IAP sign-in set, with the IAP
  header, as a browser behind IAP sends. Between re-checks (every
  ``auth_refresh_age`` seconds, 60 by default) the hub reads only the
  cookie. The benchmark sets ``auth_refresh_age`` to one hour, so that a
  re-check does not fall at random into a round; the next two items
  measure its cost.
- ``iap-sign-in``: ``/hub/login`` with an IAP header and no cookie, so every
  request verifies the token and runs the whole sign-in pipeline.

It also times :meth:`IAPAuthenticator.verify_headers` in-process with cached
keys: the verification cost of one request. A second hub with the local
password authenticator then gives the cookie/token ratio without any IAP
code, which separates the cost of JupyterHub's cookie sessions from the cost
of IAP.

Run: ``PYTHONPATH=. python benchmarks/auth.py [--requests 300] [--rounds 5] [--threads 2]``.
Prints requests per second per kind, and the median over rounds of each
round's ratio to ``token``; the target is iap-session/token >= 0.8.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Callable

import requests
from tornado.httputil import HTTPHeaders

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from auth.iapkit import AUDIENCE, KeySetServer, SigningKey, claims_for, sign  # noqa: E402
from support.hub import HubProcess  # noqa: E402

from nbplatform.auth.iap import IAPAuthenticator  # noqa: E402

HEADER = "X-Goog-IAP-JWT-Assertion"
EMAIL = "bench@example.com"


def measure(make_session: Callable[[], requests.Session], send: Callable[[requests.Session], int], total: int, threads: int) -> float:
    """Send ``total`` requests over ``threads`` sessions made by ``make_session``; return requests per second."""
    sessions = [make_session() for _ in range(threads)]
    per_thread = total // threads

    def worker(session: requests.Session) -> None:
        for _ in range(per_thread):
            status = send(session)
            if status >= 400:
                raise RuntimeError(f"benchmark request failed with HTTP {status}")

    start = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(worker, sessions))
    elapsed = time.perf_counter() - start
    return per_thread * threads / elapsed


def verification_cost(key_url: str, key: SigningKey, iterations: int) -> float:
    """Return the mean seconds of one verify_headers call with cached keys."""
    auth = IAPAuthenticator(audience=AUDIENCE, key_set_url=key_url, allow_all=True)
    headers = HTTPHeaders()
    headers.add(HEADER, sign(claims_for(EMAIL), key))

    async def run() -> float:
        await auth.verify_headers(headers)  # fills the key cache
        start = time.perf_counter()
        for _ in range(iterations):
            await auth.verify_headers(headers)
        return (time.perf_counter() - start) / iterations

    return asyncio.run(run())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=300, help="requests per kind per round (default 300)")
    parser.add_argument("--rounds", type=int, default=5, help="interleaved rounds; medians are reported (default 5)")
    parser.add_argument("--threads", type=int, default=2, help="concurrent client connections (default 2)")
    parser.add_argument("--verify-iterations", type=int, default=2000, help="in-process verify_headers calls (default 2000)")
    parser.add_argument("--no-cookie-baseline", action="store_true", help="skip the second hub with password sign-in")
    args = parser.parse_args(argv)

    key = SigningKey("bench-key")
    key_server = KeySetServer(key).start()
    extra = f"""
c.JupyterHub.authenticator_class = "nbplatform.auth.iap.IAPAuthenticator"
c.IAPAuthenticator.audience = {AUDIENCE!r}
c.IAPAuthenticator.key_set_url = {key_server.url!r}
c.IAPAuthenticator.allow_all = True
c.IAPAuthenticator.auth_refresh_age = 3600
c.JupyterHub.log_level = "WARN"
"""
    hub = HubProcess(Path(tempfile.mkdtemp(prefix="nbplatform-bench-auth-")), users={}, extra_config=extra)
    hub.start()
    try:
        first = requests.get(f"{hub.url}/hub/login", headers={HEADER: sign(claims_for(EMAIL), key)}, allow_redirects=False, timeout=30)
        if first.status_code != 302:
            raise RuntimeError(f"IAP sign-in failed with HTTP {first.status_code}")
        api_token = hub.user_token(EMAIL)
        url = f"{hub.api_url}/user"

        def token_session() -> requests.Session:
            session = requests.Session()
            session.headers["Authorization"] = f"token {api_token}"
            return session

        def iap_session() -> requests.Session:
            session = requests.Session()
            response = session.get(f"{hub.url}/hub/login", headers={HEADER: sign(claims_for(EMAIL), key)}, allow_redirects=False, timeout=30)
            if response.status_code != 302:
                raise RuntimeError(f"IAP sign-in failed with HTTP {response.status_code}")
            return session

        # One token for the whole run (valid 10 minutes): signing is IAP's cost, not the hub's.
        token_cache = sign(claims_for(EMAIL), key)

        kinds: dict[str, tuple[Callable[[], requests.Session], Callable[[requests.Session], int]]] = {
            "token": (token_session, lambda s: s.get(url, timeout=30).status_code),
            "iap-session": (iap_session, lambda s: s.get(url, headers={HEADER: token_cache}, timeout=30).status_code),
            "iap-sign-in": (
                requests.Session,
                lambda s: s.get(f"{hub.url}/hub/login", headers={HEADER: token_cache}, allow_redirects=False, timeout=30).status_code,
            ),
        }
        results: dict[str, list[float]] = {name: [] for name in kinds}
        for name, (make, send) in kinds.items():  # warm-up
            measure(make, send, args.threads * 10, args.threads)
        for _ in range(args.rounds):
            for name, (make, send) in kinds.items():
                results[name].append(measure(make, send, args.requests, args.threads))
    finally:
        hub.cleanup()
        key_server.stop()

    cost = verification_cost_offline(key, args.verify_iterations)
    cookie_ratio = None if args.no_cookie_baseline else password_cookie_ratio(args)
    median = {name: statistics.median(values) for name, values in results.items()}
    for name, value in median.items():
        print(f"{name:12s} {value:8.1f} req/s  (rounds: {', '.join(f'{v:.1f}' for v in results[name])})")
    # The ratio within each round cancels load that changes between rounds.
    session_ratio = statistics.median(s / t for s, t in zip(results["iap-session"], results["token"]))
    sign_in_ratio = statistics.median(s / t for s, t in zip(results["iap-sign-in"], results["token"]))
    print(f"iap-session/token = {session_ratio:.2f} (target >= 0.80)")
    print(f"iap-sign-in/token = {sign_in_ratio:.2f} (every request verified and signed in)")
    print(f"verify_headers with cached keys: {cost * 1e6:.0f} us per request")
    if cookie_ratio is not None:
        print(f"password-session/token on a hub without IAP = {cookie_ratio:.2f} (JupyterHub's cookie path alone)")
    summary = {
        "rps": median,
        "iap_session_ratio": session_ratio,
        "iap_sign_in_ratio": sign_in_ratio,
        "verify_us": cost * 1e6,
        "password_cookie_ratio": cookie_ratio,
    }
    print(json.dumps(summary))
    return 0 if session_ratio >= 0.8 else 1


def password_cookie_ratio(args: argparse.Namespace) -> float:
    """Return the median per-round ratio of cookie to token requests on a hub with password sign-in."""
    users = {"bench": {"password": "bench-password", "admin": False, "groups": []}}
    hub = HubProcess(
        Path(tempfile.mkdtemp(prefix="nbplatform-bench-auth-")),
        users=users,
        extra_config='c.JupyterHub.log_level = "WARN"\n',
    )
    hub.start()
    try:
        api_token = hub.user_token("bench")
        url = f"{hub.api_url}/user"

        def token_session() -> requests.Session:
            session = requests.Session()
            session.headers["Authorization"] = f"token {api_token}"
            return session

        def send(session: requests.Session) -> int:
            return session.get(url, timeout=30).status_code

        ratios = []
        for _ in range(args.rounds):
            token_rps = measure(token_session, send, args.requests, args.threads)
            cookie_rps = measure(lambda: hub.login("bench"), send, args.requests, args.threads)
            ratios.append(cookie_rps / token_rps)
        return statistics.median(ratios)
    finally:
        hub.cleanup()


def verification_cost_offline(key: SigningKey, iterations: int) -> float:
    server = KeySetServer(key).start()
    try:
        return verification_cost(server.url, key, iterations)
    finally:
        server.stop()


if __name__ == "__main__":
    raise SystemExit(main())
