"""Pod manifests that the real KubeSpawner builds from every profile, checked against the Kubernetes schema.

No cluster runs here: the kubeconfig points at a closed loopback port and
``get_pod_manifest()`` makes no API call. The manifests are validated with
kubernetes-validate (strict schema of Kubernetes 1.30).
"""

from __future__ import annotations

import itertools
import textwrap
from pathlib import Path
from types import SimpleNamespace

import pytest

kubespawner = pytest.importorskip("kubespawner")
kubernetes_validate = pytest.importorskip("kubernetes_validate")

from kubernetes_asyncio.client import ApiClient  # noqa: E402

from nbplatform.profiles.loader import load_directory  # noqa: E402
from nbplatform.profiles.podshape import pod_shape  # noqa: E402
from nbplatform.profiles.units import parse_cpu, parse_memory  # noqa: E402

REPO_PROFILES = Path(__file__).resolve().parents[2] / "profiles"
KUBERNETES_VERSION = "1.30"

KUBECONFIG = """
apiVersion: v1
kind: Config
clusters: [{name: nowhere, cluster: {server: "https://127.0.0.1:9"}}]
users: [{name: nowhere, user: {token: unused}}]
contexts: [{name: nowhere, context: {cluster: nowhere, user: nowhere, namespace: nbplatform}}]
current-context: nowhere
"""


@pytest.fixture(autouse=True)
def kubeconfig(tmp_path, monkeypatch):
    path = tmp_path / "kubeconfig"
    path.write_text(KUBECONFIG)
    monkeypatch.setenv("KUBECONFIG", str(path))
    # kubernetes_asyncio reads KUBECONFIG once, when it is imported.
    from kubernetes_asyncio.config import kube_config

    monkeypatch.setattr(kube_config, "KUBE_CONFIG_DEFAULT_LOCATION", str(path))
    monkeypatch.delenv("KUBERNETES_SERVICE_HOST", raising=False)


def make_spawner(profiles_dir: Path, *, admin: bool = True, groups: tuple[str, ...] = ()):
    from nbplatform.spawners.kube import ProfileKubeSpawner

    user = SimpleNamespace(
        name="alice",
        id=7,
        url="/user/alice/",
        admin=admin,
        groups=[SimpleNamespace(name=g) for g in groups],
        escaped_name="alice",
    )
    hub = SimpleNamespace(public_host="", url="http://hub:8081/hub/", base_url="/hub/", api_url="http://hub:8081/hub/api")
    return ProfileKubeSpawner(_mock=True, user=user, hub=hub, profiles_dir=str(profiles_dir), api_token="test-token")


async def manifest_for(spawner, user_options: dict) -> dict:
    spawner._apply_profile(user_options)
    await spawner.load_user_options()
    pod = await spawner.get_pod_manifest()
    async with ApiClient() as client:
        return client.sanitize_for_serialization(pod)


def option_combinations(profile) -> list[dict[str, str]]:
    names = list(profile.profile_options)
    choices = [list(profile.profile_options[name].choices) for name in names]
    return [dict(zip(names, combo)) for combo in itertools.product(*choices)] or [{}]


def cases():
    for profile in load_directory(REPO_PROFILES):
        for options in option_combinations(profile):
            yield pytest.param(profile, options, id="-".join([profile.slug, *options.values()]))


@pytest.mark.parametrize(("profile", "options"), list(cases()))
async def test_manifest_valid(profile, options):
    spawner = make_spawner(REPO_PROFILES)
    manifest = await manifest_for(spawner, {"profile": profile.slug, **options})
    assert kubernetes_validate.validate(manifest, KUBERNETES_VERSION, strict=True) == KUBERNETES_VERSION


@pytest.mark.parametrize(("profile", "options"), list(cases()))
async def test_manifest_matches_pod_shape(profile, options):
    spawner = make_spawner(REPO_PROFILES)
    manifest = await manifest_for(spawner, {"profile": profile.slug, **options})
    container = manifest["spec"]["containers"][0]
    shape = pod_shape(profile, options)
    resources = container["resources"]
    for kind in ("limits", "requests"):
        for name, value in shape.resources[kind].items():
            if kind == "requests" and name == "nvidia.com/gpu":
                # KubeSpawner sets only the limit; Kubernetes copies it into requests.
                assert resources["limits"][name] == value
                continue
            if name == "memory":
                assert parse_memory(resources[kind][name]) == parse_memory(value)
            elif name == "cpu":
                assert parse_cpu(resources[kind][name]) == parse_cpu(value)
            else:
                assert str(resources[kind][name]) == value
    assert manifest["spec"].get("nodeSelector", {}) == shape.node_selector
    assert manifest["spec"].get("tolerations", []) == shape.tolerations
    if shape.image:
        assert container["image"] == shape.image


async def test_gpu_lands_in_limits():
    spawner = make_spawner(REPO_PROFILES)
    manifest = await manifest_for(spawner, {"profile": "gpu-t4"})
    container = manifest["spec"]["containers"][0]
    assert container["resources"]["limits"]["nvidia.com/gpu"] == "1"
    assert container["resources"]["limits"]["memory"] == 24 * 1024**3
    assert container["resources"]["requests"]["cpu"] == 3.0
    assert manifest["spec"]["nodeSelector"] == {"cloud.google.com/gke-accelerator": "nvidia-tesla-t4"}
    assert manifest["spec"]["tolerations"][0]["key"] == "nvidia.com/gpu"
    env = {item["name"]: item.get("value") for item in container["env"]}
    assert env["NBPLATFORM_PROFILE"] == "gpu-t4"
    assert env["NBPLATFORM_GPU_LIMIT"] == "1"


async def test_profile_list_filters_groups():
    from nbplatform.spawners.kube import profile_list_for

    spawner = make_spawner(REPO_PROFILES, admin=False)
    assert [entry["slug"] for entry in profile_list_for(spawner)] == ["small", "large"]
    ml = make_spawner(REPO_PROFILES, admin=False, groups=("ml",))
    assert [entry["slug"] for entry in profile_list_for(ml)] == ["gpu-t4", "small", "large"]


async def test_hidden_profile_rejected():
    from tornado.web import HTTPError

    spawner = make_spawner(REPO_PROFILES, admin=False)
    with pytest.raises(HTTPError) as caught:
        spawner._apply_profile({"profile": "gpu-t4"})
    assert caught.value.status_code == 403
    assert "limited to the groups ml" in caught.value.log_message


async def test_switch_profile_leaves_nothing(tmp_path):
    (tmp_path / "p.yaml").write_text(
        textwrap.dedent(
            """
            - display_name: A
              slug: a
              kubespawner_override:
                image: example.org/a:1
                cpu_limit: 2
                mem_limit: 4G
                environment: {FROM_A: "yes"}
                node_selector: {pool: a}
                extra_labels: {profile-a: "true"}
            - display_name: B
              slug: b
              default: true
              kubespawner_override:
                mem_limit: 1G
            """
        )
    )
    spawner = make_spawner(tmp_path)
    configured_image = spawner.image
    first = await manifest_for(spawner, {"profile": "a"})
    assert first["spec"]["containers"][0]["image"] == "example.org/a:1"
    second = await manifest_for(spawner, {"profile": "b"})
    container = second["spec"]["containers"][0]
    env = {item["name"]: item.get("value") for item in container["env"]}
    assert container["image"] == configured_image
    assert "FROM_A" not in env
    assert "cpu" not in container["resources"].get("limits", {})
    assert container["resources"]["limits"]["memory"] == 1024**3
    assert "nodeSelector" not in second["spec"] or second["spec"]["nodeSelector"] in (None, {})
    assert "profile-a" not in second["metadata"]["labels"]


async def test_start_stop_logged(monkeypatch, caplog):
    # No cluster runs here, so KubeSpawner's pod calls are replaced and only the lines around them run.
    async def fake_start(self):
        return "http://10.0.0.7:8888"

    async def fake_stop(self, now=False):
        return None

    monkeypatch.setattr(kubespawner.KubeSpawner, "_start", fake_start)
    monkeypatch.setattr(kubespawner.KubeSpawner, "stop", fake_stop)
    spawner = make_spawner(REPO_PROFILES)
    spawner._apply_profile({"profile": "large"})
    caplog.set_level("INFO")
    assert await spawner.start() == "http://10.0.0.7:8888"
    await spawner.stop()
    messages = [r.getMessage() for r in caplog.records]
    started = [m for m in messages if m.startswith("Server alice started")]
    stopped = [m for m in messages if m.startswith("Server alice with profile large stopped")]
    assert started == ["Server alice started with profile large: pod jupyter-alice in namespace default"]
    assert stopped == ["Server alice with profile large stopped: pod jupyter-alice in namespace default"]
    assert "test-token" not in caplog.text
