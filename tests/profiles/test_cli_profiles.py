"""The ``nbplatform profiles`` command, run through the real entry point."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

from nbplatform.cli.main import main

REPO_PROFILES = Path(__file__).resolve().parents[2] / "profiles"


def test_validate_ok(capsys):
    assert main(["profiles", "validate", str(REPO_PROFILES)]) == 0
    assert "3 profile(s) in 2 file(s)" in capsys.readouterr().out


def test_validate_reports_and_fails(tmp_path, capsys):
    (tmp_path / "bad.yaml").write_text("- display_name: S\n  slug: s\n  kubespawner_override: {mem_limit: 16GB}\n")
    assert main(["profiles", "validate", str(tmp_path)]) == 1
    captured = capsys.readouterr()
    assert f"{tmp_path}/bad.yaml:3: s: kubespawner_override.mem_limit: invalid memory size '16GB'." in captured.out
    assert "1 problem(s)" in captured.err


def test_validate_missing_directory(tmp_path, capsys):
    assert main(["profiles", "validate", str(tmp_path / "nope")]) == 1
    assert "does not exist" in capsys.readouterr().err


def test_validate_uses_env_directory(tmp_path, monkeypatch, capsys):
    (tmp_path / "a.yaml").write_text("- {display_name: Only, slug: only}\n")
    monkeypatch.setenv("NBPLATFORM_PROFILES_DIR", str(tmp_path))
    assert main(["profiles", "validate"]) == 0
    assert str(tmp_path) in capsys.readouterr().out


def test_list_table(capsys):
    assert main(["profiles", "list", str(REPO_PROFILES)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:3] == ["SLUG", "DEFAULT", "ENABLED"]
    gpu = next(line for line in lines if line.startswith("gpu-t4"))
    assert "24G" in gpu.split()
    assert "ml" in gpu.split()


def test_list_invalid_fails(tmp_path, capsys):
    (tmp_path / "a.yaml").write_text("- {display_name: S, slug: s, groups: [1]}\n")
    assert main(["profiles", "list", str(tmp_path)]) == 1
    assert "groups[0]" in capsys.readouterr().err


def test_render_z2jh(capsys):
    assert main(["profiles", "render", "--format", "z2jh", str(REPO_PROFILES)]) == 0
    out = capsys.readouterr().out
    values = yaml.safe_load(out)
    slugs = [entry["slug"] for entry in values["singleuser"]["profileList"]]
    assert slugs == ["small", "large"]
    assert "groups" not in values["singleuser"]["profileList"][0]
    assert out.startswith("# Left out (disabled, or limited to groups")


def test_render_kubespawner_is_python(capsys):
    assert main(["profiles", "render", "--format", "kubespawner", str(REPO_PROFILES)]) == 0
    out = capsys.readouterr().out
    namespace: dict = {"c": type("C", (), {"KubeSpawner": type("K", (), {})})()}
    exec(compile(out, "render", "exec"), namespace)  # noqa: S102 - our own output
    profile_list = namespace["c"].KubeSpawner.profile_list
    assert profile_list[0]["kubespawner_override"]["mem_limit"] == "2G"


def test_command_exit_code():
    result = subprocess.run(
        [sys.executable, "-m", "nbplatform.cli.main", "profiles", "validate", str(REPO_PROFILES)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
