"""Unit tests of the email-to-username mapping."""

from __future__ import annotations

import pytest

from nbplatform.auth.usernames import UsernameError, single_domain, username_from_email


def test_username_lowercased():
    assert username_from_email("Alice@Example.COM") == "alice@example.com"


def test_username_keeps_domain_by_default():
    assert username_from_email("alice@a.example") != username_from_email("alice@b.example")


def test_username_strips_single_domain():
    assert username_from_email("alice@a.example", strip_domain="a.example") == "alice"


def test_username_other_domain_kept():
    assert username_from_email("alice@b.example", strip_domain="a.example") == "alice@b.example"


def test_username_single_domain_no_collision():
    names = {
        username_from_email("alice@a.example", strip_domain="a.example"),
        username_from_email("alice@b.example", strip_domain="a.example"),
    }
    assert len(names) == 2


def test_username_plus_keep():
    assert username_from_email("alice+ml@a.example") == "alice+ml@a.example"


def test_username_plus_strip():
    assert username_from_email("alice+ml@a.example", plus_addressing="strip", strip_domain="a.example") == "alice"


def test_username_plus_reject():
    with pytest.raises(UsernameError) as info:
        username_from_email("alice+ml@a.example", plus_addressing="reject")
    assert info.value.reason == "plus-address"


def test_username_plus_strip_empty_local():
    with pytest.raises(UsernameError):
        username_from_email("+ml@a.example", plus_addressing="strip")


def test_username_not_email():
    with pytest.raises(UsernameError):
        username_from_email("alice")


def test_username_bad_mode():
    with pytest.raises(ValueError, match="plus_addressing"):
        username_from_email("a@b.example", plus_addressing="drop")  # type: ignore[arg-type]


def test_single_domain():
    assert single_domain({"A.example"}) == "a.example"
    assert single_domain({"a.example", "b.example"}) is None
    assert single_domain(set()) is None
