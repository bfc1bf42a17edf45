"""Japanese and English messages for pages and the CLI.

Each room keeps its own :class:`Catalog` beside its code. The locale comes
from the browser's ``Accept-Language`` header for pages and from ``LANG`` /
``LC_ALL`` / ``LC_MESSAGES`` for the CLI. English is the fallback.
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

    def get(self, key: str, locale: str = DEFAULT_LOCALE, /, **fields: object) -> str:
        """Return the message ``key`` in ``locale`` with ``fields`` filled in."""
        texts = self._messages[key]
        template = texts.get(locale) or texts[DEFAULT_LOCALE]
        return template.format(**fields)
