"""HTML blocks as kramdown and Python-Markdown read them (up to their end tag, whatever blank
or indented lines they hold), rewritten for cmark: what an element marked `markdown="1"`
encloses set apart and read as Markdown. Found in one pass each, with bounded looks ahead.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from .markdown_code import BLOCK_TAG, WITHOUT_BODY

_NESTED_TAG = re.compile(r"[ \t]*+<([A-Za-z][\w:-]*+)(?=[\s/>]|$)")
_MARKDOWN_ATTRIBUTE = re.compile(r"""\bmarkdown=["']?(\w*)""")
MAX_NESTING = 8
_ITEM_MARKER = re.compile(r"[ ]{0,3}(?:[*+-]|\d{1,9}\.)[ ]{1,4}(?=<[A-Za-z])")  # a list item's, before a tag
MAX_MARKED = 8  # times a block of HTML's lines are looked over for marked elements' ends, at most
# Marked elements read as Markdown in one block of HTML (past them the rest is kept raw): each is
# a block of its own, read by every rewrite: 8,300 in a list of 5 MB took 1.7 s to read, 0.8 s now.
MAX_MARKED_ELEMENTS = 500
# A tag closed by `/>` (`<br />`, `<img src="a.png" />`) and a character reference ended by
# `;` (`&nbsp;`, `&#39;`): Python-Markdown's HTML parser moves those in what follows a block's
# end tag on its line (tail_apart) past that text.
_TAG_AT = re.compile(r"<(/?)([A-Za-z][\w:-]*)[^<>]*")  # a tag up to its `>` (or the next `<`)
_MOVED = re.compile(r"<[A-Za-z][^<>]*/>|&(?:#[0-9]{1,10}|#[xX][0-9A-Fa-f]{1,8}|[A-Za-z][A-Za-z0-9]{0,31});")


def _never(_name: str) -> bool:
    return False


def html_blocks(text: str, is_block: Callable[[str], bool], read_inside: Callable[[str], bool] = _never,
                depth: int = 0, marked_within: bool = False, unclosed_raw: bool = False,
                tail_apart: Callable[[str], bool] | None = None) -> str:
    """HTML blocks made plain to cmark: a blank line before and after each, none inside
    (cmark ends an HTML block at a blank line); with `markdown="1"` (or, without the
    attribute, when read_inside says so of the element), the tags apart and what they
    enclose read as Markdown, as kramdown and Python-Markdown read them; marked_within
    (kramdown's reading): so is an element marked so on a line of its own inside a block of
    HTML (kramdown reads the attribute at any depth), one opened right after a list item's
    marker (`- <details markdown="1">`), and an element marked so inside a block of HTML of
    one line; and what follows a marked start tag on its line is Markdown too. is_block says which elements start a block of HTML (by
    lowercased name). unclosed_raw: an element whose end tag never comes makes the rest of the
    text HTML (Python-Markdown's reading: its HTML parser ends the document inside it).
    tail_apart (Python-Markdown's reading too; which elements are blocks there): what follows
    the end tag on its line starts a paragraph of Markdown (_tail_apart)."""
    lines = text.split("\n")
    tags = LineTags(lines)
    out: list[str] = []
    moved: list[str] = []  # what Python-Markdown hands on past a block's tail, up to the next block
    index = 0
    budget = [MAX_MARKED * len(lines), MAX_MARKED_ELEMENTS]  # lines looked over for marked items' ends, items read
    while index < len(lines):
        line = lines[index]
        item = marked_within and _marked_item(line, index, tags, is_block, budget)
        tag = BLOCK_TAG.match(line, len(item or ""))
        name = tag.group(1).lower() if tag else ""
        if not tag or not is_block(name) or item is None:
            out.append(line)
            index += 1
            continue
        end = block_end(tags, index, name)
        if end is None and unclosed_raw:
            return "\n".join([*out, *_flushed(moved), "", *(kept for kept in lines[index:] if kept.strip()), ""])
        if end is None:  # no end tag: cmark's reading is kept, from here on (each line is read once)
            return "\n".join(out + _flushed(moved) + lines[index:])
        markdown = _MARKDOWN_ATTRIBUTE.search(line)
        inside = markdown.group(1) != "0" if markdown else read_inside(name)
        if inside and end > index and depth < MAX_NESTING:
            start_tag, rest = _start_tag_and_rest(line, len(item or "")) if marked_within else (line, "")
            inner = "\n".join(kept.strip() for kept in [rest, *lines[index + 1:end]])
            inner = html_blocks(inner, is_block, read_inside, depth + 1, marked_within, unclosed_raw, tail_apart)
            out += ["", start_tag, "", inner, "", lines[end], ""]
        elif marked_within and inside and end == index and (apart := _marked_apart(line)):
            out += apart
        elif marked_within and depth < MAX_NESTING and "markdown" in "".join(lines[index + 1:end]):
            out += ["", *_raw_with_marked(lines[index:end + 1], is_block, read_inside, depth), ""]
        else:
            out += _raw_block(tags, index, end, name, tail_apart, moved)
        index = end + 1
    return "\n".join(out + _flushed(moved))


def _raw_block(tags: LineTags, index: int, end: int, name: str, tail_apart: Callable[[str], bool] | None,
               moved: list[str]) -> list[str]:
    """The lines of a block of HTML (lines index to end) for cmark, a blank line around them;
    with tail_apart, what follows the element's end tag on its last line apart under it, and
    what moved held before it (_tail_apart)."""
    block = [kept for kept in tags.lines[index:end + 1] if kept.strip()]
    if tail_apart is None or name in WITHOUT_BODY:
        return ["", *block, ""]
    opened = sum(change for number in range(index, end)  # its depth where its last line starts
                 for tag, change in tags.depth_changes(number) if tag == name)
    held = _flushed(moved)
    return [*held, "", *_tail_apart(block, name, opened, tail_apart, moved), ""]


def _flushed(moved: list[str]) -> list[str]:
    """What moved holds, as a paragraph of its own (nothing when it holds nothing); emptied."""
    if not moved:
        return []
    held = ["", "".join(moved), ""]
    moved.clear()
    return held


def _tail_apart(block: list[str], name: str, depth: int, is_block: Callable[[str], bool],
                moved: list[str]) -> list[str]:
    """A block of HTML's lines with what follows the element's end tag on the last one
    (`<h2>Notes</h2>Text *here*`) apart under a blank line: Python-Markdown ends the block at
    the end tag (and at each block element's right after it) and reads the rest as a
    paragraph, with each tag closed by `/>` and character reference in it handed on (its HTML
    parser's way) to the next block element, or the end: `Here<br />there` reads `Herethere`.
    Those of the last stretch of text are added to moved. depth: the element's, where the
    last line starts."""
    last = block[-1]
    close = _close(last, 0, name, depth)
    while close >= 0 and (after := BLOCK_TAG.match(last, close + 1)) and is_block(after.group(1).lower()):
        close = _close(last, after.start(), after.group(1).lower(), 0)  # a block right after it
    tail = last[close + 1:] if close >= 0 else ""
    if not tail.strip():
        return block
    return [*block[:-1], last[:close + 1], "", _moved_past_text(tail, is_block, moved).lstrip(" \t")]


def _moved_past_text(tail: str, is_block: Callable[[str], bool], moved: list[str]) -> str:
    """tail with the tags closed by `/>` and character references of each stretch of text
    taken out, put before the block element that ends the stretch (`<pre>…</pre>`, kept
    whole) or, for the last stretch, added to moved."""
    if "/>" not in tail and "&" not in tail:
        return tail
    pieces, position = [], 0
    while position < len(tail):
        tag = next((found for found in _TAG_AT.finditer(tail, position) if found.group(1) == ""
                    and is_block(found.group(2).lower())), None)
        stretch = tail[position:tag.start() if tag else len(tail)]
        pieces.append(_MOVED.sub("", stretch))
        if tag is None:
            moved += _MOVED.findall(stretch)
            break
        found = _MOVED.findall(stretch)
        pieces += [" " + "".join(found) + " "] if found else []
        close = _close(tail, tag.start(), tag.group(2).lower(), 0)
        position = close + 1 if close >= 0 else len(tail)
        pieces.append(tail[tag.start():position])
    return "".join(pieces)


def _close(line: str, start: int, name: str, depth: int) -> int:
    """Where in line the element open to depth at start (or opened there) ends: its end tag's
    `>`; -1 when it does not end on the line."""
    for tag in _TAG_AT.finditer(line, start):
        if tag.group(2).lower() == name and tag.end() < len(line) and line[tag.end()] == ">":
            depth += -1 if tag.group(1) else 0 if line[tag.end() - 1] == "/" else 1
            if depth <= 0:
                return tag.end()
    return -1


def _marked_item(line: str, index: int, tags: LineTags, is_block: Callable[[str], bool],
                 budget: list[int]) -> str | None:
    """A list item's marker before a block element's start tag marked `markdown="1"` whose end
    tag is on a later line ("" when the line starts no list item; None when it starts one
    otherwise, or past the budget of lines looked over or items read: the line is left to
    cmark). kramdown reads the element as the item's first block, what follows the start
    tag (on its line too) as Markdown."""
    marker = _ITEM_MARKER.match(line)
    if not marker:
        return ""
    tag = BLOCK_TAG.match(line, marker.end())
    markdown = _MARKDOWN_ATTRIBUTE.search(line, marker.end())
    if not tag or not is_block(tag.group(1).lower()) or not markdown or markdown.group(1) == "0":
        return None
    if min(budget) <= 0:
        return None
    stop = index + budget[0]
    end = block_end(tags, index, tag.group(1), stop)
    budget[0] -= (min(len(tags.lines), stop) if end is None else end + 1) - index
    budget[1] -= 1
    return marker.group(0) if end is not None and end > index else None


def _start_tag_and_rest(line: str, start: int) -> tuple[str, str]:
    """A line opening a marked element: up to its start tag's end, and what follows it (kramdown
    reads it as the element's first line)."""
    tag_end = line.find(">", start)
    return (line, "") if tag_end < 0 else (line[:tag_end + 1], line[tag_end + 1:])


def _marked_apart(line: str) -> list[str]:
    """A block of HTML of one line holding an element marked `markdown="1"` and its end tag
    inside its first element (`<summary><span markdown="1">text</span></summary>`): its tags
    apart, what it encloses read as Markdown, as kramdown reads it (none when the line holds
    no such element)."""
    marked = _MARKDOWN_ATTRIBUTE.search(line)
    opening = line.rfind("<", 0, marked.start()) if marked else -1
    # the block's own element marked so is left raw: kramdown reads its end tag there as text
    name = _ANY_START_TAG.match(line, opening) if opening > line.find("<") else None
    tag_end = line.find(">", marked.end()) if marked else -1
    if not name or tag_end < 0:
        return []
    end = line.lower().rfind(f"</{name.group(1).lower()}", tag_end)
    if end < 0:
        return []
    return ["", line[:tag_end + 1], "", line[tag_end + 1:end].strip(), "", line[end:], ""]


def _raw_with_marked(lines: list[str], is_block: Callable[[str], bool], read_inside: Callable[[str], bool],
                     depth: int) -> list[str]:
    """A block of HTML's lines (blank ones left out), but an element inside it marked
    `markdown="1"` on a line of its own: its tags apart and what it encloses read as Markdown;
    the lines after it unindented (cmark would read an indented one after a blank as code)."""
    out: list[str] = []
    tags = LineTags(lines)
    # Lines the marked elements' ends are looked for over, in all: MAX_MARKED looks to the block's end
    # (a list of a hundred `<li markdown="1">` looks a few lines for each); and elements read.
    index, after_marked, budget, elements = 0, False, MAX_MARKED * len(lines), MAX_MARKED_ELEMENTS
    while index < len(lines):
        line = lines[index]
        tag = _NESTED_TAG.match(line) if index and "markdown" in line and budget > 0 and elements else None
        marked = _MARKDOWN_ATTRIBUTE.search(line) if tag and is_block(tag.group(1).lower()) else None
        end = None
        if tag and marked and marked.group(1) != "0":
            end = block_end(tags, index, tag.group(1), index + budget)
            budget -= (min(len(lines), index + budget) if end is None else end + 1) - index
        if tag and end is not None and end > index:
            inner = "\n".join(kept.strip() for kept in lines[index + 1:end])
            out += ["", line.strip(), "", html_blocks(inner, is_block, read_inside, depth + 1, True), "",
                    lines[end].strip(), ""]
            index, after_marked, elements = end + 1, True, elements - 1
            continue
        if line.strip():
            out.append(line.strip() if after_marked else line)
        index += 1
    return out


# Any start or end tag, its name compared afterwards: a pattern compiled from each name cost
# more than linear in a long name, on every block.
_ANY_START_TAG = re.compile(r"<([A-Za-z][\w:-]*+)(?=[\s/>]|$)")
_ANY_END_TAG = re.compile(r"</([A-Za-z][\w:-]*+)\s*>")


class LineTags:
    """The tags of each line of a block of HTML, found once however many elements' ends are
    looked for in it (up to MAX_MARKED times the block's lines are looked over)."""

    def __init__(self, lines: list[str]):
        self.lines = lines
        self._found: dict[int, tuple[tuple[str, int], ...]] = {}

    def depth_changes(self, number: int) -> tuple[tuple[str, int], ...]:
        """Each tag of the line by lowercased name: 1 a start tag, 0 one closed by `/>`
        (`<div class="chart"/>` holds nothing, as kramdown and Python-Markdown read it), -1
        an end tag."""
        found = self._found.get(number)
        if found is None:
            line = self.lines[number]
            found = self._found[number] = (*_start_tags(line),
                                           *((name.lower(), -1) for name in _ANY_END_TAG.findall(line)))
        return found


def _start_tags(line: str) -> Iterator[tuple[str, int]]:
    """Each start tag of line by lowercased name: 0 if it ends with `/>` on the line (the first
    `>` after its name), else 1. The `>` is looked for once per stretch of tags before it: a
    line of many tags left open is read once, not once per tag."""
    closing = -1  # the `>` after the last tag, or len(line): none
    for tag in _ANY_START_TAG.finditer(line):
        if closing < tag.end():
            found = line.find(">", tag.end())
            closing = found if found >= 0 else len(line)
        yield tag.group(1).lower(), 0 if closing < len(line) and line[closing - 1] == "/" else 1


def block_end(tags: LineTags, start: int, name: str, stop: int | None = None) -> int | None:
    """The line where the element opened on line start ends (its end tag, nesting counted),
    looked for up to line stop (the block's end by default)."""
    name = name.lower()
    depth = 0
    for number in range(start, len(tags.lines) if stop is None else min(stop, len(tags.lines))):
        depth += sum(change for tag, change in tags.depth_changes(number) if tag == name)
        if depth <= 0 or name in WITHOUT_BODY:
            return number
    return None
