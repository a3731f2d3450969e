"""Code blocks as Hugo highlights them, as far as a feed shows it: their line numbers.

Hugo numbers the lines of highlighted code when the site's `markup.highlight.lineNos` says
so (in a column of their own with `lineNumbersInTable`, the default, else before each
line, from `lineNoStart`), or when a block asks for it: `{{< highlight go "linenos=table" >}}`,
or a fenced block's attributes (```` ```go {linenos=inline,linenostart=5} ````). The
highlight shortcode is always highlighted; a fenced block only with `codeFences` (the
default) and a language, or without one when `guessSyntax` is set; an indented block never;
a block in a language Chroma does not know (chroma_names.py) is not.
Sites older than markup.highlight say the same with pygmentsOptions, pygmentsCodeFences and
pygmentsCodefencesGuessSyntax. Colours are left to the feed reader.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

from .canonify import base_of
from .chroma_names import has_lexer
from .hugo_config import lowered

NUMBERED_STYLES = ("table", "inline")
# A fenced block's opening line: its fence, language and {attributes}.
_FENCE = re.compile(r"[ \t]*(?:`{3,}|~{3,})[ \t]*([^\s{`]*)[ \t]*(?:\{([^}\n]*)\})?")
# A key starts after no word character, so a long word is tried once, not from each letter.
_OPTION = re.compile(r"(?<![\w-])([\w-]+)\s*=\s*(\"[^\"]*\"|\[[^\]]*\]|[^,\s]+)")
MAX_OPTIONS_CHARS = 1000  # options are a few words; an unclosed [ or " is scanned to the end
# A code block cmark wrote with its source position (the position itself is removed after).
_BLOCK = re.compile(r'<pre data-sourcepos="(\d+):(\d+)-\d+:\d+"><code(?: class="language-([^"]*)")?>')
_SOURCEPOS = re.compile(r' data-sourcepos="\d+:\d+-\d+:\d+"')


@dataclass(frozen=True)
class Highlight:
    code_fences: bool = True
    guess_syntax: bool = False
    numbers: str = ""  # "", "table" or "inline"
    start: int = 1
    in_table: bool = True  # how `linenos=true` numbers
    # Hugo's highlighter writes quotes as entities; kept as written (the same text) unless the
    # site canonifies URLs: canonify.py reads a `'` as a quote, and Hugo's output has none there.
    escape_quotes: bool = False


def _yes(value: Any) -> bool:
    return value is True or str(value).strip().lower() == "true"


def with_options(base: Highlight, options: dict[str, str]) -> Highlight:
    """Hugo's highlight options (`linenos`, `linenostart`, `lineNumbersInTable`) over base."""
    options = {key.lower(): str(value).strip().strip('"') for key, value in options.items()}
    in_table = _yes(options.get("linenumbersintable", base.in_table))
    numbers = base.numbers
    if "linenos" in options:
        value = options["linenos"].lower()
        numbers = value if value in NUMBERED_STYLES else ("table" if in_table else "inline") if value == "true" else ""
    start = options.get("linenostart", "")
    return replace(base, numbers=numbers, start=int(start) if start.isdigit() else base.start, in_table=in_table)


def parse_options(text: str) -> dict[str, str]:
    """`linenos=table,hl_lines=[2 3]` or `linenos=table hl_lines="2"` as a mapping."""
    return {match.group(1): match.group(2) for match in _OPTION.finditer(text[:MAX_OPTIONS_CHARS])}


def site_highlight(data: dict[str, Any]) -> Highlight:
    """The site's defaults: markup.highlight, else the older pygments* keys."""
    top = lowered(data)
    own = lowered(lowered(top.get("markup")).get("highlight"))
    fences = own.get("codefences", top.get("pygmentscodefences", True))
    guess = own.get("guesssyntax", top.get("pygmentscodefencesguesssyntax", False))
    base = Highlight(code_fences=_yes(fences), guess_syntax=_yes(guess), escape_quotes=bool(base_of(data)))
    legacy = parse_options(str(top.get("pygmentsoptions") or ""))
    keys = ("linenos", "linenostart", "linenumbersintable")
    return with_options(base, {**legacy, **{key: str(own[key]).lower() for key in keys if key in own}})


def code_html(code: str, language: str, highlight: Highlight) -> str:
    """A code block, its lines numbered as Hugo numbers them: before each line, or in a
    column of their own; not numbered in a language Chroma has no lexer for (unless the site
    has it guess one), which Hugo writes unhighlighted."""
    if language and not highlight.guess_syntax and not has_lexer(language):
        highlight = replace(highlight, numbers="")
    attribute = f' class="language-{html.escape(language, quote=True)}"' if language else ""
    lines = code.split("\n") if code else []  # code of blank lines alone: Chroma writes no line
    if highlight.numbers == "inline":
        quote = highlight.escape_quotes
        numbered = "\n".join(f'<span class="ln">{highlight.start + index}</span>'
                             f"{html.escape(line, quote=quote)}" for index, line in enumerate(lines))
        return f"<pre><code{attribute}>{numbered}</code></pre>"
    block = f"<pre><code{attribute}>{html.escape(code, quote=highlight.escape_quotes)}</code></pre>"
    if highlight.numbers == "table":
        column = "\n".join(str(highlight.start + index) for index in range(len(lines)))
        return f"<table><tr><td><pre><code>{column}</code></pre></td><td>{block}</td></tr></table>"
    return block


def _first_code_line(rendered: str, start: int, end: int) -> str:
    """The first line of a block's code as written in the source. cmark places an indented
    block at its first line of code, a fenced one at its fence, which is no line of its code."""
    newline = rendered.find("\n", start, end)
    return html.unescape(rendered[start:newline if newline >= 0 else end])


@dataclass(frozen=True)
class FencedBlock:
    """A fenced code block in cmark's HTML (rendered with source positions)."""

    start: int  # where its <pre …><code …> starts
    code_start: int  # where its code starts
    end: int  # where its </code></pre> starts
    language: str  # as Hugo reads it: the info's first word, up to a brace (`jsx{3}`)
    options: str  # its {attributes}, as written

    @property
    def close(self) -> int:
        return self.end + len("</code></pre>")


def fenced_blocks(rendered: str, source: str) -> Iterator[FencedBlock]:
    """Each fenced code block of cmark's HTML, in order: not an indented one (`    ```` too,
    which looks like a fence)."""
    lines = source.encode("utf-8").split(b"\n")  # cmark's columns count bytes
    position = 0
    for block in _BLOCK.finditer(rendered):
        if block.start() < position:
            continue
        end = rendered.find("</code></pre>", block.end())
        if end < 0:  # nor is any later one closed (raw HTML can look like cmark's blocks):
            return  # no search runs to the end twice
        position = end
        line, column = int(block.group(1)) - 1, int(block.group(2)) - 1
        at = lines[line][column:].decode("utf-8", "replace") if line < len(lines) else ""
        opening = _FENCE.match(at)
        if not opening or _first_code_line(rendered, block.end(), end) == at:
            continue  # an indented block: Hugo leaves it
        language = html.unescape(block.group(3) or "").partition("{")[0]
        yield FencedBlock(block.start(), block.end(), end, language, opening.group(2) or "")


def without_positions(rendered: str) -> str:
    """cmark's HTML without the source positions number_fences and others read."""
    return _SOURCEPOS.sub("", rendered)


def number_fences(rendered: str, source: str, site_default: Highlight) -> str:
    """cmark's HTML (rendered with source positions) with the fenced code blocks Hugo
    highlights numbered (and, with escape_quotes, every fenced block Hugo's highlighter
    writes with its quotes escaped), and the source positions removed."""
    pieces: list[str] = []
    position = 0
    for block in fenced_blocks(rendered, source):
        highlight = with_options(site_default, parse_options(block.options))
        if not highlight.code_fences:
            continue
        if highlight.numbers and (block.language or highlight.guess_syntax):
            # Chroma numbers no trailing blank line
            code = html.unescape(rendered[block.code_start:block.end]).rstrip("\n")
            written = code_html(code, block.language, highlight)
        elif highlight.escape_quotes:  # written by Hugo's highlighter even without a language
            code = rendered[block.code_start:block.close].replace("'", "&#x27;")
            written = rendered[block.start:block.code_start] + code
        else:
            continue
        pieces += [rendered[position:block.start], written]
        position = block.close
    pieces.append(rendered[position:])
    return without_positions("".join(pieces))
