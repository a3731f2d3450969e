"""Rouge's line numbers, as kramdown has Jekyll's code highlighted with them: a site's
`kramdown: syntax_highlighter_opts:` asks for them for code blocks (`block:`), code spans
(`span:`), or both (at its top level, which each of the two takes unless it says otherwise).
Rouge writes the numbers as a table's first column and the code as its second; kramdown has
every block and span highlighted (a plain one as plain text) but one in a language Rouge
finds no lexer for."""

from __future__ import annotations

import html
import re
from typing import Any

from .rouge_names import ROUGE_LANGUAGES

# A code block as cmark writes it: fenced (with its language or none) or indented. Jekyll's
# highlight tag writes `data-lang` too, so its blocks (HTML to kramdown) do not match.
_CODE_BLOCK = re.compile(r'^<pre><code(?: class="language-([^"<>]*+)")?>', re.MULTILINE)
# A code span as cmark writes it (its text escaped: no `<` in it); a block's starts after `<pre>`.
_CODE_SPAN = re.compile(r"(?<!<pre>)<code>([^<]*+)</code>")
_GUTTER = '<table class="rouge-table"><tr><td class="gutter gl"><pre class="lineno">{}</pre></td><td class="code">'


def numbered(site_data: dict[str, Any], kind: str) -> bool:
    """Whether the site has Rouge number the lines of kramdown's code of a kind ("block" or "span")."""
    options = site_data.get("kramdown")
    highlighter = options.get("syntax_highlighter", "rouge") if isinstance(options, dict) else "rouge"
    chosen = options.get("syntax_highlighter_opts") if isinstance(options, dict) else None
    top: dict[str, Any] = chosen if isinstance(chosen, dict) else {}
    own = top.get(kind)
    wanted = own.get("line_numbers", top.get("line_numbers")) if isinstance(own, dict) else top.get("line_numbers")
    return highlighter == "rouge" and site_data.get("highlighter", "rouge") == "rouge" and wanted is True


def numbered_code_blocks(rendered: str) -> str:
    """Each code block with its line numbers in a column before it."""
    pieces, position = [], 0
    for block in _CODE_BLOCK.finditer(rendered):
        end = rendered.find("</code></pre>", block.end())
        if end < 0:
            break  # nor is any later one closed: no search runs to the end twice
        if block.start() < position or not _rouge_finds(block.group(1)):
            continue
        count = max(rendered[block.end():end].count("\n"), 1)  # cmark ends each line with one
        numbers = "\n".join(str(number) for number in range(1, count + 1))
        pieces += [rendered[position:block.start()], _GUTTER.format(numbers),
                   rendered[block.start():end], "</code></pre></td></tr></table>"]
        position = end + len("</code></pre>")
    return "".join(pieces) + rendered[position:]


def numbered_code_spans(rendered: str) -> str:
    """Each code span as a one-line table of its number and its code, inside the span (cmark
    has made a span's line ends spaces: the lines kramdown would number are one here)."""
    return _CODE_SPAN.sub(lambda span: f"<code>{_GUTTER.format(1)}<pre>{span.group(1)}</pre></td></tr></table></code>",
                          rendered)


def _rouge_finds(language: str | None) -> bool:
    """Whether Rouge finds a lexer for a block's language (none: plain text); what follows
    a `?` is its options."""
    return language is None or html.unescape(language).split("?")[0] in ROUGE_LANGUAGES
