"""Readers, one module per format, chosen by file extension.

Every reader takes the file's text and its path relative to the content folder and
returns a RawArticle with raw metadata, or raises ReadError with a reason a person can
act on. read_article decodes the bytes first and normalizes the metadata afterwards.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from ..encodings import decode, strip_illegal_xml, xml_safe
from ..errors import NotAnArticle, ReadError
from ..model import RawArticle
from .site import Site
from ..text import extension
from . import hugo_config, hugo_sections, jekyll_dates, pelican, pelican_just_table, pelican_typogrify
from .metadata import FIELDS, process_metadata

Reader = Callable[[str, str], RawArticle]

# The module of each extension's reader (its function `read`), imported when a file of it is
# first read: a process that reads no article (the web app, the scanning process) is spared
# 0.1 s of imports; the fork server imports them all once for its children (reading.PRELOAD).
READERS: dict[str, str] = {
    ".txt": "text",
    # Markdown under every name Pelican and Jekyll read it by.
    ".md": "markdown",
    ".markdown": "markdown",
    ".mkd": "markdown",
    ".mkdn": "markdown",
    ".mdown": "markdown",
    ".mkdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".rst": "rst",  # Pelican's default format
}
# What reading any article needs besides its reader.
READING_MODULES = [f"{__name__}.{name}" for name in sorted({*READERS.values(), "templates"})]


def is_readable(path: str) -> bool:
    """True when a file name's extension has a reader (without importing it)."""
    return extension(path) in READERS


def reader_for(path: str) -> Reader | None:
    """Return the reader for a file name, or None when the extension is not supported."""
    module = READERS.get(extension(path))
    return None if module is None else importlib.import_module(f"{__name__}.{module}").read


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


def read_article(path: str, data: bytes, site: Site | None = None, mtime: float | None = None) -> RawArticle:
    """Decode and read one file with the reader registered for its extension; site: the
    site generator's configuration, when the content folder is a site; mtime: the file's
    modification time (a Pelican site's DEFAULT_DATE = 'fs' dates a file by it)."""
    site = site or Site()
    reader = supported_reader(path)
    empty_ok = site.kind == "jekyll"  # Jekyll publishes an empty post, titled and dated by its name
    if not data.strip() and not empty_ok:
        raise NotAnArticle("empty file")
    value, warnings = decode(hugo_config.goldmark_line_ends(data) if site.kind == "hugo" else data, path)
    if not value.strip() and not empty_ok:
        raise NotAnArticle("empty file")
    from . import templates  # (see READERS)

    token = templates.current_site.set(site)
    try:
        article = reader(value, path)
    finally:
        templates.current_site.reset(token)
    # Parsed values (YAML escapes, character references) can bring back what decode removed.
    title = " ".join(strip_illegal_xml(article.title).split())
    if not title:
        raise ReadError("no title: the title has no character that XML allows")
    raw = hugo_sections.front_matter(site, article.metadata, path) if site.kind == "hugo" else article.metadata
    if site.kind == "jekyll":
        raw = _jekyll_fields(raw, path)
    body = article.body_html
    if site.kind == "pelican":
        markdown = READERS.get(extension(path)) == "markdown"  # its quotes written &quot; here, " by Pelican
        body = pelican_just_table.tables(body, site.data, markdown)  # a plugin's, run on the article as read
        body = pelican_typogrify.tex_quotes(body, site.data)
        raw = {**pelican.site_metadata(path, site), **pelican.without_empty_values(raw)}
        raw = pelican.known_status(raw)
        pelican.read_date(raw)
        pelican.require_date(raw, site, mtime)
    raw = _site_topics(raw, path, site)
    metadata, metadata_warnings = process_metadata(xml_safe(raw))
    # A new RawArticle, not dataclasses.replace: that took a tenth of reading the metadata.
    return RawArticle(path=article.path, title=title, body_html=body, metadata=metadata,
                      warnings=(*warnings, *article.warnings, *metadata_warnings))


def _jekyll_fields(raw: dict[str, Any], path: str) -> dict[str, Any]:
    """The front matter Jekyll reads a post's fields from. Its keys are case-sensitive: a
    `Date:` or `Category:` (a blog imported from WordPress) is a variable of the post's own,
    the post being dated by its file name and in no category. A post's id is its URL to
    Jekyll (and jekyll-feed): `id:` is data, often one a post's translations share
    (en/_posts/ and fr/_posts/), and each is published."""
    fields = {key: value for key, value in raw.items() if key != "id" and key == key.lower()}
    jekyll_dates.read_date(fields)
    if "date" not in fields and (rolled := jekyll_dates.rolled_file_date(path)):
        fields["date"] = rolled  # 2015-09-31-x.md: Ruby's Time makes it 1 October
    return fields
