"""The feeds blueprint: the site's and each topic's feeds, the OPML list and the topics API."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from flask import Blueprint, Response, abort, request
from werkzeug.exceptions import HTTPException

from .. import render
from ..errors import QueryError
from ..limits import Refused
from ..query import FeedQuery
from .cache import Rendered, answer
from .hooks import PLAIN_TEXT, refusal
from .meta import feed_info, feed_links, feed_title, page_count
from .paths import FEED_FORMATS, FILE_NAME_RULE, SlugConverter
from .service import ClientGone, service, topic_or_404

FIRST_SCAN_RETRY_SECONDS = 5
# The path of a feed below the base URL: the site's, or a topic's.
FEED_PATH = re.compile(
    rf"/(?:feeds|topics/({SlugConverter.regex}))/({'|'.join(map(re.escape, FEED_FORMATS))})")

bp = Blueprint("feeds", __name__)


@bp.get(f"/feeds/{FILE_NAME_RULE}")
def all_feed(file_name: str) -> Response:
    """Every entry, newest first, filtered and paged by the query."""
    return _feed(file_name, None)


@bp.get(f"/topics/<slug>/{FILE_NAME_RULE}")
def topic_feed(slug: str, file_name: str) -> Response:
    """The entries of one topic, filtered and paged by the query."""
    return _feed(file_name, slug)


@bp.get("/feeds.opml")
def feeds_opml() -> Response:
    """OPML 2.0 list of every feed, to subscribe to all of them at once."""
    return _cached_response("feeds.opml", _render_opml)


@bp.get("/api/topics")
def api_topics() -> Response:
    """Every topic: slug, label, number of entries, page and feed URLs."""
    return _cached_response("api/topics", _render_topics)


def _feed(file_name: str, topic_slug: str | None) -> Response:
    """A feed: a memoized query parse, then the cache (SQL and rendering only on a miss)."""
    try:
        query = service().parse_query(request.query_string.decode("utf-8", "replace"))
    except QueryError as error:
        abort(400, str(error))
    # A feed without parameters is one of a few per topic; queries are limited (see RenderQueue).
    return _cached_response(_feed_key(file_name, topic_slug, query),
                            lambda: _render_feed(file_name, topic_slug, query), limited=bool(query.params))


def _feed_key(file_name: str, topic_slug: str | None, query: FeedQuery) -> str:
    return f"{topic_slug or ''}/{file_name}{query.query_string()}"


def canonical_feed(url: str) -> Rendered | None:
    """The feed at url, from the current catalog, when url is one of this service's canonical
    feed URLs (the self link of a feed it serves); None for any other URL. Needs an app context."""
    svc = service()
    base = svc.settings.base_url
    path, _, raw_query = url.removeprefix(base).partition("?")
    match = FEED_PATH.fullmatch(path)
    if not url.startswith(base + "/") or match is None or not svc.version():
        return None
    topic_slug, file_name = match.groups()
    try:
        query = svc.parse_query(raw_query)
        rendered = svc.cached(_feed_key(file_name, topic_slug, query),
                              lambda: _render_feed(file_name, topic_slug, query))
    except (QueryError, HTTPException):  # a malformed query, an unknown topic, a page too far
        return None
    return rendered if rendered.location == url else None


def _render_feed(file_name: str, topic_slug: str | None, query: FeedQuery) -> Rendered:
    """Look the query up in the catalog and render one page of it (404 for unknown topics)."""
    svc = service()
    settings, store = svc.settings, svc.store
    topic = topic_or_404(topic_slug) if topic_slug else None
    for slug in query.topic_slugs():
        topic_or_404(slug)
    entries, total = store.find_entries(
        topic=topic_slug, any_topics=query.topics, exclude=query.exclude, words=query.words,
        author=query.author, since=query.since, until=query.until,
        limit=query.limit, offset=query.offset,
    )
    last_page = page_count(total, query.limit)
    if query.page > last_page:
        abort(404, f"page {query.page} is past the last page of this feed, {last_page}")
    folder = f"/topics/{topic_slug}" if topic_slug else "/feeds"
    info = feed_info(settings, store, f"{folder}/{file_name}", topic, query, last_page,
                     paging=not svc.export)
    feed_format = FEED_FORMATS[file_name]
    body = feed_format.render(entries, info, settings.base_url)
    # Last-Modified: when a scan last changed what this feed selects from (its topic, else
    # the topics it asks for, else every entry); never an entry's own date, which can be old
    # (a back-dated article) or go backwards (the newest one deleted)
    topics = [topic_slug] if topic_slug else list(query.topics)
    return Rendered(body, feed_format.media_type, store.changed(topics), info.self_url)


def _render_opml() -> Rendered:
    """One subscription per feed, in Atom: importing the list must not subscribe three times."""
    settings, store = service().settings, service().store
    topics = [None] + [topic for topic, _count in store.topics()]
    feeds = [
        render.FeedListing(feed_title(settings, topic), feed_links(settings, topic)[0].url,
                           settings.base_url + (f"/topics/{topic.slug}/" if topic else "/"))
        for topic in topics
    ]
    updated = store.newest_updated() or render.EMPTY_FEED_UPDATED
    return Rendered(render.opml(settings.title, feeds, updated), render.OPML_TYPE, store.changed())


def _render_topics() -> Rendered:
    settings, store = service().settings, service().store
    topics = [
        {"slug": topic.slug, "label": topic.label, "entries": count,
         "url": f"{settings.base_url}/topics/{topic.slug}/",
         "feeds": [{"format": link.label, "type": link.type, "url": link.url}
                   for link in feed_links(settings, topic)]}
        for topic, count in store.topics()
    ]
    body = json.dumps({"topics": topics}, ensure_ascii=False, indent=2).encode() + b"\n"
    return Rendered(body, render.JSON_TYPE, store.changed())


def _cached_response(key: str, build: Callable[[], Rendered], limited: bool = False) -> Response:
    """Answer from the cache (building on a miss), and remember the request line for the front."""
    svc = service()
    if not svc.version():
        # A catalog no scan has committed yet: an empty feed would tell readers that every
        # article is gone, so ask them to come back instead.
        return Response("no scan has finished yet: the feeds are being built (see /status)\n",
                        status=503, headers={"Retry-After": str(FIRST_SCAN_RETRY_SECONDS)},
                        content_type=PLAIN_TEXT)
    environ = request.environ
    try:
        rendered = svc.cached(key, build, environ, limited)
    except ClientGone:
        # nginx's code for it: the access log tells these apart from answers sent
        return Response(status="499 Client Closed Request")
    except Refused as refused:
        return refusal(503, refused)
    if request.url_rule is not None:
        svc.cache.remember(environ.get("PATH_INFO", ""), environ.get("QUERY_STRING", ""), key,
                           request.url_rule.rule)
    status, headers, body = answer(environ, rendered, svc.policy, svc.cache.gzip_body)
    return Response(body, status=status, headers=headers)
