"""Hugo's render hook for links (layouts/_default/_markup/render-link.html, else its
theme's): Hugo writes each link of a page's Markdown, autolinks too, through it. What the
hook writes around its anchor shows in the page's text where a link is not spaced from what
is next to it: a hook whose template has a line end before its <a> (after a line holding a
`{{/* comment */}}`) and after its </a> makes `([dplyr](…))` read "( dplyr )". Only that
white space is taken from the hook (its attributes show in no text); a hook whose text does
not start with <a and end with </a> is left alone, and so is a link whose anchor the page
also writes as HTML, tag for tag (cmark's anchor and the page's own look the same; Hugo
runs only the Markdown one through the hook). The hook is read once per site configuration (by its fingerprint), as a
shortcode's template is, at most MAX_TEMPLATE_BYTES, only from inside the content folder.
"""

from __future__ import annotations

import re

from .site import Site
from .site_shortcodes import MAX_TEMPLATE_BYTES, first_layout, segments

HOOK = "_default/_markup/render-link.html"
# cmark-gfm's anchor of a Markdown link or autolink (a footnote's has more attributes)
_LINK = re.compile(r'<a href="[^"<>]*+"(?: title="[^"<>]*+")?>')
_RAW_ANCHOR = re.compile(r"<a[\s>/]", re.IGNORECASE)
_KNOWN: dict[tuple[str, str], tuple[str, str]] = {}  # (site root, fingerprint) -> spacing
MAX_KNOWN = 64


def spacing(site: Site) -> tuple[str, str]:
    """The white space the site's link hook writes before and after its anchor."""
    key = (str(site.root), site.fingerprint)
    if key not in _KNOWN:
        if len(_KNOWN) >= MAX_KNOWN:
            _KNOWN.clear()
        _KNOWN[key] = _read(site)
    return _KNOWN[key]


def _read(site: Site) -> tuple[str, str]:
    found = first_layout(site, HOOK)
    if not found:
        return ("", "")
    try:
        with open(found[0], "rb") as handle:
            data = handle.read(MAX_TEMPLATE_BYTES + 1)
    except OSError:
        return ("", "")
    return ("", "") if len(data) > MAX_TEMPLATE_BYTES else around(data.decode("utf-8", "replace"))


def around(template: str) -> tuple[str, str]:
    """The white space a hook's template writes before its first tag and after its last,
    ("", "") unless what it writes (its actions aside) is an anchor."""
    parts = segments(template)
    written = "".join(text for kind, text in parts or () if kind == "text")
    shown = written.strip()
    if not (shown.startswith("<a") and shown.endswith("</a>")):
        return ("", "")
    return written[: len(written) - len(written.lstrip())], written[len(written.rstrip()):]


def spaced(rendered: str, source: str, lead: str, trail: str) -> str:
    """cmark's HTML of a page with the hook's white space around each link's anchor."""
    if "<a" not in rendered:
        return rendered
    own = _anchor_tags(source)
    kept, position = [], 0
    for found in _LINK.finditer(rendered):
        if found.start() < position or found.group() in own:
            continue
        if (end := rendered.find("</a>", found.end())) < 0:
            break
        kept += [rendered[position:found.start()], lead, rendered[found.start():end + 4], trail]
        position = end + 4
    return "".join(kept) + rendered[position:]


def _anchor_tags(source: str) -> set[str]:
    """The opening tags of the anchors a page's source writes as HTML: one of cmark's that
    is written the same way may be the page's own, which Hugo does not run through the hook
    (downlit's `<a href='…'>` in code listings never is)."""
    tags, position = set(), 0
    while (start := _RAW_ANCHOR.search(source, position)) is not None:
        end = source.find(">", start.start())
        if end < 0:
            break
        tags.add(source[start.start():end + 1])
        position = end + 1
    return tags
