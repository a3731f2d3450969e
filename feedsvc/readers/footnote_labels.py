"""Footnote references (`[^label]`) that cmark-gfm would make footnotes of but the site's
generator writes as text: a label with no definition holding markup, and, for Hugo, a label
defined only in another case.

cmark-gfm writes an undefined reference as it is, its HTML escaped; Goldmark, kramdown and
Python-Markdown read what it holds as Markdown and HTML like any other text (`[^&nbsp;</span>`
in a pasted regular expression). cmark-gfm finds a definition as it finds a link's, its label
case-folded (`[^Note]` is `[^note]:`'s); Goldmark compares the two
labels byte for byte, and `[^Note]` with only `[^note]:` defined is text (`[Paper][^Paper]`
stays as written, brackets and all). Either reference gets its bracket escaped (outside code,
lines indented as code and `<pre>` elements: `\\[^`; cmark took an escaped caret for a footnote
still), so that cmark reads it as text too.

cmark-gfm takes no space or tab in a footnote definition's label; Goldmark takes any label
that is not blank (`[^Grady Huang]:`). For Hugo, such a label's spaces and tabs are written,
in its definition and in each reference written exactly so, as characters cmark's labels may
hold (and cmark does not fold as white space), so that cmark makes it the footnote it is.
And Goldmark reads a defined footnote's reference before a link: `[^1](see)` is the footnote
and the text "(see)", where cmark links "^1"; the parenthesis is escaped.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial

from .markdown_code import cmark_label, is_escaped, outside_code

MAX_LABEL = 999  # a link label's characters, in cmark
_FOOTNOTE_DEFINITION = re.compile(r"^ {0,3}\[\^([^\]\n]{1,999})\]:", re.MULTILINE)
LABEL_MARKUP = "<&*_`\\"  # what cmark-gfm would show as written in an undefined footnote's label
# A reference: no `[` in its label (a label holds none), so that a try ends at the next `[`,
# not 999 characters on (`[^[^[^…`).
_REFERENCE = re.compile(r"\[\^([^\[\]\n]{1,999})\]")
# A space and a tab in a label as cmark takes them: distinct, as Goldmark's labels are compared.
_SPACES_JOINED = str.maketrans({" ": "\u00a0", "\t": "\u2007"})


def undefined_footnotes_as_text(text: str, exact_labels: bool = False) -> str:
    """text with each reference to no definition (exact_labels: none written exactly so, as
    Goldmark matches them) that cmark-gfm would show otherwise escaped."""
    if "[^" not in text:
        return text
    if exact_labels:
        text = spaced_labels_joined(text)
    written = set(_FOOTNOTE_DEFINITION.findall(text))
    folded = {cmark_label(label) for label in written}
    exact = written if exact_labels else None
    escaped = partial(_undefined_escaped, folded=folded, written=exact)
    return outside_code(text, lambda prose: _outside_pre(prose, escaped))


def spaced_labels_joined(text: str) -> str:
    """text with each defined footnote label holding a space or tab (not blank) written with
    _SPACES_JOINED's characters there, in its definition and its references (outside code)."""
    spaced = {label for label in _FOOTNOTE_DEFINITION.findall(text)
              if (" " in label or "\t" in label) and label.strip(" \t")}
    if not spaced:
        return text

    def joined(found: re.Match[str]) -> str:
        label = found.group(1)
        return f"[^{label.translate(_SPACES_JOINED)}]" if label in spaced else found.group(0)

    return outside_code(text, lambda prose: _REFERENCE.sub(joined, prose))


def _outside_pre(text: str, rewrite: Callable[[str], str]) -> str:
    """rewrite applied to text but what `<pre>` elements hold (to their first `</pre>`), each
    looked for once from where the last ended: linear. (A highlight tag's code, `[^a-z]` in a
    pattern: cmark keeps it raw, a backslash put before it too.)"""
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


def _as_text(label: str, folded: set[str], written: set[str] | None) -> bool:
    """Whether the generator writes the reference as text where cmark would not: undefined and
    holding markup, or (written: the labels as defined) matching a definition only as cmark
    matches labels."""
    if cmark_label(label) not in folded:
        return any(mark in label for mark in LABEL_MARKUP)
    return written is not None and label not in written


def _undefined_escaped(text: str, folded: set[str], written: set[str] | None) -> str:
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
        if next_close - scan > MAX_LABEL or next_open < next_close:
            continue  # not a label (too long, or holding a bracket)
        label = text[scan:next_close]
        if after == "(" and written is not None and label in written:
            pieces += [text[position:next_close + 1], "\\"]  # Goldmark's footnote comes before a link:
            position = next_close + 1  # `[^1](text)` is the footnote, then text, where cmark links
        elif after not in ("(", "[") and _as_text(label, folded, written):  # else a link's text
            pieces += [text[position:start], "\\"]
            position = start
    return "".join(pieces) + text[position:]
