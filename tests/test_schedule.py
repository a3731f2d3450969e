"""Scheduled and expiring articles against a fake clock: absent until their time, gone after it."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from click.testing import CliRunner
from helpers.content import BASE_URL, write
from helpers.feeds import parse_feed

from feedsvc.cli import main
from feedsvc.config import load_settings
from feedsvc.scan import scan_once
from feedsvc.store import Store

NOW = datetime(2030, 5, 1, 12, 0, 0, tzinfo=UTC)
DUE = NOW + timedelta(hours=1)
FEEDS = ["/feeds/atom.xml", "/feeds/rss.xml", "/feeds/feed.json"]


def scan_at(config: dict[str, object], when: datetime, **overrides: object):
    return scan_once(load_settings(overrides={**config, **overrides}), clock=lambda: when)


def feed_titles(client, url: str) -> set[str]:
    body = client.get(url).data
    if url.endswith(".json"):
        return {item["title"] for item in json.loads(body)["items"]}
    return {entry.title for entry in parse_feed(body).entries}


def published_titles(client) -> dict[str, set[str]]:
    """The titles each feed, page and list shows, by URL."""
    shown = {url: feed_titles(client, url) for url in FEEDS + ["/topics/harbour/atom.xml"]}
    shown["/"] = {title for title in ("Ferry", "Regatta") if f">{title} timetable<" in client.get("/").text}
    return shown


def write_articles(content: Path) -> None:
    write(content, "harbour/ferry.md", "---\ntitle: Ferry timetable\ndate: 2024-04-01\n---\n\nBoats.\n")
    write(content, "harbour/regatta.md", (
        f"---\ntitle: Regatta timetable\ndate: {DUE.isoformat()}\ntags: [sailing]\n---\n\nSails.\n"))


def test_a_scheduled_article_is_absent_until_its_time(content: Path, config, make_app) -> None:
    write_articles(content)
    report = scan_at(config, NOW)
    assert (report.published, report.drafts) == (1, 1)
    client = make_app().test_client()
    assert all(titles == {"Ferry timetable"} or titles == {"Ferry"}
               for titles in published_titles(client).values()), published_titles(client)
    assert client.get("/articles/harbour-regatta").status_code == 404
    topics = {topic["slug"] for topic in client.get("/api/topics").json["topics"]}
    assert topics == {"harbour"}  # its own topic is not listed before it is published
    assert b"sailing" not in client.get("/feeds.opml").data
    assert client.get("/status").json["scheduled"] == [
        {"path": "harbour/regatta.md", "action": "publish", "at": DUE.isoformat()}]
    assert Store(load_settings(overrides=config).database).next_due() == DUE

    scan_at(config, DUE - timedelta(seconds=1))  # a second early: still waiting
    assert "Regatta timetable" not in published_titles(make_app().test_client())["/feeds/atom.xml"]

    report = scan_at(config, DUE)
    assert (report.read, report.published) == (1, 2)  # read again at its time, though unchanged
    client = make_app().test_client()
    for url, titles in published_titles(client).items():
        assert titles in ({"Ferry timetable", "Regatta timetable"}, {"Ferry", "Regatta"}), url
    assert {topic["slug"] for topic in client.get("/api/topics").json["topics"]} == {"harbour", "sailing"}
    assert client.get("/status").json["scheduled"] == []


def test_an_article_expires_at_its_time(content: Path, config, make_app) -> None:
    write(content, "harbour/ferry.md", ("---\ntitle: Ferry timetable\ndate: 2030-04-01\n"
                                        f"expiryDate: {DUE.isoformat()}\n---\n\nBoats.\n"))
    write(content, "harbour/old.md", "---\ntitle: Old\ndate: 2030-03-01\nexpires: 2030-04-02\n---\n\nX.\n")
    scan_at(config, NOW)
    client = make_app().test_client()
    assert {e.title for e in parse_feed(client.get("/feeds/atom.xml").data).entries} == {"Ferry timetable"}
    assert client.get("/status").json["scheduled"] == [
        {"path": "harbour/ferry.md", "action": "expire", "at": DUE.isoformat()}]
    scan_at(config, DUE)
    client = make_app().test_client()
    for url in FEEDS:
        assert feed_titles(client, url) == set(), url
    assert client.get("/articles/harbour-ferry").status_code == 404
    assert client.get("/api/topics").json["topics"] == []  # no published article: listed nowhere
    assert client.get("/topics/harbour/").status_code == 404
    assert client.get("/topics/harbour/rss.xml").status_code == 200  # its subscribers get an empty feed


def test_publish_future_publishes_at_once(content: Path, config, make_app) -> None:
    write_articles(content)
    scan_at(config, NOW, publish_future=True)
    feed = parse_feed(make_app(publish_future=True).test_client().get("/feeds/atom.xml").data)
    assert [entry.title for entry in feed.entries] == ["Regatta timetable", "Ferry timetable"]


def test_an_updated_date_in_the_future_is_not_taken(content: Path, config, make_app) -> None:
    write(content, "news/fair.md", "---\ntitle: Fair\ndate: 2030-04-01\nupdated: 2031-01-01\n---\n\nX.\n")
    report = scan_at(config, NOW)
    assert [(w.path, w.reason) for w in report.warnings] == [("news/fair.md", (
        "updated date 2031-01-01T00:00:00+00:00 is in the future: using the publication date"))]
    item = make_app().test_client().get("/feeds/feed.json").json["items"][0]
    assert item["date_modified"] == item["date_published"] == "2030-04-01T00:00:00+00:00"


def test_check_and_build_say_when(content: Path, config, tmp_path: Path, monkeypatch) -> None:
    write_articles(content)
    soon = (datetime.now(UTC) + timedelta(days=2)).replace(microsecond=0)
    write(content, "harbour/regatta.md", f"---\ntitle: Regatta\ndate: {soon.isoformat()}\n---\n\nSails.\n")
    monkeypatch.setenv("FEEDSVC_CONTENT_DIR", str(content))
    monkeypatch.setenv("FEEDSVC_DATABASE", str(tmp_path / "db" / "feedsvc.db"))
    monkeypatch.setenv("FEEDSVC_BASE_URL", BASE_URL)
    checked = CliRunner().invoke(main, ["check", "--json", str(content / "harbour")])
    assert checked.exit_code == 0, checked.output
    by_path = {Path(result["path"]).name: result for result in json.loads(checked.output)}
    assert by_path["regatta.md"]["status"] == "scheduled"
    assert by_path["regatta.md"]["reason"] == f"scheduled for {soon.isoformat()}"
    assert by_path["ferry.md"]["status"] == "published"
    text = CliRunner().invoke(main, ["check", str(content / "harbour" / "regatta.md")])
    assert f"regatta.md: scheduled: scheduled for {soon.isoformat()}" in text.output
    assert text.output.splitlines()[-1] == "1 files: 0 published, 0 drafts, 1 scheduled, 0 skipped, 0 errors"

    built = CliRunner().invoke(main, ["build", str(tmp_path / "site")])
    assert built.exit_code == 0, built.output
    assert (f"next scheduled change: harbour/regatta.md is due to publish at {soon.isoformat()}; "
            "rebuild then") in built.output
    assert not (tmp_path / "site" / "articles" / "harbour-regatta").exists()
    assert (tmp_path / "site" / "articles" / "harbour-ferry" / "index.html").is_file()


def test_a_hugo_publish_date_holds_an_older_dated_post(content: Path, config, make_app) -> None:
    write(content, "post.md",
          f"+++\ntitle = 'Fair'\ndate = 2024-01-01\npublishDate = {DUE.isoformat()}\n+++\n\nX.\n")
    scan_at(config, NOW)
    assert feed_titles(make_app().test_client(), "/feeds/atom.xml") == set()
    scan_at(config, DUE)
    assert feed_titles(make_app().test_client(), "/feeds/atom.xml") == {"Fair"}
