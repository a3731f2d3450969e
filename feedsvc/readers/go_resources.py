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
which show nothing), and a size is 0. At most MAX_RESOURCES files of a bundle are looked at.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Callable
from typing import Any

from .go_functions import Unsupported, as_text
from .site import Site

MAX_RESOURCES = 1000
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
    return sorted(name for name in names if name != own)


def matches(pattern: str, name: str) -> bool:
    """Whether a name matches a glob pattern as Hugo matches resources: case aside, `*` within
    a folder, `**` across folders, `?` one character. Linear in the pattern times the name."""
    pattern, name = pattern.lower(), name.lower()
    # Positions of the pattern each prefix of the name can reach (a set of at most len(pattern) + 1)
    reached = _closure({0}, pattern)
    for char in name:
        after = set()
        for at in reached:
            if at < len(pattern) and pattern[at] == "*":
                if char != "/" or pattern.startswith("**", at) or at > 0 and pattern.startswith("**", at - 1):
                    after.add(at)
            elif at < len(pattern) and pattern[at] in ("?", char) and not (pattern[at] == "?" and char == "/"):
                after.add(at + 1)
        reached = _closure(after, pattern)
        if not reached:
            return False
    return len(pattern) in reached


def _closure(positions: set[int], pattern: str) -> set[int]:
    """The positions, with those past each star they reach (a star matches nothing too)."""
    found, waiting = set(positions), list(positions)
    while waiting:
        at = waiting.pop()
        if at < len(pattern) and pattern[at] == "*" and at + 1 not in found:
            found.add(at + 1)
            waiting.append(at + 1)
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
