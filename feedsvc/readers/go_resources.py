"""A page bundle's resources as a site's shortcode templates read them:
`.Page.Resources.GetMatch "*name*"`, `.Page.Resources.Get "file.png"`, `.Page.Resources.Match`
and `.Page.Resources.ByType "image"`, then an image's processing (`.Resize "600x webp"`, `.Fit`,
`.Fill`, `.Crop`, `.Filter`, `.Process`) and its fields (.RelPermalink, .Permalink, .Name,
.Title, .Width, .Height, .ResourceType, .MediaType).

A page's resources are the files beside its index.md (a leaf bundle: in its subfolders too) or
its _index.md (a branch bundle: that folder only), the page's own file aside, named by their
path in the bundle; a page in neither has none. Hugo matches a name against a glob pattern
whatever its case, `*` within one folder of the path, `**` across them; `?` is one character.
What a shortcode writes of an image shows in a page's text only through its caption and the
like: the processed image is the same resource here (its address and size are attributes,
which show nothing), and a size is 0. At most MAX_RESOURCES files of a bundle are looked at,
names of at most MAX_NAME characters, and a pattern of at most MAX_PATTERN characters is
matched (a longer one is Hugo's to match).
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Callable
from functools import lru_cache
from typing import Any

import re2

from .go_functions import Unsupported, as_text
from .patterns import compile_site_pattern
from .site import Site

MAX_RESOURCES = 200
MAX_NAME = 255
MAX_PATTERN = 256
PROCESSING = frozenset({"Resize", "Fit", "Fill", "Crop", "Filter", "Process"})
_TYPES = {"image": (".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp", ".tif", ".tiff", ".svg", ".avif")}
_CONTENT_SUFFIXES = (".md", ".markdown", ".html", ".htm", ".org", ".adoc", ".pandoc", ".rst")


class Resource(dict[str, Any]):
    """A file of a page bundle, its fields as a template reads them."""


def _resource(name: str, base: str) -> Resource:
    suffix = posixpath.splitext(name)[1].lower()
    kind = "image" if suffix in _TYPES["image"] else "page" if suffix in _CONTENT_SUFFIXES else "application"
    address = base + name
    return Resource(Name=name, Title=name, RelPermalink=address, Permalink=address, ResourceType=kind,
                    MediaType=kind + "/" + suffix.lstrip("."), Width=0, Height=0, Key=address)


def bundle_files(folder: str, leaf: bool, own: str) -> list[str]:
    """The names of a bundle's files (by their path in it, `/` between folders), sorted."""
    names: list[str] = []
    for top, folders, files in os.walk(folder):
        folders.sort()
        if not leaf:
            folders.clear()
        relative = os.path.relpath(top, folder).replace(os.sep, "/")
        names += [name if relative == "." else f"{relative}/{name}" for name in files]
        if len(names) > MAX_RESOURCES:
            raise Unsupported("a bundle of too many files")
    return sorted(name for name in names if name != own and len(name) <= MAX_NAME)


def matches(pattern: str, name: str) -> bool:
    """Whether a name matches a glob pattern as Hugo matches resources: case aside, `*` within
    a folder, `**` across folders, `?` one character; matched by RE2 (linear in the name)."""
    if not pattern:
        return not name
    return _glob(pattern.lower()).fullmatch(name.lower()) is not None


@lru_cache(maxsize=64)
def _glob(pattern: str) -> Any:
    pieces, position = [], 0
    if len(pattern) > MAX_PATTERN:
        raise Unsupported("a glob too long")
    while position < len(pattern):
        if pattern.startswith("**", position):
            pieces.append(".*")
            position += 2
            continue
        char = pattern[position]
        pieces.append("[^/]*" if char == "*" else "[^/]" if char == "?" else re2.escape(char))
        position += 1
    found, reason = compile_site_pattern("".join(pieces), MAX_PATTERN * 8)
    if found is None:
        raise Unsupported(f"glob {pattern!r}: {reason}")
    return found


def functions(site: Site, page: str) -> dict[str, Callable[..., Any]]:
    """.Page.Resources' ways of finding the page's (path: its file in the content folder)."""
    own = posixpath.basename(page)
    stem = posixpath.splitext(own)[0]
    listed: list[Resource] | None = None

    def resources() -> list[Resource]:
        nonlocal listed
        if listed is None:
            folder = os.path.join(site.content_dir, posixpath.dirname(page))
            in_bundle = stem in ("index", "_index") and os.path.isdir(folder)
            names = bundle_files(folder, stem == "index", own) if in_bundle else []
            base = "/" + posixpath.dirname(page).strip("/") + "/"
            listed = [_resource(name, base) for name in names
                      if not (stem == "_index" and name.startswith(("index.", "_index.")))]
        return listed

    def get_match(pattern: Any) -> Resource | None:
        return next((found for found in resources() if matches(as_text(pattern), found["Name"])), None)

    def get(name: Any) -> Resource | None:
        return next((found for found in resources() if found["Name"].lower() == as_text(name).lower()), None)

    return {".Page.Resources.GetMatch": get_match, ".Page.Resources.Get": get,
            ".Page.Resources.Match": lambda pattern: [found for found in resources()
                                                      if matches(as_text(pattern), found["Name"])],
            ".Page.Resources.ByType": lambda kind: [found for found in resources()
                                                    if found["ResourceType"] == as_text(kind)]}


def method(head: str, variables: dict[str, Any], dot: Any) -> Callable[..., Any] | None:
    """An image's processing called on a variable (`$img.Resize "…"`) or on dot (`.Fill "…"`):
    the image itself, as what it writes shows; None when the head is none of these."""
    owner, _dot, name = head.rpartition(".")
    if name not in PROCESSING:
        return None
    value = dot if owner == "" else variables.get(owner, None)
    if not isinstance(value, Resource):
        return None
    return lambda *options: value
