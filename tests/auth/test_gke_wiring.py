"""Static checks of the IAP BackendConfig and the IAP Terraform module (no cluster, no cloud)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
BACKEND_CONFIG = ROOT / "hub" / "kustomize" / "base" / "iap-backendconfig.yaml"
IAP_MODULE = ROOT / "terraform" / "modules" / "iap"


def backend_config() -> dict:
    return yaml.safe_load(BACKEND_CONFIG.read_text())


def test_backendconfig_kind():
    document = backend_config()
    assert document["apiVersion"] == "cloud.google.com/v1"
    assert document["kind"] == "BackendConfig"


def test_backendconfig_iap_enabled():
    iap = backend_config()["spec"]["iap"]
    assert iap["enabled"] is True
    assert iap["oauthclientCredentials"]["secretName"]


def test_backendconfig_websocket_timeout():
    assert backend_config()["spec"]["timeoutSec"] >= 3600


def test_backendconfig_health_path():
    assert backend_config()["spec"]["healthCheck"]["requestPath"] == "/hub/health"


def test_terraform_module_files():
    names = {p.name for p in IAP_MODULE.glob("*.tf")}
    assert {"main.tf", "variables.tf", "outputs.tf", "versions.tf"} <= names


def test_terraform_variables_described():
    text = (IAP_MODULE / "variables.tf").read_text()
    blocks = len(re.findall(r'^variable "', text, re.M))
    assert blocks == len(re.findall(r"^  description\s+=", text, re.M))
    assert blocks == len(re.findall(r"^  type\s+=", text, re.M))


@pytest.mark.skipif(subprocess.run(["which", "terraform"], capture_output=True).returncode != 0, reason="terraform is not installed")
def test_terraform_fmt():
    result = subprocess.run(["terraform", "fmt", "-check", "-diff", str(IAP_MODULE)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout
