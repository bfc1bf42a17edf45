"""The YAML examples in the profile docs pass validation, so they can be copied as they are."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from nbplatform.profiles.loader import load_text

DOCS = Path(__file__).resolve().parents[2] / "docs"


def yaml_examples(name: str) -> list[str]:
    text = (DOCS / name).read_text(encoding="utf-8")
    return re.findall(r"```yaml\n(.*?)```", text, flags=re.S)


@pytest.mark.parametrize("name", ["profiles.md", "profiles.ja.md"])
def test_docs_examples_valid(name):
    examples = yaml_examples(name)
    assert len(examples) == 2
    for example in examples:
        profiles = load_text(example, DOCS / name)
        assert len(profiles) == 1
