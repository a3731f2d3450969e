"""Which feeds changed with a commit, and who is told: the scanning process's side of WebSub.

A thread in every serving process wakes after each scan of its process and every
POLL_SECONDS (commits of `feedsvc scan` or of another worker); only the process holding the
leader lock acts. It renders each watched feed at the current catalog version (the feeds of
the site and of every topic for an external hub; the subscribed feeds for the built-in hub)
and compares its digest with the digest last notified, kept in the catalog: a feed whose bytes
changed is published to the external hub, or delivered to each of its subscribers; a feed
never seen before is only remembered. The digests survive restarts, so what changed while no
process led is told by the next leader. A feed's new digest is remembered once its requests
are queued: a process that stops in between tells again rather than never.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import threading
import time
from collections.abc import Mapping
from functools import partial
from urllib.parse import urlencode

from flask import Flask

from .hub_catalog import HubCatalog, Subscription
from .hub_delivery import DELIVERY, PUBLICATION, Deliverer, Job
from .scheduler import Schedule
from .web.cache import Rendered, hub_links
from .web.feeds import canonical_feed
from .web.meta import feed_links
from .web.service import Service

logger = logging.getLogger(__name__)

POLL_SECONDS = 0.5
FORM_TYPE = "application/x-www-form-urlencoded"


def signature(secret: str, body: bytes) -> str:
    """Spec: W3C WebSub §7.1, the X-Hub-Signature of a delivery."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class Notifier:
    """Watch the catalog for changed feeds while this process leads, and send what they need."""

    def __init__(self, app: Flask, schedule: Schedule, catalog: HubCatalog):
        self.app = app
        self.svc: Service = app.extensions["feedsvc"]
        self.settings = self.svc.settings
        self.schedule = schedule
        self.catalog = catalog
        self.builtin = self.settings.websub_hub == "builtin"
        self.deliverer: Deliverer | None = None  # started once this process leads
        self._checked: dict[str, str] = {}  # feed URL -> catalog version last compared at
        self._site_feeds: tuple[str, list[str]] = ("", [])  # a catalog version and its feeds
        self._wake = threading.Event()
        schedule.after_scan.append(self._wake.set)
        threading.Thread(target=self._run, name="websub-notify", daemon=True).start()

    def _run(self) -> None:
        while True:
            self._wake.wait(POLL_SECONDS)
            self._wake.clear()
            if not self.schedule.leader.held:
                continue
            try:
                self.check()
            except Exception:  # the catalog busy past its timeout, say: the next wake retries
                logger.exception("WebSub change check failed")

    def check(self) -> None:
        """Compare the watched feeds not yet compared at this catalog version; send the changes."""
        if self.deliverer is None:
            self.deliverer = Deliverer(self.settings)
        now = time.time()
        if self.builtin:
            self.catalog.drop_expired(now)
        version = self.svc.store.version()
        urls = self.catalog.topics(now) if self.builtin else self._feeds_of_site(version)
        todo = [url for url in urls if self._checked.get(url) != version] if version else []
        if todo:
            self._compare(todo, version)
        counts = self.deliverer.take_counts()
        if counts:
            self.catalog.add_counts(counts)

    def _feeds_of_site(self, version: str) -> list[str]:
        """The feeds of the site and of each topic, listed again only when the catalog changed."""
        if self._site_feeds[0] != version:
            topics = [None] + [topic for topic, _count in self.svc.store.topics()]
            self._site_feeds = (version, [link.url for topic in topics
                                          for link in feed_links(self.settings, topic)])
        return self._site_feeds[1]

    def _compare(self, urls: list[str], version: str) -> None:
        """Render each feed and send what its change needs at once (a subscriber of the first
        feed does not wait for the others to render); remember the new digests after."""
        self.svc.forget_version()  # render at the version just read, not one cached before it
        known = self.catalog.digests()
        digests: dict[str, str] = {}
        with self.app.app_context():
            for url in urls:
                doc = canonical_feed(url)
                if doc is None or known.get(url) == doc.digest:
                    continue
                digests[url] = doc.digest
                if url not in known:  # a feed seen for the first time: remembered only
                    continue
                if self.builtin:
                    self._deliver(url, doc, self.catalog.subscribers(url, time.time()))
                else:
                    self._publish(url)
        if digests:  # after sending: a crash in between sends again rather than never
            self.catalog.save_digests(digests, keep_subscribed_only=self.builtin)
            logger.info("WebSub: %d feeds changed at version %s", len(digests), version)
        self._checked.update(dict.fromkeys(urls, version))

    def _publish(self, url: str) -> None:
        """Tell the external hub that a feed changed (WebSub §6 leaves the way open; this is
        the usual one)."""
        assert self.deliverer is not None
        body = urlencode({"hub.mode": "publish", "hub.url": url}).encode()
        self.deliverer.submit(Job(
            key=("publish", url), url=self.settings.websub_hub, body=body,
            headers={"Content-Type": FORM_TYPE}, counted_as=PUBLICATION,
            prepare=lambda _body: {}, check_address=False))

    def _deliver(self, url: str, doc: Rendered, subscriptions: list[Subscription]) -> None:
        """Spec: W3C WebSub §7, the full new feed to each subscriber, with its type and links."""
        assert self.deliverer is not None
        headers = {"Content-Type": doc.content_type,
                   "Link": hub_links(self.settings.websub_hub_url, url)}
        for subscription in subscriptions:
            callback = subscription.callback
            self.deliverer.submit(Job(
                key=(url, callback), url=callback, body=doc.body, headers=headers,
                counted_as=DELIVERY, prepare=partial(self._sign, url, callback),
                gone=partial(self.catalog.unsubscribe, url, callback)))

    def _sign(self, topic: str, callback: str, body: bytes) -> Mapping[str, str] | None:
        """The signature of a delivery with the subscription's current secret; None once the
        subscription has ended (unsubscribed, expired)."""
        subscription = self.catalog.subscription(topic, callback, time.time())
        if subscription is None:
            return None
        return {"X-Hub-Signature": signature(subscription.secret, body)} if subscription.secret else {}
