"""The documents each process has rendered, and the WSGI front that answers polls from them.

Feed readers poll the same URLs again and again. Rendered documents are kept by catalog
version and key; the front answers a request line seen before straight from here, and the
Flask views fill the cache on a miss. Both answer a cached document through answer(), so
its headers are decided in one place.
"""

from __future__ import annotations

import gzip
import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from werkzeug.http import http_date

from ..config import Settings
from ..metrics import Metrics
from . import conditional
from .paths import XSLT_TYPES

CACHE_SIZE = 256  # rendered documents per process
CACHE_BYTES = 64 * 1024 * 1024  # and their total size, gzip bodies made so far included
ALIASES = 4096  # request lines (path and raw query) remembered for the WSGI front
# Documents of keys asked for once (each query of a flood of unique ones) share NEW_BYTES of
# the cache until asked for again. RENDERED_KEYS bounds the keys remembered as rendered.
NEW_BYTES = 8 * 1024 * 1024
RENDERED_KEYS = 4096
# Sent with every answer, whoever makes it: browsers must take each body for the type it
# is declared as (a feed or a text error is never run as a script or shown as HTML).
EVERY_RESPONSE = [("X-Content-Type-Options", "nosniff")]
BROWSER_XML_TYPE = "application/xml; charset=utf-8"
CacheKey = tuple[str, str]  # catalog version, document key


class Rendered:
    """A document, with what a conditional request needs.

    Its gzip encoding is added by DocumentCache.gzip_body the first time a client asks for
    it (most never do); everything else is fixed when it is made.
    """

    def __init__(self, body: bytes, content_type: str, last_modified: datetime, location: str = ""):
        self.body = body
        self.content_type = content_type
        self.last_modified = last_modified
        self.location = location  # the canonical URL of a feed, sent as Content-Location
        self.digest = hashlib.sha256(body).hexdigest()[:32]
        self.http_last_modified = http_date(last_modified)
        self.gzipped: bytes | None = None

    @property
    def size(self) -> int:
        return len(self.body) + len(self.gzipped or b"")


class DocumentCache:
    """Rendered documents by catalog version and key, bounded in number and bytes, and the
    request lines that named each; thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._documents: OrderedDict[CacheKey, Rendered] = OrderedDict()  # least recent first
        self._new: OrderedDict[CacheKey, None] = OrderedDict()  # cached, of keys asked for once
        self._rendered_keys: OrderedDict[str, None] = OrderedDict()
        self._version = ""  # of the document cached last
        self._aliases: OrderedDict[tuple[str, str], tuple[str, str]] = OrderedDict()

    def get(self, version: str, key: str) -> Rendered | None:
        with self._lock:
            hit = self._documents.get((version, key))
            if hit is not None:
                self._documents.move_to_end((version, key))
                self._new.pop((version, key), None)  # asked for again: a document worth its place
            return hit

    def documents(self) -> dict[CacheKey, Rendered]:
        """What is cached now, by (catalog version, key), least recently used first."""
        with self._lock:
            return dict(self._documents)

    def forget(self, aliases_only: bool = False) -> None:
        """Drop what is cached (aliases_only: only which request lines named which document,
        so the next request of each goes through the app again)."""
        with self._lock:
            self._aliases.clear()
            if not aliases_only:
                self._documents.clear()
                self._new.clear()

    def rendered_before(self, key: str) -> bool:
        """Whether this process rendered key lately, at any catalog version."""
        with self._lock:
            return key in self._rendered_keys

    def put(self, version: str, key: str, rendered: Rendered, new: bool) -> bool:
        """Keep a document (new: of a key not rendered before); True when the documents of
        older catalogs were dropped for it."""
        with self._lock:
            dropped = version != self._version and self._drop_other_versions(version)
            if (version, key) not in self._documents:
                self._documents[(version, key)] = rendered
                if new:
                    self._new[(version, key)] = None
            self._rendered_keys[key] = None
            self._rendered_keys.move_to_end(key)
            while len(self._rendered_keys) > RENDERED_KEYS:
                self._rendered_keys.popitem(last=False)
            self._evict()
        return dropped

    def _drop_other_versions(self, version: str) -> bool:
        """Drop the documents of older catalogs (never served again) once a newer one is cached."""
        stale = [key for key in self._documents if key[0] != version]
        for key in stale:
            del self._documents[key]
            self._new.pop(key, None)
        self._version = version
        return bool(stale)

    def gzip_body(self, rendered: Rendered) -> bytes:
        """The document gzip-encoded, made on the first request for it and kept with it
        (level 6 and no timestamp: the same bytes, so the same ETag, in every process)."""
        if rendered.gzipped is None:
            compressed = gzip.compress(rendered.body, 6, mtime=0)  # outside the lock: it takes a while
            with self._lock:
                if rendered.gzipped is None:  # another thread may have made the same bytes meanwhile
                    rendered.gzipped = compressed
                    self._evict()  # the cache holds more bytes now
        return rendered.gzipped

    def _evict(self) -> None:
        """Drop the least recently used documents while the cache is over a bound, and the
        oldest documents asked for once while they are over theirs (lock held)."""
        new_bytes = sum(self._documents[key].size for key in self._new)
        while new_bytes > NEW_BYTES:
            new_bytes -= self._documents.pop(self._new.popitem(last=False)[0]).size
        cache_bytes = sum(rendered.size for rendered in self._documents.values())
        while len(self._documents) > CACHE_SIZE or cache_bytes > CACHE_BYTES:
            key, rendered = self._documents.popitem(last=False)
            self._new.pop(key, None)
            cache_bytes -= rendered.size

    def remember(self, path: str, raw_query: str, key: str, route: str) -> None:
        """Note that this request line is the document cached under key (served by route)."""
        with self._lock:
            self._aliases[(path, raw_query)] = (key, route)
            while len(self._aliases) > ALIASES:
                self._aliases.popitem(last=False)

    def recall(self, path: str, raw_query: str, version: Callable[[], str]) -> tuple[Rendered, str] | None:
        """The cached document and route of a request line seen before, at the current version."""
        alias = self._aliases.get((path, raw_query))
        if alias is None:
            return None
        cache_key = (version(), alias[0])
        with self._lock:
            rendered = self._documents.get(cache_key)
            if rendered is None:
                return None
            self._documents.move_to_end(cache_key)
        return rendered, alias[1]


@dataclass(frozen=True)
class AnswerPolicy:
    """What the answers with cached documents say besides the document, from the settings."""

    cache_control: str
    preview: bool  # a preview's documents never pass for the public catalog's, in a cache or a reader
    hub_url: str  # the WebSub hub feeds advertise, "" for none

    @classmethod
    def of(cls, settings: Settings) -> AnswerPolicy:
        if settings.drafts:
            return cls("private, no-cache", True, settings.websub_hub_url)
        return cls(f"public, max-age={settings.scan_interval}", False, settings.websub_hub_url)


def hub_links(hub: str, self_url: str) -> str:
    """Spec: W3C WebSub §4 discovery (and §7 distribution): the hub and the topic's self URL."""
    return f'<{hub}>; rel="hub", <{self_url}>; rel="self"'


def answer(environ: dict[str, Any], rendered: Rendered, policy: AnswerPolicy,
           gzip_body: Callable[[Rendered], bytes]) -> tuple[int, list[tuple[str, str]], bytes]:
    """Status, headers and body for a cached document: its variant (XML for browsers, gzip),
    each with its own ETag, and 304 when the request's conditions hold."""
    now = time.time()
    xslt = rendered.content_type in XSLT_TYPES
    feed_type = rendered.content_type.split(";")[0]
    browser = xslt and conditional.prefers_html(environ.get("HTTP_ACCEPT"), feed_type)
    use_gzip = conditional.accepts_gzip(environ.get("HTTP_ACCEPT_ENCODING", ""))
    etag = conditional.variant_etag(rendered.digest, preview=policy.preview, xml_for_browser=browser,
                                    gzipped=use_gzip)
    headers = [("ETag", etag), ("Cache-Control", policy.cache_control),
               ("Vary", "Accept, Accept-Encoding" if xslt else "Accept-Encoding")]
    if rendered.location:
        # Spec: RFC 9110 §8.7. A feed fetched at another spelling of its query names the URL
        # its self link gives; the W3C validator accepts the self link against it.
        headers.append(("Content-Location", rendered.location))
        if policy.hub_url:
            headers.append(("Link", hub_links(policy.hub_url, rendered.location)))
    if conditional.not_modified(environ.get("HTTP_IF_NONE_MATCH"), environ.get("HTTP_IF_MODIFIED_SINCE"),
                                etag, rendered.last_modified, now):
        return 304, headers, b""  # Spec: RFC 9110 §15.4.5, no representation metadata
    body = gzip_body(rendered) if use_gzip else rendered.body
    headers += [("Last-Modified", conditional.last_modified_header(rendered.last_modified,
                                                                   rendered.http_last_modified, now)),
                ("Content-Type", BROWSER_XML_TYPE if browser else rendered.content_type),
                ("Content-Length", str(len(body)))]
    if use_gzip:
        headers.append(("Content-Encoding", "gzip"))
    return 200, headers, body


class CachedFront:
    """WSGI front of the app: a GET or HEAD of a document already cached is answered here,
    and every answer, from here or from Flask, gets the headers every response carries.

    When the path and raw query string of a request were answered before and the document
    is cached at the current catalog version, the answer is a dictionary lookup and
    answer(), without Flask's request machinery; everything else (and every miss) goes to
    Flask, whose views fill the cache. The request is counted in the metrics like any other.
    """

    def __init__(self, wsgi_app: Callable[..., Any], cache: DocumentCache, version: Callable[[], str],
                 policy: AnswerPolicy, metrics: Metrics):
        self.wsgi_app = wsgi_app
        self.cache = cache
        self.version = version  # the catalog version this process serves
        self.policy = policy
        self.metrics = metrics

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        method = environ.get("REQUEST_METHOD")
        if method == "GET" or method == "HEAD":
            started = time.perf_counter()
            hit = self.cache.recall(environ.get("PATH_INFO", ""), environ.get("QUERY_STRING", ""),
                                    self.version)
            if hit is not None:
                rendered, route = hit
                status, headers, body = answer(environ, rendered, self.policy, self.cache.gzip_body)
                start_response("200 OK" if status == 200 else "304 Not Modified", headers + EVERY_RESPONSE)
                self.metrics.count_request(route, method, status, time.perf_counter() - started)
                return [body] if method == "GET" and body else []

        def start_flask_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            return start_response(status, headers + EVERY_RESPONSE, exc_info)

        return self.wsgi_app(environ, start_flask_response)
