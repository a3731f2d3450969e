"""kramdown's tables, where cmark reads them otherwise (readers.kramdown applies this to a
text's stretches outside code)."""

from __future__ import annotations

import re
from collections.abc import Callable

from .kramdown_blocks import is_block, outside_raw_blocks
from .kramdown_fences import TEXT_MARK
from .markdown_code import MAX_TABLE_CELLS, backtick_runs, closes, opens, starts_html_block

# kramdown's table lines: a separator (of -, |, +, : and spaces), a footer's separator (of =),
# and a GFM delimiter row, which cmark needs under a table's first row.
# (Checked as sets of characters: the patterns `[+|: \t-]*-[+|: \t-]*` took quadratic time to
# refuse a long run of dashes ending otherwise, 40,000 in 7.5 s.)
# Rows past which a block is left to cmark (a paragraph of pipes): each row is split in Python,
# and 100,000 took over a second (bench/hostile.py's jekyll-table-many-rows).
MAX_ROWS = 5_000
# List items' one-row tables written in a text: past them the items are left to cmark (a
# release's notes hold a few; 25,000 took 1.3 s to render and sanitize).
MAX_ITEM_TABLES = 1_000
# Blocks holding a `|` looked at as tables in a text: past them, cmark's reading is kept
# (47,500 paragraphs of a lone `|` took 1.5 s to write as tables).
MAX_TABLE_BLOCKS = 1_000
_SEPARATOR_CHARACTERS = frozenset("+|: \t-")
_FOOTER_CHARACTERS = frozenset("+|: \t=")
_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")
_CODE_PIPE = re.compile(r"\\?\|")  # a pipe in a code span, escaped or not
# A start tag in a row, and how many are looked at for the element they start (each one's end
# tag looked for in the rest of its line).
_START_TAG = re.compile(r"<([A-Za-z][A-Za-z0-9]{0,31})\b[^<>\n]{0,500}+>")
MAX_ELEMENTS_LOOKED = 16
_QUOTE_MARK = re.compile(r" {0,3}>[ ]?")
# A line of a block's attribute list (kramdown_extensions' _LINE_IAL, a line at a time).
_LINE_IAL = re.compile(r"[ ]{0,3}\{:(?![:/])[^{}\n]*\}[ \t]*")
_GFM_DELIMITER = re.compile(r"\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?")
# What starts another block than a table: a list's item, a quote, a heading, indented code
# (a marker or hashes before white space: `**Lead** a | b` and `#tag | c` are rows).
_OTHER_BLOCK = re.compile(r" {0,3}(?:[*+-](?:[ \t]|$)|>|#{1,6}(?:[ \t]|$)|\d{1,9}\.(?:[ \t]|$))|    |\t")
# Another item's line, of the list or one nested in the item (kramdown ends the item's first
# block there).
_ANY_ITEM = re.compile(r"[ \t]*(?:[*+-]|\d{1,9}\.)(?:[ \t]|$)")
# A list item's line: its marker with the spaces after it, and its text.
_ITEM = re.compile(r"^( {0,3}(?:[*+-]|\d{1,9}\.)[ \t]+)(\S[^\n]*)", re.MULTILINE)


def tables(text: str) -> str:
    """A block whose every line holds a `|` outside code is a table to kramdown, with or without
    a header and its separator, as many cells as each row holds (`=` lines start its footer);
    cmark makes a table only of a header row and a delimiter row of as many cells. Such a
    block is written as the GFM table cmark renders with the same cells (an empty header row
    when kramdown's has none); one that is GFM already is left as it is. So is a quote's
    (`> a | b`), in the quote."""
    if "|" not in text:
        return text
    budget = [MAX_ITEM_TABLES, MAX_TABLE_BLOCKS]

    def block_as_table(block: str) -> str:
        if "|" not in block or budget[1] <= 0 or starts_html_block(block, is_block):
            return block
        budget[1] -= 1
        return _table(block, budget)

    return outside_raw_blocks(text, block_as_table)


def rows_before_fences_as_text(text: str) -> str:
    """kramdown makes a table only of rows a block boundary follows (a blank line, an
    end-of-block `^`, an attribute list, the text's end): rows that run into a fence's line are
    a paragraph's text, the fence opening code after it. The pipes of such rows are escaped,
    for cmark and for tables (which sees them apart from the fence) to make no table of them;
    rows holding code spans or tags are left as they are (a backslash there would show)."""
    lines, fence, block_start = text.split("\n"), "", 0
    for number, line in enumerate(lines):
        if fence:
            fence, block_start = ("", number + 1) if closes(fence, line) else (fence, block_start)
        elif not line.strip():
            block_start = number + 1
        elif opening := opens(line):
            fence = opening.group(1)
            rows = lines[block_start:number]
            if rows and not any("`" in row or "<" in row or _cells(row) is None for row in rows):
                lines[block_start:number] = [_UNESCAPED_PIPE.sub(r"\\|", row) for row in rows]
            block_start = number + 1
    return "\n".join(lines)


def _table(block: str, budget: list[int]) -> str:
    if _is_math(block):
        return block
    start = len(block) - len(block.lstrip("\n"))  # after more than one blank line
    table = _without_attribute_lists(block[start:].rstrip("\n"))  # and before the text's end
    written = _quoted_table(table) if table.lstrip(" ").startswith(">") else _table_of(table)
    if written is None:
        return _item_tables(block, budget) if budget[0] > 0 and _ITEM.search(block) else _glued_tables_as_text(block)
    return block[:start] + written + block[start + len(table):]


def _glued_tables_as_text(block: str) -> str:
    """kramdown starts a table only after a block boundary (a blank line, its container's start,
    a block's attribute list, an end-of-block `^`): a GFM table whose header row follows another
    line of the block (a heading's, a paragraph's) is text of a paragraph. cmark makes a table
    of the line above a delimiter row: the row's first character is escaped, so it makes none."""
    lines = block.split("\n")
    for number in range(2, len(lines)):
        line, before = lines[number], lines[number - 2].strip()
        if ("-" in line and "|" in lines[number - 1] and before and before != "^"
                and not _LINE_IAL.fullmatch(before) and _GFM_DELIMITER.fullmatch(line.strip())):
            indent = len(line) - len(line.lstrip(" \t"))
            lines[number] = line[:indent] + "\\" + line[indent:]
    return "\n".join(lines)


def _quoted_table(quote: str) -> str | None:
    """A quote whose every line is marked and holds a `|` quotes a table (a line quoted from a
    page, `> a [b|c](d)`, is one of a row): the table written in the quote, or None."""
    lines = quote.split("\n")
    marks = [_QUOTE_MARK.match(line) for line in lines]
    if not all(marks):
        return None
    inner = [line[mark.end():] for line, mark in zip(lines, marks) if mark]
    written = _table_of(_without_attribute_lists("\n".join(inner))) if all(line.strip() for line in inner) else None
    return None if written is None else "\n".join("> " + line for line in written.split("\n"))


def _is_math(block: str) -> bool:
    """A block of math (`$$ \\left| D \\right| $$` alone), which kramdown reads before a table:
    its pipes split no cells."""
    math = block.strip()
    return len(math) > 4 and math.startswith("$$") and math.endswith("$$")


def _without_attribute_lists(table: str) -> str:
    """The table without the lines of attribute lists that end it (`{: .table }`, kramdown's
    for the table; readers.kramdown_extensions takes them out): they hold no `|`."""
    end = len(table)
    while end > 0:
        start = table.rfind("\n", 0, end) + 1
        if not _LINE_IAL.fullmatch(table, start, end):
            break
        end = start - 1
    return table[:max(end, 0)]


def _item_tables(block: str, budget: list[int]) -> str:
    """A list item's line that holds a `|` outside code, alone in its paragraph (the next line
    blank, another item of its list or of one nested in it, or none), is a table of one row to kramdown (`- a | b` shows `a`
    and `b` in two cells); written as the GFM table cmark renders in the item, an empty header
    row and a delimiter row under the marker's indentation. Not a line with an element's end
    tag: a pipe inside the element (<code>a|b</code>) splits no cell."""
    lines = block.split("\n")
    for number, line in enumerate(lines):
        item = _ITEM.match(line) if "|" in line and "</" not in line and budget[0] > 0 else None
        following = lines[number + 1] if number + 1 < len(lines) else ""
        if item is None or following.strip() and not _ANY_ITEM.match(following):
            continue
        cells = _cells(item.group(2))
        if cells is None:
            continue
        cells = cells[1:] if item.group(2).startswith("|") and not cells[0].strip() else cells
        cells = cells[:-1] if len(cells) > 1 and not cells[-1].strip() else cells
        budget[0] -= 1
        indent = " " * len(item.group(1))
        lines[number] = "\n".join([item.group(1) + _row([""] * len(cells), len(cells)),
                                   indent + _row(["---"] * len(cells), len(cells)), indent + _row(cells, len(cells))])
    return "\n".join(lines)


def _table_of(block: str) -> str | None:
    """The GFM table of the block's kramdown table, or None (see tables)."""
    lines = block.split("\n")
    if _OTHER_BLOCK.match(lines[0]) or not lines[0].strip() or len(lines) > MAX_ROWS:
        return None
    if block.count("|") > MAX_TABLE_CELLS:  # a paragraph of pipes to cmark (each cell is Python work)
        return None
    split = [cells for cells in map(_cells, lines) if cells is not None]
    if len(split) < len(lines):
        return None
    leading_pipe = lines[0].lstrip().startswith("|")
    head: list[list[str]] = []
    body: list[list[str]] = []
    pending: list[list[str]] = []
    footer, separators = False, 0
    for line, cells in zip(lines, split):
        if _is_rule(line.strip(), "-", _SEPARATOR_CHARACTERS) or _is_rule(line.strip(), "=", _FOOTER_CHARACTERS):
            separators += 1
            if pending and not head and not body and not footer and "-" in line:
                head, pending = pending, []
            else:
                body, pending = body + pending, []
                footer = footer or "-" not in line
            continue
        cells = cells[1:] if leading_pipe and not cells[0].strip() else cells
        pending.append(cells[:-1] if cells and not cells[-1].strip() else cells)
    rows = head + body + pending
    has_body = body or pending and not footer
    if not has_body or not _code_pipes(lines, split) and _is_gfm(lines, head, rows, separators) and not any(
            line.startswith(("    ", "\t")) for line in lines[2:]):  # cmark ends a table at a row indented as code
        return None
    columns = max(len(row) for row in rows)
    header = head[0] if head else [""] * columns
    # Only the header row is padded to every column: cmark pads the others, up to a bound of its
    # own (padding each here made 150 MB of one 1,000-row table under a 50,000-cell row).
    return "\n".join([_row(header, columns), _row(["---"] * columns, columns),
                      *(_row(row, len(row)) for row in [*head[1:], *body, *pending])])


def _is_rule(line: str, mark: str, characters: frozenset[str]) -> bool:
    """A separator (mark "-") or footer (mark "=") line: only their characters, the mark among them."""
    return mark in line and characters.issuperset(line)


def _code_pipes(lines: list[str], split: list[list[str]]) -> bool:
    """Whether a code span of the lines holds a `|` (its cells have it escaped, or marked)."""
    return any("|".join(cells).count("\\|") > line.count("\\|") or TEXT_MARK in "".join(cells)
               for line, cells in zip(lines, split))


def _cells(line: str) -> list[str] | None:
    """A line's cells, split at each `|` outside code spans and not escaped; pipes in code
    spans escaped as GFM wants them; None for a line without such a `|`, or whose only such
    pipes are in HTML elements (`<code>a | b</code>`): kramdown looks for a pipe outside them."""
    if "<" in line:
        if _split_cells(_elements_rewritten(line, lambda name, element: " " * len(element))) is None:
            return None
        if "<code" in line.lower():  # its pipes are no cells' ends either
            line = _elements_rewritten(line, lambda name, element: _UNESCAPED_PIPE.sub(r"\\|", element)
                                       if name == "code" else element)
    return _split_cells(line)


def _elements_rewritten(line: str, rewrite: Callable[[str, str], str]) -> str:
    """The line with each HTML element that ends on it (its tags and what it holds) rewritten,
    given its name in lower case."""
    pieces, position, lowered = [], 0, line.lower()
    for _tried, tag in zip(range(MAX_ELEMENTS_LOOKED), _START_TAG.finditer(line)):
        if tag.start() < position:
            continue
        name = tag.group(1).lower()
        end = lowered.find(f"</{name}>", tag.end())
        if end >= 0:
            end += len(name) + 3
            pieces += [line[position:tag.start()], rewrite(name, line[tag.start():end])]
            position = end
    return "".join(pieces) + line[position:]


def _split_cells(line: str) -> list[str] | None:
    runs, following = backtick_runs(line)
    cells: list[str] = []
    current, position, index = "", 0, 0
    while index < len(runs):
        closing = following[index]
        if closing is None:  # an unpaired run is text
            index += 1
            continue
        start, end = runs[index][0], runs[closing][1]
        current = _split(line[position:start], cells, current) + _CODE_PIPE.sub(_code_pipe, line[start:end])
        position, index = end, closing + 1
    cells.append(_split(line[position:], cells, current))
    return cells if len(cells) > 1 else None


def _code_pipe(pipe: re.Match[str]) -> str:
    """A pipe in a cell's code span escaped, as GFM wants it; one escaped already keeps its
    backslash in kramdown's code, where cmark's table takes it off: that backslash is written
    as an escape of the text mark (cmark pairs `\\` and `\\|` as escapes, and keeps the first)."""
    return "\\|" if pipe.group(0) == "|" else "\\" + TEXT_MARK + "\\|"


def _split(text: str, cells: list[str], current: str) -> str:
    """text's cells added to cells, the first ending current; the last, left open, returned."""
    pieces = _UNESCAPED_PIPE.split(text) if "\\" in text else text.split("|")  # the same, faster
    if len(pieces) > 1:
        cells += [current + pieces[0], *pieces[1:-1]]
        current = ""
    return current + pieces[-1]


def _is_gfm(lines: list[str], head: list[list[str]], rows: list[list[str]], separators: int) -> bool:
    """Whether cmark reads the block as the same table: one header row, a delimiter row of as
    many cells under it, no other separator and no row longer."""
    delimiter = lines[1].strip() if len(lines) > 1 else ""
    width = len(head[0]) if len(head) == 1 else -1
    cells = delimiter.strip("|").split("|")
    return (separators == 1 and bool(_GFM_DELIMITER.fullmatch(delimiter)) and len(cells) == width
            and all(len(row) <= width for row in rows))


def _row(cells: list[str], columns: int) -> str:
    return "| " + " | ".join(cell.strip() for cell in [*cells, *[""] * (columns - len(cells))]) + " |"
