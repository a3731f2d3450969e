"""Flask app factory, routes and HTTP caching: the only module that knows Flask."""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, Flask, Response, abort, current_app, render_template, request
from werkzeug.exceptions import HTTPException
from werkzeug.http import http_date, parse_date, parse_etags

from . import render
from .config import Settings, load_settings
from .model import Entry, Topic
from .scheduler import start_scheduler
from .store import Store

VERSION_CHECK_SECONDS = 0.5  # every worker sees a new catalog within this delay
CACHE_SIZE = 256

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
        rendered = build()
        with self._lock:
            self._cache[cache_key] = rendered
            while len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
        return rendered


def service() -> Service:
    return current_app.extensions["feedsvc"]  # type: ignore[no-any-return]


def _feed_info(settings: Settings, store: Store, path: str, site_path: str, topic: Topic | None):
    title = f"{settings.title}: {topic.label}" if topic else settings.title
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


def _feed_response(rendered: Rendered) -> Response:
    settings = service().settings
    headers = {
        "ETag": rendered.etag,
        "Last-Modified": http_date(rendered.last_modified),
        "Cache-Control": f"public, max-age={settings.scan_interval}",
        "Vary": "Accept-Encoding",
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


def _page_context(**values: Any) -> dict[str, Any]:
    svc = service()
    return {"settings": svc.settings, "topics": svc.store.topics(), **values}


@bp.get("/")
def home() -> str:
    """Latest entries and every topic with its feeds."""
    entries = service().store.entries(None, service().settings.feed_limit)
    return render_template("index.html", **_page_context(entries=entries, feed_path="/feeds"))


@bp.get("/topics/<slug>/")
def topic_page(slug: str) -> str:
    """One topic's entries and feeds."""
    topic = _topic_or_404(slug)
    entries = service().store.entries(slug, service().settings.feed_limit)
    return render_template(
        "topic.html",
        **_page_context(topic=topic, entries=entries, feed_path=f"/topics/{slug}"),
    )


@bp.get("/articles/<slug>")
def article_page(slug: str) -> str:
    """One article, the target of every entry's link."""
    entry: Entry | None = service().store.entry_by_slug(slug)
    if entry is None:
        abort(404, f"unknown article {slug!r}")
    return render_template("article.html", **_page_context(entry=entry, feed_path="/feeds"))


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


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Create the app; settings come from defaults, feedsvc.toml, FEEDSVC_* and test_config."""
    app = Flask(__name__)
    settings = load_settings(overrides=test_config)
    app.extensions["feedsvc"] = Service(settings)
    app.register_blueprint(bp)
    app.register_error_handler(HTTPException, _plain_error)
    if settings.run_scheduler:
        app.extensions["feedsvc_scheduler"] = start_scheduler(settings)
    return app
