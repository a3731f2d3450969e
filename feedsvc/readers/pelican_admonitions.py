"""Python-Markdown's admonition extension, where a Pelican site's MARKDOWN setting turns it
on (readers.pelican.markdown_extension):

    !!! warning "Mind the gap"
        What the box holds, indented by 4 columns,

        over one paragraph or more.

is a box: `<div class="admonition warning">`, its title in a paragraph of its own (without a
quoted title, the first class capitalized, `Warning`; with `""`, none), then what the
indented lines hold, read as Markdown. The source is rewritten before cmark reads it: the
box as those tags, its lines taken 4 columns left (a box in a box is read the same way),
outside fenced code (Python-Markdown's, pelican_fences.fenced_blocks). Each line is read
once a level, and boxes nest at most MAX_DEPTH deep.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

from .pelican_fences import fenced_blocks
from .pelican import markdown_extension

MAX_DEPTH = 20
INDENT = "    "


def turned_on(data: dict[str, Any]) -> bool:
    return markdown_extension(data, "admonition") is not None


def _word_end(text: str, start: int) -> int:
    """Where the run of word characters (`[\\w-]`) at start ends."""
    end = start
    while end < len(text) and (text[end].isalnum() or text[end] in "_-"):
        end += 1
    return end


def header(line: str) -> tuple[str, str | None] | None:
    """A box's first line, `!!! type more-classes "title"`, as (classes, title): title None
    without a quoted one; None when the line starts no box."""
    if not line.startswith("!!!"):
        return None
    rest = line[4:] if line.startswith("!!! ") else line[3:]
    end = _word_end(rest, 0)
    if not end:
        return None
    while True:  # more classes, each after spaces
        spaces = end
        while spaces < len(rest) and rest[spaces] == " ":
            spaces += 1
        after = _word_end(rest, spaces)
        if spaces == end or after == spaces:
            break
        end = after
    classes, tail = " ".join(rest[:end].split()).lower(), rest[end:]
    quoted = tail.strip(" ")
    if not quoted:
        return classes, None
    if tail.startswith(" ") and len(quoted) > 1 and quoted[0] == quoted[-1] == '"':
        return classes, quoted[1:-1]
    return None


def as_html(text: str, inline: Callable[[str], str], depth: int = 0) -> str:
    """text with its boxes written as HTML around their Markdown (see above); inline: a
    title's Markdown as HTML (Python-Markdown reads its emphasis, code and links)."""
    if "!!!" not in text or depth >= MAX_DEPTH:
        return text
    lines = text.split("\n")
    blocks = fenced_blocks(lines)
    out: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        if index - 1 in blocks:  # fenced code, to its closing line
            out += lines[index - 1:blocks[index - 1] + 1]
            index = blocks[index - 1] + 1
            continue
        if found := header(line):
            inner, index = _inner(lines, index)
            out += _box(*found, as_html("\n".join(inner), inline, depth + 1), inline)
            continue
        out.append(line)
    return "\n".join(out)


def _inner(lines: list[str], index: int) -> tuple[list[str], int]:
    """The lines a box holds from index on, 4 columns left, and where the box ends: at the
    first line not indented, or at blank lines not followed by an indented one."""
    inner: list[str] = []
    while index < len(lines):
        line = lines[index].expandtabs(4)
        if line.startswith(INDENT):
            inner.append(line[len(INDENT):])
            index += 1
            continue
        if line.strip():
            break
        following = index
        while following < len(lines) and not lines[following].strip():
            following += 1
        if following == len(lines) or not lines[following].expandtabs(4).startswith(INDENT):
            break
        inner += [""] * (following - index)
        index = following
    return inner, index


def _box(classes: str, title: str | None, inner: str, inline: Callable[[str], str]) -> list[str]:
    if title is None:
        title = classes.split(" ", 1)[0].capitalize()
    shown = inline(title).strip() if title else ""
    if not (shown.startswith("<p>") and shown.endswith("</p>") and "\n" not in shown):
        shown = f"<p>{html.escape(title, quote=False)}</p>"  # a title cmark reads as a block
    heading = [f'<p class="admonition-title">{shown[3:-4]}</p>'] if title else []
    return ["", f'<div class="admonition {html.escape(classes)}" markdown="1">', *heading, "", inner, "",
            "</div>", ""]
