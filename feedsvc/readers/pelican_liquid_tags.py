"""The embeds of Pelican's liquid_tags plugin, `{% youtube id %}` and `{% vimeo id %}`, in a
site that turns them on, as links to the video (feedsvc writes embeds as links, as it does
Hugo's youtube and vimeo shortcodes: readers.shortcodes.EMBEDS); the plugin writes an iframe.

The plugin is on when PLUGINS names it: `liquid_tags.youtube` (pelican-plugins: each tag a
module), or `liquid_tags` / `pelican.plugins.liquid_tags` with the tags listed in LIQUID_TAGS
(the pelican-liquid-tags package; a site without PLUGINS loads it when installed, so
LIQUID_TAGS alone turns them on too). `{% include_code %}` is written by pelican_include_code.
Other tags the site turns on (`{% img %}`, `{% notebook %}`) are removed with a warning: the plugin writes them, and no template syntax reaches a feed; a tag
the site does not turn on is text to the plugin too.
"""

from __future__ import annotations

import html
import re
from typing import Any

from .shortcodes import EMBEDS

_EMBEDS = ("youtube", "vimeo")
_WRITTEN = (*_EMBEDS, "include_code")  # the tags feedsvc writes
# A tag as the plugin finds one (`{%` to the next `%}`), here only an embed's: its name, then
# the id (width and height may follow). Each match stops at the tag's first `%`: linear.
_TAG = re.compile(r"\{%\s*(youtube|vimeo)\s+([\w-]+)[^%]*%\}")
_PLUGIN = ("liquid_tags", "pelican.plugins.liquid_tags")
# Any tag, as above: its name, then anything but `%` up to `%}`.
_ANY_TAG = re.compile(r"\{%\s*+([A-Za-z_][\w-]*+)[^%]*+%\}")
MAX_WARNINGS = 20  # a file's warnings about tags; the tags themselves are all removed


def tags_on(data: dict[str, Any]) -> frozenset[str]:
    """The tags of the liquid_tags plugin the site's settings turn on."""
    plugins = data.get("PLUGINS")
    listed = data.get("LIQUID_TAGS")
    listed = {str(tag) for tag in listed} if isinstance(listed, (list, tuple)) else set()
    if not isinstance(plugins, (list, tuple)):
        return frozenset(listed) if plugins is None else frozenset()
    on: set[str] = set()
    for plugin in map(str, plugins):
        if plugin in _PLUGIN:
            on |= listed
        elif plugin.startswith("liquid_tags."):
            on.add(plugin.removeprefix("liquid_tags."))
    return frozenset(on)


def embeds_on(data: dict[str, Any]) -> frozenset[str]:
    """The embeds of the liquid_tags plugin the site's settings turn on."""
    return tags_on(data).intersection(_EMBEDS)


def unrendered_removed(markdown: str, tags: frozenset[str]) -> tuple[str, list[str]]:
    """markdown without the tags of the plugin turned on that feedsvc does not render (a
    notebook, included code, an image: the plugin writes them, code blocks too), each with a
    warning naming its line; tags the site does not turn on are the plugin's text too."""
    tags = tags.difference(_WRITTEN)
    warnings: list[str] = []
    pieces, position, line = [], 0, 1
    for found in _ANY_TAG.finditer(markdown) if tags else ():
        if found.group(1) not in tags:
            continue
        line += markdown.count("\n", position, found.start())
        pieces.append(markdown[position:found.start()])
        position = found.end()
        if len(warnings) < MAX_WARNINGS:
            warnings.append(f"line {line}: liquid tag '{found.group(1)}' of the liquid_tags plugin "
                            "is not rendered here; removed")
    return "".join(pieces) + markdown[position:], warnings


def embeds_as_links(markdown: str, embeds: frozenset[str]) -> str:
    """markdown with each tag of the embeds turned on written as a link to its video."""
    def link(found: re.Match[str]) -> str:
        name, video = found.group(1), html.escape(found.group(2), quote=True)
        if name not in embeds:
            return found.group(0)
        url, label = EMBEDS[name]
        return f'<a href="{url.format(id=video)}">{label.format(id=video)}</a>'

    return _TAG.sub(link, markdown)
