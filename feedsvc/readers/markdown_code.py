"""Where Markdown source is code, for rewrites of the source that must leave code as it is:
fenced code blocks (``` or ~~~) and code spans (a run of backticks up to the next run of
the same length); and HTML blocks as kramdown and Python-Markdown read them (up to their
end tag), rewritten for cmark. Found in one pass each: no backtracking regex, no rescanning.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator

FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_BACKTICKS = re.compile(r"`+")
_BLOCK_TAG = re.compile(r"[ ]{0,3}<([A-Za-z][\w-]*+(?::[A-Za-z][\w-]*+)*+)(?=[\s/>]|$)")  # not <http://a>
_NESTED_TAG = re.compile(r"[ \t]*+<([A-Za-z][\w:-]*+)(?=[\s/>]|$)")
_MARKDOWN_ATTRIBUTE = re.compile(r"""\bmarkdown=["']?(\w*)""")
BLANK_LINE = re.compile(r"(\n[ \t]*\n)")
MAX_NESTING = 8
MAX_MARKED = 8  # times a block of HTML's lines are looked over for marked elements' ends, at most
# Marked elements read as Markdown in one block of HTML (past them the rest is kept raw): each is
# a block of its own, read by every rewrite: 8,300 in a list of 5 MB took 1.7 s to read, 0.8 s now.
MAX_MARKED_ELEMENTS = 500
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


def _never(_name: str) -> bool:
    return False


def html_blocks(text: str, is_block: Callable[[str], bool], read_inside: Callable[[str], bool] = _never,
                depth: int = 0, marked_within: bool = False, unclosed_raw: bool = False) -> str:
    """HTML blocks made plain to cmark: a blank line before and after each, none inside
    (cmark ends an HTML block at a blank line); with `markdown="1"` (or, without the
    attribute, when read_inside says so of the element), the tags apart and what they
    enclose read as Markdown, as kramdown and Python-Markdown read them; marked_within: so
    is an element marked so on a line of its own inside a block of HTML (kramdown reads the
    attribute at any depth). is_block says which elements start a block of HTML (by
    lowercased name). unclosed_raw: an element whose end tag never comes makes the rest of the
    text HTML (Python-Markdown's reading: its HTML parser ends the document inside it)."""
    lines = text.split("\n")
    tags = _LineTags(lines)
    out: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        tag = _BLOCK_TAG.match(line)
        name = tag.group(1).lower() if tag else ""
        if not tag or not is_block(name):
            out.append(line)
            index += 1
            continue
        end = _block_end(tags, index, name)
        if end is None and unclosed_raw:
            return "\n".join([*out, "", *(kept for kept in lines[index:] if kept.strip()), ""])
        if end is None:  # no end tag: cmark's reading is kept, from here on (each line is read once)
            return "\n".join(out + lines[index:])
        markdown = _MARKDOWN_ATTRIBUTE.search(line)
        inside = markdown.group(1) != "0" if markdown else read_inside(name)
        if inside and end > index and depth < MAX_NESTING:
            inner = "\n".join(kept.strip() for kept in lines[index + 1:end])
            out += ["", line, "", html_blocks(inner, is_block, read_inside, depth + 1, marked_within, unclosed_raw), "",
                    lines[end], ""]
        elif marked_within and depth < MAX_NESTING and "markdown" in "".join(lines[index + 1:end]):
            out += ["", *_raw_with_marked(lines[index:end + 1], is_block, read_inside, depth), ""]
        else:
            out += ["", *(kept for kept in lines[index:end + 1] if kept.strip()), ""]
        index = end + 1
    return "\n".join(out)


def _raw_with_marked(lines: list[str], is_block: Callable[[str], bool], read_inside: Callable[[str], bool],
                     depth: int) -> list[str]:
    """A block of HTML's lines (blank ones left out), but an element inside it marked
    `markdown="1"` on a line of its own: its tags apart and what it encloses read as Markdown;
    the lines after it unindented (cmark would read an indented one after a blank as code)."""
    out: list[str] = []
    tags = _LineTags(lines)
    # Lines the marked elements' ends are looked for over, in all: MAX_MARKED looks to the block's end
    # (a list of a hundred `<li markdown="1">` looks a few lines for each); and elements read.
    index, after_marked, budget, elements = 0, False, MAX_MARKED * len(lines), MAX_MARKED_ELEMENTS
    while index < len(lines):
        line = lines[index]
        tag = _NESTED_TAG.match(line) if index and "markdown" in line and budget > 0 and elements else None
        marked = _MARKDOWN_ATTRIBUTE.search(line) if tag and is_block(tag.group(1).lower()) else None
        end = None
        if tag and marked and marked.group(1) != "0":
            end = _block_end(tags, index, tag.group(1), index + budget)
            budget -= (min(len(lines), index + budget) if end is None else end + 1) - index
        if tag and end is not None and end > index:
            inner = "\n".join(kept.strip() for kept in lines[index + 1:end])
            out += ["", line.strip(), "", html_blocks(inner, is_block, read_inside, depth + 1, True), "",
                    lines[end].strip(), ""]
            index, after_marked, elements = end + 1, True, elements - 1
            continue
        if line.strip():
            out.append(line.strip() if after_marked else line)
        index += 1
    return out


# Any start or end tag, its name compared afterwards: a pattern compiled from each name cost
# more than linear in a long name, on every block.
_ANY_START_TAG = re.compile(r"<([A-Za-z][\w:-]*+)(?=[\s/>]|$)")
_ANY_END_TAG = re.compile(r"</([A-Za-z][\w:-]*+)\s*>")


class _LineTags:
    """The tags of each line of a block of HTML, found once however many elements' ends are
    looked for in it (up to MAX_MARKED times the block's lines are looked over)."""

    def __init__(self, lines: list[str]):
        self.lines = lines
        self._found: dict[int, tuple[tuple[str, int], ...]] = {}

    def depth_changes(self, number: int) -> tuple[tuple[str, int], ...]:
        """Each tag of the line by lowercased name: 1 a start tag, 0 one closed by `/>`
        (`<div class="chart"/>` holds nothing, as kramdown and Python-Markdown read it), -1
        an end tag."""
        found = self._found.get(number)
        if found is None:
            line = self.lines[number]
            found = self._found[number] = (*_start_tags(line),
                                           *((name.lower(), -1) for name in _ANY_END_TAG.findall(line)))
        return found


def _start_tags(line: str) -> Iterator[tuple[str, int]]:
    """Each start tag of line by lowercased name: 0 if it ends with `/>` on the line (the first
    `>` after its name), else 1. The `>` is looked for once per stretch of tags before it: a
    line of many tags left open is read once, not once per tag."""
    closing = -1  # the `>` after the last tag, or len(line): none
    for tag in _ANY_START_TAG.finditer(line):
        if closing < tag.end():
            found = line.find(">", tag.end())
            closing = found if found >= 0 else len(line)
        yield tag.group(1).lower(), 0 if closing < len(line) and line[closing - 1] == "/" else 1


def _block_end(tags: _LineTags, start: int, name: str, stop: int | None = None) -> int | None:
    """The line where the element opened on line start ends (its end tag, nesting counted),
    looked for up to line stop (the block's end by default)."""
    name = name.lower()
    depth = 0
    for number in range(start, len(tags.lines) if stop is None else min(stop, len(tags.lines))):
        depth += sum(change for tag, change in tags.depth_changes(number) if tag == name)
        if depth <= 0 or name in WITHOUT_BODY:
            return number
    return None


def starts_html_block(block: str, is_block: Callable[[str], bool]) -> bool:
    """Whether a block (text between blank lines) is one of HTML: it starts with a block
    element's tag (is_block says which names are) or a comment (`<!--more-->` over a
    `<figure>`: what follows it is taken for HTML too, as it mostly is)."""
    start = block.lstrip("\n")
    if start.lstrip(" ").startswith("<!--") and len(start) - len(start.lstrip(" ")) < 4:
        return True
    tag = _BLOCK_TAG.match(start)
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
