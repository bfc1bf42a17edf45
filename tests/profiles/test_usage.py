"""Usage per profile for the admin page: counts, reserved resources, cost, removed profiles."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from nbplatform.profiles import Profile
from nbplatform.profiles.usage import summarize_usage
from nbplatform.spawners.usage import ActiveServer, count_by_profile

SMALL = Profile(display_name="Small", slug="small", default=True, cost_per_hour=0.05, kubespawner_override={"cpu_limit": 1, "mem_limit": "2G"})
GPU = Profile(
    display_name="GPU",
    slug="gpu",
    max_servers=2,
    cost_per_hour=1.0,
    kubespawner_override={"cpu_guarantee": 3, "cpu_limit": 4, "mem_guarantee": "20G", "mem_limit": "24G", "extra_resource_limits": {"nvidia.com/gpu": "1"}},
    profile_options={
        "size": {
            "display_name": "Size",
            "choices": {"one": {"display_name": "1"}, "two": {"display_name": "2", "kubespawner_override": {"extra_resource_limits": {"nvidia.com/gpu": "2"}}}},
        }
    },
)


@dataclass
class Server:
    user: str
    profile_slug: str | None
    server_name: str = ""
    user_options: dict = field(default_factory=dict)


def test_usage_sums_per_profile():
    servers = [
        Server("alice", "gpu", user_options={"profile": "gpu", "size": "two"}),
        Server("bob", "gpu", "train", {"profile": "gpu"}),
        Server("carol", None),
    ]
    rows, orphans = summarize_usage([SMALL, GPU], servers, "small")
    small, gpu = rows
    assert orphans == []
    assert small.servers == 1
    assert small.users == ["carol"]
    assert small.cpu == 1
    assert small.memory == 2 * 1024**3
    assert gpu.servers == 2
    assert gpu.users == ["alice", "bob/train"]
    assert gpu.cpu == 6
    assert gpu.memory == 40 * 1024**3
    assert gpu.gpus == 3
    assert gpu.cost_per_hour == pytest.approx(2.0)
    assert gpu.free == 0


def test_usage_removed_profile():
    rows, orphans = summarize_usage([SMALL], [Server("dave", "old")], "small")
    assert rows[0].servers == 0
    assert [o.user for o in orphans] == ["dave"]


def test_usage_stale_choice_uses_defaults():
    rows, _ = summarize_usage([GPU], [Server("erin", "gpu", user_options={"size": "huge"})], None)
    assert rows[0].gpus == 1


def test_count_excludes_own_server():
    servers = [
        ActiveServer("alice", "", "gpu", 1, None, {}),
        ActiveServer("bob", "", None, 2, None, {}),
        ActiveServer("carol", "", "gpu", 3, None, {}),
    ]
    assert count_by_profile(servers, "small", exclude_id=3) == {"gpu": 1, "small": 1}
