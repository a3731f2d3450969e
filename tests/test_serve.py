"""`feedsvc serve`: options, and HTTP caching through a real gunicorn process on 127.0.0.1."""

from __future__ import annotations

import gzip
import http.client
import importlib
import json
import os
import socket
import subprocess
from collections.abc import Iterator

import pytest
from click.testing import CliRunner
from gunicorn.workers.gthread import ThreadWorker
from helpers.corpus import titles, write_corpus
from helpers.feeds import assert_strictly_valid, parse_feed
from helpers.server import LiveServer

from feedsvc import server
from feedsvc.cli import main


@pytest.fixture
def served_options(monkeypatch: pytest.MonkeyPatch) -> list[tuple]:
    """The arguments `feedsvc serve` would start gunicorn with, instead of starting it."""
    calls: list[tuple] = []
    monkeypatch.setattr(server, "run", lambda *args: calls.append(args))
    monkeypatch.setattr(server, "check_port", lambda host, port: None)  # ports of this machine vary
    return calls


def test_serve_takes_workers_and_threads_from_options_and_environment(served_options, content,
                                                                      monkeypatch) -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["serve"]).exit_code == 0
    assert served_options[-1][1:] == ("127.0.0.1", 8000, 1, 4)
    monkeypatch.setenv("PORT", "9123")
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    monkeypatch.setenv("FEEDSVC_THREADS", "8")
    monkeypatch.setenv("FEEDSVC_BASE_URL", "https://news.example.org")  # needed off loopback
    assert runner.invoke(main, ["serve", "--host", "0.0.0.0"]).exit_code == 0
    assert served_options[-1][1:] == ("0.0.0.0", 9123, 3, 8)
    monkeypatch.setenv("FEEDSVC_WORKERS", "2")  # wins over WEB_CONCURRENCY
    assert runner.invoke(main, ["serve", "--threads", "1"]).exit_code == 0
    assert served_options[-1][1:] == ("127.0.0.1", 9123, 2, 1)


@pytest.mark.parametrize(("args", "base_url", "database"), [
    ([], "http://127.0.0.1:8000", "feedsvc.db"),  # no base URL set: the address served
    (["--host", "::1", "--port", "8080", "--drafts"], "http://[::1]:8080", "feedsvc-drafts.db"),
])
def test_serve_hands_its_settings_to_the_server_not_to_the_environment(
        served_options, content, args: list[str], base_url: str, database: str) -> None:
    before = dict(os.environ)
    assert CliRunner().invoke(main, ["serve", *args]).exit_code == 0
    settings = served_options[-1][0]
    assert (settings.base_url, settings.database.name) == (base_url, database)
    assert settings.drafts is ("--drafts" in args)
    assert dict(os.environ) == before


@pytest.mark.parametrize(("args", "message"), [
    (["--workers", "0"], "0 is not in the range 1<=x<=64"),
    (["--threads", "many"], "'many' is not a valid integer"),
])
def test_bad_serve_option_is_a_clear_error(served_options, args: list[str], message: str) -> None:
    result = CliRunner().invoke(main, ["serve", *args])
    assert result.exit_code == 2 and message in result.output
    assert served_options == []


def test_start_removes_metrics_folders_of_killed_masters_only(tmp_path, monkeypatch) -> None:
    gone, here = _exited_pid(), f"{server.METRICS_PREFIX}{socket.gethostname()}-"
    killed = tmp_path / f"{here}{gone}-x1"
    alive = tmp_path / f"{here}{os.getppid()}-x2"
    ours_again = tmp_path / f"{here}{os.getpid()}-x3"  # an id that came round
    elsewhere = tmp_path / "feedsvc-metrics-oldname"
    other_host = tmp_path / f"{server.METRICS_PREFIX}another-host-{gone}-x4"  # its ids are not ours
    for folder in (killed, alive, ours_again, elsewhere, other_host):
        folder.mkdir()
        (folder / "counter_1.db").write_bytes(b"x")
    monkeypatch.setenv(server.METRICS_DIR_ENV, "")  # so that the folder set below is undone
    monkeypatch.delenv(server.METRICS_DIR_ENV)
    monkeypatch.setattr(server.tempfile, "tempdir", str(tmp_path))
    created, owned = server._metrics_dir()
    assert owned and created.name.startswith(f"{here}{os.getpid()}-")
    assert not killed.exists() and not ours_again.exists()
    assert alive.exists() and elsewhere.exists() and other_host.exists()
    assert os.environ[server.METRICS_DIR_ENV] == str(created)


def _exited_pid() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def test_gunicorn_options_are_threaded_and_forked_before_loading() -> None:
    options = server.options("::1", 8080, 2, 3)
    assert options["bind"] == "[::1]:8080"
    assert (options["workers"], options["threads"]) == (2, 3)
    worker_class = options["worker_class"]  # gthread, with deadlines for slow clients
    module, _, name = worker_class.rpartition(".")
    assert issubclass(getattr(importlib.import_module(module), name), ThreadWorker)
    assert options["preload_app"] is False


class Server:
    """A running `feedsvc serve` with two workers, its base URL its own address."""

    def __init__(self, base: str):
        self.base = base
        self.port = int(base.rsplit(":", 1)[1])

    def request(self, method: str, path: str, **headers: str) -> tuple[int, bytes, dict[str, str]]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.request(method, path, headers={k.replace("_", "-"): v for k, v in headers.items()})
            response = connection.getresponse()
            return response.status, response.read(), {k.lower(): v for k, v in response.getheaders()}
        finally:
            connection.close()


@pytest.fixture(scope="module")
def gunicorn(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("served")
    write_corpus(folder / "content")
    extra_env = {"FEEDSVC_TAG_AUTHORITY": "news.example.org", "FEEDSVC_THREADS": "2"}
    with LiveServer(folder / "content", folder / "db.sqlite", folder / "serve.log", workers=2,
                    scan_interval=3600, extra_env=extra_env) as live:
        yield Server(live.base)


FEED = "/topics/science/atom.xml?q=the"


def test_real_server_serves_filtered_feeds_with_the_configured_base_url(gunicorn: Server) -> None:
    status, body, headers = gunicorn.request("GET", FEED, Host="attacker.example")
    assert status == 200 and headers["content-type"] == "application/atom+xml; charset=utf-8"
    feed = parse_feed(body)
    assert [entry.title for entry in feed.entries] == titles(
        lambda a: "science" in a.topics and "the" in a.words())
    assert next(link.href for link in feed.feed.links if link.rel == "self") == gunicorn.base + FEED
    status, body, headers = gunicorn.request("GET", "/feeds/feed.json?limit=2")
    assert status == 200 and headers["content-type"] == "application/feed+json; charset=utf-8"
    assert [item["title"] for item in json.loads(body)["items"]] == titles()[:2]
    assert gunicorn.request("GET", "/feeds/rss.xml?limit=0")[0] == 400
    assert gunicorn.request("GET", "/topics/atlantis/rss.xml")[0] == 404


def test_real_server_gzip_vary_and_etags(gunicorn: Server) -> None:
    _, plain, plain_headers = gunicorn.request("GET", FEED)
    _, zipped, zipped_headers = gunicorn.request("GET", FEED, Accept_Encoding="gzip")
    assert "content-encoding" not in plain_headers
    assert zipped_headers["content-encoding"] == "gzip"
    assert gzip.decompress(zipped) == plain
    assert int(zipped_headers["content-length"]) == len(zipped) < len(plain)
    assert plain_headers["vary"] == zipped_headers["vary"] == "Accept, Accept-Encoding"
    assert plain_headers["etag"] != zipped_headers["etag"]
    assert plain_headers["cache-control"] == "public, max-age=3600"
    # every worker renders the same bytes, so the ETag does not depend on who answers
    etags = {gunicorn.request("GET", FEED)[2]["etag"] for _ in range(12)}
    assert etags == {plain_headers["etag"]}


def test_real_server_conditional_get_and_head(gunicorn: Server) -> None:
    _, body, headers = gunicorn.request("GET", FEED)
    etag, modified = headers["etag"], headers["last-modified"]
    for conditions in ({"If_None_Match": etag}, {"If_None_Match": f'"old", W/{etag}'},
                       {"If_Modified_Since": modified}):
        status, empty, not_modified = gunicorn.request("GET", FEED, **conditions)
        assert (status, empty) == (304, b""), conditions
        assert not_modified["etag"] == etag
        assert not_modified["cache-control"] == headers["cache-control"]
        assert not_modified["vary"] == headers["vary"]
    assert gunicorn.request("GET", FEED, If_None_Match='"old"', If_Modified_Since=modified)[0] == 200
    zipped_etag = gunicorn.request("GET", FEED, Accept_Encoding="gzip")[2]["etag"]
    assert gunicorn.request("GET", FEED, Accept_Encoding="gzip", If_None_Match=zipped_etag)[0] == 304
    status, empty, head = gunicorn.request("HEAD", FEED)
    assert (status, empty) == (200, b"")
    assert int(head["content-length"]) == len(body) and head["etag"] == etag
    assert gunicorn.request("HEAD", FEED, If_None_Match=etag)[0] == 304


@pytest.mark.parametrize(("path", "kind"), [
    ("/feeds/atom.xml?limit=3&page=2&q=the", "atom"),
    ("/topics/economy/rss.xml?exclude=food&limit=1&page=2", "rss"),
    ("/feeds/feed.json?author=ana+ruiz&since=2023-01-01", "json"),
    # not canonical: the self link differs from the URL, Content-Location names it
    ("/feeds/atom.xml?topic=Science&topic=economy&limit=2&page=2&utm_source=mail", "atom"),
    ("/topics/economy/rss.xml?page=1&exclude=Food,food&q=harbour", "rss"),
])
def test_real_server_feeds_pass_strict_validators_by_url(gunicorn: Server, path: str, kind: str) -> None:
    """Filtered and paged feeds, fetched over HTTP, pass every strict check."""
    assert_strictly_valid(gunicorn.base + path, kind)
