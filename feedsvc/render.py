"""Serialize entries to feed bytes. Knows neither Flask nor SQL; with its feedgen extensions
(feed_extensions), the only user of feedgen.

Determinism: every date comes from the entries (feedgen would stamp "now"), entries are
sorted before rendering and appended in order, so the same catalog gives the same bytes.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from html import escape
from html.entities import name2codepoint
from xml.sax.saxutils import quoteattr

from feedgen.feed import FeedGenerator
from feedgen.util import xml_elem
from lxml import etree

from . import __version__
from .feed_extensions import EnclosureLinks, EpisodeExtension, ShowExtension, rss_enclosure
from .feed_xml import escape_text, serialize
from .model import Attachment, Entry
from .podcast import Show
from .text import END_TAG
from .urls import article_url

ATOM_TYPE = "application/atom+xml; charset=utf-8"
RSS_TYPE = "application/rss+xml; charset=utf-8"
JSON_FEED_TYPE = "application/feed+json; charset=utf-8"
OPML_TYPE = "text/x-opml; charset=utf-8"
JSON_TYPE = "application/json"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
# The date of a feed that has no entry, never "now" (the same content gives the same bytes).
# Not 1970: validators call a date before 1990 implausible (the W3C's ImplausibleDate).
EMPTY_FEED_UPDATED = datetime(2000, 1, 1, tzinfo=UTC)
GENERATOR_URI = "https://pypi.org/project/feedsvc/"
# Text that looks like markup keeps its meaning for readers and checks alike:
# - "&", "<" and ">" of plain text are written as hexadecimal references (&#x26; &#x3C;
#   &#x3E;), as the RSS Advisory Board's profile asks: that tells readers and checks the text
#   is text. This is all names and labels get (Atom <name>, category labels, RSS <category>,
#   <dc:creator>), which no format lets a feed declare;
# - an Atom title, subtitle or summary holding an end tag ("</b>") is declared type="html",
#   with the text escaped once more, since checks take an undeclared end tag for HTML;
# - RSS leaves open whether <title> and the channel <description> hold HTML, and readers
#   guess: one holding an end tag or an entity reference (what readers take for HTML) is
#   written as HTML that shows the text; other text stays plain.
# feed_xml writes the references; these functions choose the elements.
CHARACTER_REFERENCE = re.compile(r"&(#?\w+);")
# An end tag of HTML, whose element names are ASCII (text.END_TAG takes any letter).
ATOM_END_TAG = re.compile(END_TAG.pattern, re.ASCII)
# An address in a name, as the W3C validator recognizes one (it warns ContainsEmail).
EMAIL_IN_NAME = re.compile(
    r"<([A-Z0-9_+.'!#$%&*/=?^`{|}~-]+@(?:(?:[0-9]{1,3}\.){3}|(?:[A-Z0-9-]+\.)+)[A-Z0-9][-A-Z0-9]*)>",
    re.IGNORECASE)
ATOM_NS = "http://www.w3.org/2005/Atom"
DC_CREATOR = "{http://purl.org/dc/elements/1.1/}creator"
CONTENT_ENCODED = "{http://purl.org/rss/1.0/modules/content/}encoded"
MEDIA_NS = "http://search.yahoo.com/mrss/"


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
    fallback_updated: datetime = EMPTY_FEED_UPDATED
    stylesheet: str = ""  # URL of an XSLT stylesheet for browsers; empty: none
    feed_id: str = ""  # the same on every page of a paged feed; empty: self_url
    # Spec: RFC 5005 §3 paging links, (rel, URL) pairs: first, previous, next, last.
    pages: tuple[tuple[str, str], ...] = ()
    show: Show | None = None  # when the feed is a podcast
    hub: str = ""  # Spec: W3C WebSub §4, the hub subscribers subscribe at; empty: none


@dataclass(frozen=True)
class FeedListing:
    """One feed in the OPML subscription list."""

    title: str
    feed_url: str
    site_url: str


def sort_entries(entries: list[Entry]) -> list[Entry]:
    """Newest published first; ties broken by id."""
    by_id = sorted(entries, key=lambda entry: entry.id)
    return sorted(by_id, key=lambda entry: entry.published, reverse=True)


def distinct_updated(entries: list[Entry]) -> dict[str, datetime]:
    """Each entry's Atom <updated>, no two alike in one feed (checks flag equal values, as two
    articles dated the same day have). A value without a fraction of a second gets one derived
    from the entry's id, so an entry has the same value in every feed, whatever shares it."""
    distinct: dict[str, datetime] = {}
    taken: set[datetime] = set()
    for entry in sorted(entries, key=lambda entry: entry.id):
        value = entry.updated
        if not value.microsecond:
            digest = int.from_bytes(hashlib.sha256(entry.id.encode()).digest()[:4], "big")
            value += timedelta(microseconds=digest % 1_000_000)
        while value in taken:  # two ids with the same fraction: rare, settled by id order
            value += timedelta(microseconds=1)
        taken.add(value)
        distinct[entry.id] = value
    return distinct


def entry_link(entry: Entry, base_url: str) -> str:
    return entry.link or article_url(base_url, entry.slug)


def _atom_person(name: str) -> dict[str, str]:
    """An Atom person: an address written into the name ("Ana <ana@example.org>") kept apart."""
    addresses = EMAIL_IN_NAME.findall(name)
    if not addresses:
        return {"name": name}
    rest = " ".join(EMAIL_IN_NAME.sub(" ", name).split())
    return {"name": rest or addresses[0], "email": addresses[0]}


def _looks_like_html(text: str) -> bool:
    """True for text that readers guessing its type take for HTML: an end tag, or a reference
    to a character or a defined entity (feedparser's rule, and the W3C checks')."""
    return bool(END_TAG.search(text)) or any(
        name.startswith("#") or name in name2codepoint for name in CHARACTER_REFERENCE.findall(text))


def _rss_text(text: str) -> str:
    """Text for an RSS element readers may take for HTML: as HTML when it looks like HTML."""
    return escape(text, quote=False) if _looks_like_html(text) else text


def _generator(entries: list[Entry], info: FeedInfo, for_rss: bool,
               updated: dict[str, datetime]) -> FeedGenerator:
    """The feed as feedgen holds it, without its entries (see _rss_item, _atom_entry), with text
    and people as the target format needs them. updated: distinct_updated(entries)."""
    text = _rss_text if for_rss else str
    fg = FeedGenerator()
    if for_rss:
        fg.load_extension("dc", atom=False, rss=True)
    if any(entry.image for entry in entries):  # Media RSS: only feeds with a cover declare it
        fg.load_extension("media")
    if for_rss and info.show is not None:
        fg.register_extension("show", ShowExtension, EpisodeExtension, atom=False, rss=True)
        fg.show.show = info.show
    fg.id(info.feed_id or info.self_url)
    fg.title(text(info.title))
    fg.subtitle(text(info.subtitle))
    fg.author({"name": info.author} if for_rss else _atom_person(info.author))
    fg.language(info.language)
    fg.generator("feedsvc", __version__, GENERATOR_URI)
    # Atom <updated> and RSS <lastBuildDate> (whole seconds: the newest real value) alike.
    fg.updated(max(updated.values(), default=info.fallback_updated))
    fg.ttl(info.ttl_minutes)
    fg.link(href=info.self_url, rel="self")
    for rel, href in _feed_links(info):  # feed-level links keep rel and type (entry links lose them)
        fg.link(href=href, rel=rel)
    # Spec: RSS 2.0 channel <link> is the site; feedgen uses the last link added.
    fg.link(href=info.site_url, rel="alternate", type="text/html")
    return fg


def _atom_entry(feed: etree._Element, entry: Entry, updated: datetime, base_url: str) -> None:
    """Add an entry's <entry>, as feedgen's FeedEntry.atom_entry and the extensions _generator
    loads (Media RSS, enclosure links) would write it; built here, for feedgen's setters and
    checks took half the time of a feed. Its link loses rel, as feedgen's entry links do."""
    element = etree.SubElement(feed, "entry")
    etree.SubElement(element, "id").text = entry.id
    etree.SubElement(element, "title").text = entry.title
    etree.SubElement(element, "updated").text = updated.isoformat()
    for person in map(_atom_person, entry.authors):
        if person["name"]:  # (feedgen leaves out a person without a name)
            author = etree.SubElement(element, "author")
            etree.SubElement(author, "name").text = person["name"]
            _element(author, "email", person.get("email", ""))
    if entry.content_html.strip():  # an empty body (its heading became the title): no element
        etree.SubElement(element, "content", type="html").text = entry.content_html
    etree.SubElement(element, "link", href=entry_link(entry, base_url))
    summary = etree.SubElement(element, "summary")
    summary.text = entry.summary or entry.title or None
    for topic in entry.topics:  # the label is the term too: readers show the term
        category = etree.SubElement(element, "category", term=topic.label)
        if topic.label:
            category.set("label", topic.label)
    etree.SubElement(element, "published").text = entry.published.isoformat()
    _add_media(element, entry)
    if entry.attachments:
        enclosures = EnclosureLinks()
        enclosures.attachments = entry.attachments
        enclosures.extend_atom(element)


def _add_media(element: etree._Element, entry: Entry) -> None:
    """The cover image, as Media RSS (an Atom entry or RSS item alike)."""
    if entry.image:
        etree.SubElement(element, f"{{{MEDIA_NS}}}content", url=entry.image, medium="image")
        etree.SubElement(element, f"{{{MEDIA_NS}}}thumbnail", url=entry.image)


def _rss_item(channel: etree._Element, entry: Entry, info: FeedInfo, base_url: str) -> None:
    """Add an entry's <item>, as feedgen's FeedEntry.rss_entry and the extensions _generator
    loads (Dublin Core, Media RSS, the podcast's) would write it; built here, for feedgen's
    setters and checks took half the time of an RSS feed."""
    item = etree.SubElement(channel, "item")
    _element(item, "title", _rss_text(entry.title))
    _element(item, "link", entry_link(entry, base_url))
    # Spec: RSS <description> is HTML; the plain-text summary is escaped into it.
    description = escape(entry.summary or entry.title, quote=False)
    _element(item, "description", description)
    if entry.content_html.strip():  # an empty body (its heading became the title): no element
        _element(item, CONTENT_ENCODED if description else "description", entry.content_html)
    etree.SubElement(item, "guid", isPermaLink="false").text = entry.id
    for topic in entry.topics:  # the label, as in every format
        etree.SubElement(item, "category").text = topic.label
    if entry.attachments:  # room for one: the first a podcast app plays, else the first
        attachment = rss_enclosure(entry.attachments)
        etree.SubElement(item, "enclosure", url=attachment.url, length=str(attachment.length),
                         type=attachment.type)
    # email.utils writes the year in four digits (strftime's %Y writes year 999 as "999")
    etree.SubElement(item, "pubDate").text = format_datetime(entry.published)
    # Spec: RSS <author> must be an e-mail address; names go in dc:creator.
    for name in entry.authors or (info.author,):
        etree.SubElement(item, DC_CREATOR).text = name
    _add_media(item, entry)
    if info.show is not None:
        episode = EpisodeExtension()
        episode.entry = entry
        episode.extend_rss(item)


def _element(parent: etree._Element, tag: str, text: str) -> None:
    """A child holding text, unless the text is empty (as feedgen leaves such elements out)."""
    if text:
        etree.SubElement(parent, tag).text = text


def atom(entries: list[Entry], info: FeedInfo, base_url: str) -> bytes:
    """Render an Atom 1.0 feed (RFC 4287)."""
    updated = distinct_updated(entries)
    feed, _document = _generator(entries, info, False, updated)._create_atom()
    for entry in sort_entries(entries):
        _atom_entry(feed, entry, updated[entry.id], base_url)
    plain = _atom_text_constructs(feed) | set(feed.iter("name", "category"))  # names and labels
    return serialize(feed, plain, _prolog(info.stylesheet))


def rss(entries: list[Entry], info: FeedInfo, base_url: str) -> bytes:
    """Render an RSS 2.0 feed."""
    feed, _document = _generator(entries, info, True, distinct_updated(entries))._create_rss()
    channel = feed.find("channel")
    for entry in sort_entries(entries):
        _rss_item(channel, entry, info, base_url)
    _add_rss_feed_links(channel, info)
    # The channel's <description> is plain text here; the items' hold HTML.
    plain = {channel.find("description"), *feed.iter("title", DC_CREATOR, "category")}
    return serialize(feed, plain, _prolog(info.stylesheet))


def _atom_text_constructs(feed: etree._Element) -> set[etree._Element]:
    """Declare as HTML the titles, subtitle and summaries holding an end tag, their text escaped
    once more (it shows the same text); return the others, plain text."""
    plain = set()
    for element in (*feed.findall("title"), *feed.findall("subtitle"),
                    *feed.iterfind("entry/title"), *feed.iterfind("entry/summary")):
        text = element.text or ""
        if ATOM_END_TAG.search(text):
            element.set("type", "html")
            element.text = escape_text(text)
        else:
            plain.add(element)
    return plain


def _prolog(stylesheet: str) -> tuple[str, ...]:
    """The instruction referencing an XSLT stylesheet, for people opening the feed in a browser."""
    if not stylesheet:
        return ()
    # Spec: W3C "Associating Style Sheets with XML documents" 1.0: a prolog PI, XSLT by type.
    return (f'xml-stylesheet type="text/xsl" href="{escape(stylesheet)}"',)


def _feed_links(info: FeedInfo) -> tuple[tuple[str, str], ...]:
    """(rel, URL) of the feed's links besides self and the site: RFC 5005 paging, the WebSub hub."""
    return info.pages + ((("hub", info.hub),) if info.hub else ())


def _add_rss_feed_links(channel: etree._Element, info: FeedInfo) -> None:
    """Add the paging and hub atom:link elements after the self link (feedgen's RSS writes only
    self)."""
    [anchor] = channel.findall(f"{{{ATOM_NS}}}link[@rel='self']")
    for rel, href in _feed_links(info):
        link = xml_elem(f"{{{ATOM_NS}}}link", channel, href=href, rel=rel)  # in the atom: prefix
        anchor.addnext(link)
        anchor = link


def json_feed(entries: list[Entry], info: FeedInfo, base_url: str) -> bytes:
    """Render a JSON Feed 1.1 document."""
    # Spec: https://jsonfeed.org/version/1.1 . Authors go in `author`, which 1.1 deprecates but
    # keeps: validators built on the 1.0 schema reject the 1.1 keys `authors` and `language`,
    # and every 1.1 reader understands `author`.
    document: dict[str, object] = {
        "version": JSON_FEED_VERSION,
        "title": info.title,
        "home_page_url": info.site_url,
        "feed_url": info.self_url,
        "description": info.subtitle,
        "author": {"name": info.author},
    }
    next_url = dict(info.pages).get("next")
    if next_url:
        document["next_url"] = next_url
    if info.hub:
        document["hubs"] = [{"type": "WebSub", "url": info.hub}]
    document["items"] = [_json_item(entry, base_url) for entry in sort_entries(entries)]
    return json.dumps(document, ensure_ascii=False, indent=2).encode() + b"\n"


def _json_item(entry: Entry, base_url: str) -> dict[str, object]:
    item: dict[str, object] = {
        "id": entry.id,
        "url": entry_link(entry, base_url),
        "title": entry.title,
        "summary": entry.summary or entry.title,
        "date_published": entry.published.isoformat(),
        "date_modified": entry.updated.isoformat(),
    }
    if entry.content_html.strip():
        item["content_html"] = entry.content_html
    else:  # an item needs a content: the text it would show
        item["content_text"] = entry.summary or entry.title
    if entry.topics:
        item["tags"] = [topic.label for topic in entry.topics]
    if entry.authors:
        item["author"] = {"name": ", ".join(entry.authors)}
    if entry.image:
        item["image"] = entry.image
    if entry.attachments:
        item["attachments"] = [_json_attachment(attachment) for attachment in entry.attachments]
    return item


def _json_attachment(attachment: Attachment) -> dict[str, object]:
    found: dict[str, object] = {"url": attachment.url, "mime_type": attachment.type}
    if attachment.length:
        found["size_in_bytes"] = attachment.length
    if attachment.duration:
        found["duration_in_seconds"] = attachment.duration
    return found


def opml(title: str, feeds: list[FeedListing], updated: datetime) -> bytes:
    """Render an OPML 2.0 subscription list."""
    # Spec: http://opml.org/spec2.opml (a subscription list: type="rss" for every feed format)
    outlines = "".join(
        f'\n    <outline type="rss" text={quoteattr(feed.title)} title={quoteattr(feed.title)} '
        f"xmlUrl={quoteattr(feed.feed_url)} htmlUrl={quoteattr(feed.site_url)}/>"
        for feed in feeds
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0">\n  <head>\n'
        f"    <title>{escape(title, quote=False)}</title>\n"
        f"    <dateModified>{format_datetime(updated.astimezone(UTC), usegmt=True)}</dateModified>\n"
        f"  </head>\n  <body>{outlines}\n  </body>\n</opml>\n"
    ).encode()
