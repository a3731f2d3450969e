"""Hugo's sections over their pages: a section's own page (a folder's _index.md, or
_index.<language>.md) may give `cascade` front matter, which each page below it (and the
section itself) takes for the keys it does not set, the nearest section's first (tags,
draft, `_build`, a date…); and a section Hugo does not publish (a draft, dated in the
future, expired: by its own front matter or what cascades to it) takes every page below it
along: its pages are then drafts, published from its date, or expire with it.

A cascade entry with `_target` (for some paths, kinds or languages) is not read (its
pages are handled as the section's others). The sections are read when the site is loaded,
once a scan: a walk of the content folders, the front matter of at most MAX_SECTIONS
_index files, each at most MAX_INDEX_BYTES, none outside the content folder; they are
part of the site's fingerprint, so a section changed makes the scan read every page again.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..dates import parse_datetime
from ..errors import ReadError
from .hugo_config import DATE_KEYS, Language, data_folder, language_of, lowered
from .hugo_terms import INDEX_TYPES, index_front_matter, term_titles
from .jekyll_data import data_stamp

HTML_FRONT_MATTER_LOOK = 1024  # bytes of an index.html looked at for how it opens (front matter, `<`, text)

if TYPE_CHECKING:
    from .site import Site

MAX_SECTIONS = 10_000
MAX_CASE_SPELLINGS = 16  # paths spelled alike but for case, followed at most
MAX_FOLDERS = 200_000  # walked, in all
DRAFT, START, EXPIRY = "draft", "publishdate", "expirydate"
EXPIRY_KEYS = ("expirydate", "unpublishdate")


@dataclass(frozen=True)
class Section:
    front: dict[str, Any]  # its own front matter, keys lowercased
    cascade: dict[str, Any]  # what it gives the pages below it, keys lowercased


# (language code, folder relative to the content folder, "" for its top) -> its section page
Sections = dict[tuple[str, str], Section]


def _cascade(value: Any) -> dict[str, Any]:
    entries = value if isinstance(value, list) else [value]
    given: dict[str, Any] = {}
    for entry in (lowered(item) for item in entries if isinstance(item, dict)):
        if "_target" not in entry:
            given.update(entry)
    return given


def read_sections(content_dir: Path, prefixes: tuple[str, ...], languages: tuple[Language, ...]) -> Sections:
    """Every section page of the site's content folders that cascades or may hide its pages."""
    sections: Sections = {}
    top = os.path.realpath(content_dir)
    read = walked = 0
    for prefix in sorted(set(prefixes)):
        for folder, names, files in os.walk(os.path.join(content_dir, prefix)):
            walked += 1
            names.sort()
            if walked > MAX_FOLDERS:
                return sections
            for name in sorted(files):
                if not (name.startswith("_index.") and name.lower().endswith(INDEX_TYPES)):
                    continue
                read += 1
                if read > MAX_SECTIONS:
                    return sections
                relative = os.path.relpath(folder, content_dir).replace(os.sep, "/").removeprefix(".")
                front = lowered(index_front_matter(os.path.join(folder, name), top))
                kept = {key: value for key, value in front.items()
                        if key in (DRAFT, *DATE_KEYS["date"], *DATE_KEYS["publishdate"], *EXPIRY_KEYS)}
                cascade = _cascade(front.get("cascade"))
                if kept or cascade:
                    language = language_of(f"{relative}/{name}".lstrip("/"), languages)
                    sections[(language.code, relative)] = Section(kept, cascade)
    return sections


def with_pages(site: Site) -> Site:
    """A Hugo site with what its list pages say of its pages: term titles (hugo_terms.py)
    and sections, both counted in its fingerprint, as are its data files (which its
    shortcodes may read: site_shortcodes.site_values)."""
    titles = term_titles(site.content_dir, site.content_prefix, site.languages)
    sections = read_sections(site.content_dir, site.content_prefixes, site.languages)
    data = data_stamp(data_folder(site.root, site.data))
    if not titles and not sections and not data:
        return site
    given = sorted([*key, repr(sorted(section.front.items())), repr(sorted(section.cascade.items()))]
                   for key, section in sections.items())
    mixed = json.dumps([site.fingerprint, sorted(titles.items()), given, data], default=str)
    return replace(site, term_titles=titles, sections=sections,
                   fingerprint=hashlib.sha256(mixed.encode()).hexdigest()[:16])


def _moment(value: Any) -> datetime | None:
    try:
        found = parse_datetime(value)
    except ReadError:
        return None
    return None if found is None else found if found.tzinfo else found.replace(tzinfo=UTC)


def _first(front: dict[str, Any], keys: tuple[str, ...]) -> Any:
    return next((front[key] for key in keys if front.get(key) not in (None, "")), None)


def bundled(content: Path, parts: list[str], index_types: tuple[str, ...]) -> str | None:
    """Why a file (its path's parts below the content folder) is no page of its own to Hugo
    0.111 for a leaf bundle, or None: a folder it is in has an index page (all a leaf
    bundle's folder holds, in its subfolders too, is the page's resources; an index page's
    own folder is its bundle, not one it is in), or a leaf bundle of its name is beside it
    (`posts/x/index.md` is the page `posts/x`, which `posts/x.md` names too: the bundle is
    published; a branch bundle, `posts/x/_index.md`, leaves the file a page)."""
    folder = content
    for name in parts[:-1] if not parts[-1].startswith("index.") else parts[:-2]:
        folder /= name
        if _has_index_page(folder, index_types, content):
            return "a resource of a Hugo page bundle (a folder it is in has an index page)"
    stem = parts[-1].rpartition(".")[0]
    if (stem and not parts[-1].startswith(("index.", "_index.")) and (folder / stem).is_dir()
            and _has_index_page(folder / stem, index_types, content)):  # one look for a folder: it rarely is
        return f"a Hugo page that the leaf bundle {stem}/ beside it replaces"
    return None


def _has_index_page(folder: Path, index_types: tuple[str, ...], content: Path) -> bool:
    return any(_is_index_page(folder / f"index.{ext}", content) for ext in index_types)


def shadowed_by_case(content: Path, parts: list[str]) -> bool:
    """Whether another file's path below the content folder differs from this one's (its
    parts) only in case and comes after it in Hugo's walk (names in byte order, folder by
    folder): Hugo 0.111 keys its pages by their lowercased paths, and of such files only the
    last makes a page (`2013-06-13-Linux-dev.md` beside a renamed `2013-06-13-linux-dev.md`)."""
    folder = str(content)
    for part in parts:  # the common case: no name on the way has a twin, one listing each
        if len(_names(folder).get(part.lower(), ())) > 1:
            break
        folder = os.path.join(folder, part)
    else:
        return False
    spellings: list[tuple[str, ...]] = [()]
    for part in parts:
        spellings = [(*spelling, name) for spelling in spellings
                     for name in _names(os.path.join(content, *spelling)).get(part.lower(), ())
                     ][-MAX_CASE_SPELLINGS:]  # the last in byte order: max() is asked for
    return bool(spellings) and max(spellings) != tuple(parts)


def _names(folder: str) -> dict[str, tuple[str, ...]]:
    """A folder's names by their lowercased form; {} when it cannot be listed."""
    try:
        return _listed(folder, os.stat(folder).st_mtime_ns)
    except OSError:
        return {}


@lru_cache(maxsize=64)
def _listed(folder: str, _changed: int) -> dict[str, tuple[str, ...]]:
    """The names in a folder as it was when last changed (its mtime: a name added or
    removed changes it), by lowercased form."""
    names: dict[str, tuple[str, ...]] = {}
    for name in sorted(os.listdir(folder)):
        names[name.lower()] = (*names.get(name.lower(), ()), name)
    return names


def _is_index_page(path: Path, content: Path) -> bool:
    """Whether a bundle's index file is a page. An HTML one without front matter is no page
    to Hugo 0.111 when it is blank or opens with `<` (it is copied as it is: a docs folder's
    index.html that only redirects makes no bundle of the pages beside it); one opening with
    text is a page, and its folder a leaf bundle whose other pages are its resources."""
    if not path.is_file():
        return False
    if path.suffix.lower() not in (".html", ".htm"):
        return True
    if not os.path.realpath(path).startswith(os.path.realpath(content) + os.sep):
        return False  # a link out of the content folder: nothing there is read (resolved only here: rare)
    try:
        with open(path, "rb") as handle:
            start = handle.read(HTML_FRONT_MATTER_LOOK).decode("utf-8", "replace").lstrip("\ufeff \t\r\n")
    except OSError:
        return False
    return bool(start) and not start.startswith("<")


def _chain(sections: Sections, code: str, path: str) -> list[Section]:
    """The sections above a page (relative to the content folder), the top one first; a
    bundle's own folder is the page's, not a section."""
    folders = path.split("/")[:-1]
    if path.rpartition("/")[2].startswith("index."):
        folders = folders[:-1]
    found = [sections.get((code, "/".join(folders[:depth]))) for depth in range(len(folders) + 1)]
    return [section for section in found if section is not None]


def cascaded(sections: Sections, code: str, raw: dict[str, Any], path: str
             ) -> tuple[dict[str, Any], dict[str, Any]]:
    """(the page's front matter with what its sections cascade to it, what the sections
    above it impose: draft, the latest start and the earliest expiry of those Hugo does not
    publish before or after then)."""
    given: dict[str, Any] = {}
    imposed: dict[str, Any] = {}
    for section in _chain(sections, code, path):
        given = {**given, **section.cascade}
        own = {**given, **section.front}
        if own.get(DRAFT) is True:
            imposed[DRAFT] = True
        start = _moment(_first(own, DATE_KEYS["publishdate"]) or _first(own, DATE_KEYS["date"]))
        if start and (START not in imposed or start > imposed[START]):
            imposed[START] = start
        expiry = _moment(_first(own, EXPIRY_KEYS))
        if expiry and (EXPIRY not in imposed or expiry < imposed[EXPIRY]):
            imposed[EXPIRY] = expiry
    keys = {str(key).lower() for key in raw}
    return {**raw, **{key: value for key, value in given.items() if key not in keys}}, imposed


def impose(raw: dict[str, Any], imposed: dict[str, Any]) -> dict[str, Any]:
    """A page's front matter (its date already Hugo's) held by its sections: a draft in a
    draft section, published no earlier than they are, expiring no later."""
    keys = {str(key).lower(): key for key in raw}
    held = dict(raw)
    if imposed.get(DRAFT):
        held = {key: value for key, value in held.items() if str(key).lower() != DRAFT} | {DRAFT: True}
    for key, later, aliases in ((START, True, DATE_KEYS["publishdate"]), (EXPIRY, False, EXPIRY_KEYS)):
        if key not in imposed:
            continue
        own_key = next((keys[alias] for alias in aliases if alias in keys and raw[keys[alias]] not in (None, "")), None)
        own = _moment(raw[own_key]) if own_key is not None else None
        if key == START and own is None:
            own = _moment(raw.get("date"))  # a page is published from its date (none: left as it is)
            if own is None:
                continue
        if own is None or (imposed[key] > own) == later:
            held = {name: value for name, value in held.items() if str(name).lower() not in aliases}
            held[key] = imposed[key]
    return held


def front_matter(site: Site, raw: dict[str, Any], path: str) -> dict[str, Any]:
    """A Hugo page's front matter as Hugo reads it: with what its sections cascade, the
    site's date keys and draft settings applied (Site.hugo_front_matter), held by its sections."""
    if not site.sections:
        return site.hugo_front_matter(raw, path)
    language = site.language(path)
    given, imposed = cascaded(site.sections, language.code if language else "", raw, path)
    return impose(site.hugo_front_matter(given, path), imposed)
