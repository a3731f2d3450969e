"""Blocks of HTML that kramdown reads past fenced code, or to the text's end.

kramdown reads a block of HTML (a line that starts with a tag of an element that is no span's)
as raw HTML up to the end tag that closes its element, whatever lies between: a fenced code
block's lines are HTML there too (`<details>` around fences, `<aop:config>, ...` in prose
before a listing that holds `</aop:config>`). When no end tag comes, the rest of the text is
HTML (`<NuxtLink> is <router-link>` in prose: headings and lists after it are shown as
written). The rewrites for cmark read a text between fences at a time, and cmark would end
such a block at a blank line; so each such block is set aside before them (region_marks) and
put back after (regions_back) as an HTML comment cmark passes on whole, whose delimiters are
then taken out of the rendered HTML (without_wrappers).

Only blocks whose tag starts a line (no indentation: an item's text is read apart) and whose
element is not read as Markdown (`markdown="1"`, parse_block_html) are set aside, and only
when what they hold holds no `-->`, which would end the comment.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from .markdown_code import BLOCK_TAG, closes, opens
from .markdown_html import LineTags, block_end

_MARK = "\ue005"  # a set-aside block's place: _MARK, its number, _MARK (Unicode's private use area)
_PLACE = re.compile(_MARK + r"(\d{1,6})" + _MARK)
OPENING, CLOSING = "<!--" + _MARK + "\n", "\n" + _MARK + "-->"
MAX_REGIONS = 1000
# A start tag as kramdown reads one, whole on its line (`<a:b x="1" /\>` is none: text). Possessive.
START_TAG = re.compile(r"""<[A-Za-z][\w:.-]*+(?:\s*+[A-Za-z_:][\w.:-]*+(?:\s*+=\s*+(?:\w++|"[^"]*+"|'[^']*+'))?+)*+\s*+/?>""")
# A line starting with a start tag with attributes: the spaces before it, and its name.
_REFUSABLE_LINE = re.compile(r"([ ]{0,3})<([A-Za-z][\w:.-]{0,63}+)(?=\s)")
MAX_REFUSED_LOOKED = 1_000
_PARSE_BLOCK_HTML = re.compile(r"""\{::options\b[^{}\n]*parse_block_html=["']?true""")


def refused_block_tags(text: str, is_block: Callable[[str], bool]) -> str:
    """A line starting with a block element's start tag (with attributes) that kramdown's tag
    grammar refuses (`<iframe src='a.php>`, its quote never closed; `<div width=100%>`) starts
    no block of HTML: kramdown reads the line as a paragraph's and the tag as text, where cmark
    started a block of HTML. Its `<` is escaped; not in fenced code. At most MAX_REFUSED_LOOKED
    such lines are looked at in a text (each tag may be read to the text's end for a quote's)."""
    if "<" not in text:
        return text
    lines, fence, looked, offset = text.split("\n"), "", 0, 0  # offset: where the line starts in text
    for number, line in enumerate(lines):
        start, offset = offset, offset + len(line) + 1
        if fence:
            fence = "" if closes(fence, line) else fence
        elif opening := opens(line):
            fence = opening.group(1)
        elif (found := _REFUSABLE_LINE.match(line)) and is_block(found.group(2).lower()) and looked < MAX_REFUSED_LOOKED:
            looked += 1
            if not START_TAG.match(text, start + found.end(1)):
                lines[number] = found.group(1) + "&lt;" + line[found.end(1) + 1:]
    return "\n".join(lines)


def reads_block_html(markdown: str, site_data: dict[str, Any]) -> bool:
    """Whether what block elements hold is Markdown (`parse_block_html`, the site's or the post's)."""
    options = site_data.get("kramdown")
    return bool(_PARSE_BLOCK_HTML.search(markdown) or isinstance(options, dict) and options.get("parse_block_html") is True)


def region_marks(text: str, is_block: Callable[[str], bool]) -> tuple[str, list[str]]:
    """text with each such block (see above) replaced by its mark, a block of its own; and the
    blocks, by number."""
    if "<" not in text or _MARK in text:
        return text, []
    lines = text.split("\n")
    tags = LineTags(lines)
    out: list[str] = []
    regions: list[str] = []
    fence, index, next_fence = "", 0, -1
    while index < len(lines):
        line = lines[index]
        if fence:
            fence = "" if closes(fence, line) else fence
        elif opening := opens(line):
            fence = opening.group(1)
        elif line.startswith("<") and len(regions) < MAX_REGIONS and (tag := BLOCK_TAG.match(line)) \
                and is_block(tag.group(1).lower()) and "markdown=" not in line and START_TAG.match(line):
            end = block_end(tags, index, tag.group(1))
            if next_fence < index:
                next_fence = _next_fence(lines, index)
            last = len(lines) - 1 if end is None else end
            if end is not None and end < next_fence:
                out += lines[index:end + 1]  # a block cmark's rewrites read whole
                index = end + 1
                continue
            region = "\n".join(lines[index:last + 1])
            if "-->" in region:  # left as it is (each line looked over once)
                out += lines[index:last + 1]
            else:
                out += ["", f"{_MARK}{len(regions)}{_MARK}", ""]
                regions.append(region)
            index, next_fence = last + 1, -1
            continue
        out.append(line)
        index += 1
    return "\n".join(out), regions


def _next_fence(lines: list[str], start: int) -> int:
    """The line of the next fence after start (outside fenced code), or the text's end."""
    for number in range(start + 1, len(lines)):
        if opens(lines[number]):
            return number
    return len(lines)


def regions_back(text: str, regions: list[str]) -> str:
    """The blocks set aside put back, each as a comment (cmark keeps it whole)."""
    return _PLACE.sub(lambda place: OPENING + regions[int(place.group(1))] + CLOSING, text)


def without_wrappers(rendered: str) -> str:
    """The rendered HTML with the blocks' comment delimiters taken out: their HTML as written."""
    return rendered.replace(OPENING, "").replace(CLOSING, "")
