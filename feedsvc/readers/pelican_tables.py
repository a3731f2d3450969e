"""Tables as Python-Markdown's (extra's `tables`) reads them, for cmark-gfm.

A block is a table when its first line holds a pipe and splits into two cells or more, and
its second line holds nothing but `|`, `:`, `-` and spaces and splits into as many cells
(TableProcessor.test; a pipe starting or ending the head row is a border, taken off every
row). cmark-gfm refuses some such delimiter rows: one starting `- |` is a list item to it, one
with a space inside a cell (`:-- :`) no delimiter. Those rows are written as cmark-gfm reads
a delimiter row, each cell's alignment kept (a cell starting and ending with `:` centred).
The head row must start its block: under a paragraph's line it is the paragraph's text, where
cmark-gfm's table interrupts the paragraph (rule_as_text). A pipe after an escaped backslash
(`\\\\|`) splits the row for Python-Markdown, which reads the escapes first; cmark-gfm takes any
pipe after a backslash for an escaped one (backslash_pipes).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .markdown_code import is_delimiter_row, is_escaped

_SEPARATOR = set("|:- ")
_PIPE = re.compile(r"(?<!\\)\|")
_LIST_MARKER = re.compile(r" {0,3}[-+*][ \t]")
_BACKSLASHES_PIPE = re.compile(r"(?<!\\)((?:\\\\)+)\|")  # an even run of backslashes, then a pipe


def rows_for_cmark(text: str) -> str:
    """text (outside fenced code) with its tables' rows written as cmark-gfm reads them as
    Python-Markdown does (delimiter_rows, backslash_pipes)."""
    return backslash_pipes(delimiter_rows(text))


def delimiter_rows(text: str) -> str:
    """text (outside fenced code) with each table's delimiter row that cmark-gfm would not
    read as one written so that it does (see above)."""
    if "|" not in text or "-" not in text:
        return text
    lines = text.split("\n")
    for number in range(1, len(lines)):
        row = lines[number]
        if "|" not in row or "-" not in row or not set(row) <= _SEPARATOR:
            continue
        if is_delimiter_row(row) and not _LIST_MARKER.match(row):
            continue  # cmark-gfm reads it as Python-Markdown does
        head = lines[number - 1].strip(" ")
        if "|" not in head or (number > 1 and lines[number - 2].strip()):
            continue
        border = head.startswith("|") or head.endswith("|")
        heads, cells = _cells(head, border), _cells(row.strip(" "), border)
        if len(heads) > 1 and len(cells) == len(heads):
            lines[number] = "| " + " | ".join(map(_aligned, cells)) + " |"
    return "\n".join(lines)


def _cells(row: str, border: bool) -> list[str]:
    """A row's cells, split at its pipes not escaped with a backslash (a pipe inside a code
    span splits too: such a row's table is then left as cmark reads it)."""
    if border:
        row = row[1:] if row.startswith("|") else row
        row = row[:-1] if row.endswith("|") and not is_escaped(row, len(row) - 1) else row
    return _PIPE.split(row)


def _aligned(cell: str) -> str:
    """A delimiter cell as cmark-gfm reads one, aligned as Python-Markdown aligns its column."""
    cell = cell.strip(" ")
    return (":" if cell.startswith(":") else "") + "---" + (":" if cell.endswith(":") else "")


def rule_as_text(row: str) -> str | None:
    """A paragraph's line that is a table's delimiter row, its first pipe escaped: the row
    over it (the head row) goes on a paragraph, no block's first line, so Python-Markdown reads
    no table (TableProcessor tests a block's first rows), and the escaped pipe keeps cmark-gfm
    from reading one; None for any other line."""
    if "|" not in row or not is_delimiter_row(row):
        return None
    return row.replace("|", "\\|", 1)


def backslash_pipes(text: str) -> str:
    """text (outside fenced code) with each table row's pipe after an even run of backslashes
    given a space before it, which cmark-gfm then reads as a cell's end, as Python-Markdown
    does (the space is trimmed off the cell); rows holding a backtick are left to
    pelican_code_spans.table_code_pipes."""
    if "\\|" not in text:
        return text
    return table_rows_rewritten(text, lambda row: _BACKSLASHES_PIPE.sub(r"\1 |", row)
                                if "\\|" in row and "`" not in row else row)


def table_rows_rewritten(text: str, rewrite: Callable[[str], str]) -> str:
    """text with rewrite applied to each line of each table: a block whose first line holds a
    pipe over a delimiter row, up to a blank line."""
    lines = text.split("\n")
    in_table = False
    for number, line in enumerate(lines):
        if not line.strip():
            in_table = False
            continue
        if (not in_table and "|" in line and (number == 0 or not lines[number - 1].strip())
                and number + 1 < len(lines) and is_delimiter_row(lines[number + 1])):
            in_table = True
        if in_table:
            lines[number] = rewrite(line)
    return "\n".join(lines)
