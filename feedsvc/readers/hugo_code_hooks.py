"""Hugo's code block render hooks: layouts/_default/_markup/render-codeblock-LANG.html (else
render-codeblock.html, else a theme's). Hugo writes each fenced code block in that language
through the hook instead of highlighting it; a mermaid hook, the common one, writes the
diagram's source in a `<div class="mermaid">` for a script to draw, `<br/>` in a label as a
tag. An indented block is never hooked.

feedsvc runs a hook whose actions are among these, and leaves the block as it writes it
(highlighted, numbered) when one is not:
- `.Inner` (the block's code, without its last line end) and `.Type` (its language), each
  through `safeHTML` (written as it is), `htmlEscape`, `chomp` or `string`; written
  escaped unless safeHTML came last, as html/template does;
- `.Page.Scratch.Set`/`.Add` and `.Page.Store.Set`/`.Add`, which write nothing; comments.
The hooks are looked for once per site configuration (by its fingerprint), each read at
most MAX_TEMPLATE_BYTES, only from inside the content folder (site_shortcodes.first_layout).
"""

from __future__ import annotations

import html
import os
import re
from dataclasses import dataclass

from .highlight import fenced_blocks
from .site import Site
from .site_shortcodes import first_layout, layout_places, segments, template_text

HOOKS_FOLDER = "_default/_markup"
_HOOK_NAME = re.compile(r"render-codeblock(?:-([^./]+))?\.html")
# An action writing the code or the language: `.Inner | safeHTML`, `htmlEscape .Inner | safeHTML`
_VALUE = re.compile(r"\s*+(?:(htmlEscape)\s++)?(\.Inner|\.Type)\s*+((?:\|\s*+[\w.]++\s*+)*+)")
_FUNCTIONS = frozenset(("safeHTML", "htmlEscape", "chomp", "string"))
_SETTER = re.compile(r"\s*+\.Page\.(?:Scratch|Store)\.(?:Set|Add)\s[^\n]*+")
_KNOWN: dict[tuple[str, str], dict[str, Hook | None]] = {}  # (site root, fingerprint) -> hook by language
MAX_KNOWN = 64
GENERIC = ""  # the language key of render-codeblock.html
# What a hook writes is HTML Goldmark's renderer writes as it is: no typographer's « » for its
# `&lt;&lt;`, no links made of its addresses. Marked so that goldmark.finish leaves it alone
# (a raw region there, as a comment is) and takes the marks out.
HOOKED = ("\ue001", "\ue002")


@dataclass(frozen=True)
class Hook:
    """A hook's template as parts: ("text", written), ("value", ".Inner"/".Type", functions)."""

    parts: tuple[tuple[str, str, tuple[str, ...]], ...]

    def written(self, code: str, language: str) -> str:
        pieces = []
        for kind, field, functions in self.parts:
            pieces.append(field if kind == "text" else
                          _piped(code if field == ".Inner" else language, functions))
        return "".join(pieces)


def _piped(value: str, functions: tuple[str, ...]) -> str:
    safe = False
    for function in functions:
        if function == "htmlEscape":
            value = html.escape(value)
        elif function == "chomp":
            value = value.rstrip("\r\n")
        safe = function == "safeHTML"
    return value if safe else html.escape(value)


def parse(template: str) -> Hook | None:
    """A hook's template as a Hook; None when it holds an action feedsvc does not run."""
    parts: list[tuple[str, str, tuple[str, ...]]] = []
    for kind, text in segments(template) or [("action", "")]:
        if kind == "text" or _SETTER.fullmatch(text) or text.strip().startswith("/*"):
            parts.append(("text", text if kind == "text" else "", ()))
            continue
        found = _VALUE.fullmatch(text)
        if not found:
            return None
        functions = ((found.group(1),) if found.group(1) else ()) + tuple(
            name.strip() for name in found.group(3).split("|")[1:])
        if not set(functions) <= _FUNCTIONS:
            return None
        parts.append(("value", found.group(2), functions))
    return Hook(tuple(parts))


def hooked_languages(site: Site) -> dict[str, Hook | None]:
    """The site's code block hooks by language (GENERIC for render-codeblock.html), the ones
    feedsvc cannot run as None; empty for a site without any."""
    key = (str(site.root), site.fingerprint)
    if key not in _KNOWN:
        if len(_KNOWN) >= MAX_KNOWN:
            _KNOWN.clear()
        _KNOWN[key] = _read_hooks(site)
    return _KNOWN[key]


def _read_hooks(site: Site) -> dict[str, Hook | None]:
    if site.kind != "hugo":
        return {}
    hooks: dict[str, Hook | None] = {}
    for folder in layout_places(site, HOOKS_FOLDER):
        try:
            names = os.listdir(folder)
        except OSError:
            continue
        for name in names:
            found = _HOOK_NAME.fullmatch(name.lower())
            language = (found.group(1) or GENERIC) if found else None
            if language is not None and language not in hooks:
                hooks[language] = _hook(site, f"{HOOKS_FOLDER}/{name}")
    return hooks


def _hook(site: Site, relative: str) -> Hook | None:
    found = first_layout(site, relative)
    try:
        text = template_text(found[0]) if found else None
    except OSError:
        return None
    return None if text is None else parse(text)


def through_hooks(rendered: str, source: str, hooks: dict[str, Hook | None]) -> str:
    """cmark's HTML (rendered with source positions) with each fenced code block whose
    language has a hook (or any, with a generic one) written by it, between the HOOKED marks;
    a hook feedsvc cannot run leaves its blocks as they are."""
    pieces: list[str] = []
    position = 0
    for block in fenced_blocks(rendered, source):
        language = block.language.lower()
        hook = hooks[language] if language in hooks else hooks.get(GENERIC)
        if hook is None:
            continue
        code = html.unescape(rendered[block.code_start:block.end]).removesuffix("\n")
        pieces += [rendered[position:block.start], HOOKED[0], hook.written(code, block.language), HOOKED[1]]
        position = block.close
    pieces.append(rendered[position:])
    return "".join(pieces)
