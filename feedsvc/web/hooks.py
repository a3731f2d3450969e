"""Around every request: the catalog snapshot a read sees, its count in the metrics,
host-free redirects, and the plain answers of errors and refusals."""

from __future__ import annotations

import time
from urllib.parse import urlsplit, urlunsplit

from flask import Flask, Response, g, render_template, request
from werkzeug.exceptions import HTTPException, NotFound
from werkzeug.http import HTTP_STATUS_CODES

from ..errors import CatalogUnavailable
from ..limits import Refused
from .meta import feed_links
from .service import service

PLAIN_TEXT = "text/plain; charset=utf-8"
CATALOG_RETRY_SECONDS = 5  # PostgreSQL out of reach: servers try it again at every request


def init_app(app: Flask) -> None:
    app.before_request(_start_request)
    app.teardown_request(_end_snapshot)
    # after_request functions run last registered first
    app.after_request(_count_request)
    app.after_request(_host_free_redirects)
    app.register_error_handler(HTTPException, _plain_error)
    app.register_error_handler(NotFound, _not_found_page)
    app.register_error_handler(CatalogUnavailable, _catalog_unavailable)


def _start_request() -> None:
    g.request_started = time.perf_counter()
    if request.method in {"GET", "HEAD"}:  # every query of a read sees the same scan
        g.snapshot = service().store.snapshot()
        g.snapshot.__enter__()


def _end_snapshot(_error: BaseException | None) -> None:
    snapshot = g.pop("snapshot", None)
    if snapshot is not None:
        snapshot.__exit__(None, None, None)


def _catalog_unavailable(_error: CatalogUnavailable) -> Response:
    """What is cached was answered before Flask (web.cache); the rest waits for PostgreSQL.
    Where it is and why it cannot be reached are in the log, not in a public answer."""
    return Response("503 Service Unavailable: the catalog's database cannot be reached; try again "
                    "shortly\n", status=503, headers={"Retry-After": str(CATALOG_RETRY_SECONDS)},
                    content_type=PLAIN_TEXT)


def _count_request(response: Response) -> Response:
    route = request.url_rule.rule if request.url_rule is not None else "(unmatched)"
    elapsed = time.perf_counter() - g.get("request_started", time.perf_counter())
    service().metrics.count_request(route, request.method, response.status_code, elapsed)
    return response


def _host_free_redirects(response: Response) -> Response:
    """Werkzeug's redirects to the slash-merged or slash-ended URL name the Host header the
    client sent; a shared cache could hand that to everyone. Redirect by path instead."""
    location = response.headers.get("Location", "")
    if response.status_code == 308 and "://" in location:
        parts = urlsplit(location)
        return Response(status=308, headers={"Location": urlunsplit(("", "", parts.path, parts.query, ""))})
    return response


def refusal(status: int, refused: Refused) -> Response:
    """A 503 or 429 that tells the client when to come back."""
    body = f"{status} {HTTP_STATUS_CODES[status]}: {refused}; retry in {refused.retry_after} s\n"
    return Response(body, status=status, headers={"Retry-After": str(refused.retry_after)},
                    content_type=PLAIN_TEXT)


def _plain_error(error: HTTPException) -> Response:
    body = f"{error.code} {error.name}: {error.description}\n"
    return Response(body, status=error.code, content_type=PLAIN_TEXT)


def _not_found_page(error: NotFound) -> tuple[str, int]:
    """The 404 page people see, for unknown slugs and for every path no route matches."""
    reason = "" if error.description == NotFound.description else error.description
    return render_template("404.html", reason=reason, feeds=feed_links(service().settings)), 404
