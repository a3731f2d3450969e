"""Flask app factory, routes and HTTP caching: the only module that knows Flask."""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, Flask, Response, abort, current_app, render_template, request
from werkzeug.exceptions import HTTPException, NotFound
from werkzeug.http import http_date, parse_date, parse_etags
from werkzeug.routing import BaseConverter, ValidationError

from . import render
from .config import Settings, load_settings
from .model import Entry, Topic
from .normalize import ARTICLE_SLUG_CHARS
from .scheduler import start_scheduler
from .store import Store

VERSION_CHECK_SECONDS = 0.5  # every worker sees a new catalog within this delay
CACHE_SIZE = 256
# Browsers show Atom and RSS media types as text, without applying the XSL stylesheet.
XSLT_TYPES = {render.ATOM_TYPE, render.RSS_TYPE}
BROWSER_XML_TYPE = "application/xml; charset=utf-8"
# The feeds of the site and of each topic: file name, label, media type.
FEED_FORMATS = (("atom.xml", "Atom", render.ATOM_TYPE), ("rss.xml", "RSS", render.RSS_TYPE))

bp = Blueprint("feeds", __name__)


@dataclass(frozen=True)
class Rendered:
    body: bytes
    content_type: str
    etag: str
    last_modified: datetime


class Service:
    """Per-process state: settings, the catalog, and rendered feeds by catalog version."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.store = Store(settings.database)
        self.started = datetime.now(UTC)
        self._cache: OrderedDict[tuple[str, str], Rendered] = OrderedDict()
        self._lock = threading.Lock()
        self._version = ""
        self._version_checked = 0.0

    def version(self) -> str:
        now = time.monotonic()
        if now - self._version_checked > VERSION_CHECK_SECONDS:
            self._version = self.store.version()
            self._version_checked = now
        return self._version

    def ready(self) -> bool:
        """True once a scan has finished since this process started."""
        report = self.store.last_report()
        if not report or not report.get("finished"):
            return False
        return datetime.fromisoformat(report["finished"]) >= self.started.replace(microsecond=0)

    def cached(self, key: str, build: Callable[[], Rendered]) -> Rendered:
        cache_key = (self.version(), key)
        with self._lock:
            hit = self._cache.get(cache_key)
            if hit is not None:
                self._cache.move_to_end(cache_key)
                return hit
        with self.store.snapshot():  # the version and the rendered rows come from one scan
            cache_key = (self.store.version(), key)
            rendered = build()
        with self._lock:
            self._cache[cache_key] = rendered
            while len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
        return rendered


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


def _feed_info(settings: Settings, store: Store, path: str, site_path: str, topic: Topic | None):
    title = feed_title(settings, topic)
    subtitle = f"{settings.subtitle} about {topic.label}" if topic else settings.subtitle
    return render.FeedInfo(
        title=title,
        subtitle=subtitle,
        self_url=settings.base_url + path,
        site_url=settings.base_url + site_path,
        author=settings.author,
        language=settings.language,
        ttl_minutes=max(1, -(-settings.scan_interval // 60)),
        fallback_updated=store.newest_updated() or render.EPOCH,
        stylesheet=site_path_of(settings, "/static/feed.xsl"),
    )


def _render_feed(kind: str, topic: Topic | None) -> Rendered:
    svc = service()
    settings = svc.settings
    site_path = f"/topics/{topic.slug}/" if topic else "/"
    info = _feed_info(settings, svc.store, request.path, site_path, topic)
    entries = svc.store.entries(topic.slug if topic else None, settings.feed_limit)
    if kind == "atom":
        body, content_type = render.atom(entries, info, settings.base_url), render.ATOM_TYPE
    else:
        body, content_type = render.rss(entries, info, settings.base_url), render.RSS_TYPE
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    return Rendered(body, content_type, etag, render.feed_updated(entries, info))


def _not_modified(rendered: Rendered) -> bool:
    """RFC 9110 §13.2.2: If-None-Match, when present, decides; else If-Modified-Since."""
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match is not None:
        etags = parse_etags(if_none_match)
        return etags.star_tag or etags.contains_weak(rendered.etag.strip('"'))
    since = parse_date(request.headers.get("If-Modified-Since"))
    return since is not None and rendered.last_modified.replace(microsecond=0) <= since


def _for_browsers(rendered: Rendered) -> Rendered:
    """The same bytes as application/xml, with their own ETag, when a browser asks for HTML.

    Chromium displays application/atom+xml and application/rss+xml as plain text; as XML it
    applies the feed's XSL stylesheet. Feed readers, which ask for feed types (or anything),
    get the feed's own media type.
    """
    if rendered.content_type not in XSLT_TYPES:
        return rendered
    feed_type = rendered.content_type.split(";")[0]
    if request.accept_mimetypes.best_match([feed_type, "text/html"]) != "text/html":
        return rendered
    return replace(rendered, content_type=BROWSER_XML_TYPE, etag=rendered.etag[:-1] + '-xml"')


def _feed_response(rendered: Rendered) -> Response:
    settings = service().settings
    negotiated = rendered.content_type in XSLT_TYPES
    rendered = _for_browsers(rendered)
    headers = {
        "ETag": rendered.etag,
        "Last-Modified": http_date(rendered.last_modified),
        "Cache-Control": f"public, max-age={settings.scan_interval}",
        "Vary": "Accept, Accept-Encoding" if negotiated else "Accept-Encoding",
    }
    if _not_modified(rendered):
        return Response(status=304, headers=headers)
    return Response(rendered.body, content_type=rendered.content_type, headers=headers)


def _topic_or_404(slug: str) -> Topic:
    topic = service().store.topic(slug)
    if topic is None:
        abort(404, f"unknown topic {slug!r}")
    return topic


@bp.get("/feeds/<any(atom, rss):kind>.xml")
def all_feed(kind: str) -> Response:
    """Every entry, newest first."""
    return _feed_response(service().cached(request.path, lambda: _render_feed(kind, None)))


@bp.get("/topics/<slug>/<any(atom, rss):kind>.xml")
def topic_feed(slug: str, kind: str) -> Response:
    """The entries of one topic."""
    topic = _topic_or_404(slug)
    return _feed_response(service().cached(request.path, lambda: _render_feed(kind, topic)))


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


@bp.get("/")
def home() -> str:
    """Latest entries and every topic with its count and feeds."""
    svc = service()
    topics = svc.store.topics()
    return render_template(
        "index.html",
        entries=svc.store.entries(None, svc.settings.feed_limit),
        topics=topics,
        topic_feeds={topic.slug: feed_links(svc.settings, topic) for topic, _ in topics},
        feeds=feed_links(svc.settings),
    )


@bp.get("/topics/<slug:slug>/")
def topic_page(slug: str) -> str:
    """One topic's entries and feeds; its own feeds come first in autodiscovery."""
    svc = service()
    topic = _topic_or_404(slug)
    topic_feeds = feed_links(svc.settings, topic)
    return render_template(
        "topic.html",
        topic=topic,
        count={t.slug: n for t, n in svc.store.topics()}.get(slug, 0),
        entries=svc.store.entries(slug, svc.settings.feed_limit),
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


@bp.get("/healthz")
def healthz() -> Response:
    """Liveness: the process answers."""
    return Response("ok\n", content_type="text/plain; charset=utf-8")


@bp.get("/readyz")
def readyz() -> Response:
    """Readiness: 503 until a scan has finished since start-up."""
    if service().ready():
        return Response("ready\n", content_type="text/plain; charset=utf-8")
    return Response("waiting for the first scan\n", status=503,
                    content_type="text/plain; charset=utf-8")


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
    settings = load_settings(overrides=test_config)
    app.extensions["feedsvc"] = Service(settings)
    app.register_blueprint(bp)
    app.register_error_handler(HTTPException, _plain_error)
    app.register_error_handler(NotFound, _not_found_page)
    if settings.run_scheduler:
        app.extensions["feedsvc_scheduler"] = start_scheduler(settings)
    return app
