"""Where Markdown source is code, for rewrites of the source that must leave code as it is:
fenced code blocks (``` or ~~~) and code spans (a run of backticks up to the next run of
the same length). Found in one pass each: no backtracking regex, no rescanning.
"""

from __future__ import annotations

import re
from collections.abc import Callable

FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_BACKTICKS = re.compile(r"`+")


def closes(fence: str, line: str) -> bool:
    """Whether line closes a fenced block opened by fence (its backticks or tildes)."""
    stripped = line.strip()
    return stripped.startswith(fence) and not stripped.strip(fence[0]) and len(line) - len(line.lstrip(" ")) < 4


def _escaped(text: str, position: int) -> int:
    """1 when the character at position is escaped by a backslash (an odd run before it)."""
    run = 0
    while run < position and text[position - run - 1] == "\\":
        run += 1
    return run % 2


def split_code_spans(text: str) -> list[tuple[str, bool]]:
    """text as (piece, is_code) pieces, code spans apart."""
    runs = [(found.start() + _escaped(text, found.start()), found.end()) for found in _BACKTICKS.finditer(text)]
    runs = [(start, end) for start, end in runs if start < end]
    following: list[int | None] = [None] * len(runs)  # the next run of the same length
    last: dict[int, int] = {}
    for index in range(len(runs) - 1, -1, -1):
        length = runs[index][1] - runs[index][0]
        following[index], last[length] = last.get(length), index
    pieces: list[tuple[str, bool]] = []
    position, index = 0, 0
    while index < len(runs):
        closing = following[index]
        if closing is None:
            index += 1
            continue
        pieces += [(text[position:runs[index][0]], False), (text[runs[index][0]:runs[closing][1]], True)]
        position, index = runs[closing][1], closing + 1
    return [*pieces, (text[position:], False)]


def outside_code(text: str, rewrite: Callable[[str], str],
                 blocks: Callable[[str], str] | None = None) -> str:
    """text with rewrite applied to each stretch between fenced code blocks, code spans left
    out (each stretch rewritten whole: what it rewrites may span lines); blocks, if given,
    rewrites each whole stretch first."""
    lines = text.split("\n")
    out: list[str] = []
    prose: list[str] = []
    fence = ""

    def flush() -> None:
        if prose:
            stretch = "\n".join(prose)
            stretch = blocks(stretch) if blocks else stretch
            out.append("".join(piece if code else rewrite(piece) for piece, code in split_code_spans(stretch)))
            prose.clear()

    for line in lines:
        if fence:
            out.append(line)
            fence = "" if closes(fence, line) else fence
        elif opening := FENCE.match(line):
            flush()
            out.append(line)
            fence = opening.group(1)
        else:
            prose.append(line)
    flush()
    return "\n".join(out)
