"""Reference links whose text holds backslash escapes, as kramdown matches them to definitions.

For `[text][]` and `[text]` kramdown looks the definition up by the link's text with its escapes
read (`[tern\\_for\\_vim][]` finds `[tern_for_vim]: ...`), and a definition by its label as
written; cmark compares both as written. Such a reference is given the definition's label
(`[tern\\_for\\_vim][tern_for_vim]`), and one that only matches as written (a definition
`[a\\_b]: ...` for `[a\\_b][]`) is text to kramdown: its bracket is escaped. Also the other
ways kramdown reads references and definitions: `[text] [id]`, and a definition's address
holding spaces.
"""

from __future__ import annotations

import re
from urllib.parse import quote

# A link definition's start (not a footnote's), and a space and quote that may start its title.
_DEFINITION = re.compile(r"^ {0,3}\[(?!\^)[^\]\n]{1,999}\]:[ \t]*+(?=\S)", re.MULTILINE)
_TITLE_START = re.compile(r"[ \t]++[\"']")
# A list item whose first line is a link definition to kramdown (`- [Gulp]: a task runner`):
# the marker and label, then the address, the rest of the line.
_ITEM_DEFINITION = re.compile(r"^( {0,3}(?:[-*+]|\d{1,9}\.)[ \t]{1,4}+\[(?!\^)[^\]\n]{1,999}\]:[ \t]*+)(\S[^\n]*)$",
                              re.MULTILINE)
# A definition's label, and `] [id]`: an id a space apart from a link's text, or at the start
# of the next line (kramdown takes any white space there).
_LABEL = re.compile(r"^ {0,3}\[(?!\^)([^\]\n]{1,999})\]:", re.MULTILINE)
_SPACED_REFERENCE = re.compile(r"\](?:[ \t]++|[ \t]*+\n[ \t]*+)\[([^\[\]\n]{1,999})\]")
# A link's text, then `[]` or nothing; not a definition (`:`), an inline link or a full
# reference (`(` or `[` after it), nor the label of one (`]` before it) or an escaped bracket.
# (The test of the character before `[` follows it: a pattern opening with `\[` is looked for
# by that character, several times faster over a long text.)
_REFERENCE = re.compile(r"\[(?<![\]\\]\[)([^\[\]\n]{1,999})\](?:\[\])?(?![\[(:])")
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


def definition_labels(text: str) -> frozenset[str]:
    """The labels of a text's link definitions, as kramdown compares them (case and runs of
    white space aside)."""
    return frozenset(_key(found.group(1)) for found in _LABEL.finditer(text))


def spaced_references(text: str, labels: frozenset[str]) -> str:
    """`[text] [id]` is a reference link to kramdown, as Markdown.pl's syntax showed it, when
    id is defined, and so is `[text]` at a line's end with `[id]` starting the next; to cmark
    each is two: the white space between taken out. Not after a reference's own id (`[a][a]
    [b]` is two links to kramdown too), nor before a definition on the next line."""
    return _SPACED_REFERENCE.sub(lambda found: "][" + found.group(1) + "]" if _key(found.group(1)) in labels
                                 and not _closes_an_id(found) and not _defines(found) else found.group(0), text)


def _defines(found: re.Match[str]) -> bool:
    """Whether the `[id]` found starts a line and a definition (`[id]: address`)."""
    return "\n" in found.group(0) and found.string.startswith(":", found.end())


def _closes_an_id(found: re.Match[str]) -> bool:
    """Whether the `]` found starts with closes a bracket right after another `]` (`[a][a]`)."""
    opening = found.string.rfind("[", max(0, found.start() - 1000), found.start())
    return opening > 0 and found.string[opening - 1] == "]"


def reference_destinations(text: str) -> str:
    """A link definition's address is the rest of its line to kramdown (but a quoted title
    at its end): one holding white space or an unpaired parenthesis, which cmark refuses
    (and then reads the definitions after it as text), is bracketed `<...>`. Only where a
    definition may be: after a blank line or another definition, as in cmark."""
    pieces, position, last_definition = [], 0, -1
    for definition in _DEFINITION.finditer(text):
        start = definition.start()
        line_end = text.find("\n", definition.end())
        line_end = len(text) if line_end < 0 else line_end
        previous = text.rfind("\n", 0, start - 1) + 1 if start else 0  # the line before's start
        if start and text[previous:start - 1].strip() and previous != last_definition:
            continue  # in a paragraph
        last_definition = start
        rest = text[definition.end():line_end]
        if any(mark in rest for mark in " \t()"):
            pieces += [text[position:definition.end()], _bracketed(rest)]
            position = line_end
    return "".join(pieces) + text[position:]


def has_item_definitions(text: str) -> bool:
    return "]:" in text and _ITEM_DEFINITION.search(text) is not None


def item_definitions(text: str) -> str:
    """A list item whose line opens with `[label]:` is a link definition to kramdown, whatever
    its line holds after (code spans, stars and spaces are its address), and the item is left
    empty; cmark wants an address without them, so the address is written percent-encoded,
    one word no other rewrite reads. text: a stretch between fenced code, code spans in it."""
    return _ITEM_DEFINITION.sub(lambda found: found.group(1) + quote(found.group(2).rstrip(), safe="/:.-"), text)


def _bracketed(rest: str) -> str:
    written = rest.rstrip(" \t")
    end = len(written)
    quote = written[-1:]
    if quote in ("'", '"'):  # the title starts at the first quote of its kind after a space
        end = next((found.start() for found in _TITLE_START.finditer(written, 1)
                    if written[found.end() - 1] == quote and found.end() < len(written) - 1), end)
    address = written[:end]
    refused = any(mark in address for mark in " \t") or address.count("(") != address.count(")")
    if not refused or not address.strip() or "<" in address or ">" in address:
        return rest
    return f"<{address}>{rest[end:]}"
