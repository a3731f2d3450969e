"""The embeds of Pelican's liquid_tags plugin, `{% youtube id %}` and `{% vimeo id %}`, in a
site that turns them on, as links to the video (feedsvc writes embeds as links, as it does
Hugo's youtube and vimeo shortcodes: readers.shortcodes.EMBEDS); the plugin writes an iframe.

The plugin is on when PLUGINS names it: `liquid_tags.youtube` (pelican-plugins: each tag a
module), or `liquid_tags` / `pelican.plugins.liquid_tags` with the tags listed in LIQUID_TAGS
(the pelican-liquid-tags package; a site without PLUGINS loads it when installed, so
LIQUID_TAGS alone turns them on too). Other tags (`{% img %}`, `{% notebook %}`) are left.
"""

from __future__ import annotations

import html
import re
from typing import Any

from .shortcodes import EMBEDS

_EMBEDS = ("youtube", "vimeo")
# A tag as the plugin finds one (`{%` to the next `%}`), here only an embed's: its name, then
# the id (width and height may follow). Each match stops at the tag's first `%`: linear.
_TAG = re.compile(r"\{%\s*(youtube|vimeo)\s+([\w-]+)[^%]*%\}")
_PLUGIN = ("liquid_tags", "pelican.plugins.liquid_tags")


def embeds_on(data: dict[str, Any]) -> frozenset[str]:
    """The embeds of the liquid_tags plugin the site's settings turn on."""
    plugins = data.get("PLUGINS")
    listed = data.get("LIQUID_TAGS")
    listed = {str(tag) for tag in listed} if isinstance(listed, (list, tuple)) else set()
    if not isinstance(plugins, (list, tuple)):
        return frozenset(listed.intersection(_EMBEDS)) if plugins is None else frozenset()
    on: set[str] = set()
    for plugin in map(str, plugins):
        if plugin in _PLUGIN:
            on |= listed
        elif plugin.startswith("liquid_tags."):
            on.add(plugin.removeprefix("liquid_tags."))
    return frozenset(on.intersection(_EMBEDS))


def embeds_as_links(markdown: str, embeds: frozenset[str]) -> str:
    """markdown with each tag of the embeds turned on written as a link to its video."""
    def link(found: re.Match[str]) -> str:
        name, video = found.group(1), html.escape(found.group(2), quote=True)
        if name not in embeds:
            return found.group(0)
        url, label = EMBEDS[name]
        return f'<a href="{url.format(id=video)}">{label.format(id=video)}</a>'

    return _TAG.sub(link, markdown)
