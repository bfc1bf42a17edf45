"""Measure the jobs room: run overhead against bare Papermill, and a scheduler pass over 1,000 jobs.

Usage: ``python benchmarks/jobs.py [--repeat 5] [--jobs 1000]``. Prints numbers; asserts nothing.

1. Wall time of ``nbplatform jobs run`` against ``papermill`` on the same
   notebook, both as fresh processes, alternated, median of ``--repeat`` runs.
   The target is a ratio of at most 1.15.
2. The scheduler with ``--jobs`` job specs: time of a cold pass (reads every
   spec), of steady passes (minute by minute, a fake clock), and the resident
   memory the scheduler adds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import psutil

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from nbplatform.config import Settings  # noqa: E402
from nbplatform.jobs.context import JobsContext  # noqa: E402
from nbplatform.jobs.scheduler import Scheduler  # noqa: E402
from nbplatform.jobs.spec import parse_spec  # noqa: E402

WORKLOAD = """
import numpy as np
import pandas as pd
rng = np.random.default_rng(0)
frame = pd.DataFrame({"carrier": rng.integers(0, 16, rows), "delay": rng.normal(10, 30, rows)})
summary = frame.groupby("carrier")["delay"].agg(["mean", "count", "max"])
for _ in range(20):
    summary = frame.groupby("carrier")["delay"].quantile([0.5, 0.9]).unstack()
summary
"""


def benchmark_notebook(path: Path) -> None:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [
        nbformat.v4.new_code_cell("rows = 200_000", metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell(WORKLOAD),
        nbformat.v4.new_code_cell("print(summary.round(2).to_string())"),
    ]
    nbformat.write(nb, path)


def timed(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def run_overhead(root: Path, repeat: int) -> None:
    notebook = root / "bench.ipynb"
    benchmark_notebook(notebook)
    env = dict(os.environ)
    env.update(
        NBPLATFORM_DATA_DIR=str(root / "data"), NBPLATFORM_JOBS_DIR=str(root / "jobs"),
        PYTHONPATH=os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH", "")) if p),
    )
    subprocess.run(
        [sys.executable, "-m", "nbplatform.cli.main", "promote", str(notebook), "--name", "bench", "--schedule", "0 7 * * *",
         "-p", "rows", "200000"],
        env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    papermill = [sys.executable, "-m", "papermill", str(notebook), str(root / "papermill-out.ipynb"), "-p", "rows", "200000",
                 "--no-progress-bar", "-k", "python3"]
    nbplatform = [sys.executable, "-m", "nbplatform.cli.main", "jobs", "run", "bench"]
    timed(papermill, env)  # warm the page cache and compiled bytecode for both
    timed(nbplatform, env)
    bare, ours = [], []
    for _ in range(repeat):
        bare.append(timed(papermill, env))
        ours.append(timed(nbplatform, env))
    bare_median, ours_median = statistics.median(bare), statistics.median(ours)
    print(f"papermill (baseline)  median {bare_median:6.2f} s  runs {', '.join(f'{t:.2f}' for t in bare)}")
    print(f"nbplatform jobs run   median {ours_median:6.2f} s  runs {', '.join(f'{t:.2f}' for t in ours)}")
    print(f"ratio nbplatform/papermill: {ours_median / bare_median:.3f} (target <= 1.15)")


class NullLauncher:
    """Counts launches and starts nothing, so only scheduling is measured."""

    def __init__(self) -> None:
        self.count = 0

    def launch(self, spec, slot, run_id, trigger) -> None:
        self.count += 1

    def running(self, job: str) -> bool:
        return False


def scheduler_pass(root: Path, jobs: int) -> None:
    settings = Settings(data_dir=root / "sched-data", jobs_dir=root / "sched-jobs")
    context = JobsContext(settings, runs_url=str(root / "sched-data" / "runs"), snapshots_url=str(root / "sched-data" / "snap"))
    schedules = ["0 7 * * *", "*/15 * * * *", "30 2 * * 1-5", "0 * * * *", "5 4 1 * *"]
    zones = ["Asia/Tokyo", "UTC", "America/New_York", "Europe/Berlin"]
    for index in range(jobs):
        spec = parse_spec({
            "name": f"job-{index:04d}", "owner": f"user{index % 50}", "notebook": {"snapshot": "sha256:" + "c" * 64},
            "schedule": schedules[index % len(schedules)], "timezone": zones[index % len(zones)],
        })
        context.specs.write(spec)

    process = psutil.Process()
    before = process.memory_info().rss
    now = [dt.datetime(2024, 6, 3, 0, 0, 30, tzinfo=dt.timezone.utc)]
    for index in range(jobs):
        context.cursors.set(f"job-{index:04d}", now[0] - dt.timedelta(minutes=1))

    launcher = NullLauncher()
    scheduler = Scheduler(context, launcher, clock=lambda: now[0])
    start = time.perf_counter()
    scheduler.tick()
    cold = time.perf_counter() - start
    steady = []
    for _ in range(60):
        now[0] += dt.timedelta(minutes=1)
        start = time.perf_counter()
        scheduler.tick()
        steady.append(time.perf_counter() - start)

    after = process.memory_info().rss
    print(f"scheduler, {jobs} jobs: cold pass {cold * 1000:.0f} ms; steady pass median {statistics.median(steady) * 1000:.0f} ms, "
          f"max {max(steady) * 1000:.0f} ms over 60 one-minute passes; {launcher.count} slots launched")
    print(f"scheduler, {jobs} jobs: resident memory added {(after - before) / 2**20:.1f} MiB (process total {after / 2**20:.0f} MiB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of each command; default 5")
    parser.add_argument("--jobs", type=int, default=1000, help="job specs for the scheduler pass; default 1000")
    args = parser.parse_args()
    print(f"host: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}")
    with tempfile.TemporaryDirectory(prefix="nbplatform-bench-") as root:
        run_overhead(Path(root), args.repeat)
        scheduler_pass(Path(root), args.jobs)


if __name__ == "__main__":
    main()
