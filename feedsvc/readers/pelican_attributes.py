"""Python-Markdown's attribute lists (attr_list, part of Pelican's `extra`), taken out of the
HTML cmark wrote for Pelican's Markdown.

`{: .right }` (the colon optional) right after an inline element (`![photo](a.jpg){: .left }`),
at the end of a heading or a table cell (after a space), or alone on a paragraph's last line
sets that element's class, id or other attributes in Python-Markdown, and is never text.
None of what it sets is kept in a feed (the sanitizer removes classes and ids), so the list
is removed where Python-Markdown reads one; anywhere else it stays text, as there (a block's
list too when a `}` in it reads as no attribute: `{\\textcolor{red}{x}}`; an inline list is taken
out all the same, and what it leaves from that `}` on is written at the end of the text after
the element, as Python-Markdown moves it). Each list
is found from its end tag or its `{`, and read to the last `}` before the next tag or line:
one pass.
"""

from __future__ import annotations

import re
from html import escape, unescape

# An inline element's end, the text after it starting with `{`.
_INLINE_END = re.compile(r"(?:</(?:a|em|strong|code|del|ins|sub|sup|abbr|span|b|i)>|<img\b[^<>]*>)\{")
# The end of a block whose text may end with a list: after a space (headings, cells), or on
# a line of its own (paragraphs, list items).
_BLOCK_END = re.compile(r"\}[ ]*</(?:(h[1-6]|td|th|dt)|p|li)>")
# The attributes of a list, and spaces, as Python-Markdown's scanner reads them in turn: each
# the first form that matches (atomic), none given back (possessive): one pass.
_ATTRIBUTES = re.compile(r"""(?>[^ =}]+=(?:"[^"\n]*"|'[^'\n]*'|[^ =}]+)|[^ =}]+| )*+""")


def without_attribute_lists(html: str) -> str:
    """html with the attribute lists Python-Markdown reads taken out."""
    if "{" not in html:
        return html
    out, position = [], 0
    for found in _INLINE_END.finditer(html):
        start = found.end() - 1
        tag = html.find("<", start)  # the text after the element ends there (its tail)
        tag = tag if tag >= 0 else len(html)
        line_end = html.find("\n", start, tag)
        end = _list_end(html, start, line_end if line_end >= 0 else tag) if start >= position else -1
        if end > 0:
            out.append(html[position:start])
            position = end
            if left := _remainder(html[start + 1:end - 1]):
                out += [html[end:tag], left]
                position = tag
    html = "".join(out) + html[position:]
    return _block_lists_out(html)


def _list_end(html: str, start: int, line_end: int) -> int:
    """Where the attribute list opening at start ends, as Python-Markdown's BASE_RE reads it
    (`{`, `:` or not, spaces, a character none of `}`, a newline or a space, then anything
    to the last `}` before line_end); -1 when none opens there."""
    close = html.rfind("}", start, line_end)
    if close <= start + 1:
        return -1
    if html[start + 1] == ":":  # `{:}` too: the colon is then the list's first character
        return close + 1
    first = start + 1
    while first < close and html[first] == " ":
        first += 1
    return close + 1 if first < close and html[first] not in "}\n" else -1


def _block_lists_out(html: str) -> str:
    """html without the lists ending a heading or cell's text (after a space) or a
    paragraph's or list item's (on a line of its own)."""
    out, position = [], 0
    for found in _BLOCK_END.finditer(html, 0) if "}" in html else ():
        text_end = found.start() + 1
        tag_start = found.end() - len(found.group(0).lstrip("} "))
        last_tag = html.rfind(">", position, text_end)
        if found.group(1) is None:
            line_start = html.rfind("\n", max(last_tag, position), text_end)
            opening = line_start + 1
            while opening < text_end and html[opening] == " ":
                opening += 1
            cut = line_start
        else:
            opening = _first_opening(html, max(last_tag + 1, position), text_end)
            cut = opening - 1
            while cut > position and html[cut - 1] == " ":
                cut -= 1
        if cut < 0 or cut < position or not html.startswith("{", opening) or _list_end(html, opening, text_end) != text_end:
            continue
        if _remainder(html[opening + 1:text_end - 1]):
            continue
        out.append(html[position:cut])
        position = tag_start
    return "".join(out) + html[position:]


def _remainder(inner: str) -> str:
    """What of a list (what its braces hold, as HTML) Python-Markdown's scanner does not read
    as attributes (`key="value"`, `key='value'`, `key=value`, words), from the first `}`
    after them (`{\\rule{2pt}}` leaves `}`), as HTML; "" when the list reads whole. A block's
    list that leaves any is text; an inline one is taken out all the same, what it leaves
    written at the end of the text after the element."""
    inner = unescape(inner).removeprefix(":")
    read = _ATTRIBUTES.match(inner)
    rest = inner[read.end() if read else 0:]
    brace = rest.find("}")
    return "" if brace < 0 else escape(rest[brace:], quote=False).replace('"', "&quot;")


def _first_opening(html: str, start: int, end: int) -> int:
    """The first `{` after a space between start and end that opens a list to end; -1."""
    found = html.find(" {", start, end)
    while found >= 0:
        if _list_end(html, found + 1, end) == end:
            return found + 1
        found = html.find(" {", found + 2, end)
    return -1
