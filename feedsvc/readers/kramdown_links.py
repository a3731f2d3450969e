"""A link whose text opens an emphasis that closes only after the text: no link to kramdown.

kramdown reads a link's text as spans, and an emphasis opened there looks for its end past
the text's `]`, through the address (`[https://hub.docker.com/_/redis](https://hub.docker.com/_/redis)`:
the `_` after `.com/` opens one, the `_` in the address ends it); the link then finds no `]`
and is text, the emphasis taken from `_/redis](https://hub.docker.com/_`. cmark reads the
link first. Such a link's `[` is escaped, for cmark to read the same text.
"""

from __future__ import annotations

import re

from .kramdown_extensions import outside_html

# A link's text, up to its `](` (the first of those in a paragraph's lines). Possessive.
_LINK_TEXT = re.compile(r"(?<![\\!])\[([^\[\]\n]{1,300}+)\]\(")
_MARK = re.compile(r"[_*]")
_PARAGRAPH_END = re.compile(r"\n[ \t]*+\n")
# Where an emphasis ends to kramdown: no white space before its delimiter; a `_` not before a
# letter or digit; an emphasis not at a run of two.
_CLOSERS = {"_": re.compile(r"(?<=\S)_(?!\w)"), "__": re.compile(r"(?<=\S)__(?![^\W_])"),
            "*": re.compile(r"(?<=\S)\*(?!\*)"), "**": re.compile(r"(?<=\S)\*\*")}
MAX_LINKS = 200  # looked at in a text (its pieces between blocks of HTML too): past them, cmark's
MAX_AFTER = 2000  # characters after a link's text an emphasis's end is looked for in
MAX_OPENERS = 8  # in a link's text, each looked for its end


def emphasis_across_links(text: str, budget: list[int]) -> str:
    """text with each such link's `[` escaped; not in a block of HTML; budget: the links that
    may still be looked at, over the pieces of a text."""
    if "_" not in text and "*" not in text:
        return text
    return outside_html(lambda run: _escaped_links(run, budget), text)


def _escaped_links(text: str, budget: list[int]) -> str:
    pieces, position = [], 0
    for link in _LINK_TEXT.finditer(text):
        if budget[0] <= 0:
            break
        budget[0] -= 1
        if ("_" in link.group(1) or "*" in link.group(1)) and _breaks(text, link):
            pieces += [text[position:link.start()], "\\["]
            position = link.start() + 1
    return "".join(pieces) + text[position:]


def _breaks(text: str, link: re.Match[str]) -> bool:
    """Whether an emphasis opened in the link's text ends only after it, in its paragraph."""
    start, end = link.span(1)
    paragraph_end = _PARAGRAPH_END.search(text, end, min(end + MAX_AFTER, len(text)))
    limit = paragraph_end.start() if paragraph_end else min(end + MAX_AFTER, len(text))
    position, tried = start, 0
    while (mark := _MARK.search(text, position, end)) is not None and tried < MAX_OPENERS:
        delimiter = _delimiter(text, mark.start())
        position = mark.start() + len(delimiter)
        if not _opens(text, mark.start(), delimiter):
            continue
        tried += 1
        inside = _closer(text, position, end, delimiter)
        if inside >= 0:
            position = inside + len(delimiter)
            continue
        return _closer(text, end, limit, delimiter) >= 0
    return False


def _delimiter(text: str, at: int) -> str:
    """The run at `at` as kramdown takes it: `__`/`**` (strong) or one character."""
    return text[at] * 2 if text.startswith(text[at] * 2, at) else text[at]


def _opens(text: str, at: int, delimiter: str) -> bool:
    """kramdown's test: no white space after it; a `_` not after a letter (or a letter and a hyphen)."""
    after = text[at + len(delimiter):at + len(delimiter) + 1]
    if not after or after.isspace() or after == delimiter[0]:
        return False
    if delimiter[0] == "_" and at:
        before = text[at - 1]
        return not (before.isalpha() or before == "-" and at > 1 and text[at - 2].isalpha())
    return True


def _closer(text: str, start: int, end: int, delimiter: str) -> int:
    """Where an emphasis of delimiter ends between start and end, not right at start (it holds
    something), or -1."""
    found = _CLOSERS[delimiter].search(text, start + 1, end)
    return found.start() if found else -1
