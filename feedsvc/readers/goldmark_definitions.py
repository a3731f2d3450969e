"""Goldmark's definitions that hold more than a paragraph. A `:   ` line at the margin after
a paragraph (or after another such definition) defines that paragraph's lines, and the lines
indented to its text after it are the definition's too, in blocks of their own: a fenced
listing, a list, a second paragraph after a blank line. cmark reads those lines as more of
the paragraph or as indented code, and their Markdown shows (```` ```r ````, `[text](url)`).
Such a definition is given to cmark as a list item, the colon made a '-' of the same width
(so its blocks are read as the item's), marked; its list is then made the <dl> Goldmark
writes, the paragraph before it the terms. Definitions of one paragraph are left to
goldmark.definition_lists, as are those whose first line starts a block of its own, and
definitions in list items or quotes. In a list item, a `: ` line indented to the item's text
defines the item's paragraph (cmark's tight item has no paragraph definition_lists would
see: a blank line is put before it, which makes the item's paragraphs ones), and a `: ` line
at the margin that only goes on with the item's paragraph (a lazy line) defines nothing.
"""

from __future__ import annotations

import re

from .markdown_code import FENCE, NOT_MARKUP, closes, outside_code

MARK = "\ue003"  # the start of a definition's text given to cmark as a list item's
_DEFINITION = re.compile(r":( {1,4})(?=\S)")
_ANY_DEFINITION = re.compile(r"^: {1,4}\S", re.MULTILINE)
# What starts a block at a line's start (a paragraph's line has none of these first)
_BLOCK_START = re.compile(r" {0,3}(?:[-*+>#|<:`~]|\d{1,9}[.)])")
_NOT_OPENING = ("|", ":", "<")  # first characters of a definition's text taken for no block of its own
_LIST_TAG = re.compile(r"<(/?)(ul|ol|li)\b[^>]*+>")
_ITEM = re.compile(r"( {0,3})([-*+]|\d{1,9}[.)])( {1,4})(?=\S)")
_TAB_COLON = re.compile(r"(?<=\n):\t")  # a definition's colon and a tab (a term's line is before)


def tab_colons_spaced(markdown: str) -> str:
    """A definition's colon followed by a tab (`:<tab>text`), which Goldmark reads as it reads
    `: `, written `: ` (outside code) for the passes here and goldmark.definition_lists."""
    if "\n:\t" not in markdown:
        return markdown
    return outside_code(markdown, lambda prose: _TAB_COLON.sub(": ", prose))


def blocks_marked(markdown: str) -> str:
    """The page's definitions holding more than a paragraph, as marked list items."""
    if "\n: " not in markdown or not _ANY_DEFINITION.search(markdown):
        return markdown  # the first search is str's: no line of most pages starts ": "
    lines, fence = markdown.split("\n"), ""
    previous = ""  # the last line outside a fence that was not blank ("" at a block's end)
    defining = False  # the lines before are a definition made a list item
    for number, line in enumerate(lines):
        if fence:
            fence = "" if closes(fence, line) else fence
            continue
        opened = FENCE.match(line)
        if opened and not line.startswith(" "):
            fence, previous, defining = opened.group(1), "", False
            continue
        found = _DEFINITION.match(line)
        after_paragraph = bool(previous) and not _BLOCK_START.match(previous) and not previous.startswith(" ")
        if found and (after_paragraph or defining) and _holds_blocks(lines, number, 1 + len(found.group(1))):
            text = line[found.end():]
            # text opening a block (`:   -   item`) goes on the line below, so that the mark
            # does not end it: the mark alone is the item's first line
            lines[number] = "-" + found.group(1) + MARK + (
                "\n" + " " * (1 + len(found.group(1))) + text if _BLOCK_START.match(text) else text)
            defining = True
        elif line.strip() and not line.startswith(" ") and not found:
            defining = False
        previous = line if line.strip() else previous
    return "\n".join(lines)


def _holds_blocks(lines: list[str], start: int, indent: int) -> bool:
    """Whether the definition opened at lines[start] goes on in a block of its own: a line
    indented to its text that opens a fence, or that follows a blank line."""
    text = lines[start][indent:]
    if text[:1] in _NOT_OPENING:
        return False  # a table's, a definition's or HTML's line: left to definition_lists
    blank = False
    for number in range(start + 1, len(lines)):  # no copy of the lines (one per definition)
        line = lines[number]
        if not line.strip():
            blank = True
            continue
        indented = len(line) - len(line.lstrip(" ")) >= indent
        if indented and (blank or FENCE.match(line[indent:])):
            return True
        if blank or not indented and _BLOCK_START.match(line):
            return False
    return False


def as_definitions(rendered: str) -> str:
    """cmark's HTML with each marked list made a definition list, the paragraph before it
    its terms."""
    if MARK not in rendered:
        return rendered
    kept, position = [], 0
    while (mark := rendered.find(MARK, position)) >= 0:
        opening = rendered.rfind("<ul>", position, mark)
        if opening < 0:
            break
        closing = _list_end(rendered, opening)
        if closing < 0:
            break
        before = rendered[position:opening]
        terms_end = before.rstrip().endswith("</p>") and before.rstrip()
        if terms_end:
            start = terms_end.rfind("<p>")
            terms = terms_end[start + 3:-4].split("\n")
            before = terms_end[:start] + "".join(f"<dt>{term}</dt>\n" for term in terms)
        kept += [before, "<dl>", _items_as_definitions(rendered[opening + 4:closing]), "</dl>"]
        position = closing + 5
    return ("".join(kept) + rendered[position:]).replace(MARK, "")


def _list_end(rendered: str, opening: int) -> int:
    """Where the list opened at opening ends (its </ul>), nested lists counted; -1 if never."""
    depth = 0
    for tag in _LIST_TAG.finditer(rendered, opening):
        if tag.group(2) == "li":
            continue
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            return tag.start() if tag.group(2) == "ul" else -1
    return -1


def _items_as_definitions(items: str) -> str:
    """A list's own items (not those of lists in them) as <dd>s."""
    kept, position, depth = [], 0, 0
    for tag in _LIST_TAG.finditer(items):
        if tag.group(2) != "li":
            depth += -1 if tag.group(1) else 1
        elif depth == 0:
            kept += [items[position:tag.start()], "</dd>" if tag.group(1) else "<dd>"]
            position = tag.end()
    return "".join(kept) + items[position:]


def item_definitions_marked(markdown: str) -> str:
    """The `: ` lines of list items' paragraphs as Goldmark reads them: one indented to the
    item's text a definition (a blank line put before it), one at the margin (a lazy line of
    the paragraph) text."""
    if "\n: " not in markdown and " : " not in markdown:
        return markdown  # str's searches: no `: ` line at the margin, none indented
    kept: list[str] = []
    fence, indent = "", 0  # indent: the text's of the item whose paragraph the line goes on
    for line in markdown.split("\n"):
        if fence:
            fence = "" if closes(fence, line) else fence
        elif opened := FENCE.match(line):
            fence, indent = opened.group(1), 0
        elif item := _ITEM.match(line):
            indent = item.end()
        elif not line.strip():
            indent = 0
        elif indent and line.startswith(": "):
            line = NOT_MARKUP + line
        elif indent and line.startswith(" " * indent + ": ") and kept and kept[-1].strip():
            kept.append("")
        elif _BLOCK_START.match(line) and not line.startswith(" " * indent):
            indent = 0
        kept.append(line)
    return "\n".join(kept)
