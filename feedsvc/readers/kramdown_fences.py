"""Which lines open fenced code to kramdown (GFM input, as Jekyll uses it), where cmark reads
them otherwise (see readers.kramdown, which applies this first):

- a fence line holds the fence and at most one word (its language, options after a `?`):
  `` ```js {5-7} title="a.js" `` or `~~~ bash extra` is a paragraph's text, and the lines
  after it are Markdown; a bare fence among them opens code of its own (cmark reads the
  words as the block's info string);
- a fence no later line closes opens no code block: it is text too (cmark runs such a block
  to the text's end, or its quote's), and its backticks pair with a run of as many in its
  paragraph as a code span's, as any run does (kramdown joins the line to the paragraph
  before it: the text after a fence of more than one word ends as `` some code ``` ``).

Such a line is marked at its fence (TEXT_MARK): cmark reads it as a paragraph's text, and
the rewrites after this one find no fence in it; the mark is taken out of the rendered HTML.
So is a heading's line indented past the text of its list item, or indented at all outside
one (`   ### Fix` under `2. Step`'s text at three): kramdown reads a `#` heading only at its
block's first column (cmark up to three spaces in). A mark that lands in code or HTML is
taken out too.
"""

from __future__ import annotations

import re

from .markdown_code import FENCE, closes

# Where a fence kramdown reads as text stood; no text holds the character (Unicode's private use area).
TEXT_MARK = "\ue004"
# A list item's start, up to its text (the white space after its marker).
_LIST_ITEM = re.compile(r" {0,3}(?:[*+-]|\d{1,9}\.)[ ]{1,4}(?=\S)")
# A heading's line indented (it may be a list item's, or code: see indented_headings_as_text).
_INDENTED_HEADING = re.compile(r"^( ++)#{1,6}(?:[ \t]|$)", re.MULTILINE)
MAX_LINES_LOOKED = 20_000  # in a text, for fences in list items (see _closed_in_item)
_QUOTE_MARKERS = re.compile(r"(?: {0,3}>[ \t]?)*+")
# White space between the words after a fence (Ruby's `\s`, not Unicode's: a no-break space is a word's).
_WORDS_APART = re.compile(r"\S[ \t\f\v]++\S")


def fences_as_kramdown_reads(text: str) -> str:
    """text with each fence kramdown reads as text marked (see above); in a quote too
    (`> ```js a`). Which fences are closed is known from the longest closing run after each
    line (its quote markers aside), found in one pass back."""
    lines = text.split("\n")
    after = _closing_runs_after(lines)
    fence, in_quote, column = "", False, 0  # the open fence, whether a quote's, its item's text column
    budget, code_end = [MAX_LINES_LOOKED], 0  # code_end: the line after the last fenced code
    for number, line in enumerate(lines):
        quoted = _QUOTE_MARKERS.match(line).end() if line.lstrip(" ").startswith(">") else 0  # type: ignore[union-attr]
        if fence:
            if column and line.strip() and len(line) - len(line.lstrip(" ")) < column:
                lines[number] = line = " " * column + line.lstrip(" ")  # a lazy line: the item's to kramdown
            if closes(fence, line[quoted:] if in_quote else line):
                fence, code_end = "", number + 1
            continue
        opening = FENCE.match(line, quoted)
        if opening is None or opening.group(1)[0] == "`" and "`" in line[opening.end():]:
            continue  # no fence: '```TIME_WAIT``` is' holds a code span
        run = opening.group(1)
        column = -1 if quoted else _closed_in_item(lines, (code_end, number), run, opening.start(1), budget)
        if _WORDS_APART.search(line, opening.end()) or after[number][run[0] == "~"] < len(run) or column < 0:
            lines[number] = line[:opening.start(1)] + TEXT_MARK + line[opening.start(1):]
        else:
            fence, in_quote, column = run, bool(quoted), max(column, 0)
    return "\n".join(lines)


def _closed_in_item(lines: list[str], span: tuple[int, int], run: str, indent: int, budget: list[int]) -> int:
    """-1 when a fence in a list item is not closed before its item ends (kramdown reads an item's
    text apart: a fence a later item closes is text). The fence is the item's when indented as
    its text (`1. Step` then `   ```sh`) or, indented less, right after a line of the item: a
    lazy line, which kramdown joins to the item as it joins any line after its text (cmark
    ends the list there and opens code). An item ends at a line indented less than its text
    right after a blank line, or at a list item's start indented less; lines looked over are
    counted in budget, past which the fence is taken as closed (as one outside an item is).
    Else the column of the item's text when the fence is indented as it (its lazy lines are
    indented so, for cmark to keep them in the code), or 0. span: the fence's line, and the
    first line looked back at for its item (fenced code before it holds no item's start)."""
    number = span[1]
    column = _item_column(lines, span, indent, budget) if indent else 0
    lazy = 0 if column else _lazy_item_column(lines, span, indent, budget)
    if not column and not lazy:
        return 0
    blank_before = False
    for following in range(number + 1, len(lines)):
        if budget[0] <= 0:
            return column
        budget[0] -= 1
        line = lines[following]
        if len(line) - len(line.lstrip(" ")) < (column or lazy) and line.strip() \
                and (blank_before or _LIST_ITEM.match(line)):
            return -1
        if closes(run, line):
            return column
        blank_before = not line.strip()
    return -1


def _lazy_item_column(lines: list[str], span: tuple[int, int], indent: int, budget: list[int]) -> int:
    """The column of the text of the list item whose lines run on, no blank line between, to
    the line a fence indented by indent is on; 0 when they are no item's."""
    for before in range(span[1] - 1, span[0] - 1, -1):
        budget[0] -= 1
        line = lines[before]
        if not line.strip() or budget[0] <= 0:
            return 0
        item = _LIST_ITEM.match(line)
        if item:
            return item.end() if item.end() > indent else 0
    return 0


def _item_column(lines: list[str], span: tuple[int, int], indent: int, budget: list[int]) -> int:
    """The column of the text of the list item a line indented by indent is in (the last line
    before it indented less, blank lines aside, starts the item); 0 when that line starts none."""
    for before in range(span[1] - 1, span[0] - 1, -1):
        budget[0] -= 1
        line = lines[before]
        if not line.strip() or len(line) - len(line.lstrip(" ")) >= indent:
            if budget[0] <= 0:
                return 0
            continue
        item = _LIST_ITEM.match(line)
        return item.end() if item and item.end() <= indent else 0
    return 0


def indented_headings_as_text(text: str) -> str:
    """text with each heading line indented past its block's first column marked (see above)."""
    budget = [MAX_LINES_LOOKED]
    lines: list[str] | None = None
    number, counted_to = 0, 0  # the line a heading is on, counted from the last one's
    for heading in _INDENTED_HEADING.finditer(text):
        lines = text.split("\n") if lines is None else lines
        number += text.count("\n", counted_to, heading.start())
        counted_to = heading.start()
        indent = len(heading.group(1))
        column = _item_column(lines, (0, number), indent, budget)
        if 0 < indent - column < 4 and budget[0] > 0:
            lines[number] = heading.group(1) + TEXT_MARK + lines[number][indent:]
    return text if lines is None else "\n".join(lines)


def _closing_runs_after(lines: list[str]) -> list[tuple[int, int]]:
    """For each line, the longest run of ` and of ~ standing alone in a later line (a fence
    that may close code: indented less than four, quote markers aside)."""
    longest = {"`": 0, "~": 0}
    after: list[tuple[int, int]] = []
    for line in reversed(lines):
        after.append((longest["`"], longest["~"]))
        line = line[_QUOTE_MARKERS.match(line).end():] if line.lstrip(" ").startswith(">") else line  # type: ignore[union-attr]
        run = line.strip()
        indent = len(line) - len(line.lstrip(" "))
        if len(run) >= 3 and run[0] in longest and not run.strip(run[0]) and indent < 4:
            longest[run[0]] = max(longest[run[0]], len(run))
    after.reverse()
    return after


def without_marks(rendered: str) -> str:
    """The rendered HTML without the marks (in text, a code span or a block of code)."""
    return rendered.replace(TEXT_MARK, "")
