"""The state of one serving process: settings, catalog, metrics and its rendered documents."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from flask import abort, copy_current_request_context, current_app

from .. import query as feed_query
from ..config import Settings
from ..errors import QueryError
from ..limits import Refused, RenderQueue, TokenGuard, client_gone
from ..memory import release_free_memory
from ..metrics import Metrics
from ..model import Topic
from ..query import FeedQuery
from ..store import Store
from .cache import AnswerPolicy, DocumentCache, Rendered

VERSION_CHECK_SECONDS = 0.5  # every worker sees a new catalog within this delay
MAX_QUERY_FIELDS = 100
# Feeds with parameters this process has not rendered before (each query of a flood of
# unique ones) are rendered one at a time, NEW_QUEUE more waiting (RenderQueue): they cannot
# take the threads, cores and memory that cached polls need.
NEW_QUEUE = 1


class ClientGone(Exception):
    """The client closed its connection before its document was rendered: nothing is sent."""


class Service:
    """Per-process state: settings, the catalog, and rendered documents by catalog version.

    export: one client renders the whole site for a static host (feedsvc build), inside its
    own snapshot: renders stay on its thread, which reads that snapshot, and feeds carry no
    paging links, since a static host ignores query strings.
    """

    def __init__(self, settings: Settings, *, export: bool = False, metrics_dir: Path | None = None):
        self.settings = settings
        self.export = export
        self.store = Store(settings.catalog)
        self.metrics = Metrics(self.store, metrics_dir)
        self.started = datetime.now(UTC)
        self.cache = DocumentCache()
        self.policy = AnswerPolicy.of(settings)
        self.new_renders = RenderQueue(NEW_QUEUE)
        self.admin_guard = TokenGuard(settings.admin_token) if settings.admin_token else None
        self._version = ""
        self._version_checked = 0.0
        self.parse_query = lru_cache(maxsize=1024)(self._parse_query)
        # Sections other parts add to /status (WebSub), each computed at every request.
        self.status_sections: dict[str, Callable[[], object]] = {}

    def version(self) -> str:
        """The catalog version this process serves, read again at most every VERSION_CHECK_SECONDS."""
        now = time.monotonic()
        if now - self._version_checked > VERSION_CHECK_SECONDS:
            self._version = self.store.version()
            self._version_checked = now
        return self._version

    def forget_version(self) -> None:
        """Read the catalog version again at the next request (after a scan in this process)."""
        self._version_checked = 0.0

    def unready_reason(self) -> str | None:
        """Why this process is not ready to serve current feeds; None when it is: its catalog
        can be reached, a scan has finished since it started, and the content folder is there
        to be scanned (a server that does not scan needs only a catalog some scan built)."""
        if self.store.unavailable_reason():  # its detail is in the log, not shown to anyone
            return "the catalog's database cannot be reached; cached documents are still served"
        if not self.settings.scan:
            return None if self.store.version() else "waiting for a scan by a server with the content folder"
        from ..walk import content_problem  # here: walk imports the readers (0.1 s), which
        # a worker that does not scan never needs
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
        hit = self.cache.get(self.version(), key)
        if hit is not None:
            return hit
        known = not limited or self.cache.rendered_before(key)
        version, rendered = self._render(key, build, environ or {}, known)
        if self.cache.put(version, key, rendered, new=not known):
            release_free_memory()
        return rendered

    def _render(self, key: str, build: Callable[[], Rendered], environ: dict[str, Any], known: bool
                ) -> tuple[str, Rendered]:
        """Build a document for a client still there; a key not rendered before waits its turn."""
        def render() -> tuple[str, Rendered]:
            self._skip_if_gone(environ)  # checked again after any wait
            with self.store.snapshot():  # the version and the rendered rows come from one scan
                return self.store.version(), build()

        self._skip_if_gone(environ)
        if known or self.export:
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


def service() -> Service:
    """The serving state of the current app."""
    return current_app.extensions["feedsvc"]  # type: ignore[no-any-return]


def topic_or_404(slug: str) -> Topic:
    topic = service().store.topic(slug)
    if topic is None:
        abort(404, f"unknown topic {slug!r}")
    return topic
