"""kramdown's math: `$$...$$` written for MathJax as Jekyll's kramdown writes it, `\\[...\\]`
for a block of math (a paragraph of its own, or all a list item's line holds), else
`\\(...\\)`; its content is not Markdown (readers.kramdown applies this last)."""

from __future__ import annotations

import re

from .kramdown_blocks import is_block
from .markdown_code import starts_html_block

# Math ends with its paragraph: no blank line inside (each "$$" looks on to the next one).
MATH = re.compile(r"(\\)?\$\$((?:[^$\n]++|\$(?!\$)|\n(?![ \t]*\n))*?)\$\$")
_BLOCK_START = re.compile(r"(?:^|\n[ \t]*\n)[ ]{0,3}$")
_BLOCK_END = re.compile(r"[ \t]*(?:\n[ \t]*\n|\n?$)")
# A list item's marker starting a line, after its indentation.
_ITEM_START = re.compile(r"[ \t]*(?:[*+-]|\d{1,9}\.)[ \t]+")
_LINE_END = re.compile(r"[ \t]*\n")
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
        value = _PUNCTUATION.sub(r"\\\1", match.group(2).strip())  # cmark shows it as it is
        before = text[max(0, match.start() - LOOK_BACK):match.start()]
        if _BLOCK_START.search(before) and _BLOCK_END.match(text, match.end()) or _alone_in_item(text, match):
            return f"\\\\[{value}\\\\]"
        return f"\\\\({value}\\\\)"

    return MATH.sub(written, text) if "$$" in text else text


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
