"""Typed notebook parameters: read the ``parameters`` cell, check values, write the injected cell.

Papermill turns any value that is not str, bool, int, float, list, dict or
None into a quoted string, so a tuple or a date reaches the notebook as text.
Here each value is checked against the type of the default in the
``parameters`` cell and written as Python source that rebuilds the same type.
"""

from __future__ import annotations

import ast
import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

import nbformat
import yaml

from .errors import PromoteError

PARAMETERS_TAG = "parameters"
INJECTED_TAG = "injected-parameters"
TAG_HELP = (
    "In JupyterLab select the cell that holds the default values, open the property inspector "
    "(the gear icon in the right sidebar), and add the tag 'parameters' under Common Tools > Cell Tags."
)

#: Calls accepted as defaults besides literals: date and datetime constructors.
_DATE_CALLS = {"date": dt.date, "datetime.date": dt.date, "datetime": dt.datetime, "datetime.datetime": dt.datetime}


@dataclass(frozen=True)
class Parameter:
    """One name assigned in the ``parameters`` cell and its default."""

    name: str
    default: Any
    #: ``int``, ``float``, ``bool``, ``str``, ``list``, ``tuple``, ``dict``, ``set``, ``None``,
    #: ``date``, ``datetime``, or ``any`` when the default is an expression.
    type_name: str


def find_parameters_cell(nb: nbformat.NotebookNode) -> int | None:
    """Return the index of the first cell tagged ``parameters``, or None."""
    for index, cell in enumerate(nb.cells):
        if PARAMETERS_TAG in cell.get("metadata", {}).get("tags", []):
            return index
    return None


def _call_name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        return f"{node.value.id}.{node.attr}"
    return ""


def _evaluate_default(node: ast.expr) -> tuple[Any, str]:
    try:
        value = ast.literal_eval(node)
    except (ValueError, SyntaxError, TypeError):
        if isinstance(node, ast.Call) and _call_name(node.func) in _DATE_CALLS and not node.keywords:
            try:
                args = [ast.literal_eval(arg) for arg in node.args]
                value = _DATE_CALLS[_call_name(node.func)](*args)
            except (ValueError, TypeError, SyntaxError):
                return None, "any"
            return value, type_name_of(value)
        return None, "any"
    return value, type_name_of(value)


def type_name_of(value: Any) -> str:
    if value is None:
        return "None"
    if isinstance(value, dt.datetime):
        return "datetime"
    if isinstance(value, dt.date):
        return "date"
    return type(value).__name__


def parse_parameters_source(source: str) -> dict[str, Parameter]:
    """Return the parameters assigned at the top level of a ``parameters`` cell's source."""
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        raise PromoteError(
            f"The parameters cell is not valid Python (line {exc.lineno}: {exc.msg}). Fix the cell and promote again.",
            reason="parameters-cell-invalid",
            details={"line": exc.lineno, "error": exc.msg},
        ) from exc
    parameters: dict[str, Parameter] = {}
    for statement in tree.body:
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            target, value_node = statement.targets[0], statement.value
        elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
            target, value_node = statement.target, statement.value
        else:
            continue
        if not isinstance(target, ast.Name):
            continue
        default, type_name = _evaluate_default(value_node)
        parameters[target.id] = Parameter(target.id, default, type_name)
    return parameters


def notebook_parameters(nb: nbformat.NotebookNode, notebook_name: str = "the notebook") -> tuple[int, dict[str, Parameter]]:
    """Return the ``parameters`` cell index and its parameters; reject a notebook without one."""
    index = find_parameters_cell(nb)
    if index is None:
        raise PromoteError(
            f"{notebook_name} has no cell tagged 'parameters', so a job could not set its values. {TAG_HELP}",
            reason="no-parameters-cell",
            details={"notebook": notebook_name},
        )
    return index, parse_parameters_source(nb.cells[index].source)


def _parse_iso(value: str, kind: type) -> Any:
    if kind is dt.datetime:
        return dt.datetime.fromisoformat(value)
    return dt.date.fromisoformat(value)


def coerce_value(name: str, value: Any, parameter: Parameter) -> Any:
    """Return ``value`` as the type of the parameter's default; raise PromoteError naming the expected type."""
    expected = parameter.type_name

    def reject() -> PromoteError:
        return PromoteError(
            f"Parameter {name!r}: value {value!r} ({type_name_of(value)}) does not match the default "
            f"{parameter.default!r}, which is {expected}. Fix: give a {expected} value"
            + (" as an ISO string such as 2024-01-31" if expected in ("date", "datetime") else "")
            + ".",
            reason="parameter-type",
            details={"name": name, "value": value, "expected": expected},
        )

    if expected in ("any", "None"):
        # NOTE: a default of None or an expression declares no type, so any value is accepted.
        return value
    if expected == "bool":
        if isinstance(value, bool):
            return value
        raise reject()
    if expected == "int":
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        raise reject()
    if expected == "float":
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
        raise reject()
    if expected == "str":
        if isinstance(value, str):
            return value
        raise reject()
    if expected in ("list", "tuple", "set"):
        if isinstance(value, (list, tuple)):
            return {"list": list, "tuple": tuple, "set": set}[expected](value)
        raise reject()
    if expected == "dict":
        if isinstance(value, dict):
            return value
        raise reject()
    if expected in ("date", "datetime"):
        kind = dt.datetime if expected == "datetime" else dt.date
        if expected == "date" and isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        if expected == "datetime" and isinstance(value, dt.datetime):
            return value
        if isinstance(value, str):
            try:
                return _parse_iso(value, kind)
            except ValueError:
                raise reject() from None
        raise reject()
    raise reject()


def check_parameters(values: dict[str, Any], declared: dict[str, Parameter], notebook_name: str = "the notebook") -> dict[str, Any]:
    """Return ``values`` converted to the declared types; reject names the parameters cell does not define."""
    unknown = sorted(set(values) - set(declared))
    if unknown:
        known = ", ".join(sorted(declared)) or "(none)"
        raise PromoteError(
            f"Parameter(s) {', '.join(repr(n) for n in unknown)} are not defined in the parameters cell of "
            f"{notebook_name}. Defined: {known}. Fix: add them to that cell or correct the name.",
            reason="unknown-parameter",
            details={"names": ", ".join(unknown), "defined": known},
        )
    return {name: coerce_value(name, value, declared[name]) for name, value in values.items()}


def parse_cli_value(text: str, parameter: Parameter | None) -> Any:
    """Turn a ``-p KEY VALUE`` string into a value: kept as text for str parameters, else read as YAML."""
    if parameter is not None and parameter.type_name in ("str", "date", "datetime"):
        return text
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError:
        return text


def to_spec_value(value: Any) -> Any:
    """Return ``value`` in the form a YAML spec keeps: tuples and sets as lists, dates as ISO strings."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple, set)):
        return [to_spec_value(item) for item in value]
    if isinstance(value, dict):
        return {key: to_spec_value(item) for key, item in value.items()}
    return value


def render_value(value: Any) -> str:
    """Write ``value`` as Python source that evaluates to an equal value of the same type."""
    if isinstance(value, dt.datetime):
        return f"__import__('datetime').datetime.fromisoformat({value.isoformat()!r})"
    if isinstance(value, dt.date):
        return f"__import__('datetime').date.fromisoformat({value.isoformat()!r})"
    if isinstance(value, float) and not math.isfinite(value):
        return f"float({repr(value)!r})"
    if isinstance(value, (bool, int, float, str)) or value is None:
        return repr(value)
    if isinstance(value, tuple):
        items = ", ".join(render_value(item) for item in value)
        return f"({items},)" if len(value) == 1 else f"({items})"
    if isinstance(value, list):
        return "[" + ", ".join(render_value(item) for item in value) + "]"
    if isinstance(value, set):
        return "set([" + ", ".join(render_value(item) for item in sorted(value, key=repr)) + "])"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{render_value(k)}: {render_value(v)}" for k, v in value.items()) + "}"
    raise PromoteError(f"Value {value!r} of type {type(value).__name__} cannot be passed to a notebook.")


def inject_parameters(nb: nbformat.NotebookNode, values: dict[str, Any]) -> nbformat.NotebookNode:
    """Return a copy of ``nb`` with a cell tagged ``injected-parameters`` after the parameters cell."""
    result = nbformat.from_dict(nb)
    result.cells = [cell for cell in result.cells if INJECTED_TAG not in cell.get("metadata", {}).get("tags", [])]
    index = find_parameters_cell(result)
    lines = ["# Parameters injected by nbplatform"]
    lines += [f"{name} = {render_value(value)}" for name, value in values.items()]
    cell = nbformat.v4.new_code_cell(source="\n".join(lines), metadata={"tags": [INJECTED_TAG]})
    if (result.nbformat, result.nbformat_minor) < (4, 5):
        cell.pop("id", None)
    position = 0 if index is None else index + 1
    result.cells.insert(position, cell)
    return result
