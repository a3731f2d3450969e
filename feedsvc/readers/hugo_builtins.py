"""Hugo's built-in shortcodes that write HTML of their arguments alone, as Hugo writes them
(shortcodes.py finds them and places what they write):

    figure      <figure> with its image, title, caption and attribution
    ref, relref the linked article's address on this service
    param       a front matter value, else the site's `params`
    youtube, vimeo, x, tweet, gist, instagram
                a link to the resource: feed readers drop the iframes and scripts Hugo writes
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from ..urls import article_slug
from .site import Site

if TYPE_CHECKING:
    from .shortcodes import Shortcode

# What a shortcode writes: HTML, or HTML and Markdown in turn (the Markdown Hugo marks down).
Written = str | tuple[str, ...]
EMBEDS = {
    "youtube": ("https://www.youtube.com/watch?v={id}", "YouTube video {id}"),
    "vimeo": ("https://vimeo.com/{id}", "Vimeo video {id}"),
    "instagram": ("https://www.instagram.com/p/{id}/", "Instagram post {id}"),
    "tweet": ("https://twitter.com/{user}/status/{id}", "Post by @{user}"),
    "x": ("https://x.com/{user}/status/{id}", "Post by @{user}"),
    "gist": ("https://gist.github.com/{user}/{id}", "Gist {id} by {user}"),
}
# Positional parameters of the embeds, in Hugo's order.
EMBED_POSITIONS = {"youtube": ("id",), "vimeo": ("id",), "instagram": ("id",), "gist": ("user", "id", "file"),
                   "tweet": ("user", "id"), "x": ("user", "id")}


def argument(code: Shortcode, name: str, position: int | None = None) -> str:
    """The argument of that name (or at that position), "" when not given."""
    for key, value in code.arguments:
        if key == name or (position is not None and key == str(position)):
            return value
    return ""


def _figure(code: Shortcode) -> Written:
    """Hugo's figure; its caption and attribution are Markdown (Hugo marks them down)."""
    attribute = {name: html.escape(argument(code, name), quote=True)
                 for name in ("src", "link", "alt", "title", "caption", "attr", "attrlink")}
    image = f'<img src="{attribute["src"]}" alt="{attribute["alt"] or attribute["caption"]}">'
    if attribute["link"]:
        image = f'<a href="{attribute["link"]}">{image}</a>'
    title = f"<h4>{attribute['title']}</h4>" if attribute["title"] else ""
    if not (argument(code, "caption") or argument(code, "attr")):
        return f"<figure>{image}{f'<figcaption>{title}</figcaption>' if title else ''}</figure>"
    # Hugo's template leaves a line break before the attribution's link, and nothing else.
    link = (f'\n<a href="{attribute["attrlink"]}">', "</a>") if attribute["attrlink"] else ("", "")
    return (f"<figure>{image}<figcaption>{title}<p>", argument(code, "caption"), link[0],
            argument(code, "attr"), f"{link[1]}</p></figcaption></figure>")


def _embed(code: Shortcode) -> str:
    url, label = EMBEDS[code.name]
    values = {name: argument(code, name, index) for index, name in enumerate(EMBED_POSITIONS[code.name])}
    if not values.get("id"):
        return ""
    safe = {name: html.escape(value, quote=True) for name, value in values.items()}
    address = url.format(**{name: value.strip("/") for name, value in safe.items()})
    return f'<p><a href="{address}">{label.format(**safe)}</a></p>'


def _reference(code: Shortcode, path: str, site: Site) -> str:
    """ref/relref: the article here whose file the shortcode names (slug from its path), with
    the anchor it gives; one that gives only an anchor ("#options") is the page's own."""
    target, _, fragment = argument(code, "path", 0).partition("#")
    anchor = f"#{fragment}" if fragment else ""
    if not target:
        return html.escape(anchor, quote=True)
    folder = path.rpartition("/")[0]
    relative = target.lstrip("/") if target.startswith("/") else f"{folder}/{target}".lstrip("/")
    if not relative.startswith(site.content_prefix) and target.startswith("/"):
        relative = site.content_prefix + relative
    if "." not in relative.rpartition("/")[2]:
        relative += "/index.md"  # a bundle, named by its folder
    return html.escape(f"./{article_slug(relative, {})}{anchor}", quote=True)


def _param(code: Shortcode, metadata: dict[str, Any], site: Site) -> str:
    name = argument(code, "name", 0)
    value: Any = metadata
    for part in name.lower().split("."):
        value = value.get(part) if isinstance(value, dict) else None
    if value is None:
        value = site.data.get("params", {})
        for part in name.split("."):
            value = value.get(part) if isinstance(value, dict) else None
    return html.escape(str(value)) if value is not None else ""


def expand(code: Shortcode, path: str, metadata: dict[str, Any], site: Site) -> Written | None:
    """What a built-in shortcode publishes; None for a shortcode feedsvc does not know."""
    if code.name == "figure":
        return _figure(code)
    if code.name in EMBEDS:
        return _embed(code)
    if code.name in ("ref", "relref"):
        return _reference(code, path, site)
    if code.name == "param":
        return _param(code, metadata, site)
    return None
