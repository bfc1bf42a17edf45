"""An ``argparse`` parser whose own words (usage, section titles, usage errors) follow ``LANG``.

Python ships no Japanese catalog for ``argparse``, and installing one through
``gettext`` would change every parser in the process. This subclass replaces
the few texts that ``nbplatform`` prints instead. Subparsers inherit the
class, so one parser at the top covers every subcommand.
"""

from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from typing import NoReturn

from ..i18n import DEFAULT_LOCALE, locale_from_env
from .messages import CATALOG

#: Catalog keys of argparse's usage errors, tried in order against its English text.
USAGE_ERROR_KEYS = (
    "argparse-required",
    "argparse-unrecognized",
    "argparse-invalid-choice",
    "argparse-invalid-value",
    "argparse-expected-one",
    "argparse-expected-at-most-one",
    "argparse-expected-at-least-one",
    "argparse-expected-count",
    "argparse-ambiguous",
    "argparse-not-allowed-with",
    "argparse-one-required",
)


def _pattern(template: str) -> re.Pattern[str]:
    """Turn an English catalog template into a regex with one named group per field."""
    parts = re.split(r"\{(\w+)\}", template)
    regex = ""
    for index, part in enumerate(parts):
        regex += f"(?P<{part}>.+?)" if index % 2 else re.escape(part)
    return re.compile(f"^{regex}$", re.DOTALL)


def translate_usage_error(text: str, locale: str) -> str:
    """Return argparse's English error ``text`` in ``locale``; text it does not recognise stays English."""
    if locale == DEFAULT_LOCALE:
        return text
    wrapper = _pattern(CATALOG.texts("argparse-argument")["en"]).match(text)
    if wrapper:
        inner = translate_usage_error(wrapper["message"], locale)
        return CATALOG.get("argparse-argument", locale, argument=wrapper["argument"], message=inner)
    for key in USAGE_ERROR_KEYS:
        match = _pattern(CATALOG.texts(key)["en"]).match(text)
        if match:
            return CATALOG.get(key, locale, **match.groupdict())
    return text


#: Characters that must not start a line in Japanese text (closing brackets and punctuation).
_NO_LINE_START = set("、。，．）」』】〕：！？ー・")
#: Opening brackets, which must not end a line.
_NO_LINE_END = set("（「『【〔")

def _display_width(text: str) -> int:
    """Return the number of terminal columns ``text`` takes (wide East Asian characters take two)."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _is_wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in "WF"


def wrap_wide(text: str, width: int) -> list[str]:
    """Wrap ``text`` to ``width`` terminal columns, breaking between wide characters or at spaces.

    textwrap breaks only at whitespace and counts a wide character as one
    column, so Japanese help would overflow the terminal. A closing bracket or
    punctuation mark stays at the end of the line before it.
    """
    # Split into runs of spaces, single wide characters, and words of narrow
    # characters (which must not be broken, such as option names and paths).
    words: list[str] = []
    for match in re.finditer(r"\s+|[^\s]", text):
        token = match.group()
        previous = words[-1] if words else ""
        token_is_narrow = not token.isspace() and not _is_wide(token)
        previous_is_narrow = bool(previous) and not previous.isspace() and not _is_wide(previous[-1])
        if token_is_narrow and previous_is_narrow:
            words[-1] += token
        else:
            words.append(token)
    lines: list[str] = []
    line = ""
    for word in words:
        if word.isspace():
            if line:
                line += " "
            continue
        if line and _display_width(line) + _display_width(word) > width and word[0] not in _NO_LINE_START:
            carried = ""
            while line and line[-1] in _NO_LINE_END:
                line, carried = line[:-1], line[-1] + carried
            lines.append(line.rstrip())
            line = carried
        line += word
    if line.strip():
        lines.append(line.rstrip())
    return lines


class LocalizedHelpFormatter(argparse.HelpFormatter):
    """Help formatter that writes the ``usage:`` prefix in the parser's locale and wraps wide text by columns."""

    usage_prefix: str | None = None

    def add_usage(self, usage, actions, groups, prefix=None) -> None:  # type: ignore[no-untyped-def]
        super().add_usage(usage, actions, groups, prefix if prefix is not None else self.usage_prefix)

    def _format_usage(self, usage, actions, groups, prefix) -> str:  # type: ignore[no-untyped-def]
        # argparse indents the continuation lines by len(prefix); a wide
        # prefix such as "使い方: " takes more columns than characters.
        text = super()._format_usage(usage, actions, groups, prefix)
        extra = _display_width(prefix) - len(prefix) if prefix else 0
        if extra <= 0:
            return text
        lines = text.split("\n")
        shifted = [" " * extra + line if line.startswith(" ") else line for line in lines[1:]]
        return "\n".join([lines[0], *shifted])

    def _split_lines(self, text: str, width: int) -> list[str]:
        if not any(_is_wide(char) for char in text):
            return super()._split_lines(text, width)
        return wrap_wide(self._whitespace_matcher.sub(" ", text).strip(), width)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        if not any(_is_wide(char) for char in text):
            return super()._fill_text(text, width, indent)
        lines = wrap_wide(self._whitespace_matcher.sub(" ", text).strip(), width - len(indent))
        return "\n".join(indent + line for line in lines)


class LocalizedArgumentParser(argparse.ArgumentParser):
    """ArgumentParser that prints its usage line, section titles and usage errors in ``locale``.

    ``locale`` defaults to the one ``LC_ALL``, ``LC_MESSAGES`` or ``LANG`` selects (first one set).
    """

    def __init__(self, *args, locale: str | None = None, **kwargs) -> None:  # type: ignore[no-untyped-def]
        add_help = kwargs.pop("add_help", True)
        kwargs.setdefault("formatter_class", LocalizedHelpFormatter)
        super().__init__(*args, add_help=False, **kwargs)
        self.locale = locale or locale_from_env()
        self._positionals.title = CATALOG.get("argparse-positionals", self.locale)
        self._optionals.title = CATALOG.get("argparse-options", self.locale)
        if add_help:
            prefix = "-" if "-" in self.prefix_chars else self.prefix_chars[0]
            self.add_argument(
                prefix + "h",
                prefix * 2 + "help",
                action="help",
                default=argparse.SUPPRESS,
                help=CATALOG.get("argparse-help", self.locale),
            )

    def _get_formatter(self) -> argparse.HelpFormatter:
        formatter = super()._get_formatter()
        if isinstance(formatter, LocalizedHelpFormatter):
            formatter.usage_prefix = CATALOG.get("argparse-usage", self.locale)
        return formatter

    def error(self, message: str) -> NoReturn:
        """Print the usage and the error in the parser's locale, then exit with status 2."""
        self.print_usage(sys.stderr)
        text = translate_usage_error(message, self.locale)
        self.exit(2, CATALOG.get("cli-error", self.locale, prog=self.prog, message=text) + "\n")
