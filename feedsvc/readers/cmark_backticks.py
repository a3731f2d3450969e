"""Code spans after a backtick run that opens none, paired as CommonMark (and Goldmark)
pair them, where cmark-gfm does not.

cmark looks for a code span's closing run once to the end of the paragraph; when a run
finds none, it remembers, for each length, where it last saw a run of that length, and
later openers of a length whose remembered run is behind them are taken for text without
looking again, though the scan that paired a span moved that mark back. So in
"``a `b` c `d` e" cmark makes `b` code but not `d`; Goldmark makes both. Where cmark's
pairing of a paragraph would differ, the paragraph's runs that open nothing are written as
character references (`&#96;`, the same text), so that cmark never looks in vain. A list
item's or a heading's line starts a paragraph of its own; fenced and indented code, HTML
blocks and tables are left as they are; a fence inside a list item is found at the item's
text's indentation (up to three spaces past the column the item's text starts at), where it may
interrupt a paragraph.
One forward pass over the runs.
"""

from __future__ import annotations

import re

from .markdown_code import backtick_runs, closes, opens

MAX_CMARK_TICKS = 1000  # cmark's MAXBACKTICKS: a longer run closes and opens nothing
_MIN_RUNS = 5  # a run opening nothing, then two spans: fewer cannot go wrong
_STARTS_OWN = re.compile(r"[ \t>]*+(?:[-*+]|\d{1,9}[.)]|#{1,6})(?:[ \t]|$)")
# A list item's line, to its text: where the item's blocks (a fence among them) are indented to.
_ITEM_TEXT = re.compile(r" *+(?:[-*+]|\d{1,9}[.)]) {1,4}+(?=\S)")


def _pairing(lengths: list[int], following: list[int | None],
             as_cmark: bool) -> tuple[list[tuple[int, int]], list[int]]:
    """The spans the runs of a paragraph make (opening run, closing run) and the runs that
    are text, as CommonMark pairs them, or as cmark-gfm does; following: for each run, the
    next of its length (markdown_code.backtick_runs)."""
    seen: dict[int, int] = {}  # cmark's marks: length -> the last run of it it scanned over
    given_up = False
    spans: list[tuple[int, int]] = []
    text: list[int] = []
    index = 0
    while index < len(lengths):
        length = lengths[index]
        closer = following[index] if length <= MAX_CMARK_TICKS else None
        if as_cmark and length <= MAX_CMARK_TICKS:
            if given_up and seen.get(length, -1) <= index:
                closer = None
            else:
                for other in range(index + 1, len(lengths) if closer is None else closer + 1):
                    seen[lengths[other]] = other
                given_up = given_up or closer is None
        if closer is None:
            text.append(index)
            index += 1
        else:
            spans.append((index, closer))
            index = closer + 1
    return spans, text


def _fixed(block: str) -> str:
    if block.count("`") < _MIN_RUNS:
        return block
    runs, following = backtick_runs(block)
    lengths = [end - start for start, end in runs]
    right, text = _pairing(lengths, following, as_cmark=False)
    if len(right) < 2 or not text or right == _pairing(lengths, following, as_cmark=True)[0]:
        return block
    out, position = [], 0
    for index in text:
        start, end = runs[index]
        out += [block[position:start], "&#96;" * (end - start)]
        position = end
    return "".join(out) + block[position:]


def paired_as_commonmark(markdown: str) -> str:
    """markdown with each paragraph cmark would pair otherwise written so that it does not."""
    if markdown.count("`") < _MIN_RUNS:
        return markdown
    out: list[str] = []
    block: list[str] = []
    fence, fence_base = "", 0

    def flush() -> None:
        if block:
            first = block[0]
            stripped = first.lstrip(" ")
            plain = len(first) - len(stripped) < 4 and not stripped.startswith("<") and all(
                "|" not in line for line in block)  # a table's cells are paragraphs of their own
            out.append(_fixed("\n".join(block)) if plain else "\n".join(block))
            block.clear()

    item = 0  # the indentation of the last list item's text, while its item may go on
    after_blank = False
    for line in markdown.split("\n"):
        indent = len(line) - len(line.lstrip(" "))
        if fence and line.strip() and indent < fence_base:
            fence = ""  # a line left of the item's text ends the item and its fence
        if fence:
            out.append(line)
            fence = "" if closes(fence, line[fence_base:]) else fence
            continue
        if line.strip() and after_blank and indent < item:
            item = 0  # past the list: an indented fence is indented code again
        after_blank = not line.strip()
        base = item if item <= indent < item + 4 else 0
        if (opening := opens(line[base:])) is not None:
            flush()
            out.append(line)
            fence, fence_base = opening.group(1), base
        elif not line.strip():
            flush()
            out.append(line)
        else:
            if _STARTS_OWN.match(line):  # a list item's or heading's text is a paragraph of its own
                flush()
            if (marker := _ITEM_TEXT.match(line)) is not None:
                item = marker.end()
            block.append(line)
    flush()
    return "\n".join(out)
