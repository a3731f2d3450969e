"""Goldmark's block attributes, as Hugo reads them with markup.goldmark.parser.attribute.block.

A line `{.box #id key=value}` where a block may start gives the block before it attributes
(Goldmark's ParseAttributes decides what is one) and shows nothing of itself, not even what
follows its `}` on the line; it ends a paragraph it follows. cmark-gfm knows no attributes:
such lines become blank lines in the source before cmark reads it. Text only: attributes
are for styles, which the sanitizer removes from feeds anyway. One pass over the lines, each
character of a `{` line looked at once; nothing backtracks. Attributes ending a heading
(`## Title {#id .class}`) are taken out of its rendered text; a heading written as HTML keeps
its braces.
"""

from __future__ import annotations

import re

from .markdown_code import FENCE, NOT_MARKUP, closes

# Goldmark's attribute syntax (parser/attribute.go), ASCII only as there: Go's IsSpace; an id
# or class (no ASCII punctuation but `-.:_`); a name or bare value; the rest of a quoted string
# (`\"` and the JSON escapes kept in it); a number as Go reads it. Possessive, each tried once.
_SPACE_RUN = re.compile(r"[ \t\n\v\f\r]*+")
_ID_CHARACTER = r"[^ \t\n\v\f\r!-,/;-@\[-^`{-~]"
_NAME_PATTERN = r"[A-Za-z_:][A-Za-z0-9_:.-]*+"
_NUMBER_PATTERN = r"[+-]?[0-9]++(?:\.[0-9]*+)?(?:[eE][+-]?([0-9]*+))?"
_ID = re.compile(_ID_CHARACTER + "*+")
_NAME = re.compile(_NAME_PATTERN)
_STRING_REST = re.compile(r'(?:[^"\\]++|\\["/\\bfnrt]|\\)*+"')
_NUMBER = re.compile(_NUMBER_PATTERN)
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
# Attributes at the end of a heading as Goldmark parses them, or the braces are text: `#id`
# and `.class` of characters but spaces and ASCII punctuation other than `_-:.`, `name=value`
# (a string, its quotes as cmark's HTML writes them, a number or a word), spaces or a comma
# between; `{}` is none. The spaces before are removed in Python (a regex starting with them
# would try each space of a long run); nothing reads past a brace, `<` or line end.
_HEADING_QUOTE = r"(?:&quot;|[“”])"
_HEADING_VALUE = (rf"(?:{_HEADING_QUOTE}(?:[^&\\\n{{}}<“”]|\\[^\n{{}}<]|&(?!quot;))*+{_HEADING_QUOTE}"
                  rf"|{_NUMBER_PATTERN}|{_NAME_PATTERN})")
_HEADING_ATTRIBUTE = rf"(?:[#.]{_ID_CHARACTER}*+|{_NAME_PATTERN}[ \t]*+=[ \t]*+{_HEADING_VALUE})"
_HEADING_ATTRIBUTES = re.compile(rf"\{{(?:[ \t]*+{_HEADING_ATTRIBUTE}[ \t]*+(?:,[ \t]*+)?)*+\}}(?=</h[1-6]>)")
# HTML blocks of kinds 1 to 5 end at a line holding their end (which may be their first);
# the others at a blank line.
_RAW_START = re.compile(r"<(pre|script|style|textarea)(?:[\s>]|$)", re.IGNORECASE)
_ENDS = (("<!--", "-->"), ("<?", "?>"), ("<![CDATA[", "]]>"), ("<!", ">"))
# Blockquote markers and list item markers before a block's start (possessive: each once).
_CONTAINERS = re.compile(r"(?:[ ]{0,3}+(?:>[ ]?+|[-*+][ ]++|[0-9]{1,9}+[.)][ ]++))*+")


def without_block_attributes(markdown: str) -> str:
    """Lines that Goldmark reads as block attributes (`{.box}` under a paragraph) as blank
    lines: Goldmark gives them to the block before and shows nothing of them, not even what
    follows the `}`. Such a line starts where a block may (three spaces of indentation at
    most, after blockquote and list item markers, outside fenced code and outside an HTML
    block, which holds it as raw HTML; a comment, `<?`, `<!` or `<pre>`-like block ends at
    the line holding its end, any other at a blank line) and ends a paragraph it follows, as
    a blank line does. Attributes written over several lines, or with `{...}` or `[...]`
    values, are left as text."""
    if "{" not in markdown:
        return markdown
    lines, fence, html_end, block_start = markdown.split("\n"), "", "", True
    for number, line in enumerate(lines):
        stripped, starts = line.lstrip(" "), block_start
        block_start = False
        if fence:
            fence, block_start = ("", True) if closes(fence, line) else (fence, False)
        elif not stripped.strip():
            html_end, block_start = "", True
        elif html_end:
            html_end = "" if html_end != "\n" and html_end in line.lower() else html_end
        elif len(line) - len(stripped) >= 4:
            continue
        elif (inner := _brace_at(line, stripped)) >= 0 and _attributes_end(line[inner:]) > 0:
            lines[number], block_start = line[:inner].rstrip(), True
        elif (opened := FENCE.match(line)) and not (opened.group(1)[0] == "`" and "`" in line[opened.end():]):
            fence = opened.group(1)  # (a backtick in the info string: a code span, not a fence)
        elif stripped[0] == "<":
            html_end = _html_end(stripped, starts)
    return "\n".join(lines)


def _brace_at(line: str, stripped: str) -> int:
    """Where a `{` starts the block of a line (after its blockquote and list markers), or -1."""
    if stripped[0] == "{":
        return len(line) - len(stripped)
    if stripped[0] not in ">-*+0123456789":
        return -1
    inner = _CONTAINERS.match(line).end()  # type: ignore[union-attr] # matches always
    inner += len(line) - inner - len(line[inner:].lstrip(" "))
    return inner if line.startswith("{", inner) else -1


def _html_end(stripped: str, starts: bool) -> str:
    """What ends the HTML block a line starts: "" when it starts none or ends on that line,
    its end marker, or a new line (a blank line ends it)."""
    if raw := _RAW_START.match(stripped):
        end = f"</{raw.group(1).lower()}>"
    elif not (_HTML_BLOCK.match(stripped) or starts and _LONE_TAG.fullmatch(stripped)):
        return ""
    else:
        end = next((end for start, end in _ENDS if stripped.startswith(start)), "\n")
    return "" if end != "\n" and end in stripped.lower()[1:] else end


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


def raw_heading_braces_marked(markdown: str) -> str:
    """Braces ending a heading the source writes as HTML (`<h2>Sizes {.x}</h2>`, a shortcode's
    markdownify output too) marked as no attributes: Goldmark leaves raw HTML as it is."""
    return markdown.replace("}</h", "}" + NOT_MARKUP + "</h") if "}</h" in markdown else markdown


def without_heading_attributes(rendered: str) -> str:
    """Goldmark reads `## Title {#id .class}` as a heading with attributes: the braces are
    not part of its text."""
    pieces: list[str] = []
    position = 0
    for match in _HEADING_ATTRIBUTES.finditer(rendered):
        pieces += [rendered[position:match.start()].rstrip(" \t")]
        position = match.end()
    pieces.append(rendered[position:])
    return "".join(pieces)
