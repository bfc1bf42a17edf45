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
from .messages import message
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

    def add(self, path: Path_, text: Message) -> None:
        line = self.lines.line_of((*self.base, *path))
        self.issues.append(Issue(self.file, line, self.slug, field_name(path), text))

    # Types ------------------------------------------------------------------

    def mapping(self, value: Any, path: Path_) -> bool:
        if isinstance(value, Mapping):
            return True
        self.add(path, message("expected-mapping", got=_describe(value)))
        return False

    def string(self, value: Any, path: Path_, *, required: bool = False) -> bool:
        if isinstance(value, str) and (value.strip() or not required):
            return True
        if isinstance(value, str):
            self.add(path, message("empty-text"))
        else:
            self.add(path, message("expected-text", got=_describe(value)))
        return False

    def boolean(self, value: Any, path: Path_) -> None:
        if not isinstance(value, bool):
            self.add(path, message("expected-boolean", got=_describe(value)))

    def integer(self, value: Any, path: Path_, *, minimum: int, unit: Message | str = "") -> None:
        if isinstance(value, bool) or not isinstance(value, int):
            self.add(path, message("expected-integer", unit=unit, got=_describe(value)))
        elif value < minimum:
            self.add(path, message("too-small", value=value, minimum=minimum, unit=unit))

    def number(self, value: Any, path: Path_, *, positive: bool, unit: Message | str = "") -> None:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
            self.add(path, message("expected-number", unit=unit, got=_describe(value)))
        elif positive and value <= 0:
            self.add(path, message("not-positive", value=value, unit=unit))
        elif value < 0:
            self.add(path, message("negative", value=value, unit=unit))

    def keys(self, value: Mapping[Any, Any], path: Path_, known: Iterable[str], subject: Message) -> None:
        known = tuple(known)
        for key in value:
            if isinstance(key, str) and key in known:
                continue
            self.add((*path, key), _unknown_key_message(key, known, subject))

    def slug_text(self, value: Any, path: Path_, subject: Message) -> None:
        if not isinstance(value, str) or not SLUG_RE.match(value) or "--" in value:
            self.add(path, message("invalid-slug", what=subject, value=value))

    # Sections ---------------------------------------------------------------

    def check_entry(self, entry: Mapping[Any, Any]) -> None:
        self.keys(entry, (), PROFILE_KEYS, message("what-profile"))
        if "display_name" not in entry:
            self.add(("display_name",), message("display-name-missing"))
        else:
            self.string(entry["display_name"], ("display_name",), required=True)
        if "slug" in entry:
            self.slug_text(entry["slug"], ("slug",), message("what-slug"))
        if "description" in entry:
            self.string(entry["description"], ("description",))
        for key in ("default", "enabled"):
            if key in entry:
                self.boolean(entry[key], (key,))
        if "groups" in entry:
            self.check_groups(entry["groups"])
        if entry.get("max_servers") is not None:
            self.integer(entry["max_servers"], ("max_servers",), minimum=1, unit=message("unit-servers"))
        if entry.get("idle_timeout") is not None:
            self.integer(entry["idle_timeout"], ("idle_timeout",), minimum=1, unit=message("unit-seconds"))
        if entry.get("cost_per_hour") is not None:
            self.number(entry["cost_per_hour"], ("cost_per_hour",), positive=False, unit=message("unit-per-hour"))
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
            self.add(("groups",), message("groups-not-list", got=_describe(groups)))
            return
        for index, group in enumerate(groups):
            if not isinstance(group, str) or not group:
                self.add(("groups", index), message("group-not-text", group=group))

    def check_dask(self, dask: Any) -> None:
        if not self.mapping(dask, ("dask",)):
            return
        self.keys(dask, ("dask",), DASK_KEYS, message("what-dask"))
        if "worker_cores" in dask:
            self.number(dask["worker_cores"], ("dask", "worker_cores"), positive=True, unit=message("unit-cores"))
        if "worker_memory" in dask:
            try:
                parse_memory(dask["worker_memory"])
            except ValueError:
                value = dask["worker_memory"]
                self.add(("dask", "worker_memory"), message("invalid-memory", value=value, fix=_memory_fix(value)))
        if "max_workers" in dask:
            self.integer(dask["max_workers"], ("dask", "max_workers"), minimum=0, unit=message("unit-workers"))

    def check_bigquery(self, bigquery: Any) -> None:
        if not self.mapping(bigquery, ("bigquery",)):
            return
        self.keys(bigquery, ("bigquery",), BIGQUERY_KEYS, message("what-bigquery"))
        if bigquery.get("maximum_bytes_billed") is not None:
            path = ("bigquery", "maximum_bytes_billed")
            self.integer(bigquery["maximum_bytes_billed"], path, minimum=1, unit=message("unit-bytes"))

    def check_override(self, override: Any, path: Path_, *, template: bool = False) -> bool:
        """Check one ``kubespawner_override`` on its own; return False if it is unusable.

        With ``template`` (an unlisted choice), values containing ``{value}``
        are left unchecked because they are only known once a user types one.
        """
        if not self.mapping(override, path):
            return False
        ok = True
        self.keys(override, path, KUBESPAWNER_OVERRIDE_KEYS, message("what-kubespawner"))
        if template:
            override = {key: value for key, value in override.items() if not _mentions_value(value)}
        for key in ("mem_limit", "mem_guarantee"):
            if override.get(key) is not None:
                try:
                    parse_kubespawner_memory(override[key])
                except ValueError:
                    self.add((*path, key), message("invalid-memory", value=override[key], fix=_memory_fix(override[key])))
                    ok = False
        for key in ("cpu_limit", "cpu_guarantee"):
            value = override.get(key)
            if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0):
                self.add((*path, key), message("invalid-cpu", value=value))
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
                    self.add((*path, name), message("invalid-gpu-count", value=value))
                    ok = False
            elif not isinstance(value, (str, int, float)) or isinstance(value, bool):
                self.add((*path, name), message("invalid-quantity", value=value))
                ok = False
        return ok

    def check_string_map(self, value: Any, path: Path_) -> bool:
        if not self.mapping(value, path):
            return False
        ok = True
        for key, item in value.items():
            if item is not None and not isinstance(item, str):
                self.add((*path, key), message("expected-text-value", got=_describe(item)))
                ok = False
        return ok

    def check_tolerations(self, tolerations: Any, path: Path_) -> bool:
        if not isinstance(tolerations, list):
            self.add(path, message("tolerations-not-list", got=_describe(tolerations)))
            return False
        ok = True
        for index, toleration in enumerate(tolerations):
            if not isinstance(toleration, Mapping):
                self.add((*path, index), message("toleration-not-mapping", got=_describe(toleration)))
                ok = False
        return ok

    def check_options(self, options: Any) -> bool:
        path: Path_ = ("profile_options",)
        if not self.mapping(options, path):
            return False
        ok = True
        for name, option in options.items():
            option_path = (*path, name)
            self.slug_text(name, option_path, message("what-option-name"))
            if not self.mapping(option, option_path):
                ok = False
                continue
            self.keys(option, option_path, OPTION_KEYS, message("what-option"))
            if "display_name" in option:
                self.string(option["display_name"], (*option_path, "display_name"), required=True)
            else:
                self.add((*option_path, "display_name"), message("option-label-missing"))
            choices = option.get("choices")
            if not choices:
                self.add((*option_path, "choices"), message("option-no-choices"))
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
            self.slug_text(key, choice_path, message("what-choice-key"))
            if not self.mapping(choice, choice_path):
                ok = False
                continue
            self.keys(choice, choice_path, CHOICE_KEYS, message("what-choice"))
            if "display_name" in choice:
                self.string(choice["display_name"], (*choice_path, "display_name"), required=True)
            else:
                self.add((*choice_path, "display_name"), message("choice-label-missing"))
            if "default" in choice:
                self.boolean(choice["default"], (*choice_path, "default"))
                if choice["default"] is True:
                    defaults.append(key)
            if choice.get("kubespawner_override") is not None:
                ok = self.check_override(choice["kubespawner_override"], (*choice_path, "kubespawner_override")) and ok
        for key in defaults[1:]:
            self.add((*path, key, "default"), message("several-default-choices", defaults=", ".join(map(str, defaults))))
        return ok

    def check_unlisted(self, unlisted: Any, path: Path_) -> bool:
        if not self.mapping(unlisted, path):
            return False
        ok = True
        self.keys(unlisted, path, UNLISTED_KEYS, message("what-unlisted"))
        if "enabled" in unlisted:
            self.boolean(unlisted["enabled"], (*path, "enabled"))
        for key in ("display_name", "display_name_in_choices", "validation_message"):
            if key in unlisted:
                self.string(unlisted[key], (*path, key))
        regex = unlisted.get("validation_regex")
        if regex is not None:
            if not isinstance(regex, str):
                self.add((*path, "validation_regex"), message("regex-not-text", got=_describe(regex)))
            else:
                try:
                    re.compile(regex)
                except re.error as exc:
                    self.add((*path, "validation_regex"), message("invalid-regex", regex=regex, error=str(exc)))
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
        for field, problem in base_problems:
            path = _where_set(field, override, options, defaults)
            self.add(path, problem)
        for name, option in options.items():
            for key in option["choices"]:
                if key == defaults[name]:
                    continue
                combined = self._combined(override, options, {**defaults, name: key})
                for field, problem in _relation_problems(combined):
                    if (field, problem) not in base_problems:
                        self.add(("profile_options", name, "choices", key), message("with-choice", field=field, message=problem))

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


def _relation_problems(override: Mapping[str, Any]) -> list[tuple[str, Message]]:
    problems: list[tuple[str, Message]] = []
    cpu_limit, cpu_guarantee = override.get("cpu_limit"), override.get("cpu_guarantee")
    cpu_limit_cores, cpu_guarantee_cores = _parsed(parse_cpu, cpu_limit), _parsed(parse_cpu, cpu_guarantee)
    if cpu_limit_cores is not None and cpu_guarantee_cores is not None and cpu_guarantee_cores > cpu_limit_cores:
        problems.append(("cpu_guarantee", _above_limit("cpu", cpu_guarantee, cpu_limit)))
    mem_limit, mem_guarantee = override.get("mem_limit"), override.get("mem_guarantee")
    mem_limit_bytes = _parsed(parse_kubespawner_memory, mem_limit)
    mem_guarantee_bytes = _parsed(parse_kubespawner_memory, mem_guarantee)
    if mem_limit_bytes is not None and mem_guarantee_bytes is not None:
        if mem_guarantee_bytes > mem_limit_bytes:
            problems.append(("mem_guarantee", _above_limit("mem", mem_guarantee, mem_limit)))
    limits = _mapping_or_empty(override.get("extra_resource_limits"))
    guarantees = _mapping_or_empty(override.get("extra_resource_guarantees"))
    gpus = max(_gpu_count(limits.get(GPU_RESOURCE)) or 0, _gpu_count(guarantees.get(GPU_RESOURCE)) or 0)
    if gpus > 0:
        gpu_field = "extra_resource_limits" if GPU_RESOURCE in limits else "extra_resource_guarantees"
        node_selector = _mapping_or_empty(override.get("node_selector"))
        if not any(label in node_selector for label in GPU_NODE_LABELS):
            labels = ", ".join(GPU_NODE_LABELS)
            problems.append((gpu_field, message("gpu-no-node-label", gpus=gpus, resource=GPU_RESOURCE, labels=labels)))
        tolerations = override.get("tolerations")
        tolerations = tolerations if isinstance(tolerations, list) else []
        if not any(isinstance(t, Mapping) and t.get("key") == GPU_RESOURCE for t in tolerations):
            problems.append((gpu_field, message("gpu-no-toleration", gpus=gpus, resource=GPU_RESOURCE)))
    limit_gpus, guarantee_gpus = _gpu_count(limits.get(GPU_RESOURCE)), _gpu_count(guarantees.get(GPU_RESOURCE))
    if limit_gpus is not None and guarantee_gpus is not None and limit_gpus != guarantee_gpus:
        problems.append(
            (
                "extra_resource_guarantees",
                message("gpu-guarantee-differs", resource=GPU_RESOURCE, guarantee=guarantee_gpus, limit=limit_gpus),
            )
        )
    return problems


def _above_limit(resource: str, guarantee: Any, limit: Any) -> Message:
    """Return the problem of a ``cpu`` or ``mem`` guarantee above its limit."""
    return message(
        "guarantee-above-limit",
        guarantee=guarantee,
        limit=limit,
        guarantee_field=f"{resource}_guarantee",
        limit_field=f"{resource}_limit",
    )


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


def _memory_fix(value: Any) -> Message:
    """Return the fix for an invalid memory size, with the corrected value when it is clear."""
    rule = message("memory-rule")
    match = _NEAR_MEMORY_RE.match(value) if isinstance(value, str) else None
    if match:
        return message("memory-fix-near", value=match.group(1) + match.group(2).upper(), rule=rule)
    return message("memory-fix", rule=rule)


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


def _describe(value: Any) -> Message:
    """Return the kind and the (shortened) repr of a value, as error messages show what was given."""
    if value is None:
        return message("kind-null")
    kinds = {
        bool: "kind-boolean", int: "kind-number", float: "kind-number",
        str: "kind-text", list: "kind-list", dict: "kind-mapping",
    }
    key = next((key for cls, key in kinds.items() if type(value) is cls), None)
    kind: Message | str = message(key) if key else type(value).__name__
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return message("described-value", kind=kind, value=text)


def _unknown_key_message(key: Any, known: tuple[str, ...], subject: Message) -> Message:
    matches = difflib.get_close_matches(str(key), known, n=1, cutoff=0.6)
    if matches:
        return message("unknown-key-suggest", what=subject, key=key, match=matches[0])
    listed = ", ".join(known) if len(known) <= 16 else ", ".join(known[:16]) + ", ..."
    return message("unknown-key", what=subject, key=key, known=listed)


def check_entry(entry: Any, file: Path, lines: LineMap, base: Path_) -> tuple[str, list[Issue]]:
    """Check one raw profile entry; return its slug (given or generated) and its issues."""
    if not isinstance(entry, Mapping):
        got = _describe(entry)
        issue = Issue(file, lines.line_of(base), "", f"profile #{base[-1] + 1}", message("entry-not-mapping", got=got))
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
            text = message("duplicate-slug", slug=slug, file=other_file, line=other_line)
            issues.append(Issue(file, line, slug, "slug", text))
        else:
            first_seen[slug] = (file, line)
    defaults = [(slug, file, line) for slug, file, line, entry in entries if entry.get("default") is True]
    if len(defaults) > 1:
        first_slug, first_file, first_line = defaults[0]
        for slug, file, line in defaults[1:]:
            text = message("several-default-profiles", slug=first_slug, file=first_file, line=first_line)
            issues.append(Issue(file, line, slug, "default", text))
    return issues
