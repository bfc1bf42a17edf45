"""Spawn-to-ready time of the local profile spawner against JupyterHub's own local process spawner.

Both hubs run on this machine at once with the same JupyterLab
(``python -m jupyterhub.singleuser``); spawns alternate between them so
machine noise hits both alike. Prints the median of each and their ratio
(target: at most 1.10).

    python benchmarks/spawn.py --repetitions 5
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / "tests"))

from support.hub import HubProcess  # noqa: E402

def baseline_config(home_root: Path) -> str:
    """Config lines that switch a test hub to JupyterHub's SimpleLocalProcessSpawner."""
    args = ["--ServerApp.allow_root=True"] if os.geteuid() == 0 else []
    return "\n".join(
        [
            'c.JupyterHub.spawner_class = "jupyterhub.spawner.SimpleLocalProcessSpawner"',
            f"c.SimpleLocalProcessSpawner.home_dir_template = {str(home_root) + '/{username}'!r}",
            f'c.Spawner.cmd = [{sys.executable!r}, "-m", "jupyterhub.singleuser"]',
            f"c.Spawner.args = {args!r}",
            'c.Spawner.default_url = "/lab"',
        ]
    )


def time_spawn(hub: HubProcess, user: str, options: dict) -> float:
    """Return seconds from the spawn request until the hub reports the server ready."""
    started = time.perf_counter()
    response = hub.api("POST", f"/users/{user}/server", json=options)
    response.raise_for_status()
    while True:
        model = hub.api("GET", f"/users/{user}").json()
        server = model.get("servers", {}).get("")
        if server and server.get("ready"):
            elapsed = time.perf_counter() - started
            break
        if time.perf_counter() - started > 180:
            raise RuntimeError(f"{user} on {hub.url} not ready after 180 s")
        time.sleep(0.05)
    hub.api("DELETE", f"/users/{user}/server").raise_for_status()
    hub.wait_for_stop(user)
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repetitions", type=int, default=5, help="spawns per spawner (default 5)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="nbplatform-bench-") as tmp:
        root = Path(tmp)
        ours = HubProcess(root / "ours")
        plain = HubProcess(root / "plain", extra_config=baseline_config(root / "plain-home"))
        try:
            ours.start()
            plain.start()
            # One warm-up spawn each, not counted: the first import of JupyterLab is slower.
            time_spawn(ours, "alice", {"profile": "small"})
            time_spawn(plain, "alice", {})
            ours_times, plain_times = [], []
            for _ in range(args.repetitions):
                ours_times.append(time_spawn(ours, "alice", {"profile": "small"}))
                plain_times.append(time_spawn(plain, "alice", {}))
        finally:
            ours.cleanup()
            plain.cleanup()

    ours_median = statistics.median(ours_times)
    plain_median = statistics.median(plain_times)
    print(f"repetitions: {args.repetitions} per spawner, alternating, after one warm-up each")
    print(f"LocalProfileSpawner        median {ours_median:.2f} s  all {[round(t, 2) for t in ours_times]}")
    print(f"SimpleLocalProcessSpawner  median {plain_median:.2f} s  all {[round(t, 2) for t in plain_times]}")
    print(f"ratio (ours / plain): {ours_median / plain_median:.3f}  (target <= 1.10)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
