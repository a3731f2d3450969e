"""The WebSub tables of the catalog: subscriptions, watched feeds' digests, delivery counts.

The store creates the tables with the rest of the schema; their SQL is here, run by the
store (Store.query, execute, execute_many), on SQLite and PostgreSQL alike. Every process
reads them; web workers write verified subscriptions, the scanning process (the hub's
deliverer) writes digests and counts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .store import Store

# Distinct feeds subscribed to: each is rendered after every commit, and filtered feeds
# (?topic=…&q=…) are countless, so their number is bounded apart from the subscriptions'.
MAX_TOPICS = 500
COUNTS = ("deliveries", "delivery_failures", "publications", "publication_failures")


@dataclass(frozen=True)
class Subscription:
    """A verified subscription: deliveries go to callback until expires (Unix time)."""

    topic: str
    callback: str
    host: str
    secret: str
    lease_seconds: int
    expires: float


class HubCatalog:
    """Reads and writes of the WebSub tables."""

    def __init__(self, store: Store):
        self.store = store

    def subscribe(self, subscription: Subscription, digest: str, limits: tuple[int, int]) -> bool:
        """Store a verified subscription (a renewal replaces the old one), unless it would pass
        limits (total, per host); remember the topic's digest if the hub watches it not yet."""
        store = self.store
        with store.write_transaction():
            if self.over_limits(subscription.topic, subscription.callback, subscription.host, limits):
                return False
            store.execute(
                "INSERT INTO websub_subscriptions "
                "(topic, callback, host, secret, lease_seconds, expires) VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (topic, callback) DO UPDATE SET host = excluded.host, secret = excluded.secret, "
                "lease_seconds = excluded.lease_seconds, expires = excluded.expires",
                (subscription.topic, subscription.callback, subscription.host, subscription.secret,
                 subscription.lease_seconds, subscription.expires))
            store.execute("INSERT INTO websub_feeds (url, digest) VALUES (?, ?) ON CONFLICT DO NOTHING",
                          (subscription.topic, digest))
        return True

    def over_limits(self, topic: str, callback: str, host: str, limits: tuple[int, int]) -> str:
        """Why a subscription of callback to topic would pass a limit; '' when it is within them
        (or renews one)."""
        if self.store.query("SELECT 1 FROM websub_subscriptions WHERE topic = ? AND callback = ?",
                            (topic, callback)):
            return ""
        [(total, of_host, topics, new_topic)] = self.store.query(
            "SELECT COUNT(*), COUNT(CASE WHEN host = ? THEN 1 END), COUNT(DISTINCT topic), "
            "NOT EXISTS (SELECT 1 FROM websub_subscriptions WHERE topic = ?) FROM websub_subscriptions",
            (host, topic))
        if of_host >= limits[1]:
            return f"this hub takes {limits[1]} subscriptions per callback host ({host})"
        if total >= limits[0]:
            return f"this hub takes {limits[0]} subscriptions in all"
        if new_topic and topics >= MAX_TOPICS:
            return f"this hub takes subscriptions to {MAX_TOPICS} different feeds"
        return ""

    def subscription(self, topic: str, callback: str, now: float) -> Subscription | None:
        """The subscription of callback to topic if its lease runs at now."""
        rows = self.store.query(
            "SELECT topic, callback, host, secret, lease_seconds, expires FROM websub_subscriptions "
            "WHERE topic = ? AND callback = ? AND expires > ?", (topic, callback, now))
        return Subscription(*rows[0]) if rows else None

    def unsubscribe(self, topic: str, callback: str) -> None:
        with self.store.write_transaction():
            self.store.execute("DELETE FROM websub_subscriptions WHERE topic = ? AND callback = ?",
                               (topic, callback))

    def topics(self, now: float) -> list[str]:
        """The topics with a subscription whose lease runs at now."""
        rows = self.store.query(
            "SELECT DISTINCT topic FROM websub_subscriptions WHERE expires > ? ORDER BY topic", (now,))
        return [row[0] for row in rows]

    def subscribers(self, topic: str, now: float) -> list[Subscription]:
        """The subscriptions to topic whose lease runs at now, by callback."""
        rows = self.store.query(
            "SELECT topic, callback, host, secret, lease_seconds, expires FROM websub_subscriptions "
            "WHERE topic = ? AND expires > ? ORDER BY callback", (topic, now))
        return [Subscription(*row) for row in rows]

    def drop_expired(self, now: float) -> int:
        """Forget subscriptions whose lease has ended; written only when there are some, so the
        check never waits for a scan's transaction."""
        if not self.store.query("SELECT 1 FROM websub_subscriptions WHERE expires <= ? LIMIT 1", (now,)):
            return 0
        with self.store.write_transaction():
            return self.store.execute("DELETE FROM websub_subscriptions WHERE expires <= ?", (now,))

    def digests(self) -> dict[str, str]:
        """The digest of each watched feed as last notified, by URL."""
        return {url: digest for url, digest in self.store.query("SELECT url, digest FROM websub_feeds")}

    def save_digests(self, digests: Mapping[str, str], keep_subscribed_only: bool) -> None:
        """Remember feeds as notified; the built-in hub forgets feeds nobody subscribes to (a
        later subscription starts from the feed as it is then)."""
        with self.store.write_transaction():
            self.store.execute_many("INSERT INTO websub_feeds (url, digest) VALUES (?, ?) "
                                    "ON CONFLICT (url) DO UPDATE SET digest = excluded.digest",
                                    list(digests.items()))
            if keep_subscribed_only:
                self.store.execute("DELETE FROM websub_feeds WHERE url NOT IN "
                                   "(SELECT topic FROM websub_subscriptions)")

    def add_counts(self, counts: Mapping[str, int]) -> None:
        with self.store.write_transaction():
            self.store.execute_many(
                "INSERT INTO websub_counts (name, value) VALUES (?, ?) "
                "ON CONFLICT (name) DO UPDATE SET value = websub_counts.value + excluded.value",
                [(name, value) for name, value in counts.items() if value])

    def figures(self, now: float) -> dict[str, int]:
        """Active subscriptions, feeds watched for changes and the delivery counts, for /status
        and /metrics."""
        counts = {name: value for name, value in self.store.query("SELECT name, value FROM websub_counts")}
        [(active, watched)] = self.store.query(
            "SELECT (SELECT COUNT(*) FROM websub_subscriptions WHERE expires > ?), "
            "(SELECT COUNT(*) FROM websub_feeds)", (now,))
        return {"subscriptions": active, "watched_feeds": watched,
                **{name: int(counts.get(name, 0)) for name in COUNTS}}
