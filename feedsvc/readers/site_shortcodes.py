"""Shortcodes a Hugo site defines (layouts/shortcodes/NAME.html, else its theme's), run when
their template is simple enough to run without Hugo: text, comments, and the actions

    {{ .Inner }}                     what the shortcode encloses, as written (HTML)
    {{ .Inner | markdownify }}       the same as Markdown (also `.Page.RenderString .Inner`)
    {{ .Get 0 }}, {{ .Get "name" }}  an argument, by position or name

with `{{-`/`-}}` trimming as Go templates trim. A template with any other action (if, range,
partial, variables) only Hugo can run: its shortcode is handled as one feedsvc does not know.
Templates are read only from inside the content folder (the site's root is the content
folder), at most MAX_TEMPLATE_BYTES each, and scanned once, forward.
"""

from __future__ import annotations

import html
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .hugo_config import lowered
from .site import Site

MAX_TEMPLATE_BYTES = 64 * 1024
_GET = re.compile(r'\.Get\s+(?:(\d+)|"([^"]*)"|`([^`]*)`)(?:\s*\|\s*(?:safeHTML|markdownify|htmlEscape))?')
_INNER_HTML = re.compile(r"\.Inner(?:\s*\|\s*safeHTML)?")
_INNER_MARKDOWN = re.compile(r"(?:\.Inner\s*\|\s*(?:markdownify|\.Page\.RenderString)|\.Page\.RenderString\s+\.Inner)"
                             r"(?:\s*\|\s*safeHTML)?")
_HUGO_CONFIG = re.compile(r"\$_hugo_config\s*:=\s*`[^`]*`")  # a note to Hugo, writes nothing


@dataclass(frozen=True)
class Template:
    """A simple shortcode template: ("text", html), ("get", name or position) or
    ("inner", "html" | "markdown") parts, in order."""

    parts: tuple[tuple[str, str], ...]

    @property
    def uses_inner(self) -> bool:
        return any(kind == "inner" for kind, _value in self.parts)

    def inner_mode(self) -> str:
        return next((value for kind, value in self.parts if kind == "inner"), "")

    def around(self, arguments: dict[str, str]) -> tuple[str, str]:
        """The HTML before and after the (first) inner part, with the arguments given."""
        written: list[str] = []
        before: str | None = None
        for kind, value in self.parts:
            if kind == "inner" and before is None:
                before, written = "".join(written), []
            elif kind == "text":
                written.append(value)
            elif kind == "get":
                written.append(html.escape(arguments.get(value, ""), quote=True))
        return (before, "".join(written)) if before is not None else ("".join(written), "")


def _action(source: str) -> tuple[str, str] | None:
    """One action's part, ("", "") for one that writes nothing, None for one not supported."""
    source = source.strip()
    if (source.startswith("/*") and source.endswith("*/")) or _HUGO_CONFIG.fullmatch(source):
        return "", ""
    if _INNER_HTML.fullmatch(source):
        return "inner", "html"
    if _INNER_MARKDOWN.fullmatch(source):
        return "inner", "markdown"
    if get := _GET.fullmatch(source):
        return "get", next(group for group in get.groups()[:3] if group is not None)
    return None


def parse(text: str) -> Template | None:
    """A template's parts, or None when it has an action this cannot run."""
    parts: list[tuple[str, str]] = []
    position, trim_next = 0, False
    while (start := text.find("{{", position)) >= 0:
        end = text.find("}}", start + 2)
        if end < 0:
            return None
        written = text[position:start]
        inner = text[start + 2:end]
        written = written.lstrip() if trim_next else written
        written = written.rstrip() if inner.startswith("-") else written
        trim_next = inner.endswith("-")
        action = _action(inner.removeprefix("-").removesuffix("-"))
        if action is None:
            return None
        parts += [("text", written)] + ([action] if action[0] else [])
        position = end + 2
    rest = text[position:]
    parts.append(("text", rest.lstrip() if trim_next else rest))
    return Template(tuple(part for part in parts if part != ("text", "")))


@lru_cache(maxsize=256)
def _read(path: str, size: int, mtime_ns: int) -> Template | None:
    with open(path, "rb") as handle:
        data = handle.read(MAX_TEMPLATE_BYTES + 1)
    if len(data) > MAX_TEMPLATE_BYTES:
        return None
    return parse(data.decode("utf-8", "replace"))


def _places(site: Site, name: str) -> list[Path]:
    themes = lowered(site.data).get("theme") or []
    themes = [themes] if isinstance(themes, str) else [str(theme) for theme in themes if isinstance(theme, str)]
    relative = f"layouts/shortcodes/{name}.html"
    return [site.root / relative] + [site.root / "themes" / theme / relative for theme in themes]


def find(site: Site, name: str) -> Template | None:
    """The site's own template for a shortcode, when it has one that is simple enough."""
    if site.kind != "hugo" or site.config_path.startswith("../") or "/" in name or name.startswith("."):
        return None  # its layouts would be outside the content folder
    top = os.path.realpath(site.content_dir)
    for place in _places(site, name):
        real = os.path.realpath(place)
        if not real.startswith(top + os.sep):
            continue
        try:
            stat = os.stat(real)
        except OSError:
            continue
        return _read(real, stat.st_size, stat.st_mtime_ns)
    return None
