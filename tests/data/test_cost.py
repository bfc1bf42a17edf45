import pytest

from nbplatform.bigquery.context import QueryContext, context_from_env, label_value
from nbplatform.bigquery.cost import (
    DEFAULT_MAXIMUM_BYTES_BILLED,
    QueryTooExpensiveError,
    check_estimate,
    effective_limit,
    format_bytes,
    limit_source,
)
from nbplatform.errors import DataError, ProfileError
from nbplatform.profiles import Profile

REPO_PROFILES = __import__("pathlib").Path(__file__).resolve().parents[2] / "profiles"


def test_limit_defaults_without_profile():
    assert effective_limit(None) == DEFAULT_MAXIMUM_BYTES_BILLED


def test_limit_uses_profile():
    assert effective_limit(5_000) == 5_000


def test_limit_lowered_by_caller():
    assert effective_limit(5_000, 1_000) == 1_000


def test_limit_above_profile_rejected():
    with pytest.raises(DataError, match="exceeds your profile's limit") as info:
        effective_limit(5_000, 6_000)
    assert info.value.reason == "limit-above-profile"


def test_limit_nonpositive_rejected():
    with pytest.raises(DataError, match="maximum_bytes_billed=0 is invalid"):
        effective_limit(5_000, 0)


def test_estimate_at_limit_passes():
    check_estimate(1_000, 1_000, source="profile 'small'")


def test_estimate_above_limit_rejected():
    with pytest.raises(QueryTooExpensiveError) as info:
        check_estimate(2_500_000_000, 1_000_000_000, source=limit_source("small", None))
    message = info.value.message
    assert info.value.estimated_bytes == 2_500_000_000
    assert info.value.limit_bytes == 1_000_000_000
    assert "2.5 GB (2500000000 bytes)" in message
    assert "1.0 GB (1000000000 bytes)" in message
    assert "profile 'small'" in message
    assert "bigquery.maximum_bytes_billed" in message


def test_limit_source_names_argument():
    assert limit_source("small", 10) == "the maximum_bytes_billed argument"
    assert "no profile" in limit_source(None, None)


def test_format_bytes_units():
    assert format_bytes(999) == "999 B"
    assert format_bytes(1_500_000) == "1.5 MB"
    assert format_bytes(3 * 1000**5) == "3000.0 TB"


def test_label_value_cleans_text():
    assert label_value("Alice.Smith@Example.com") == "alice_smith_example_com"
    assert label_value("x" * 80) == "x" * 63
    assert label_value("  ") == "unknown"


def test_labels_include_user_notebook_profile():
    profile = Profile(display_name="Small", slug="small")
    context = QueryContext(user="alice", notebook="work/Daily Report.ipynb", profile=profile)
    assert context.labels() == {
        "nbplatform-user": "alice",
        "nbplatform-notebook": "daily_report",
        "nbplatform-profile": "small",
    }


def test_context_reads_profile_limit():
    env = {
        "JUPYTERHUB_USER": "alice",
        "JPY_SESSION_NAME": "/home/alice/flights.ipynb",
        "NBPLATFORM_PROFILE": "small",
        "NBPLATFORM_PROFILES_DIR": str(REPO_PROFILES),
    }
    context = context_from_env(env)
    assert context.user == "alice"
    assert context.notebook == "/home/alice/flights.ipynb"
    assert context.profile_slug == "small"
    assert context.profile_limit == 10_000_000_000


def test_context_unknown_profile_raises():
    env = {"NBPLATFORM_PROFILE": "huge", "NBPLATFORM_PROFILES_DIR": str(REPO_PROFILES)}
    with pytest.raises(ProfileError, match="'huge'") as info:
        context_from_env(env)
    assert info.value.reason == "profile-not-found"


def test_context_without_profile():
    context = context_from_env({"JUPYTERHUB_USER": "bob"})
    assert context.profile is None
    assert context.profile_limit is None
