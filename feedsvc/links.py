"""Where an article's links and media references lead: the one home of link resolution.

The sanitizer calls `ArticleLinks.resolve` for every `href` and `src`; normalization calls
`ArticleLinks.media_file` for metadata that names a file (cover images, enclosures); every
URL either gives passes the checks of urls.py (http, https or mailto only). Links
resolve the way the site generators the files come from resolve them:

- a relative path resolves against the article's own folder in the content folder, as the
  folder itself would be published (Hugo page bundles: `images/a.jpg` beside `index.md`);
- a site-root path (`/assets/x.png`) is a content file when its first folder is in the
  content folder (Jekyll's `assets/`);
- Pelican's `{static}`, `{attach}` and `{filename}` name a content file relative to the
  article's folder, or to the content folder when the rest starts with `/`.

A path that names a media file becomes its /media/ URL; one that names an existing article
file becomes that article's page. Anything else resolves against the article's URL, as a
browser would. Nothing here reads a file outside the content folder: paths that climb out
(`../../etc/passwd`) are refused with a warning.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit, urlunsplit

from .errors import MediaError, with_value
from .media import (
    MEDIA_PREFIX,
    Dependency,
    MediaFile,
    clean_path,
    find_media,
    media_type,
    media_url,
    stat_as_walked,
)
from .model import Entry
from .readers import is_readable
from .text import extension
from .urls import as_browsers_read, page_url, safe_url, scheme_of

# A link or image URL in sanitized HTML, whose attribute values are always in double quotes.
URL_ATTRIBUTE = re.compile(r'(?:src|href)="([^"]*)"')
PELICAN_MARKERS = ("{static}", "{attach}", "{filename}")
MAX_WARNINGS = 20  # link problems listed per article; an article may hold thousands of links
# The Markdown renderer percent-encodes the braces of link destinations.
MARKERS_AS_MARKDOWN_GIVES_THEM = {marker: quote(marker) for marker in PELICAN_MARKERS}


def linked_media(entry: Entry, site_url: str) -> list[tuple[str, str]]:
    """(role, URL) of the media files of this site an entry shows or carries: its cover
    image, its attachments, and every media file its content links to, in that order."""
    urls = [("image", entry.image)] if entry.image else []
    urls += [("enclosure", attachment.url) for attachment in entry.attachments]
    urls += [("linked", match.group(1)) for match in URL_ATTRIBUTE.finditer(entry.content_html)]
    prefix = site_url + MEDIA_PREFIX
    return [(role, url) for role, url in dict.fromkeys(urls) if role != "linked" or url.startswith(prefix)]


def media_dependencies(entry: Entry, content_dir: Path, site_url: str) -> tuple[Dependency, ...]:
    """The media files of the content folder an entry was made from, each with its stat:
    when one changes, the article is read again (an enclosure's length, say)."""
    prefix = site_url + MEDIA_PREFIX
    if not entry.image and not entry.attachments and prefix not in entry.content_html:
        return ()  # most articles: no regex over their HTML
    paths = dict.fromkeys(unquote(urlsplit(url.removeprefix(prefix)).path)
                          for _role, url in linked_media(entry, site_url) if url.startswith(prefix))
    return tuple((path, *stat_as_walked(content_dir, path)) for path in sorted(paths))


@dataclass
class ArticleLinks:
    """How one article's links resolve; collects what they refer to and what is wrong."""

    page_url: str  # what other relative links resolve against: the article's URL
    site_url: str = ""  # the base URL media and article pages are served under
    content_dir: Path | None = None  # None: only page_url applies (no content folder)
    article_path: str = ""  # content-relative path of the article file
    max_media_size: int = 0
    article_url: Callable[[str], str] = str  # page URL of an article file's path
    warnings: list[str] = field(default_factory=list)
    media: dict[str, MediaFile | None] = field(default_factory=dict)  # paths linked, found or not

    def resolve(self, value: str) -> str | None:
        """The absolute URL an href or src leads to; None: leave the attribute out (it is not,
        or does not become, http, https or mailto: urls.safe_url checks every result)."""
        url = as_browsers_read(value)
        if self.content_dir is not None and not scheme_of(url):
            target = self._content_target(url)
            if target is not None:
                return safe_url(target, self.page_url) if target else None
        return safe_url(url, self.page_url)

    def _content_target(self, value: str) -> str | None:
        """The URL of the content file a link names; '' for a Pelican link to nothing we
        publish; None when the link names no content file (it resolves as written)."""
        for marker in PELICAN_MARKERS:
            for spelling in (marker, MARKERS_AS_MARKDOWN_GIVES_THEM[marker]):
                if value.startswith(spelling):
                    return self._pelican(marker, value[len(spelling):])
        parts = urlsplit(value)
        if parts.scheme or parts.netloc or not parts.path:
            return None
        path = unquote(parts.path)
        if path.startswith("/"):
            rel = self._site_root_path(path)
        else:
            rel = self._clean(self._beside(path))
        target = self._target(rel, explicit=False) if rel else None
        return target and urlunsplit(urlsplit(target)._replace(query=parts.query, fragment=parts.fragment))

    def _pelican(self, marker: str, rest: str) -> str:
        parts = urlsplit(rest)
        path = unquote(parts.path)
        rel = self._clean(path if path.startswith("/") else self._beside(path))
        target = self._target(rel, explicit=True) if rel else None
        if target is None:
            self.warn(with_value("link: not a media file or article; left out", marker + path, 80))
            return ""
        return urlunsplit(urlsplit(target)._replace(query=parts.query, fragment=parts.fragment))

    def warn(self, message: str) -> None:
        """Note a problem, up to MAX_WARNINGS of them."""
        if len(self.warnings) < MAX_WARNINGS:
            self.warnings.append(message)
        elif len(self.warnings) == MAX_WARNINGS:
            self.warnings.append(f"more link problems than the {MAX_WARNINGS} listed")

    def _beside(self, path: str) -> str:
        """A path relative to the article's folder, relative to the content folder."""
        folder = self.article_path.rpartition("/")[0]
        return f"{folder}/{path}" if folder else path

    def _clean(self, path: str, key: str = "link") -> str | None:
        try:
            return clean_path(path)
        except MediaError as exc:
            self.warn(with_value(f"{key}: {exc}", path, 80))
            return None

    def _site_root_path(self, path: str) -> str | None:
        """A site-root path that names a content file: its first folder (or the file itself)
        is in the content folder."""
        try:
            rel = clean_path(path)
        except MediaError:
            return None
        first = rel.split("/")[0]
        assert self.content_dir is not None
        found = (self.content_dir / first).is_dir() if "/" in rel else self._is_file(rel)
        return rel if found else None

    def _target(self, rel: str, explicit: bool) -> str | None:
        if media_type(rel):
            self._note(rel)
            return media_url(self.site_url, rel)
        exists = self._is_file(rel)
        if is_readable(rel) and (explicit or exists):
            return self.article_url(rel)
        if exists:
            self.warn(f"link {rel[:80]}: files of type {extension(rel) or '(none)'} are not published")
        return None

    def _is_file(self, rel: str) -> bool:
        """Whether a file is there: only a page URL or a warning depends on it, nothing of the
        file is read (media files are found by find_media, with the folder's confinement)."""
        assert self.content_dir is not None
        return os.path.isfile(os.path.join(self.content_dir, rel))

    def _note(self, rel: str) -> MediaFile | None:
        """Find a media file linked to, once; warn when it is not published."""
        if rel not in self.media:
            assert self.content_dir is not None
            try:
                self.media[rel] = find_media(self.content_dir, rel, self.max_media_size)
            except MediaError as exc:
                self.media[rel] = None
                self.warn(f"media {rel[:80]}: {exc}")
        return self.media[rel]

    def media_file(self, key: str, reference: str) -> tuple[str, MediaFile | None] | None:
        """A file named in metadata (key: what names it): an absolute http(s) URL as it is, or
        a content file (paths as links have them) with its /media/ URL; None with a warning
        when it is neither."""
        reference = as_browsers_read(reference)
        parts = urlsplit(reference)
        if scheme_of(reference) or parts.netloc:
            url = page_url(reference)
            if url is None:
                self.warn(with_value(f"{key}: not an http(s) URL or a file; ignored", reference, 80))
                return None
            return url, None
        if self.content_dir is None:
            return None
        for marker in PELICAN_MARKERS:
            reference = reference.removeprefix(marker)
        path = unquote(urlsplit(reference).path)
        rel = self._clean(path if path.startswith("/") else self._beside(path), key)
        found = self._note(rel) if rel else None  # each names what is wrong
        url = safe_url(media_url(self.site_url, found.path), self.page_url) if found else None
        return (url, found) if url else None
