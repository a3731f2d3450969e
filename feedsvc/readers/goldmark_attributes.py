"""Goldmark's block attributes, as Hugo reads them with markup.goldmark.parser.attribute.block.

A line `{.box #id key=value}` where a block may start gives the block before it attributes
(Goldmark's ParseAttributes decides what is one) and shows nothing of itself, not even what
follows its `}` on the line; it ends a paragraph it follows. cmark-gfm knows no attributes:
such lines become blank lines in the source before cmark reads it. Text only: attributes
are for styles, which the sanitizer removes from feeds anyway. One pass over the lines, each
character of a `{` line looked at once; nothing backtracks.
"""

from __future__ import annotations

import re

from .markdown_code import FENCE, closes

# Goldmark's attribute syntax (parser/attribute.go), ASCII only as there: Go's IsSpace; an id
# or class (no ASCII punctuation but `-.:_`); a name or bare value; the rest of a quoted string
# (`\"` and the JSON escapes kept in it); a number as Go reads it. Possessive, each tried once.
_SPACE_RUN = re.compile(r"[ \t\n\v\f\r]*+")
_ID = re.compile(r"[^ \t\n\v\f\r!-,/;-@\[-^`{-~]*+")
_NAME = re.compile(r"[A-Za-z_:][A-Za-z0-9_:.-]*+")
_STRING_REST = re.compile(r'(?:[^"\\]++|\\["/\\bfnrt]|\\)*+"')
_NUMBER = re.compile(r"[+-]?[0-9]++(?:\.[0-9]*+)?(?:[eE][+-]?([0-9]*+))?")
# What starts an HTML block in CommonMark, which Goldmark follows: kinds 1 to 6 (a comment,
# a declaration, one of these tags; they may interrupt a paragraph) and 7 (any tag alone on
# its line, not after paragraph text). Possessive: a long line is scanned once.
_HTML_BLOCK = re.compile(r"<(?:!|\?|/?(?:address|article|aside|base|basefont|blockquote|body|caption|center"
                         r"|col|colgroup|dd|details|dialog|dir|div|dl|dt|fieldset|figcaption|figure|footer"
                         r"|form|frame|frameset|h[1-6]|head|header|hr|html|iframe|legend|li|link|main|menu"
                         r"|menuitem|nav|noframes|ol|optgroup|option|p|param|pre|script|search|section|style"
                         r"|summary|table|tbody|td|textarea|tfoot|th|thead|title|tr|track|ul)(?:[\s/>]|$))",
                         re.IGNORECASE)
_LONE_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*+(?:\s[^<>]*+)?>\s*+")


def without_block_attributes(markdown: str) -> str:
    """Lines that Goldmark reads as block attributes (`{.box}` under a paragraph) as blank
    lines: Goldmark gives them to the block before and shows nothing of them, not even what
    follows the `}`. Such a line starts where a block may (three spaces of indentation at
    most, outside fenced code and outside an HTML block, which holds it as raw HTML; each
    HTML block is taken to end at a blank line) and ends a paragraph it follows, as a blank line does. Attributes written
    over several lines, or with `{...}` or `[...]` values, are left as text."""
    if "{" not in markdown:
        return markdown
    lines, fence, in_html, block_start = markdown.split("\n"), "", False, True
    for number, line in enumerate(lines):
        stripped, starts = line.lstrip(" "), block_start
        block_start = False
        if fence:
            fence, block_start = ("", True) if closes(fence, line) else (fence, False)
        elif not stripped.strip():
            in_html, block_start = False, True
        elif len(line) - len(stripped) >= 4 or in_html:
            continue
        elif stripped[0] == "{" and _attributes_end(stripped) > 0:
            lines[number], block_start = "", True
        elif (opened := FENCE.match(line)) and not (opened.group(1)[0] == "`" and "`" in line[opened.end():]):
            fence = opened.group(1)  # (a backtick in the info string: a code span, not a fence)
        else:
            in_html = bool(_HTML_BLOCK.match(stripped) or starts and _LONE_TAG.fullmatch(stripped))
    return "\n".join(lines)


def _skip_spaces(text: str, position: int) -> int:
    return _SPACE_RUN.match(text, position).end()  # type: ignore[union-attr] # matches always


def _attributes_end(text: str) -> int:
    """Where Goldmark's attributes `{...}` at the start of text end (after the `}`), or -1
    when it does not read them as attributes."""
    position = 1
    while True:
        if text.startswith("}", position):
            return position + 1
        position = _skip_spaces(text, position)
        if text[position:position + 1] in ("#", "."):
            position = _ID.match(text, position + 1).end()  # type: ignore[union-attr] # matches always
        else:
            position = _key_value_end(text, position)
            if position < 0:
                return -1
        position = _skip_spaces(text, position)
        if text.startswith(",", position):
            position = _skip_spaces(text, position + 1)


def _key_value_end(text: str, position: int) -> int:
    """The end of `name=value` at position (a class's value must be text), or -1."""
    name = _NAME.match(text, position)
    if not name:
        return -1
    position = _skip_spaces(text, name.end())
    if not text.startswith("=", position):
        return -1
    position = _skip_spaces(text, position + 1)
    if text.startswith('"', position):
        value = _STRING_REST.match(text, position + 1)
    elif (value := _NUMBER.match(text, position)) and (value.group(1) == "" or name.group(0) == "class"):
        return -1  # an exponent without digits, which Go does not parse; a class that is a number
    elif not value:
        value = _NAME.match(text, position)
        if value and name.group(0) == "class" and value.group(0) in ("true", "false", "null"):
            return -1
    return value.end() if value else -1
