"""Conditional requests and content negotiation, decided from header values alone.

Pure functions (no Flask, no clock of their own): the WSGI front and the Flask views answer
a cached document through them, and tests call them directly.
"""

from __future__ import annotations

from datetime import datetime

from werkzeug.datastructures import MIMEAccept
from werkzeug.http import http_date, parse_accept_header, parse_date, parse_etags


def not_modified(if_none_match: str | None, if_modified_since: str | None, etag: str,
                 last_modified: datetime, now: float) -> bool:
    """Spec: RFC 9110 §13.2.2: If-None-Match, when present, decides; else If-Modified-Since."""
    if if_none_match is not None:
        if if_none_match == etag:
            return True
        etags = parse_etags(if_none_match)  # lists, W/ forms (weak comparison) and *
        return etags.star_tag or etags.contains_weak(etag.strip('"'))
    since = parse_date(if_modified_since) if if_modified_since else None
    # Spec: RFC 9110 §13.1.3: a date later than the server's current time is ignored
    if since is None or since.timestamp() > now:
        return False
    return last_modified.replace(microsecond=0) <= since


def prefers_html(accept: str | None, feed_type: str) -> bool:
    """True when the Accept header ranks text/html above the feed's media type: a browser.

    Chromium displays application/atom+xml and application/rss+xml as plain text; as XML it
    applies the feed's XSL stylesheet. Feed readers ask for feed types (or anything).
    """
    if not accept:
        return False
    return parse_accept_header(accept, MIMEAccept).best_match([feed_type, "text/html"]) == "text/html"


def accepts_gzip(accept_encoding: str) -> bool:
    return "gzip" in accept_encoding and parse_accept_header(accept_encoding)["gzip"] > 0


def variant_etag(digest: str, *, preview: bool, xml_for_browser: bool, gzipped: bool) -> str:
    """The strong ETag of one variant of a document: each variant (identity or gzip, the feed
    type or the browser's XML) has its own, and a preview's never pass for the public's."""
    return (f'"{digest}{"-drafts" if preview else ""}{"-xml" if xml_for_browser else ""}'
            f'{"-gzip" if gzipped else ""}"')


def last_modified_header(last_modified: datetime, formatted: str, now: float) -> str:
    """Last-Modified (formatted: its HTTP date), never later than now: a clock set back
    after the document was made must not date it after the answer's Date."""
    return http_date(now) if last_modified.timestamp() > now else formatted
