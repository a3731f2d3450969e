"""WebSub (W3C Recommendation, https://www.w3.org/TR/websub/): the built-in hub's endpoint,
verification of intent, and the wiring of the hub into the app.

With FEEDSVC_WEBSUB_HUB set, every feed advertises the hub (web/, render.py). With
`builtin`, POST <base URL>/websub takes subscription requests (§5.1) for this service's
canonical feed URLs; a worker thread of the receiving process checks the topic (§5.2, others
are denied), verifies intent with a GET to the callback (§5.3) and only then stores the
subscription in the catalog. Deliveries (§7) and publications to an external hub are sent by
the scanning process only (hub_notify). Callbacks must be http(s) and, unless
FEEDSVC_WEBSUB_ALLOW_PRIVATE=1, resolve to public addresses only (hub_http).
"""

from __future__ import annotations

import logging
import queue
import re
import secrets
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

from flask import Blueprint, Flask, Response, current_app, request
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric

from .config import Settings
from .hub_catalog import HubCatalog, Subscription
from .hub_http import HubRequestError, check_url, resolve, send
from .web.feeds import canonical_feed
from .web.service import Service

logger = logging.getLogger(__name__)

MAX_REQUEST_BYTES = 8192  # of a subscription request's body: two URLs, a secret, a number
MAX_SECRET_BYTES = 199  # Spec: §5.1, hub.secret "MUST be less than 200 bytes"
LEASE_DIGITS = re.compile(r"[0-9]{1,10}")
VERIFIERS = 2  # threads per process making verification and denial requests
MAX_PENDING = 100  # requests waiting for them; past it the hub answers 503
RETRY_AFTER_SECONDS = 10

bp = Blueprint("websub", __name__)


class RequestError(Exception):
    """A subscription request the hub refuses at once (status and plain-text reason)."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Intent:
    """A subscription request, checked, waiting for validation and verification of intent."""

    mode: str  # subscribe or unsubscribe
    topic: str
    callback: str
    host: str
    lease_seconds: int
    secret: str


class Hub:
    """The built-in hub of one process: it checks requests and verifies intent."""

    def __init__(self, app: Flask):
        self.app = app
        self.svc: Service = app.extensions["feedsvc"]
        self.settings: Settings = self.svc.settings
        self.catalog = HubCatalog(self.svc.store)
        self.limits = (self.settings.websub_max_subscriptions, self.settings.websub_max_per_host)
        self._intents: queue.Queue[Intent] = queue.Queue(MAX_PENDING)
        for number in range(VERIFIERS):
            threading.Thread(target=self._verify_forever, name=f"websub-verify-{number}",
                             daemon=True).start()

    def accept(self, form: Any) -> None:
        """Check a request (RequestError when refused) and queue its verification."""
        intent = self._intent(form)
        full = intent.mode == "subscribe" and self.catalog.over_limits(
            intent.topic, intent.callback, intent.host, self.limits)
        if full:
            raise RequestError(403, full)
        try:
            self._intents.put_nowait(intent)
        except queue.Full:
            raise RequestError(503, "too many requests waiting for verification; try again soon") from None

    def _intent(self, form: Any) -> Intent:
        mode = form.get("hub.mode", "")
        if mode not in {"subscribe", "unsubscribe"}:
            raise RequestError(400, "hub.mode: must be subscribe or unsubscribe")
        fields = {name: form.get(f"hub.{name}", "") for name in ("topic", "callback", "secret")}
        for name in ("topic", "callback"):
            if not fields[name]:
                raise RequestError(400, f"hub.{name}: is required")
        try:
            host = check_url(fields["callback"], "hub.callback")
            check_url(fields["topic"], "hub.topic")
            resolve(fields["callback"], self.settings.websub_allow_private)
        except HubRequestError as error:
            raise RequestError(400, str(error)) from None
        if len(fields["secret"].encode()) > MAX_SECRET_BYTES:
            raise RequestError(400, f"hub.secret: must be less than {MAX_SECRET_BYTES + 1} bytes")
        return Intent(mode, fields["topic"], fields["callback"], host,
                      self._lease(form.get("hub.lease_seconds", "")), fields["secret"])

    def _lease(self, asked: str) -> int:
        """Spec: §5.3.1, the lease granted: the one asked for within the configured bounds."""
        low, high = self.settings.websub_lease_min, self.settings.websub_lease_max
        if not asked:
            return high
        if not LEASE_DIGITS.fullmatch(asked) or int(asked) == 0:
            raise RequestError(400, "hub.lease_seconds: must be a positive whole number of seconds")
        return min(max(int(asked), low), high)

    def _verify_forever(self) -> None:
        while True:
            intent = self._intents.get()
            try:
                with self.app.app_context():
                    self._verify(intent)
            except Exception:  # a bug or a catalog error must not end the thread
                logger.exception("WebSub verification for %s failed", intent.callback)

    def _verify(self, intent: Intent) -> None:
        """Deny a topic that is not ours (§5.2), else verify intent (§5.3) and store the outcome."""
        feed = canonical_feed(intent.topic) if intent.mode == "subscribe" else None
        if intent.mode == "subscribe" and feed is None:
            reason = "not a canonical feed URL of this service (the rel=self link of one of its feeds)"
            self._call(intent, {"hub.mode": "denied", "hub.topic": intent.topic, "hub.reason": reason})
            return
        challenge = secrets.token_urlsafe(32)  # Spec: §5.3, characters of the allowed set only
        params = {"hub.mode": intent.mode, "hub.topic": intent.topic, "hub.challenge": challenge}
        if intent.mode == "subscribe":
            params["hub.lease_seconds"] = str(intent.lease_seconds)
        asked_at = time.time()  # a lease runs from the verification request (§5.3)
        echoed = self._call(intent, params) == challenge.encode()
        if not echoed:
            logger.info("WebSub %s of %s to %s not verified: no echo of the challenge",
                        intent.mode, intent.callback, intent.topic)
        elif intent.mode == "unsubscribe":
            self.catalog.unsubscribe(intent.topic, intent.callback)
        elif feed is not None and not self.catalog.subscribe(Subscription(
                intent.topic, intent.callback, intent.host, intent.secret, intent.lease_seconds,
                asked_at + intent.lease_seconds), feed.digest, self.limits):
            logger.warning("WebSub subscription of %s not stored: limits reached", intent.callback)

    def _call(self, intent: Intent, params: dict[str, str]) -> bytes | None:
        """GET the callback with params added to its query (§5.1.1); the body of a 2xx answer."""
        separator = "&" if urlsplit(intent.callback).query else ("" if intent.callback.endswith("?") else "?")
        url = intent.callback + separator + urlencode(params)
        try:
            answer = send("GET", url, timeout=self.settings.websub_timeout,
                          allow_private=self.settings.websub_allow_private)
        except (HubRequestError, OSError) as error:
            logger.info("WebSub GET of %s failed: %s", intent.callback, error)
            return None
        return answer.body if 200 <= answer.status < 300 else None


def _plain(status: int, text: str, **headers: str) -> Response:
    return Response(text + "\n", status=status, content_type="text/plain; charset=utf-8",
                    headers=headers)


@bp.post("/websub")
def subscription_request() -> Response:
    """Spec: §5.1, a subscription or unsubscription request: 202, then verification of intent."""
    hub: Hub = current_app.extensions["feedsvc_websub"]
    length = request.content_length
    if length is None or length > MAX_REQUEST_BYTES:
        return _plain(413, f"the body must have a Content-Length of at most {MAX_REQUEST_BYTES} bytes")
    if request.mimetype != "application/x-www-form-urlencoded":
        return _plain(415, "the request body must be application/x-www-form-urlencoded")
    try:
        hub.accept(request.form)
    except RequestError as error:
        extra = {"Retry-After": str(RETRY_AFTER_SECONDS)} if error.status == 503 else {}
        return _plain(error.status, str(error), **extra)
    return _plain(202, "accepted: the hub will verify the request with a GET to hub.callback")


class HubCollector:
    """WebSub figures for /metrics, read from the catalog at each scrape."""

    def __init__(self, catalog: HubCatalog):
        self.catalog = catalog

    def collect(self) -> Iterator[Metric]:
        figures = self.catalog.figures(time.time())
        yield GaugeMetricFamily("feedsvc_websub_subscriptions", "Active WebSub subscriptions.",
                                value=figures["subscriptions"])
        for name, kind in (("deliveries", "delivery"), ("publications", "publication")):
            family = CounterMetricFamily(f"feedsvc_websub_{name}",
                                         f"WebSub {kind} requests, by outcome.", labels=["outcome"])
            family.add_metric(["sent"], figures[name])
            family.add_metric(["given_up"], figures[f"{kind}_failures"])
            yield family


def init_app(app: Flask) -> None:
    """Add the hub's endpoint (built-in hub), /status and /metrics figures, and, in a serving
    process, the change watch that delivers or publishes once the process scans."""
    svc: Service = app.extensions["feedsvc"]
    catalog = HubCatalog(svc.store)
    if svc.settings.websub_hub == "builtin":
        app.extensions["feedsvc_websub"] = Hub(app)
        app.register_blueprint(bp)
    svc.status_sections["websub"] = lambda: {"hub": svc.settings.websub_hub_url,
                                             **catalog.figures(time.time())}
    svc.metrics.add_collector(HubCollector(catalog))
    schedule = app.extensions.get("feedsvc_scheduler")
    if schedule is not None:
        from .hub_notify import Notifier

        app.extensions["feedsvc_websub_notifier"] = Notifier(app, schedule, catalog)
