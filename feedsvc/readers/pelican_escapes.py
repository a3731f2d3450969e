"""Backslashes and tags in a line of Pelican's Markdown, rewritten where Python-Markdown
reads them otherwise than cmark (readers.pelican_markdown): a backslash escapes only
\\`*_{}[]()>#+-.!| (and quotes with smarty; before any other character, and at the end of
a line, it is text);
`<name anything>` is a tag when its attributes' names start with any character, a
`<!DOCTYPE …>` only when it starts a line; a tag starting a line in a block quote opens no
block of HTML (quoted_tags_marked); a numeric character reference to 128-159 is Windows-1252's
character (windows_1252_references)."""

from __future__ import annotations

import re
from contextvars import ContextVar
from html import unescape

from ..text import TAG
from .markdown_code import closes, is_escaped, opens, split_code_spans

_ESCAPE = re.compile(r"\\(.|$)")
# Tags, each part matched on its own (no pattern repeats another: linear), as
# Python-Markdown's HTML_RE and cmark read them; a quoted value holds no "<" here, so that a
# tag read from each "<" stops at the next.
_TAG_START = re.compile(r"</?[A-Za-z]|<!(?=[A-Za-z])")
_PM_NAME = re.compile(r"</?[A-Za-z][^\s\"'<>@]*")
_PM_ATTRIBUTE = re.compile(r"""\s+[^\s"'=<>]+(?:\s*=\s*(?:"[^"<]*"|'[^'<]*'|[^\s"'=<>]+))?""")
_TAG_END = re.compile(r"\s*/?>")
_CMARK_ATTRIBUTE = re.compile(r"""\s+[A-Za-z_:][\w.:-]*(?:\s*=\s*(?:[^"'=<>`\s]+|'[^']*'|"[^"]*"))?""",
                              re.ASCII)
# Python-Markdown's mail autolink, `mailto:` taken off what it shows (cmark shows it).
_MAILTO = re.compile(r"<mailto:([^<> !@]+@[^@<> ]+)>")
# Python-Markdown's autolink: a scheme then `://`; `<about:blank>` is a tag to it (hidden),
# an autolink to cmark.
_AUTOLINK = re.compile(r"<[A-Za-z][A-Za-z0-9+.-]{1,31}://[^\s<>]*>")
ESCAPABLE = set("\\`*_{}[]()>#+-.!|")
QUOTES = set("\"'")
# An escaped brace, marked until the attribute lists are read (pelican_attributes): it opens
# or closes none to Python-Markdown, which holds it aside until then (readers.pelican_markdown
# writes the braces back). The marks are punctuation, as braces are to cmark's emphasis, and
# used only in a text that holds neither (MARKING_BRACES).
BRACES = {"{": "\u2983", "}": "\u2984"}
MARKING_BRACES: ContextVar[bool] = ContextVar("marking_braces", default=False)
# Marks the start of a line's text that Python-Markdown reads as a paragraph's where cmark would
# start a block: a fence line its fenced_code refuses (pelican_fences), a tag in a block quote
# (pelican_markdown); cmark then reads it as text too. Taken out of the HTML by the reader's finish.
TEXT_LINE = "\ue003"
QUOTED_TAG = re.compile(r"^ {0,3}>[ >]*<[A-Za-z/?!]", re.MULTILINE)  # a tag starting a quote's line
_QUOTE_MARKERS = re.compile(r"(?: {0,3}> ?)+")
_TAG_OPENING = re.compile(r" {0,3}<[A-Za-z/?!]")
ASCII_PUNCTUATION = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


def _escapable() -> set[str]:
    """What a backslash escapes in the site's Markdown: quotes too when its MARKDOWN setting
    turns on smarty, which adds them to Python-Markdown's escapable characters."""
    from . import pelican, templates  # at the call: templates' readers import this module

    smarty = pelican.markdown_extension(templates.site().data, "smarty") is not None
    return ESCAPABLE | QUOTES if smarty else ESCAPABLE


def _escapes(text: str) -> str:
    escapable = _escapable() if "\\\"" in text or "\\'" in text else ESCAPABLE

    def fix(match: re.Match[str]) -> str:
        char = match.group(1)
        if char in escapable:
            return BRACES[char] if char in BRACES and MARKING_BRACES.get() else match.group(0)
        return "\\" + match.group(0) if char in ASCII_PUNCTUATION or not char else match.group(0)

    return _ESCAPE.sub(fix, text) if "\\" in text else text


def line_escapes(line: str, line_start: bool) -> str:
    """Backslashes and tags as Python-Markdown reads them, outside the line's code spans;
    line_start: whether the line starts a line of the source (no `>` of a quote before it)."""
    if "\\" not in line and "<" not in line:
        return line
    pieces = split_code_spans(line)
    return "".join(piece if code else _tags(_escapes(piece), line_start and index == 0)
                   for index, (piece, code) in enumerate(pieces))



def _tags(text: str, line_start: bool) -> str:
    """A tag Python-Markdown takes for HTML but cmark shows as text (`<function f at 0x7f>`:
    cmark's attribute names start with a letter) given to cmark as a bare tag of its name,
    as raw; `<!DOCTYPE …>` escaped, text, unless it starts the line (Python-Markdown reads a
    declaration only as a block of HTML)."""
    text = _MAILTO.sub(r"<\1>", text) if "<mailto:" in text else text  # shown without `mailto:`
    out, position = [], 0
    for opening in _TAG_START.finditer(text):
        start = opening.start()
        if start < position:
            continue
        if opening.group(0) == "<!":
            if not (line_start and start <= 3 and not text[:start].strip(" ")):
                out += [text[position:start], "\\"]
                position = start
            continue
        end = _python_markdown_tag_end(text, start)
        if end and not _AUTOLINK.fullmatch(text, start, end) and not cmark_reads_tag(text[start:end]):
            name = TAG.match(text, start)
            out += [text[position:start], name.group(0) + ">" if name else text[start:end]]
            position = end
    return "".join(out) + text[position:]


def python_markdown_reads_tag(tag: str) -> bool:
    """Whether tag (a line's text) is one tag as Python-Markdown reads one; line_escapes gives
    cmark one it reads too, when cmark would not (`<VirtualHost *:80>`)."""
    return _python_markdown_tag_end(tag, 0) == len(tag)


def _python_markdown_tag_end(text: str, start: int) -> int:
    """Where the tag at start ends as Python-Markdown's HTML_RE reads it (0: no tag)."""
    found = _PM_NAME.match(text, start)
    if not found:
        return 0
    while attribute := _PM_ATTRIBUTE.match(text, found.end()):
        found = attribute
    end = _TAG_END.match(text, found.end())
    if not end or is_escaped(text, end.end() - 1):  # `<a\>`: its `>` is text, escaped first
        return 0
    return end.end()


def cmark_reads_tag(tag: str) -> bool:
    name = TAG.match(tag)
    if not name:
        return False
    position = name.end()
    while not tag.startswith("</") and (attribute := _CMARK_ATTRIBUTE.match(tag, position)):
        position = attribute.end()
    return bool(_TAG_END.fullmatch(tag, position)) and not (tag.startswith("</") and "/" in tag[position:])


def quoted_tags_marked(text: str) -> str:
    """Python-Markdown reads blocks of HTML only outside block quotes: in one, a line starting
    with a tag (`> <div>`, `> <p class="cite">`) is a paragraph's text, Markdown read around
    the tag, where cmark would start a block of HTML; each such line outside fenced code is
    marked (TEXT_LINE) so that cmark reads it as text too. Comments are left as they are."""
    lines = text.split("\n")
    fence = ""
    for number, line in enumerate(lines):
        if fence:
            fence = "" if closes(fence, line) else fence
        elif opening := opens(line):
            fence = opening.group(1)
        elif (line.lstrip(" ").startswith(">") and (quote := _QUOTE_MARKERS.match(line))
              and (tag := _TAG_OPENING.match(line, quote.end())) and not line.startswith("<!--", tag.end() - 2)):
            lines[number] = line[:tag.end() - 2] + TEXT_LINE + line[tag.end() - 2:]
    return "\n".join(lines)


# Numeric character references to 128-159 name Windows-1252's characters to browsers (HTML's
# rule: `&#153;` shows ™, `&#146;` ’); Python-Markdown writes them as they are, cmark writes the
# C1 controls they number, which show nothing.
_C1 = re.compile("[\x80-\x9f]")
_C1_AS_WINDOWS_1252 = {code: unescape(f"&#{code};") for code in range(0x80, 0xA0)}


def windows_1252_references(html: str) -> str:
    """cmark's HTML of a source holding numeric character references (`&#`), with the C1
    controls they gave as the characters browsers show for them."""
    return html.translate(_C1_AS_WINDOWS_1252) if _C1.search(html) else html
