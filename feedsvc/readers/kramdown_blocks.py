"""What kramdown makes of a Markdown text's blocks, where cmark reads them otherwise (see
readers.kramdown, which applies these): indented code, link definitions' addresses, list
items and paragraphs, lone backticks and the spaces of code spans (the line numbers of code
are kramdown_numbering's)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from .kramdown_lazy_items import lazy_markers_as_text
from .markdown_code import (BLANK_LINE, CMARK_RAW, MAX_DESTINATION, backtick_runs, closes, opens,
                            few_backticks, starts_html_block)

SPAN_ELEMENTS = frozenset("""a abbr acronym b big bdo br button cite code del dfn em i img input
    ins kbd label mark option q rb rbc rp rt rtc ruby samp select small span strong sub sup tt
    u var""".split())
_ORDERED_ITEM = re.compile(r" {0,3}\d{1,9}\.[ \t]+\S")
# What a paragraph does not start with (a list's `*`, `+` or `-` only before white space:
# `**Name**: text` is a paragraph).
_NOT_PARAGRAPH = re.compile(r" {0,3}(?:[*+\-](?:[ \t]|$)|[<#>|`~:]|\d{1,9}[.)]|\{:)")
# `<mailto:address>` whose address cmark's email autolinks take (a domain's labels of 63 characters at most).
_MAIL_AUTOLINK = re.compile(r"<mailto:([A-Za-z0-9_.!#$%&'*+/=?^`{|}~-]++@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                            r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*+)>")
# Where an address's parentheses are counted (readers.kramdown's literal backslashes).
_DESTINATION_MARK = re.compile(r"[()\n]")
MAX_MARKS = 8  # parentheses an address is read through (a Wikipedia one holds two)
# A backslash escaping a parenthesis (after pairs of backslashes, from a run's start).
_ESCAPED_PARENTHESIS = re.compile(r"(?<!\\)((?:\\\\)*+)\\([()])")
# A line that starts what cmark keeps raw up to its end, blank lines included: a `<pre>`-like
# element (group 1) or a comment.
RAW_OR_COMMENT = re.compile(r"^ {0,3}(?:<(pre|script|style|textarea)(?=[\s>]|$)|<!--)", re.IGNORECASE | re.MULTILINE)
LIST_ITEM = re.compile(r" {0,3}(?:[*+-]|\d{1,9}\.)(?:[ \t]|$)")
# After quote and list markers (`> 2)`, `+ 2)`). Possessive: a long run of markers is read once.
_PARENTHESIS_ITEM = re.compile(r"^((?:[ ]{0,3}(?:>|[*+-](?=[ \t])|\d{1,9}\.(?=[ \t]))[ \t]?)*+[ ]{0,3}\d{1,9})\)(?=[ \t]|$)",
                               re.MULTILINE)
_COMMENT_AT_LINE_START = re.compile(r"^ {0,3}<!--", re.MULTILINE)
_SPACES = re.compile(r"[ \t]*+")
# A line that goes on no code block lazily: an attribute list, an end-of-block mark, a block
# element's tag (of any element but a span's).
_ENDS_LAZY_CODE = re.compile(r" {0,3}(?:\{:|\^[ \t]*$|</?(?!(?:%s)\b)[A-Za-z])" % "|".join(sorted(SPAN_ELEMENTS)),
                             re.IGNORECASE)
_LAZY_CODE_LINE = re.compile(r"\n( {0,3}\S)")
_ATX_START = re.compile(r" {0,3}#{1,6}[ \t]")
# A line that ends its block: a heading's, a rule's or a heading's underline (code may follow it).
_ENDS_BLOCK = r" {0,3}(?:#{1,6}[ \t][^\n]*+|([-*_])(?:[ \t]*+\1){2,}+[ \t]*+|=++[ \t]*+)(?:\n|$)"
_BLOCK_END_LINE = re.compile(_ENDS_BLOCK)
_HEADING_LINE = re.compile(r"^" + _ENDS_BLOCK[:-8] + r"\n(?=\t| {4})", re.MULTILINE)  # code after it


def outside_raw_blocks(text: str, rewrite: Callable[[str], str]) -> str:
    """rewrite applied to each block of text (between blank lines; a heading's line before code
    is a block of its own) but what cmark keeps raw from a line that starts a `<pre>`, `<script>`,
    `<style>` or `<textarea>` block (which may follow a paragraph's line) up to its end tag, or
    a comment up to its `-->` (a `<number>` in a commented-out listing is no element), blank
    lines included."""
    out, raw_until = [], ""  # the end tag of such a block open
    for block in BLANK_LINE.split(text):
        opening = None if raw_until else RAW_OR_COMMENT.search(block)
        if opening and not opening.group(1) and "-->" in block[opening.end():]:
            opening = None  # a comment ended in its block: the block is read as before
        if opening:
            out += [_rewritten_apart(block[:opening.start()], rewrite), block[opening.start():]]
            end = f"</{opening.group(1).lower()}" if opening.group(1) else "-->"
            raw_until = "" if end in block[opening.end():].lower() else end
        elif raw_until:
            out.append(block)
            raw_until = "" if raw_until in block.lower() else raw_until
        else:
            out.append(_rewritten_apart(block, rewrite))
    return "".join(out)


def after_headings(block: str) -> list[str]:
    """A block (text between blank lines) split after each heading's or rule's line followed
    by a line indented as code: that line starts a block of code."""
    if "\n\t" not in block and "\n    " not in block:
        return [block]
    ends = [found.end() for found in _HEADING_LINE.finditer(block)]
    return [block[start:end] for start, end in zip([0, *ends], [*ends, len(block)]) if start < end]


def _rewritten_apart(block: str, rewrite: Callable[[str], str]) -> str:
    if not block or "\n\t" not in block and "\n    " not in block:  # no line indented as code
        return rewrite(block) if block else block
    parts = after_headings(block)
    return rewrite(block) if len(parts) == 1 else "".join(rewrite(part) for part in parts)


def comments_before_text(text: str) -> str:
    """HTML comments that start a line and end before text on their last line taken out (feeds
    show none): kramdown reads such a comment as a block of its own, or a span of a paragraph,
    and the text after it as Markdown; cmark makes the whole line raw HTML (`<!--more-->The
    [post](/a)` showed its link as written). A comment alone on its line is left as it is, and
    so is any in what cmark keeps raw (`<pre>` and the like)."""
    return outside_raw_blocks(text, _comments_in_block) if "<!--" in text else text


def _comments_in_block(block: str) -> str:
    out: list[str] = []
    position, close = 0, -1
    for found in _COMMENT_AT_LINE_START.finditer(block):
        start = found.end() - 4
        if start < position:
            continue  # in a comment taken out
        cursor = start
        while block.startswith("<!--", cursor):  # comments one after another on the line
            # The end found for a comment before, if this one starts before it: each searched once.
            close = close if cursor + 4 <= close else block.find("-->", cursor + 4)
            if close < 0:  # none closes after this one either
                return "".join(out) + block[position:]
            after = _SPACES.match(block, close + 3).end()  # type: ignore[union-attr]
            if after == len(block) or block[after] in "\r\n":
                break
            cursor = after
        if cursor > start and not block.startswith("<!--", cursor):
            out.append(block[position:start])
            position = cursor
    return "".join(out) + block[position:]


def is_block(name: str) -> bool:
    return name not in SPAN_ELEMENTS and name not in CMARK_RAW


class PieceContext:
    """Where the last piece of a stretch read by indented_code left off (a code span cuts a stretch into
    pieces, the next one starting mid-line): in a list, after a blank line, mid-line, in an item's fence,
    in indented code (a line of code holding backticks goes on in the next piece)."""

    def __init__(self) -> None:
        self.reset()

    def reset(self, stretch: str = "") -> str:
        self.in_list, self.after_blank, self.mid_line, self.fence, self.in_code = False, True, False, "", False
        return stretch


def indented_code(text: str, lazy: bool = False, context: PieceContext | None = None) -> Iterator[tuple[int, int]]:
    """Where text's indented code blocks are: lines indented four spaces or a tab after a blank
    line, a heading's line (`### Setup`), a rule's (`---`) or the text's start, up to the next line indented less (with lazy, but lines that
    go on a line of code: kramdown reads those lazily, as a paragraph's); not in a list, where
    such lines go on its item (kramdown reads them so as an item's content is indented), but
    for an item's fenced code indented so (without lazy: each line is kept as written). With
    context, text goes on where the last piece left off (its first line too, when that one's did)."""
    context = context or PieceContext()
    fence = "" if lazy else context.fence
    going_on_code = context.mid_line and context.in_code
    position, start, after_blank, in_list, previous_blank = 0, 0 if fence or going_on_code else -1, context.after_blank, context.in_list, True
    for number, line in enumerate(text.splitlines(keepends=True)):
        going_on = not number and context.mid_line  # the rest of a line begun before a code span
        blank = not line.strip() and not going_on
        indented = line.startswith(("    ", "\t")) and not going_on
        opening = None if fence or lazy or start >= 0 or not (in_list and indented) else opens(line.lstrip(" \t"))
        if fence or opening:  # an item's fenced code: this line opens it, goes on or closes it
            if opening:
                fence, start = opening.group(1), position
            elif closes(fence, line.lstrip(" \t")):
                yield start, position + len(line)
                start, fence, after_blank = -1, "", True
            position += len(line)
            continue
        if start >= 0 and not blank and not indented and not going_on and not (
                lazy and not previous_blank and not _ENDS_LAZY_CODE.match(line)):  # no line going on the code
            yield start, position
            start = -1
        if start < 0 and indented and after_blank and not in_list and not blank:
            start = position
        elif not blank and not indented and start < 0 and not going_on:
            in_list = bool(LIST_ITEM.match(line)) or (in_list and not after_blank)
        after_blank, previous_blank = blank or start >= 0 or bool(_BLOCK_END_LINE.match(line)), blank
        position += len(line)
    if start >= 0:
        yield start, position
    context.in_list, context.after_blank, context.fence, context.in_code = in_list, after_blank, fence, start >= 0
    context.mid_line = not text.endswith("\n")


def lazy_code_lines_joined(text: str) -> str:
    """The lines indented less that go on an indented code block (with no blank line between),
    each joined to the line before it with a space, as kramdown joins them (cmark ends the
    code there, and reads them as a paragraph: `class A \\< B` lost its backslash). Not inside a
    comment (a diagram commented out, its `-->` on the line after it, stays a comment's)."""
    if "\n    " not in text and "\n\t" not in text:
        return text
    pieces, position, in_comment, scanned = [], 0, False, 0
    for start, end in indented_code(text, lazy=True):
        in_comment, scanned = _in_comment(text, scanned, start, in_comment), start
        if not in_comment:
            pieces += [text[position:start], _LAZY_CODE_LINE.sub(r" \1", text[start:end])]
            position = end
    return "".join(pieces) + text[position:]


def _in_comment(text: str, position: int, start: int, inside: bool) -> bool:
    """Whether start is inside a comment, inside telling whether position is (each stretch of
    text looked at once, in order)."""
    while True:
        mark = text.find("-->" if inside else "<!--", position, start)
        if mark < 0:
            return inside
        inside, position = not inside, mark + (3 if inside else 4)


def mail_autolinks(text: str) -> str:
    """`<mailto:a@b.org>` shows `a@b.org` in kramdown, `mailto:a@b.org` in cmark: written as
    cmark's email autolink `<a@b.org>` when the address is one cmark takes."""
    return _MAIL_AUTOLINK.sub(r"<\1>", text)


def literal_backslashes_in_destinations(text: str) -> str:
    """`[a](https://e.org/wiki/Type_(kind\\)#Box)`: kramdown reads no escape in a link's address,
    the backslash staying and its parenthesis counted; cmark takes `\\)` for an escaped one
    and finds no link. Such a backslash is doubled there (a backslash to cmark too). Each
    `](` looks at most MAX_DESTINATION characters and MAX_MARKS parentheses ahead."""
    pieces, position, searched = [], 0, 0
    while (start := text.find("](", searched)) >= 0:
        depth, index, limit, marks = 1, start + 2, min(len(text), start + 2 + MAX_DESTINATION), 0
        while depth and marks < MAX_MARKS and (mark := _DESTINATION_MARK.search(text, index, limit)):
            if mark.group() == "\n":
                break
            depth, index, marks = depth + (1 if mark.group() == "(" else -1), mark.end(), marks + 1
        searched = index if depth == 0 else start + 2
        if depth == 0 and "\\" in text[start + 2:index]:
            pieces += [text[position:start + 2], _ESCAPED_PARENTHESIS.sub(r"\1\\\\\2", text[start + 2:index])]
            position = index
    return "".join(pieces) + text[position:]


def parenthesis_items_as_text(text: str) -> str:
    """kramdown numbers a list's items `1.` only: a line that starts `2)` is text to it, in a
    quote or a list's item too (`> 2)`, `+ 2)`; cmark starts a list, or ends the paragraph,
    there), so its parenthesis
    is escaped; not in a block of HTML (a paragraph html_blocks made, starting with a block
    element's tag) nor in a line indented as code."""
    if ")" not in text:
        return text
    blocks = BLANK_LINE.split(text)
    return "".join(block if starts_html_block(block, is_block) else _PARENTHESIS_ITEM.sub(r"\1\\)", block)
                   for block in blocks)


def ordered_items(text: str) -> str:
    """A blank line before an ordered list's item that interrupts a paragraph (one that
    starts with text, after a blank line: not a list, quote, table, HTML or code); first, the
    markers of lines kramdown reads as an item's text escaped (readers.kramdown_lazy_items)."""
    lines = lazy_markers_as_text(text).split("\n")
    out: list[str] = []
    paragraph, block_start = False, True
    for line in lines:
        if not line.strip():
            paragraph, block_start = False, True
        elif block_start:
            paragraph = not line.startswith(("    ", "\t")) and not _NOT_PARAGRAPH.match(line)
            block_start = False
        elif paragraph and _ORDERED_ITEM.match(line):
            out.append("")
            paragraph = False
        out.append(line)
    return "\n".join(out)




_ABBREVIATION = re.compile(r"^ {0,3}\*\[[^\]\n]{1,999}\]:[^\n]*+\n?", re.MULTILINE)


def without_abbreviations(text: str) -> str:
    """kramdown's abbreviation definitions (`*[CSS]: Cascading Style Sheets`) are not text:
    removed where a block may start (after a blank line or another definition)."""
    pieces, position, last_end = [], 0, -1
    for definition in _ABBREVIATION.finditer(text):
        start = definition.start()
        if start and not text.endswith("\n\n", 0, start) and start != last_end:
            continue  # in a paragraph
        pieces.append(text[position:start])
        position = last_end = definition.end()
    return "".join(pieces) + text[position:]


# A whole line: not the start of one a code span ends.
_LONE_MARKS = re.compile(r"^( {0,3})(#{1,6}[ \t]*|[*+])(?=\n)", re.MULTILINE)
_HEADING_ID = re.compile(r"[ \t]+\{#[A-Za-z][\w:-]*\}[ \t]*")
_SETEXT_UNDERLINE = re.compile(r" {0,3}(?:=+|-+)[ \t]*")


def has_lone_marks(text: str) -> bool:
    """Whether a line holds hashes alone (no heading to kramdown), or a star or plus alone (no
    list item: kramdown wants a space after the marker); looked for only where one may be."""
    return ("#" in text or "*\n" in text or "+\n" in text) and bool(_LONE_MARKS.search(text))


def lone_marks_escaped(text: str) -> str:
    """Such lines' marks escaped: text to cmark too."""
    return _LONE_MARKS.sub(r"\1\\\2", text)


def without_heading_ids(text: str) -> str:
    """A heading's id written at its end (`## Title {#title}`) is no text to kramdown; taken
    out of ATX headings and of a setext heading's line."""
    lines = text.split("\n")
    for number, line in enumerate(lines):
        if "{#" not in line or not line.rstrip().endswith("}"):
            continue
        underline = lines[number + 1] if number + 1 < len(lines) else ""
        if _ATX_START.match(line) or underline.strip() and _SETEXT_UNDERLINE.fullmatch(underline):
            start = line.rfind("{#")
            end = len(line[:start].rstrip(" \t"))
            lines[number] = line[:end] if end < start and _HEADING_ID.fullmatch(line, end) else line
    return "\n".join(lines)
