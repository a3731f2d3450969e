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
from typing import Any

from . import hugo_config

# A private-use character pair around a word: a page's own text holding it is rare, and its
# one effect would be a table of contents in its place.
MARKER = "\ue03atableofcontents\ue03b"
MAX_HEADINGS = 1000  # listed at most: a table's size stays bounded by the page's
# A heading as the page's HTML has it: its level, attributes (an id first, when written), its
# inline HTML, its end tag.
_HEADING = re.compile(r'<h([1-6])(?: id="([^"<>]{0,1000})")?[^>]{0,1000}>(.{0,4000}?)</h\1>', re.DOTALL)
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
    if "<h" in rendered:
        for count, found in enumerate(_HEADING.finditer(rendered)):
            level = int(found.group(1))
            if count >= MAX_HEADINGS or not start <= level <= end:
                continue
            wanted = level - start + 1
            parts.append("</li>" if depth >= wanted else "")
            parts.append("</ul></li>" * max(depth - wanted, 0) + "<ul><li>" * max(wanted - depth, 0))
            parts.append("<li>" if depth >= wanted else "")
            parts.append(f'<a href="#{found.group(2) or ""}">{found.group(3)}</a>')
            depth = wanted
    parts.append("</li></ul>" * depth + "</nav>")
    return "".join(parts)


def filled(page: str, rendered: str, site_data: dict[str, Any]) -> str:
    """The page's HTML with the table of contents where a shortcode asked for it (MARKER)."""
    if MARKER not in page:
        return page
    return page.replace(MARKER, table_of_contents(rendered, site_data))
