"""Run code in a kernel of a spawned server, through the proxy, over the kernel websocket."""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass, field

import requests
import websocket


class KernelDied(RuntimeError):
    """The kernel died or restarted while running the code (for example killed for memory)."""


@dataclass
class ExecutionResult:
    status: str = ""
    stdout: str = ""
    stderr: str = ""
    error_name: str = ""
    results: list[dict] = field(default_factory=list)


class KernelClient:
    """A kernel started through ``/user/<name>/api/kernels`` and driven over its websocket."""

    def __init__(self, base_url: str, user: str, token: str, server: str = "") -> None:
        prefix = f"/user/{user}/{server + '/' if server else ''}"
        self.http_base = f"{base_url}{prefix}api"
        self.ws_base = self.http_base.replace("http://", "ws://", 1)
        self.headers = {"Authorization": f"token {token}"}
        response = requests.post(f"{self.http_base}/kernels", json={"name": "python3"}, headers=self.headers, timeout=60)
        response.raise_for_status()
        self.kernel_id = response.json()["id"]
        self.session = uuid.uuid4().hex
        self.ws = websocket.create_connection(
            f"{self.ws_base}/kernels/{self.kernel_id}/channels?session_id={self.session}",
            header=[f"Authorization: token {token}"],
            timeout=120,
        )

    def execute(self, code: str, timeout: float = 120) -> ExecutionResult:
        msg_id = uuid.uuid4().hex
        self.ws.send(
            json.dumps(
                {
                    "header": {
                        "msg_id": msg_id,
                        "username": "test",
                        "session": self.session,
                        "msg_type": "execute_request",
                        "version": "5.3",
                    },
                    "parent_header": {},
                    "metadata": {},
                    "content": {"code": code, "silent": False, "store_history": False, "allow_stdin": False},
                    "channel": "shell",
                }
            )
        )
        result = ExecutionResult()
        deadline = time.monotonic() + timeout
        reply_seen = idle_seen = False
        while time.monotonic() < deadline and not (reply_seen and idle_seen):
            self.ws.settimeout(max(0.1, deadline - time.monotonic()))
            try:
                message = json.loads(self.ws.recv())
            except websocket.WebSocketTimeoutException:
                break
            except websocket.WebSocketConnectionClosedException as exc:
                raise KernelDied("kernel websocket closed") from exc
            kind = message["msg_type"]
            content = message["content"]
            if kind == "status" and content.get("execution_state") in ("restarting", "dead"):
                raise KernelDied(f"kernel {content['execution_state']}")
            if message.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            if kind == "stream":
                if content["name"] == "stdout":
                    result.stdout += content["text"]
                else:
                    result.stderr += content["text"]
            elif kind in ("execute_result", "display_data"):
                result.results.append(content["data"])
            elif kind == "error":
                result.error_name = content["ename"]
            elif kind == "execute_reply":
                result.status = content["status"]
                reply_seen = True
            elif kind == "status" and content["execution_state"] == "idle":
                idle_seen = True
        if not reply_seen:
            raise TimeoutError(f"no execute_reply within {timeout}s for {code[:80]!r}")
        return result

    def close(self) -> None:
        try:
            self.ws.close()
        finally:
            requests.delete(f"{self.http_base}/kernels/{self.kernel_id}", headers=self.headers, timeout=30)
