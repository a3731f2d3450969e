"""Pelican's TYPOGRIFY: with it on, Pelican runs typogrify over each article's HTML, whose
SmartyPants writes straight quotes curly, `--` as a dash, `...` as an ellipsis, and TeX's
quotes, ``so'', as curly ones. The first three only change a character for one that reads
the same; TeX's quotes are shown as written without it, so they are written here as
SmartyPants writes them: `` as “ and '' as ”. Not in the elements SmartyPants skips (code,
preformatted text, keyboard input, math, scripts, styles) nor in tags.
"""

from __future__ import annotations

import re
from typing import Any

from . import pelican

# A tag (its `>` the next one) or a run of text: one pass over the HTML, each match linear.
_PIECE = re.compile(r"<[^>]*>?|[^<]+")
_SKIPPED = re.compile(r"<(/?)(pre|code|kbd|math|script|style)(?=[\s/>])", re.IGNORECASE)


def turned_on(data: dict[str, Any]) -> bool:
    return pelican.bool_value(data.get("TYPOGRIFY")) is True


def tex_quotes(html: str, data: dict[str, Any]) -> str:
    """The article's HTML with TeX's quotes outside skipped elements curly, when the site's
    TYPOGRIFY is on (see above)."""
    if ("``" not in html and "''" not in html) or not turned_on(data):
        return html
    out: list[str] = []
    depth = 0  # skipped elements open
    for piece in _PIECE.findall(html):
        if piece.startswith("<"):
            if skipped := _SKIPPED.match(piece):
                depth = max(depth - 1, 0) if skipped.group(1) else depth + 1
            out.append(piece)
        else:
            out.append(piece if depth else piece.replace("``", "\u201c").replace("''", "\u201d"))
    return "".join(out)
