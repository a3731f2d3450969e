"""Named character references kramdown does not know (see readers.kramdown).

kramdown knows HTML 4's entity names (Python's html.entities.name2codepoint), `&apos;` and
`&vellip;`; another name (`&pm;`, `&check;`, which HTML5 and so cmark know) is text in a
paragraph, shown as written. A block of HTML keeps it raw (a reader decodes it there), as
cmark does. Such a reference's `&` is written `&amp;` for cmark to show it as written.
"""

from __future__ import annotations

import re
from html.entities import html5, name2codepoint

from .kramdown_extensions import outside_html

KNOWN = frozenset(name2codepoint) | {"apos", "vellip"}
# A tag (passed over whole: its attributes are no text), or a named reference. Possessive.
_REFERENCE = re.compile(r"(<[^<>\n]*+>)|&([A-Za-z][A-Za-z0-9]{1,31}+);")


def unknown_entities_escaped(text: str) -> str:
    """text with each named reference cmark decodes and kramdown does not escaped; not in a
    block of HTML."""
    if "&" not in text:
        return text
    return outside_html(lambda run: _REFERENCE.sub(_escaped, run) if "&" in run else run, text)


def _escaped(found: re.Match[str]) -> str:
    name = found.group(2)
    if name is None or name in KNOWN or name + ";" not in html5:
        return found.group(0)
    return "&amp;" + name + ";"
