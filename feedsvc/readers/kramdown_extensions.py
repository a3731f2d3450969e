"""kramdown's own markup, which is no text (readers.kramdown applies this to a text outside code):
attribute lists (`{: .notice}` on a line of its own, `{:.class}` right after a span element,
`{:name: .class}` definitions; one after text is text to kramdown), extensions (`{::options
... /}` and other one-tag ones removed, `{::comment}...{:/comment}` with what it encloses,
`{::nomarkdown}...{:/nomarkdown}` keeping its content), and the table of contents' marks
(readers.kramdown_toc). kramdown reads none of them in a block of HTML."""

from __future__ import annotations

import re
from collections.abc import Callable

from .kramdown_blocks import is_block
from .kramdown_toc import table_of_contents_marked
from .markdown_code import BLANK_LINE, CMARK_RAW_BLOCK, starts_html_block

# On a line of its own, in a block quote too (its markers kept: the quote goes on); right
# after a list item's marker (kramdown gives it to the item, the rest of the line its text).
_LINE_IAL = re.compile(r"^((?:[ ]{0,3}>[ ]?+)*+)[ ]{0,3}\{:(?![:/])[^{}\n]*\}[ \t]*(?:\n|$)", re.MULTILINE)
_ITEM_IAL = re.compile(r"^([ \t]*+(?:>[ \t]*+)*+(?:[*+-]|\d{1,9}\.)[ \t]++)\{:(?![:/])[^{}\n]*\}[ \t]*+",
                       re.MULTILINE)
_SPAN_IAL = re.compile(r"\{:(?![:/])[^{}]*\}")  # it may go on on the next lines of its paragraph
_SPAN_ENDS = frozenset("*_`)]>\"';")  # how a span element (emphasis, code, link, tag, quote, entity) ends
# Possessive: a long name with no "/}" after it is given up at once, not split every way.
_ONE_TAG = re.compile(r"\{::\w++[^{}\n]*+(?<=/)\}")
_MARKER = re.compile(r"\{::nomarkdown[^{}\n]*\}|\{:/nomarkdown\}|\{:/\}")
_COMMENT_OPEN = "{::comment}"
_COMMENT_CLOSE = re.compile(r"\{:/(?:comment)?\}")


def without_extensions(text: str) -> str:
    text = _without_comments(text)
    text = table_of_contents_marked(text) if "toc" in text else text
    text = outside_html(_without_attribute_lists, text) if _SPAN_IAL.search(text) else text
    return _MARKER.sub("", _ONE_TAG.sub("", text))


def _without_comments(text: str) -> str:
    pieces, position = [], 0
    while (start := text.find(_COMMENT_OPEN, position)) >= 0:
        end = _COMMENT_CLOSE.search(text, start)
        if end is None:
            break
        pieces.append(text[position:start])
        position = end.end()
    return "".join(pieces) + text[position:]


def outside_html(rewrite: Callable[[str], str], text: str) -> str:
    """rewrite applied to each run of blocks between blocks of HTML (html_blocks made each a
    block of its own) and what cmark keeps raw (`<pre>` to its end tag, blank lines included):
    kramdown reads no Markdown there. A run keeps the blank line after it."""
    if "<" not in text:
        return rewrite(text)
    out: list[str] = []
    run: list[str] = []
    raw_until = ""  # the end tag of a raw block open
    for index, block in enumerate(BLANK_LINE.split(text)):
        opening = None if index % 2 or raw_until else CMARK_RAW_BLOCK.search(block)
        if index % 2 or raw_until:  # a blank line, or a raw block's
            (out if raw_until else run).append(block)
            raw_until = "" if raw_until and raw_until in block.lower() else raw_until
        elif not opening and (after := _after_comment(block)):
            out += [rewrite("".join(run)), block[:-len(after)]]
            run[:] = [after]
        elif opening or starts_html_block(block, is_block):
            start = opening.start() if opening else 0
            out += [rewrite("".join(run) + block[:start]), block[start:]]
            run.clear()
            end = f"</{opening.group(1).lower()}" if opening else ""
            raw_until = end if end and end not in block[opening.end():].lower() else ""  # type: ignore[union-attr]
        else:
            run.append(block)
    return "".join(out) + rewrite("".join(run))


def _after_comment(block: str) -> str:
    """The lines after a comment that starts the block and ends a line before its last: kramdown
    and cmark end the comment's block there, and read them as Markdown ("" when there are none)."""
    if not block.lstrip(" ").startswith("<!--") or len(block) - len(block.lstrip(" ")) > 3:
        return ""
    end = block.find("-->")
    line_end = block.find("\n", end) if end >= 0 else -1
    after = block[line_end + 1:] if line_end >= 0 else ""
    return after if after.strip() and not starts_html_block(after, is_block) else ""


def _without_attribute_lists(text: str) -> str:
    """Attribute lists taken out: one on a line of its own (it ends a block), one right after a
    list item's marker, one after a span
    element (`*word*{:.x}`, `![a](b.png){: .left}`); one after text (`a hash {:a => 1}`,
    `word{: .note}`) is text to kramdown."""
    text = _LINE_IAL.sub(lambda line: line.group(1) + ("\n" if line.group(0).endswith("\n") else ""), text)
    text = _ITEM_IAL.sub(r"\1", text)
    return _SPAN_IAL.sub(_span_attribute_list, text)


def _span_attribute_list(ial: re.Match[str]) -> str:
    after_span = ial.start() and ial.string[ial.start() - 1] in _SPAN_ENDS
    return "" if after_span and not BLANK_LINE.search(ial.group(0)) else ial.group(0)
