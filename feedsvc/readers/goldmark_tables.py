"""Tables as Hugo's Goldmark reads them, written so in the source for cmark-gfm:

    short table header  a header row with fewer cells than its delimiter row is padded with empty
                        ones (Goldmark makes the table; cmark-gfm wants as many): short_header_rows
    indented table rows a row indented four spaces more than the table goes on in it (Goldmark
                        makes a table of a paragraph's lines, and indentation cannot interrupt a
                        paragraph); cmark-gfm starts a code block there: indented_table_rows
    lazy table rows     a table written unindented under a list item's or a quote's text is in the
                        item or quote (Goldmark makes a table of the paragraph's lines, lazy ones
                        too); cmark-gfm starts no table on a lazy line: lazy_table_rows

Each is one pass over the lines, fenced code left as it is.
"""

from __future__ import annotations

import re

from .markdown_code import FENCE, cell_count, closes, is_delimiter_row

_BLOCK_STARTS = "-+*#>`~<=_0123456789"  # what could start a block of its own
# A line of a paragraph, in quotes or a list item or not: its text starts with nothing that
# could start a block (a heading, fence, HTML, rule or another item). Possessive: read once.
_PARAGRAPH_LINE = re.compile(r"(?:[ ]{0,3}>[ ]?)*+(?:[ ]{0,3}(?:[-+*]|\d{1,9}[.)])[ \t]++)?+"
                             r"[ ]{0,3}[^\s#<>`~=|*_+\\-]")
# A line opening a list item or a quote (the item possibly in the quote): its markers, whose
# width the item's lines are indented by. Possessive and bounded: read once.
_CONTAINER_START = re.compile(r"((?:[ ]{0,3}>[ ]?)*+)([ ]{0,12}(?:[-+*]|\d{1,9}[.)])[ ]{1,4})?+(?=\S)")


def _indent(line: str) -> int:
    """The columns a line is indented, a tab to the next multiple of four (CommonMark's)."""
    column = 0
    for char in line:
        if char == " ":
            column += 1
        elif char == "\t":
            column += 4 - column % 4
        else:
            break
    return column


def indented_table_rows(markdown: str) -> str:
    """Rows of a table indented four spaces or more beyond its delimiter row brought back to
    its indentation, so that cmark-gfm reads them as rows as Goldmark does (it reads them as
    code). A row that would then start a block of its own (a list, quote, heading) is left."""
    if "|" not in markdown:
        return markdown
    lines, fence, table_indent = markdown.split("\n"), "", -1
    for number, line in enumerate(lines):
        if fence:
            fence = "" if closes(fence, line) else fence
        elif not line.strip():
            table_indent = -1
        elif table_indent >= 0 and _indent(line) >= table_indent + 4 and line.lstrip()[0] not in _BLOCK_STARTS:
            lines[number] = " " * table_indent + line.lstrip()
        elif table_indent < 0 and (opened := FENCE.match(line)):
            fence = opened.group(1)
        elif (table_indent < 0 and number and _indent(line) < 4 and lines[number - 1].strip()
              and _indent(lines[number - 1]) < 4 and is_delimiter_row(line)):
            table_indent = _indent(line)
    return "\n".join(lines)


def short_header_rows(markdown: str) -> str:
    """Header rows with fewer cells than the delimiter row under them padded with empty cells:
    Goldmark makes such a table as wide as its delimiter row, cmark-gfm makes none. A line
    without a pipe is a header of one cell when it is a paragraph's (`- Sizes:` then an
    indented delimiter row: a table in the list item, its header the item's text)."""
    if "|" not in markdown or "-" not in markdown:
        return markdown
    lines, fence = markdown.split("\n"), ""
    for number, line in enumerate(lines):
        if fence:
            fence = "" if closes(fence, line) else fence
        elif opened := FENCE.match(line):
            fence = opened.group(1)
        elif (number and _indent(line) < 4 and is_delimiter_row(line)
              and ("|" in (header := lines[number - 1]) or _PARAGRAPH_LINE.match(header))
              and _indent(header) < 4 and 0 < (short := cell_count(line) - cell_count(header))):
            closed = header.rstrip()
            closed += "" if closed.endswith("|") and not closed.endswith("\\|") else " |"
            lines[number - 1] = closed + "  |" * short
    return "\n".join(lines)


def _container(line: str) -> str:
    """What a line opening a list item or a quote puts before its paragraph's lines (`> `, or
    the item's width in spaces), or "" when it opens neither."""
    opened = _CONTAINER_START.match(line)
    if not opened or not (opened.group(1) or opened.group(2)):
        return ""
    return opened.group(1) + " " * len(opened.group(2) or "")


def _is_lazy(line: str, prefix: str) -> bool:
    """Whether a line of a container's paragraph is written without the container's markers."""
    return not line.startswith(prefix) if prefix.strip() else _indent(line) < len(prefix)


def lazy_table_rows(markdown: str) -> str:
    """A table whose delimiter row goes on a list item's or a quote's paragraph unindented (a
    lazy line) given the item's indentation or the quote's marker, with its header above and
    rows below, so that cmark-gfm makes the table in the item or quote as Goldmark does."""
    if "|" not in markdown or "-" not in markdown:
        return markdown
    lines, fence, prefix = markdown.split("\n"), "", ""
    for number, line in enumerate(lines):
        if fence:
            fence = "" if closes(fence, line) else fence
        elif opened := FENCE.match(line):
            fence, prefix = opened.group(1), ""
        elif not line.strip():
            prefix = ""
        elif opens := _container(line):
            prefix = opens
        elif prefix and _is_lazy(line, prefix) and is_delimiter_row(line) and number:
            if _is_lazy(lines[number - 1], prefix) and not _container(lines[number - 1]):
                lines[number - 1] = prefix + lines[number - 1].lstrip(" ")
            _rows_given(lines, number, prefix)
            prefix = ""
        elif line.lstrip(" ")[0] in _BLOCK_STARTS:
            prefix = ""  # a heading, rule or fence closing the paragraph (an item was read above)
    return "\n".join(lines)


def _rows_given(lines: list[str], start: int, prefix: str) -> None:
    """A delimiter row and the rows under it, to the paragraph's end, given the container's
    prefix; a line starting a block of its own ends them."""
    for number in range(start, len(lines)):
        line = lines[number]
        if not line.strip():
            return
        if number > start and (_container(line) or line.lstrip(" ")[0] in _BLOCK_STARTS):
            return
        if _is_lazy(line, prefix):
            lines[number] = prefix + line.lstrip(" ")
