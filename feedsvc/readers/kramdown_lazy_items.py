"""Lines that start like a list's item, but that kramdown reads as text of an item above.

kramdown gathers a list's item line by line: a line indented to the item's content is its
content, and one indented less goes on the item lazily (if no blank line comes before it). Once
the item holds a nested list (its first line is an item's marker, a line indented to its content
starts an item, or a blank line came), a lazy line that starts with a marker of the other kind
(`1.` in a `-` list, `-` in a `1.` list; one of the same kind starts the next item) is pushed
in, four columns past the item's content, and read again by the lists nested there: where it
starts no item at last, it goes on the text of the deepest item's paragraph, marker and all. cmark ends the list there and starts another, so the marker is escaped for it
(`1\\.`, `\\-`): the line is then a lazy line of the paragraph before it, as in kramdown.
The nested lists are read by the same rule, what each item holds taken as kramdown splits it.
"""

from __future__ import annotations

import re

_MARKS = (r"[+*-]", r"\d{1,9}\.")
# an item's start, by kind and by the most spaces before its marker (fewer than the item's content's)
_STARTS = {(mark, spaces): re.compile(r"( {0,%d}%s)(?=[ \t])" % (spaces, mark)) for mark in _MARKS for spaces in range(4)}
_UNORDERED, _ORDERED = _STARTS[_MARKS[0], 3], _STARTS[_MARKS[1], 3]
_ANY_START = re.compile(r"^ {0,3}(?:[+*-]|\d{1,9}\.)[ \t]", re.MULTILINE)
_HORIZONTAL_RULE = re.compile(r" {0,3}([*_-])[ \t]{0,99}\1[ \t]{0,99}\1[ \t*_-]*+$")
_END_OF_BLOCK = re.compile(r"\^[ \t]*$")
_FENCE = re.compile(r" {0,3}(`{3,}+|~{3,}+)")
_NOT_LAZY = re.compile(r" {0,3}(?:\{:|</?[A-Za-z])")  # an attribute list or a block of HTML ends the item
_MARKER_END = re.compile(r" *+(?:[+*-]|\d{1,9}(?=\.))")
MAX_DEPTH = 6  # nested lists looked into; deeper ones are left as cmark reads them
MAX_LINES_READ = 20_000  # lines read in lists, over all depths; the lists after are left as cmark reads them

Line = tuple[int, str]  # the line's number in the text, what kramdown sees of it


def lazy_markers_as_text(text: str) -> str:
    """The text, the markers of the lines kramdown reads as an item's text escaped (see above)."""
    if "\n" not in text or not _has_list(text):
        return text
    lines = text.split("\n")
    seen = [(number, line.expandtabs(4) if line.startswith("\t") else line) for number, line in enumerate(lines)]
    marked: set[int] = set()
    _blocks(seen, marked, 0, [MAX_LINES_READ])
    for number in sorted(marked):
        line = lines[number]
        end = _MARKER_END.match(line).end()  # type: ignore[union-attr]  # the line starts with a marker
        lines[number] = line[:end] + "\\" + line[end:] if line[end:end + 1] == "." else \
            line[:end - 1] + "\\" + line[end - 1:]
    return "\n".join(lines)


def _has_list(text: str) -> bool:
    return _ANY_START.search(text) is not None


def _blocks(lines: list[Line], marked: set[int], depth: int, budget: list[int]) -> None:
    """Looks for lists in lines read as blocks (a list's item interrupts a paragraph, as with
    Jekyll's GFM input), skipping fenced code."""
    position = 0
    while position < len(lines):
        line = lines[position][1]
        fence = _FENCE.match(line)
        if fence:
            position = _fence_end(lines, position + 1, fence.group(1))
        elif depth < MAX_DEPTH and budget[0] > 0 and (_UNORDERED.match(line) or _ORDERED.match(line)):
            marked.discard(lines[position][0])  # pushed in, it starts a list there all the same
            position = _list(lines, position, marked, depth, budget)
        else:
            position += 1


def _fence_end(lines: list[Line], position: int, fence: str) -> int:
    while position < len(lines):
        closing = _FENCE.match(lines[position][1])
        position += 1
        if closing and closing.group(1)[0] == fence[0] and len(closing.group(1)) >= len(fence) \
                and not lines[position - 1][1][closing.end():].strip():
            break
    return position


def _list(lines: list[Line], position: int, marked: set[int], depth: int, budget: list[int]) -> int:
    """Reads the list starting at position as kramdown's parse_list does; the position after it."""
    kind = _MARKS[0] if _UNORDERED.match(lines[position][1]) else _MARKS[1]
    starts, indentation = _STARTS[kind, 3], 0
    items: list[list[list[Line]]] = []  # each item's chunks, each read as blocks of its own
    nested = last_blank = False
    begin = position
    while position < len(lines):
        number, line = lines[position]
        start = starts.match(line)
        if last_blank and _HORIZONTAL_RULE.match(line) or _END_OF_BLOCK.match(line):
            break
        if start:
            rest = line[start.end():]
            indentation = start.end() + len(rest) - len(rest.lstrip(" \t"))
            first = rest.strip(" \t")
            items.append([[(number, first)]])
            marked.discard(number)
            starts = _STARTS[kind, min(3, indentation - 1)]
            nested, last_blank = bool(_starts_item(first)), False
        elif line.strip() and (line.startswith(" " * indentation) or not last_blank and not _NOT_LAZY.match(line)):
            indented = line.startswith(" " * indentation)
            content = line[indentation:] if indented else line
            if not nested and indented and _starts_item(content):
                items[-1].append([])
                nested = True
            elif nested and not indented and _starts_item(content):
                marked.add(number)
                content = " " * (indentation + 4) + content
            items[-1][-1].append((number, content))
            last_blank = False
        elif not line.strip():
            nested = last_blank = True
            items[-1][-1].append((number, ""))
        else:
            break
        position += 1
    budget[0] -= position - begin + 1
    for chunk in (chunk for item in items for chunk in item):
        _blocks(chunk, marked, depth + 1, budget)
    return position


def _starts_item(line: str) -> bool:
    return bool(_UNORDERED.match(line) or _ORDERED.match(line))
