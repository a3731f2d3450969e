"""Code spans as Python-Markdown (Pelican's) pairs them, for cmark to render.

Python-Markdown finds code spans in the whole text of a paragraph or a list item, across its
lines, before anything else in it; cmark pairs backticks otherwise at the edges, and strips
one space each side of the code where Python-Markdown strips every space. Each span
Python-Markdown finds is written as a placeholder that cmark leaves as it is (a private-use
character, the code in hexadecimal, another), its lines joined into one; a backtick it
leaves unpaired is escaped, text in both; the placeholders become the code's <code>
element in the HTML (finish).

Pairing (BacktickInlineProcessor.find_code_spans): from the first backtick not after an
odd run of backslashes (an even one is escaped backslashes), its run of n backticks closes at the next run of exactly n; failing that, at
the longest later run (the first of them) when shorter than n, the opening run's first
backticks then being part of the code; failing both, the search resumes 2n characters on.
Runs are indexed once (by length, and the longest from each run on), so pairing is linear.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from .markdown_code import few_backticks, is_escaped
from .pelican_escapes import TEXT_LINE
from .pelican_tables import table_rows_rewritten

_BACKTICKS = re.compile(r"`+")
_OPEN, _CLOSE = "\ue000", "\ue001"
_PLACEHOLDER = re.compile(f"{_OPEN}([0-9a-f]*){_CLOSE}")
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"})  # as cmark escapes code


def usable(text: str) -> bool:
    """Whether text can be given placeholders: it holds none of their marks, nor more
    backticks than markdown_code.MAX_BACKTICKS."""
    return _OPEN not in text and _CLOSE not in text and few_backticks(text)


def code_spans(text: str) -> list[tuple[int, int, int, int]]:
    """The code spans Python-Markdown finds in text, each as (start, code start, code end, end)."""
    runs = [found.span() for found in _BACKTICKS.finditer(text)]
    lengths = [end - start for start, end in runs]
    by_length: dict[int, list[int]] = {}
    for index, length in enumerate(lengths):
        by_length.setdefault(length, []).append(index)
    longest = list(range(len(runs)))  # the first longest run from each run on
    for index in range(len(runs) - 2, -1, -1):
        following = longest[index + 1]
        if lengths[following] > lengths[index]:
            longest[index] = following
    spans: list[tuple[int, int, int, int]] = []
    index, position = 0, 0  # the run looked at; where the search goes on
    while index < len(runs):
        start, end = runs[index]
        opening = max(start, position)
        if opening == start and is_escaped(text, start):
            opening += 1
        if opening >= end:
            index += 1
            continue
        ticks = end - opening
        same = by_length.get(ticks, [])
        at = bisect_right(same, index)
        if at < len(same):
            closing = same[at]
            spans.append((opening, end, runs[closing][0], runs[closing][1]))
        elif index + 1 < len(runs) and (shorter := lengths[closing := longest[index + 1]]) < ticks:
            spans.append((opening, opening + shorter, runs[closing][1] - shorter, runs[closing][1]))
        else:
            position, index = opening + 2 * ticks, index + 1
            continue
        position, index = runs[closing][1], closing + 1
    return spans




def placeholders(text: str) -> tuple[str, list[int]]:
    """text with its code spans as placeholders and its other backticks escaped, and where
    in text each of its lines starts (a span's newlines are in its placeholder)."""
    out, position, starts = [], 0, [0]
    for start, code_start, code_end, end in code_spans(text):
        starts += _line_starts(text, position, start)
        code = text[code_start:code_end].replace(TEXT_LINE, "").strip()  # a line's mark is not code
        out += [_escape_backticks(text, position, start), _OPEN, code.encode("utf-8").hex(), _CLOSE]
        position = end
    starts += _line_starts(text, position, len(text))
    out.append(_escape_backticks(text, position, len(text)))
    return "".join(out), starts


def _line_starts(text: str, start: int, end: int) -> list[int]:
    found, starts = text.find("\n", start, end), []
    while found >= 0:
        starts.append(found + 1)
        found = text.find("\n", found + 1, end)
    return starts


def _escape_backticks(text: str, start: int, end: int) -> str:
    """text[start:end] with each backtick not already escaped by a backslash escaped."""
    piece = text[start:end]
    if "`" not in piece:
        return piece
    out, position = [], start
    for found in _BACKTICKS.finditer(text, start, end):
        out.append(text[position:found.start()])
        out.append("\\`" * (found.end() - found.start()) if not is_escaped(text, found.start()) else
                   "`" + "\\`" * (found.end() - found.start() - 1))
        position = found.end()
    out.append(text[position:end])
    return "".join(out)


def finish(html: str) -> str:
    """HTML with each placeholder made its code's <code> element."""
    if _OPEN not in html:
        return html
    return _PLACEHOLDER.sub(
        lambda found: f"<code>{bytes.fromhex(found.group(1)).decode('utf-8').translate(_ESCAPES)}</code>", html)


# A table row's marks as Python-Markdown's tables read them (TableProcessor._split): escaped
# backslashes, a run of backticks after a backslash, a run of backticks, an escaped pipe, a pipe.
_ROW_MARKS = re.compile(r"(\\\\)|(\\`+)|(`+)|(\\\|)|(\|)")


def table_row_pipes(row: str) -> str:
    """A table's row with each pipe inside a code span escaped, so that cmark does not end the
    cell there; Python-Markdown's tables pair backticks within the row: a run opens a span
    that the next run of as many backticks closes (after a backslash, one fewer opens it)."""
    runs: list[tuple[int, int, int]] = []  # each run's backticks, how many open a span, its end
    pipes: list[int] = []
    for found in _ROW_MARKS.finditer(row):
        if found.group(2) or found.group(3):
            backticks = len(found.group(2) or found.group(3)) - bool(found.group(2))
            runs.append((backticks, backticks - bool(found.group(2)), found.end()))
        elif found.group(5):
            pipes.append(found.start())
    regions = _paired_regions(runs)
    out, position, region = [], 0, 0
    for pipe in pipes:
        while region < len(regions) and regions[region][1] <= pipe:
            region += 1
        if region < len(regions) and regions[region][0] <= pipe:
            out += [row[position:pipe], "\\"]
            position = pipe
    return "".join(out) + row[position:]


def _paired_regions(runs: list[tuple[int, int, int]]) -> list[tuple[int, int]]:
    """Where each pair of runs spans (from the opening run's end to the closing run's end),
    an opening run closed by the next run of as many backticks as it opens a span with."""
    at: dict[int, list[int]] = {}
    for index, (backticks, _opens, _end) in enumerate(runs):
        at.setdefault(backticks, []).append(index)
    regions: list[tuple[int, int]] = []
    index = 0
    while index < len(runs):
        later = at.get(runs[index][1], [])
        found = bisect_right(later, index)
        if runs[index][1] == 0 or found == len(later):
            index += 1
            continue
        regions.append((runs[index][2], runs[later[found]][2]))
        index = later[found] + 1
    return regions


def table_code_pipes(text: str) -> str:
    """text (outside fenced code) with the rows of each table, a block whose first line holds a
    pipe over a delimiter row, given table_row_pipes when they hold a backtick."""
    if "`" not in text or "|" not in text:
        return text
    return table_rows_rewritten(text, lambda row: table_row_pipes(row) if "`" in row else row)
