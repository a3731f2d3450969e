"""Hostile HTTP through a real `feedsvc serve` (gunicorn): every request gets a clear 4xx or a
correct 2xx/304/206, never a 500, a hang, a traceback or a dead worker, and the service keeps
serving; clients that send or read slowly cannot hold its threads for long.

Requests are written byte for byte on raw sockets, so nothing is normalized on the way.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.content import write
from helpers.feeds import parse_feed
from helpers.server import LiveServer, RawAnswer, exchange, raw_request

from feedsvc.config import load_settings
from feedsvc.errors import ConfigError

TOKEN = "admin-token-for-tests"
CLIENT_TIMEOUT = 1  # FEEDSVC_CLIENT_TIMEOUT of the server under test, in seconds
TITLE = "Harbour reopens after the storm"
ARTICLE = f"---\ntitle: {TITLE}\ndate: 2024-03-01\ntags: [sea]\n---\n\nFishing boats left at dawn.\n"
ROUTES = ["/feeds/atom.xml", "/topics/sea/rss.xml", "/topics/sea/", "/articles/world-harbour",
          "/static/feed.xsl", "/admin/rescan", "/page/2/", "/feeds.opml", "/api/topics"]
TRICKS = ["%00", "%c0%ae%c0%ae", "%2e%2e", "..\\..\\", "%5c..%5c", "/./", "%ff", "%", "%zz",
          "%u002e", "%2e%2e%2f%2e%2e%2f"]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    folder = tmp_path_factory.mktemp("hostile-http")
    write(folder / "content", "world/harbour.md", ARTICLE)
    live = LiveServer(folder / "content", folder / "catalog.db", folder / "serve.log", workers=2,
                      scan_interval=60, extra_env={"FEEDSVC_ADMIN_TOKEN": TOKEN,
                                                   "FEEDSVC_CLIENT_TIMEOUT": str(CLIENT_TIMEOUT)})
    with live:
        yield live
        log = live.log()  # before the shutdown, whose workers exit as they should
    assert "Traceback" not in log and "Worker exiting" not in log and "WORKER TIMEOUT" not in log
    assert log.count("Booting worker") == 2  # no worker died and was replaced


def assert_clean(answer: RawAnswer) -> None:
    assert answer.status < 500, (answer.status, answer.body[:300])
    assert b"Traceback" not in answer.body and b'File "' not in answer.body


def assert_still_serving(server: LiveServer) -> None:
    status, body, _headers = server.get("/feeds/atom.xml")
    assert status == 200
    assert [entry.title for entry in parse_feed(body).entries] == [TITLE]


ETAGS = ", ".join(f'"{number:032x}"' for number in range(200))
CASES = {
    # size and count limits of the request head: gunicorn's own, 431 Request Header Fields Too Large
    "a 100 KB header": (raw_request(headers=("X-Big: " + "a" * 100_000,)), {431}),
    "5,000 headers": (raw_request(headers=tuple(f"X-H{n}: v" for n in range(5000))), {431}),
    "a 1 MB If-None-Match": (raw_request(headers=("If-None-Match: " + "a" * 1_000_000,)), {431}),
    "a header just under the limit": (raw_request(headers=("X-Big: " + "a" * 8000,)), {200}),
    "200 ETags that do not match": (raw_request(headers=(f"If-None-Match: {ETAGS}",)), {200}),
    "ETag garbage": (raw_request(headers=('If-None-Match: W/"x", "y, ,,, W/ "',)), {200}),
    "If-None-Match: *": (raw_request(headers=("If-None-Match: *",)), {304}),
    # malformed dates are ignored (RFC 9110 §13.1.3): the full answer
    **{f"If-Modified-Since: {value}": (raw_request(headers=(f"If-Modified-Since: {value}",)), {200})
       for value in ["garbage", "Sat, 01 Jan 99999 00:00:00 GMT", "Sat, 01 Jan 0000 00:00:00 GMT",
                     "Mon, 99 Foo 2024 99:99:99 GMT", "1700000000", "", "%00"]},
    # Range: feeds are answered whole (allowed by RFC 9110 §14.2); static files honour it
    "Range on a feed": (raw_request(headers=("Range: bytes=0-10",)), {200}),
    "Range on a static file": (raw_request("/static/feed.xsl", headers=("Range: bytes=0-10",)), {206}),
    "Range past a static file": (raw_request("/static/feed.xsl", headers=("Range: bytes=99999999-",)), {416}),
    "Range garbage": (raw_request("/static/feed.xsl", headers=("Range: bytes=a-b,,,-",)), {416}),
    "1,000 ranges": (raw_request("/static/feed.xsl", headers=("Range: bytes=" + ",".join(["0-1"] * 1000),)),
                     {416}),
    # absurd negotiation headers
    **{f"Accept-Encoding: {value[:30]}": (raw_request(headers=(f"Accept-Encoding: {value}",)), {200})
       for value in ["gzip;q=abc", "gzip;q=nan", "gzip;q=inf", "gzip;q=-1", "gzip;q=1e999", ";;;,,,",
                     ",".join(f"x{n};q=0.{n % 10}" for n in range(1000))[:8000]]},
    **{f"Accept: {value[:30]}": (raw_request(headers=(f"Accept: {value}",)), {200})
       for value in ["text/html;q=abc, application/atom+xml;q=x", "*/*;q=0", "/;;",
                     ",".join(f"a/b{n};q=0.5;x=y" for n in range(600))[:8000]]},
    # methods and versions
    "an unknown method": (raw_request(method="FOO"), {405}),
    "PROPFIND": (raw_request(method="PROPFIND"), {405}),
    "TRACE": (raw_request(method="TRACE"), {405}),
    "DELETE": (raw_request(method="DELETE"), {405}),
    "a lowercase method": (raw_request(method="get"), {400}),
    "CONNECT": (raw_request("127.0.0.1:1", method="CONNECT"), {400, 404, 405}),
    "HTTP/2.0 on an HTTP/1 line": (raw_request(version="HTTP/2.0"), {400}),
    "HTTP/9.9": (raw_request(version="HTTP/9.9"), {400}),
    "HTTP/1.0 without Host": (raw_request(version="HTTP/1.0", host=False), {200}),
    "HTTP/1.1 without Host": (raw_request(host=False), {200, 400}),
    "a binary request line": (b"\x00\x01\x02 garbage\r\n\r\n", {400}),
    "an absolute URI": (raw_request("http://elsewhere.example/feeds/atom.xml"), {200}),
    "OPTIONS *": (raw_request("*", method="OPTIONS"), {400, 404}),
    "Content-Length and chunked": (
        raw_request(method="POST", headers=("Content-Length: 5", "Transfer-Encoding: chunked"))
        + b"0\r\n\r\n", {400}),
    "a negative Content-Length": (raw_request(headers=("Content-Length: -1",)), {400}),
    # the admin route: 401 for every wrong or odd token (429 once the address has sent a few),
    # 405 for other methods
    **{f"rescan with {name}": (
        raw_request("/admin/rescan", method="POST", headers=(value, "Content-Length: 0")), {401, 429})
       for name, value in [("a wrong token", "Authorization: Bearer nope"),
                           ("an 8 KB token", "Authorization: Bearer " + "x" * 8000),
                           ("a Latin-1 token", b"Authorization: Bearer \xff\xfe\xe9"),
                           ("Basic", "Authorization: Basic Zm9vOmJhcg=="),
                           ("no scheme", f"Authorization: {TOKEN}"),
                           ("the token twice", f"Authorization: Bearer {TOKEN} {TOKEN}"),
                           ("a token prefix", f"Authorization: Bearer {TOKEN[:-1]}")]},
    "rescan with a huge announced body": (raw_request("/admin/rescan", method="POST", headers=(
        "Authorization: Bearer nope", "Content-Length: 99999999999")), {401, 429}),
    "rescan by GET": (raw_request("/admin/rescan"), {405}),
}
for route in ROUTES:
    folder, _, name = route.rpartition("/")
    for trick in TRICKS:
        for target in (route + trick, f"{folder}/{trick}{name}", f"/{trick}{route}", trick + route):
            same = {200} if trick == "/./" else set()  # the same resource, spelled otherwise
            CASES[f"path {target}"] = (raw_request(target), {400, 404, 405, 308} | same)


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_request_gets_a_clear_answer(server: LiveServer, name: str) -> None:
    data, expected = CASES[name]
    answers = exchange(server.port, data)
    assert len(answers) == 1, answers
    assert_clean(answers[0])
    assert answers[0].status in expected, (answers[0].status, answers[0].body[:300])
    if answers[0].status == 308:  # a slash merged or added: to our own path, never another host
        assert answers[0].headers["location"].startswith("/"), answers[0].headers
        assert not answers[0].headers["location"].startswith("//")


def test_pipelined_requests_are_answered_in_order(server: LiveServer) -> None:
    data = (raw_request("/feeds/atom.xml", close=False) + raw_request("/healthz", close=False)
            + raw_request("/nowhere", close=False) + raw_request("/feeds/feed.json"))
    answers = exchange(server.port, data)
    assert [answer.status for answer in answers] == [200, 200, 404, 200]
    assert answers[1].body == b"ok\n"
    assert [item["title"] for item in json.loads(answers[3].body)["items"]] == [TITLE]


def test_a_right_token_still_rescans(server: LiveServer) -> None:
    data = raw_request("/admin/rescan", method="POST", headers=(f"Authorization: Bearer {TOKEN}",
                                                            "Content-Length: 0"))
    answer = exchange(server.port, data, source="127.0.0.3")[0]  # not the address of the wrong tokens
    assert (answer.status, json.loads(answer.body)["published"]) == (200, 1)


def test_conditional_get_with_the_etag_among_many(server: LiveServer) -> None:
    first = exchange(server.port, raw_request())[0]
    etag = first.headers["etag"]
    answer = exchange(server.port, raw_request(headers=(f"If-None-Match: {ETAGS}, {etag}",)))[0]
    assert (answer.status, answer.body) == (304, b"")
    modified = first.headers["last-modified"]
    assert exchange(server.port, raw_request(headers=(f"If-Modified-Since: {modified}",)))[0].status == 304


def test_slow_clients_cannot_hold_the_threads(server: LiveServer) -> None:
    """Three times as many trickling clients as the server has threads (2 workers x 4): others
    are still served within a few client timeouts, and the slow ones are disconnected."""
    slow = [socket.create_connection(("127.0.0.1", server.port), timeout=10) for _ in range(24)]
    stop = threading.Event()

    def trickle() -> None:
        for sock in slow:
            sock.sendall(b"GET /feeds/atom.xml HTTP/1.1\r\nHost: x\r\n")
        while not stop.wait(0.2):
            for sock in slow:
                try:
                    sock.sendall(b"X-Slow: 1\r\n")
                except OSError:  # disconnected by the server, as it should
                    pass

    worker = threading.Thread(target=trickle, daemon=True)
    worker.start()
    try:
        time.sleep(0.5)
        started = time.monotonic()
        answers = exchange(server.port, raw_request("/healthz"), timeout=CLIENT_TIMEOUT * 20)
        waited = time.monotonic() - started
        assert [answer.status for answer in answers] == [200]
        # a bound, not a benchmark: without the deadlines the wait has no end at all
        assert waited < CLIENT_TIMEOUT * 10, waited
        deadline = time.monotonic() + CLIENT_TIMEOUT * 10  # a round of the pool per threads' worth
        closed = 0
        for sock in slow:
            sock.settimeout(max(0.1, deadline - time.monotonic()))
            try:
                closed += sock.recv(1024) == b""
            except ConnectionResetError:
                closed += 1
            except TimeoutError:
                pass
        assert closed == len(slow)
    finally:
        stop.set()
        worker.join()
        for sock in slow:
            sock.close()
    assert_still_serving(server)


def test_a_client_that_never_sends_its_head_is_disconnected(server: LiveServer) -> None:
    with socket.create_connection(("127.0.0.1", server.port), timeout=CLIENT_TIMEOUT * 4) as sock:
        sock.sendall(b"GET /feeds/atom.xml HTTP/1.1\r\n")
        started = time.monotonic()
        assert sock.recv(1024) == b""  # closed, without an answer to a request never sent
        assert time.monotonic() - started < CLIENT_TIMEOUT + 1.5


def test_still_serving_after_everything(server: LiveServer) -> None:
    assert_still_serving(server)


def test_redirects_never_name_the_host_the_client_sent(make_app, content: Path, scan) -> None:
    write(content, "world/harbour.md", ARTICLE)
    scan()
    client = make_app().test_client()
    for path, location in [("/articles///world-harbour", "/articles/world-harbour"),
                           ("/topics/sea", "/topics/sea/"), ("/feeds//atom.xml", "/feeds/atom.xml"),
                           ("/articles/world-harbour/", "/articles/world-harbour")]:
        response = client.get(path, headers={"Host": "evil.example"})
        assert (response.status_code, response.headers["Location"]) == (308, location)
        assert b"evil.example" not in response.data
        assert client.get(location).status_code == 200


@pytest.mark.parametrize("value", ["0", "3601", "soon"])
def test_client_timeout_is_validated(value: str) -> None:
    with pytest.raises(ConfigError, match="FEEDSVC_CLIENT_TIMEOUT"):
        load_settings(environ={"FEEDSVC_CLIENT_TIMEOUT": value}, config_file=Path("absent.toml"))


def test_clients_that_never_read_their_answer_cannot_hold_the_threads(tmp_path: Path) -> None:
    """A feed of several megabytes asked for by clients that never read it: each loses its
    thread after three client timeouts, and a request queued behind them is still served."""
    words = " ".join(f"word{number}" for number in range(5000))
    for number in range(120):
        write(tmp_path / "content", f"world/a{number}.md",
              f"---\ntitle: Article {number}\ndate: 2024-01-{number % 28 + 1:02d}\n---\n\n{words}\n")
    live = LiveServer(tmp_path / "content", tmp_path / "catalog.db", tmp_path / "serve.log", workers=1,
                      scan_interval=60, extra_env={"FEEDSVC_CLIENT_TIMEOUT": "1", "FEEDSVC_THREADS": "2"})
    with live:
        assert len(live.get("/feeds/atom.xml?limit=500")[1]) > 4_000_000
        readers = []
        for _ in range(4):  # twice the threads, none reading
            sock = socket.socket()
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            sock.connect(("127.0.0.1", live.port))
            sock.sendall(raw_request("/feeds/atom.xml?limit=500", close=False))
            readers.append(sock)
        try:
            time.sleep(0.5)
            answers = exchange(live.port, raw_request("/healthz"), timeout=30)
            assert [answer.status for answer in answers] == [200]
        finally:
            for sock in readers:
                sock.close()
        log = live.log()
    assert log.count("read the answer too slowly") == 4
    assert "Traceback" not in log
