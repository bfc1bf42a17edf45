"""Validate Kubernetes objects offline: DaskCluster against the CRD shipped in dask-kubernetes,
built-in kinds with kubernetes-validate."""

from __future__ import annotations

import copy
from functools import lru_cache
from pathlib import Path
from typing import Any

import dask_kubernetes
import jsonschema
import kubernetes_validate
import yaml

#: Kubernetes version the built-in kinds are checked against (GKE regular channel, 2026).
KUBERNETES_VERSION = "1.33.0"

CRD_FILE = (
    Path(dask_kubernetes.__file__).parent
    / "operator/deployment/helm/dask-kubernetes-operator/crds/daskcluster.yaml"
)


@lru_cache(maxsize=1)
def daskcluster_schema() -> dict[str, Any]:
    """Return the DaskCluster v1 schema, made strict: fields the API server would prune become errors."""
    crd = yaml.safe_load(CRD_FILE.read_text(encoding="utf-8"))
    version = next(v for v in crd["spec"]["versions"] if v["name"] == "v1")
    return _forbid_unknown(copy.deepcopy(version["schema"]["openAPIV3Schema"]))


def _forbid_unknown(schema: Any) -> Any:
    if isinstance(schema, dict):
        if (
            "properties" in schema
            and "additionalProperties" not in schema
            and not schema.get("x-kubernetes-preserve-unknown-fields")
        ):
            schema["additionalProperties"] = False
        for value in schema.values():
            _forbid_unknown(value)
    elif isinstance(schema, list):
        for item in schema:
            _forbid_unknown(item)
    return schema


def validate_daskcluster(manifest: dict[str, Any]) -> None:
    """Raise if ``manifest`` is not a valid DaskCluster (spec by the CRD, metadata as ObjectMeta)."""
    assert manifest["apiVersion"] == "kubernetes.dask.org/v1"
    assert manifest["kind"] == "DaskCluster"
    body = {key: value for key, value in manifest.items() if key not in ("apiVersion", "kind", "metadata")}
    jsonschema.validate(body, daskcluster_schema())
    # ObjectMeta is not part of the CRD schema; a ConfigMap carries the same metadata type.
    validate_builtin({"apiVersion": "v1", "kind": "ConfigMap", "metadata": manifest["metadata"]})


def validate_builtin(manifest: dict[str, Any]) -> None:
    """Raise kubernetes_validate.ValidationError if ``manifest`` is invalid for KUBERNETES_VERSION."""
    kubernetes_validate.validate(manifest, KUBERNETES_VERSION, strict=True)
