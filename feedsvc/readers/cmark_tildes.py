"""A single tilde before an emphasis closer, read as CommonMark (and Goldmark) read it, where
cmark-gfm's strikethrough extension does not.

With the extension on, cmark-gfm takes each run of tildes for a delimiter, one tilde too
(with its option that only `~~` strikes through, the run then strikes nothing). A lone `~`
after white space and right before a run of `*` or `_` keeps that run from closing the
emphasis opened before: "**a ~** b" stays as written, where Goldmark writes
"<strong>a ~</strong> b" (seen in Korean prose, "**mutation ~** 부분"). Such a tilde is
written as its character reference `&#126;`, the same text to cmark but no delimiter.
Outside code spans and fences, and not on lines indented as code; one pass of one regex.
"""

from __future__ import annotations

import re

from .markdown_code import inside_quotes, outside_code

# A lone tilde after white space (a line's start too), right before `*` or `_`.
_LONE_TILDE = re.compile(r"(?:(?<=\s)|^)~(?=[*_])", re.MULTILINE)


def lone_tildes_as_references(markdown: str) -> str:
    """markdown with each such tilde written `&#126;`."""
    if "~*" not in markdown and "~_" not in markdown:
        return markdown
    return outside_code(markdown, _rewritten)


def _rewritten(prose: str) -> str:
    lines = prose.split("\n")
    for number, line in enumerate(lines):
        if ("~*" not in line and "~_" not in line) or inside_quotes(line)[1]:
            continue
        lines[number] = _LONE_TILDE.sub("&#126;", line)
    return "\n".join(lines)

