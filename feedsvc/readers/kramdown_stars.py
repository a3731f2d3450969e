"""Runs of `*` kramdown reads otherwise than cmark, rewritten for cmark (see kramdown.py)."""

from __future__ import annotations

import re

from .kramdown_code_spans import NOT_A_BLOCK

# The first half of a run of exactly four `*` between two characters that are neither white
# space nor `*` (`**a****b**`, `**<!--anchor-->****Title:**`).
_JOINED_STRONG = re.compile(r"(?<=[^\s*])\*\*(?=\*\*[^\s*])")


def joined_strongs(text: str) -> str:
    """`**a****b**` is two strong elements to kramdown, the first closed and the next opened
    at once; cmark reads the four stars as one run, which can neither close after
    punctuation nor open before a letter, and shows them. Where a strong is open before the
    run in its line, an empty processing instruction (which feeds leave out) parts its halves."""
    return "".join(_JOINED_STRONG.sub(lambda found: _parted(found, line), line) if "****" in line else line
                   for line in text.splitlines(keepends=True))


def _parted(found: re.Match[str], line: str) -> str:
    return "**" + NOT_A_BLOCK if line.count("**", 0, found.start()) % 2 else found.group(0)
