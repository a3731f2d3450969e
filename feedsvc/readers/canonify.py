"""Hugo's canonifyURLs: a site that sets it publishes every URL from the site's root
(`/about/`) with its baseURL before it (`https://example.org/about/`), wherever the page's
HTML says `src=`, `href=`, `url=`, `action=` or `srcset=` and the URL follows, quoted or
not; so in text too, a code block's `url='/path/'` (Hugo rewrites the output page as text,
not its elements). A URL starting `//` (scheme-relative) is left alone, as in Hugo.

One forward pass: each match is found after the previous one; a srcset's URLs are rewritten
up to its closing quote when that is within MAX_SRCSET characters, as Hugo bounds it. Each
quote's next place is remembered, so that a page of unclosed srcsets is not scanned again
from each one.
"""

from __future__ import annotations

import re
from typing import Any

from .hugo_config import lowered

MAX_SRCSET = 2000
# The attribute names Hugo looks for, then one quote or none, then a root-relative URL.
_ROOT_URL = re.compile(r"""(?:src|href|url|action)=["']?/(?=[^/])|srcset=(["'])/(?=[^/])""", re.DOTALL)


def base_of(data: dict[str, Any]) -> str:
    """The prefix a Hugo site's configuration gives root-relative URLs: its baseURL (with a
    trailing slash) when it sets canonifyURLs, else "" (URLs stay as written)."""
    top = lowered(data)
    if top.get("canonifyurls") is not True or top.get("relativeurls") is True:
        return ""
    base = str(top.get("baseurl") or "").rstrip("/")
    return base + "/" if base else ""


def canonified(html: str, base: str) -> str:
    """The page's HTML with its root-relative URLs made absolute under base (see above)."""
    if not any(mark in html for mark in ("=/", '="/', "='/")):
        return html  # nothing to rewrite; the pattern's search is ten times slower than these
    pieces: list[str] = []
    position = 0
    next_quote: dict[str, int] = {}  # where each quote is next found (-1: nowhere after)
    while match := _ROOT_URL.search(html, position):
        slash = match.end() - 1
        quote = match.group(1)
        close = slash
        if quote:
            if 0 <= next_quote.get(quote, -2) < slash or quote not in next_quote:
                next_quote[quote] = html.find(quote, slash)
            close = next_quote[quote] if 0 <= next_quote[quote] - slash <= MAX_SRCSET else -1
        if close < 0:  # a srcset not closed within the bound: Hugo leaves it as it is
            pieces.append(html[position:slash + 1])
            position = slash + 1
        elif quote:  # srcset: every URL of its list, up to the closing quote
            pieces += [html[position:slash], _srcset(html[slash:close + 1], base)]
            position = close + 1
        else:
            pieces += [html[position:slash], base]
            position = slash + 1
    return "".join(pieces) + html[position:]


def _srcset(section: str, base: str) -> str:
    """A srcset's list (from its first URL to its closing quote) as Hugo writes it: split at
    white space, each URL from the root under base, joined by single spaces."""
    return " ".join(base + field[1:] if field.startswith("/") else field for field in section.split())
