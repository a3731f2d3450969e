"""Where Markdown source is code, for rewrites of the source that must leave code as it is:
fenced code blocks (``` or ~~~) and code spans (a run of backticks up to the next run of
the same length); and what starts an HTML block as kramdown and Python-Markdown read them
(markdown_html rewrites the blocks for cmark). Found in one pass each: no backtracking regex,
no rescanning.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable

FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_BACKTICKS = re.compile(r"`+")
BLOCK_TAG = re.compile(r"[ ]{0,3}<([A-Za-z][\w-]*+(?::[A-Za-z][\w-]*+)*+)(?=[\s/>]|$)")  # not <http://a>
BLANK_LINE = re.compile(r"(\n[ \t]*\n)")
MAX_DESTINATION = 2000
_TITLE_AFTER_SPACE = re.compile(r"[ \t][\"']")
# Cells cmark-gfm's tables may make of one text: it pads every row to its table's width, so a
# few bytes a row can stand for thousands of cells (20 to 25 µs each to sanitize and read).
MAX_TABLE_CELLS = 20_000
# Backticks past which a text's code spans are left to cmark's pairing, without a generator's
# own rules for them (Python-Markdown's pairing, kramdown's lone and spaced backticks): a long
# post holds a few hundred, and going over 100,000 runs one by one in Python took most of a second.
MAX_BACKTICKS = 20_000
_DELIMITER_CHARACTERS = re.compile(r"^[ \t|:-]*+$", re.MULTILINE)  # what a delimiter row may hold (possessive)
_BLANK_LINE = re.compile(r"\n[ \t]*+(?:\n|$)")
_FENCE_LINE = re.compile(r"^ {0,3}(`{3,}|~{3,})[^\n]*", re.MULTILINE)
CMARK_RAW = frozenset(("pre", "script", "style", "textarea"))  # cmark keeps these whole itself
# cmark's HTML blocks of its kind 6: started by these names' tags, whatever follows them.
CMARK_BLOCK_NAMES = frozenset("""address article aside base basefont blockquote body caption center col
    colgroup dd details dialog dir div dl dt fieldset figcaption figure footer form frame frameset h1 h2
    h3 h4 h5 h6 head header hr html iframe legend li link main menu menuitem nav noframes ol optgroup
    option p param search section summary table tbody td tfoot th thead title tr track ul""".split())
# A line that starts such a block (which may follow a paragraph's line): raw up to its end tag.
CMARK_RAW_BLOCK = re.compile(r"^ {0,3}<(pre|script|style|textarea)(?=[\s>]|$)", re.IGNORECASE | re.MULTILINE)
WITHOUT_BODY = frozenset("area base br col command embed hr img input keygen link meta param "
                         "source track wbr".split())

_QUOTE_MARKERS = re.compile(r"(?: {0,3}>[ ]?)++")  # a line's block quote markers (CommonMark's)


def inside_quotes(line: str) -> tuple[str, bool]:
    """A line's text after its block quote markers, without its leading spaces and tabs, and
    whether that indentation makes it code (four columns: ` >   \t` is code too)."""
    quoted = _QUOTE_MARKERS.match(line)
    inner = line[quoted.end():] if quoted else line
    stripped = inner.lstrip(" \t")
    return stripped, len(inner[:len(inner) - len(stripped)].expandtabs(4)) >= 4


# Marks in the source what Goldmark reads as no markup where cmark would see some (an escaped
# task box, an indented `: `, braces that are no attributes); taken out of the HTML at the end
# (goldmark.finish).
NOT_MARKUP = "\ue000"


def opens(line: str) -> re.Match[str] | None:
    """The fence a line opens fenced code with: not a backtick fence with a backtick after
    it on its line (CommonMark reads that as text, code spans)."""
    opening = FENCE.match(line)
    if opening and opening.group(1)[0] == "`" and "`" in line[opening.end():]:
        return None
    return opening


def closes(fence: str, line: str) -> bool:
    """Whether line closes a fenced block opened by fence (its backticks or tildes)."""
    stripped = line.strip()
    return stripped.startswith(fence) and not stripped.strip(fence[0]) and len(line) - len(line.lstrip(" ")) < 4


def cmark_label(label: str) -> str:
    """A link's or footnote's label as cmark compares labels: runs of white space as one space,
    case folded."""
    return " ".join(label.split()).casefold()


def is_escaped(text: str, position: int) -> bool:
    """Whether the character at position is escaped by a backslash (an odd run before it)."""
    run = 0
    while run < position and text[position - run - 1] == "\\":
        run += 1
    return run % 2 == 1


def few_backticks(text: str) -> bool:
    """Whether a generator's own code-span rules are applied to text (see MAX_BACKTICKS)."""
    return text.count("`") <= MAX_BACKTICKS


def backtick_runs(text: str) -> tuple[list[tuple[int, int]], list[int | None]]:
    """The runs of backticks in text (a backslash-escaped first one left out) and, for each,
    the index of the next run of the same length (None when there is none)."""
    if "`" not in text:
        return [], []
    runs = [found.span() for found in _BACKTICKS.finditer(text)]
    if "\\`" in text:  # a run's first backtick escaped: the run starts one later (empty: none)
        runs = [(start + is_escaped(text, start), end) for start, end in runs]
        runs = [(start, end) for start, end in runs if start < end]
    following: list[int | None] = [None] * len(runs)
    last: dict[int, int] = {}
    for index in range(len(runs) - 1, -1, -1):
        length = runs[index][1] - runs[index][0]
        following[index], last[length] = last.get(length), index
    return runs, following


def split_code_spans(text: str) -> list[tuple[str, bool]]:
    """text as (piece, is_code) pieces, code spans apart; a run closed past a blank line is text
    (a span ends with its paragraph: a '```' left open took the next paragraphs for code)."""
    runs, following = backtick_runs(text)
    breaks = [found.start() for found in BLANK_LINE.finditer(text)] if runs else []
    pieces: list[tuple[str, bool]] = []
    position, index = 0, 0
    while index < len(runs):
        closing = following[index]
        if closing is None or breaks and _break_between(breaks, runs[index][1], runs[closing][0]):
            index += 1
            continue
        pieces += [(text[position:runs[index][0]], False), (text[runs[index][0]:runs[closing][1]], True)]
        position, index = runs[closing][1], closing + 1
    return [*pieces, (text[position:], False)]


def _break_between(breaks: list[int], start: int, end: int) -> bool:
    """Whether a blank line (breaks: where each starts, in order) lies between start and end."""
    return (after := bisect.bisect_left(breaks, start)) < len(breaks) and breaks[after] < end


def outside_code(text: str, rewrite: Callable[[str], str],
                 blocks: Callable[[str], str] | None = None) -> str:
    """text with rewrite applied to each stretch between fenced code blocks, code spans left
    out (each stretch rewritten whole: what it rewrites may span lines); blocks, if given,
    rewrites each whole stretch first."""
    lines = text.split("\n")
    out: list[str] = []
    prose: list[str] = []
    fence = ""

    def flush() -> None:
        if prose:
            stretch = "\n".join(prose)
            stretch = blocks(stretch) if blocks else stretch
            out.append("".join(piece if code else rewrite(piece) for piece, code in split_code_spans(stretch)))
            prose.clear()

    for line in lines:
        if fence:
            out.append(line)
            fence = "" if closes(fence, line) else fence
        elif opening := opens(line):
            flush()
            out.append(line)
            fence = opening.group(1)
        else:
            prose.append(line)
    flush()
    return "\n".join(out)


def starts_html_block(block: str, is_block: Callable[[str], bool]) -> bool:
    """Whether a block (text between blank lines) is one of HTML: it starts with a block
    element's tag (is_block says which names are) or a comment (`<!--more-->` over a
    `<figure>`: what follows it is taken for HTML too, as it mostly is)."""
    start = block.lstrip("\n")
    if start.lstrip(" ").startswith("<!--") and len(start) - len(start.lstrip(" ")) < 4:
        return True
    tag = BLOCK_TAG.match(start)
    return tag is not None and is_block(tag.group(1).lower())


def spaced_link_destinations(text: str, across_lines: bool = False, titles_apart: bool = False) -> str:
    """`[text](a b)`: kramdown and Python-Markdown take `a b` for the link's address, cmark sees no
    link; written `<a b>`, cmark takes it too. across_lines: an address over lines is joined (with
    titles_apart not one holding a quote or `<>`: a title, a quote's marker; and one on a line before its
    title, `a b "title"`, is written `<a b> "title"`). Looks MAX_DESTINATION ahead."""
    if "](" not in text:
        return text
    pieces, position = [], 0
    while (start := text.find("](", position)) >= 0:
        start += 2
        end = text.find(")", start, start + MAX_DESTINATION)
        destination = text[start:end].strip() if end >= 0 else ""
        titled = titles_apart and any(char in destination for char in "\"'<>")
        if across_lines and "\n" in destination and "\n\n" not in destination.replace(" ", "") and not titled:
            destination = "".join(part.strip() for part in destination.split("\n"))
            pieces.append(text[position:start] + (f"<{destination}>" if " " in destination else destination))
            position = end
        elif " " in destination and not any(char in destination for char in "\n(<\"'"):
            pieces.append(text[position:start] + f"<{destination}>")
            position = end
        elif titles_apart and end >= 0 and (address := _address_before_title(destination)):
            lead = len(text[start:end]) - len(text[start:end].lstrip())
            pieces.append(text[position:start] + f"<{address}>")
            position = start + lead + len(address)
        else:
            pieces.append(text[position:start])
            position = start
    return "".join(pieces) + text[position:]


def _address_before_title(destination: str) -> str:
    """`a b "title"`: the address before a title that holds a space (kramdown's address ends
    at a space before a quote), or ""."""
    title = _TITLE_AFTER_SPACE.search(destination)
    address = destination[:title.start()].rstrip() if title else ""
    return address if " " in address and not any(char in address for char in "\n(<\"'") else ""


def is_delimiter_row(line: str) -> bool:
    """`--|:-:` or `| --- | ---: |`: a table's delimiter row, with at least one pipe."""
    cells = line.strip().strip("|").split("|")
    return "|" in line and all(cell.strip().strip(":") and not cell.strip().strip(":").strip("-")
                               and cell.strip().count(":") <= 2 for cell in cells)


def cell_count(line: str) -> int:
    """A table row's cells as cmark-gfm and Goldmark split it: at each pipe not escaped by a
    backslash, a pipe at either end only closing the row."""
    row = line.strip()
    pipes = row.count("|") - row.count("\\|")
    return pipes + 1 - row.startswith("|") - (row.endswith("|") and not row.endswith("\\|"))


def table_cells(markdown: str) -> int:
    """At most how many cells the text's tables make: for each delimiter row outside fenced
    code, its cells (or its header row's, when more) times its lines from the header to the
    next blank line or fence. One pass: lines of only pipes, dashes, colons and spaces are
    found by one pattern, and the lines of a table are not looked at again."""
    if "|" not in markdown or "-" not in markdown:
        return 0
    fenced = _fenced(markdown)
    total, position, block = 0, 0, 0
    while position <= len(markdown) and (row := _DELIMITER_CHARACTERS.search(markdown, position)):
        position = row.end() + 1
        while block < len(fenced) and fenced[block][1] <= row.start():
            block += 1
        if block < len(fenced) and fenced[block][0] <= row.start():
            position = fenced[block][1] + 1  # in fenced code
            continue
        line = row.group(0)
        if not row.start() or "-" not in line or not is_delimiter_row(line):
            continue
        header = markdown[markdown.rfind("\n", 0, row.start() - 1) + 1:row.start() - 1]
        blank = _BLANK_LINE.search(markdown, row.end())
        end = min(blank.start() if blank else len(markdown), fenced[block][0] if block < len(fenced) else len(markdown))
        rows = markdown.count("\n", row.end(), end) + 2  # the header, this row and those below
        total += max(cell_count(line), cell_count(header)) * rows
        position = end + 1
    return total


def _fenced(markdown: str) -> list[tuple[int, int]]:
    """Where the fenced code blocks of a text start and end, in order (an unclosed one ends
    with the text)."""
    found: list[tuple[int, int]] = []
    opened: re.Match[str] | None = None
    for line in _FENCE_LINE.finditer(markdown):
        if opened is None:
            fence = line.group(1)
            opened = None if fence[0] == "`" and "`" in line.group(0)[line.end(1) - line.start():] else line
        elif closes(opened.group(1), line.group(0)):
            found.append((opened.start(), line.end()))
            opened = None
    return found + ([(opened.start(), len(markdown))] if opened else [])
