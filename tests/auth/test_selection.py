"""Tests of authenticator selection and the Google OAuth settings.

GoogleOAuthenticator is instantiated with the built config to check that
every trait name and value is accepted; nothing contacts Google.
"""

from __future__ import annotations

import pytest
from oauthenticator.google import GoogleOAuthenticator
from traitlets.config import Config

from nbplatform.auth.google import google_oauth_config
from nbplatform.auth.iap import IAPAuthenticator
from nbplatform.auth.selection import configure_authenticator, iap_config, select_authenticator
from nbplatform.errors import ConfigError

AUDIENCE = "/projects/1/global/backendServices/2"


def test_select_defaults_by_mode():
    assert select_authenticator("local", {}) == "local"
    assert select_authenticator("gke", {}) == "iap"


def test_select_explicit_google():
    assert select_authenticator("gke", {"NBPLATFORM_AUTH": "Google"}) == "google"


def test_select_invalid_name():
    with pytest.raises(ConfigError, match="NBPLATFORM_AUTH='saml'"):
        select_authenticator("gke", {"NBPLATFORM_AUTH": "saml"})


def test_configure_local_changes_nothing():
    c = Config()
    assert configure_authenticator(c, "local", {}) == "local"
    assert "authenticator_class" not in c.JupyterHub


def test_configure_iap_loads_into_authenticator():
    c = Config()
    env = {"NBPLATFORM_IAP_AUDIENCE": AUDIENCE, "NBPLATFORM_ALLOWED_DOMAINS": "Example.com", "NBPLATFORM_ADMIN_USERS": "alice"}
    configure_authenticator(c, "gke", env)
    auth = IAPAuthenticator(config=c)
    assert c.JupyterHub.authenticator_class == "nbplatform.auth.iap.IAPAuthenticator"
    assert auth.audience == AUDIENCE
    assert auth.allowed_domains == {"example.com"}
    assert auth.admin_users == {"alice"}


def test_iap_config_requires_audience():
    with pytest.raises(ConfigError, match="NBPLATFORM_IAP_AUDIENCE"):
        iap_config({"NBPLATFORM_ALLOWED_DOMAINS": "example.com"})


def test_iap_config_requires_allow_rule():
    with pytest.raises(ConfigError, match="no allow rule"):
        iap_config({"NBPLATFORM_IAP_AUDIENCE": AUDIENCE})


def test_google_config_domain_allows_all():
    config = google_oauth_config({"NBPLATFORM_GOOGLE_HOSTED_DOMAINS": "Example.com"})
    assert config["hosted_domain"] == ["example.com"]
    assert config["allow_all"] is True


def test_google_config_users_restrict():
    config = google_oauth_config({"NBPLATFORM_GOOGLE_HOSTED_DOMAINS": "example.com", "NBPLATFORM_ALLOWED_USERS": "alice,bob"})
    assert config["allowed_users"] == {"alice", "bob"}
    assert "allow_all" not in config


def test_google_config_groups():
    env = {
        "NBPLATFORM_GOOGLE_GROUPS": "data@example.com, ml@example.com",
        "NBPLATFORM_GOOGLE_ADMIN_GROUPS": "hub-admins@example.com",
        "NBPLATFORM_GOOGLE_SERVICE_ACCOUNT_KEY": "/secrets/sa.json",
        "NBPLATFORM_GOOGLE_ADMIN_EMAIL": "admin@example.com",
    }
    config = google_oauth_config(env)
    assert config["allowed_google_groups"] == {"example.com": {"data", "ml"}}
    assert config["admin_google_groups"] == {"example.com": {"hub-admins"}}
    assert config["google_service_account_keys"] == {"example.com": "/secrets/sa.json"}
    assert config["gsuite_administrator"] == {"example.com": "admin@example.com"}


def test_google_config_groups_need_credentials():
    with pytest.raises(ConfigError, match="NBPLATFORM_GOOGLE_SERVICE_ACCOUNT_KEY and NBPLATFORM_GOOGLE_ADMIN_EMAIL"):
        google_oauth_config({"NBPLATFORM_GOOGLE_GROUPS": "data@example.com"})


def test_google_config_bad_group():
    with pytest.raises(ConfigError, match="'data'"):
        google_oauth_config({"NBPLATFORM_GOOGLE_GROUPS": "data"})


def test_google_config_requires_allow_rule():
    with pytest.raises(ConfigError, match="no allow rule"):
        google_oauth_config({})


def test_configure_google_accepted_by_oauthenticator():
    c = Config()
    env = {
        "NBPLATFORM_AUTH": "google",
        "NBPLATFORM_GOOGLE_HOSTED_DOMAINS": "example.com",
        "NBPLATFORM_GOOGLE_GROUPS": "data@example.com",
        "NBPLATFORM_GOOGLE_SERVICE_ACCOUNT_KEY": "/secrets/sa.json",
        "NBPLATFORM_GOOGLE_ADMIN_EMAIL": "admin@example.com",
    }
    configure_authenticator(c, "gke", env)
    auth = GoogleOAuthenticator(config=c)
    assert c.JupyterHub.authenticator_class == "oauthenticator.google.GoogleOAuthenticator"
    assert auth.hosted_domain == ["example.com"]
    assert auth.allowed_google_groups == {"example.com": {"data"}}
    assert auth.manage_groups is True
