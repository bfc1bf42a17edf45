"""The local spawner: one JupyterLab process per user server, sized by a profile."""

from __future__ import annotations

import asyncio
import hashlib
import os
import shutil
import sys
from pathlib import Path
from subprocess import Popen
from typing import AsyncIterator, Callable

import escapism
import psutil
from jupyterhub.spawner import LocalProcessSpawner
from jupyterhub.utils import random_port
from traitlets import Bool, Float, Unicode, default

from ..config import Settings
from .limits import MemoryLimiter, detect_limiter
from .processes import ServerProcess, pid_file, read_pid_file, remove_pid_file, terminate, write_pid_file
from .profile_mixin import ProfileSpawnerMixin

_SAFE_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789")
_LIMITER: MemoryLimiter | None = None


def memory_limiter() -> MemoryLimiter:
    global _LIMITER
    if _LIMITER is None:
        _LIMITER = detect_limiter()
    return _LIMITER


def safe_name(name: str) -> str:
    """Escape a user or server name for use as one path component."""
    return escapism.escape(name, safe=_SAFE_CHARS, escape_char="-").lower() or "-"


class LocalProfileSpawner(ProfileSpawnerMixin, LocalProcessSpawner):
    """Start JupyterLab as a local process with the chosen profile's limits and environment.

    Servers run as the hub's own OS user, each in its home directory under the
    platform's data directory. Unlike :class:`LocalProcessSpawner` no system
    account per user is needed.
    """

    data_dir = Unicode(
        help="""
        Platform data directory; homes go to ``<data_dir>/home/<user>`` and pid
        files to ``<data_dir>/servers/``. Default: ``NBPLATFORM_DATA_DIR``, else
        ``.nbplatform/`` in the repository.
        """,
    ).tag(config=True)

    @default("data_dir")
    def _default_data_dir(self) -> str:
        return str(Settings.from_env().data_dir)

    enforce_memory_limit = Bool(
        True,
        help="""
        Enforce the profile's ``mem_limit`` with a cgroup (all processes of the
        server together) or, where cgroups are not writable, ``RLIMIT_DATA``
        (each process on its own). Set False to only pass ``MEM_LIMIT`` on.
        """,
    ).tag(config=True)

    examples_dir = Unicode(
        help="""
        Directory whose notebooks are copied to ``examples/`` in a new home
        directory, once, when the home is created. Default:
        ``NBPLATFORM_NOTEBOOKS_DIR``, else ``notebooks/`` in the repository.
        Set to an empty string to start with an empty home.
        """,
    ).tag(config=True)

    @default("examples_dir")
    def _default_examples_dir(self) -> str:
        return str(Settings.from_env().notebooks_dir)

    ready_poll_interval = Float(
        0.2,
        help="Seconds between checks that the new server process is still alive while it starts.",
    ).tag(config=True)

    @default("cmd")
    def _default_cmd(self) -> list[str]:
        return [sys.executable, "-m", "jupyterhub.singleuser"]

    @default("default_url")
    def _default_default_url(self) -> str:
        return "/lab"

    @default("ip")
    def _default_ip(self) -> str:
        return "127.0.0.1"

    # -- paths -------------------------------------------------------------

    @property
    def home_dir(self) -> Path:
        return Path(self.data_dir) / "home" / safe_name(self.user.name)

    @property
    def pid_path(self) -> Path:
        return pid_file(Path(self.data_dir) / "servers", safe_name(self.user.name), safe_name(self.name) if self.name else "")

    @property
    def limit_key(self) -> str:
        # The data directory's hash keeps two hubs on one machine apart.
        hub_id = hashlib.sha256(str(Path(self.data_dir).resolve()).encode()).hexdigest()[:8]
        return f"{hub_id}-{safe_name(self.user.name)}--{safe_name(self.name) if self.name else 'default'}"

    # -- state ------------------------------------------------------------

    create_time = Float(0.0)

    def load_state(self, state: dict) -> None:
        super().load_state(state)
        self.create_time = float(state.get("create_time", 0.0))

    def get_state(self) -> dict:
        state = super().get_state()
        if self.pid:
            state["create_time"] = self.create_time
        return state

    def clear_state(self) -> None:
        super().clear_state()
        self.create_time = 0.0

    # -- environment --------------------------------------------------------

    def make_preexec_fn(self, name: str) -> Callable[[], None]:
        home = str(self.home_dir)
        join_limit = self._limit_preexec

        def preexec() -> None:
            os.chdir(home)
            if join_limit is not None:
                join_limit()

        return preexec

    def user_env(self, env: dict) -> dict:
        env["USER"] = self.user.name
        env["HOME"] = str(self.home_dir)
        env["SHELL"] = os.environ.get("SHELL", "/bin/bash")
        return env

    def get_env(self) -> dict:
        env = super().get_env()
        env.update(self.profile_environment())
        # The platform's own commands (nbplatform, papermill) work in a
        # JupyterLab terminal even when the hub's virtualenv is not activated.
        env["PATH"] = os.pathsep.join(p for p in (str(Path(sys.executable).parent), env.get("PATH", "")) if p)
        env["NBPLATFORM_MODE"] = "local"
        env["NBPLATFORM_DATA_DIR"] = str(Path(self.data_dir).resolve())
        for var in ("NBPLATFORM_JOBS_DIR", "NBPLATFORM_NOTEBOOKS_DIR", "LANG", "LC_ALL"):
            if os.environ.get(var):
                env[var] = os.environ[var]
        return env

    def get_args(self) -> list[str]:
        args = super().get_args()
        if os.geteuid() == 0:
            # Jupyter Server refuses to run as root without this flag. Only
            # the root case gets it, so a non-root hub is unchanged.
            args.append("--ServerApp.allow_root=True")
        return args

    # -- progress ------------------------------------------------------------

    def _emit(self, progress: int, message: str) -> None:
        if not hasattr(self, "_events"):
            self._events = []
            self._events_changed = asyncio.Event()
        self._events.append({"progress": progress, "message": message})
        self._events_changed.set()

    async def progress(self) -> AsyncIterator[dict]:
        sent = 0
        while True:
            events = getattr(self, "_events", [])
            while sent < len(events):
                yield events[sent]
                sent += 1
            if not self._spawn_pending:
                return
            if hasattr(self, "_events_changed"):
                self._events_changed.clear()
                try:
                    await asyncio.wait_for(self._events_changed.wait(), timeout=1)
                except asyncio.TimeoutError:
                    pass
            else:
                await asyncio.sleep(0.2)

    # -- lifecycle ------------------------------------------------------------

    _limit_preexec: Callable[[], None] | None = None

    async def _stop_leftover(self) -> None:
        """Stop a server process left from an earlier start that the hub lost track of."""
        leftover = read_pid_file(self.pid_path)
        if leftover is None:
            return
        if leftover.pid != self.pid and leftover.is_running():
            self.log.warning("Stopping leftover server process %d for %s", leftover.pid, self._log_name)
            await asyncio.to_thread(terminate, leftover)
        remove_pid_file(self.pid_path)

    async def start(self):
        self._events = []
        self._events_changed = asyncio.Event()
        for event in self.profile_progress():
            self._emit(event["progress"], event["message"])
        self._emit(10, f"Preparing home directory for profile {self.profile.slug if self.profile else 'default'}")
        await self._stop_leftover()
        if not self.home_dir.exists():
            self.home_dir.mkdir(parents=True)
            self._copy_examples()
        self._limit_preexec = None
        enforced_by = "not enforced"
        if self.enforce_memory_limit and self.mem_limit:
            limiter = memory_limiter()
            self._limit_preexec = limiter.prepare(self.limit_key, int(self.mem_limit))
            enforced_by = limiter.name
        if not self.port:
            self.port = random_port()
        self._emit(40, "Starting JupyterLab")
        ip, port = await super().start()
        process = psutil.Process(self.pid)
        self.create_time = process.create_time()
        write_pid_file(
            self.pid_path,
            ServerProcess(self.pid, self.create_time, self.port, self.user.name, self.name),
        )
        self._emit(70, f"JupyterLab process {self.pid} started; waiting for it to answer")
        await self._wait_until_listening()
        self.log.info(
            "Server %s started with profile %s: pid %d, port %d, mem_limit=%s (%s)",
            self._log_name, self._profile_slug, self.pid, self.port, self.mem_limit, enforced_by,
        )
        return ip, port


    def _copy_examples(self) -> None:
        """Copy the example notebooks into a new home's ``examples/`` directory."""
        source = Path(self.examples_dir) if self.examples_dir else None
        if source is None or not source.is_dir():
            return
        target = self.home_dir / "examples"
        target.mkdir(exist_ok=True)
        for notebook in sorted(source.glob("*.ipynb")):
            shutil.copy2(notebook, target / notebook.name)
        self.log.info("Copied example notebooks from %s to %s", source, target)

    async def _wait_until_listening(self) -> None:
        """Wait for the server's port to open; fail at once if the process exits first.

        Without this the hub notices a server that died while starting (for
        example under a tight memory limit) only when ``http_timeout`` expires.
        """
        loop = asyncio.get_running_loop()
        # Leave the rest of start_timeout to the hub's own HTTP check.
        deadline = loop.time() + max(1.0, self.start_timeout - 5)
        while loop.time() < deadline:
            status = self.proc.poll() if self.proc is not None else None
            if status is not None:
                self.log.error(
                    "Server %s with profile %s failed to start: pid %d exited with status %s",
                    self._log_name, self._profile_slug, self.pid, status,
                )
                raise RuntimeError(
                    f"JupyterLab exited with status {status} before it responded. "
                    "Check the hub log; if the profile's memory limit is small, pick a larger profile."
                )
            try:
                _, writer = await asyncio.wait_for(asyncio.open_connection(self.ip or "127.0.0.1", self.port), timeout=1)
            except (OSError, asyncio.TimeoutError):
                await asyncio.sleep(self.ready_poll_interval)
                continue
            writer.close()
            return

    async def poll(self):
        if self.proc is None and self.pid:
            record = ServerProcess(self.pid, self.create_time, self.port, self.user.name, self.name)
            if self.create_time and not record.is_running():
                self.log.info("Server %s with profile %s is gone: pid %d no longer runs", self._log_name, self._profile_slug, self.pid)
                self.clear_state()
                remove_pid_file(self.pid_path)
                return 0
        status = await super().poll()
        if status is not None:
            await self._stop_leftover()
        return status

    async def stop(self, now: bool = False):
        pid = self.pid
        await super().stop(now=now)
        await self._stop_leftover()
        remove_pid_file(self.pid_path)
        memory_limiter().release(self.limit_key)
        self.log.info("Server %s with profile %s stopped: pid %d", self._log_name, self._profile_slug, pid)
