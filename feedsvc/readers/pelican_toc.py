"""Python-Markdown's toc extension, where a Pelican site's MARKDOWN setting turns it on
(readers.pelican.markdown_extension), in the HTML cmark wrote for an article:

- with `permalink` set, every heading ends with its permanent link: `¶` (permalink True)
  or the text the setting gives (`#`), before the heading's text with permalink_leading;
- a paragraph holding only the marker (`[TOC]`) becomes the table of contents: its title,
  then the headings within toc_depth (levels moved by baselevel), as a list.

Headings are those cmark writes (`<h2>`, no attributes), found by plain string search, each
end tag after its start: one pass. A heading the source writes as HTML (`<h3>Title</h3>` in a
`<div>`) is none of them: Python-Markdown keeps raw HTML as written, its toc extension sees
only the headings it parsed (raw_headings_marked).
"""

from __future__ import annotations

import html as html_module
import re
from dataclasses import dataclass
from typing import Any

from ..text import ANY_TAG
from .pelican import bool_value, markdown_extension

LEVELS = "123456"
# Each marker becomes the whole table: a text of many markers and headings would grow as
# their product. A post holds one; past this many they stay text (bench/hostile.py's
# pelican-toc-markers-and-headings: 10 took 1.1 s, 3 take 0.5 s). The links are left
# without their targets (ids the sanitizer removes), which cost the sanitizer as much.
MAX_MARKERS = 3
# Marks a heading's start tag the source writes as HTML (raw_headings_marked); a private-use
# character, taken out by with_toc (out of code too, where a tag written as text gets it).
RAW = "\ue004"
_RAW_START = re.compile("<h[1-6]>")


@dataclass(frozen=True)
class Toc:
    permalink: str  # the permanent link's text, as HTML ("" for none)
    leading: bool  # the link before the heading's text
    marker: str  # the paragraph replaced by the table of contents, as HTML ("" for none)
    title: str  # the table of contents' title, as HTML
    levels: tuple[int, int]  # the levels the table of contents lists, first and last
    shift: int  # baselevel - 1: what a heading's level is moved by


def toc_settings(data: dict[str, Any]) -> Toc | None:
    """The toc extension's settings, as Python-Markdown reads them; None when it is off."""
    config = markdown_extension(data, "toc")
    if config is None:
        return None
    value = config.get("permalink", False)
    flag = bool_value(value)
    permalink = "&para;" if flag else "" if flag is False or value is None else html_module.escape(str(value))
    marker = str(config.get("marker", "[TOC]") or "")
    return Toc(permalink=permalink, leading=bool_value(config.get("permalink_leading", False)) is True,
               marker=html_module.escape(marker, quote=False), title=html_module.escape(str(config.get("title") or "")),
               levels=_levels(config.get("toc_depth", 6)), shift=_number(config.get("baselevel", 1), 1) - 1)


def _number(value: Any, default: int) -> int:
    try:
        return max(-6, min(6, int(value)))
    except (TypeError, ValueError, OverflowError):
        return default


def _levels(value: Any) -> tuple[int, int]:
    if isinstance(value, str) and "-" in value:
        top, _dash, bottom = value.partition("-")
        return _number(top, 1), _number(bottom, 6)
    return 1, _number(value, 6)


def raw_headings_marked(markdown: str, data: dict[str, Any]) -> str:
    """The source with each heading start tag it writes as HTML (`<h3>`) marked as no heading
    of Python-Markdown's, when the site turns the toc extension on. Not where an element asks
    for Markdown inside it (`markdown="1"`, md_in_html): Python-Markdown parses its tags then."""
    if "<h" not in markdown or RAW in markdown or "markdown=" in markdown or toc_settings(data) is None:
        return markdown
    return _RAW_START.sub(lambda start: start.group(0) + RAW, markdown)


def with_toc(html: str, data: dict[str, Any]) -> str:
    """html with the toc extension's permanent links and table of contents, when the site
    turns the extension on; the headings raw_headings_marked marked are left as they are."""
    toc = toc_settings(data)
    if toc is None:
        return html
    html = _with_toc(html, toc)
    return html.replace(RAW, "") if RAW in html else html


def _with_toc(html: str, toc: Toc) -> str:
    if "<h" not in html and (not toc.marker or f"<p>{toc.marker}</p>" not in html):
        return html  # no heading, no marker: nothing to do (a marker without headings: an empty table)
    out: list[str] = []
    listed: list[str] = []  # the names of the headings the table of contents lists
    position = search = 0
    while (start := html.find("<h", search)) >= 0:
        level = html[start + 2:start + 3]
        if not level or level not in LEVELS or html[start + 3:start + 4] != ">":
            search = start + 2
            continue
        end = html.find(f"</h{level}>", start)
        if end < 0:
            break
        inner = html[start + 4:end]
        if inner.startswith(RAW):  # written as HTML: as it is
            search = end
            continue
        if toc.levels[0] <= min(6, int(level) + toc.shift) <= toc.levels[1]:
            listed.append(" ".join(ANY_TAG.sub("", inner).split()))
        link = f'<a class="headerlink" title="Permanent link">{toc.permalink}</a>' if toc.permalink else ""
        out += [html[position:start + 4], link + inner if toc.leading else inner + link]
        position = search = end
    html = "".join(out) + html[position:]
    marker = f"<p>{toc.marker}</p>"
    if not toc.marker or marker not in html:
        return html
    title = f'<span class="toctitle">{toc.title}</span>' if toc.title else ""
    items = "".join(f'<li>{name}</li>' for name in listed)
    return html.replace(marker, f'<div class="toc">{title}<ul>{items}</ul></div>', MAX_MARKERS)
