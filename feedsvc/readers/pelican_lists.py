"""The lines of Markdown lists as Python-Markdown (Pelican's) reads them, rewritten so that cmark
reads them alike (readers.pelican_markdown walks the source and calls these):

- lists nest by 4 columns a level, whatever the width of the item's marker (nested);
- a line right under an item's indented code, less indented, is a paragraph of that item;
- a block that an item's paragraph starts (under a blank line, indented) is that paragraph
  whole: Python-Markdown reads the block so, and a `- item` line in it is text;
- a marker alone on its line (`3.`, `-`) starts no item: Python-Markdown's items need a space
  after the marker, cmark's not (bare_marker);
- a `#` 1 to 3 columns past a level's indent starts no heading: Python-Markdown keeps those
  spaces before it in the item; nor one at a level's indent right under the item's text (it
  keeps the line's indent there), only under a blank line (a heading then, with or without a
  space after its `#` run);
- a quote's `>` line right under an item's line, not indented, is a quote in that item, up to
  the next item's line or blank line (quote_in_item); cmark would end the list there.
"""

from __future__ import annotations

import re

ITEM = re.compile(r"([*+-]|\d+\.)[ \t]+")  # an item's marker, the spaces after it
_BARE_MARKER = re.compile(r" {0,3}(?:[*+-]|\d+\.)")
# A line Python-Markdown's lists start an item with (its CHILD_RE and INDENT_RE): it ends a quote in an item
_ITEM_LINE = re.compile(r" {0,7}(?:[*+-]|\d+\.) ")
_TIGHT_HEADING = re.compile(r" *#{1,6}(?=[^# \t])")


def nested(line: str, columns: list[int]) -> str:
    """A line of a list, indented so that cmark nests it where Python-Markdown does: one level
    each 4 columns (cmark nests under an item from the column its text starts at). columns:
    that column for each open level's last item, updated by an item."""
    text, depth, beyond = _list_place(line, columns)  # 4 or more past the deepest item: code in both
    base = (columns[depth - 1] if depth else 0) + (beyond if beyond >= 4 else 0)
    item = ITEM.match(text) if beyond < 4 else None
    if item is None:
        return " " * base + text
    del columns[depth:]
    columns.append(base + len(item.group(1)) + 1)
    return " " * base + item.group(1) + (" " + text[item.end():] if text[item.end():] else "")


def _list_place(line: str, columns: list[int]) -> tuple[str, int, int]:
    """A list line's text, the level it is at and how many columns past that level it starts."""
    text = line.lstrip(" \t")
    indent = len(line[: len(line) - len(text)].expandtabs(4))
    depth = min(indent // 4, len(columns))
    return text, depth, indent - 4 * depth


def list_line(line: str, block: str, columns: list[int]) -> tuple[str, str]:
    """A line of a list (block: "list", "list-code", "list-para", or "after-list" for one
    under blank lines that goes on with the list), placed for cmark, and the block it leaves
    open: "list-code" for an item's indented code, "list-para" in a block that an item's
    paragraph starts, "list" otherwise."""
    text, depth, beyond = _list_place(line, columns)
    paragraph = block == "list-para" or (block == "after-list" and beyond < 4 and not ITEM.match(text))
    if paragraph and block == "after-list":
        del columns[depth:]  # a paragraph of an item under a blank line: the lists inside it end
    code = block != "list-para" and bool(columns) and _list_place(line, columns)[2] >= 4  # 4 past its level
    if block == "list-para" and (item := ITEM.match(text)):
        line = " " * (columns[-1] if columns else 0) + text[: item.end(1) - 1] + "\\" + text[item.end(1) - 1:]
    elif block == "list-code" and not code and columns and not ITEM.match(text):
        # Right under an item's indented code, less indented: Python-Markdown reads the
        # line with the code's block, in that item (a paragraph of it); cmark would end the list.
        line = " " * columns[-1] + text
    else:
        line = nested(line, columns)
    if text.startswith("#") and not code and (0 < beyond < 4 or (beyond == 0 and depth and block == "list")):
        # 1 to 3 columns past its level, the line keeps those spaces in Python-Markdown's
        # item: `  #7](url)` under `See [Issue` is text, no heading (cmark reads it unindented);
        # at a level's indent right under the item's text too (a heading under a blank line)
        line = line.replace("#", "\\#", 1)
    elif text.startswith("#") and not code and beyond == 0:
        # A heading, which needs no space after its `#` run in Python-Markdown (`#zz = 1`), in cmark does
        line = _TIGHT_HEADING.sub(r"\g<0> ", line, count=1)
    if block == "list" and depth >= len(columns) and not code and text.startswith(">"):  # under an item's text,
        line = line.replace(">", "\\>", 1)  # 4 past its marker: that text to Python-Markdown, a quote to cmark
    return line, "list-code" if code else "list-para" if paragraph else "list"


def bare_marker(line: str, block: str, columns: list[int]) -> tuple[str, str] | None:
    """A line holding only a list's marker, as cmark reads it as Python-Markdown does, and the
    block it leaves open; None for any other line, or one under a paragraph's line (cmark
    starts no item there either; a `-` there underlines a heading in both)."""
    if block in ("html", "raw", "comment") or block.startswith("para") or not _BARE_MARKER.fullmatch(line):
        return None
    if block == "list" and line.endswith("-") and columns:  # under an item's text: its heading's underline
        return " " * columns[-1] + "-", block
    escaped = line[:-1] + "\\" + line[-1]  # text; in a list, a line of its last item
    return escaped, block if block in ("list-para", "list") else "list" if block == "list-code" else "para"


def quote_in_item(block: str, columns: list[int], after_blank: bool) -> str | None:
    """Where a quote's `>` line starting right under a line of an item's text goes for cmark:
    indented to that item's text, as Python-Markdown splits the item's lines into items
    first and reads the quote in the item; None when the line is not in a list so."""
    if after_blank or block not in ("list", "list-para") or not columns:
        return None
    return " " * columns[-1]


def ends_item_quote(line: str) -> bool:
    """Whether a line without `>` ends a quote that quote_in_item placed: a blank line, or an
    item's line (an indented one too: a nested item of the quote's item); any other line goes
    on with the quote in both, as the item's line in Python-Markdown, lazily in cmark."""
    return not line.strip() or bool(_ITEM_LINE.match(line.expandtabs(4)))
