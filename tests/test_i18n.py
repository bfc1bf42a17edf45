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


# Messages rendered later, and errors that carry them ------------------------------

from nbplatform.errors import NbplatformError  # noqa: E402
from nbplatform.i18n import Message, render  # noqa: E402

PARTS = Catalog(
    {
        "outer": {"en": "{thing} is {state}.", "ja": "{thing}は{state}です。"},
        "broken": {"en": "broken", "ja": "壊れています"},
    }
)


def test_message_str_is_english():
    message = PARTS.message("outer", thing="x.yaml", state=PARTS.message("broken"))
    assert str(message) == "x.yaml is broken."


def test_message_renders_nested_japanese():
    message = PARTS.message("outer", thing="x.yaml", state=PARTS.message("broken"))
    assert message.render("ja") == "x.yamlは壊れていますです。"


def test_message_unknown_key_fails_early():
    with pytest.raises(KeyError, match="nope"):
        PARTS.message("nope")


def test_messages_equal_by_english_text():
    assert PARTS.message("broken") == PARTS.message("broken")
    assert len({PARTS.message("broken"), PARTS.message("broken")}) == 1


def test_render_plain_string_unchanged():
    assert render("plain", "ja") == "plain"


def test_error_keeps_english_and_renders_japanese():
    error = NbplatformError(PARTS.message("outer", thing="a", state="b"), reason="r")
    assert error.message == "a is b."
    assert str(error) == "a is b."
    assert error.render("ja") == "aはbです。"
    assert error.reason == "r"


def test_error_with_lines():
    error = NbplatformError([PARTS.message("broken"), "plain line"])
    assert error.message == "broken\nplain line"
    assert error.render("ja") == "壊れています\nplain line"


def test_error_from_text_has_only_english():
    assert NbplatformError("only English").render("ja") == "only English"
