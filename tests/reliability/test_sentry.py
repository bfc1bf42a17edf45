"""Sentry events for unexpected exceptions, sent to a loopback receiver standing in for Sentry."""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
import textwrap

import pytest

from jobs.conftest import Receiver
from nbplatform.sentry import init_sentry, sentry_dsn

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TOKEN = "f" * 40

# A Tornado handler that raises, as a bug in a platform handler would. The
# request carries an API token that must not reach Sentry.
CRASHING_APP = textwrap.dedent(
    f"""
    import asyncio, sentry_sdk
    from tornado import web, httpclient
    from nbplatform.sentry import init_sentry

    class Broken(web.RequestHandler):
        def get(self):
            raise ValueError("unexpected state in handler")

    async def main():
        assert init_sentry("jobs-service")
        app = web.Application([("/broken", Broken)])
        server = app.listen(0, address="127.0.0.1")
        port = next(iter(server._sockets.values())).getsockname()[1]
        client = httpclient.AsyncHTTPClient()
        response = await client.fetch(f"http://127.0.0.1:{{port}}/broken", raise_error=False,
                                      headers={{"Authorization": "token {TOKEN}"}})
        print(response.code)
        sentry_sdk.flush(timeout=10)

    asyncio.run(main())
    """
)


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.close()


def event_bodies(receiver: Receiver) -> list[bytes]:
    bodies = []
    for _, headers, body in receiver.received:
        bodies.append(gzip.decompress(body) if headers.get("Content-Encoding") == "gzip" else body)
    return bodies


def test_dsn_prefers_platform_variable():
    assert sentry_dsn({"NBPLATFORM_SENTRY_DSN": "http://a@127.0.0.1:1/1", "SENTRY_DSN": "http://b@127.0.0.1:1/1"}).startswith("http://a@")
    assert sentry_dsn({"SENTRY_DSN": "http://b@127.0.0.1:1/2"}).endswith("/2")
    assert sentry_dsn({}) is None


def test_no_dsn_no_sentry():
    assert init_sentry("hub", {}) is False


def test_uncaught_handler_error_reported(receiver):
    env = dict(os.environ, NBPLATFORM_SENTRY_DSN=f"http://publickey@127.0.0.1:{receiver.port}/7",
               PYTHONPATH=os.pathsep.join([REPO_ROOT, os.environ.get("PYTHONPATH", "")]))
    env.pop("SENTRY_DSN", None)
    result = subprocess.run([sys.executable, "-c", CRASHING_APP], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "500"
    bodies = event_bodies(receiver)
    assert bodies, "no event reached the receiver"
    joined = b"\n".join(bodies)
    assert receiver.received[0][0].startswith("/api/7/")
    assert b"unexpected state in handler" in joined
    assert b"jobs-service" in joined
    assert TOKEN.encode() not in joined
