"""Fenced code as Python-Markdown (Pelican's fenced_code) reads it, made so for cmark.

Python-Markdown finds its fenced blocks first, in the whole text (fenced_blocks, the one home
of its rule): a line opens one only at the start of the source's line (not indented, not in a
quote), with an info string it accepts (nothing, a word such as `c++` or `.lang`, `{attrs}`,
`hl_lines="…"`), and only when a later line repeats the opening fence exactly (the same run of
backticks or tildes, then nothing but spaces), where the block closes. Any other fence line is
text to it (` ```error: a message`, a fence with no closing line, ` > ```py`); its backticks
then pair as a code span's (readers.pelican_code_spans). cmark reads such a line as a fence:
it is marked (pelican_escapes.TEXT_LINE) so that cmark, and the reader's passes, read it as
text.

cmark also closes a block at a longer run, or at one indented 1 to 3 spaces: where such a
line comes first, the block's two fence lines are made longer than it, so that cmark closes
where Python-Markdown does.

Python-Markdown takes its fenced blocks out before it reads blocks of HTML: a fence right
under a tag's line (`<div class="half">`) is code, in that element. To cmark a block of HTML
goes on to the next blank line, the fence's lines with it: a blank line is set before such a
fence, and after it, where the element goes on, its lines unindented (an indented line after
a blank one would be code to cmark) (_apart).

Each line is looked at once: the closing lines of each fence are listed beforehand, and the
lines cmark could close at are visited only inside the block they are in.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from .markdown_code import closes, opens
from .pelican_escapes import TEXT_LINE

FENCE_CHARACTERS = "`~"
_TAG_LINE = re.compile(r" {0,3}<[A-Za-z/!]")  # a line that may start a block of HTML to cmark
_TAG_NAME = re.compile(r"<(/?)([A-Za-z][\w:-]*)")  # a start or end tag's name
_RUN = re.compile(r"`{3,}|~{3,}")
# What may follow an opening run on its line (FencedBlockPreprocessor.FENCED_BLOCK_RE, tabs
# being spaces to it): `{attrs}` to the line's end, or a language (`.lang`) then hl_lines.
_INFO = re.compile(r"""[ \t]*(?:\{[^}]*\}|\.?[\w#.+-]*[ \t]*(?:hl_lines=(["']).*?\1[ \t]*)?)""")
_QUOTES = re.compile(r"(?: {0,3}>)+ ?")


def fenced_blocks(lines: list[str]) -> dict[int, int]:
    """Python-Markdown's fenced blocks in lines (see above): each one's opening line's number
    and its closing line's, in order; its search goes on after each block's closing line."""
    exact: dict[str, list[int]] = {}  # a fence alone at the start of its line: where it stands
    for number, line in enumerate(lines):
        if line[:1] in FENCE_CHARACTERS and (run := _RUN.match(line)) and not line[run.end():].strip(" \t"):
            exact.setdefault(run.group(0), []).append(number)
    blocks: dict[int, int] = {}
    number = 0
    while number < len(lines):
        line = lines[number]
        run = _RUN.match(line) if line[:1] in FENCE_CHARACTERS else None
        found = exact.get(run.group(0), []) if run and _INFO.fullmatch(line, run.end()) else []
        position = bisect_right(found, number)
        if position == len(found):
            number += 1
            continue
        blocks[number] = found[position]
        number = found[position] + 1
    return blocks


def python_markdown_fences(text: str) -> tuple[str, bool]:
    """text with its fences made for cmark as Python-Markdown reads them (see above), and
    whether it holds a fenced block Python-Markdown reads."""
    if "```" not in text and "~~~" not in text:
        return text, False
    lines = text.split("\n")
    blocks = fenced_blocks(lines)
    _closed_as_python_markdown(lines, blocks)
    if TEXT_LINE not in text:
        _refused_marked(lines, blocks)
    return _apart(lines, blocks) if "<" in text and blocks else "\n".join(lines), bool(blocks)


def _closed_as_python_markdown(lines: list[str], blocks: dict[int, int]) -> None:
    """Each block's fence lines made longer than any line inside it cmark would close it at."""
    closers: dict[str, list[int]] = {"`": [], "~": []}  # lines cmark may close a block at
    for number, line in enumerate(lines):
        stripped = line.strip(" ")
        if len(stripped) >= 3 and stripped[0] in FENCE_CHARACTERS and not stripped.strip(stripped[0]):
            closers[stripped[0]].append(number)
    for start, close in blocks.items():
        fence = lines[close].rstrip(" \t")  # the opening line's run, alone on its line
        inner = closers[fence[0]]
        between = inner[bisect_right(inner, start):bisect_right(inner, close - 1)]
        longest = max((len(lines[at].strip(" ")) for at in between if closes(fence, lines[at])), default=0)
        if longest:
            longer = fence[0] * (longest + 1)
            lines[start] = longer + lines[start][len(fence):]
            lines[close] = longer


def _refused_marked(lines: list[str], blocks: dict[int, int]) -> None:
    """Each line outside Python-Markdown's blocks that cmark would open fenced code at (in a
    block quote too) marked before its run, so that it is text to cmark as well."""
    number = 0
    while number < len(lines):
        if number in blocks:
            number = blocks[number] + 1
            continue
        line = lines[number]
        if "```" in line or "~~~" in line:
            quoted = _QUOTES.match(line)
            start = quoted.end() if quoted else 0
            if opening := opens(line[start:]):
                at = start + opening.start(1)
                lines[number] = line[:at] + TEXT_LINE + line[at:]
        number += 1


def _apart(lines: list[str], blocks: dict[int, int]) -> str:
    """The lines with each fenced block that a block of HTML holds (it starts under the
    block's line) apart from that block's lines (see above); and the line that ends the
    block's element after such a fence apart from the next: Python-Markdown's block of HTML
    ends there (`</div>` then `-----`, a rule), cmark's would go on to a blank line."""
    out: list[str] = []
    html, after, close = False, False, -1  # in a block of HTML; right after a fence in one; its end
    name, depth, fenced = "", 0, False  # the block's element; how deep in it; whether a fence was in it
    for number, line in enumerate(lines):
        if number <= close:
            out.append(line)
            after = number == close
            continue
        if not line.strip():
            html = after = fenced = False
        elif html and number in blocks:
            close, fenced = blocks[number], True
            out.append("")
        elif after:  # the element goes on under the fence: apart from it, not indented
            out.append("")
            line, after, html = line.lstrip(" \t"), False, True
        elif not html and (start := _TAG_LINE.match(line)):
            html, depth = True, 0
            name = (tag.group(2).lower() if (tag := _TAG_NAME.match(line, start.end() - 2)) and not tag.group(1)
                    else "")
        out.append(line)
        if html and name and number not in blocks:
            depth += sum(-1 if tag.group(1) else 1 for tag in _TAG_NAME.finditer(line) if tag.group(2).lower() == name)
            if fenced and depth <= 0 and number + 1 < len(lines) and lines[number + 1].strip():
                out.append("")  # the element ends: Markdown again under it
                html = fenced = False
    return "\n".join(out)
