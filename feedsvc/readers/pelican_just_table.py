"""The tables of Pelican's just_table plugin, in a site whose PLUGINS names it: `just_table`
(the pelican-plugins collection's) or `pelican_just_table` (the package of that name).

The plugin reads an article's HTML once its reader wrote it (Markdown and reStructuredText
alike): `[jtable]` up to the next `[/jtable]` becomes a table. Its first line (the text between
the two stripped) is the head row, each other line a row, the cells split at the separator (a
comma, the site's JTABLE_SEPARATOR, or the tag's own `separator="…"`), a row at most into as
many cells as the head has (the rest stays in the last one). `th="0"` leaves out the head row
(every line a row, split at each separator), `caption="…"` adds a caption, and `ai="1"` a
`No.` column numbering the rows (the collection's pattern for it wants a space before the
closing quote, `ai="1 "`). Cells and caption are written as they are, HTML and all. A tag
without a `]` on its line starts no table; with no `[/jtable]` after it, neither it nor a
later one does.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import Any

_START, _END = "[jtable", "[/jtable]"
# The plugin's own patterns for the tag's options (the collection's `ai` as it wrote it, its
# spaces any white space), read only in a tag of at most MAX_OPTIONS characters, so that each
# search stays short.
_NUMBERED = {"just_table": re.compile(r"ai\s?=?\"\s?(1)?\s\""),
             "pelican_just_table": re.compile(r"ai ?= ?\" ?1 ?\"")}
_HEADLESS = re.compile(r"th\s?=\s?\"\s?(0)\s?\"")
_CAPTION = re.compile(r"caption\s?=\s?\"(.+?)\"")
_SEPARATOR = re.compile(r"separator\s?=\s?\"(.+?)\"")
MAX_OPTIONS = 1000
_CODE_TAG = re.compile(r"<(/?)code[\s>]")
MAX_TABLES = 1000  # an article's tables, at most; past them the text is left as it is


def turned_on(data: dict[str, Any]) -> str | None:
    """Which of the two plugins the site's PLUGINS name (the first), None for neither."""
    plugins = data.get("PLUGINS")
    names = (str(plugin).split(".")[-1] for plugin in plugins) if isinstance(plugins, (list, tuple)) else ()
    return next((name for name in names if name in _NUMBERED), None)


def tables(html: str, data: dict[str, Any], quotes_escaped: bool = False) -> str:
    """An article's HTML with each `[jtable]` … `[/jtable]` written as the plugin's table;
    quotes_escaped: the HTML writes `"` as `&quot;` where the plugin read `"` (Markdown: cmark
    escapes them, Python-Markdown only in code; docutils everywhere, and the plugin reads none)."""
    if _START not in html or (plugin := turned_on(data)) is None:
        return html
    separator = data.get("JTABLE_SEPARATOR")
    separator = separator if isinstance(separator, str) and separator else ","
    code = _code_starts(html) if quotes_escaped else []
    out: list[str] = []
    position, count = 0, 0
    while count < MAX_TABLES and (start := html.find(_START, position)) >= 0:
        line_end = html.find("\n", start)
        close = html.find("]", start + len(_START), line_end if line_end >= 0 else len(html))
        if close < 0:  # no `]` on the tag's line, nor after a later tag on it: text
            line_end = line_end if line_end >= 0 else len(html)
            out.append(html[position:line_end])
            position = line_end
            continue
        end = html.find(_END, close + 1)
        if end < 0:
            break
        options = html[start + len(_START):close]
        if quotes_escaped and bisect_right(code, start) % 2 == 0:  # outside code
            options = options.replace("&quot;", '"')
        out += [html[position:start], _table(options, html[close + 1:end], separator, _NUMBERED[plugin])]
        position, count = end + len(_END), count + 1
    return "".join(out) + html[position:]


def _code_starts(html: str) -> list[int]:
    """Where each code element's start and end tags are, in turn (one pass)."""
    bounds: list[int] = []
    for tag in _CODE_TAG.finditer(html):
        if (tag.group(1) == "/") == (len(bounds) % 2 == 1):  # an end tag closes, a start tag opens
            bounds.append(tag.start())
    return bounds


def _table(options: str, body: str, separator: str, numbering: re.Pattern[str]) -> str:
    options = options if len(options) <= MAX_OPTIONS else ""
    numbered = numbering.search(options) is not None
    caption = found.group(1) if (found := _CAPTION.search(options)) else ""
    separator = found.group(1) if (found := _SEPARATOR.search(options)) else separator
    lines = body.strip().split("\n")
    heads = None if _HEADLESS.search(options) else lines[0].split(separator)
    rows = [line.split(separator, len(heads) - 1) for line in lines[1:]] if heads else [
        line.split(separator) for line in lines]
    parts = ['<div class="justtable"><table class="justtable">']
    parts += [f"<caption> {caption} </caption>"] if caption else []
    if heads:
        parts.append("<thead><tr>" + ("<th> No. </th>" if numbered else "")
                     + "".join(f"<th>{head}</th>" for head in heads) + "</tr></thead>")
    parts.append("<tbody>")
    for number, row in enumerate(rows, 1):
        parts.append("<tr>" + (f"<td> {number} </td>" if numbered else "")
                     + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>")
    return "".join(parts) + "</tbody></table></div>"
