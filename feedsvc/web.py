"""Flask app factory, routes and HTTP caching: the only module that knows Flask."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any
from urllib.parse import parse_qsl, urlsplit, urlunsplit

from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    copy_current_request_context,
    current_app,
    g,
    jsonify,
    render_template,
    request,
)
from werkzeug.datastructures import MIMEAccept
from werkzeug.exceptions import HTTPException, NotFound
from werkzeug.http import HTTP_STATUS_CODES, http_date, parse_accept_header, parse_date, parse_etags
from werkzeug.routing import BaseConverter, ValidationError

from . import media_route, render
from . import query as feed_query
from .config import Settings, load_settings
from .errors import QueryError, without_value
from .limits import Refused, RenderQueue, TokenGuard, client_gone
from .memory import release_free_memory
from .metrics import Metrics
from .model import Entry, Topic
from .podcast import Show, podcast_for
from .query import FeedQuery
from .scan import content_problem
from .scheduler import scan_once, start_scheduler
from .store import Store
from .urls import ARTICLE_SLUG_CHARS

VERSION_CHECK_SECONDS = 0.5  # every worker sees a new catalog within this delay
FIRST_SCAN_RETRY_SECONDS = 5
# app.config key: False where query strings are not served (a static export), so feeds
# carry no RFC 5005 paging links to URLs that would not exist.
PAGING_LINKS = "FEEDSVC_PAGING_LINKS"
# app.config key: False where one client renders the whole site inside its own snapshot (a
# static export): its renders stay on its thread, which reads that snapshot.
QUEUE_NEW_RENDERS = "FEEDSVC_QUEUE_NEW_RENDERS"
MAX_QUERY_FIELDS = 100
CACHE_SIZE = 256  # rendered documents per process
CACHE_BYTES = 64 * 1024 * 1024  # and their total size, gzip bodies made so far included
ALIASES = 4096  # request lines (path and raw query) remembered for the WSGI front
# Feeds with parameters this process has not rendered before (each query of a flood of
# unique ones) are rendered one at a time, NEW_QUEUE more waiting (RenderQueue), and share
# NEW_BYTES of the cache until asked for again: they cannot take the threads, cores and
# memory that cached polls need. RENDERED_KEYS bounds the keys remembered as rendered.
NEW_QUEUE = 1
NEW_BYTES = 8 * 1024 * 1024
RENDERED_KEYS = 4096
# Sent with every answer, whoever makes it: browsers must take each body for the type it
# is declared as (a feed or a text error is never run as a script or shown as HTML).
EVERY_RESPONSE = [("X-Content-Type-Options", "nosniff")]
# Browsers show Atom and RSS media types as text, without applying the XSL stylesheet.
XSLT_TYPES = {render.ATOM_TYPE, render.RSS_TYPE}
BROWSER_XML_TYPE = "application/xml; charset=utf-8"
# The feeds of the site and of each topic: file name, label, media type.
FEED_FORMATS = (  # the first is the format the OPML subscription list offers
    ("atom.xml", "Atom", render.ATOM_TYPE),
    ("rss.xml", "RSS", render.RSS_TYPE),
    ("feed.json", "JSON Feed", render.JSON_FEED_TYPE),
)
FEED_TYPES = {name: media_type for name, _label, media_type in FEED_FORMATS}
RENDERERS: dict[str, Callable[..., bytes]] = {
    "atom.xml": render.atom, "rss.xml": render.rss, "feed.json": render.json_feed,
}

bp = Blueprint("feeds", __name__)


@dataclass(frozen=True)
class Rendered:
    """A document, with what a conditional request needs."""

    body: bytes
    content_type: str
    last_modified: datetime
    location: str = ""  # the canonical URL of a feed, sent as Content-Location
    digest: str = field(init=False)
    http_last_modified: str = field(init=False)
    # Its gzip encoding once a client asked for it (Service.gzip_body): most never do.
    gzipped: list[bytes] = field(init=False, default_factory=list, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "digest", hashlib.sha256(self.body).hexdigest()[:32])
        object.__setattr__(self, "http_last_modified", http_date(self.last_modified))

    @property
    def size(self) -> int:
        return len(self.body) + sum(len(body) for body in self.gzipped)


class Service:
    """Per-process state: settings, the catalog, and rendered feeds by catalog version."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.store = Store(settings.catalog)
        self.metrics = Metrics(self.store)
        self.started = datetime.now(UTC)
        self._cache: OrderedDict[tuple[str, str], Rendered] = OrderedDict()
        self._new: OrderedDict[tuple[str, str], None] = OrderedDict()  # cached, of keys asked for once
        self._rendered_keys: OrderedDict[str, None] = OrderedDict()
        self.new_renders = RenderQueue(NEW_QUEUE)
        self.admin_guard = TokenGuard(settings.admin_token) if settings.admin_token else None
        self._cache_version = ""  # of the document cached last
        self._lock = threading.Lock()
        self._aliases: OrderedDict[tuple[str, str], tuple[str, str]] = OrderedDict()
        self._version = ""
        self._version_checked = 0.0
        self.parse_query = lru_cache(maxsize=1024)(self._parse_query)
        # Sections other parts add to /status (WebSub), each computed at every request.
        self.status_sections: dict[str, Callable[[], object]] = {}
        self.cache_control = ("private, no-cache" if settings.drafts
                              else f"public, max-age={settings.scan_interval}")

    def version(self) -> str:
        now = time.monotonic()
        if now - self._version_checked > VERSION_CHECK_SECONDS:
            self._version = self.store.version()
            self._version_checked = now
        return self._version

    def forget_version(self) -> None:
        """Read the catalog version again at the next request (after a scan in this process)."""
        self._version_checked = 0.0

    def unready_reason(self) -> str | None:
        """Why this process is not ready to serve current feeds; None when it is: a scan has
        finished since it started, and the content folder is there to be scanned."""
        problem = content_problem(self.settings)
        if problem:
            return f"{problem}; the last good feeds are still served"
        report = self.store.last_report()
        if report and report.get("finished") and (
            datetime.fromisoformat(report["finished"]) >= self.started.replace(microsecond=0)
        ):
            return None
        return "waiting for the first scan"

    def ready(self) -> bool:
        return self.unready_reason() is None

    def _parse_query(self, raw: str) -> FeedQuery:
        try:
            pairs = parse_qsl(raw, keep_blank_values=True, max_num_fields=MAX_QUERY_FIELDS)
        except ValueError:  # parse_qsl's refusal of too many fields
            raise QueryError("query string", f"may have at most {MAX_QUERY_FIELDS} parameters") from None
        return feed_query.parse(pairs, default_limit=self.settings.feed_limit,
                                tz=self.settings.tz, raw_length=len(raw))

    def cached(self, key: str, build: Callable[[], Rendered], environ: dict[str, Any] | None = None,
               limited: bool = False) -> Rendered:
        """The document for key at the current catalog version, built at most once per version.

        Raises ClientGone when the request's client has left before the render, and Refused
        when a limited key (a query: clients can make up any number) this process has not
        rendered before finds no place in the queue of such renders.
        """
        cache_key = (self.version(), key)
        with self._lock:
            hit = self._cache.get(cache_key)
            if hit is not None:
                self._cache.move_to_end(cache_key)
                self._new.pop(cache_key, None)  # asked for again: a document worth its place
                return hit
            known = not limited or key in self._rendered_keys
        cache_key, rendered = self._render(key, build, environ or {}, known)
        with self._lock:
            dropped = cache_key[0] != self._cache_version and self._drop_other_versions(cache_key[0])
            if cache_key not in self._cache:
                self._cache[cache_key] = rendered
                if not known:
                    self._new[cache_key] = None
            self._rendered_keys[key] = None
            self._rendered_keys.move_to_end(key)
            while len(self._rendered_keys) > RENDERED_KEYS:
                self._rendered_keys.popitem(last=False)
            self._evict()
        if dropped:
            release_free_memory()
        return rendered

    def _render(self, key: str, build: Callable[[], Rendered], environ: dict[str, Any], known: bool
                ) -> tuple[tuple[str, str], Rendered]:
        """Build a document for a client still there; a key not rendered before waits its turn."""
        def render() -> tuple[tuple[str, str], Rendered]:
            self._skip_if_gone(environ)  # checked again after any wait
            with self.store.snapshot():  # the version and the rendered rows come from one scan
                return (self.store.version(), key), build()

        self._skip_if_gone(environ)
        if known or not current_app.config.get(QUEUE_NEW_RENDERS, True):
            return render()
        while True:
            try:
                return self.new_renders.run(key, copy_current_request_context(render))
            except Refused:
                self.metrics.count_skipped_render("busy")
                raise
            except ClientGone:  # the render this request waited for was for a client that left
                self._skip_if_gone(environ)  # ours left too; else render for ours

    def _skip_if_gone(self, environ: dict[str, Any]) -> None:
        if client_gone(environ):
            self.metrics.count_skipped_render("client_gone")
            raise ClientGone()

    def _drop_other_versions(self, version: str) -> bool:
        """Drop the documents of older catalogs (never served again) once a newer one is cached."""
        stale = [key for key in self._cache if key[0] != version]
        for key in stale:
            del self._cache[key]
            self._new.pop(key, None)
        self._cache_version = version
        return bool(stale)

    def gzip_body(self, rendered: Rendered) -> bytes:
        """The document gzip-encoded, made on the first request for it and kept with it
        (level 6 and no timestamp: the same bytes, so the same ETag, in every process)."""
        if not rendered.gzipped:
            compressed = gzip.compress(rendered.body, 6, mtime=0)  # outside the lock: it takes a while
            with self._lock:
                if not rendered.gzipped:  # another thread may have made the same bytes meanwhile
                    rendered.gzipped.append(compressed)
                    self._evict()  # the cache holds more bytes now
        return rendered.gzipped[0]

    def _evict(self) -> None:
        """Drop the least recently used documents while the cache is over a bound, and the
        oldest documents asked for once while they are over theirs (lock held)."""
        new_bytes = sum(self._cache[key].size for key in self._new)
        while new_bytes > NEW_BYTES:
            new_bytes -= self._cache.pop(self._new.popitem(last=False)[0]).size
        cache_bytes = sum(rendered.size for rendered in self._cache.values())
        while len(self._cache) > CACHE_SIZE or cache_bytes > CACHE_BYTES:
            key, rendered = self._cache.popitem(last=False)
            self._new.pop(key, None)
            cache_bytes -= rendered.size

    def remember(self, path: str, raw_query: str, key: str, route: str) -> None:
        """Note that this request line is the document cached under key (served by route)."""
        with self._lock:
            self._aliases[(path, raw_query)] = (key, route)
            while len(self._aliases) > ALIASES:
                self._aliases.popitem(last=False)

    def recall(self, path: str, raw_query: str) -> tuple[Rendered, str] | None:
        """The cached document and route of a request line seen before, at the current version."""
        alias = self._aliases.get((path, raw_query))
        if alias is None:
            return None
        version = self.version()
        with self._lock:
            rendered = self._cache.get((version, alias[0]))
            if rendered is None:
                return None
            self._cache.move_to_end((version, alias[0]))
        return rendered, alias[1]


class ClientGone(Exception):
    """The client closed its connection before its document was rendered: nothing is sent."""


class CachedFront:
    """WSGI front of the app: a GET or HEAD of a document already cached is answered here,
    and every answer, from here or from Flask, gets the headers every response carries.

    Feed readers poll the same URLs again and again. When the path and raw query string of
    a request were answered before and the document is cached at the current catalog
    version, the answer is a dictionary lookup and _negotiate, without Flask's request
    machinery; everything else (and every miss) goes to Flask, whose views fill the cache.
    The request is counted in the metrics like any other. Headers of cached documents are
    decided in _negotiate only, for both paths.
    """

    def __init__(self, wsgi_app: Callable[..., Any], svc: Service):
        self.wsgi_app = wsgi_app
        self.svc = svc

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        method = environ.get("REQUEST_METHOD")
        if method == "GET" or method == "HEAD":
            started = time.perf_counter()
            hit = self.svc.recall(environ.get("PATH_INFO", ""), environ.get("QUERY_STRING", ""))
            if hit is not None:
                rendered, route = hit
                status, headers, body = _negotiate(environ, rendered, self.svc)
                start_response("200 OK" if status == 200 else "304 Not Modified", headers + EVERY_RESPONSE)
                self.svc.metrics.count_request(route, method, status, time.perf_counter() - started)
                return [body] if method == "GET" and body else []

        def start_flask_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            return start_response(status, headers + EVERY_RESPONSE, exc_info)

        return self.wsgi_app(environ, start_flask_response)


@dataclass(frozen=True)
class FeedLink:
    """One feed as pages show it: a visible link and an autodiscovery <link>."""

    label: str
    title: str
    type: str
    url: str


class SlugConverter(BaseConverter):
    """Only what slugify produces, so '..', encoded slashes and the like never reach a lookup."""

    regex = r"[a-z0-9]+(?:-[a-z0-9]+)*"

    def to_python(self, value: str) -> str:
        if len(value) > ARTICLE_SLUG_CHARS:
            raise ValidationError()
        return value


def service() -> Service:
    return current_app.extensions["feedsvc"]  # type: ignore[no-any-return]


def feed_title(settings: Settings, topic: Topic | None) -> str:
    return f"{settings.title}: {topic.label}" if topic else settings.title


def feed_links(settings: Settings, topic: Topic | None = None) -> list[FeedLink]:
    """The absolute URLs of the site's feeds, or of one topic's."""
    folder = f"/topics/{topic.slug}" if topic else "/feeds"
    title = feed_title(settings, topic)
    return [
        FeedLink(label, f"{title} ({label})", media_type.split(";")[0],
                 f"{settings.base_url}{folder}/{name}")
        for name, label, media_type in FEED_FORMATS
    ]


def _show(settings: Settings, topic: Topic | None, folder: str) -> Show | None:
    """The podcast a feed is part of, if its topic (or the site) is declared one."""
    podcast = podcast_for(settings.podcast, topic.slug if topic else None)
    if podcast is None:
        return None
    return Show(podcast, podcast.author or settings.author, podcast.artwork_url(settings.base_url),
                podcast.guid(f"{settings.base_url}{folder}/rss.xml"))


def _feed_info(settings: Settings, store: Store, path: str, site_path: str, topic: Topic | None,
               query: FeedQuery, last_page: int) -> render.FeedInfo:
    subtitle = f"{settings.subtitle} about {topic.label}" if topic else settings.subtitle
    feed_url = settings.base_url + path
    show = _show(settings, topic, path.rpartition("/")[0])
    podcast = show.podcast if show else None
    return render.FeedInfo(
        title=(podcast and podcast.title) or feed_title(settings, topic),
        subtitle=subtitle,
        self_url=feed_url + query.query_string(),
        site_url=settings.base_url + site_path,
        author=show.author if show else settings.author,
        language=(podcast and podcast.language) or settings.language,
        ttl_minutes=max(1, -(-settings.scan_interval // 60)),
        fallback_updated=store.newest_updated() or render.EPOCH,
        stylesheet=site_path_of(settings, "/static/feed.xsl"),
        feed_id=feed_url + query.query_string(page=1),
        pages=_paging_links(feed_url, query, last_page)
        if current_app.config.get(PAGING_LINKS, True) else (),
        show=show,
        hub=settings.websub_hub_url,
    )


def _paging_links(feed_url: str, query: FeedQuery, last_page: int) -> tuple[tuple[str, str], ...]:
    """RFC 5005 §3 links of a feed with more than one page (none for a single page)."""
    if last_page == 1:
        return ()
    pages = {"first": 1, "previous": query.page - 1, "next": query.page + 1, "last": last_page}
    return tuple(
        (rel, feed_url + query.query_string(page=page))
        for rel, page in pages.items() if 1 <= page <= last_page
    )


def _render_feed(file_name: str, topic_slug: str | None, query: FeedQuery) -> Rendered:
    """Look the query up in the catalog and render one page of it (404 for unknown topics)."""
    svc = service()
    settings, store = svc.settings, svc.store
    topic = _topic_or_404(topic_slug) if topic_slug else None
    for slug in query.topic_slugs():
        _topic_or_404(slug)
    entries, total = store.find_entries(
        topic=topic_slug, any_topics=query.topics, exclude=query.exclude, words=query.words,
        author=query.author, since=query.since, until=query.until,
        limit=query.limit, offset=query.offset,
    )
    last_page = page_count(total, query.limit)
    if query.page > last_page:
        abort(404, f"page {query.page} is past the last page of this feed, {last_page}")
    folder = f"/topics/{topic_slug}" if topic_slug else "/feeds"
    site_path = f"/topics/{topic_slug}/" if topic_slug else "/"
    info = _feed_info(settings, store, f"{folder}/{file_name}", site_path, topic, query, last_page)
    body = RENDERERS[file_name](entries, info, settings.base_url)
    # Last-Modified: when a scan last changed what this feed selects from (its topic, else
    # the topics it asks for, else every entry); never an entry's own date, which can be old
    # (a back-dated article) or go backwards (the newest one deleted)
    topics = [topic_slug] if topic_slug else list(query.topics)
    return Rendered(body, FEED_TYPES[file_name], store.changed(topics), info.self_url)


def _not_modified(environ: dict[str, Any], etag: str, last_modified: datetime) -> bool:
    """RFC 9110 §13.2.2: If-None-Match, when present, decides; else If-Modified-Since."""
    if_none_match = environ.get("HTTP_IF_NONE_MATCH")
    if if_none_match is not None:
        if if_none_match == etag:
            return True
        etags = parse_etags(if_none_match)  # lists, W/ forms (weak comparison) and *
        return etags.star_tag or etags.contains_weak(etag.strip('"'))
    if_modified_since = environ.get("HTTP_IF_MODIFIED_SINCE")
    since = parse_date(if_modified_since) if if_modified_since else None
    # Spec: RFC 9110 §13.1.3: a date later than the server's current time is ignored
    if since is None or since.timestamp() > time.time():
        return False
    return last_modified.replace(microsecond=0) <= since


def _for_browser(environ: dict[str, Any], content_type: str) -> bool:
    """True when a browser asks for HTML: it gets the feed's bytes as application/xml.

    Chromium displays application/atom+xml and application/rss+xml as plain text; as XML it
    applies the feed's XSL stylesheet. Feed readers, which ask for feed types (or anything),
    get the feed's own media type.
    """
    accept = environ.get("HTTP_ACCEPT")
    if content_type not in XSLT_TYPES or not accept:
        return False
    feed_type = content_type.split(";")[0]
    return parse_accept_header(accept, MIMEAccept).best_match([feed_type, "text/html"]) == "text/html"


def _accepts_gzip(environ: dict[str, Any]) -> bool:
    accept_encoding = environ.get("HTTP_ACCEPT_ENCODING", "")
    return "gzip" in accept_encoding and parse_accept_header(accept_encoding)["gzip"] > 0


def _negotiate(environ: dict[str, Any], rendered: Rendered, svc: Service
               ) -> tuple[int, list[tuple[str, str]], bytes]:
    """Status, headers and body for a cached document: its variant (XML for browsers, gzip),
    each with its own ETag, and 304 when the request's conditions hold."""
    browser, use_gzip = _for_browser(environ, rendered.content_type), _accepts_gzip(environ)
    # a preview's documents never pass for the public catalog's, in a cache or a reader
    preview = "-drafts" if svc.settings.drafts else ""
    etag = f'"{rendered.digest}{preview}{"-xml" if browser else ""}{"-gzip" if use_gzip else ""}"'
    vary = "Accept, Accept-Encoding" if rendered.content_type in XSLT_TYPES else "Accept-Encoding"
    headers = [("ETag", etag), ("Cache-Control", svc.cache_control), ("Vary", vary)]
    if rendered.location:
        # Spec: RFC 9110 §8.7. A feed fetched at another spelling of its query names the URL
        # its self link gives; the W3C validator accepts the self link against it.
        headers.append(("Content-Location", rendered.location))
        if svc.settings.websub_hub:
            headers.append(("Link", hub_links(svc.settings.websub_hub_url, rendered.location)))
    if _not_modified(environ, etag, rendered.last_modified):
        return 304, headers, b""  # Spec: RFC 9110 §15.4.5, no representation metadata
    body = svc.gzip_body(rendered) if use_gzip else rendered.body
    last_modified = rendered.http_last_modified
    if rendered.last_modified.timestamp() > time.time():  # a clock set back: never after Date
        last_modified = http_date(time.time())
    headers += [("Last-Modified", last_modified),
                ("Content-Type", BROWSER_XML_TYPE if browser else rendered.content_type),
                ("Content-Length", str(len(body)))]
    if use_gzip:
        headers.append(("Content-Encoding", "gzip"))
    return 200, headers, body


def hub_links(hub: str, self_url: str) -> str:
    """Spec: W3C WebSub §4 discovery (and §7 distribution): the hub and the topic's self URL."""
    return f'<{hub}>; rel="hub", <{self_url}>; rel="self"'


def _cached_response(key: str, build: Callable[[], Rendered], limited: bool = False) -> Response:
    """Answer from the cache (building on a miss), and remember the request line for the front."""
    svc = service()
    if not svc.version():
        # A catalog no scan has committed yet: an empty feed would tell readers that every
        # article is gone, so ask them to come back instead.
        return Response("no scan has finished yet: the feeds are being built (see /status)\n",
                        status=503, headers={"Retry-After": str(FIRST_SCAN_RETRY_SECONDS)},
                        content_type="text/plain; charset=utf-8")
    environ = request.environ
    try:
        rendered = svc.cached(key, build, environ, limited)
    except ClientGone:
        # nginx's code for it: the access log tells these apart from answers sent
        return Response(status="499 Client Closed Request")
    except Refused as refusal:
        return _refusal(503, refusal)
    if request.url_rule is not None:
        svc.remember(environ.get("PATH_INFO", ""), environ.get("QUERY_STRING", ""), key,
                     request.url_rule.rule)
    status, headers, body = _negotiate(environ, rendered, svc)
    return Response(body, status=status, headers=headers)


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


# The path of a feed below the base URL: the site's, or a topic's (SlugConverter's slugs).
FEED_PATH = re.compile(r"/(?:feeds|topics/([a-z0-9]+(?:-[a-z0-9]+)*))/(atom\.xml|rss\.xml|feed\.json)")


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


def _topic_or_404(slug: str) -> Topic:
    topic = service().store.topic(slug)
    if topic is None:
        abort(404, f"unknown topic {slug!r}")
    return topic


@bp.get("/feeds/<any('atom.xml', 'rss.xml', 'feed.json'):file_name>")
def all_feed(file_name: str) -> Response:
    """Every entry, newest first, filtered and paged by the query."""
    return _feed(file_name, None)


@bp.get("/topics/<slug>/<any('atom.xml', 'rss.xml', 'feed.json'):file_name>")
def topic_feed(slug: str, file_name: str) -> Response:
    """The entries of one topic, filtered and paged by the query."""
    return _feed(file_name, slug)


def _render_opml() -> Rendered:
    """One subscription per feed, in Atom: importing the list must not subscribe three times."""
    settings, store = service().settings, service().store
    topics = [None] + [topic for topic, _count in store.topics()]
    feeds = [
        render.FeedListing(feed_title(settings, topic), feed_links(settings, topic)[0].url,
                           settings.base_url + (f"/topics/{topic.slug}/" if topic else "/"))
        for topic in topics
    ]
    updated = store.newest_updated() or render.EPOCH
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


@bp.get("/feeds.opml")
def feeds_opml() -> Response:
    """OPML 2.0 list of every feed, to subscribe to all of them at once."""
    return _cached_response("feeds.opml", _render_opml)


@bp.get("/api/topics")
def api_topics() -> Response:
    """Every topic: slug, label, number of entries, page and feed URLs."""
    return _cached_response("api/topics", _render_topics)


def site_path_of(settings: Settings, path: str) -> str:
    """A link between our own pages: the base URL's path and the route, without the host.

    Host-free links keep working whatever name the site is reached by, on the server and
    in a static export; the base URL's path keeps them right under a prefix.
    """
    return urlsplit(settings.base_url).path + path


@bp.app_context_processor
def _page_globals() -> dict[str, Any]:
    settings = service().settings
    return {
        "settings": settings,
        "site_feeds": feed_links(settings),
        "link": lambda path: site_path_of(settings, path),
    }


LAST_PAGE = 1_000_000  # of a listing: bounds the offset a URL can ask the catalog for
PAGE_NUMBER = f"<int(min=2, max={LAST_PAGE}):number>"  # page 1 is the listing's own folder


@dataclass(frozen=True)
class Pager:
    """Where one page of a listing sits among the others; paths are site paths."""

    number: int
    last: int
    total: int  # entries in the whole listing
    newer: str | None
    older: str | None


def page_count(total: int, per_page: int) -> int:
    """Pages of a listing or feed of total entries; an empty one still has its first page."""
    return max(1, -(-total // per_page))


def listing_path(folder: str, number: int) -> str:
    """Page 1 of a listing is its folder ('/' or '/topics/<slug>/'); later pages are below it."""
    return folder if number == 1 else f"{folder}page/{number}/"


def listing_paths(folder: str, total: int, per_page: int) -> list[str]:
    """Every page of a listing of total entries, oldest page first."""
    return [listing_path(folder, number) for number in range(page_count(total, per_page), 0, -1)]


def _listing(folder: str, topic_slug: str | None, number: int) -> tuple[list[Entry], Pager]:
    per_page = service().settings.feed_limit
    entries, total = service().store.find_entries(
        topic=topic_slug, limit=per_page, offset=(number - 1) * per_page)
    last = page_count(total, per_page)
    if number > last:
        abort(404, f"page {number} is past the last page, {last}")
    return entries, Pager(
        number, last, total,
        newer=listing_path(folder, number - 1) if number > 1 else None,
        older=listing_path(folder, number + 1) if number < last else None,
    )


@bp.get("/")
@bp.get(f"/page/{PAGE_NUMBER}/")
def home(number: int = 1) -> str:
    """Latest entries (older ones on later pages) and every topic with its count and feeds."""
    svc = service()
    entries, pager = _listing("/", None, number)
    topics = svc.store.topics()
    return render_template(
        "index.html",
        entries=entries,
        pager=pager,
        topics=topics,
        topic_feeds={topic.slug: feed_links(svc.settings, topic) for topic, _ in topics},
        feeds=feed_links(svc.settings),
    )


@bp.get("/topics/<slug:slug>/")
@bp.get(f"/topics/<slug:slug>/page/{PAGE_NUMBER}/")
def topic_page(slug: str, number: int = 1) -> str:
    """One topic's entries and feeds; its own feeds come first in autodiscovery."""
    svc = service()
    topic = _topic_or_404(slug)
    topic_feeds = feed_links(svc.settings, topic)
    entries, pager = _listing(f"/topics/{slug}/", slug, number)
    if not pager.total:  # its feeds answer, empty; the site lists it nowhere
        abort(404, f"topic {slug!r} has no published article")
    return render_template(
        "topic.html",
        topic=topic,
        count=pager.total,
        entries=entries,
        pager=pager,
        page_feeds=topic_feeds,
        feeds=topic_feeds + feed_links(svc.settings),
    )


@bp.get("/articles/<slug:slug>")
def article_page(slug: str) -> str:
    """One article, the target of every entry's link."""
    svc = service()
    entry: Entry | None = svc.store.entry_by_slug(slug)
    if entry is None:
        abort(404, f"unknown article {slug!r}")
    return render_template(
        "article.html",
        entry=entry,
        canonical=render.entry_link(entry, svc.settings.base_url),
        feeds=feed_links(svc.settings),
    )


@bp.get("/articles/<slug:slug>/")
def article_folder(slug: str) -> Response:
    """The address a static export serves an article at: send it to the article's own URL."""
    location = site_path_of(service().settings, f"/articles/{slug}")
    return Response(status=308, headers={"Location": location})


@bp.get("/healthz")
def healthz() -> Response:
    """Liveness: the process answers."""
    return Response("ok\n", content_type="text/plain; charset=utf-8")


@bp.get("/readyz")
def readyz() -> Response:
    """Readiness: 503 until a scan has finished since start-up, and while the content folder
    is missing (the reason in the body)."""
    reason = service().unready_reason()
    if reason is None:
        return Response("ready\n", content_type="text/plain; charset=utf-8")
    return Response(reason + "\n", status=503, content_type="text/plain; charset=utf-8")


@bp.get("/status")
def status() -> Response:
    """Scans and catalog as JSON: last scan with per-file problems, recent scans and who ran them."""
    svc = service()
    return jsonify({
        "pid": os.getpid(),
        "ready": svc.ready(),
        "version": svc.store.version(),
        "served_version": svc.version(),  # what this process serves: equal within a second
        "last_scan": _without_values(svc.store.last_report()),
        "scheduled": svc.store.due(),  # articles to be published or to expire, soonest first
        "recent_scans": svc.store.scan_history(),
        **{name: section() for name, section in svc.status_sections.items()},
    })


def _without_values(report: dict[str, Any] | None) -> dict[str, Any] | None:
    """A scan report as anyone may read it: each file's problems name the field and what is
    wrong, never the value (a draft's text, or a file's that is not published as it is)."""
    if report is None:
        return None
    return {**report, **{
        kind: [{**problem, "reason": without_value(problem["reason"])} for problem in report.get(kind, [])]
        for kind in ("errors", "warnings", "skipped_files")
    }}


@bp.get("/metrics")
def metrics() -> Response:
    """Prometheus text format: requests of every worker, scan and catalog figures."""
    body, content_type = service().metrics.exposition()
    return Response(body, content_type=content_type)


@bp.post("/admin/rescan")
def admin_rescan() -> Response:
    """Scan now; needs `Authorization: Bearer <admin token>`, absent when no token is set."""
    svc = service()
    if svc.admin_guard is None:
        abort(404)
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    given = given.strip() if scheme.lower() == "bearer" else ""  # no token is a wrong one
    try:
        allowed = svc.admin_guard.check(request.remote_addr or "", given)
    except Refused as refusal:  # an address that kept sending wrong tokens waits
        return _refusal(429, refusal)
    if not allowed:
        return Response("401 Unauthorized: send Authorization: Bearer <FEEDSVC_ADMIN_TOKEN>\n",
                        status=401, content_type="text/plain; charset=utf-8",
                        headers={"WWW-Authenticate": 'Bearer realm="feedsvc"'})
    report = scan_once(svc.settings, svc.store)
    svc.forget_version()
    return jsonify({**report.as_dict(), "version": svc.store.version()})


@bp.before_app_request
def _start_request() -> None:
    g.request_started = time.perf_counter()
    if request.method in {"GET", "HEAD"}:  # every query of a read sees the same scan
        g.snapshot = service().store.snapshot()
        g.snapshot.__enter__()


@bp.teardown_app_request
def _end_snapshot(_error: BaseException | None) -> None:
    snapshot = g.pop("snapshot", None)
    if snapshot is not None:
        snapshot.__exit__(None, None, None)


@bp.after_app_request
def _count_request(response: Response) -> Response:
    route = request.url_rule.rule if request.url_rule is not None else "(unmatched)"
    elapsed = time.perf_counter() - g.get("request_started", time.perf_counter())
    service().metrics.count_request(route, request.method, response.status_code, elapsed)
    return response


@bp.after_app_request
def _host_free_redirects(response: Response) -> Response:
    """Werkzeug's redirects to the slash-merged or slash-ended URL name the Host header the
    client sent; a shared cache could hand that to everyone. Redirect by path instead."""
    location = response.headers.get("Location", "")
    if response.status_code == 308 and "://" in location:
        parts = urlsplit(location)
        return Response(status=308, headers={"Location": urlunsplit(("", "", parts.path, parts.query, ""))})
    return response


def _refusal(status: int, refusal: Refused) -> Response:
    """A 503 or 429 that tells the client when to come back."""
    body = f"{status} {HTTP_STATUS_CODES[status]}: {refusal}; retry in {refusal.retry_after} s\n"
    return Response(body, status=status, headers={"Retry-After": str(refusal.retry_after)},
                    content_type="text/plain; charset=utf-8")


def isolated(text: str) -> str:
    """Text for where no markup may go (a page's <title>): between U+2068 FIRST STRONG ISOLATE
    and U+2069 POP DIRECTIONAL ISOLATE, the plain-text <bdi>. A title's bidirectional controls
    (U+202E and the like) then cannot reorder the text around it."""
    return f"\u2068{text}\u2069"


def _plain_error(error: HTTPException) -> Response:
    body = f"{error.code} {error.name}: {error.description}\n"
    return Response(body, status=error.code, content_type="text/plain; charset=utf-8")


def _not_found_page(error: NotFound) -> tuple[str, int]:
    """The 404 page people see, for unknown slugs and for every path no route matches."""
    reason = "" if error.description == NotFound.description else error.description
    return render_template("404.html", reason=reason, feeds=feed_links(service().settings)), 404


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Create the app; settings come from defaults, feedsvc.toml, FEEDSVC_* and test_config."""
    app = Flask(__name__)
    app.jinja_env.trim_blocks = app.jinja_env.lstrip_blocks = True  # tidy page source
    app.url_map.converters["slug"] = SlugConverter
    app.jinja_env.filters["isolated"] = isolated
    settings = load_settings(overrides=test_config)
    app.extensions["feedsvc"] = Service(settings)
    app.wsgi_app = CachedFront(app.wsgi_app, app.extensions["feedsvc"])  # type: ignore[method-assign]
    app.register_blueprint(bp)
    app.register_blueprint(media_route.bp)
    app.register_error_handler(HTTPException, _plain_error)
    app.register_error_handler(NotFound, _not_found_page)
    if settings.run_scheduler:
        app.extensions["feedsvc_scheduler"] = start_scheduler(settings)
    if settings.websub_hub:
        from .websub import init_app as init_websub  # the hub's modules load only when configured

        init_websub(app)
    return app
