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
    return "".join(_parted(line) if "****" in line else line for line in text.splitlines(keepends=True))


def _parted(line: str) -> str:
    pieces, position, pairs = [], 0, 0  # the `**` before each run counted once: linear in the line
    for found in _JOINED_STRONG.finditer(line):
        pairs += line.count("**", position, found.start())
        pieces += [line[position:found.start()], "**" + NOT_A_BLOCK if pairs % 2 else "**"]
        position = found.end()
        pairs += 1  # the half written
    return "".join(pieces) + line[position:]
