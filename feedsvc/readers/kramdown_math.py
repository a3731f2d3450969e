"""kramdown's math: `$$...$$` written for MathJax as Jekyll's kramdown writes it, `\\[...\\]`
for a block of math (a paragraph of its own, or all a list item's line holds), else
`\\(...\\)`; its content is not Markdown (readers.kramdown applies this last)."""

from __future__ import annotations

import re

from .kramdown_blocks import is_block
from .markdown_code import starts_html_block

# Math ends with its paragraph: no blank line inside (each "$$" looks on to the next one).
MATH = re.compile(r"(\\)?\$\$((?:[^$\n]++|\$(?!\$)|\n(?![ \t]*\n))*?)\$\$")
# A blank line before math, and one after it (or the text's end): in a quote too, its markers
# before each line; and in a list item, however its text is indented (`\t  $$x$$`).
_BLOCK_START = re.compile(r"(?:^|\n(?:[ \t]*+>)*+[ \t]*+\n)(?:[ \t]*+>)*+[ \t]*+$")
_BLOCK_END = re.compile(r"[ \t]*+(?:\n(?:[ \t]*+>)*+[ \t]*+(?:\n|$)|\n?$)")
# A list item's marker starting a line, after its indentation.
_ITEM_START = re.compile(r"[ \t]*(?:[*+-]|\d{1,9}\.)[ \t]+")
_LINE_END = re.compile(r"[ \t]*\n")
_QUOTED_LINE = re.compile(r"[ ]{0,3}>")
_LINE_MARKERS = re.compile(r"\n(?:[ \t]*+>)++")  # a quote's markers at a line's start
LOOK_BACK = 200  # enough to see a blank line before `$$`, at a constant cost
_PUNCTUATION = re.compile(r"""([!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])""")


# Math spans past which a text's `$$` are left as written: each is looked at in Python (5 MB
# of `$` took 6.4 s); a long post holds a few hundred.
MAX_MATH = 5_000


def math(text: str) -> str:
    if text.count("$$") > 2 * MAX_MATH:
        return text
    block_start, looked = 0, 0  # where the block holding the last match starts; looked up to

    def written(match: re.Match[str]) -> str:
        nonlocal block_start, looked
        blank = text.rfind("\n\n", looked, match.start())  # from the last match on: linear
        block_start, looked = (blank + 2 if blank >= 0 else block_start), match.start()
        if match.group(1) or starts_html_block(text[block_start:block_start + LOOK_BACK], is_block):
            return match.group(0)  # `\$$` is text, and a block of HTML (html_blocks made it one) raw
        value = _PUNCTUATION.sub(r"\\\1", _unquoted(text, match).strip())  # cmark shows it as it is
        before = text[max(0, match.start() - LOOK_BACK):match.start()]
        if _BLOCK_START.search(before) and _BLOCK_END.match(text, match.end()) or _alone_in_item(text, match):
            return f"\\\\[{value}\\\\]"
        return f"\\\\({value}\\\\)"

    return MATH.sub(written, text) if "$$" in text else text


def _unquoted(text: str, math: re.Match[str]) -> str:
    """The math's content; when it starts in a quote, without the quote's markers at the
    start of its other lines (kramdown reads a quote's text without them)."""
    content = math.group(2)
    if "\n" not in content:
        return content
    window = max(0, math.start() - LOOK_BACK)  # a line's markers are near its start: a constant cost
    line_start = text.rfind("\n", window, math.start()) + 1
    if not line_start and window or not _QUOTED_LINE.match(text, line_start):
        return content
    return _LINE_MARKERS.sub("\n", content)


def _alone_in_item(text: str, math: re.Match[str]) -> bool:
    """Whether math is all a list item's line holds (`* $$x$$`), a blank line, the text's end
    or another item's line (of its list or a nested one) after it: kramdown reads it as a block
    of math, the item's first (and last before a nested list)."""
    window = max(0, math.start() - LOOK_BACK)  # a marker is short: a constant cost
    newline = text.rfind("\n", window, math.start())
    if newline < 0 and window > 0:
        return False
    marker = _ITEM_START.fullmatch(text, newline + 1, math.start())
    if marker is None:
        return False
    if _BLOCK_END.match(text, math.end()):
        return True
    line_end = _LINE_END.match(text, math.end())
    following = _ITEM_START.match(text, line_end.end()) if line_end else None
    return following is not None


# `$$` starting a line (a block of math may start there).
_BLOCK_OPENING = re.compile(r"^ {0,3}\$\$", re.MULTILINE)
_BLANK_LINES = re.compile(r"\n[ \t]*(?=\n)")


def blocks_joined(text: str) -> str:
    """A block of math that goes on past a blank line (`$$` after a blank line, a formula
    split in two by one, `$$` ending its line before another blank line or the end), which
    kramdown reads whole, without its blank lines: the math of a paragraph is read so, and
    the blocks read apart would show its '$$' as text."""
    pieces, position = [], 0
    for opening in _BLOCK_OPENING.finditer(text):
        if opening.start() < position or opening.start() and not _after_blank(text, opening.start()):
            continue
        close = text.find("$$", opening.end())
        end = _BLOCK_END.match(text, close + 2) if close >= 0 else None
        if end is None or "\n" not in text[opening.end():close].strip(" \t"):
            continue
        inner = text[opening.end():close]
        if _BLANK_LINES.search(inner):
            pieces += [text[position:opening.end()], _BLANK_LINES.sub("", inner)]
            position = close
    return "".join(pieces) + text[position:] if pieces else text


def _after_blank(text: str, start: int) -> bool:
    line_end = start - 1  # the newline before the line
    previous = text.rfind("\n", 0, line_end) + 1
    return not text[previous:line_end].strip()
