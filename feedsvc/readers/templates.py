"""Templates in content, expanded as the site's generator expands them, so that none
reaches a feed raw: Jekyll's Liquid (liquid.py), Hugo's shortcodes (shortcodes.py).

Which applies follows the site (readers.site): Jekyll renders Liquid in posts, Hugo renders
shortcodes, Pelican neither. Outside a known site, shortcodes (whose `{{<` and `{{%` mean
nothing else) are expanded everywhere and Liquid in Jekyll's `_posts/`.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import replace
from typing import Any

from .site import Site
from . import hugo_emoji, shortcodes
from .canonify import canonified

# The site of the file being read, set by read_article (readers take only text and path).
current_site: ContextVar[Site | None] = ContextVar("current_site", default=None)


def site() -> Site:
    """The site of the file being read (Site() when none)."""
    return current_site.get() or Site()


def expand(body: str, path: str, metadata: dict[str, Any]) -> shortcodes.Expanded:
    """The body with its templates expanded, warnings naming file lines and tags, and the
    placeholders to fill in once the body is HTML."""
    site = current_site.get() or Site()
    kind = site.kind or ("jekyll" if "_posts/" in path else "hugo")
    if kind == "jekyll" and metadata.get("render_with_liquid") is not False:
        # Imported when first needed (python-liquid takes 0.1-0.4 s to import, babel with it);
        # reading processes of a Jekyll site have it already (reading.JEKYLL_PRELOAD)
        from . import liquid

        return shortcodes.Expanded(*liquid.render(body, path, metadata, site), {})
    if kind == "hugo":
        html = path.lower().endswith((".html", ".htm"))
        expanded = shortcodes.render(shortcodes.without_summary_divider(body, html), path, metadata, site)
        return replace(expanded, text=hugo_emoji.emojified(expanded.text)) if site.emoji else expanded
    return shortcodes.Expanded(body, [], {})


def published(html: str) -> str:
    """A page's HTML as its generator writes it out: with Hugo's canonifyURLs, URLs from the
    site's root made absolute (canonify.py), in the text as in the markup."""
    base = site().canonify_base
    return canonified(html, base) if base else html


