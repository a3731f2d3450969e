"""kramdown's `smart_quotes` option: the characters its typographic quotes are written with.

A site sets them in `_config.yml` (`kramdown: smart_quotes: sbquo,lsquo,bdquo,ldquo` writes
German quotes, „so“ and ‚so‘), as entity names or code points for, in this order, an opening
and a closing single quote (an apostrophe too) and an opening and a closing double quote.
cmark's smart punctuation writes English ones (‘ ’ “ ”); they are written as the site's once
rendered. Quotes the author typed as such are not kramdown's and stay: they are set aside
(as characters of Unicode's private use area, which no text holds) before cmark sees the
text, and put back after.
"""

from __future__ import annotations

import html.entities
from typing import Any

ENGLISH = ("‘", "’", "“", "”")
# Where the author's own typographic quotes wait while cmark renders.
SET_ASIDE = ("\ue000", "\ue001", "\ue002", "\ue003")
_SET_ASIDE = str.maketrans(dict(zip(ENGLISH, SET_ASIDE)))
MAX_OPTION = 200  # characters of the option read: four names or numbers and their commas


def chosen(site_data: dict[str, Any]) -> dict[int, str] | None:
    """How rendered quotes are rewritten for the site: cmark's English quotes as the site's
    and the author's own put back; None when the site keeps kramdown's English ones, or sets
    the option as kramdown cannot read it (it stops the build: no page shows it)."""
    options = site_data.get("kramdown")
    option = options.get("smart_quotes") if isinstance(options, dict) else None
    if isinstance(option, list):  # YAML's own list: `[sbquo, lsquo, bdquo, ldquo]`
        option = ",".join(map(str, option))
    if not isinstance(option, str) or len(option) > MAX_OPTION:
        return None
    characters = [character for name in option.split(",") if (character := _character(name.strip()))]
    if len(characters) != 4 or len(option.split(",")) != 4 or tuple(characters) == ENGLISH:
        return None
    table = dict(zip(map(ord, ENGLISH), characters))
    table.update(zip(map(ord, SET_ASIDE), ENGLISH))
    return table


def _character(name: str) -> str | None:
    if name.isdigit() and len(name) <= 7:
        code = int(name)
        return chr(code) if 0 < code <= 0x10FFFF else None
    named = html.entities.name2codepoint.get(name)
    return chr(named) if named else None


def set_aside(markdown: str) -> str | None:
    """The author's own typographic quotes set aside; None when the text already holds a
    character they would be set aside as (it is then rendered as it is)."""
    if any(character in markdown for character in SET_ASIDE):
        return None
    return markdown.translate(_SET_ASIDE)


def as_chosen(rendered: str, table: dict[int, str]) -> str:
    return rendered.translate(table)
