"""Serialize entries to feed bytes. Knows neither Flask nor SQL; the only user of feedgen.

Determinism: every date comes from the entries (feedgen would stamp "now"), entries are
sorted before rendering and appended in order, so the same catalog gives the same bytes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from html import escape

from feedgen.feed import FeedGenerator

from . import __version__
from .model import Entry

ATOM_TYPE = "application/atom+xml; charset=utf-8"
RSS_TYPE = "application/rss+xml; charset=utf-8"
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
GENERATOR_URI = "https://pypi.org/project/feedsvc/"
# RSS 2.0 leaves open whether <title> may hold HTML; the RSS Advisory Board's profile asks
# for "&" and "<" in plain-text elements as hexadecimal character references.
RSS_PLAIN_TEXT = re.compile(rb"<(title|dc:creator|category)((?: [^>]*)?)>(.*?)</\1>", re.DOTALL)
RSS_TEXT_REFS = ((b"&amp;", b"&#x26;"), (b"&lt;", b"&#x3C;"), (b"&gt;", b"&#x3E;"))


@dataclass(frozen=True)
class FeedInfo:
    """Feed-level values; URLs are absolute and come from configuration only."""

    title: str
    subtitle: str
    self_url: str  # the exact URL the feed is fetched at
    site_url: str  # the HTML page the feed belongs to
    author: str
    language: str
    ttl_minutes: int
    fallback_updated: datetime = EPOCH  # used by an empty feed, never "now"
    stylesheet: str = ""  # URL of an XSLT stylesheet for browsers; empty: none


def sort_entries(entries: list[Entry]) -> list[Entry]:
    """Newest published first; ties broken by id."""
    by_id = sorted(entries, key=lambda entry: entry.id)
    return sorted(by_id, key=lambda entry: entry.published, reverse=True)


def feed_updated(entries: list[Entry], info: FeedInfo) -> datetime:
    return max((entry.updated for entry in entries), default=info.fallback_updated)


def entry_link(entry: Entry, base_url: str) -> str:
    return entry.link or f"{base_url}/articles/{entry.slug}"


def _generator(entries: list[Entry], info: FeedInfo, base_url: str) -> FeedGenerator:
    fg = FeedGenerator()
    fg.load_extension("dc", atom=False, rss=True)
    fg.id(info.self_url)
    fg.title(info.title)
    fg.subtitle(info.subtitle)
    fg.author({"name": info.author})
    fg.language(info.language)
    fg.generator("feedsvc", __version__, GENERATOR_URI)
    fg.updated(feed_updated(entries, info))
    fg.lastBuildDate(feed_updated(entries, info))
    fg.ttl(info.ttl_minutes)
    fg.link(href=info.self_url, rel="self")
    # Spec: RSS 2.0 channel <link> is the site; feedgen uses the last link added.
    fg.link(href=info.site_url, rel="alternate", type="text/html")
    for entry in sort_entries(entries):
        fe = fg.add_entry(order="append")
        fe.id(entry.id)
        fe.title(entry.title)
        fe.link(href=entry_link(entry, base_url))
        fe.published(entry.published)
        fe.updated(entry.updated)
        fe.pubDate(entry.published)
        fe.summary(entry.summary or entry.title)
        # Spec: RSS <description> is HTML; the plain-text summary is escaped into it.
        fe.description(escape(entry.summary or entry.title, quote=False))
        fe.content(entry.content_html, type="html")
        for name in entry.authors:
            fe.author({"name": name})
        # Spec: RSS <author> must be an e-mail address; names go in dc:creator.
        fe.dc.dc_creator(list(entry.authors) or [info.author])
        for topic in entry.topics:
            fe.category(term=topic.slug, label=topic.label)
    return fg


def atom(entries: list[Entry], info: FeedInfo, base_url: str) -> bytes:
    """Render an Atom 1.0 feed (RFC 4287)."""
    return with_stylesheet(_generator(entries, info, base_url).atom_str(pretty=True), info.stylesheet)


def rss(entries: list[Entry], info: FeedInfo, base_url: str) -> bytes:
    """Render an RSS 2.0 feed."""
    xml = _plain_text_refs(_generator(entries, info, base_url).rss_str(pretty=True))
    return with_stylesheet(xml, info.stylesheet)


def with_stylesheet(xml: bytes, href: str) -> bytes:
    """Reference an XSLT stylesheet right after the XML declaration, for people opening the feed."""
    if not href:
        return xml
    declaration, newline, rest = xml.partition(b"\n")
    if not declaration.startswith(b"<?xml "):
        raise ValueError("a feed must start with its XML declaration")
    # Spec: W3C "Associating Style Sheets with XML documents" 1.0: a prolog PI, XSLT by type.
    instruction = f'<?xml-stylesheet type="text/xsl" href="{escape(href)}"?>'.encode()
    return declaration + newline + instruction + b"\n" + rest


def _plain_text_refs(xml: bytes) -> bytes:
    def encode(match: re.Match[bytes]) -> bytes:
        text = match.group(3)
        for entity, reference in RSS_TEXT_REFS:
            text = text.replace(entity, reference)
        return b"<%s%s>%s</%s>" % (match.group(1), match.group(2), text, match.group(1))

    return RSS_PLAIN_TEXT.sub(encode, xml)
