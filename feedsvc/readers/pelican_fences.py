"""Fenced code as Python-Markdown (Pelican's fenced_code) closes it: at the first later line
that repeats the opening fence exactly (the same run of backticks or tildes, then nothing but
spaces), at the start of the line. cmark also closes at a longer run, or at one indented 1 to
3 spaces: where such a line comes first, the block's two fence lines are made longer than
it, so that cmark closes where Python-Markdown does. A fence with no such closing line is
left as it is.

Each line is looked at once: the closing lines of each fence are listed beforehand, and the
lines cmark could close at are visited only inside the block they are in.

Python-Markdown takes its fenced blocks out before it reads blocks of HTML: a fence right
under a tag's line (`<div class="half">`) is code, in that element. To cmark a block of HTML
goes on to the next blank line, the fence's lines with it: a blank line is set before such a
fence, and after it, where the element goes on, its lines unindented (an indented line after
a blank one would be code to cmark) (fences_apart).
"""

from __future__ import annotations

import re
from bisect import bisect_right

from .markdown_code import FENCE, closes

FENCE_CHARACTERS = "`~"
_TAG_LINE = re.compile(r" {0,3}<[A-Za-z/!]")  # a line that may start a block of HTML to cmark


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


def fences_apart(text: str) -> str:
    """text with each fenced block that a block of HTML holds (it starts under the block's
    line, Python-Markdown closes it) apart from that block's lines (see above)."""
    if ("```" not in text and "~~~" not in text) or "<" not in text:
        return text
    lines = text.split("\n")
    closing: dict[str, list[int]] = {}  # where each fence stands alone on its line
    for number, line in enumerate(lines):
        if (run := _run(line)) and line.rstrip(" ") == run:
            closing.setdefault(run, []).append(number)
    out: list[str] = []
    html, after, close = False, False, -1  # in a block of HTML; right after a fence in one; its end
    for number, line in enumerate(lines):
        if number <= close:
            out.append(line)
            after = number == close
            continue
        if not line.strip():
            html = after = False
        elif html and (run := _run(line)) and (found := closing.get(run)) and bisect_right(found, number) < len(found):
            close = found[bisect_right(found, number)]
            out.append("")
        elif after:  # the element goes on under the fence: apart from it, not indented
            out.append("")
            line, after, html = line.lstrip(" \t"), False, True
        else:
            html = html or bool(_TAG_LINE.match(line))
        out.append(line)
    return "\n".join(out)
