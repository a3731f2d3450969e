"""The built-in hub's refusals and limits, its settings, and feeds that name a hub only when one
is configured (the real app; deliveries are tested end to end in test_websub.py)."""

from __future__ import annotations

import re
import socket
import time
from pathlib import Path

import pytest
from helpers.content import BASE_URL, write
from helpers.websub import Recorder

from feedsvc.config import load_settings
from feedsvc.errors import ConfigError
from feedsvc.hub_catalog import HubCatalog, Subscription
from feedsvc.hub_http import HubRequestError, resolve, send
from feedsvc.hub_notify import signature

FEED = BASE_URL + "/feeds/atom.xml"
FORM = "application/x-www-form-urlencoded"


@pytest.fixture
def hub_app(content: Path, scan, make_app):
    write(content, "science/a.txt", "date 2024-03-01 First light\n\nThe telescope opens.\n")
    scan()
    # Accepted requests are verified in the background at a public address nothing answers
    # here: a short timeout ends those tries soon.
    return make_app(websub_hub="builtin", websub_timeout=1)


def subscribe(client, **fields: str):
    form = {"hub.mode": "subscribe", "hub.topic": FEED, "hub.callback": "https://93.184.215.14/cb",
            **fields}
    return client.post("/websub", data=form, content_type=FORM)


@pytest.mark.parametrize(("fields", "status", "message"), [
    ({"hub.callback": "http://127.0.0.1:9/cb"}, 400, "resolves to 127.0.0.1: a loopback, private"),
    ({"hub.callback": "http://10.1.2.3/cb"}, 400, "10.1.2.3"),
    ({"hub.callback": "http://169.254.169.254/latest/meta-data"}, 400, "link-local"),
    ({"hub.callback": "http://[::1]/cb"}, 400, "::1"),
    ({"hub.callback": "http://[::ffff:192.168.0.1]/cb"}, 400, "::ffff:192.168.0.1"),
    ({"hub.callback": "http://224.0.0.1/cb"}, 400, "multicast"),
    ({"hub.callback": "ftp://93.184.215.14/cb"}, 400, "hub.callback: must be an absolute http"),
    ({"hub.callback": "https://user:pw@93.184.215.14/cb"}, 400, "no user name"),
    ({"hub.callback": "https://93.184.215.14/" + "a" * 2100}, 400, "at most 2048 characters"),
    ({"hub.callback": ""}, 400, "hub.callback: is required"),
    ({"hub.topic": ""}, 400, "hub.topic: is required"),
    ({"hub.mode": "publish"}, 400, "hub.mode: must be subscribe or unsubscribe"),
    ({"hub.secret": "s" * 200}, 400, "hub.secret: must be less than 200 bytes"),
    ({"hub.secret": "é" * 100}, 400, "hub.secret: must be less than 200 bytes"),
    ({"hub.lease_seconds": "-5"}, 400, "hub.lease_seconds: must be a positive whole number"),
    ({"hub.lease_seconds": "1e9"}, 400, "hub.lease_seconds"),
    ({"hub.lease_seconds": "0"}, 400, "hub.lease_seconds"),
])
def test_bad_subscription_requests_are_refused_with_the_reason(hub_app, fields, status, message) -> None:
    response = subscribe(hub_app.test_client(), **fields)
    assert response.status_code == status
    assert message in response.get_data(as_text=True)
    assert response.content_type == "text/plain; charset=utf-8"


def test_a_good_request_is_accepted_for_verification(hub_app) -> None:
    response = subscribe(hub_app.test_client(), **{"hub.secret": "s" * 199, "hub.lease_seconds": "60"})
    assert response.status_code == 202
    assert "verify" in response.get_data(as_text=True)


def test_oversized_or_unencoded_bodies_are_refused(hub_app) -> None:
    client = hub_app.test_client()
    huge = client.post("/websub", data="hub.mode=subscribe&x=" + "a" * 9000, content_type=FORM)
    assert huge.status_code == 413 and "at most 8192 bytes" in huge.get_data(as_text=True)
    as_json = client.post("/websub", data='{"hub.mode": "subscribe"}', content_type="application/json")
    assert as_json.status_code == 415


def test_limits_per_callback_host_and_in_total(content: Path, scan, make_app) -> None:
    write(content, "science/a.txt", "date 2024-03-01 First light\n\nThe telescope opens.\n")
    scan()
    app = make_app(websub_hub="builtin", websub_max_per_host=2, websub_max_subscriptions=3, websub_timeout=1)
    catalog = HubCatalog(app.extensions["feedsvc"].store)
    expires = time.time() + 3600
    for number, host in enumerate(["93.184.215.14", "93.184.215.14", "93.184.215.15"]):
        stored = catalog.subscribe(Subscription(FEED, f"https://{host}/cb{number}", host, "", 3600, expires),
                                   "digest", (3, 2))
        assert stored
    client = app.test_client()
    same_host = subscribe(client, **{"hub.callback": "https://93.184.215.14/another"})
    assert same_host.status_code == 403 and "93.184.215.14" in same_host.get_data(as_text=True)
    other_host = subscribe(client, **{"hub.callback": "https://93.184.215.16/cb"})
    assert other_host.status_code == 403 and "3 subscriptions in all" in other_host.get_data(as_text=True)
    assert subscribe(client, **{"hub.callback": "https://93.184.215.14/cb0"}).status_code == 202  # a renewal
    fourth = Subscription(FEED, "https://93.184.215.16/x", "93.184.215.16", "", 60, expires)
    assert not catalog.subscribe(fourth, "digest", (3, 2))  # also refused once verified
    assert catalog.figures(time.time())["subscriptions"] == 3


def test_limit_of_different_feeds(hub_app, monkeypatch) -> None:
    monkeypatch.setattr("feedsvc.hub_catalog.MAX_TOPICS", 1)
    catalog = HubCatalog(hub_app.extensions["feedsvc"].store)
    watched = Subscription(FEED, "https://93.184.215.14/cb", "93.184.215.14", "", 60, time.time() + 60)
    assert catalog.subscribe(watched, "digest", (10, 10))
    client = hub_app.test_client()
    other_feed = subscribe(client, **{"hub.topic": BASE_URL + "/feeds/rss.xml"})
    assert other_feed.status_code == 403 and "1 different feeds" in other_feed.get_data(as_text=True)
    assert subscribe(client, **{"hub.callback": "https://93.184.215.15/cb"}).status_code == 202


def test_private_callbacks_are_called_only_when_allowed() -> None:
    with pytest.raises(HubRequestError, match="127.0.0.1"):
        resolve("http://localhost:8080/cb", allow_private=False)
    assert "127.0.0.1" in resolve("http://localhost:8080/cb", allow_private=True)
    with pytest.raises(HubRequestError, match="multicast"):
        resolve("http://224.0.0.1/cb", allow_private=True)  # never, whatever the setting


def test_a_request_connects_to_the_address_it_checked(monkeypatch) -> None:
    """A name resolved once: answering another address the next time (DNS rebinding) is moot."""
    callback = Recorder(lambda _request: (200, b"pong"))
    answers = iter([[(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", 0))]])
    real_getaddrinfo = socket.getaddrinfo

    def resolve_once(host: str, *args: object, **kwargs: object) -> list[object]:
        if host != "rebind.example":  # the checked address itself, when connecting
            return real_getaddrinfo(host, *args, **kwargs)  # type: ignore[arg-type]
        return next(answers)  # a second lookup of the name would raise StopIteration

    monkeypatch.setattr(socket, "getaddrinfo", resolve_once)
    port = callback.url.rsplit(":", 1)[1]
    try:
        with pytest.raises(HubRequestError, match="127.0.0.1"):
            send("GET", f"http://rebind.example:{port}/cb", timeout=2, allow_private=False)
        answers = iter([[(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", 0))]])
        answer = send("GET", f"http://rebind.example:{port}/cb?a=1", timeout=2, allow_private=True)
    finally:
        callback.close()
    assert (answer.status, answer.body) == (200, b"pong")
    [request] = callback.requests("GET")
    assert request.headers["host"] == f"rebind.example:{port}" and request.query == {"a": "1"}


def test_feeds_name_the_hub_only_when_configured(content: Path, scan, make_app) -> None:
    write(content, "science/a.txt", "date 2024-03-01 First light\n\nThe telescope opens.\n")
    scan()
    plain, hubbed = make_app().test_client(), make_app(websub_hub="https://hub.example/").test_client()
    for path in ("/feeds/atom.xml", "/topics/science/rss.xml", "/feeds/feed.json?topic=science"):
        without, with_hub = plain.get(path), hubbed.get(path)
        assert "Link" not in without.headers and b"hub" not in without.data
        assert with_hub.headers["Link"] == (
            f'<https://hub.example/>; rel="hub", <{with_hub.headers["Content-Location"]}>; rel="self"')
        hub_link = re.compile(rb'\n *<(atom:)?link href="https://hub.example/" rel="hub"/>'
                              rb'|,\n  "hubs": \[\n    \{\n      "type": "WebSub",\n      "url": '
                              rb'"https://hub.example/"\n    \}\n  \]')
        assert len(hub_link.findall(with_hub.data)) == 1
        assert hub_link.sub(b"", with_hub.data) == without.data  # nothing else differs
        assert hubbed.get(path).data == with_hub.data


def test_signature_is_hmac_sha256_of_the_body() -> None:
    # RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?"
    assert signature("Jefe", b"what do ya want for nothing?") == (
        "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")


@pytest.mark.parametrize(("environ", "message"), [
    ({"FEEDSVC_WEBSUB_HUB": "hub.example"}, "FEEDSVC_WEBSUB_HUB"),
    ({"FEEDSVC_WEBSUB_HUB": "ftp://hub.example/"}, "FEEDSVC_WEBSUB_HUB"),
    ({"FEEDSVC_WEBSUB_LEASE_MIN": "100", "FEEDSVC_WEBSUB_LEASE_MAX": "50"},
     "FEEDSVC_WEBSUB_LEASE_MAX: the shortest lease must not be longer than the longest"),
    ({"FEEDSVC_WEBSUB_LEASE_MIN": "900000"},
     r"FEEDSVC_WEBSUB_LEASE_MIN: the shortest lease .* \(900000 > 864000\)"),
    ({"FEEDSVC_WEBSUB_RETRY_SECONDS": "0"}, "FEEDSVC_WEBSUB_RETRY_SECONDS"),
    ({"FEEDSVC_WEBSUB_RETRY_SECONDS": "0.5"}, "FEEDSVC_WEBSUB_RETRY_SECONDS: must be a whole number"),
    ({"FEEDSVC_WEBSUB_ATTEMPTS": "0"}, "FEEDSVC_WEBSUB_ATTEMPTS"),
    ({"FEEDSVC_WEBSUB_TIMEOUT": "0"}, "FEEDSVC_WEBSUB_TIMEOUT"),
    ({"FEEDSVC_WEBSUB_MAX_PER_HOST": "0"}, "FEEDSVC_WEBSUB_MAX_PER_HOST"),
])
def test_bad_websub_settings_name_the_variable(environ: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_settings(environ=environ, config_file=Path("absent.toml"))
