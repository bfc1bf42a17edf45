"""new_cluster() on the local back end: real LocalClusters, a real jupyter-server-proxy, real kernels' fate."""

import logging
import math
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import dask
import psutil
import pytest
import requests
from distributed import Adaptive, Client

from nbplatform.dask import new_cluster
from nbplatform.dask.dashboard import dask_environment
from nbplatform.dask.limits import ProfileLocalCluster
from nbplatform.errors import ClusterError
from support.ports import free_port

pytestmark = pytest.mark.slow

REPO_ROOT = Path(__file__).resolve().parents[2]
PROFILE_YAML = """
- display_name: "Two workers"
  slug: pair
  kubespawner_override: {cpu_limit: 2, mem_limit: 2G}
  dask: {worker_cores: 1, worker_memory: 1G, max_workers: 2}
"""


@pytest.fixture(scope="module")
def profile_env(tmp_path_factory):
    profiles = tmp_path_factory.mktemp("profiles")
    (profiles / "pair.yaml").write_text(PROFILE_YAML)
    return {
        "NBPLATFORM_MODE": "local",
        "NBPLATFORM_PROFILE": "pair",
        "NBPLATFORM_PROFILES_DIR": str(profiles),
        "CPU_LIMIT": "2",
        "MEM_LIMIT": str(2 * 1024**3),
    }


@pytest.fixture(scope="module")
def cluster(profile_env):
    with dask.config.set({}):  # new_cluster may set the link; restore config afterwards
        cluster = new_cluster(environ=profile_env)
        yield cluster
        cluster.close()


def test_local_cluster_sized_by_profile(cluster):
    workers = cluster.scheduler_info["workers"].values()
    assert isinstance(cluster, ProfileLocalCluster)
    assert len(workers) == 2
    assert all(w["nthreads"] == 1 for w in workers)
    # 2 GiB server limit, a quarter kept for the kernel, the rest split by two workers.
    assert all(w["memory_limit"] == 768 * 1024**2 for w in workers)


def test_local_cluster_runs_tasks(cluster):
    with Client(cluster) as client:
        assert client.submit(sum, range(10)).result() == 45


def test_local_cluster_scale_over_cap(cluster):
    with pytest.raises(ClusterError, match="profile 'pair' sets dask.max_workers: 2"):
        cluster.scale(3)


def test_local_cluster_scale_up_over_cap(cluster):
    # SpecCluster.scale_up is an alias of SpecCluster.scale, which skips an overridden scale().
    with pytest.raises(ClusterError, match="Cannot scale to 4 workers"):
        cluster.scale_up(4)
    assert len(cluster.worker_spec) == 2


def test_local_cluster_scale_up_within_cap(cluster):
    cluster.scale_up(2)
    assert len(cluster.worker_spec) == 2


def test_local_cluster_scale_memory_over_cap(cluster):
    # 4 GiB at 768 MiB per worker needs 6 workers.
    with pytest.raises(ClusterError, match="Cannot scale to 6 workers"):
        cluster.scale(memory="4GiB")


def test_local_cluster_adapt_over_cap(cluster):
    with pytest.raises(ClusterError, match="adapt\\(maximum=2\\)"):
        cluster.adapt(minimum=0, maximum=10)


def test_local_cluster_adapt_default_capped(cluster):
    adaptive = cluster.adapt(minimum=1)
    try:
        assert adaptive.maximum == 2
        assert adaptive.minimum == 1
    finally:
        adaptive.stop()
        cluster.scale(2)


def test_local_adaptive_maximum_capped_later(cluster):
    adaptive = cluster.adapt(minimum=1)
    try:
        with pytest.raises(ClusterError, match="Use adapt\\(maximum=2\\)"):
            adaptive.maximum = 10
        assert adaptive.maximum == 2
        adaptive.maximum = math.inf  # no maximum means the cap
        assert adaptive.maximum == 2
    finally:
        adaptive.stop()
        cluster.scale(2)


def test_local_adapt_foreign_adaptive(cluster):
    with pytest.raises(ClusterError, match="subclass of nbplatform.dask.limits.ProfileAdaptive"):
        cluster.adapt(Adaptive=Adaptive, maximum=2)


def test_new_cluster_cpu_cap_named(profile_env):
    with pytest.raises(ClusterError) as info:
        new_cluster(2, environ={**profile_env, "CPU_LIMIT": "1"})
    message = info.value.message
    assert "because the server's CPU limit of 1 CPU fits 1 worker of 1 thread" in message
    assert "higher cpu_limit" in message
    assert "dask.max_workers" not in message


def test_new_cluster_threads_over_cpus(profile_env):
    with pytest.raises(ClusterError, match="threads_per_worker=8 is more than the 2 CPU\\(s\\)"):
        new_cluster(1, threads_per_worker=8, environ=profile_env)


def test_new_cluster_memory_over_server(profile_env):
    with pytest.raises(ClusterError, match="memory_limit=93.13GiB is more than the 1.5GiB"):
        new_cluster(1, memory_limit="100GB", environ=profile_env)


def test_new_cluster_invalid_memory(profile_env):
    with pytest.raises(ClusterError, match="memory_limit='auto' is invalid"):
        new_cluster(1, memory_limit="auto", environ=profile_env)


def test_new_cluster_reserved_argument(profile_env):
    with pytest.raises(ClusterError, match="new_cluster\\(host=...\\) is not supported") as info:
        new_cluster(1, host="0.0.0.0", environ=profile_env)
    assert "127.0.0.1" in info.value.message


def test_new_cluster_worker_options(profile_env):
    with dask.config.set({}):
        cluster = new_cluster(1, threads_per_worker=2, memory_limit="512MiB", name="alice-wide", environ=profile_env)
        try:
            workers = list(cluster.scheduler_info["workers"].values())
            with pytest.raises(ClusterError) as info:
                cluster.scale(2)
        finally:
            cluster.close()
    assert cluster.name == "alice-wide"
    assert [w["nthreads"] for w in workers] == [2]
    assert [w["memory_limit"] for w in workers] == [512 * 1024**2]
    assert "fits 1 worker of 2 threads" in info.value.message
    assert "threads_per_worker=1" in info.value.message


def test_new_cluster_initial_over_cap(profile_env):
    with pytest.raises(ClusterError, match="Cannot scale to 5 workers"):
        new_cluster(5, environ=profile_env)


def test_new_cluster_unknown_profile(profile_env):
    from nbplatform.errors import ProfileError

    with pytest.raises(ProfileError, match="'huge'"):
        new_cluster(environ={**profile_env, "NBPLATFORM_PROFILE": "huge"})


@pytest.fixture(scope="module", params=["/user/alice/", "/user/alice/gpu-box/"], ids=["default", "named"])
def single_user_server(request, tmp_path_factory):
    """A real jupyter-server with jupyter-server-proxy under a JupyterHub-style base URL."""
    base_url = request.param
    port = free_port()
    token = "test-token-not-secret"
    workdir = tmp_path_factory.mktemp("server")
    log_path = workdir / "server.log"
    log_file = open(log_path, "wb")

    process = subprocess.Popen(
        [
            sys.executable, "-m", "jupyter_server", "--no-browser", "--allow-root", "--ip=127.0.0.1", f"--port={port}",
            f"--ServerApp.base_url={base_url}", f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={workdir}",
        ],
        # A log file, not a pipe: an unread pipe that fills up would block the server.
        cwd=workdir, stdout=subprocess.DEVNULL, stderr=log_file,
        env={**os.environ, "JUPYTER_CONFIG_DIR": str(workdir / "config"), "JUPYTER_RUNTIME_DIR": str(workdir / "runtime")},
    )

    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{url}{base_url}api/status", params={"token": token}, timeout=2).ok:
                break
        except requests.ConnectionError:
            time.sleep(0.3)
    else:
        process.kill()
        log_file.close()
        pytest.fail(f"jupyter-server did not start within 60 s: {log_path.read_text()[-2000:]}")

    yield url, base_url, token
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
    log_file.close()


def test_dashboard_link_through_server_proxy(single_user_server, profile_env):
    url, base_url, token = single_user_server
    with dask.config.set({}), pytest.MonkeyPatch.context() as patch:
        patch.setenv("JUPYTERHUB_SERVICE_PREFIX", base_url)
        cluster = new_cluster(1, environ={**profile_env, "JUPYTERHUB_SERVICE_PREFIX": base_url})
        try:
            link = cluster.dashboard_link
            response = requests.get(url + link, params={"token": token}, timeout=30)
        finally:
            cluster.close()
    assert link.startswith(f"{base_url}proxy/")
    assert link.endswith("/status")
    assert response.status_code == 200
    assert "Dask" in response.text


async def test_labextension_factory_uses_profile(profile_env):
    from dask_labextension.manager import make_cluster

    # DASK_A__B__C=v is dask config a.b.c=v; dotted keys keep the labextension defaults beside them.
    settings = {
        key.removeprefix("DASK_").lower().replace("__", "."): value
        for key, value in dask_environment("local").items()
    }
    with dask.config.set(settings), pytest.MonkeyPatch.context() as patch:
        for key, value in profile_env.items():
            patch.setenv(key, value)
        cluster, _ = await make_cluster({"workers": 1})
        try:
            assert isinstance(cluster, ProfileLocalCluster)
            assert cluster.max_workers == 2
            with pytest.raises(ClusterError, match="at most 2 workers"):
                cluster.scale(3)
        finally:
            await cluster.close()


KERNEL_SCRIPT = textwrap.dedent(
    """
    import os, sys, time
    import psutil
    from nbplatform.dask import new_cluster
    cluster = new_cluster()
    pids = [p.pid for p in psutil.Process().children(recursive=True)]
    print(" ".join(map(str, pids)), flush=True)
    time.sleep(600)
    """
)


def test_workers_exit_after_kernel_killed(profile_env):
    env = {**os.environ, **profile_env, "PYTHONPATH": os.pathsep.join([str(REPO_ROOT), os.environ.get("PYTHONPATH", "")])}
    kernel = subprocess.Popen([sys.executable, "-c", KERNEL_SCRIPT], env=env, stdout=subprocess.PIPE, text=True)
    try:
        worker_pids = [int(pid) for pid in kernel.stdout.readline().split()]
        assert worker_pids, "the stand-in kernel started no worker processes"
        os.kill(kernel.pid, signal.SIGKILL)  # what an out-of-memory kill does to a kernel
        kernel.wait(timeout=10)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and any(_alive(pid) for pid in worker_pids):
            time.sleep(0.5)
        assert [pid for pid in worker_pids if _alive(pid)] == []
    finally:
        if kernel.poll() is None:
            kernel.kill()


def _alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def test_cluster_start_close_logged(profile_env, caplog):
    caplog.set_level(logging.INFO, logger="nbplatform.dask")
    with dask.config.set({}):
        cluster = new_cluster(1, environ={**profile_env, "JUPYTERHUB_USER": "alice"})
        name = cluster.name
        cluster.close()
        cluster.close()
    lines = [r.getMessage() for r in caplog.records if r.name.startswith("nbplatform.dask")]
    started = [line for line in lines if " started " in line]
    closed = [line for line in lines if line.endswith(" closed")]
    assert len(started) == 1
    assert started[0].startswith(f"Dask cluster {name} started for user alice with profile pair: 1 worker(s), ")
    assert closed == [f"Dask cluster {name} of user alice with profile pair closed"]
