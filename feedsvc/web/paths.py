"""The URL shapes the web layer serves: the feed formats (listed here only) and slugs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from werkzeug.routing import BaseConverter, ValidationError

from .. import render
from ..urls import ARTICLE_SLUG_CHARS


@dataclass(frozen=True)
class FeedFormat:
    """One format every feed is served in."""

    file_name: str  # the last segment of its URLs
    label: str  # how pages name it
    media_type: str
    render: Callable[..., bytes]  # (entries, FeedInfo, base URL) -> the document
    # Browsers show Atom and RSS media types as text, without applying the XSL stylesheet:
    # a browser asking for HTML gets the same bytes as application/xml instead.
    xml_for_browsers: bool


# The feeds of the site and of each topic, by file name. The first is the format the OPML
# subscription list offers.
FEED_FORMATS: dict[str, FeedFormat] = {feed_format.file_name: feed_format for feed_format in (
    FeedFormat("atom.xml", "Atom", render.ATOM_TYPE, render.atom, xml_for_browsers=True),
    FeedFormat("rss.xml", "RSS", render.RSS_TYPE, render.rss, xml_for_browsers=True),
    FeedFormat("feed.json", "JSON Feed", render.JSON_FEED_TYPE, render.json_feed, xml_for_browsers=False),
)}
# The route variable of a feed's file name: <any('atom.xml', 'rss.xml', 'feed.json'):file_name>.
FILE_NAME_RULE = "<any(" + ", ".join(f"'{name}'" for name in FEED_FORMATS) + "):file_name>"
XSLT_TYPES = frozenset(feed.media_type for feed in FEED_FORMATS.values() if feed.xml_for_browsers)


class SlugConverter(BaseConverter):
    """Only what slugify produces, so '..', encoded slashes and the like never reach a lookup."""

    regex = r"[a-z0-9]+(?:-[a-z0-9]+)*"

    def to_python(self, value: str) -> str:
        if len(value) > ARTICLE_SLUG_CHARS:
            raise ValidationError()
        return value
