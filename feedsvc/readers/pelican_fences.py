"""Fenced code as Python-Markdown (Pelican's fenced_code) closes it: at the first later line
that repeats the opening fence exactly (the same run of backticks or tildes, then nothing but
spaces), at the start of the line. cmark also closes at a longer run, or at one indented 1 to
3 spaces: where such a line comes first, the block's two fence lines are made longer than
it, so that cmark closes where Python-Markdown does. A fence with no such closing line is
left as it is.

Each line is looked at once: the closing lines of each fence are listed beforehand, and the
lines cmark could close at are visited only inside the block they are in.
"""

from __future__ import annotations

from bisect import bisect_right

from .markdown_code import FENCE, closes

FENCE_CHARACTERS = "`~"


def _run(line: str) -> str:
    """The fence a line starts with (3 or more backticks or tildes at its start), or ""."""
    found = FENCE.match(line)
    return found.group(1) if found and not found.start(1) else ""


def python_markdown_closes(text: str) -> str:
    """text with its fenced blocks closed where Python-Markdown closes them (see above)."""
    if "```" not in text and "~~~" not in text:
        return text
    lines = text.split("\n")
    exact: dict[str, list[int]] = {}  # a fence alone on its line: where it stands
    closers: dict[str, list[int]] = {"`": [], "~": []}  # lines cmark may close a block at
    for number, line in enumerate(lines):
        stripped = line.strip(" ")
        if len(stripped) >= 3 and stripped[0] in FENCE_CHARACTERS and not stripped.strip(stripped[0]):
            closers[stripped[0]].append(number)
            if line.rstrip(" ") == stripped:
                exact.setdefault(stripped, []).append(number)
    number = 0
    while number < len(lines):
        fence = _run(lines[number])
        found = exact.get(fence, []) if fence else []
        position = bisect_right(found, number)
        if position == len(found):
            number += 1
            continue
        close = found[position]
        inner = closers[fence[0]]
        between = inner[bisect_right(inner, number):bisect_right(inner, close - 1)]
        longest = max((len(lines[at].strip(" ")) for at in between if closes(fence, lines[at])), default=0)
        if longest:
            longer = fence[0] * (longest + 1)
            lines[number] = longer + lines[number][len(fence):]
            lines[close] = longer
        number = close + 1
    return "\n".join(lines)
