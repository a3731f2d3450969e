"""kramdown's autolinks with white space in them: `<https://example.org/a b>`.

kramdown's autolink is `<` then mailto, http(s) or ftp(s), a colon and anything up to the
next `>` on the line, spaces too: the link's address and text are all of it as written
(`<https://x/MATSIM-473 >` links to `https://x/MATSIM-473 ` and shows it). CommonMark's
autolink holds no white space, so cmark shows such a one as text, brackets and all. It is
written as an explicit link for cmark, its text escaped (kramdown's is text, no markup), its
address in angle brackets (which may hold spaces). Not in code nor in a block of HTML.
"""

from __future__ import annotations

import re

from .kramdown_extensions import outside_html
from .markdown_code import outside_code

# An autolink holding a space or a tab, each part possessive: none holds `<`, so each `<` is
# looked past once (linear).
_SPACED_AUTOLINK = re.compile(r"(?<!\\)<((?:mailto|https?|ftps?):[^<>\n \t]*+[ \t][^<>\n]*+)>")
# What could be markup in the text, escaped: characters kramdown takes a backslash before
# (others, `/` and `?`, it shows with their backslash)
_PUNCTUATION = re.compile(r"([\\*_`\[\]!|$<>{}])")
MAX_REWRITTEN = 1000  # in a text; past them, cmark's reading (text) is kept: each costs the later passes a link


def spaced_autolinks(markdown: str) -> str:
    """markdown with each autolink holding white space written as kramdown reads it (above)."""
    if "<" not in markdown or not _SPACED_AUTOLINK.search(markdown):
        return markdown
    room = [MAX_REWRITTEN]

    def link(found: re.Match[str]) -> str:
        room[0] -= 1
        return _link(found) if room[0] >= 0 else found.group(0)

    return outside_code(markdown, lambda prose: outside_html(lambda run: _SPACED_AUTOLINK.sub(link, run), prose))


def _link(found: re.Match[str]) -> str:
    address = found.group(1)
    text = _PUNCTUATION.sub(r"\\\1", address.removeprefix("mailto:"))
    return f"[{text}](<{address}>)"
