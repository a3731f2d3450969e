"""Hugo's findRE and replaceRE: a site's pattern run by RE2 (linear in the text whatever
the pattern), for a bounded number of matches. findRE looks at the text's first
MAX_FIND_TEXT characters; replaceRE of a longer text, or one writing over MAX_REPLACED
characters, is Hugo's to run (None), as is a pattern RE2 refuses."""

from __future__ import annotations

import re
from itertools import islice
from typing import Any

from .patterns import MAX_PATTERN_CHARS, compile_site_pattern

MAX_FIND_TEXT = 65536  # characters findRE searches in
MAX_FINDS = 1000  # matches it returns (replaceRE replaces) at most
MAX_REPLACED = 4 * MAX_FIND_TEXT  # characters replaceRE writes at most (`$0$0…` would multiply them)
# What Go's Regexp.Expand reads in a replacement: `$$`, `${name}`, `$name` (longest name).
_GO_EXPANSION = re.compile(r"\$(?:\$|\{([A-Za-z0-9_]{1,100})\}|([A-Za-z0-9_]{1,100}))")


def find_all(pattern: str, text: str, limit: int = -1) -> list[str] | None:
    """findRE: the matches in text's first MAX_FIND_TEXT characters (the first limit of them,
    MAX_FINDS at most)."""
    compiled, _reason = compile_site_pattern(pattern)
    if compiled is None:
        return None
    # Each search is linear, but all of them over a long text are not: text and matches bounded.
    matches = (match.group(0) for match in compiled.finditer(text[:MAX_FIND_TEXT]))
    return list(islice(matches, min(limit, MAX_FINDS) if limit >= 0 else MAX_FINDS))


def replace_all(pattern: str, replacement: str, text: str, limit: int = -1) -> str | None:
    """replaceRE: every match (the first limit of them) replaced, `$1`, `${1}`, `$name` and
    `$$` expanded as Go's Expand does (a group the pattern lacks is "")."""
    compiled, _reason = compile_site_pattern(pattern)
    if compiled is None or len(text) > MAX_FIND_TEXT or len(replacement) > MAX_PATTERN_CHARS:
        return None
    if limit == 0:
        return text

    written = [0]  # characters the replacements wrote so far

    def expanded(found: re.Match[str]) -> str:
        value = replacement
        if "$" in replacement:
            value = _GO_EXPANSION.sub(lambda reference: _group(found, reference), replacement)
        written[0] += len(value)
        if written[0] > MAX_REPLACED:
            raise _TooLong
        return value

    try:
        result, count = compiled.subn(expanded, text, count=min(limit, MAX_FINDS) if limit > 0 else MAX_FINDS + 1)
    except _TooLong:
        return None
    return None if count > MAX_FINDS else result


class _TooLong(Exception):
    """The replacements wrote over MAX_REPLACED characters."""


def _group(found: Any, reference: re.Match[str]) -> str:
    name = reference.group(1) or reference.group(2)
    if name is None:
        return "$"
    try:
        return found.group(int(name) if name.isdigit() else name) or ""
    except (IndexError, KeyError):
        return ""
