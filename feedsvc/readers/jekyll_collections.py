"""Jekyll's collections as its posts' Liquid sees them: `site.<name>` for each collection of
the configuration's `collections:` (a mapping or a list of names; `posts` is the posts'
own and left out), the documents of its `_<name>/` folder (under `collections_dir`), each
its front matter with `relative_path`, `path`, `collection`, `slug`, `url` and `content`
(its text as written). A file without front matter is a static file to Jekyll, no document. The
documents are in path order, as Jekyll sorts those that have no date of their own.

Bounded: MAX_DOCUMENTS documents in all, of at most MAX_DOCUMENT_BYTES each (a larger one is
left out) and MAX_TOTAL_BYTES together. The files' stamp (names, sizes, modification times) counts in the site's
fingerprint, as the data files' do: a document edited makes the scan read the posts again.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import ReadError
from .config_files import files_stamp, folder_files
from .front_matter import has_front_matter, split
from .jekyll_urls import NO_PERMALINKS, Permalinks, document_url

MAX_DOCUMENTS = 2000
MAX_DOCUMENT_BYTES = 256 * 1024
MAX_TOTAL_BYTES = 16 * 1024 * 1024  # of the documents read: past it, the rest are left out
MAX_COLLECTIONS = 50
_SPECIAL = (".", "_", "#", "~")
TYPES = (".md", ".markdown", ".mkd", ".mkdn", ".html", ".htm", ".txt", ".yml", ".yaml", ".json")


def collection_names(config: dict[str, Any]) -> list[str]:
    """The names of the site's collections but `posts` (at most MAX_COLLECTIONS)."""
    found = config.get("collections")
    names = list(found) if isinstance(found, (dict, list)) else []
    return [str(name) for name in names if isinstance(name, (str, int)) and str(name) != "posts"][:MAX_COLLECTIONS]


def collections_folder(config: dict[str, Any]) -> str:
    """The folder the collections' folders are in, relative to the site ("" for the site's own)."""
    return str(config.get("collections_dir") or "").strip("/")


def load_collections(root: Path, names: tuple[str, ...], base: str,
                     permalinks: Permalinks = NO_PERMALINKS) -> dict[str, list[dict[str, Any]]]:
    """`site.<name>` of each collection named: its documents (see above), its folder in base,
    each with its `url` (jekyll_urls.document_url; permalinks: site_permalinks)."""
    loaded: dict[str, list[dict[str, Any]]] = {}
    left = MAX_TOTAL_BYTES
    for name, relative, path in _documents(root, names, base):
        document = _read(Path(path), name, relative, left)
        if document is not None:
            folder = os.path.join(base, "_" + name) if base else "_" + name
            document["url"] = document_url(document, folder.replace(os.sep, "/"), permalinks)
            loaded.setdefault(name, []).append(document)
            left -= len(document["content"])
    return {name: sorted(loaded.get(name, []), key=lambda document: document["relative_path"])
            for name in names}


def collections_stamp(root: Path, config: dict[str, Any]) -> str:
    """What changes when a document load_collections reads does ("" when there are none)."""
    found = _documents(root, tuple(collection_names(config)), collections_folder(config))
    return files_stamp(((name, relative), path) for name, relative, path in found)


def _documents(root: Path, names: tuple[str, ...], base: str) -> Iterator[tuple[str, str, str]]:
    """(collection, path relative to the site, real path) of each file that may be a
    document, in path order, at most MAX_DOCUMENTS in all."""
    if base.startswith(".") or os.sep + "." in os.sep + base:
        return  # a folder above the site's, or hidden: none
    left = MAX_DOCUMENTS
    for name in names:
        folder = os.path.join(base, "_" + name) if base else "_" + name
        for relative, file_name, path in folder_files(root / folder, left, inside=str(root.resolve()),
                                                        suffixes=TYPES):
            left -= 1
            if file_name.startswith(_SPECIAL) or file_name.endswith("~"):
                continue  # left out by Jekyll, as its other files of those names
            yield name, os.path.normpath(os.path.join(folder, relative, file_name)).replace(os.sep, "/"), path
        if left <= 0:
            return


def _read(path: Path, name: str, relative: str, left: int) -> dict[str, Any] | None:
    try:
        if path.stat().st_size > min(MAX_DOCUMENT_BYTES, left):
            return None
        text = path.read_text(encoding="utf-8-sig")
        if not has_front_matter(text):
            return None
        metadata, body, _kind = split(text, headers=False, jekyll=True)
    except (OSError, UnicodeDecodeError, ValueError, ReadError):
        return None
    stem = os.path.splitext(os.path.basename(relative))[0]
    return {**metadata, "relative_path": relative, "path": relative, "collection": name,
            "slug": metadata.get("slug") or stem, "content": body}
