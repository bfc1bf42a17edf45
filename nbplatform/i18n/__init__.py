"""Japanese and English messages for pages and the CLI.

Each room keeps its own :class:`Catalog` beside its code. The locale comes
from the browser's ``Accept-Language`` header for pages and from ``LANG`` /
``LC_ALL`` / ``LC_MESSAGES`` for the CLI. English is the fallback.

A room that raises errors for another room to show builds them from a
:class:`Message` (a catalog key plus fields) instead of a finished string.
``str()`` of a message is its English text, so logs and existing callers see
the same words, and the CLI or a page calls :meth:`Message.render` with the
reader's locale.
"""

from __future__ import annotations

import os
from typing import Mapping

SUPPORTED_LOCALES = ("en", "ja")
DEFAULT_LOCALE = "en"


def locale_from_accept_language(header: str | None) -> str:
    """Pick ``ja`` or ``en`` from an ``Accept-Language`` header, honouring q-values."""
    if not header:
        return DEFAULT_LOCALE
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")):
        pieces = part.strip().split(";")
        tag = pieces[0].strip().lower()
        quality = 1.0
        for param in pieces[1:]:
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        language = tag.split("-")[0]
        if language in SUPPORTED_LOCALES and quality > 0:
            ranked.append((-quality, position, language))
    if not ranked:
        return DEFAULT_LOCALE
    return min(ranked)[2]


def locale_from_env(environ: Mapping[str, str] | None = None) -> str:
    """Pick ``ja`` or ``en`` from ``LC_ALL``, ``LC_MESSAGES`` or ``LANG`` (first one set wins)."""
    env = os.environ if environ is None else environ
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(var)
        if value:
            language = value.split(".")[0].split("_")[0].lower()
            return language if language in SUPPORTED_LOCALES else DEFAULT_LOCALE
    return DEFAULT_LOCALE


class Catalog:
    """Messages keyed by id, each with an ``en`` and a ``ja`` text using ``str.format`` fields."""

    def __init__(self, messages: Mapping[str, Mapping[str, str]]) -> None:
        for key, texts in messages.items():
            missing = [loc for loc in SUPPORTED_LOCALES if loc not in texts]
            if missing:
                raise ValueError(f"message {key!r} has no text for locale(s) {missing}")
        self._messages = dict(messages)

    def keys(self) -> list[str]:
        return list(self._messages)

    def texts(self, key: str) -> dict[str, str]:
        """Return the text of ``key`` in every locale."""
        return dict(self._messages[key])

    def message(self, key: str, /, **fields: object) -> "Message":
        """Return message ``key`` with ``fields``, to be rendered later in the reader's locale.

        Raise KeyError at once for an unknown key, so a typo fails where the
        message is built rather than where it is shown.
        """
        if key not in self._messages:
            raise KeyError(f"no message {key!r} in this catalog")
        return Message(self, key, fields)

    def get(self, key: str, locale: str = DEFAULT_LOCALE, /, **fields: object) -> str:
        """Return the message ``key`` in ``locale`` with ``fields`` filled in."""
        texts = self._messages[key]
        template = texts.get(locale) or texts[DEFAULT_LOCALE]
        return template.format(**fields)


class Message:
    """A catalog message with its fields, rendered in a locale when it is shown.

    Field values that are themselves messages are rendered in the same locale,
    so a sentence can be built from translated parts. Two messages are equal
    when their English texts are.
    """

    __slots__ = ("catalog", "key", "fields")

    def __init__(self, catalog: Catalog, key: str, fields: Mapping[str, object]) -> None:
        self.catalog = catalog
        self.key = key
        self.fields = dict(fields)

    def render(self, locale: str = DEFAULT_LOCALE) -> str:
        """Return the text in ``locale`` (English for an unsupported one)."""
        fields = {name: value.render(locale) if isinstance(value, Message) else value for name, value in self.fields.items()}
        return self.catalog.get(self.key, locale, **fields)

    def __str__(self) -> str:
        return self.render(DEFAULT_LOCALE)

    def __repr__(self) -> str:
        return f"Message({self.key!r}, {self.fields!r})"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Message):
            return str(self) == str(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(str(self))


def render(text: "str | Message", locale: str = DEFAULT_LOCALE) -> str:
    """Return ``text`` in ``locale``: a message is rendered, a plain string is returned as it is."""
    return text.render(locale) if isinstance(text, Message) else str(text)
