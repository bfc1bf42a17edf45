import pytest

from nbplatform.i18n import Catalog, locale_from_accept_language, locale_from_env


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, "en"),
        ("ja", "ja"),
        ("ja-JP,ja;q=0.9,en;q=0.8", "ja"),
        ("en-US,en;q=0.9,ja;q=0.8", "en"),
        ("fr-FR,ja;q=0.5", "ja"),
        ("en;q=0.1,ja;q=0.9", "ja"),
        ("ja;q=0", "en"),
        ("de", "en"),
    ],
)
def test_locale_from_accept_language(header, expected):
    assert locale_from_accept_language(header) == expected


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, "en"),
        ({"LANG": "ja_JP.UTF-8"}, "ja"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({"LANG": "en_US.UTF-8", "LC_ALL": "ja_JP.UTF-8"}, "ja"),
    ],
)
def test_locale_from_env(environ, expected):
    assert locale_from_env(environ) == expected


def test_catalog_formats_fields():
    catalog = Catalog({"hello": {"en": "Hello {name}", "ja": "こんにちは {name}"}})
    assert catalog.get("hello", "ja", name="Ann") == "こんにちは Ann"
    assert catalog.get("hello", "fr", name="Ann") == "Hello Ann"


def test_catalog_requires_both_locales():
    with pytest.raises(ValueError, match="no text for locale"):
        Catalog({"hello": {"en": "Hello"}})
