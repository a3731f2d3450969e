"""Lines of Markdown that start with a tag, given to cmark as Python-Markdown (Pelican's)
reads them (readers.pelican_markdown calls these): a tag of an inline element alone on its
line starts a paragraph (inline_tag_marked); a block element's tag in an item's text, 4
columns in, is that text (block_tag_as_text); so is an end tag no element open closes
(end_tag_as_text)."""

from __future__ import annotations

import re

from ..text import TAG
from .markdown_code import CMARK_BLOCK_NAMES, CMARK_RAW
from .pelican_escapes import cmark_reads_tag, python_markdown_reads_tag

START_TAG = re.compile(r"<([A-Za-z][\w:-]*)(?=[\s/>]|$)")
_END_TAG = re.compile(r"</([A-Za-z][\w:-]*)(?=[\s>]|$)")
# Written after a tag alone on its line so that cmark reads the line as a paragraph's, or
# before a block element's tag so that cmark's block of HTML ends with the line; taken out of
# the HTML (pelican_markdown.finish).
INLINE_MARK = "<!--pelican-inline-->"
# Python-Markdown's block-level elements: HTML up to their end tag, Markdown not read in it.
BLOCK_ELEMENTS = frozenset("""address article aside blockquote details div dl fieldset figcaption
    figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr main menu nav ol p pre section table ul
    canvas colgroup dd body dt group html iframe li legend math map noscript output object option
    progress script style summary tbody td textarea tfoot th thead tr video center""".split())


def inline_tag_marked(line: str) -> str:
    """A line holding only a tag of an inline element (any but a block element's: an unknown
    name's too, `<VirtualHost *:80>`), marked so that cmark reads it as a paragraph's text, as
    Python-Markdown does; other lines as they are."""
    tag = line.strip(" \t")
    name = TAG.match(tag) if tag.startswith("<") else None
    if not name or not (cmark_reads_tag(tag) or python_markdown_reads_tag(tag)):
        return line
    lowered = name.group(0).lstrip("</").lower()
    if lowered in BLOCK_ELEMENTS or lowered in CMARK_BLOCK_NAMES or lowered in CMARK_RAW:
        return line
    end = line.index(tag) + len(tag)
    return line[:end] + INLINE_MARK + line[end:]


def block_tag_as_text(line: str) -> str:
    """A line of an item's text, indented 4 columns or more, that starts with a block
    element's tag (`<p>`, `<div>`): Python-Markdown reads raw blocks of HTML only 0 to 3
    spaces into the source's line, so there it is a paragraph's text and the Markdown under
    it is read (`> ` lines a quote); cmark would start a block of HTML to the next blank line.
    Marked for cmark so: its tag stays HTML on its own line, what follows is Markdown."""
    tag = START_TAG.match(line.lstrip(" \t"))
    if tag is None or tag.group(1).lower() not in BLOCK_ELEMENTS or tag.group(1).lower() in CMARK_RAW:
        return line
    start = len(line) - len(line.lstrip(" \t"))
    return line[:start] + INLINE_MARK + line[start:]


def end_tag_as_text(line: str) -> str:
    """A line starting a paragraph with the end tag of an element cmark starts blocks of HTML
    with (`</p>`, `</div>`): one no element open closes (an open one's block of HTML would hold
    the line), which Python-Markdown's HTML parser hands on as text, the Markdown under it read
    in the paragraph; cmark would start a block of HTML there, to the next blank line. Marked
    as block_tag_as_text marks a tag."""
    text = line.lstrip(" ")
    tag = _END_TAG.match(text) if len(line) - len(text) < 4 else None
    if tag is None or tag.group(1).lower() not in CMARK_BLOCK_NAMES:
        return line
    return line[: len(line) - len(text)] + INLINE_MARK + text
