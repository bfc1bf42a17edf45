"""Drive N simulated users through a whole session on one real local hub, all on loopback.

Each user runs in its own thread. It signs in through the login form and
starts a server with a profile through the REST API (cookie plus XSRF
header). It then waits until the server is ready, gets an API token, runs
one cell through the kernel websocket, and stops the server. A 429 from
the hub's concurrent spawn limit is retried after its ``Retry-After``.

Usage: ``PYTHONPATH=. python benchmarks/load.py --users 10 25 50 [--profile small] [--budget 900]``.
Prints, per N: completed sessions, failures by cause, 429 answers seen, hub
API latency p50/p99, spawn time p50/p99 (request to ready, including waits
after 429), peak resident memory of the hub and the proxy, and wall time.
Asserts nothing; ``--budget`` bounds each N's total wall time in seconds.
"""

from __future__ import annotations

import argparse
import collections
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import requests

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / "tests"))

from support.hub import HubProcess  # noqa: E402
from support.kernel import KernelClient  # noqa: E402


class SessionFailed(Exception):
    """A simulated session stopped early; ``cause`` groups failures in the report."""

    def __init__(self, cause: str, detail: str = "") -> None:
        super().__init__(f"{cause}: {detail}")
        self.cause = cause


@dataclass
class Measurements:
    api_latencies: list[float] = field(default_factory=list)
    spawn_times: list[float] = field(default_factory=list)
    throttled: int = 0
    completed: int = 0
    failures: collections.Counter = field(default_factory=collections.Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def api_call(self, session: requests.Session, method: str, url: str, **kwargs) -> requests.Response:
        started = time.perf_counter()
        response = session.request(method, url, timeout=60, **kwargs)
        with self.lock:
            self.api_latencies.append(time.perf_counter() - started)
        return response


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def run_session(hub: HubProcess, user: str, profile: str, deadline: float, numbers: Measurements) -> None:
    session = hub.login(user)
    xsrf = {"X-XSRFToken": session.cookies.get("_xsrf", "")}
    api = f"{hub.url}/hub/api/users/{user}"

    requested = time.monotonic()
    while True:
        response = numbers.api_call(session, "POST", f"{api}/server", json={"profile": profile}, headers=xsrf)
        if response.status_code != 429:
            break
        with numbers.lock:
            numbers.throttled += 1
        wait = float(response.headers.get("Retry-After", "5"))
        if time.monotonic() + wait > deadline:
            raise SessionFailed("throttled-past-budget")
        time.sleep(wait)
    if response.status_code not in (201, 202):
        raise SessionFailed(f"spawn-http-{response.status_code}", response.text[:200])

    while True:
        if time.monotonic() > deadline:
            raise SessionFailed("spawn-timeout")
        model = numbers.api_call(session, "GET", api, headers=xsrf).json()
        state = model.get("servers", {}).get("")
        if state and state.get("ready"):
            break
        if not state and not model.get("pending"):
            raise SessionFailed("spawn-failed")
        time.sleep(1)
    with numbers.lock:
        numbers.spawn_times.append(time.monotonic() - requested)

    token_response = numbers.api_call(session, "POST", f"{api}/tokens", json={"note": "load", "expires_in": 600}, headers=xsrf)
    if token_response.status_code != 201:
        raise SessionFailed(f"token-http-{token_response.status_code}")
    token = token_response.json()["token"]
    try:
        kernel = KernelClient(hub.url, user, token)
    except Exception as exc:
        raise SessionFailed("kernel-start", repr(exc)) from exc
    try:
        result = kernel.execute("print(sum(range(1000)))", timeout=max(5.0, deadline - time.monotonic()))
    except TimeoutError as exc:
        raise SessionFailed("cell-timeout") from exc
    finally:
        kernel.close()
    if result.stdout.strip() != "499500":
        raise SessionFailed("cell-wrong-output", result.stdout[:100])

    stopped = numbers.api_call(session, "DELETE", f"{api}/server", headers=xsrf)
    if stopped.status_code not in (202, 204):
        raise SessionFailed(f"stop-http-{stopped.status_code}")
    while "" in numbers.api_call(session, "GET", api, headers=xsrf).json().get("servers", {}):
        if time.monotonic() > deadline:
            raise SessionFailed("stop-timeout")
        time.sleep(1)


def sample_memory(hub: HubProcess, peaks: dict[str, int], stop: threading.Event) -> None:
    while not stop.is_set():
        for name, pid in (("hub", hub.proc.pid if hub.proc else None), ("proxy", hub.proxy_pid())):
            try:
                rss = psutil.Process(pid).memory_info().rss if pid else 0
            except psutil.NoSuchProcess:
                rss = 0
            peaks[name] = max(peaks.get(name, 0), rss)
        stop.wait(0.5)


def measure(count: int, profile: str, budget: float) -> dict:
    users = {f"user{i:02d}": {"password": f"pass-{i:02d}", "admin": False, "groups": []} for i in range(count)}
    with tempfile.TemporaryDirectory(prefix=f"nbplatform-load-{count}-") as workdir:
        hub = HubProcess(Path(workdir), users=users, extra_config="c.JupyterHub.log_level = 'INFO'")
        hub.start()
        numbers = Measurements()
        peaks: dict[str, int] = {}
        stop = threading.Event()
        sampler = threading.Thread(target=sample_memory, args=(hub, peaks, stop), daemon=True)
        sampler.start()
        started = time.monotonic()
        deadline = started + budget

        def one(user: str) -> None:
            try:
                run_session(hub, user, profile, deadline, numbers)
                with numbers.lock:
                    numbers.completed += 1
            except SessionFailed as exc:
                with numbers.lock:
                    numbers.failures[exc.cause] += 1
            except Exception as exc:  # report every other failure by its type
                with numbers.lock:
                    numbers.failures[type(exc).__name__] += 1

        try:
            with ThreadPoolExecutor(max_workers=count) as pool:
                list(pool.map(one, users))
            wall = time.monotonic() - started
        finally:
            stop.set()
            sampler.join()
            hub.cleanup()
    return {
        "users": count,
        "completed": numbers.completed,
        "failures": dict(numbers.failures),
        "throttled_429": numbers.throttled,
        "api_p50_ms": 1000 * percentile(numbers.api_latencies, 0.5),
        "api_p99_ms": 1000 * percentile(numbers.api_latencies, 0.99),
        "api_requests": len(numbers.api_latencies),
        "spawn_p50_s": percentile(numbers.spawn_times, 0.5),
        "spawn_p99_s": percentile(numbers.spawn_times, 0.99),
        "hub_rss_mib": peaks.get("hub", 0) / 2**20,
        "proxy_rss_mib": peaks.get("proxy", 0) / 2**20,
        "wall_s": wall,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, nargs="+", default=[10, 25, 50], help="numbers of simulated users, one run each")
    parser.add_argument("--profile", default="small", help="profile slug every user starts (default: small)")
    parser.add_argument("--budget", type=float, default=900, help="maximum wall time of one run in seconds (default: 900)")
    args = parser.parse_args(argv)
    print(f"cores: {psutil.cpu_count()}, memory: {psutil.virtual_memory().total / 2**30:.1f} GiB")
    for count in args.users:
        result = measure(count, args.profile, args.budget)
        print(
            "N={users}: completed {completed}/{users}, failures {failures}, 429 answers {throttled_429}, "
            "hub API p50 {api_p50_ms:.0f} ms p99 {api_p99_ms:.0f} ms over {api_requests} requests, "
            "spawn p50 {spawn_p50_s:.1f} s p99 {spawn_p99_s:.1f} s, "
            "peak RSS hub {hub_rss_mib:.0f} MiB proxy {proxy_rss_mib:.0f} MiB, wall {wall_s:.0f} s".format(**result),
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
