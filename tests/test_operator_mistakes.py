"""Operator mistakes through the real command and a real server: a public address without a
base URL, a missing content folder, and scans or builds with other settings than a running
server's."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from helpers.content import age, write
from helpers.feeds import parse_feed
from helpers.server import LiveServer, assert_one_line_error, free_port, run_feedsvc

LIVE_URL = "https://live.example.org"
OTHER_URL = "https://other.example.org"


def _articles(content: Path) -> set[str]:
    write(content, "news/a.md", "---\ntitle: First\ndate: 2024-03-01\n---\nSee [the notes](notes.html).\n")
    write(content, "news/b.md", "---\ntitle: Second\ndate: 2024-03-02\n---\nA [link](more.html).\n")
    age(*content.rglob("*.*"))
    return {"First", "Second"}


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.0.2.7", "feeds.example.org"])
def test_a_public_address_without_a_base_url_is_refused(content: Path, tmp_path: Path, host: str) -> None:
    _articles(content)
    database = tmp_path / "catalog" / "feeds.db"
    env = {"FEEDSVC_CONTENT_DIR": str(content), "FEEDSVC_DATABASE": str(database)}
    result = run_feedsvc(["serve", "--host", host, "--port", "8000"], env, timeout=30)
    assert_one_line_error(result, "FEEDSVC_BASE_URL is not set", f"serving on {host}",
                          "http://127.0.0.1:8000", "or serve on 127.0.0.1")
    assert not database.exists()  # no id minted, nothing stored


@pytest.mark.parametrize("kind", ["missing", "a file"])
def test_serve_refuses_a_missing_content_folder(tmp_path: Path, kind: str) -> None:
    folder = tmp_path / "articles"
    if kind == "a file":
        folder.write_text("not a folder")
    env = {"FEEDSVC_CONTENT_DIR": str(folder), "FEEDSVC_DATABASE": str(tmp_path / "feeds.db")}
    result = run_feedsvc(["serve", "--port", str(free_port())], env, timeout=30)
    what = "does not exist" if kind == "missing" else "is not a folder"
    assert_one_line_error(result, f"content folder {folder} {what}", "set FEEDSVC_CONTENT_DIR")
    assert not (tmp_path / "feeds.db").exists()


def test_a_content_folder_that_disappears_makes_readyz_503_and_feeds_stay(content: Path,
                                                                          tmp_path: Path) -> None:
    titles = _articles(content)
    server = LiveServer(content, tmp_path / "feeds.db", tmp_path / "serve.log")
    with server:
        status, body, _ = server.get("/feeds/atom.xml")
        assert {entry.title for entry in parse_feed(body).entries} == titles
        moved = content.rename(tmp_path / "moved")
        time.sleep(2.5)  # a scan or two meets the missing folder
        status, reason, _ = server.get("/readyz")
        assert status == 503
        assert reason.decode() == (f"content folder {content} does not exist: set FEEDSVC_CONTENT_DIR "
                                   "to the folder of your articles (relative paths start at the working "
                                   "directory); the last good feeds are still served\n")
        status, body, _ = server.get("/feeds/atom.xml")
        assert status == 200 and {entry.title for entry in parse_feed(body).entries} == titles
        moved.rename(content)
        assert server.get("/readyz")[:2] == (200, b"ready\n")


def _feed_links(body: bytes) -> set[str]:
    feed = parse_feed(body)
    return {link.href for entry in feed.entries for link in entry.links} | {
        link.href for link in feed.feed.links}


def test_scan_and_build_never_change_what_a_running_server_serves(content: Path, tmp_path: Path) -> None:
    titles = _articles(content)
    database = tmp_path / "catalog" / "feeds.db"
    env = {"FEEDSVC_CONTENT_DIR": str(content), "FEEDSVC_DATABASE": str(database),
           "FEEDSVC_BASE_URL": LIVE_URL}
    server = LiveServer(content, database, tmp_path / "serve.log", extra_env=env)
    with server:
        status, served, headers = server.get("/feeds/atom.xml")
        entries = parse_feed(served).entries
        assert {entry.title for entry in entries} == titles
        assert all(link.startswith(LIVE_URL) for link in _feed_links(served))
        assert all(f"{LIVE_URL}/articles/" in entry.content[0].value for entry in entries)
        scans_before = json.loads(server.get("/status")[1])["recent_scans"]

        refused = run_feedsvc(["scan"], {**env, "FEEDSVC_BASE_URL": OTHER_URL})
        assert_one_line_error(refused, f"a server runs on FEEDSVC_DATABASE={database} with other settings",
                              f"FEEDSVC_BASE_URL is {OTHER_URL} here, {LIVE_URL} there",
                              "FEEDSVC_TAG_AUTHORITY is other.example.org here, live.example.org there")
        same = run_feedsvc(["scan"], env)
        assert same.returncode == 0, same.stderr
        assert same.stdout.startswith("published 2, drafts 0, skipped 0, errors 0")

        built = run_feedsvc(["build", str(tmp_path / "site"), "--base-url", OTHER_URL], env, cwd=tmp_path)
        assert built.returncode == 0, built.stderr
        own = database.with_name("feeds-build.db")
        assert f"note: {database} is served with other settings (FEEDSVC_BASE_URL is {OTHER_URL} here, " \
               f"{LIVE_URL} there;" in built.stderr
        assert f"this build uses a catalog of its own, {own}" in built.stderr
        exported = (tmp_path / "site" / "feeds" / "atom.xml").read_bytes()
        assert {entry.title for entry in parse_feed(exported).entries} == titles
        assert all(link.startswith(OTHER_URL) for link in _feed_links(exported))

        time.sleep(2.5)  # two scheduled scans and every worker's version check
        status, after, after_headers = server.get("/feeds/atom.xml")
        assert status == 200 and after == served and after_headers["ETag"] == headers["ETag"]
        scans = json.loads(server.get("/status")[1])["recent_scans"]
        newer = scans[:len(scans) - len(scans_before)]
        assert newer and all(scan["read"] == 0 for scan in newer), newer  # nothing read again

        again = run_feedsvc(["build", str(tmp_path / "live-site")], env, cwd=tmp_path)
        assert again.returncode == 0 and "note:" not in again.stderr, again.stderr
        live_export = (tmp_path / "live-site" / "feeds" / "atom.xml").read_bytes()
        assert _feed_links(live_export) == _feed_links(served)
