"""Regular expressions a site's configuration writes: Hugo's ignoreFiles, Pelican's
FILENAME_METADATA and PATH_METADATA (and Jekyll's exclude globs, made expressions).

They are compiled with RE2, never with Python's re: a pattern from a content folder may be
written (or planted) to backtrack for minutes on a long file name, and RE2 matches in time
linear in the text whatever the pattern. RE2's syntax is Go's, which Hugo itself uses, and
takes Python's named groups `(?P<name>...)`, which Pelican's patterns are written with; what
it does not take (backreferences, lookaround) is left out, with the reason.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import re2

MAX_PATTERN_CHARS = 1000
# RE2's own bound on a compiled pattern's memory (its default is 8 MB): a{1000}{1000} stays small.
MAX_PATTERN_MEMORY = 1 << 20

_OPTIONS = re2.Options()
_OPTIONS.log_errors = False  # a refused pattern is reported by the caller, not on stderr
_OPTIONS.max_mem = MAX_PATTERN_MEMORY


def compile_site_pattern(pattern: Any, max_chars: int = MAX_PATTERN_CHARS) -> tuple[Any, str]:
    """The compiled pattern and "", or None and why it cannot be used."""
    if not isinstance(pattern, str) or not pattern:
        return None, "not a non-empty string"
    if len(pattern) > max_chars:
        return None, f"longer than {max_chars} characters"
    return _compile(pattern)


@lru_cache(maxsize=64)  # the same few patterns, for every file of a scan
def _compile(pattern: str) -> tuple[Any, str]:
    try:
        return re2.compile(pattern, _OPTIONS), ""
    except re2.error as error:
        return None, f"not a regular expression RE2 reads ({_reason(error)})"


def _reason(error: Exception) -> str:
    detail = error.args[0] if error.args else ""
    return (detail.decode("utf-8", "replace") if isinstance(detail, bytes) else str(detail)) or "invalid"
