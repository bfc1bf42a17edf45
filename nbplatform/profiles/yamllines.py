"""Parse YAML and keep the line of every key and list item, for errors that name a line."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

#: A position in parsed data: the keys and list indexes leading to a value.
Path = tuple[Any, ...]

_MERGE_TAG = "tag:yaml.org,2002:merge"


@dataclass
class LineMap:
    """Lines (1-based) of the keys and list items of one YAML document."""

    lines: dict[Path, int] = field(default_factory=dict)
    #: Keys written twice in one mapping, with the line of the repeat.
    duplicates: list[tuple[Path, int]] = field(default_factory=list)

    def line_of(self, path: Path) -> int:
        """Return the line of ``path``, or of its closest parent that has one."""
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), 1)


def parse_with_lines(text: str) -> tuple[Any, LineMap]:
    """Parse one YAML document with PyYAML's safe loader and return it with its line map.

    Raise ``yaml.YAMLError`` for invalid YAML, as ``yaml.safe_load`` does.
    """
    data = yaml.safe_load(text)
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    line_map = LineMap()
    if node is not None:
        _walk(node, (), line_map, set())
    return data, line_map


def _scalar_key(node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        # Construct the key the way safe_load does, so paths match the data
        # (an unquoted 1 is the int 1, ``yes`` is True).
        loader = yaml.SafeLoader("")
        try:
            return loader.construct_object(node, deep=True)
        except yaml.YAMLError:
            return node.value
        finally:
            loader.dispose()
    return None


def _walk(node: yaml.Node, path: Path, line_map: LineMap, active: set[int]) -> None:
    line_map.lines.setdefault(path, node.start_mark.line + 1)
    # An alias can point back at a node that contains it; stop on a cycle.
    if id(node) in active:
        return
    active = active | {id(node)}
    if isinstance(node, yaml.MappingNode):
        seen: set[Any] = set()
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                merged = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
                for source in merged:
                    if isinstance(source, yaml.MappingNode):
                        _walk_merged(source, path, line_map, active)
                continue
            key = _scalar_key(key_node)
            try:
                hash(key)
            except TypeError:
                continue
            child = (*path, key)
            if key in seen:
                line_map.duplicates.append((child, key_node.start_mark.line + 1))
            seen.add(key)
            line_map.lines[child] = key_node.start_mark.line + 1
            _walk(value_node, child, line_map, active)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, (*path, index), line_map, active)


def _walk_merged(node: yaml.MappingNode, path: Path, line_map: LineMap, active: set[int]) -> None:
    # Keys brought in by ``<<: *anchor`` get the lines of the anchor, unless
    # the mapping writes them itself (those win, as in the parsed data).
    for key_node, value_node in node.value:
        key = _scalar_key(key_node)
        try:
            hash(key)
        except TypeError:
            continue
        child = (*path, key)
        if child not in line_map.lines:
            line_map.lines[child] = key_node.start_mark.line + 1
            _walk(value_node, child, line_map, active)
