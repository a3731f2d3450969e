"""Reference links as Python-Markdown (Pelican's) matches them to their definitions, for cmark.

Python-Markdown looks a link's label up lowercased, each run of white space made one space
(not stripped), after escapes and code spans, which leave their placeholders in it. It keeps
a definition's label as written, lowercased and stripped. So a link finds no definition
when its label holds a backslash escape (`[net\\_tools][]`) or a code span
(`` [`recv()`][] ``), starts or ends with white space (`[part 2\\n   ][]`), or when the
definition's label goes on on another line or holds two spaces in a row; it is text then, brackets and all. cmark
compares labels with their white space collapsed and case folded, and links them: such a
link's `[` is written as a character reference for it (and its label's, `[text]&#91;label]`),
so that neither bracket starts a link, and a block of HTML shows the `[` as it is. A space between a link's text and its label (`[text] [label]`) is taken out
when Python-Markdown finds the label's definition: cmark reads no such link. Only a Markdown
text holding a definition (`]:`) is looked at.
"""

from __future__ import annotations

import re

from .markdown_code import cmark_label, is_escaped, split_code_spans
from .pelican_escapes import ESCAPABLE

# A definition as Python-Markdown's ReferenceProcessor finds one, at a line's start: its label
# may go on on other lines (no bracket in it). Each match starts at a line's `[` and stops at
# the next bracket: linear.
_DEFINITION = re.compile(r"^[ ]{0,3}\[([^\[\]]*)\]:", re.MULTILINE)
# One whose address starts with a space that is not ASCII (`[5]:\u3000http://…`, typed with an
# ideographic space): none to Python-Markdown, whose address is a run of no white space after
# ASCII spaces; cmark takes that space for the address's first character.
_SPACED_DEFINITION = re.compile(r"^[ ]{0,3}\[[^\[\]\n]*\]:[ ]*[^\S\x00-\x7f]", re.MULTILINE)
_SPACED_ADDRESS = re.compile(r"\]:[ ]*[^\S\x00-\x7f]")  # looked for first: the search finds `]:` fast
# A link by reference: `[text][label]` (a space between them or not), `[label][]` or `[label]`
# (not nested, not a footnote's `[^1]`, neither an inline link's `[text](` nor a definition's
# `[label]:`); text and label may go on on other lines.
_USE = re.compile(r"\[(?!\^)([^\[\]]*)\](?:( ?)\[([^\[\]]*)\]|(?![(:\[]))")
_ESCAPE = re.compile("\\\\[" + re.escape("".join(sorted(ESCAPABLE))) + "]")
_SPACES = re.compile(r"\s+")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
# A definition on one line (not a footnote's `[^1]:`), its title (if any) in the group: quotes
# or parentheses around it up to the line's last one, as Python-Markdown's greedy pattern reads it.
_ONE_LINE = re.compile(r" {0,3}\[[^\[\]^][^\[\]]*\]:[ ]*\S+(.*)")
_ADDRESS = re.compile(r" {0,3}\[[^\[\]^][^\[\]]*\]:[ ]*(\S+)")  # a definition's address, in the group
_TITLE_ENDS = {'"': '"', "'": "'", "(": ")"}
# A definition of the empty label (`[]: url`, as exports from Blogger write a tracking image's):
# one to Python-Markdown, whose labels may be empty, none to cmark. Its address, in the group.
_EMPTY_DEFINITION = re.compile(r"^[ ]{0,3}\[\]:[ ]*(\S+)[^\n]*", re.MULTILINE)
_EMPTY_USE = re.compile(r"(?<![\]\\])(!?)\[\]\[\]")  # `[][]`, `![][]`: a link (an image) to it
# Any other `[]` or `![]` (not escaped, no inline link's `(` or label's `[` after it): a link (an
# image) to it too, by Python-Markdown's short references; the `]` (and one white space) before
# it in the group, told apart when it ends a link by reference (_bracket_before_read).
_BARE_EMPTY = re.compile(r"(?<!\\)(\]\s?)?(!?)\[\](?![(\[])")
_MAX_LABEL_LOOKBACK = 2000  # how far back the `[` of a `[label]` before a `[]` is looked for


# A `[` that starts no link: a character reference, which cmark reads as text in a paragraph
# and leaves as written in a block of HTML (where a backslash would show: Python-Markdown
# reads no Markdown there, and the same text shows)
_TEXT_BRACKET = "&#91;"

Labels = tuple[frozenset[str], frozenset[str]]


def definitions(text: str) -> Labels | None:
    """The labels of text's definitions as Python-Markdown keeps them (a label on one line,
    stripped and lowercased) and as cmark does (every one, its white space collapsed, case
    folded); None when text has none."""
    if "]:" not in text:
        return None
    python_markdown: set[str] = set()
    cmark: set[str] = set()
    for found in _DEFINITION.finditer(text):
        label = found.group(1)
        if _BLANK_LINE.search(label):
            continue
        cmark.add(cmark_label(label))
        if "\n" not in label and not _SPACED_DEFINITION.match(text, found.start()):
            python_markdown.add(label.strip().lower())
    return (frozenset(python_markdown), frozenset(cmark)) if cmark else None


def unmatched_as_text(text: str, labels: Labels) -> str:
    """text (a stretch of Markdown outside fenced code) with each link by reference that
    Python-Markdown leaves unmatched but cmark would match made text for cmark; labels:
    the whole Markdown's definitions."""
    if "[" not in text:
        return text
    text = _spaced_definitions_as_text(text) if _SPACED_ADDRESS.search(text) else text
    python_markdown, cmark = labels
    pieces, start = [], 0  # each code span and what is between them: (end, is code)
    for piece, code in split_code_spans(text):
        start += len(piece)
        pieces.append((start, code))
    out, position, index = [], 0, 0
    for use in _USE.finditer(text):
        while pieces[index][0] <= use.start() and index + 1 < len(pieces):
            index += 1
        label = use.group(3) or use.group(1)
        if (pieces[index][1] or is_escaped(text, use.start()) or _BLANK_LINE.search(use.group(0))
                or cmark_label(label) not in cmark):
            continue
        if use.group(2):  # `[text] [label]`: a link to label for Python-Markdown, when it has one
            if _matches(label, python_markdown):  # (else it reads the brackets as cmark does)
                out.append(text[position:use.start(2)])
                position = use.end(2)
            continue
        if _matches(label, python_markdown):
            continue
        out += [text[position:use.start()], _TEXT_BRACKET]
        position = use.start() + 1
        if use.group(3) or (use.group(3) == "" and "" not in python_markdown):
            # `[text]\[label]`: neither brackets a link then; a `[]` a link to the empty label, when defined
            second = use.start(3) - 1
            out += [text[position:second], _TEXT_BRACKET]
            position = second + 1
    return "".join(out) + text[position:]


def _spaced_definitions_as_text(text: str) -> str:
    """text with each definition Python-Markdown does not take (_SPACED_DEFINITION) made text
    for cmark, its `[` escaped; a definition on the next line is set apart by a blank line,
    as Python-Markdown sets it apart (cmark's could not interrupt the paragraph)."""
    out, position = [], 0
    for found in _SPACED_DEFINITION.finditer(text):
        line_end = text.find("\n", found.end())
        line_end = len(text) if line_end < 0 else line_end
        bracket = text.index("[", found.start())
        out += [text[position:bracket], "\\", text[bracket:line_end]]
        if _DEFINITION.match(text, line_end + 1) and not _SPACED_DEFINITION.match(text, line_end + 1):
            out.append("\n")
        position = line_end
    return "".join(out) + text[position:]


def _matches(label: str, definitions: frozenset[str]) -> bool:
    """Whether Python-Markdown finds a definition for a link's label."""
    if _ESCAPE.search(label) or label.count("`") >= 2:
        return False
    return _SPACES.sub(" ", label.lower()) in definitions


def is_definition(line: str) -> bool:
    """Whether the line is a link's reference definition, as Python-Markdown reads one in
    a paragraph: `[label]: url`, then nothing or a title in quotes or parentheses."""
    found = _ONE_LINE.fullmatch(line)
    return found is not None and (not found.group(1).strip(" ") or _title(found.group(1)) is not None)


def _title(rest: str) -> str | None:
    title = rest.strip(" ")
    ends = len(title) > 1 and title[0] in _TITLE_ENDS and title[-1] == _TITLE_ENDS[title[0]]
    return title if ends else None


def titles_escaped(line: str) -> str:
    """A definition's line with the quotes or parentheses inside its title (and backslashes)
    escaped: Python-Markdown's title runs to the line's last one (`# (done (twice))`, `"a "b" c"`),
    cmark's ends at the first, which leaves the definition no title, a paragraph's text. An
    address whose parentheses do not pair (`http://a/b/)`) is written in `<>`: Python-Markdown
    takes any run of no white space, cmark's bare address needs them paired (and the
    definitions under one it refuses become text)."""
    if (address := _ADDRESS.match(line)) and address.group(1).count("(") != address.group(1).count(")"):
        if not address.group(1).startswith("<") and not any(char in address.group(1) for char in "<>\\"):
            line = line[:address.start(1)] + "<" + address.group(1) + ">" + line[address.end(1):]
    found = _ONE_LINE.fullmatch(line)
    title = _title(found.group(1)) if found else None
    if found is None or title is None:
        return line
    marks = {title[0], title[-1], "\\"}
    if not any(mark in title[1:-1] for mark in marks):
        return line
    escaped = "".join("\\" + char if char in marks else char for char in title[1:-1])
    start = found.start(1) + found.group(1).index(title[0])
    return line[:start] + title[0] + escaped + title[-1] + line[start + len(title):]


def empty_label_address(text: str) -> str | None:
    """The address the empty label is defined as in text (its last definition: Python-Markdown
    keeps the last), None when it is not."""
    if "[]:" not in text:
        return None
    found = None
    for found in _EMPTY_DEFINITION.finditer(text):
        pass
    return found.group(1).removeprefix("<").removesuffix(">") if found else None


def empty_label_read(stretch: str, address: str | None) -> str:
    """A stretch of Markdown outside code with the empty label's definitions taken out (a
    blank line each: a block ends there for Python-Markdown too) and its uses (`![][]`,
    `[][]`) written as inline links to address, as Python-Markdown matches them (the other
    `[]`, line by line: bare_empty_read)."""
    if address is None or "[]" not in stretch:
        return stretch
    stretch = _EMPTY_DEFINITION.sub("", stretch)
    link = _empty_link(address)
    return "".join(piece if code else _EMPTY_USE.sub(lambda use: use.group(1) + "[](" + link + ")", piece)
                   for piece, code in split_code_spans(stretch))


def _empty_link(address: str) -> str:
    """The empty label's address as an inline link's destination, for cmark (and re.sub)."""
    destination = "<" + address.replace("<", "%3C").replace(">", "%3E") + ">"
    return destination.replace("\\", "\\\\")


def bare_empty_read(line: str, address: str | None, labels: Labels | None, before: str = "") -> str:
    """A line of a paragraph's (an item's, a heading's) text, its code spans taken out, with
    each other `[]` and `![]` written as an inline link (an image) to the empty label's
    address: Python-Markdown's short references find its definition too. A `[label][]` (or
    `[label] []`) whose label Python-Markdown has a definition of is a link to that, whole;
    before: the line above, where that label may start. Lines as they are when the empty
    label has no definition."""
    if address is None or "[]" not in line:
        return line
    link, defined = _empty_link(address), labels[0] if labels else frozenset()
    text = before + "\n" + line

    def read(use: re.Match[str]) -> str:
        bracket = use.group(1) or ""
        if bracket and _bracket_before_read(text, len(before) + 1 + use.start(), defined):
            return use.group(0)
        # `[label][]` to no label: its `[label]` text (its `]` escaped, so that cmark pairs no
        # bracket across the link), then the link
        return ("\\" + bracket if bracket else "") + use.group(2) + "[](" + link + ")"
    return _BARE_EMPTY.sub(read, line)


def _bracket_before_read(text: str, end: int, defined: frozenset[str]) -> bool:
    """Whether the `[label]` whose `]` is at end is a link by reference with the `[]` after it:
    its label (not nested) has a definition Python-Markdown keeps."""
    start = text.rfind("[", max(0, end - _MAX_LABEL_LOOKBACK), end)
    if start < 0 or is_escaped(text, start):
        return False
    return _matches(text[start + 1:end], defined)
