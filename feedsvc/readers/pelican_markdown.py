"""Markdown as Pelican's Python-Markdown reads it, rendered by cmark: the source rewritten
first where Python-Markdown reads it otherwise (as_python_markdown), code blocks' language
lines read afterwards as its codehilite reads them (code_headers)."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from contextvars import ContextVar
from itertools import accumulate

from . import (markdown_html, pelican_attributes, pelican_code_spans, pelican_emphasis, pelican_fences,
               pelican_lists, pelican_references, pelican_tables)
from .pelican_escapes import (BRACES, MARKING_BRACES, QUOTED_TAG, TEXT_LINE, line_escapes,
                              quoted_tags_marked)
from .markdown_code import (CMARK_RAW, CMARK_RAW_BLOCK, closes, opens, outside_code,
                            spaced_link_destinations, starts_html_block)
from .pelican import numbered_blocks, numbered_code
from .pelican_tag_lines import (BLOCK_ELEMENTS, INLINE_MARK, START_TAG, block_tag_as_text, end_tag_as_text,
                                inline_tag_marked)


# Python-Markdown's codehilite reads an indented code block's first line as its language
# when it starts with `::` or `#!`, and drops it unless it names a path (`#!/bin/sh`); after
# `#!` it numbers the lines, in a column beside the code.
_CODE_HEADER = re.compile(r"(?:::+|#!)(?P<path>(?:/\w+)*[/ ])?")
_PLAIN_CODE = "<pre><code>"
# A fenced block without a language is marked so (as_python_markdown), then written plain.
FENCED = "pelican-fenced"
_FENCED_CODE = f'<pre><code class="language-{FENCED}">'


def finish(html: str, numbers: tuple[str | None, int] = (None, 1)) -> str:
    """The HTML cmark wrote for as_python_markdown's source, as Python-Markdown writes it;
    numbers: how its codehilite numbers code blocks' lines (pelican.code_line_numbers)."""
    kind, start = numbers
    html = html.replace(INLINE_MARK, "") if INLINE_MARK in html else html
    html = html.replace(TEXT_LINE, "") if TEXT_LINE in html else html  # a line Python-Markdown reads as text
    html = pelican_emphasis.finish(pelican_code_spans.finish(code_headers(html, kind is None)))
    html = html.replace(FENCED, "") if FENCED in html else html  # a fence line cmark read as text
    html = pelican_attributes.without_attribute_lists(html)
    if MARKING_BRACES.get() and _BRACE_MARKS.search(html):  # escaped braces: text again (an address's too)
        html = _BRACE_MARKS.sub(lambda found: _BRACES_BACK[found.group(0)], html)
    return numbered_blocks(html, kind, start) if kind else html


_BRACES_BACK = {mark: brace for brace, mark in BRACES.items()} | {"%E2%A6%83": "%7B", "%E2%A6%84": "%7D"}
_BRACE_MARKS = re.compile("|".join(map(re.escape, _BRACES_BACK)))


def code_headers(html: str, shebang_numbers: bool = True) -> str:
    """HTML of Markdown with indented code blocks' language lines read as Pelican's
    codehilite reads them (cmark writes such blocks, and fenced ones without a language,
    as a bare <pre><code>); shebang_numbers: whether a `#!` line numbers the block (unless
    the site's codehilite says how)."""
    if _PLAIN_CODE not in html:
        return html.replace(_FENCED_CODE, _PLAIN_CODE)
    first, *blocks = html.split(_PLAIN_CODE)
    for number, block in enumerate(blocks):
        line_end = block.find("\n")
        header = _CODE_HEADER.match(block, 0, line_end) if line_end >= 0 else None
        if header and header.group("path") is None:
            block = block[line_end + 1:]
        block = _PLAIN_CODE + block
        shebang = shebang_numbers and header and header.group(0).startswith("#!")
        blocks[number] = numbered_code(block) if shebang else block
    return (first + "".join(blocks)).replace(_FENCED_CODE, _PLAIN_CODE)


# Python-Markdown (Pelican's) and CommonMark (cmark) read some Markdown differently; the
# source is rewritten so that cmark renders what Python-Markdown does:
# - a list starts only at the start of a block: a `- item` or `1. item` line right under a
#   paragraph's line is text of that paragraph;
# - `1)` starts no list;
# - `#Title` (no space) is a heading, and so is `#Title#` (its closing `#` run dropped);
#   ` # Title` (indented) is text;
# - a link's reference definition may end a paragraph: `[label]: url` under its last line;
# - a line holding only a tag of an inline element (`</br>`, `<img …>`) starts a paragraph,
#   or goes on with a list item's, not a block of HTML (pelican_tag_lines); in an item's
#   text 4 columns in, a block element's tag (`<p>`) is text too: the Markdown under it is read;
# - a `===` line underlines only a block's first line: under a longer paragraph it is text;
#   under a block's first line that would start a list (`1. Setup`), a heading of that line;
# - a block-level HTML element is HTML up to its end tag (markdown_html.html_blocks);
# - a link's address may hold spaces, and go on on the next line: `[text](a b)`; a quote
#   there starts its title, which may hold parentheses and go on over lines;
# - `Term` then `: definition` lines are a definition list (goldmark.definition_lists), unless
#   the site's MARKDOWN setting leaves out extra and its def_list (pelican.extra_part);
# - a backslash escapes only \`*_{}[]()>#+-.!| ; before any other character, and at the
#   end of a line, it is text;
# - lists nest by 4 columns a level, whatever the width of the item's marker, and go on after
#   any number of blank lines; a block that an item's paragraph starts is read whole; a
#   marker alone on its line starts no item (readers.pelican_lists);
# - a setext heading's underline ends its block: a list may start under it;
# - `<name anything>` is a tag when its attributes' names start with any character
#   (`<function f at 0x7f>`, hidden), a `<!DOCTYPE …>` only when it starts a line
#   (readers.pelican_escapes).
_LIST_ITEM = re.compile(r" {0,3}(?:[*+-]|\d+\.)(?=[ \t])")
_PAREN_ITEM = re.compile(r"^( {0,3}\d+)(\)[ \t])")
_HEADING = re.compile(r"#{1,6}(?:[ \t]|$)")
_BREAK = re.compile(r" {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*")
_TIGHT_HEADING = re.compile(r"#{1,6}(?=[^# \t])|#{6}(?=#)")  # no-break space too; 7 `#`: a level 6 and a `#`
# A heading's closing `#` run: Python-Markdown drops it without a space before it (`##Title##`),
# cmark only after one.
_CLOSING_HASHES = re.compile(r"(?<=[^ \t#\\])#+$")
_ABBREVIATION = re.compile(r"\*\[[^\\\n]*?\] ?:")  # Python-Markdown's: a label without backslashes
_OPEN_REFERENCE = re.compile(r"&#(?:[0-9]+|[xX][0-9a-fA-F]+)(?![0-9a-fA-F;])")
_STAR = re.compile(r"\*(?! )")  # a star that may be emphasis: not a list item's marker
_SYMBOL_UNDERSCORES = pelican_emphasis.SYMBOL_UNDERSCORES
_TABLE_RULE = re.compile(r" {0,3}\|?[ :]*-[-: |]*")  # under a table's head row (Python-Markdown's `extra`)
_INDENTED_HEADING = re.compile(r" {1,3}(?=#{1,6}(?:[ \t]|$))")
_RAW_END = re.compile(r"</(?:pre|script|style|textarea)>", re.I)  # ends a <pre>'s block of HTML in both
_COMMENT_OPEN = re.compile(r" {0,3}<!--")  # a comment starting a line (and a block)
_SETEXT_H1 = re.compile(r" {0,3}=+[ \t]*")
_UNDERLINE = re.compile(r"[=-]+[ ]*")  # Python-Markdown's setext underline: at the line's start
_QUOTE = re.compile(r"(?: {0,3}> ?)+")
def _destinations(text: str) -> str:
    return spaced_link_destinations(text, across_lines=True, titles_apart=True)


def _html_blocks(text: str, whole: bool = False) -> str:
    """Blocks of HTML made plain (markdown_html.html_blocks), and numeric character
    references ended: Python-Markdown reads the text outside fenced code with Python's
    HTMLParser first, which takes `&#39` for `&#39;` wherever it stands, code too;
    abbreviations' definitions taken out. whole: text is all the article's (no fenced code
    splits it), so an element left open makes the rest of it HTML, as Python-Markdown reads
    it (its end tag may come after a fence otherwise)."""
    if "&#" in text:
        text = _OPEN_REFERENCE.sub(r"\g<0>;", text)
    text = _without_abbreviations(text) if "*[" in text else text
    return markdown_html.html_blocks(text, lambda name: name in BLOCK_ELEMENTS and name not in CMARK_RAW,
                                     unclosed_raw=whole, tail_apart=BLOCK_ELEMENTS.__contains__)


def _without_abbreviations(text: str) -> str:
    """Python-Markdown's abbreviations (extra's abbr): a definition, `*[HTML]: Hyper Text
    Markup Language` at a line's start (its title on the next line when none follows the
    colon), is no text; a blank line in its place, as it splits the block it is in."""
    lines = text.split("\n")
    for number, line in enumerate(lines):
        if line.startswith("*[") and (found := _ABBREVIATION.match(line)):
            lines[number] = ""
            if not line[found.end():].strip(" ") and number + 1 < len(lines):
                lines[number + 1] = ""
    return "\n".join(lines)


def _rewrite_line(line: str, block: str, columns: list[int], line_start: bool | None,
                  underlined: bool = False) -> tuple[str, str]:
    """A line outside code, rewritten (see above), and the kind of block it leaves open;
    line_start: whether it starts the source's line (no quote's `>` before it), None when
    only the block is wanted (its backslashes and tags are then left as they are);
    underlined: whether the next line is a setext heading's underline (`===`, `---`), which
    makes a block's first line a heading to Python-Markdown, a list item's too."""
    indented = len(line) - len(line.lstrip(" \t")) >= 4 or line.startswith("\t")
    if indented and block in ("", "code"):
        return line, "code"
    in_list = block in ("list", "list-code", "list-para")
    if (bare := pelican_lists.bare_marker(line, block, columns)) is not None:
        line, block = bare
        return _escaped(line, line_start), block
    if not in_list and block not in ("html", "raw") and _COMMENT_OPEN.match(line):
        return line, "comment" if "-->" not in line else _after_comment(line)  # HTML in both
    if block in ("html", "raw") or (block in ("", "code", "after-list")
                                    and starts_html_block(line, BLOCK_ELEMENTS.__contains__)):
        raw = block == "raw" or (block != "html" and CMARK_RAW_BLOCK.match(line) is not None)  # <pre>…
        return line, ("" if _RAW_END.search(line) else "raw") if raw else "html"  # raw in both, escapes too
    if in_list or (block == "after-list" and (indented or (_LIST_ITEM.match(line) and not underlined))):
        starts = block == "after-list"
        line, block = pelican_lists.list_line(line, block, columns)
        if block == "list-code":  # an item's indented code: its backslashes and tags are code's, as above
            return line, block
        if (block == "list" and not _LIST_ITEM.match(line.lstrip(" \t"))) or (starts and block == "list-para"):
            # A tag alone on a line of an item's paragraph (`<img …>` under `2. Step`), or starting one:
            # Python-Markdown reads it in the paragraph; cmark's block of HTML would end the list unindented.
            line = inline_tag_marked(line)
        line = block_tag_as_text(line) if indented and block in ("list", "list-para") else line
    elif block.startswith("para"):  # "para+" from its second line on
        if pelican_references.is_definition(line):  # one to cmark under a blank line; a block starts under it
            return "\n" + pelican_references.titles_escaped(_escaped(line, line_start)), ""
        if block == "para" and _UNDERLINE.fullmatch(line):  # a heading's underline: a block starts under it
            return _escaped(line, line_start), ""
        if block == "para+" and (rule := pelican_tables.rule_as_text(line)) is not None:
            return rule, block  # under a paragraph's second line or later: its text (no backslash in it)
        if (item := _LIST_ITEM.match(line)) and not _BREAK.fullmatch(line):
            line = line[: item.end() - 1] + "\\" + line[item.end() - 1:]  # the marker, escaped, is text
        elif block == "para+" and _SETEXT_H1.fullmatch(line):
            return line.replace("=", "\\=", 1), block  # escaped, it is text
        line, block = _paragraph_line(line, first=False), "para+"
    elif block in ("", "code", "after-list"):
        item = _LIST_ITEM.match(line)
        outdented = block == "after-list" and not item  # under a list, less than 4 columns in
        block = "list" if item and not underlined else "para"
        columns.clear()
        if item and underlined:  # `1. Setup` over `====`: a heading, its marker text
            line = line[: item.end() - 1] + "\\" + line[item.end() - 1:]
        line = (pelican_lists.nested(line, columns) if block == "list"
                else _paragraph_line(line, True, outdented))
    line = _PAREN_ITEM.sub(r"\1\\\2", line, count=1)
    if _TIGHT_HEADING.match(line):
        line = _TIGHT_HEADING.sub(r"\g<0> ", line, count=1)
    if _HEADING.match(line):  # a heading ends its block: a list may start under it
        line, block = _CLOSING_HASHES.sub(r" \g<0>", line, count=1), ""
    elif block == "para" and _BREAK.fullmatch(line):  # a rule starting a block: a block starts under it
        block = ""
    line = _escaped(line, line_start)
    return (pelican_references.titles_escaped(line) if "]:" in line else line), block


def _escaped(line: str, line_start: bool | None) -> str:
    """line_escapes, when the line's escapes are wanted (line_start not None)."""
    return line_escapes(line, line_start) if line_start is not None else line


# Whether the article has no fenced code: an element's end tag may come after a fence otherwise
_WHOLE: ContextVar[bool] = ContextVar("pelican_whole", default=False)


def _paragraph_line(line: str, first: bool, outdented: bool = False) -> str:
    """A paragraph's line (first: the line that starts it) kept text where cmark reads it
    otherwise: a heading indented 1 to 3 spaces (Python-Markdown's starts at column 0) and,
    starting the paragraph, a line holding only a tag of an inline element (cmark starts a
    block of HTML there, its kind 7, that runs to the next blank line). outdented: one under
    a list and a blank line, given unindented: Python-Markdown's lists take a block only 4
    columns in, cmark's item would take it from its text's column on (and code under it).
    An end tag no element open closes is text on any line (end_tag_as_text): told so in an
    article without fenced code, whose blocks of HTML run to their elements' ends (_html_blocks)."""
    if indent := _INDENTED_HEADING.match(line):
        line = line[: indent.end()] + "\\" + line[indent.end():]
    elif first:
        line = inline_tag_marked(line)
    line = end_tag_as_text(line) if "</" in line and _WHOLE.get() else line
    return line.lstrip(" ") if outdented else line


def _after_comment(line: str) -> str:
    """The block a comment's last line leaves: none, or a paragraph when anything follows `-->`."""
    return "" if line.endswith("-->") else "para"


def as_python_markdown(text: str) -> str:
    """Markdown rewritten so that cmark renders it as Python-Markdown does (see above); in a
    block quote, what follows the `>` is read so."""
    MARKING_BRACES.set(not any(mark in text for mark in BRACES.values()))
    labels = pelican_references.definitions(text)
    quoted_tags = TEXT_LINE not in text and QUOTED_TAG.search(text)
    text, fenced = pelican_fences.python_markdown_fences(text)
    _WHOLE.set(not fenced)
    text = quoted_tags_marked(text) if quoted_tags else text
    whole = not fenced  # no fenced code: one stretch
    empty = pelican_references.empty_label_address(text)  # `[]: url`, which cmark does not read
    blocks = (lambda stretch: _html_blocks(stretch, whole)) if labels is None else (lambda stretch: _html_blocks(
        pelican_references.unmatched_as_text(pelican_references.empty_label_read(stretch, empty), labels), whole))
    tables = pelican_code_spans.table_code_pipes  # a pipe in a code span in a table's cell is the code's
    rows = pelican_tables.rows_for_cmark
    lines = outside_code(text, _destinations, lambda stretch: rows(tables(blocks(stretch)))).split("\n")
    if ("`" in text or _STAR.search(text) or _SYMBOL_UNDERSCORES.search(text)) and (
            pelican_code_spans.usable(text) and pelican_emphasis.MARK not in text):
        lines = _inline_rewrites(lines)
    for number, prefix, _inner, rewritten, kind in _walk(lines):
        if empty is not None and kind in _TEXT_KINDS:  # `[]` there: a link to the empty label
            rewritten = pelican_references.bare_empty_read(rewritten, empty, labels, lines[number - 1] if number else "")
        blank = rewritten.startswith("\n")  # a blank line before it, in the quote it is in
        lines[number] = (prefix.rstrip() + rewritten[:1] if blank else "") + prefix + rewritten[blank:]
    return "\n".join(lines)


_TEXT_KINDS = frozenset(("para", "para+", "list", "list-para", "item", "heading"))  # read inline (_inline_kind)


def _walk(lines: list[str], escapes: bool = True) -> Iterator[tuple[int, str, str, str, str]]:
    """Each line outside fenced code and HTML comments, not blank, as read above: its number,
    its quotes' `>` prefix (indented to an item's text for a quote in that item,
    pelican_lists.quote_in_item), what follows it, that rewritten (its backslashes and tags too
    when escapes), and the kind of block it leaves open ("fence" for a fence's opening line;
    a fence line Python-Markdown reads as text is marked so, pelican_fences)."""
    fence, block, depth = "", "", 0  # the open fence; the kind of block the line is in; quotes
    columns: list[int] = []  # where each open list level's items' text starts, for cmark
    blank = True  # whether the line before was blank
    held: tuple[str, list[int], str] | None = None  # a quote in an item: the list's block, columns, indent
    last = len(lines) - 1
    for number, line in enumerate(lines):
        if fence:
            fence = "" if closes(fence, line) else fence
            continue
        if block == "comment":  # raw up to its end, blank lines too
            block = _after_comment(line) if "-->" in line else block
            continue
        in_html = block in ("html", "raw") and not depth  # a `>` there is the HTML's text, in both
        prefix = quote.group(0) if not in_html and (quote := _QUOTE.match(line)) else ""
        # In a quote in an item's paragraph under a blank line, a `>` line 4 columns in is the quote's
        # too: Python-Markdown takes the item's indent off that block's lines, then up to 3 spaces and
        # the `>` off each quote's line (under the item's own line, it is text: pelican_lists.list_line)
        in_block = held and held[0] == "list-para" and not prefix and line.startswith("    ")
        skip = 4 if in_block and (quote := _QUOTE.match(line, 4)) else 0
        prefix = quote.group(0) if skip and quote else prefix
        lazy = depth and not prefix and not blank and not opens(line)  # the quote goes on to a blank line
        if held and not prefix and (not lazy or pelican_lists.ends_item_quote(line)):
            block, columns, depth, lazy, held = held[0], held[1], 0, False, None  # the list goes on
        elif prefix and not depth and (indent := pelican_lists.quote_in_item(block, columns, blank)):
            held = (block, columns[:], indent)
        placed = held[2] + prefix if held else prefix  # what cmark is given before the line's text
        blank = not line.strip()
        if prefix.count(">") != depth and not lazy:
            block, depth = "", prefix.count(">")
        inner = line[skip + len(prefix):]
        if not inner.strip():
            block = "after-list" if block in ("list", "list-code", "list-para", "after-list") else ""  # any number
            if held and prefix:  # `>` alone: the quote's blank line, in the item too
                yield number, placed, inner, inner, block
        elif opening := opens(inner):
            fence, block = opening.group(1), ""
            marked = not inner[opening.end():].strip()  # told apart from indented code in the HTML
            yield number, placed, inner, inner.rstrip() + FENCED if marked else inner, "fence"
        else:
            before = block
            following = lines[number + 1] if number < last else ""
            underlined = not prefix and following[:1] in ("=", "-") and bool(_UNDERLINE.fullmatch(following))
            rewritten, block = _rewrite_line(inner, block, columns, not prefix if escapes else None,
                                             underlined)
            if lazy:  # in the quote to cmark too, whatever the line holds
                cut = rewritten.startswith("\n")
                rewritten = rewritten[:cut] + ">" * depth + " " + rewritten[cut:]
            yield number, placed, inner, rewritten, _inline_kind(before, block, inner, rewritten)


def _inline_kind(before: str, after: str, inner: str, rewritten: str) -> str:
    """The block a line leaves open, told "para"/"item" when it starts a text Python-Markdown
    reads inline as one (a paragraph, a list item's text, a heading: "heading"), "para+"/
    "list" when it goes on with one."""
    text = inner.lstrip(" \t")
    if after in ("list", "list-para") and _HEADING.match(rewritten.lstrip(" ")) and not pelican_lists.ITEM.match(text):
        return "heading"  # at a level's indent, in an item: Python-Markdown splits the item's block there
    if after == "list-para":  # a paragraph of an item under a blank line, read inline whole
        return "item" if before == "after-list" else "list"
    if after == "list":
        return "item" if pelican_lists.ITEM.match(text) else after
    if after == "" and _HEADING.match(rewritten):
        return "heading"
    if after == "" and rewritten.startswith("\n"):  # a reference's definition under a paragraph's
        return "para"  # line: its label is marked as one starting a block is, and as the links to it
    return after if after != "para+" or before.startswith("para") else "para"


def _inline_texts(lines: list[str]) -> list[list[tuple[int, int]]]:
    """The texts Python-Markdown reads inline as one, each as its lines' numbers and the
    lengths of their quotes' prefixes; not blocks of HTML, comments nor tables."""
    texts: list[list[tuple[int, int]]] = []
    going_on = False  # whether the last line read goes on in the next
    last, last_kind = -2, ""
    for number, _prefix, inner, _rewritten, kind in _walk(lines, escapes=False):
        start = len(lines[number]) - len(inner)  # past the quotes' `>`
        under_heading = last_kind == "heading" and number == last + 1  # in an item: a text starts under it
        if kind in ("para+", "list") and going_on and number == last + 1:
            texts[-1].append((number, start))
        elif kind in ("para", "item", "heading") or (kind in ("para+", "list") and under_heading):
            texts.append([(number, start)])
            going_on = kind != "heading"
        else:
            going_on = False
        last, last_kind = number, kind
    return [text for text in texts if _read_inline(lines, text)]


def _read_inline(lines: list[str], text: list[tuple[int, int]]) -> bool:
    first = lines[text[0][0]][text[0][1]:].lstrip(" ")
    tag = START_TAG.match(first)
    if first.startswith("<!--") or (tag and tag.group(1).lower() in BLOCK_ELEMENTS | CMARK_RAW):
        return False
    return not any(_TABLE_RULE.fullmatch(lines[number][start:]) for number, start in text[1:2])


def _inline_rewrites(lines: list[str]) -> list[str]:
    """lines with each text read inline as one rewritten as a whole: its code spans as
    Python-Markdown finds them, as placeholders (readers.pelican_code_spans), a span's lines
    joined into one; its `*` runs marked where only Python-Markdown reads emphasis
    (readers.pelican_emphasis)."""
    out: list[str] = []
    done = 0
    for text in _inline_texts(lines):
        first, last = text[0][0], text[-1][0]
        backticks = sum(lines[number].count("`") for number, _start in text)
        if backticks < 2 and not any(_STAR.search(lines[number]) or _SYMBOL_UNDERSCORES.search(lines[number])
                                     for number, _start in text):
            continue  # no code span to pair, no emphasis to mark
        out += lines[done:first]
        joined = "\n".join(lines[number][start:] for number, start in text)
        line_starts = list(accumulate((len(lines[number]) - start + 1 for number, start in text[:-1]), initial=0))
        rewritten, starts = pelican_code_spans.placeholders(joined) if "`" in joined else (joined, line_starts)
        for piece, start in zip(pelican_emphasis.marked(rewritten).split("\n"), starts):
            number, prefix = text[bisect_right(line_starts, start) - 1]
            out.append(lines[number][:prefix] + piece)
        done = last + 1
    return out + lines[done:]
