"""What kramdown makes of tags in a paragraph: what a span element of raw content holds, and a
block element's tags (readers.kramdown applies the first to a text once its blocks of HTML are
made plain for cmark, the second before); `<<` before a name; where a text is raw (a `<pre>`)."""

from __future__ import annotations

import bisect
import re
from collections import deque
from collections.abc import Callable

from .kramdown_blocks import LIST_ITEM, RAW_OR_COMMENT, SPAN_ELEMENTS, after_headings, is_block, outside_raw_blocks
from .kramdown_html_ends import START_TAG
from .markdown_code import (BLANK_LINE, CMARK_BLOCK_NAMES, CMARK_RAW, CMARK_RAW_BLOCK, WITHOUT_BODY, is_escaped,
                            split_code_spans, starts_html_block)

# Names bounded: a 5 MB run of letters after "<" is not gone back over letter by letter.
TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]{0,63})(?=[\s/>])[^<>]*>")  # from each "<" to the next: linear
_END_TAG = re.compile(r"</([A-Za-z][A-Za-z0-9-]{0,63})\s*>")
# Elements whose content kramdown reads as Markdown in a paragraph, or which have none or are
# blocks (a block's tag in a paragraph is text to it); any other's content is raw.
_PARSED_OR_WITHOUT_CONTENT = frozenset("""a abbr acronym b bdo big button cite caption del dfn dt em h1 h2
    h3 h4 h5 h6 i ins label legend optgroup p q rb rbc rp rt rtc ruby select small span strong sub sup th
    tt address article aside applet body blockquote col colgroup dd details div dl fieldset figcaption figure
    footer form header hgroup hr html head iframe menu li main map nav noscript object ol pre section summary
    table tbody td thead tfoot
    tr ul area base br command embed img input keygen link meta param source track wbr""".split())
# What cmark would read as Markdown or typography in raw content (not `|`, which still ends a
# table's cell, nor what kramdown does not escape, whose backslash it shows).
_RAW_MARKDOWN = re.compile(r"""([\\`*_\[\]!~$"'.\-{:])""")
_RAW_ENDS = {name: re.compile(f"</{name}", re.IGNORECASE) for name in ("pre", "script", "style", "textarea")}
_ANGLE_QUOTE_BEFORE_NAME = re.compile(r"(?<![\\<])<<(?=[A-Za-z])")  # not `\<<`, nor the end of `<<<`
# kramdown's block elements: a tag of one in a paragraph's text is text to it.
BLOCK_ELEMENTS = frozenset("""address article aside applet body blockquote caption col colgroup dd div dl dt
    fieldset figcaption footer form h1 h2 h3 h4 h5 h6 header hgroup hr html head iframe legend menu li main
    map nav ol optgroup p pre section summary table tbody td th thead tfoot tr ul""".split())
_HELD = BLOCK_ELEMENTS - WITHOUT_BODY  # what a block of HTML goes on to the end tag of
_LINE_TAG = re.compile(r"[ ]{0,3}<(/?)([A-Za-z][A-Za-z0-9-]{0,63})(?=[\s/>]|$)")  # a tag starting a line
# A start or end tag, or a comment's start, in a block of HTML (names as kramdown reads them).
# A quoted value may hold "<" and ">" (`href="<$BlogItemPermalinkURL$>"`), up to 64 of any characters.
# Else a "<" before a name that nothing a tag may hold follows: no tag to kramdown
# (`Map<String, Long>`), text to it.
_HTML_TAG = re.compile(r"""<!--|<(/?)([A-Za-z][\w:.-]{0,63})(?=[\s/>])"""
                       r"""(?:[^<>"']++|"[^"<>]*+"|'[^'<>]*+'|"[^"]{0,64}+"|'[^']{0,64}+'|["'])*+>"""
                       r"""|<(?=[A-Za-z][\w:.-]{0,63}+(?![\s/>\w:.-]))""")
_PRE_START = re.compile(r" {0,3}<pre(?=[\s>]|$)", re.IGNORECASE)
# Elements whose content an HTML parser reads as text to their end tag (the rest of the post,
# when it has none): kramdown ends one at its paragraph's end (`in the <script> tag, ...`).
_RAW_TEXT = frozenset("script style textarea title xmp noembed noframes".split())
_RAW_END = {"script": re.compile(r"</script", re.IGNORECASE), "style": re.compile(r"</style", re.IGNORECASE)}
# The name of a whole tag whose name has a prefix or a dot (`<o:p>`, `</st1:place>`, `<your.domain>`):
# the lookahead stops at the next "<" or ">", so each stretch is read once.
_PREFIXED_TAG = re.compile(r"(?<!\\)<(/?)([A-Za-z][\w-]{0,63}+(?:[.:][\w-]{1,63}+){1,4}+)(?=[\s/>\\])(?=[^<>]*+>)")
# What may come before a tag that starts a line's content: indentation, quote and list markers.
_LINE_OPENING = re.compile(r"[ \t]*+(?:(?:>|[*+-]|\d{1,9}\.)[ \t]*+)*+")
_NEXT_ITEM = re.compile(r"\n[ \t]*+(?:[*+-]|\d{1,9}\.)[ \t]")  # a line that starts a list's item


def raw_span_contents(text: str) -> str:
    """What a span element of raw content holds (any but those kramdown reads Markdown in:
    `<notextile>`, `<kbd>`, `<u>`, an unknown `<T>` up to its paragraph's end, or its list
    item's: kramdown reads each item's text apart) is text to
    kramdown: its Markdown characters escaped for cmark, outside its tags. Not in a block of
    HTML, nor code, nor from a line that starts cmark's `<pre>`-like block (which may follow a
    paragraph's line) to its end tag, blank lines included."""
    return outside_raw_blocks(text, _raw_in_paragraph)


def _raw_in_paragraph(block: str) -> str:
    indented = block.lstrip("\n").startswith(("    ", "\t"))  # a blank line more before it: still code
    kept = "<" not in block or indented or starts_html_block(block, is_block)
    return block if kept else _raw_in_block(block)


def _raw_in_block(block: str) -> str:
    spans = _code_spans(block)
    code, ends = [start for start, _end in spans], [end for _start, end in spans]
    out, position, looked, line_start = [], 0, 0, 0
    in_list = bool(LIST_ITEM.match(block.lstrip("\n")))  # else a tag's line may start an item
    while tag := TAG.search(block, position):
        index = bisect.bisect_right(ends, tag.start())
        in_code = index < len(code) and code[index] <= tag.start()
        name = tag.group(2).lower()
        escaped = tag.start() and block[tag.start() - 1] == "\\" and is_escaped(block, tag.start())
        no_tag = escaped or block[tag.end(2)] == "/"  # <tools/hash.hpp> is text; <br/> holds nothing
        if in_code or no_tag or tag.group(1) or tag.group(0).endswith("/>") or name in _PARSED_OR_WITHOUT_CONTENT:
            out.append(block[position:tag.end()])
            position = tag.end()
            continue
        newline = block.rfind("\n", looked, tag.start())  # from the last raw tag on: linear
        line_start, looked = (newline + 1 if newline >= 0 else line_start), tag.start()
        in_item = in_list or LIST_ITEM.match(block, line_start)
        item = _NEXT_ITEM.search(block, tag.end()) if in_item else None  # a list item's text ends there
        boundary = item.start() if item else len(block)
        end = next((found for found in _END_TAG.finditer(block, tag.end(), boundary)
                    if found.group(1).lower() == name), None)
        content_end = end.start() if end else boundary
        content = block[tag.end():content_end]
        closing = ""
        if end is None and name in _RAW_TEXT:  # kramdown ends it there; a browser's parser would not
            content, closing = content.rstrip(), f"</{name}>"
            content_end = tag.end() + len(content)
        out += [block[position:tag.end()], _escaped_outside_tags(content), closing]
        position = content_end
    return "".join(out) + block[position:]


def _code_spans(block: str) -> list[tuple[int, int]]:
    spans, position = [], 0
    for piece, code in split_code_spans(block):
        if code:
            spans.append((position, position + len(piece)))
        position += len(piece)
    return spans


def _escaped_outside_tags(text: str) -> str:
    pieces, position = [], 0
    for tag in TAG.finditer(text):
        pieces += [_RAW_MARKDOWN.sub(r"\\\1", text[position:tag.start()]), tag.group(0)]
        position = tag.end()
    return "".join(pieces) + _RAW_MARKDOWN.sub(r"\\\1", text[position:])


def block_tags_as_text(text: str) -> str:
    """A block element's start or end tag after text in a paragraph's line (`wrap it in a
    <div>`, `left behind.</p> Then`) is text to kramdown, shown as written; cmark passes it
    on and the reader hides it. Read on the text as written (before its blocks of HTML are
    set apart): not in a block of HTML (from a line that starts with a tag of an element
    not a span's, to the blank line after the end tags of the block elements it opens,
    blank lines between included), code spans, lines indented as code, a paragraph holding
    an extension (`{::nomarkdown}` keeps its HTML), nor from a line whose content starts
    with the tag of an element not a span's on (`- <details>`: kramdown may start a block
    of HTML there)."""
    if "<" not in text:
        return text
    out, in_html, depth, raw_until = [], False, 0, ""
    for block in (part for chunk in BLANK_LINE.split(text) for part in after_headings(chunk)):
        if raw_until:  # the rest of a `<pre>` opened in a paragraph's block (a highlight tag's code)
            out.append(block)
            raw_until = "" if raw_until in block.lower() else raw_until
            continue
        start = block.lstrip("\n")
        tag = None if in_html or "<" not in block else _LINE_TAG.match(start)
        if tag and not tag.group(1) and tag.group(2).lower() not in SPAN_ELEMENTS:
            in_html, depth = True, 0  # a block of HTML: up to where its block elements are closed
        raw_until = _raw_left_open(block) if not in_html and "<" in block else ""
        if in_html:
            depth += sum(-1 if found.group(1) else 1 for found in TAG.finditer(block)
                         if found.group(2).lower() in _HELD and not found.group(0).endswith("/>"))
            in_html = depth > 0
            out.append(block)
        elif "<" not in block or start.startswith(("    ", "\t")) or "{::" in block:
            out.append(block)
        elif starts_html_block(start, is_block):
            out.append(block)
        elif (html_start := _html_start_in(block)) >= 0:  # a paragraph ended by a block of HTML
            out.append(_block_tags_in(block[:html_start]))
            depth = sum(-1 if found.group(1) else 1 for found in TAG.finditer(block, html_start)
                        if found.group(2).lower() in _HELD and not found.group(0).endswith("/>"))
            in_html = depth > 0
            out.append(block[html_start:])
        else:
            out.append(_block_tags_in(block))
    return "".join(out)


def _html_start_in(block: str) -> int:
    """Where a line after the block's first starts with the start tag of an element not a
    span's (kramdown ends a paragraph there, and a block of HTML starts), or -1."""
    newline = block.find("\n<", 1)
    while newline >= 0:
        tag = _LINE_TAG.match(block, newline + 1)
        if tag and not tag.group(1) and tag.group(2).lower() in _HELD:
            return newline + 1
        newline = block.find("\n<", newline + 1)
    return -1


def _raw_left_open(block: str) -> str:
    """The end tag of what cmark keeps raw (`<pre>` starting a line, after a paragraph's
    lines too) when the block does not hold it: what follows up to it is raw, blank lines
    included, as kramdown reads it."""
    opening = CMARK_RAW_BLOCK.search(block)
    if opening is None:
        return ""
    end = f"</{opening.group(1).lower()}"
    return "" if end in block[opening.end():].lower() else end


def _block_tags_in(block: str) -> str:
    spans = _code_spans(block) if "`" in block else []
    code, ends = [start for start, _end in spans], [end for _start, end in spans]
    out, position, line_start, previous, content_start = [], 0, 0, 0, -1
    for tag in TAG.finditer(block):
        name = tag.group(2).lower()
        if name in SPAN_ELEMENTS and name not in BLOCK_ELEMENTS:
            continue
        newline = block.rfind("\n", previous, tag.start())  # from the last tag on: linear
        if newline >= 0 or content_start < 0:  # a new line: where its content starts, once
            line_start = newline + 1 if newline >= 0 else line_start
            content_start = _LINE_OPENING.match(block, line_start).end()  # type: ignore[union-attr]
        previous = tag.start()
        if content_start >= tag.start():  # any element's not a span's (`- <details>`) may start HTML
            break
        if name not in BLOCK_ELEMENTS:
            continue
        index = bisect.bisect_right(ends, tag.start())
        if index < len(code) and code[index] <= tag.start():
            continue  # in a code span
        if tag.start() and block[tag.start() - 1] == "\\" and is_escaped(block, tag.start()):
            continue
        out += [block[position:tag.start()], as_text(tag.group(0))]
        position = tag.end()
    return "".join(out) + block[position:]


def angle_quotes_before_names(text: str) -> str:
    """`<<Effective Java>>`: kramdown reads `<<` as its angle quote before any tag, cmark the
    `<` after it as a tag's start (and the name's words as its attributes, what follows as the
    element's): written «, outside code spans, before tags are read."""
    if "<<" not in text:
        return text
    return "".join(piece if code else _ANGLE_QUOTE_BEFORE_NAME.sub("«", piece) for piece, code in split_code_spans(text))


def as_text(tag: str) -> str:
    """A tag written as text: its brackets escaped, and the backslash of a `\\>` that ends it
    dropped (`<li class="a"\\>`: kramdown reads an escaped `>`, cmark would read `\\&`)."""
    inner = tag[1:-1]
    run = len(inner) - len(inner.rstrip("\\"))
    return "&lt;" + (inner[:-1] if run % 2 else inner) + "&gt;"


def namespaced_tags(text: str) -> str:
    """A tag whose name has a prefix or a dot (`<o:p>` and `<st1:place>` a word processor
    leaves in pasted text, `<typo:code>`, a placeholder `<your.domain>`) is a tag to kramdown,
    as any: the reader hides it and keeps what it holds (an unknown element's content is raw);
    cmark reads neither in a tag's name and showed it as written. They are made hyphens, a
    name cmark reads and readers.kramdown_raw reads as kramdown does. Not in code."""
    if "<" not in text or ":" not in text and "." not in text or not _PREFIXED_TAG.search(text):
        return text
    return outside_raw_blocks(text, _prefixed_in_block)


def _prefixed_in_block(block: str) -> str:
    if "<" not in block or block.lstrip("\n").startswith(("    ", "\t")):
        return block
    return "".join(piece if code else _PREFIXED_TAG.sub(_hyphened, piece) for piece, code in split_code_spans(block))


def _hyphened(tag: re.Match[str]) -> str:
    if tag.string[tag.string.index(">", tag.end()) - 1] == "\\":  # `<util:list\>`: an escaped `>`, text
        return "\\<" + tag.group(1) + tag.group(2)  # (cmark read `<util:list\>` as a link)
    if not tag.group(1) and not START_TAG.match(tag.string, tag.start()):
        return tag.group(0)  # no tag to kramdown (`<MAIL01.CORP.LOCAL #5.1.1>`): text, as to cmark
    return "<" + tag.group(1) + tag.group(2).replace(".", "-").replace(":", "-")


def unmatched_end_tags(text: str) -> str:
    """In a block of HTML (html_blocks made each a block of its own), an end tag that does not
    end the element last opened and still open is text to kramdown, shown as written (`<ol><li>a
    <li>b</ol>`: the `</ol>` ends no `<li>`); so is one with none open. kramdown reads the
    tags of a block of HTML strictly nested; browsers, and the reader, close what is left
    open. A "<" that starts no tag kramdown reads is text too (`TreeMap<String, Long>` in a
    `<pre>`: browsers, and the reader, take `<String,` for a tag and hide it). Also in a `<pre>`
    (to its end tag, blank lines included). Not in a text with elements that hold Markdown
    (`markdown="1"`: html_blocks sets their content apart, the rest of their blocks read on
    after it)."""
    if "</" not in text or "markdown=" in text:
        return text
    out: list[str] = []
    pre: list[str] = []  # the blocks of a `<pre>` up to its end tag (cmark keeps it whole)
    for block in BLANK_LINE.split(text):
        if pre or _PRE_START.match(block.lstrip("\n")):
            pre.append(block)
            if "</pre" in block.lower():
                out.append(_nested("".join(pre)))
                pre.clear()
        elif "<" in block and starts_html_block(block, is_block):
            out.append(_nested(block))
        else:
            out.append(block)
    return "".join(out) + "".join(pre)


def _nested(block: str) -> str:
    out: list[str] = []
    open_names: list[str] = []
    position, searched = 0, 0
    for tag in _HTML_TAG.finditer(block):
        if tag.start() < searched:
            continue  # in a comment, or a script's or style's content
        name = tag.group(2).lower() if tag.group(2) else ""
        if tag.group(0) == "<":  # no tag: text
            out += [block[position:tag.start()], "&lt;"]
            position = tag.end()
        elif not name:  # a comment: up to its end
            end = block.find("-->", tag.end())
            if end < 0:
                break
            searched = end + 3
        elif tag.group(1) and open_names and open_names[-1] == name:
            open_names.pop()
        elif tag.group(1):
            out += [block[position:tag.start()], as_text(tag.group(0))]
            position = tag.end()
        elif name in _RAW_END:  # its content is no HTML, up to its end tag
            raw_end = _RAW_END[name].search(block, tag.end())
            searched = raw_end.end() if raw_end else len(block)
        elif name not in WITHOUT_BODY and not tag.group(0).endswith("/>"):
            open_names.append(name)
    return "".join(out) + block[position:]


def raw_line_elements(text: str) -> str:
    """A block that starts with the tag of an element neither a span's nor one cmark starts a
    block of HTML with (`<s>`, `<font>`), text after it on its line, is a block of HTML to
    kramdown: what the element holds is no Markdown (`<s>_Paint_ the **shed**</s>` shows its
    marks); cmark reads a paragraph. Its Markdown characters are escaped up to the element's
    end tag (what follows it on the line is Markdown to both). A tag alone on its line starts
    a block cmark keeps whole: left as it is; so is an element holding a "<" that starts no
    tag read here (in an attribute's value, say)."""
    if "<" not in text or "markdown=" in text:
        return text
    return "".join(_raw_element(block) if "<" in block else block for block in BLANK_LINE.split(text))


def _raw_element(block: str) -> str:
    start = block.lstrip("\n")
    tag = _LINE_TAG.match(start)
    name = tag.group(2).lower() if tag and not tag.group(1) else ""
    if not name or name in SPAN_ELEMENTS or name in CMARK_BLOCK_NAMES or name in CMARK_RAW:
        return block
    offset, opened = len(block) - len(start), start.find(">", tag.end())  # type: ignore[union-attr]
    line_end = start.find("\n", opened) if opened >= 0 else -1
    if opened < 0 or not start[opened + 1:line_end if line_end >= 0 else len(start)].strip():
        return block
    depth, content_end = 1, len(start)
    for found in TAG.finditer(start, opened + 1):
        if found.group(2).lower() == name:
            depth += -1 if found.group(1) else 1
            if depth == 0:
                content_end = found.start()
                break
    inside = start[opened + 1:content_end]
    if inside.count("<") != sum(1 for _tag in TAG.finditer(inside)):
        return block  # a "<" in an attribute's value, or no tag: not read apart
    return block[:offset + opened + 1] + _escaped_outside_tags(inside) + start[content_end:]


def raw_regions(text: str) -> deque[tuple[int, int]]:
    """Where cmark keeps text raw, as kramdown does: from a line that starts a `<pre>`-like
    element or a comment to the end of the line of its end, each end looked for once, from the
    last region's end. One whose end is not in text is none (its tags are counted as before)."""
    regions: deque[tuple[int, int]] = deque()
    position = 0
    while "<" in text and (opening := RAW_OR_COMMENT.search(text, position)):
        if opening.group(1):
            found = _RAW_ENDS[opening.group(1).lower()].search(text, opening.end())
            end = found.start() if found else -1
        else:
            end = text.find("-->", opening.end())
        if end < 0:
            break
        line_end = text.find("\n", end)
        position = len(text) if line_end < 0 else line_end + 1
        regions.append((opening.start(), position))
    return regions


def outside_regions(text: str, start: int, end: int, regions: deque[tuple[int, int]],
                    rewrite: Callable[[str], str]) -> str:
    """text[start:end] with rewrite applied to its stretches outside the regions (kept as
    written); called for stretches in order, regions ending before them are dropped."""
    pieces, position = [], start
    while regions and regions[0][1] <= start:
        regions.popleft()
    for region_start, region_end in regions:
        if region_start >= end:
            break
        if region_start > position:
            pieces.append(rewrite(text[position:region_start]))
        pieces.append(text[max(position, region_start):min(end, region_end)])
        position = min(end, region_end)
    return "".join(pieces) + (rewrite(text[position:end]) if position < end else "")
