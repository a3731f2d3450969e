"""Shortcodes a Hugo site defines (layouts/shortcodes/NAME.html, else its theme's), run when
their template keeps to what go_template.py runs: text, comments, arguments (`.Get`), the
page's front matter (`.Page.Params.name`), what the shortcode encloses (`.Inner`, as written or marked down), variables, if/with/else and
common functions, with `{{-`/`-}}` trimming as Go templates trim. A template with any other
action (range, block…) only Hugo can run, and so a use of it that reaches any other function
or field (partial, .Site…; one in a branch the use does not take is never reached): its
shortcode is then handled as one feedsvc does not know. Templates are read only from inside
the content folder (the site's root is the content folder), at most MAX_TEMPLATE_BYTES
each, and scanned once, forward.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import go_files, go_resources, go_template, go_urls
from .go_files import Code
from . import hugo_config
from .hugo_config import data_folder, mounted, theme_names
from .jekyll_data import cached_data
from .site import Site

MAX_TEMPLATE_BYTES = 64 * 1024


@dataclass(frozen=True)
class Template:
    """A shortcode template go_template.py can run."""

    tree: tuple[Any, ...]

    @property
    def uses_inner(self) -> bool:
        return bool(self.inner_mode())

    def inner_mode(self) -> str:
        """"markdown" when it marks down what the shortcode encloses, "html", or ""."""
        return go_template.inner_mode(list(self.tree))

    def around(self, arguments: dict[str, str], translations: Callable[[], dict[str, str]], ordinal: int = 0,
               site: Site | None = None, page_params: dict[str, Any] | None = None, page: str = "",
               parent: str | None = None) -> tuple[str, str, go_template.Inner | None] | None:
        """(the HTML before what the shortcode encloses, after it, how it is written: None
        when it is not) for these arguments, the page's translations (for `T`), the site
        (its addresses, for relURL) and the page's front matter (.Page.Params); None when
        this use takes a way only Hugo can run. page: the page's file, for its resources; parent:
        the name of the shortcode this use is in (.Parent: nil when in none)."""
        functions = ({**go_urls.functions(site), **go_files.functions(site), **go_resources.functions(site, page)}
                     if site else None)
        values = (lambda: site_values(site)) if site else dict
        try:
            written = go_template.execute(list(self.tree), arguments, translations, ordinal, functions,
                                          page_params, values, {".Parent": parent and {"Name": parent}})
        except go_template.Unsupported:
            return None
        if any(isinstance(part, Code) for part in written):  # highlight of a file's text
            if site is None:
                return None
            written = [go_files.highlighted(part, site) if isinstance(part, Code) else part for part in written]
        inner = next((index for index, part in enumerate(written) if isinstance(part, go_template.Inner)), None)
        if inner is None:
            return "".join(written), "", None
        after = (part for part in written[inner + 1:] if not isinstance(part, go_template.Inner))
        return "".join(written[:inner]), "".join(after), written[inner]


def site_values(site: Site) -> dict[str, Any]:
    """.Site.Params and .Site.Data, read when a template first asks for them."""
    return {"params": hugo_config.lowered(site.data).get("params") or {},
            "data": cached_data(data_folder(site.root, site.data), site.fingerprint)}  # counted (hugo_sections)


def parse(text: str) -> Template | None:
    """A template's tree, or None when it has an action this cannot run."""
    parts = segments(text)
    if parts is None:
        return None
    try:
        return Template(tuple(go_template.build([part for part in parts if part != ("text", "")])))
    except go_template.Unsupported:
        return None


def segments(text: str) -> list[tuple[str, str]] | None:
    """A template's ("text", written) and ("action", inner) parts in order, its HTML comments
    left out and its text trimmed where an action's `{{-`/`-}}` trims it; None when an
    action is not closed."""
    parts: list[tuple[str, str]] = []
    text = go_template.strip_comments(text)
    position, trim_next = 0, False
    while (start := text.find("{{", position)) >= 0:
        end = go_template.action_end(text, start + 2)
        if end < 0:
            return None
        written = text[position:start]
        inner = text[start + 2:end]
        written = written.lstrip() if trim_next else written
        written = written.rstrip() if inner.startswith("-") else written
        trim_next = inner.endswith("-")
        parts += [("text", written), ("action", inner.removeprefix("-").removesuffix("-"))]
        position = end + 2
    rest = text[position:]
    parts.append(("text", rest.lstrip() if trim_next else rest))
    return parts


@lru_cache(maxsize=256)
def _read(path: str, size: int, mtime_ns: int) -> Template | None:
    text = template_text(path)
    return None if text is None else parse(text)


def template_text(path: str) -> str | None:
    """A layout file's text; None when it is over MAX_TEMPLATE_BYTES (raises OSError)."""
    with open(path, "rb") as handle:
        data = handle.read(MAX_TEMPLATE_BYTES + 1)
    return None if len(data) > MAX_TEMPLATE_BYTES else data.decode("utf-8", "replace")


def layout_places(site: Site, relative: str) -> list[Path]:
    """Where Hugo looks for a template (its path within a layouts folder), in order: the
    site's layouts folders (or what module.mounts mounts there), then its themes'."""
    folders = mounted(site.data, "layouts") or ["layouts"]
    own = [site.root / folder / relative for folder in folders]
    return own + [site.root / "themes" / theme / "layouts" / relative for theme in theme_names(site.data)]


def find(site: Site, name: str) -> Template | None:
    """The site's own template for a shortcode, when it has one that is simple enough."""
    if "/" in name or name.startswith("."):
        return None
    found = first_layout(site, f"shortcodes/{name}.html")
    return _read(*found) if found else None


def first_layout(site: Site, relative: str) -> tuple[str, int, int] | None:
    """The first of layout_places that is a file inside the content folder: its real path,
    size and modification time; None when there is none (or the site is not Hugo's)."""
    if site.kind != "hugo" or site.config_path.startswith("../"):
        return None  # its layouts would be outside the content folder
    top = os.path.realpath(site.content_dir)
    for place in layout_places(site, relative):
        real = os.path.realpath(place)
        if not real.startswith(top + os.sep):
            continue
        try:
            stat = os.stat(real)
        except OSError:
            continue
        return real, stat.st_size, stat.st_mtime_ns
    return None


def run_inline(name: str, line: int, body: str, site: Site, warnings: list[str],
               defined: dict[str, str]) -> str:
    """An inline shortcode (`{{< name.inline >}}...{{< /name.inline >}}`) at a line: Hugo runs
    its body as a template when the site sets enableInlineShortcodes, else writes nothing. A
    body without template actions is its own output; one with them cannot be run here.
    defined: what each inline shortcode of the page defined so far writes."""
    if hugo_config.lowered(site.data).get("enableinlineshortcodes") is not True:
        return ""
    if "{{" in body:
        warnings.append(f"line {line}: inline shortcode '{name}' is a Go template; left out")
        body = ""
    defined[name] = body
    return body
