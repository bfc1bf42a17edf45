"""Check raw profile entries and report each problem with its file, line, field and fix.

The checks run on the data PyYAML parsed, before any model is built, so one
pass reports every problem in a file instead of stopping at the first. Each
:class:`Issue` renders as ``FILE:LINE: SLUG: FIELD: message``, the same text
in ``nbplatform profiles validate`` and in the hub log.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping

from ..errors import ProfileError
from ..i18n import DEFAULT_LOCALE, Message, render
from .kubespawner_keys import KUBESPAWNER_OVERRIDE_KEYS
from .overrides import merge_override
from .units import parse_cpu, parse_kubespawner_memory, parse_memory
from .yamllines import LineMap

PROFILE_KEYS = (
    "display_name",
    "slug",
    "description",
    "default",
    "kubespawner_override",
    "profile_options",
    "groups",
    "max_servers",
    "idle_timeout",
    "dask",
    "bigquery",
    "cost_per_hour",
    "enabled",
)
OPTION_KEYS = ("display_name", "choices", "unlisted_choice")
CHOICE_KEYS = ("display_name", "default", "kubespawner_override")
UNLISTED_KEYS = (
    "enabled",
    "display_name",
    "display_name_in_choices",
    "validation_regex",
    "validation_message",
    "kubespawner_override",
)
DASK_KEYS = ("worker_cores", "worker_memory", "max_workers")
BIGQUERY_KEYS = ("maximum_bytes_billed",)

GPU_RESOURCE = "nvidia.com/gpu"
#: Node labels that select GPU nodes: GKE's accelerator label, and the labels
#: of NVIDIA's GPU feature discovery used outside GKE.
GPU_NODE_LABELS = ("cloud.google.com/gke-accelerator", "nvidia.com/gpu.present", "nvidia.com/gpu.product")
#: Slugs and option keys become HTML form field names and pod labels.
SLUG_RE = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?$")
_NEAR_MEMORY_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([KMGTkmgt])(?:i|B|iB|b)?\s*$")

Path_ = tuple[Any, ...]


@dataclass(frozen=True)
class Issue:
    """One problem found in a profile file.

    ``message`` is a catalog message (see :mod:`.messages`) or, for words
    taken from pydantic, plain English text. ``str()`` gives the English line.
    """

    file: Path
    line: int
    slug: str
    field: str
    message: str | Message

    def render(self, locale: str = DEFAULT_LOCALE) -> str:
        """Return ``FILE:LINE: SLUG: FIELD: message`` with the message in ``locale``."""
        where = f"{self.file}:{self.line}"
        subject = ": ".join(part for part in (self.slug, self.field) if part)
        text = render(self.message, locale)
        return f"{where}: {subject}: {text}" if subject else f"{where}: {text}"

    def __str__(self) -> str:
        return self.render(DEFAULT_LOCALE)


class ProfileValidationError(ProfileError):
    """One or more profile files are invalid; ``issues`` lists every problem."""

    reason = "invalid-profile-file"

    def __init__(self, issues: Iterable[Issue]) -> None:
        self.issues = list(issues)
        super().__init__("\n".join(str(issue) for issue in self.issues))

    def render(self, locale: str = DEFAULT_LOCALE) -> str:
        return "\n".join(issue.render(locale) for issue in self.issues)


def slugify(display_name: str) -> str:
    """Return a slug made from a display name, as KubeSpawner does for entries without one."""
    slug = re.sub(r"[^a-z0-9]+", "-", display_name.lower()).strip("-")
    return slug[:63].strip("-") or "profile"


def field_name(path: Path_) -> str:
    """Render a path inside one profile as ``a.b[0].c``."""
    text = ""
    for part in path:
        if isinstance(part, int) and not isinstance(part, bool):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


class EntryChecker:
    """Collect the issues of one profile entry (a mapping read from a profile file)."""

    def __init__(self, file: Path, lines: LineMap, base: Path_, slug: str) -> None:
        self.file = file
        self.lines = lines
        self.base = base
        self.slug = slug
        self.issues: list[Issue] = []

    def add(self, path: Path_, message: str) -> None:
        line = self.lines.line_of((*self.base, *path))
        self.issues.append(Issue(self.file, line, self.slug, field_name(path), message))

    # Types ------------------------------------------------------------------

    def mapping(self, value: Any, path: Path_) -> bool:
        if isinstance(value, Mapping):
            return True
        self.add(path, f"expected a mapping of keys to values, got {_describe(value)}.")
        return False

    def string(self, value: Any, path: Path_, *, required: bool = False) -> bool:
        if isinstance(value, str) and (value.strip() or not required):
            return True
        if isinstance(value, str):
            self.add(path, "is empty. Give it a non-empty text.")
        else:
            self.add(path, f"expected a text, got {_describe(value)}. Put the value in quotes.")
        return False

    def boolean(self, value: Any, path: Path_) -> None:
        if not isinstance(value, bool):
            self.add(path, f"expected true or false, got {_describe(value)}.")

    def integer(self, value: Any, path: Path_, *, minimum: int, unit: str = "") -> None:
        if isinstance(value, bool) or not isinstance(value, int):
            self.add(path, f"expected a whole number{unit}, got {_describe(value)}.")
        elif value < minimum:
            self.add(path, f"{value!r} is too small. Use {minimum} or more{unit}.")

    def number(self, value: Any, path: Path_, *, positive: bool, unit: str = "") -> None:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
            self.add(path, f"expected a number{unit}, got {_describe(value)}.")
        elif positive and value <= 0:
            self.add(path, f"{value!r} must be greater than 0{unit}.")
        elif value < 0:
            self.add(path, f"{value!r} is negative. Use 0 or more{unit}.")

    def keys(self, value: Mapping[Any, Any], path: Path_, known: Iterable[str], what: str) -> None:
        known = tuple(known)
        for key in value:
            if isinstance(key, str) and key in known:
                continue
            self.add((*path, key), _unknown_key_message(key, known, what))

    def slug_text(self, value: Any, path: Path_, what: str) -> None:
        if not isinstance(value, str) or not SLUG_RE.match(value) or "--" in value:
            self.add(
                path,
                f"invalid {what} {value!r}. Use 1 to 63 letters, digits, '-', '_' or '.', "
                "starting and ending with a letter or digit, without '--'.",
            )

    # Sections ---------------------------------------------------------------

    def check_entry(self, entry: Mapping[Any, Any]) -> None:
        self.keys(entry, (), PROFILE_KEYS, "profile")
        if "display_name" not in entry:
            self.add(("display_name",), "is missing. Add the name users see, for example display_name: \"Small (1 CPU)\".")
        else:
            self.string(entry["display_name"], ("display_name",), required=True)
        if "slug" in entry:
            self.slug_text(entry["slug"], ("slug",), "slug")
        if "description" in entry:
            self.string(entry["description"], ("description",))
        for key in ("default", "enabled"):
            if key in entry:
                self.boolean(entry[key], (key,))
        if "groups" in entry:
            self.check_groups(entry["groups"])
        if entry.get("max_servers") is not None:
            self.integer(entry["max_servers"], ("max_servers",), minimum=1, unit=" (servers)")
        if entry.get("idle_timeout") is not None:
            self.integer(entry["idle_timeout"], ("idle_timeout",), minimum=1, unit=" (seconds)")
        if entry.get("cost_per_hour") is not None:
            self.number(entry["cost_per_hour"], ("cost_per_hour",), positive=False, unit=" (per hour)")
        if entry.get("dask") is not None:
            self.check_dask(entry["dask"])
        if entry.get("bigquery") is not None:
            self.check_bigquery(entry["bigquery"])
        override = entry.get("kubespawner_override")
        if override is not None:
            self.check_override(override, ("kubespawner_override",))
        options = entry.get("profile_options")
        if options is not None:
            self.check_options(options)
        if (override is None or isinstance(override, Mapping)) and _options_shape_ok(options):
            self.check_combinations(override or {}, options or {})

    def check_groups(self, groups: Any) -> None:
        if not isinstance(groups, list):
            self.add(("groups",), f"expected a list of group names, got {_describe(groups)}. Write groups: [ml, analysts].")
            return
        for index, group in enumerate(groups):
            if not isinstance(group, str) or not group:
                self.add(
                    ("groups", index),
                    f"group {group!r} is not a text. Write the JupyterHub group name in quotes, for example \"{group}\".",
                )

    def check_dask(self, dask: Any) -> None:
        if not self.mapping(dask, ("dask",)):
            return
        self.keys(dask, ("dask",), DASK_KEYS, "dask setting")
        if "worker_cores" in dask:
            self.number(dask["worker_cores"], ("dask", "worker_cores"), positive=True, unit=" (CPU cores)")
        if "worker_memory" in dask:
            try:
                parse_memory(dask["worker_memory"])
            except ValueError:
                self.add(("dask", "worker_memory"), f"invalid memory size {dask['worker_memory']!r}. {_memory_fix(dask['worker_memory'])}")
        if "max_workers" in dask:
            self.integer(dask["max_workers"], ("dask", "max_workers"), minimum=0, unit=" (workers)")

    def check_bigquery(self, bigquery: Any) -> None:
        if not self.mapping(bigquery, ("bigquery",)):
            return
        self.keys(bigquery, ("bigquery",), BIGQUERY_KEYS, "bigquery setting")
        if bigquery.get("maximum_bytes_billed") is not None:
            self.integer(bigquery["maximum_bytes_billed"], ("bigquery", "maximum_bytes_billed"), minimum=1, unit=" (bytes)")

    def check_override(self, override: Any, path: Path_, *, template: bool = False) -> bool:
        """Check one ``kubespawner_override`` on its own; return False if it is unusable.

        With ``template`` (an unlisted choice), values containing ``{value}``
        are left unchecked because they are only known once a user types one.
        """
        if not self.mapping(override, path):
            return False
        ok = True
        self.keys(override, path, KUBESPAWNER_OVERRIDE_KEYS, "KubeSpawner setting")
        if template:
            override = {key: value for key, value in override.items() if not _mentions_value(value)}
        for key in ("mem_limit", "mem_guarantee"):
            if override.get(key) is not None:
                try:
                    parse_kubespawner_memory(override[key])
                except ValueError:
                    self.add((*path, key), f"invalid memory size {override[key]!r}. {_memory_fix(override[key])}")
                    ok = False
        for key in ("cpu_limit", "cpu_guarantee"):
            value = override.get(key)
            if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0):
                self.add(
                    (*path, key),
                    f"invalid CPU count {value!r}. Write a number of cores such as 2 or 0.5 (KubeSpawner does not take '500m').",
                )
                ok = False
        for key in ("extra_resource_limits", "extra_resource_guarantees"):
            if override.get(key) is not None:
                ok = self.check_extra_resources(override[key], (*path, key)) and ok
        for key in ("node_selector", "environment"):
            if override.get(key) is not None:
                ok = self.check_string_map(override[key], (*path, key)) and ok
        if override.get("tolerations") is not None:
            ok = self.check_tolerations(override["tolerations"], (*path, "tolerations")) and ok
        if override.get("image") is not None:
            ok = self.string(override["image"], (*path, "image"), required=True) and ok
        return ok

    def check_extra_resources(self, resources: Any, path: Path_) -> bool:
        if not self.mapping(resources, path):
            return False
        ok = True
        for name, value in resources.items():
            if value is None:
                continue
            if name == GPU_RESOURCE:
                if _gpu_count(value) is None:
                    self.add((*path, name), f"invalid GPU count {value!r}. Write a whole number of GPUs in quotes, for example \"1\".")
                    ok = False
            elif not isinstance(value, (str, int, float)) or isinstance(value, bool):
                self.add((*path, name), f"invalid quantity {value!r}. Write a Kubernetes quantity in quotes, for example \"1\".")
                ok = False
        return ok

    def check_string_map(self, value: Any, path: Path_) -> bool:
        if not self.mapping(value, path):
            return False
        ok = True
        for key, item in value.items():
            if item is not None and not isinstance(item, str):
                self.add((*path, key), f"expected a text value, got {_describe(item)}. Put the value in quotes.")
                ok = False
        return ok

    def check_tolerations(self, tolerations: Any, path: Path_) -> bool:
        if not isinstance(tolerations, list):
            self.add(path, f"expected a list of tolerations, got {_describe(tolerations)}.")
            return False
        ok = True
        for index, toleration in enumerate(tolerations):
            if not isinstance(toleration, Mapping):
                self.add((*path, index), f"expected a toleration mapping (key, operator, value, effect), got {_describe(toleration)}.")
                ok = False
        return ok

    def check_options(self, options: Any) -> bool:
        path: Path_ = ("profile_options",)
        if not self.mapping(options, path):
            return False
        ok = True
        for name, option in options.items():
            option_path = (*path, name)
            self.slug_text(name, option_path, "option name")
            if not self.mapping(option, option_path):
                ok = False
                continue
            self.keys(option, option_path, OPTION_KEYS, "profile option")
            if "display_name" in option:
                self.string(option["display_name"], (*option_path, "display_name"), required=True)
            else:
                self.add((*option_path, "display_name"), "is missing. Add the label users see beside the drop-down.")
            choices = option.get("choices")
            if not choices:
                self.add(
                    (*option_path, "choices"),
                    "the option has no choices. Add at least one entry under choices, or remove the option.",
                )
                ok = False
            elif self.mapping(choices, (*option_path, "choices")):
                ok = self.check_choices(choices, (*option_path, "choices")) and ok
            else:
                ok = False
            if option.get("unlisted_choice") is not None:
                ok = self.check_unlisted(option["unlisted_choice"], (*option_path, "unlisted_choice")) and ok
        return ok

    def check_choices(self, choices: Mapping[Any, Any], path: Path_) -> bool:
        ok = True
        defaults = []
        for key, choice in choices.items():
            choice_path = (*path, key)
            self.slug_text(key, choice_path, "choice key")
            if not self.mapping(choice, choice_path):
                ok = False
                continue
            self.keys(choice, choice_path, CHOICE_KEYS, "choice")
            if "display_name" in choice:
                self.string(choice["display_name"], (*choice_path, "display_name"), required=True)
            else:
                self.add((*choice_path, "display_name"), "is missing. Add the text users see in the drop-down.")
            if "default" in choice:
                self.boolean(choice["default"], (*choice_path, "default"))
                if choice["default"] is True:
                    defaults.append(key)
            if choice.get("kubespawner_override") is not None:
                ok = self.check_override(choice["kubespawner_override"], (*choice_path, "kubespawner_override")) and ok
        for key in defaults[1:]:
            self.add((*path, key, "default"), f"more than one choice is the default ({', '.join(map(str, defaults))}). Keep default: true on one.")
        return ok

    def check_unlisted(self, unlisted: Any, path: Path_) -> bool:
        if not self.mapping(unlisted, path):
            return False
        ok = True
        self.keys(unlisted, path, UNLISTED_KEYS, "unlisted_choice setting")
        if "enabled" in unlisted:
            self.boolean(unlisted["enabled"], (*path, "enabled"))
        for key in ("display_name", "display_name_in_choices", "validation_message"):
            if key in unlisted:
                self.string(unlisted[key], (*path, key))
        regex = unlisted.get("validation_regex")
        if regex is not None:
            if not isinstance(regex, str):
                self.add((*path, "validation_regex"), f"expected a regular expression in quotes, got {_describe(regex)}.")
            else:
                try:
                    re.compile(regex)
                except re.error as exc:
                    self.add(
                        (*path, "validation_regex"),
                        f"invalid regular expression {regex!r}: {exc}. Fix the pattern, for example '^jupyter/.+:.+$'.",
                    )
        if unlisted.get("kubespawner_override") is not None:
            ok = self.check_override(unlisted["kubespawner_override"], (*path, "kubespawner_override"), template=True) and ok
        return ok

    # Rules across the profile and its choices -------------------------------

    def check_combinations(self, override: Mapping[str, Any], options: Mapping[str, Any]) -> None:
        """Check guarantees against limits and GPU scheduling for every choice a user can make.

        The profile's own override with every option at its default is checked
        first, and a problem found there is reported once. Each other choice is
        then checked with the remaining options at their defaults, and reported
        at the choice only if the choice causes it.
        """
        defaults = {name: _default_choice(option["choices"]) for name, option in options.items()}
        base = self._combined(override, options, defaults)
        base_problems = _relation_problems(base)
        for field, message in base_problems:
            path = _where_set(field, override, options, defaults)
            self.add(path, message)
        for name, option in options.items():
            for key in option["choices"]:
                if key == defaults[name]:
                    continue
                combined = self._combined(override, options, {**defaults, name: key})
                for field, message in _relation_problems(combined):
                    if (field, message) not in base_problems:
                        self.add(("profile_options", name, "choices", key), f"with this choice, {field}: {message}")

    @staticmethod
    def _combined(override: Mapping[str, Any], options: Mapping[str, Any], picks: Mapping[str, Any]) -> dict[str, Any]:
        merged = merge_override({}, override)
        for name, option in options.items():
            choice = option["choices"][picks[name]]
            merged = merge_override(merged, choice.get("kubespawner_override") or {})
        return merged


def _mapping_or_empty(value: Any) -> Mapping[Any, Any]:
    return value if isinstance(value, Mapping) else {}


def _parsed(parse: Any, value: Any) -> Any:
    """Return ``parse(value)``, or None for a missing or invalid value (reported elsewhere)."""
    if value is None:
        return None
    try:
        return parse(value)
    except (ValueError, TypeError):
        return None


def _relation_problems(override: Mapping[str, Any]) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    cpu_limit, cpu_guarantee = override.get("cpu_limit"), override.get("cpu_guarantee")
    cpu_limit_cores, cpu_guarantee_cores = _parsed(parse_cpu, cpu_limit), _parsed(parse_cpu, cpu_guarantee)
    if cpu_limit_cores is not None and cpu_guarantee_cores is not None and cpu_guarantee_cores > cpu_limit_cores:
        problems.append(
            (
                "cpu_guarantee",
                f"guarantee {cpu_guarantee!r} is above the limit cpu_limit {cpu_limit!r}. "
                "Lower cpu_guarantee or raise cpu_limit.",
            )
        )
    mem_limit, mem_guarantee = override.get("mem_limit"), override.get("mem_guarantee")
    mem_limit_bytes = _parsed(parse_kubespawner_memory, mem_limit)
    mem_guarantee_bytes = _parsed(parse_kubespawner_memory, mem_guarantee)
    if mem_limit_bytes is not None and mem_guarantee_bytes is not None:
        if mem_guarantee_bytes > mem_limit_bytes:
            problems.append(
                (
                    "mem_guarantee",
                    f"guarantee {mem_guarantee!r} is above the limit mem_limit {mem_limit!r}. "
                    "Lower mem_guarantee or raise mem_limit.",
                )
            )
    limits = _mapping_or_empty(override.get("extra_resource_limits"))
    guarantees = _mapping_or_empty(override.get("extra_resource_guarantees"))
    gpus = max(_gpu_count(limits.get(GPU_RESOURCE)) or 0, _gpu_count(guarantees.get(GPU_RESOURCE)) or 0)
    if gpus > 0:
        gpu_field = "extra_resource_limits" if GPU_RESOURCE in limits else "extra_resource_guarantees"
        node_selector = _mapping_or_empty(override.get("node_selector"))
        if not any(label in node_selector for label in GPU_NODE_LABELS):
            problems.append(
                (
                    gpu_field,
                    f"requests {gpus} {GPU_RESOURCE} but node_selector has no GPU node label "
                    f"({', '.join(GPU_NODE_LABELS)}). On GKE add "
                    "node_selector: {cloud.google.com/gke-accelerator: nvidia-tesla-t4} (your GPU type).",
                )
            )
        tolerations = override.get("tolerations")
        tolerations = tolerations if isinstance(tolerations, list) else []
        if not any(isinstance(t, Mapping) and t.get("key") == GPU_RESOURCE for t in tolerations):
            problems.append(
                (
                    gpu_field,
                    f"requests {gpus} {GPU_RESOURCE} but no toleration has key {GPU_RESOURCE!r}, so the pod "
                    "cannot run on tainted GPU nodes. Add tolerations: [{key: nvidia.com/gpu, operator: Exists, "
                    "effect: NoSchedule}].",
                )
            )
    limit_gpus, guarantee_gpus = _gpu_count(limits.get(GPU_RESOURCE)), _gpu_count(guarantees.get(GPU_RESOURCE))
    if limit_gpus is not None and guarantee_gpus is not None and limit_gpus != guarantee_gpus:
        problems.append(
            (
                "extra_resource_guarantees",
                f"{GPU_RESOURCE} guarantee {guarantee_gpus} differs from the limit {limit_gpus}; Kubernetes requires "
                "them to be equal. Set only extra_resource_limits.",
            )
        )
    return problems


def _where_set(field: str, override: Mapping[str, Any], options: Mapping[str, Any], defaults: Mapping[str, Any]) -> Path_:
    """Return the path of the last place that sets ``field``: a default choice, else the profile."""
    for name in reversed(list(options)):
        choice_override = options[name]["choices"][defaults[name]].get("kubespawner_override") or {}
        if field in choice_override:
            return ("profile_options", name, "choices", defaults[name], "kubespawner_override", field)
    return ("kubespawner_override", field)


def _default_choice(choices: Mapping[Any, Any]) -> Any:
    for key, choice in choices.items():
        if choice.get("default") is True:
            return key
    return next(iter(choices))


def _memory_fix(value: Any) -> str:
    """Return the fix for an invalid memory size, with the corrected value when it is clear."""
    rule = "KubeSpawner takes a byte count or a number with one of K, M, G, T (powers of 1024)"
    match = _NEAR_MEMORY_RE.match(value) if isinstance(value, str) else None
    if match:
        return f"Write {match.group(1) + match.group(2).upper()!r}: {rule}."
    return f"{rule}, for example '16G'."


def _options_shape_ok(options: Any) -> bool:
    """Return True if every option has a mapping of choices that are mappings."""
    if options is None:
        return True
    if not isinstance(options, Mapping):
        return False
    for option in options.values():
        if not isinstance(option, Mapping):
            return False
        choices = option.get("choices")
        if not isinstance(choices, Mapping) or not choices:
            return False
        if not all(isinstance(choice, Mapping) for choice in choices.values()):
            return False
        if not all(isinstance(choice.get("kubespawner_override") or {}, Mapping) for choice in choices.values()):
            return False
    return True


def _mentions_value(value: Any) -> bool:
    if isinstance(value, str):
        return "{value}" in value
    if isinstance(value, Mapping):
        return any(_mentions_value(v) for v in value.values())
    if isinstance(value, list):
        return any(_mentions_value(v) for v in value)
    return False


def _gpu_count(value: Any) -> int | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _describe(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    kinds: dict[type, str] = {bool: "a boolean", int: "a number", float: "a number", str: "a text", list: "a list", dict: "a mapping"}
    kind = next((name for cls, name in kinds.items() if type(value) is cls), type(value).__name__)
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{kind} {text}"


def _unknown_key_message(key: Any, known: tuple[str, ...], what: str) -> str:
    matches = difflib.get_close_matches(str(key), known, n=1, cutoff=0.6)
    if matches:
        return f"unknown {what} key {key!r}. Did you mean {matches[0]!r}?"
    listed = ", ".join(known) if len(known) <= 16 else ", ".join(known[:16]) + ", ..."
    return f"unknown {what} key {key!r}. Known keys: {listed}."


def check_entry(entry: Any, file: Path, lines: LineMap, base: Path_) -> tuple[str, list[Issue]]:
    """Check one raw profile entry; return its slug (given or generated) and its issues."""
    if not isinstance(entry, Mapping):
        issue = Issue(file, lines.line_of(base), "", f"profile #{base[-1] + 1}", f"expected a mapping with display_name, slug and the other profile keys, got {_describe(entry)}.")
        return "", [issue]
    slug = entry.get("slug")
    if not isinstance(slug, str):
        display_name = entry.get("display_name")
        slug = slugify(display_name) if isinstance(display_name, str) else f"profile #{base[-1] + 1}"
    checker = EntryChecker(file, lines, base, slug)
    checker.check_entry(entry)
    return slug, checker.issues


def check_across_files(entries: list[tuple[str, Path, int, Mapping[str, Any]]]) -> list[Issue]:
    """Check rules that span files: unique slugs and at most one default profile."""
    issues: list[Issue] = []
    first_seen: dict[str, tuple[Path, int]] = {}
    for slug, file, line, _entry in entries:
        if slug in first_seen:
            other_file, other_line = first_seen[slug]
            issues.append(
                Issue(file, line, slug, "slug", f"slug {slug!r} is already used by the profile at {other_file}:{other_line}. Give each profile a unique slug.")
            )
        else:
            first_seen[slug] = (file, line)
    defaults = [(slug, file, line) for slug, file, line, entry in entries if entry.get("default") is True]
    if len(defaults) > 1:
        first_slug, first_file, first_line = defaults[0]
        for slug, file, line in defaults[1:]:
            issues.append(
                Issue(
                    file,
                    line,
                    slug,
                    "default",
                    f"more than one profile is the default: {first_slug!r} at {first_file}:{first_line} is too. Keep default: true on exactly one profile.",
                )
            )
    return issues
