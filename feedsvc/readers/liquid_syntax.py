"""Where a post's Liquid is: its tags and outputs, found by forward scans (str.find), never by
a backtracking pattern; what nothing closes, made text before python-liquid's lexer (whose
patterns look for an end to the end of the post) reads it; and the syntax taken out of a
template that cannot be rendered.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

_TAG_NAME = re.compile(r"-?\s*(#|[A-Za-z_]\w*)")
# Where python-liquid's lexer reads a tag or an output, and a raw block, as its patterns do.
_OPENING = re.compile(r"\{[{%]")
_RAW_START = re.compile(r"\{%-?\s*+raw\s*+-?%\}")
_RAW_END = re.compile(r"\{%-?\s*+endraw\s*+-?%\}")
_TAG_HEAD = re.compile(r"\{%-?\s*+[#\w]")
# The variable a capture tag names, as Ruby's Liquid finds it in the markup (its first run of
# these characters), and the names python-liquid can read back.
_CAPTURE_NAME = re.compile(r"[\w\-.\[\]]++")
_READABLE_NAME = re.compile(r"[A-Za-z_][\w-]*+")


@dataclass(frozen=True)
class Tag:
    start: int
    end: int
    name: str
    markup: str  # what follows the name, stripped
    line: int


def spans(text: str, opening: str, closing: str, position: int = 0) -> Iterator[tuple[int, int]]:
    """Where each opening and the first closing after it are (start, end), in one forward pass
    from position; none from the first opening that nothing closes on."""
    while (start := text.find(opening, position)) >= 0 and (end := text.find(closing, start + 2)) >= 0:
        yield start, end + 2
        position = end + 2


def tag_spans(text: str) -> Iterator[tuple[int, int]]:
    """Where each `{% %}` is, as Liquid's tokenizer finds them: from the left, an output that
    opens first is read to its `}}`, a `{%` inside it (in a string: `{{ "{% include" }}`)
    opening no tag; a `{{` that nothing closes is text. None from the first `{%` that nothing
    closes on. One forward pass."""
    last_output_end = text.rfind("}}")
    position = 0
    while (opening := _OPENING.search(text, position)) is not None:
        start = opening.start()
        if opening.group(0) == "{{":
            if last_output_end < start + 2:  # no output closes from here on: only tags are left
                yield from spans(text, "{%", "%}", start + 1)
                return
            position = text.find("}}", start + 2) + 2
            continue
        end = text.find("%}", start + 2)
        if end < 0:
            return
        yield start, end + 2
        position = end + 2


def tags(text: str, opening: str = "{%", closing: str = "%}") -> Iterator[Tag]:
    """Every `{% name markup %}` (or output, given its marks) in text, in order, in one forward pass."""
    line, counted = 1, 0
    for start, end in tag_spans(text) if opening == "{%" else spans(text, opening, closing):
        line += text.count("\n", counted, start)
        counted = start
        inner = text[start + 2:end - 2].removesuffix("-")
        match = _TAG_NAME.match(inner)
        if match:
            yield Tag(start, end, match.group(1), inner[match.end():].strip(), line)
        elif opening == "{{":  # an output starting otherwise (`{{1 + 1}}`, `{{<%`) is one too
            yield Tag(start, end, "", inner.strip(), line)


def loose_capture(written: str, markup: str) -> str:
    """A capture tag (written, its markup) as Ruby's Liquid reads it: into the first name-like
    run of its markup (`{% capture /dev/null %}`, a site's way to discard, captures into
    `dev`; python-liquid refuses the template); one no output can name (`..`) into a name of
    its own."""
    found = _CAPTURE_NAME.search(markup)
    if not found or found.group(0) == markup:
        return written
    name = found.group(0) if _READABLE_NAME.fullmatch(found.group(0)) else "feedsvc_captured"
    return written.replace(markup, name, 1)


def lexable(text: str) -> str:
    """The template with what nothing closes made text that python-liquid's lexer reads at
    once: the `{` of a `{{` or `{%` with no `}}` or `%}` after it wrapped in a raw tag, and a
    raw tag with no endraw after it given one at the end (the rest is raw, as _jekyll_tags
    reads it). The lexer (its patterns, not ours) looks for the end of each such one to the
    end of the post, and for a `{%` before a long word once per character of the word: 4,000
    of them took over 30 s, to refuse the post (Jekyll refuses it too)."""
    pieces: list[str] = []
    position = search = 0
    last = {closing: text.rfind(closing) for closing in ("%}", "}}")}
    while (start := _OPENING.search(text, search)) is not None:
        raw = _RAW_START.match(text, start.start())
        if raw:
            end = _RAW_END.search(text, raw.end())
            if end is None:
                return "".join(pieces) + text[position:] + "{% endraw %}"
            search = end.end()
            continue
        tag = start.group(0) == "{%"
        if tag and not _TAG_HEAD.match(text, start.start()):
            search = start.start() + 1  # no name: text, up to the next opening (even one inside)
            continue
        closing = "%}" if tag else "}}"
        if last[closing] >= start.end():  # else none after this one: no search to the end each time
            search = text.find(closing, start.end()) + 2
            continue
        # its first `{` made text: the lexer goes on from the next character, as it did
        pieces += [text[position:start.start()], "{% raw %}{{% endraw %}"]
        position = search = start.start() + 1
    return "".join(pieces) + text[position:]


def outside_raw(text: str, change: Callable[[str], str]) -> str:
    """The text with each part outside its raw blocks changed (a raw block with no endraw
    tag after it is raw to the end, as python-liquid reads it)."""
    pieces: list[str] = []
    position = 0
    while (raw := _RAW_START.search(text, position)) is not None:
        end = _RAW_END.search(text, raw.end())
        pieces += [change(text[position:raw.start()]), text[raw.start():end.end() if end else len(text)]]
        position = end.end() if end else len(text)
    return "".join(pieces) + change(text[position:])


def markup_characters(text: str) -> int:
    """The characters of every `{% %}` and `{{ }}` (each closed by the first end after it)."""
    return sum(end - start for opening, closing in (("{%", "%}"), ("{{", "}}"))
               for start, end in spans(text, opening, closing))


def strip_template_syntax(text: str) -> str:
    """Text without `{% %}` tags and `{{ }}` outputs (the last resort for a broken template)."""
    for opening, closing in (("{%", "%}"), ("{{", "}}")):
        pieces, position = [], 0
        for tag in tags(text, opening, closing):
            pieces.append(text[position:tag.start])
            position = tag.end
        pieces.append(text[position:])
        text = "".join(pieces)
    return text
