"""Footnote references without a definition, read as text as Goldmark, kramdown and
Python-Markdown read them (readers.markdown applies this before any site's rewriting)."""

from __future__ import annotations

import re
from collections.abc import Callable

from .markdown_code import is_escaped, outside_code

MAX_LABEL = 999  # a link label's characters, in cmark
_FOOTNOTE_DEFINITION = re.compile(r"^ {0,3}\[\^([^\]\n]{1,999})\]:", re.MULTILINE)
LABEL_MARKUP = "<&*_`\\"  # what cmark-gfm would show as written in an undefined footnote's label


def undefined_footnotes_as_text(text: str) -> str:
    """`[^label]` with no `[^label]:` definition is no footnote to Goldmark, kramdown or
    Python-Markdown: what it holds is Markdown and HTML like any other text (`[^&nbsp;</span>`
    in a pasted regular expression); cmark-gfm writes it as it is, its HTML escaped. Such a
    reference whose label holds markup gets its bracket escaped (outside code and lines
    indented as code: `\\[^`; cmark took an escaped caret for a footnote still), so that cmark
    reads it as text too. Not inside a `<pre>` (a highlight tag's code, `[^a-z]` in a pattern):
    cmark keeps it raw, the backslash with it."""
    if "[^" not in text:
        return text
    defined = {_label(found) for found in _FOOTNOTE_DEFINITION.findall(text)}
    return outside_code(text, lambda prose: _outside_pre(prose, lambda part: _undefined_escaped(part, defined)))


def _outside_pre(text: str, rewrite: Callable[[str], str]) -> str:
    """rewrite applied to text but what `<pre>` elements hold (to their first `</pre>`), each
    looked for once from where the last ended: linear."""
    if "<pre" not in text:
        return rewrite(text)
    pieces, position = [], 0
    while (start := text.find("<pre", position)) >= 0 and (end := text.find("</pre>", start)) >= 0:
        pieces += [rewrite(text[position:start]), text[start:end]]
        position = end
    return "".join(pieces) + rewrite(text[position:])


def _next(text: str, char: str, start: int) -> int:
    """Where char is next from start; none: a place beyond the end, further than any label."""
    found = text.find(char, start)
    return found if found >= 0 else len(text) + MAX_LABEL + 1


def _label(text: str) -> str:
    return " ".join(text.split()).casefold()


def _undefined_escaped(text: str, defined: set[str]) -> str:
    pieces: list[str] = []
    position = scan = line_start = 0
    next_close = next_open = -1  # the next "]" and "[" from where they were last looked for
    while (start := text.find("[^", scan)) >= 0:
        newline = text.rfind("\n", scan, start)  # from the last one looked at: linear
        line_start = newline + 1 if newline >= 0 else line_start
        scan = start + 2
        if text.startswith(("    ", "\t"), line_start) or is_escaped(text, start):
            continue  # a line indented as code (a list's paragraph so indented is left too), or `\[^`
        if next_close < scan:
            next_close = _next(text, "]", scan)
        if next_open < scan:
            next_open = _next(text, "[", scan)
        after = text[next_close + 1:next_close + 2]
        if next_close - scan > MAX_LABEL or next_open < next_close or after in ("(", "["):
            continue  # not a label (too long, or holding a bracket), or a link's text
        label = text[scan:next_close]
        if _label(label) not in defined and any(mark in label for mark in LABEL_MARKUP):
            pieces += [text[position:start], "\\"]
            position = start
    return "".join(pieces) + text[position:]
