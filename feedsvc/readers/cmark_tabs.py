"""Fences indented with tabs read as CommonMark (and Goldmark) reads them, where cmark-gfm
does not.

A tab in a line's indentation stands for the spaces to the next multiple of four columns,
and a list item takes its columns from it, leaving the rest of the tab. cmark-gfm counts a
fence's indentation so partly in characters: under `- item`, "\\t```" then "\\tcode" gives
the code " code", where Goldmark gives "code" (a second tab is kept: "\\t\\tcode" gives
"\\tcode" in both once the fence is written with spaces). The indentation of a line opening
or closing a fence, when it holds a tab, is written as the spaces it stands for, which
changes nothing of the block structure and lets cmark remove the fence's indentation from
the code's lines as Goldmark does.
"""

from __future__ import annotations

import re

TAB_STOP = 4
# A line's indentation (possessive, bounded: read once) before a fence's ticks or tildes.
_FENCE_INDENT = re.compile(r"^([ \t]{1,64}+)(?=`{3}|~{3})", re.MULTILINE)


def _as_spaces(found: re.Match[str]) -> str:
    return found.group(1).expandtabs(TAB_STOP)  # the indentation starts its line: tab stops hold


def fence_tabs_as_spaces(markdown: str) -> str:
    """The source with each fence line's tab indentation written as spaces."""
    if "\t`" not in markdown and "\t~" not in markdown:
        return markdown
    return _FENCE_INDENT.sub(_as_spaces, markdown)
