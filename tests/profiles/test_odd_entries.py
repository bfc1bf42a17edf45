"""Entries with a profile suffix that are not readable files are reported, not skipped."""

from __future__ import annotations

from nbplatform.profiles.loader import read_directory

VALID = "- display_name: Small\n  slug: small\n"


def test_broken_link_reported(tmp_path):
    (tmp_path / "ok.yaml").write_text(VALID)
    (tmp_path / "gone.yaml").symlink_to(tmp_path / "missing-target.yaml")
    result = read_directory(tmp_path)
    messages = [str(issue) for issue in result.issues]
    assert any("gone.yaml" in m and "cannot read the file" in m for m in messages), messages


def test_directory_with_suffix_reported(tmp_path):
    (tmp_path / "ok.yaml").write_text(VALID)
    (tmp_path / "folder.yaml").mkdir()
    result = read_directory(tmp_path)
    messages = [str(issue) for issue in result.issues]
    assert any("folder.yaml" in m and "Is a directory" in m for m in messages), messages


def test_hidden_file_still_skipped(tmp_path):
    (tmp_path / "ok.yaml").write_text(VALID)
    (tmp_path / ".swap.yaml").write_text("not: [valid")
    result = read_directory(tmp_path)
    assert result.issues == []
    assert [p.slug for p in result.profiles] == ["small"]
