"""kramdown's table of contents: a list followed by `{:toc}` replaced by the page's headings
(readers.kramdown marks the list and the headings left out; readers.markdown writes the
list once the page is rendered)."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import Any

from ..text import ANY_TAG
from .kramdown_blocks import LIST_ITEM

# kramdown's table of contents: a list followed by `{:toc}` is replaced by one of the page's
# headings (but those marked `{: .no_toc}`), nested by level; cmark is given marks for both.
TOC_MARK = "<?toc "  # then "ul?>" or "ol?>": the list's kind, which the table of contents keeps
NO_TOC_MARK = "<?no_toc?>"
# An attribute list alone on its line (whose references may name toc beside classes: {:toc .menu}).
_LINE_IAL = re.compile(r"^ {0,3}\{:([^{}\n]*+)\}[ \t]*$", re.MULTILINE)
_NO_TOC_IAL = re.compile(r"^( {0,3}\{:[^{}\n]*\.no_toc\b[^{}\n]*\}[ \t]*)$", re.MULTILINE)
_TOC_MARKS = re.compile(r"<\?toc ([ou]l)\?>")
_HEADING_START = re.compile(r"<h([1-6])>")
_LINK_TAG = re.compile(r"</?a\b[^<>]*>")
# Up to the next sup tag only: `.*?` went on to the line's end from each unclosed one (quadratic).
_FOOTNOTE_REFERENCE = re.compile(r'<sup class="footnote-ref">(?:[^<]++|<(?!/?sup\b))*+</sup>')
_TO_FIRST_LETTER = re.compile(r"^[^a-zA-Z]+")
_NOT_IN_ID = re.compile(r"[^a-zA-Z0-9 -]")


def table_of_contents_marked(text: str) -> str:
    """The first list followed by `{:toc}` replaced by TOC_MARK (a block of its own to cmark),
    and NO_TOC_MARK put at the end of each heading `{: .no_toc}` follows (table_of_contents
    takes both out)."""
    toc = next((ial for ial in _LINE_IAL.finditer(text) if "toc" in ial.group(1).split()), None)
    if toc:
        blank = text.rfind("\n\n", 0, toc.start())
        start = blank + 2 if blank >= 0 else 0
        if item := LIST_ITEM.match(text, start):
            kind = "ul" if item.group(0).strip()[:1] in "*+-" else "ol"
            text = f"{text[:start]}{TOC_MARK}{kind}?>\n{text[toc.end():]}"
    return _no_toc_headings(text) if ".no_toc" in text else text  # the attribute lists go later


def _no_toc_headings(text: str) -> str:
    pieces, position = [], 0
    for ial in _NO_TOC_IAL.finditer(text):
        heading_end = ial.start() - 1  # the heading's line (or a setext heading's underline) ends there
        if heading_end < 0:
            continue
        line_start = text.rfind("\n", 0, heading_end) + 1
        if set(text[line_start:heading_end].strip()) <= {"-", "="} and line_start > 0:
            heading_end = line_start - 1  # a setext heading: its text is the line before
        pieces += [text[position:heading_end], " " + NO_TOC_MARK]
        position = heading_end
    return "".join(pieces) + text[position:]


def table_of_contents(rendered: str, site_data: dict[str, Any]) -> str:
    """TOC_MARK in rendered HTML replaced by the list of its headings kramdown writes (its
    levels as the site's toc_levels says, 1 to 6 by default); the marks taken out."""
    levels = _toc_levels(site_data)
    root: list[tuple[str, list]] = []
    stack: list[tuple[int, list]] = []  # each open item's level and children
    for level, inner in _headings(rendered):
        if NO_TOC_MARK in inner or level not in levels:
            continue
        while stack and stack[-1][0] >= level:
            stack.pop()
        item: tuple[str, list] = (_LINK_TAG.sub("", _FOOTNOTE_REFERENCE.sub("", inner)).strip(), [])
        (stack[-1][1] if stack else root).append(item)
        stack.append((level, item[1]))
    first = _TOC_MARKS.search(rendered)
    if first:  # the first list marked is the table of contents, any other is left out
        toc = _toc_html(root, first.group(1), ' id="markdown-toc"') if root else ""
        rendered = rendered[:first.start()] + toc + _TOC_MARKS.sub("", rendered[first.end():])
    return rendered.replace(" " + NO_TOC_MARK, "")


def _headings(rendered: str) -> Iterator[tuple[int, str]]:
    """Each heading's level and content, in order; a level of no end tag left is given up."""
    position, unclosed = 0, set()
    while found := _HEADING_START.search(rendered, position):
        position = found.end()
        if found.group(1) in unclosed:
            continue
        end = rendered.find(f"</h{found.group(1)}>", position)
        if end < 0:
            unclosed.add(found.group(1))
            continue
        yield int(found.group(1)), rendered[position:end]
        position = end


def _toc_html(items: list[tuple[str, list]], kind: str, attributes: str = "") -> str:
    return f"<{kind}{attributes}>" + "".join(
        f'<li><a href="#{_heading_id(inner)}">{inner}</a>{_toc_html(children, kind) if children else ""}</li>'
        for inner, children in items) + f"</{kind}>"


def _heading_id(inner: str) -> str:
    """kramdown's id of a heading: its text from the first letter on, but letters, digits,
    spaces and hyphens, spaces as hyphens, lowercased."""
    text = html.unescape(ANY_TAG.sub("", inner))
    return _NOT_IN_ID.sub("", _TO_FIRST_LETTER.sub("", text)).replace(" ", "-").lower()


def _toc_levels(site_data: dict[str, Any]) -> range | set[int]:
    options = site_data.get("kramdown")
    chosen = options.get("toc_levels") if isinstance(options, dict) else None
    if isinstance(chosen, list):
        return {int(level) for level in chosen if str(level).isdigit()}
    bounds = re.fullmatch(r"\s*([1-6])\s*\.\.\s*([1-6])\s*", str(chosen)) if chosen is not None else None
    return range(int(bounds.group(1)), int(bounds.group(2)) + 1) if bounds else range(1, 7)
