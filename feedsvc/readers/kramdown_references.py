"""Reference links whose text holds backslash escapes, as kramdown matches them to definitions.

For `[text][]` and `[text]` kramdown looks the definition up by the link's text with its escapes
read (`[tern\\_for\\_vim][]` finds `[tern_for_vim]: ...`), and a definition by its label as
written; cmark compares both as written. Such a reference is given the definition's label
(`[tern\\_for\\_vim][tern_for_vim]`), and one that only matches as written (a definition
`[a\\_b]: ...` for `[a\\_b][]`) is text to kramdown: its bracket is escaped.
"""

from __future__ import annotations

import re

# A link's text, then `[]` or nothing; not a definition (`:`), an inline link or a full
# reference (`(` or `[` after it), nor the label of one (`]` before it) or an escaped bracket.
_REFERENCE = re.compile(r"(?<![\]\\])\[([^\[\]\n]{1,999})\](?:\[\])?(?![\[(:])")
# What kramdown's GFM input escapes with a backslash (others keep it).
_ESCAPED = re.compile(r"\\([\\.*_+\-`()\[\]{}#!:|\"'$=<>~])")


# References rewritten in a text, at most: past them the rest are left to cmark (a post holds a
# few dozen; each rewritten makes a link, 12,500 of which took a second to render and refuse).
MAX_REWRITTEN = 1_000


def escaped_references(text: str, labels: frozenset[str]) -> str:
    """text's references with escapes in their text matched as kramdown matches them
    (labels: the definitions' labels as definition_labels gives them)."""
    budget = [MAX_REWRITTEN]
    return _REFERENCE.sub(lambda found: _matched(found, labels, budget), text) if "\\" in text else text


def _matched(found: re.Match[str], labels: frozenset[str], budget: list[int]) -> str:
    written = found.group(1)
    if "\\" not in written or budget[0] <= 0:
        return found.group(0)
    budget[0] -= 1
    read = _key(_ESCAPED.sub(r"\1", written))
    if read in labels and _key(written) not in labels:
        return f"[{written}][{read}]"
    if _key(written) in labels and read not in labels:
        return "\\" + found.group(0)
    return found.group(0)


def _key(label: str) -> str:
    return " ".join(label.split()).lower()
