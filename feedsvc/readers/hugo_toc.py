"""A Hugo page's table of contents (.Page.TableOfContents), for site shortcodes that write
it (a `toc` shortcode is common): the headings Goldmark made of the page's Markdown, from
markup.tableOfContents' startLevel to its endLevel (2 and 3 unless the site says), each a
link to its heading, nested by level as Hugo 0.111 writes them.

Hugo runs a shortcode before the page's Markdown is rendered and puts the table in once it
is: a shortcode template here writes MARKER instead, which the page's HTML replaces once
rendered (shortcodes.Expanded.fill). Headings in a shortcode's output are in no table, as
in Hugo: the headings are those of the page before the shortcodes' output is filled in (a
heading written as HTML in the Markdown is listed too, where Hugo lists only Goldmark's).
Functions a template applies to the
table (replaceRE over its <ul>s) see the marker, not the table: they change its markup,
not its text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from . import hugo_config

# A private-use character pair around a word: a page's own text holding it is rare, and its
# one effect would be a table of contents in its place.
MARKER = "\ue03atableofcontents\ue03b"
MAX_HEADINGS = 1000  # listed at most: a table's size stays bounded by the page's
MAX_TABLES = 4  # markers filled in a page at most (one is the use; the rest are left out)
MAX_HEADING_HTML = 4000  # characters of a heading's inline HTML listed
# A heading's start tag as the page's HTML has it: its level, an id when written first. Each
# try ends at the tag's `>` or within 1,000 characters.
_HEADING_START = re.compile(r'<h([1-6])(?: id="([^"<>]{0,1000})")?[^<>]{0,1000}>')
DEFAULT_LEVELS = (2, 3)


def levels(site_data: dict[str, Any]) -> tuple[int, int]:
    """markup.tableOfContents' startLevel and endLevel (Hugo's defaults: 2 and 3)."""
    markup = hugo_config.lowered(hugo_config.lowered(site_data).get("markup"))
    options = hugo_config.lowered(markup.get("tableofcontents"))
    start, end = options.get("startlevel", DEFAULT_LEVELS[0]), options.get("endlevel", DEFAULT_LEVELS[1])
    if not all(isinstance(level, int) and not isinstance(level, bool) for level in (start, end)):
        return DEFAULT_LEVELS
    return start, end


def table_of_contents(rendered: str, site_data: dict[str, Any]) -> str:
    """The table of contents of a page whose Markdown Goldmark rendered as `rendered`."""
    start, end = levels(site_data)
    parts = ['<nav id="TableOfContents">']
    depth = 0  # lists open below the start level
    for level, anchor, inner in _headings(rendered):
        if not start <= level <= end:
            continue
        wanted = level - start + 1
        parts.append("</li>" if depth >= wanted else "")
        parts.append("</ul></li>" * max(depth - wanted, 0) + "<ul><li>" * max(wanted - depth, 0))
        parts.append("<li>" if depth >= wanted else "")
        parts.append(f'<a href="#{anchor}">{inner}</a>')
        depth = wanted
    parts.append("</li></ul>" * depth + "</nav>")
    return "".join(parts)


def _headings(rendered: str) -> Iterator[tuple[int, str, str]]:
    """The first MAX_HEADINGS headings: level, id, inline HTML. Each level's end tags are
    looked for forward only, from where the last one was found: linear in the page."""
    ends: dict[str, int] = {}
    count = 0
    for found in _HEADING_START.finditer(rendered) if "<h" in rendered else ():
        level = found.group(1)
        if ends.get(level, -1) < found.end():
            at = rendered.find(f"</h{level}>", found.end())
            ends[level] = at if at >= 0 else len(rendered)  # none after this one: none after later ones
        if ends[level] - found.end() > MAX_HEADING_HTML or ends[level] >= len(rendered):
            continue  # unclosed, or not a heading Goldmark wrote
        yield int(level), found.group(2) or "", rendered[found.end():ends[level]]
        count += 1
        if count == MAX_HEADINGS:
            return


def filled(page: str, rendered: str, site_data: dict[str, Any]) -> str:
    """The page's HTML with the table of contents where a shortcode asked for it (MARKER)."""
    if MARKER not in page:
        return page
    return page.replace(MARKER, table_of_contents(rendered, site_data), MAX_TABLES).replace(MARKER, "")
