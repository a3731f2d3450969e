"""Readers, one module per format, chosen by file extension.

Every reader takes the file's text and its path relative to the content folder and
returns a RawArticle with raw metadata, or raises ReadError with a reason a person can
act on. read_article decodes the bytes first and normalizes the metadata afterwards.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..encodings import decode, strip_illegal_xml, xml_safe
from ..errors import NotAnArticle, ReadError
from ..model import RawArticle
from .site import Site
from ..text import extension
from . import html, markdown, pelican, rst, templates, text
from .metadata import FIELDS, process_metadata

Reader = Callable[[str, str], RawArticle]

READERS: dict[str, Reader] = {
    ".txt": text.read,
    # Markdown under every name Pelican and Jekyll read it by.
    ".md": markdown.read,
    ".markdown": markdown.read,
    ".mkd": markdown.read,
    ".mkdn": markdown.read,
    ".mdown": markdown.read,
    ".mkdown": markdown.read,
    ".html": html.read,
    ".htm": html.read,
    ".rst": rst.read,  # Pelican's default format
}


def reader_for(path: str) -> Reader | None:
    """Return the reader for a file name, or None when the extension is not supported."""
    return READERS.get(extension(path))


def supported_reader(path: str) -> Reader:
    """Return the reader for a file name; an unsupported extension is NotAnArticle."""
    reader = reader_for(path)
    if reader is None:
        raise NotAnArticle(f"unsupported file type {extension(path) or '(no extension)'}")
    return reader


def _site_topics(raw: dict[str, Any], path: str, site: Site) -> dict[str, Any]:
    """In a site generator's site, topics are what that generator makes of the front matter."""
    if not site.kind:
        return raw
    topics = site.topics({str(key).lower(): value for key, value in raw.items()}, path)
    kept = {key: value for key, value in raw.items() if str(key).lower() not in FIELDS["topics"].sources}
    return {**kept, "topics": topics}


def read_article(path: str, data: bytes, site: Site | None = None) -> RawArticle:
    """Decode and read one file with the reader registered for its extension; site: the
    site generator's configuration, when the content folder is a site."""
    site = site or Site()
    reader = supported_reader(path)
    if not data.strip():
        raise NotAnArticle("empty file")
    value, warnings = decode(data, path)
    if not value.strip():
        raise NotAnArticle("empty file")
    token = templates.current_site.set(site)
    try:
        article = reader(value, path)
    finally:
        templates.current_site.reset(token)
    # Parsed values (YAML escapes, character references) can bring back what decode removed.
    title = " ".join(strip_illegal_xml(article.title).split())
    if not title:
        raise ReadError("no title: the title has no character that XML allows")
    raw = site.hugo_front_matter(article.metadata, path) if site.kind == "hugo" else article.metadata
    if site.kind == "pelican":
        raw = {**pelican.site_metadata(path, site), **raw}
        pelican.require_date(raw, site)
    raw = _site_topics(raw, path, site)
    metadata, metadata_warnings = process_metadata(xml_safe(raw))
    # A new RawArticle, not dataclasses.replace: that took a tenth of reading the metadata.
    return RawArticle(path=article.path, title=title, body_html=article.body_html, metadata=metadata,
                      warnings=(*warnings, *article.warnings, *metadata_warnings))
