"""WebSub end to end: a real `feedsvc serve` with its built-in hub, subscribers written from the
W3C Recommendation on 127.0.0.1, and a stand-in external hub."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qsl

import feedparser
import pytest
from helpers.content import age, write
from helpers.feeds import assert_strictly_valid, parse_feed
from helpers.metrics import metric_samples
from helpers.server import LiveServer, served_guid
from helpers.websub import Received, Recorder, Subscriber, links

HUB_ENV = {
    "FEEDSVC_WEBSUB_HUB": "builtin",
    "FEEDSVC_WEBSUB_ALLOW_PRIVATE": "1",  # the subscribers listen on 127.0.0.1
    "FEEDSVC_WATCH": "1",
    "FEEDSVC_WEBSUB_RETRY_SECONDS": "1",
    "FEEDSVC_WEBSUB_ATTEMPTS": "3",
    "FEEDSVC_WEBSUB_LEASE_MIN": "1",
    "FEEDSVC_WEBSUB_TIMEOUT": "1",
}
FIRST = "science/first.txt"
QUIET_SECONDS = 2.5  # after a scan has published a change: time enough for a delivery to come


def article(title: str) -> str:
    return f"date 2024-03-0{len(title) % 9 + 1} {title}\n\nA paragraph about {title.lower()}.\n"


@pytest.fixture
def site(tmp_path: Path, content: Path) -> Path:
    age(write(content, FIRST, "date 2024-03-01 First light\n\nThe telescope opens.\n"),
        write(content, "world/harbour.txt", "date 2024-02-01 Harbour news\n\nBoats return.\n"))
    return tmp_path


def serve(site: Path, **env: str) -> LiveServer:
    return LiveServer(site / "content", site / "db" / "feedsvc.db", site / "server.log",
                      extra_env={**HUB_ENV, **env})


@pytest.fixture
def hub_server(site: Path) -> Iterator[LiveServer]:
    with serve(site) as server:
        yield server


@pytest.fixture
def subscribers() -> Iterator[list[Subscriber]]:
    made: list[Subscriber] = []
    yield made
    for subscriber in made:
        subscriber.close()


def websub_status(server: LiveServer) -> dict[str, object]:
    return json.loads(server.get("/status")[1])["websub"]  # type: ignore[no-any-return]


def wait_status(server: LiveServer, key: str, value: int, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while websub_status(server)[key] != value and time.monotonic() < deadline:
        time.sleep(0.1)
    assert websub_status(server)[key] == value, websub_status(server)


def add_article(server: LiveServer, content: Path, path: str, title: str, guids: set[str]) -> float:
    """Write an article; return when it was written, once the feeds carry it."""
    write(content, path, article(title))
    written = time.monotonic()
    guids.add(served_guid(path, f"2024-03-0{len(title) % 9 + 1}"))
    server.wait_for_catalog(guids)
    return written


def subscribed(subscribers: list[Subscriber], server: LiveServer, feed: str, **kwargs: object
               ) -> tuple[Subscriber, str, str]:
    """A new subscriber, subscribed (and verified) to the feed at path feed; its hub and topic."""
    subscriber = Subscriber(**kwargs)  # type: ignore[arg-type]
    subscribers.append(subscriber)
    hub, topic = subscriber.discover(server.base + feed)
    assert subscriber.request("subscribe", hub, topic)[0] == 202
    subscriber.wait_verification("subscribe")
    return subscriber, hub, topic


def test_subscriber_discovers_subscribes_receives_signed_feed_then_unsubscribes(
        hub_server: LiveServer, site: Path, subscribers: list[Subscriber]) -> None:
    server, content = hub_server, site / "content"
    feed = "/topics/science/atom.xml"
    subscriber = Subscriber()
    subscribers.append(subscriber)
    hub, topic = subscriber.discover(server.base + feed)
    assert (hub, topic) == (server.base + "/websub", server.base + feed)
    atom_links = {link.rel: link.href for link in parse_feed(server.get(feed)[1]).feed.links}
    assert atom_links["hub"] == hub and atom_links["self"] == topic
    status, text = subscriber.request("subscribe", hub, topic, **{"hub.lease_seconds": "999999999"})
    assert status == 202, text
    verification = subscriber.wait_verification("subscribe")
    assert verification["hub.topic"] == topic and verification["sub"] == "1"  # query kept (§5.1.1)
    assert verification["hub.lease_seconds"] == "864000"  # the default maximum, 10 days
    wait_status(server, "subscriptions", 1)

    guids = {served_guid(FIRST, "2024-03-01"), served_guid("world/harbour.txt", "2024-02-01")}
    written = add_article(server, content, "science/comet.txt", "Comet seen", guids)
    [delivery] = subscriber.wait_for("POST", 1, timeout=5)
    assert delivery.at - written < 2.0
    assert subscriber.signed(delivery), delivery.headers
    assert delivery.headers["x-hub-signature"].startswith("sha256=")
    assert delivery.headers["content-type"] == "application/atom+xml; charset=utf-8"
    assert links(delivery.headers["link"]) == {"hub": hub, "self": topic}
    delivered = parse_feed(delivery.body)
    assert delivered.entries[0].title == "Comet seen" and len(delivered.entries) == 2
    assert delivery.body == server.get(feed)[1]  # the full feed, as served

    assert subscriber.request("unsubscribe", hub, topic)[0] == 202
    subscriber.wait_verification("unsubscribe")
    wait_status(server, "subscriptions", 0)
    add_article(server, content, "science/eclipse.txt", "Eclipse tomorrow", guids)
    time.sleep(QUIET_SECONDS)
    assert len(subscriber.requests("POST")) == 1
    samples = metric_samples(server.get("/metrics")[1].decode())
    assert samples[("feedsvc_websub_deliveries_total", (("outcome", "sent"),))] == 1
    assert samples[("feedsvc_websub_subscriptions", ())] == 0


def test_denied_topics_and_callbacks_that_do_not_echo_get_nothing(
        hub_server: LiveServer, site: Path, subscribers: list[Subscriber]) -> None:
    server = hub_server
    hub = server.base + "/websub"
    foreign, liar = Subscriber(), Subscriber(echo=False)
    subscribers.extend([foreign, liar])
    not_ours = ["https://elsewhere.example/feed.xml", server.base + "/topics/nosuch/atom.xml",
                server.base + "/feeds/atom.xml?topic=Science&limit=50"]  # not the canonical spelling
    for topic in not_ours:
        assert foreign.request("subscribe", hub, topic)[0] == 202
    denials = foreign.wait_for("GET", len(not_ours))
    assert sorted(request.query["hub.topic"] for request in denials) == sorted(not_ours)
    assert {request.query["hub.mode"] for request in denials} == {"denied"}
    assert all("hub.challenge" not in request.query for request in denials)

    assert liar.request("subscribe", hub, server.base + "/feeds/rss.xml")[0] == 202
    liar.wait_verification("subscribe")
    _echo, _hub, topic = subscribed(subscribers, server, "/feeds/feed.json?topic=science")
    wait_status(server, "subscriptions", 1)  # the filtered feed's, not the liar's
    guids = {served_guid(FIRST, "2024-03-01"), served_guid("world/harbour.txt", "2024-02-01")}
    add_article(server, site / "content", "science/rain.txt", "Rain of meteors", guids)
    [delivery] = _echo.wait_for("POST", 1)
    assert json.loads(delivery.body)["feed_url"] == topic
    assert delivery.headers["content-type"] == "application/feed+json; charset=utf-8"
    time.sleep(QUIET_SECONDS)
    assert foreign.requests("POST") == [] and liar.requests("POST") == []


def test_failing_and_slow_subscribers_are_retried_then_given_up_without_delaying_others(
        hub_server: LiveServer, site: Path, subscribers: list[Subscriber]) -> None:
    server = hub_server
    failing, _hub, _topic = subscribed(subscribers, server, "/feeds/rss.xml", delivery_status=500)
    slow, _hub, _topic = subscribed(subscribers, server, "/feeds/rss.xml", delivery_delay=4)
    prompt, _hub, _topic = subscribed(subscribers, server, "/feeds/rss.xml")
    wait_status(server, "subscriptions", 3)
    guids = {served_guid(FIRST, "2024-03-01"), served_guid("world/harbour.txt", "2024-02-01")}
    written = add_article(server, site / "content", "world/storm.txt", "Storm passes", guids)
    [delivery] = prompt.wait_for("POST", 1)
    assert delivery.at - written < 2.0 and prompt.signed(delivery)
    for subscriber in (failing, slow):
        tries = subscriber.wait_for("POST", 3)
        gaps = [later.at - earlier.at for earlier, later in zip(tries, tries[1:], strict=False)]
        assert gaps[0] >= 1 and gaps[1] >= 2, gaps  # a second, then twice as long (plus timeouts)
        assert len({request.body for request in tries}) == 1 and delivery.body == tries[0].body
    wait_status(server, "delivery_failures", 2)
    time.sleep(QUIET_SECONDS)
    assert len(failing.requests("POST")) == len(slow.requests("POST")) == 3  # FEEDSVC_WEBSUB_ATTEMPTS
    figures = websub_status(server)
    assert (figures["deliveries"], figures["subscriptions"]) == (1, 3)  # Spec: §7, kept until the lease ends


def test_expired_lease_stops_deliveries(hub_server: LiveServer, site: Path,
                                        subscribers: list[Subscriber]) -> None:
    server = hub_server
    subscriber = Subscriber()
    subscribers.append(subscriber)
    hub, topic = subscriber.discover(server.base + "/feeds/atom.xml")
    assert subscriber.request("subscribe", hub, topic, **{"hub.lease_seconds": "2"})[0] == 202
    assert subscriber.wait_verification("subscribe")["hub.lease_seconds"] == "2"
    wait_status(server, "subscriptions", 1)
    wait_status(server, "subscriptions", 0, timeout=5)  # the lease ran out
    guids = {served_guid(FIRST, "2024-03-01"), served_guid("world/harbour.txt", "2024-02-01")}
    add_article(server, site / "content", "world/late.txt", "Late news", guids)
    time.sleep(QUIET_SECONDS)
    assert subscriber.requests("POST") == []


def test_subscriptions_survive_a_restart(site: Path, subscribers: list[Subscriber]) -> None:
    first = serve(site).start()
    try:
        subscriber, _hub, topic = subscribed(subscribers, first, "/topics/world/atom.xml")
        wait_status(first, "subscriptions", 1)
    finally:
        first.stop()
    second = serve(site)
    second.workers = 2  # requests reach either worker; one of them scans and delivers
    second.port, second.base = first.port, first.base  # the same base URL: the same topics
    with second:
        guids = {served_guid(FIRST, "2024-03-01"), served_guid("world/harbour.txt", "2024-02-01")}
        written = add_article(second, site / "content", "world/ferry.txt", "Ferry resumes", guids)
        [delivery] = subscriber.wait_for("POST", 1, timeout=5)
        assert delivery.at - written < 2.0
        assert subscriber.signed(delivery)
        titles = [entry.title for entry in parse_feed(delivery.body).entries]
        assert titles == ["Ferry resumes", "Harbour news"]
        assert links(delivery.headers["link"])["self"] == topic


@pytest.mark.parametrize(("path", "kind"), [
    ("/feeds/atom.xml", "atom"), ("/topics/science/rss.xml", "rss"), ("/feeds/feed.json", "json"),
])
def test_feeds_with_hub_links_pass_strict_validators(hub_server: LiveServer, path: str, kind: str) -> None:
    status, body, headers = hub_server.get(path)
    assert status == 200
    assert links(headers["Link"]) == {"hub": hub_server.base + "/websub", "self": hub_server.base + path}
    if kind == "json":
        assert json.loads(body)["hubs"] == [{"type": "WebSub", "url": hub_server.base + "/websub"}]
    else:
        parsed = feedparser.parse(body)
        hubs = [link.href for link in parsed.feed.links if link.rel == "hub"]
        assert hubs == [hub_server.base + "/websub"]
    assert_strictly_valid(hub_server.base + path, kind)


def publish_hub() -> Recorder:
    return Recorder(lambda _request: (204, b""))


def published(requests: list[Received]) -> list[str]:
    """The feed URLs of publish requests (form bodies: hub.mode=publish, hub.url)."""
    urls = []
    for request in requests:
        assert request.headers["content-type"] == "application/x-www-form-urlencoded"
        fields = dict(parse_qsl(request.body.decode()))
        assert fields["hub.mode"] == "publish"
        urls.append(fields["hub.url"])
    return sorted(urls)


def test_external_hub_is_told_of_each_changed_feed_only(site: Path) -> None:
    hub = publish_hub()
    content = site / "content"
    try:
        with serve(site, FEEDSVC_WEBSUB_HUB=hub.url + "/publish") as server:
            site_feeds = ["/feeds/atom.xml", "/feeds/rss.xml", "/feeds/feed.json"]
            science = [path.replace("/feeds/", "/topics/science/") for path in site_feeds]
            world = [path.replace("/feeds/", "/topics/world/") for path in site_feeds]
            wait_status(server, "watched_feeds", 9)  # the first scan's feeds: remembered, not told
            assert links(server.get("/feeds/rss.xml")[2]["Link"])["hub"] == hub.url + "/publish"
            guids = {served_guid(FIRST, "2024-03-01"), served_guid("world/harbour.txt", "2024-02-01")}
            add_article(server, content, "science/probe.txt", "Probe lands", guids)
            hub.wait_for("POST", 6)
            time.sleep(QUIET_SECONDS)
            expected = sorted(server.base + path for path in site_feeds + science)
            assert published(hub.requests("POST")) == expected
            (content / FIRST).touch()  # read again, same bytes: no feed changes
            time.sleep(QUIET_SECONDS)
            assert len(hub.requests("POST")) == 6
            assert websub_status(server)["publications"] == 6
            write(content, "world/harbour.txt", "date 2024-02-01 Harbour news\n\nBoats return late.\n")
            hub.wait_for("POST", 12)
            time.sleep(QUIET_SECONDS)
            later = published(hub.requests("POST")[6:])
            assert later == sorted(server.base + path for path in site_feeds + world)
    finally:
        hub.close()
