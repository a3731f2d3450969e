"""Hostile clients against a real `feedsvc serve`: floods of new queries, clients that close
before their answer, wrong admin tokens; and the headers every answer carries.

Behaviour only: the latency cached polls keep under a flood is measured by bench/flood.py.
"""

from __future__ import annotations

import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator

import pytest
from helpers.content import write
from helpers.feeds import parse_feed
from helpers.metrics import metric_samples
from helpers.server import LiveServer, RawAnswer, exchange, parse_answers, raw_request

from feedsvc.limits import Refused, TokenGuard

TOKEN = "a-long-admin-token-for-tests"
ARTICLES = 300  # enough that a feed of 500 entries takes a while to render
PARAGRAPH = "The harbour board met again to weigh the cost of dredging the inner basin. " * 12


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    folder = tmp_path_factory.mktemp("limits")
    for number in range(ARTICLES):
        write(folder / "content", f"world/report-{number:03d}.md",
              f"---\ntitle: Report {number}\ndate: 2023-{1 + number % 12:02d}-{1 + number % 28:02d}\n"
              f"---\n\n{PARAGRAPH}\n\n{PARAGRAPH}\n")
    live = LiveServer(folder / "content", folder / "catalog.db", folder / "serve.log", workers=1,
                      scan_interval=3600, extra_env={"FEEDSVC_ADMIN_TOKEN": TOKEN})
    with live:
        yield live


def new_query(number: int) -> str:
    """A feed URL never asked before: every entry, since a second of its own."""
    return f"/feeds/atom.xml?limit=500&since=2015-01-01T00:{number // 60:02d}:{number % 60:02d}Z"


def skipped(server: LiveServer, reason: str) -> float:
    body = server.get("/metrics")[1].decode()
    return metric_samples(body).get(("feedsvc_renders_skipped_total", (("reason", reason),)), 0.0)


def rescan(token: str) -> bytes:
    return raw_request("/admin/rescan", method="POST",
                       headers=(f"Authorization: Bearer {token}", "Content-Length: 0"))


def at_once(port: int, targets: list[str]) -> list[RawAnswer]:
    """Send one request per target, all at the same moment, each on its own connection."""
    answers: list[RawAnswer | None] = [None] * len(targets)
    start = threading.Barrier(len(targets))

    def send(number: int) -> None:
        start.wait()
        answers[number] = exchange(port, raw_request(targets[number]))[0]

    threads = [threading.Thread(target=send, args=(number,)) for number in range(len(targets))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert None not in answers
    return answers  # type: ignore[return-value]


def test_new_queries_past_the_render_queue_are_refused_with_retry_after(server: LiveServer) -> None:
    before = skipped(server, "busy")
    count = 12
    answers = at_once(server.port, [new_query(number) for number in range(count)])
    statuses = Counter(answer.status for answer in answers if answer)
    assert set(statuses) == {200, 503} and sum(statuses.values()) == count, statuses
    for answer in answers:
        if answer.status == 503:  # told when to come back, with the reason
            assert answer.headers["retry-after"] == "1"
            assert answer.body == b"503 Service Unavailable: too many new queries at once; retry in 1 s\n"
        else:
            assert len(parse_feed(answer.body).entries) == ARTICLES
        assert answer.headers["x-content-type-options"] == "nosniff"
    assert skipped(server, "busy") - before == statuses[503]
    # a refused query is rendered once there is room for it
    refused = next(number for number, answer in enumerate(answers) if answer.status == 503)
    status, body, _headers = server.get(new_query(refused))
    assert status == 200 and len(parse_feed(body).entries) == ARTICLES


def test_many_requests_for_one_new_query_share_its_render(server: LiveServer) -> None:
    before = skipped(server, "busy")
    answers = at_once(server.port, [new_query(2000)] * 12)
    assert [answer.status for answer in answers] == [200] * 12
    assert len({answer.body for answer in answers}) == 1
    assert len(parse_feed(answers[0].body).entries) == ARTICLES
    assert skipped(server, "busy") == before


def test_feeds_without_parameters_are_never_refused(server: LiveServer) -> None:
    feeds = [f"/topics/world/{name}" for name in ("atom.xml", "rss.xml", "feed.json")]
    answers = at_once(server.port, feeds * 4 + ["/feeds.opml", "/api/topics"] * 2)  # 5 never rendered
    assert {answer.status for answer in answers} == {200}


def send_and_close(port: int, data: bytes) -> bytes:
    """Send a request and close the sending side at once; return what the server answers.

    Corked, the request and the end of the stream leave in one segment: the server never
    sees the request without the close, however the processes are scheduled.
    """
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_CORK, 1)
        sock.sendall(data)
        sock.shutdown(socket.SHUT_WR)  # gone, as far as the server can tell
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    return received


def test_a_request_whose_client_has_gone_is_not_rendered(server: LiveServer) -> None:
    before, log_size = skipped(server, "client_gone"), server.log_size()
    query = new_query(3000)
    [answer] = parse_answers(send_and_close(server.port, raw_request(query, close=False)))
    assert (answer.status, answer.body) == (499, b"")
    assert skipped(server, "client_gone") - before == 1
    assert server.statuses(log_size, "-", 1)[query] == [499]  # logged as nginx logs it
    status, body, _headers = server.get(query)  # a client that waits gets it
    assert status == 200 and len(parse_feed(body).entries) == ARTICLES


def test_clients_that_send_and_close_leave_nothing_rendered(server: LiveServer) -> None:
    before = skipped(server, "client_gone")
    answers = [send_and_close(server.port, raw_request(new_query(number))) for number in range(3100, 3120)]
    assert {parse_answers(answer)[0].status for answer in answers} == {499}
    assert skipped(server, "client_gone") - before == 20


NOSNIFF_REQUESTS = {
    "a feed": (raw_request("/feeds/atom.xml"), 200),
    "a feed again (from the cache's front)": (raw_request("/feeds/atom.xml"), 200),
    "a cached feed, HEAD": (raw_request("/feeds/atom.xml", method="HEAD"), 200),
    "a feed not modified": (raw_request("/feeds/atom.xml", headers=("If-None-Match: *",)), 304),
    "a page": (raw_request("/"), 200),
    "an unknown path": (raw_request("/nowhere"), 404),
    "an unknown topic": (raw_request("/topics/nowhere/atom.xml"), 404),
    "a bad parameter": (raw_request("/feeds/atom.xml?limit=0"), 400),
    "a wrong method": (raw_request("/feeds/atom.xml", method="DELETE"), 405),
    "a static file": (raw_request("/static/style.css"), 200),
    "the status": (raw_request("/status"), 200),
    "the metrics": (raw_request("/metrics"), 200),
    "a redirect": (raw_request("/articles/world-report-001/"), 308),
    "a head gunicorn refuses": (raw_request(headers=("X-Big: " + "a" * 100_000,)), 431),
    "a body gunicorn refuses": (raw_request(method="POST", headers=(
        "Content-Length: 5", "Transfer-Encoding: chunked")) + b"0\r\n\r\n", 400),
}


@pytest.mark.parametrize("name", sorted(NOSNIFF_REQUESTS))
def test_every_answer_forbids_sniffing(server: LiveServer, name: str) -> None:
    data, status = NOSNIFF_REQUESTS[name]
    [answer] = exchange(server.port, data)
    assert answer.status == status
    assert answer.headers["x-content-type-options"] == "nosniff"


def test_repeated_wrong_admin_tokens_are_slowed_down(server: LiveServer) -> None:
    guesser, admin = "127.0.0.5", "127.0.0.6"
    assert [exchange(server.port, rescan("guess"), source=guesser)[0].status for _ in range(4)] == [401] * 4
    held = exchange(server.port, rescan("guess"), source=guesser)[0]
    assert (held.status, held.headers["retry-after"]) == (429, "1")
    assert held.headers["x-content-type-options"] == "nosniff"
    assert held.body == b"429 Too Many Requests: too many wrong tokens; retry in 1 s\n"
    # while it waits, even the right token from that address is refused unchecked
    assert exchange(server.port, rescan(TOKEN), source=guesser)[0].status == 429
    assert exchange(server.port, rescan(TOKEN), source=admin)[0].status == 200  # others are not held
    time.sleep(1.1)
    assert exchange(server.port, rescan(TOKEN), source=guesser)[0].status == 200
    # a success forgets the failures: the next wrong tokens are free again
    assert [exchange(server.port, rescan("guess"), source=guesser)[0].status for _ in range(4)] == [401] * 4


def test_token_guard_doubles_the_wait_up_to_its_longest() -> None:
    now = [0.0]
    guard = TokenGuard("secret", free=3, longest=8, addresses=2, clock=lambda: now[0])
    assert [guard.check("a", "wrong") for _ in range(3)] == [False] * 3
    waits = []
    for _ in range(6):
        assert guard.check("a", "wrong") is False
        with pytest.raises(Refused) as refused:
            guard.check("a", "secret")
        waits.append(refused.value.retry_after)
        now[0] += refused.value.retry_after
    assert waits == [1, 2, 4, 8, 8, 8]
    assert guard.check("a", "secret") is True
    assert guard.check("a", "wrong") is False  # failures forgotten: this one is free


def test_token_guard_remembers_a_bounded_number_of_addresses() -> None:
    guard = TokenGuard("secret", free=0, longest=60, addresses=2, clock=lambda: 0.0)
    guard.check("a", "wrong")
    with pytest.raises(Refused):
        guard.check("a", "secret")
    guard.check("b", "wrong")
    guard.check("c", "wrong")  # a, the longest unseen, is forgotten
    assert guard.check("a", "secret") is True
    with pytest.raises(Refused):
        guard.check("c", "secret")
