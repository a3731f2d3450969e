"""Footnotes as Python-Markdown (Pelican's `extra`) numbers and lists them, made of cmark's:

- numbered in the order of their definitions (its USE_DEFINITION_ORDER, on by default), a
  definition that nothing refers to taking its number too; cmark numbers them in the order
  of their first references;
- listed in that order;
- a footnote referred to more than once has a bare ↩ a reference, side by side (cmark
  numbers the second and later ones, `↩2`, and puts a space between them);
- a footnote nothing refers to is listed too, with its ↩ (cmark leaves it out): it is
  referred to from a paragraph added at the end (all_referred), taken out of the HTML.

Left as cmark writes them when a footnote's label cannot be matched to a definition.
"""

from __future__ import annotations

import html
import re

from .markdown_code import outside_code

# Python-Markdown's definition: `[^label]:` at a line's start, indented up to 3 spaces
_DEFINITION = re.compile(r"^ {0,3}\[\^([^\]\n]{1,300})\]:", re.MULTILINE)
_REFERENCE = re.compile(r'(<a href="#fn-([^"<>]{1,1000})" id="fnref-[^"<>]{1,1000}" data-footnote-ref>)\d{1,6}</a>')
_USE = re.compile(r"\[\^([^\]\n]{1,300})\]")
# The paragraph all_referred adds, last before the footnotes
_ADDED = "<!--pelican-footnotes-->"
_ADDED_REFERENCES = re.compile(r'<p>(?:<sup class="footnote-ref"><a [^<>]{1,3000}>\d{1,6}</a></sup>)+'
                               + _ADDED + r'</p>\n')
_SECTION = '<section class="footnotes" data-footnotes>\n<ol>\n'
_SECTION_END = "</ol>\n</section>"
_ITEM_START = '<li id="fn-'
_ITEM_LABEL = re.compile(r'<li id="fn-([^"<>]{1,1000})">')
# A second or later back link: cmark's number in it, and the space before it
_NUMBERED_BACKREF = re.compile(r' (<a href="#fnref-[^"<>]{1,1000}" class="footnote-backref"[^<>]{0,300}>↩)'
                               r'<sup class="footnote-ref">\d{1,6}</sup>')


def definition_order(markdown: str) -> dict[str, int]:
    """Each footnote label defined outside code (case folded, as cmark matches labels), and its
    number: its definition's place among them, the first definition of a label counting."""
    labels: dict[str, int] = {}

    def collect(stretch: str) -> str:
        for found in _DEFINITION.finditer(stretch):
            labels.setdefault(found.group(1).casefold(), len(labels) + 1)
        return stretch

    outside_code(markdown, collect)
    return labels


def all_referred(markdown: str) -> str:
    """markdown with a paragraph at its end referring to each footnote defined outside code
    that nothing refers to, so that cmark lists it (as_python_markdown takes the paragraph out)."""
    defined: dict[str, str] = {}
    used: set[str] = set()

    def collect(stretch: str) -> str:
        for found in _DEFINITION.finditer(stretch):
            defined.setdefault(found.group(1).casefold(), found.group(1))
        used.update(found.group(1).casefold() for found in _USE.finditer(_DEFINITION.sub("", stretch)))
        return stretch

    outside_code(markdown, collect)
    missing = [label for folded, label in defined.items() if folded not in used]
    return markdown + "\n\n" + "".join(f"[^{label}]" for label in missing) + _ADDED + "\n" if missing else markdown


def as_python_markdown(rendered: str, markdown: str) -> str:
    """cmark's footnotes (rendered from markdown) numbered and listed as Python-Markdown's."""
    start = rendered.find(_SECTION)
    end = rendered.rfind(_SECTION_END)
    if start < 0 or end < start:
        return rendered
    numbers = definition_order(markdown)
    items = rendered[start + len(_SECTION): end].split(_ITEM_START)[1:]
    labels = [_label(_ITEM_START + item) for item in items]
    if not items or any(label not in numbers for label in labels):
        return rendered
    ordered = sorted(zip(labels, items), key=lambda pair: numbers[pair[0]])
    section = _SECTION + "".join(_ITEM_START + _NUMBERED_BACKREF.sub(r"\1", item) for _, item in ordered)
    text = _REFERENCE.sub(lambda found: f"{found.group(1)}{numbers.get(_unescaped(found.group(2)), '?')}</a>",
                          _without_added_references(rendered[:start]))
    return text + section + rendered[end:]


def _without_added_references(text: str) -> str:
    last = text.rfind("<p>")
    return text[:last] if last >= 0 and _ADDED_REFERENCES.fullmatch(text, last) else text


def _label(item: str) -> str:
    found = _ITEM_LABEL.match(item)
    return _unescaped(found.group(1)) if found else ""


def _unescaped(label: str) -> str:
    """A label as cmark wrote it in an id (its characters escaped for an address), case folded."""
    from urllib.parse import unquote

    return unquote(html.unescape(label)).casefold()
