"""Each validation rule for profile files, with the exact message and line it reports."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from nbplatform.profiles.loader import load_directory, read_directory
from nbplatform.profiles.validation import ProfileValidationError


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def issues_of(directory: Path) -> list[str]:
    return [str(issue) for issue in read_directory(directory).issues]


def test_valid_directory_loads(tmp_path):
    write(
        tmp_path,
        "a.yaml",
        """
        - display_name: Small
          slug: small
          default: true
          kubespawner_override: {cpu_limit: 1, cpu_guarantee: 0.5, mem_limit: 2G, mem_guarantee: 1G}
        """,
    )
    profiles = load_directory(tmp_path)
    assert [p.slug for p in profiles] == ["small"]
    assert profiles[0].source_line == 1


def test_unknown_profile_key(tmp_path):
    write(
        tmp_path,
        "a.yaml",
        """
        - display_name: Small
          slug: small
          max_server: 3
        """,
    )
    assert issues_of(tmp_path) == [
        f"{tmp_path}/a.yaml:3: small: max_server: unknown profile key 'max_server'. Did you mean 'max_servers'?"
    ]


def test_unknown_override_key(tmp_path):
    write(
        tmp_path,
        "a.yaml",
        """
        - display_name: Small
          slug: small
          kubespawner_override:
            mem_limt: 2G
        """,
    )
    assert issues_of(tmp_path) == [
        f"{tmp_path}/a.yaml:4: small: kubespawner_override.mem_limt: unknown KubeSpawner setting key 'mem_limt'. "
        "Did you mean 'mem_limit'?"
    ]


def test_unknown_key_without_match(tmp_path):
    write(tmp_path, "a.yaml", "- {display_name: S, slug: s, zzzzzz: 1}\n")
    (message,) = issues_of(tmp_path)
    assert "unknown profile key 'zzzzzz'. Known keys: display_name, slug," in message


@pytest.mark.parametrize("value", ["16GB", "16Gi", "16 G", "sixteen"])
def test_memory_unit_rejected(tmp_path, value):
    write(
        tmp_path,
        "a.yaml",
        f"""
        - display_name: Small
          slug: small
          kubespawner_override:
            mem_limit: "{value}"
        """,
    )
    (message,) = issues_of(tmp_path)
    assert message.startswith(f"{tmp_path}/a.yaml:4: small: kubespawner_override.mem_limit: invalid memory size '{value}'.")


def test_memory_fix_suggests_value(tmp_path):
    write(tmp_path, "a.yaml", "- {display_name: S, slug: s, kubespawner_override: {mem_guarantee: 16GB}}\n")
    assert issues_of(tmp_path) == [
        f"{tmp_path}/a.yaml:1: s: kubespawner_override.mem_guarantee: invalid memory size '16GB'. "
        "Write '16G': KubeSpawner takes a byte count or a number with one of K, M, G, T (powers of 1024)."
    ]


def test_dask_memory_rejected(tmp_path):
    write(tmp_path, "a.yaml", "- {display_name: S, slug: s, dask: {worker_memory: 8GB}}\n")
    (message,) = issues_of(tmp_path)
    assert message.startswith(f"{tmp_path}/a.yaml:1: s: dask.worker_memory: invalid memory size '8GB'. Write '8G'")


def test_cpu_millicores_rejected(tmp_path):
    write(tmp_path, "a.yaml", "- {display_name: S, slug: s, kubespawner_override: {cpu_limit: 500m}}\n")
    assert issues_of(tmp_path) == [
        f"{tmp_path}/a.yaml:1: s: kubespawner_override.cpu_limit: invalid CPU count '500m'. "
        "Write a number of cores such as 2 or 0.5 (KubeSpawner does not take '500m')."
    ]


def test_memory_guarantee_above_limit(tmp_path):
    write(
        tmp_path,
        "a.yaml",
        """
        - display_name: Small
          slug: small
          kubespawner_override:
            mem_limit: 2G
            mem_guarantee: 4G
        """,
    )
    assert issues_of(tmp_path) == [
        f"{tmp_path}/a.yaml:5: small: kubespawner_override.mem_guarantee: guarantee '4G' is above the limit "
        "mem_limit '2G'. Lower mem_guarantee or raise mem_limit."
    ]


def test_cpu_guarantee_above_limit(tmp_path):
    write(
        tmp_path,
        "a.yaml",
        """
        - display_name: Small
          slug: small
          kubespawner_override:
            cpu_guarantee: 2
            cpu_limit: 1
        """,
    )
    assert issues_of(tmp_path) == [
        f"{tmp_path}/a.yaml:4: small: kubespawner_override.cpu_guarantee: guarantee 2 is above the limit "
        "cpu_limit 1. Lower cpu_guarantee or raise cpu_limit."
    ]


def test_guarantee_above_limit_in_choice(tmp_path):
    write(
        tmp_path,
        "a.yaml",
        """
        - display_name: Small
          slug: small
          kubespawner_override: {mem_limit: 4G, mem_guarantee: 2G}
          profile_options:
            size:
              display_name: Size
              choices:
                normal: {display_name: Normal}
                tiny:
                  display_name: Tiny
                  kubespawner_override: {mem_limit: 1G}
        """,
    )
    assert issues_of(tmp_path) == [
        f"{tmp_path}/a.yaml:9: small: profile_options.size.choices.tiny: with this choice, mem_guarantee: "
        "guarantee '2G' is above the limit mem_limit '1G'. Lower mem_guarantee or raise mem_limit."
    ]


def test_duplicate_slug_across_files(tmp_path):
    write(tmp_path, "a.yaml", "- {display_name: Small, slug: small}\n")
    write(tmp_path, "b.yaml", "# copied\n- {display_name: Other small, slug: small}\n")
    assert issues_of(tmp_path) == [
        f"{tmp_path}/b.yaml:2: small: slug: slug 'small' is already used by the profile at {tmp_path}/a.yaml:1. "
        "Give each profile a unique slug."
    ]


def test_duplicate_generated_slug(tmp_path):
    write(tmp_path, "a.yaml", "- {display_name: Small CPU}\n- {display_name: small cpu}\n")
    (message,) = issues_of(tmp_path)
    assert message.startswith(f"{tmp_path}/a.yaml:2: small-cpu: slug: slug 'small-cpu' is already used")


def test_more_than_one_default(tmp_path):
    write(tmp_path, "a.yaml", "- {display_name: A, slug: a, default: true}\n")
    write(tmp_path, "b.yaml", "- {display_name: B, slug: b, default: true}\n")
    assert issues_of(tmp_path) == [
        f"{tmp_path}/b.yaml:1: b: default: more than one profile is the default: 'a' at {tmp_path}/a.yaml:1 is too. "
        "Keep default: true on exactly one profile."
    ]


def test_gpu_without_node_selector(tmp_path):
    write(
        tmp_path,
        "a.yaml",
        """
        - display_name: GPU
          slug: gpu
          kubespawner_override:
            extra_resource_limits: {nvidia.com/gpu: "1"}
            tolerations: [{key: nvidia.com/gpu, operator: Exists, effect: NoSchedule}]
        """,
    )
    assert issues_of(tmp_path) == [
        f"{tmp_path}/a.yaml:4: gpu: kubespawner_override.extra_resource_limits: requests 1 nvidia.com/gpu but "
        "node_selector has no GPU node label (cloud.google.com/gke-accelerator, nvidia.com/gpu.present, "
        "nvidia.com/gpu.product). On GKE add node_selector: {cloud.google.com/gke-accelerator: nvidia-tesla-t4} "
        "(your GPU type)."
    ]


def test_gpu_without_toleration(tmp_path):
    write(
        tmp_path,
        "a.yaml",
        """
        - display_name: GPU
          slug: gpu
          kubespawner_override:
            extra_resource_limits: {nvidia.com/gpu: "2"}
            node_selector: {cloud.google.com/gke-accelerator: nvidia-l4}
        """,
    )
    assert issues_of(tmp_path) == [
        f"{tmp_path}/a.yaml:4: gpu: kubespawner_override.extra_resource_limits: requests 2 nvidia.com/gpu but no "
        "toleration has key 'nvidia.com/gpu', so the pod cannot run on tainted GPU nodes. Add tolerations: "
        "[{key: nvidia.com/gpu, operator: Exists, effect: NoSchedule}]."
    ]


def test_gpu_from_choice_needs_scheduling(tmp_path):
    write(
        tmp_path,
        "a.yaml",
        """
        - display_name: Flexible
          slug: flex
          profile_options:
            accel:
              display_name: Accelerator
              choices:
                none: {display_name: None}
                t4:
                  display_name: T4
                  kubespawner_override:
                    extra_resource_limits: {nvidia.com/gpu: "1"}
                    node_selector: {cloud.google.com/gke-accelerator: nvidia-tesla-t4}
        """,
    )
    (message,) = issues_of(tmp_path)
    assert message.startswith(f"{tmp_path}/a.yaml:8: flex: profile_options.accel.choices.t4: with this choice, ")
    assert "no toleration has key 'nvidia.com/gpu'" in message


def test_gpu_count_invalid(tmp_path):
    write(tmp_path, "a.yaml", "- {display_name: G, slug: g, kubespawner_override: {extra_resource_limits: {nvidia.com/gpu: half}}}\n")
    assert issues_of(tmp_path) == [
        f"{tmp_path}/a.yaml:1: g: kubespawner_override.extra_resource_limits.nvidia.com/gpu: invalid GPU count "
        "'half'. Write a whole number of GPUs in quotes, for example \"1\"."
    ]


def test_group_not_string(tmp_path):
    write(
        tmp_path,
        "a.yaml",
        """
        - display_name: ML
          slug: ml
          groups:
            - ml
            - 42
        """,
    )
    assert issues_of(tmp_path) == [
        f"{tmp_path}/a.yaml:5: ml: groups[1]: group 42 is not a text. Write the JupyterHub group name in quotes, "
        'for example "42".'
    ]


def test_groups_not_list(tmp_path):
    write(tmp_path, "a.yaml", "- {display_name: ML, slug: ml, groups: ml}\n")
    (message,) = issues_of(tmp_path)
    assert message.endswith("groups: expected a list of group names, got a text 'ml'. Write groups: [ml, analysts].")


def test_invalid_validation_regex(tmp_path):
    write(
        tmp_path,
        "a.yaml",
        """
        - display_name: Custom
          slug: custom
          profile_options:
            image:
              display_name: Image
              choices:
                base: {display_name: Base}
              unlisted_choice:
                enabled: true
                validation_regex: "^(jupyter/"
        """,
    )
    assert issues_of(tmp_path) == [
        f"{tmp_path}/a.yaml:10: custom: profile_options.image.unlisted_choice.validation_regex: invalid regular "
        "expression '^(jupyter/': missing ), unterminated subpattern at position 1. Fix the pattern, for example "
        "'^jupyter/.+:.+$'."
    ]


def test_option_without_choices(tmp_path):
    write(
        tmp_path,
        "a.yaml",
        """
        - display_name: Custom
          slug: custom
          profile_options:
            image:
              display_name: Image
              unlisted_choice: {enabled: true, kubespawner_override: {image: "{value}"}}
        """,
    )
    assert issues_of(tmp_path) == [
        f"{tmp_path}/a.yaml:4: custom: profile_options.image.choices: the option has no choices. Add at least one "
        "entry under choices, or remove the option."
    ]


def test_empty_choices(tmp_path):
    write(tmp_path, "a.yaml", "- {display_name: C, slug: c, profile_options: {image: {display_name: I, choices: {}}}}\n")
    (message,) = issues_of(tmp_path)
    assert "profile_options.image.choices: the option has no choices." in message


def test_unlisted_template_value_allowed(tmp_path):
    write(
        tmp_path,
        "a.yaml",
        """
        - display_name: Custom
          slug: custom
          profile_options:
            mem:
              display_name: Memory
              choices: {two: {display_name: 2G, kubespawner_override: {mem_limit: 2G}}}
              unlisted_choice: {enabled: true, kubespawner_override: {mem_limit: "{value}"}}
        """,
    )
    assert issues_of(tmp_path) == []


def test_missing_display_name(tmp_path):
    write(tmp_path, "a.yaml", "- slug: s\n")
    assert issues_of(tmp_path) == [
        f"{tmp_path}/a.yaml:1: s: display_name: is missing. Add the name users see, for example "
        'display_name: "Small (1 CPU)".'
    ]


def test_invalid_slug(tmp_path):
    write(tmp_path, "a.yaml", "- {display_name: S, slug: 'a--b'}\n")
    (message,) = issues_of(tmp_path)
    assert "slug: invalid slug 'a--b'." in message


def test_bad_types(tmp_path):
    write(
        tmp_path,
        "a.yaml",
        """
        - display_name: S
          slug: s
          max_servers: 0
          idle_timeout: soon
          cost_per_hour: -1
          enabled: "no"
        """,
    )
    assert issues_of(tmp_path) == [
        f"{tmp_path}/a.yaml:3: s: max_servers: 0 is too small. Use 1 or more (servers).",
        f"{tmp_path}/a.yaml:4: s: idle_timeout: expected a whole number (seconds), got a text 'soon'.",
        f"{tmp_path}/a.yaml:5: s: cost_per_hour: -1 is negative. Use 0 or more (per hour).",
        f"{tmp_path}/a.yaml:6: s: enabled: expected true or false, got a text 'no'.",
    ]


def test_environment_value_not_text(tmp_path):
    write(tmp_path, "a.yaml", "- {display_name: S, slug: s, kubespawner_override: {environment: {DEBUG: 1}}}\n")
    (message,) = issues_of(tmp_path)
    assert message.endswith("kubespawner_override.environment.DEBUG: expected a text value, got a number 1. Put the value in quotes.")


def test_duplicate_yaml_key(tmp_path):
    write(tmp_path, "a.yaml", "- display_name: S\n  slug: s\n  slug: t\n")
    (message,) = issues_of(tmp_path)
    assert message == f"{tmp_path}/a.yaml:3: 0.slug: key is written twice in one mapping; YAML keeps only the last. Remove one."


def test_invalid_yaml_names_line(tmp_path):
    write(tmp_path, "a.yaml", "- display_name: S\n  slug: [s\n")
    (message,) = issues_of(tmp_path)
    assert message.startswith(f"{tmp_path}/a.yaml:3: invalid YAML:")


def test_not_a_list(tmp_path):
    write(tmp_path, "a.yaml", "display_name: S\n")
    (message,) = issues_of(tmp_path)
    assert "expected a list of profiles" in message


def test_z2jh_values_block(tmp_path):
    write(
        tmp_path,
        "a.yaml",
        """
        singleuser:
          profileList:
            - display_name: "Datascience environment"
              description: "If you want the additional bells and whistles: Python, R, and Julia."
              kubespawner_override:
                image: quay.io/jupyter/datascience-notebook:2024-10-07
        """,
    )
    profiles = load_directory(tmp_path)
    assert profiles[0].slug == "datascience-environment"
    assert profiles[0].source_line == 3


def test_all_issues_reported(tmp_path):
    write(tmp_path, "a.yaml", "- {display_name: A, slug: a, max_server: 1, kubespawner_override: {mem_limit: 2GB}}\n")
    write(tmp_path, "b.yaml", "- {display_name: B, slug: b, groups: [1]}\n")
    assert len(issues_of(tmp_path)) == 3


def test_error_lists_every_issue(tmp_path):
    write(tmp_path, "a.yaml", "- {display_name: A, slug: a, max_server: 1}\n- {display_name: B, slug: b, groups: [1]}\n")
    with pytest.raises(ProfileValidationError) as caught:
        load_directory(tmp_path)
    assert len(caught.value.issues) == 2
    assert "max_server" in caught.value.message
    assert "groups[0]" in caught.value.message


def test_empty_directory(tmp_path):
    (message,) = issues_of(tmp_path)
    assert message.endswith("no profiles found. Add a .yaml file with at least one profile.")


def test_repository_profiles_valid():
    root = Path(__file__).resolve().parents[2] / "profiles"
    assert issues_of(root) == []
