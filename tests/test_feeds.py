"""End to end through the real app: content folder → scan → catalog → Atom and RSS."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest
from helpers.content import BASE_URL, copy_seeds, write
from helpers.feeds import parse_feed

SEED_NAME = "000_0c7551087dfcb249"


PROJECT_TOPICS = Path(__file__).resolve().parents[1] / "content" / "topics.toml"
UNREST = (
    " date 2022-01-06 Kazakhstan, dozens of protesters killed: Russia sends troops\n\n"
    "“Dozens” of protesters were killed overnight , police said.\n\n"
    "Troops arrive\n\n"
    "The first units landed in Almaty on Thursday.\n"
)


@pytest.fixture
def corpus(content: Path) -> Path:
    """Articles in both formats, in topic folders and at the top, one in the seed's format."""
    write(content, "world/unrest.txt", UNREST)
    write(content, "topics.toml", '[topics.russia]\nlabel = "Russia"\nmatch = ["Russia", "Moscow"]\n')
    write(content, "science/comet.md", (
        "---\ntitle: A comet visible at dusk\ndate: 2023-02-01T20:00:00+01:00\n"
        "tags: [Astronomy, Night Sky]\nauthor: Ana Ruiz\n---\n\nLook west after sunset.\n"
    ))
    write(content, "economy/2022-03-04-ports.txt", (
        "Title: Ports add night shifts\nTopics: Trade\n\nCranes now run around the clock.\n"
    ))
    write(content, "top-level.txt",
          "date 2021-12-24 Quiet streets before the holiday\n\nShops closed early.\n")
    write(content, "economy/draft.md", "---\ntitle: Not yet\ndraft: true\n---\nSoon.\n")
    return content


def test_all_feeds_parse_and_carry_the_articles(corpus: Path, scan, make_app) -> None:
    report = scan()
    assert (report.published, report.drafts, report.errors) == (4, 1, [])
    client = make_app().test_client()

    atom = client.get("/feeds/atom.xml")
    assert atom.status_code == 200
    assert atom.content_type == "application/atom+xml; charset=utf-8"
    feed = parse_feed(atom.data)
    assert feed.version == "atom10"
    titles = [entry.title for entry in feed.entries]
    assert titles[0] == "A comet visible at dusk"  # newest first
    assert titles[1] == "Ports add night shifts"
    assert titles[2] == "Kazakhstan, dozens of protesters killed: Russia sends troops"
    assert titles[3] == "Quiet streets before the holiday"
    assert len(titles) == 4

    seed = feed.entries[2]
    assert seed.id == "tag:news.example.org,2022-01-06:/world/unrest"
    assert seed.published == "2022-01-06T00:00:00+00:00"
    assert seed.link == f"{BASE_URL}/articles/world-unrest"
    assert {tag.term for tag in seed.tags} == {"world", "Russia"}  # labels, as every format shows
    assert seed.content[0].value.startswith("<p>“Dozens” of protesters were killed overnight , police")
    assert "<h2>Troops arrive</h2>" in seed.content[0].value
    comet = feed.entries[0]
    assert comet.published == "2023-02-01T20:00:00+01:00"
    assert comet.author == "Ana Ruiz"
    assert {tag.term for tag in comet.tags} == {"Astronomy", "Night Sky", "science"}
    assert feed.entries[1].id == "tag:news.example.org,2022-03-04:/economy/2022-03-04-ports"

    # the newest entry, never now (with the fraction of a second that sets entries apart)
    assert re.fullmatch(r"2023-02-01T20:00:00\.\d{6}\+01:00", feed.feed.updated)
    links = {link.rel: link.href for link in feed.feed.links}
    assert links == {"self": f"{BASE_URL}/feeds/atom.xml", "alternate": f"{BASE_URL}/"}

    rss = client.get("/feeds/rss.xml")
    assert rss.content_type == "application/rss+xml; charset=utf-8"
    channel = parse_feed(rss.data)
    assert channel.version == "rss20"
    assert channel.feed.link == f"{BASE_URL}/"  # the site, not the feed
    assert [item.id for item in channel.entries] == [entry.id for entry in feed.entries]
    assert channel.entries[2].published_parsed[:3] == (2022, 1, 6)
    assert b'<guid isPermaLink="false">' in rss.data
    assert b"<author>" not in rss.data  # names go to dc:creator
    assert channel.entries[0].author == "Ana Ruiz"
    assert b"<lastBuildDate>Wed, 01 Feb 2023 20:00:00 +0100</lastBuildDate>" in rss.data


def test_seed_articles_end_to_end(content: Path, seeds: list[Path], scan, make_app) -> None:
    """The real-world seed, copied now, under the project's own topics.toml rules."""
    copied = copy_seeds(seeds, content / "world")
    write(content, "topics.toml", PROJECT_TOPICS.read_text(encoding="utf-8"))
    report = scan()
    assert (report.published, report.errors) == (len(copied), [])
    client = make_app().test_client()
    feed = parse_feed(client.get("/feeds/atom.xml").data)
    by_id = {entry.id: entry for entry in feed.entries}
    seed = by_id[f"tag:news.example.org,2022-01-06:/world/{SEED_NAME}"]
    assert seed.published == "2022-01-06T00:00:00+00:00"
    assert seed.title.startswith("Kazakhstan, dozens of protesters killed")
    assert {"world", "Kazakhstan", "Russia"} <= {tag.term for tag in seed.tags}
    assert seed.link == f"{BASE_URL}/articles/world-{SEED_NAME.replace('_', '-')}"
    for topic in ("kazakhstan", "russia"):
        topic_feed = parse_feed(client.get(f"/topics/{topic}/rss.xml").data)
        assert seed.id in {item.id for item in topic_feed.entries}


def test_topic_feeds(corpus: Path, scan, make_app) -> None:
    scan()
    client = make_app().test_client()
    for kind in ("atom", "rss"):
        response = client.get(f"/topics/russia/{kind}.xml")
        assert response.status_code == 200
        feed = parse_feed(response.data)
        assert [entry.title[:10] for entry in feed.entries] == ["Kazakhstan"]
        assert feed.feed.title == "Example News: Russia"
    science = parse_feed(client.get("/topics/science/atom.xml").data)
    assert [entry.title for entry in science.entries] == ["A comet visible at dusk"]
    self_link = next(link.href for link in science.feed.links if link.rel == "self")
    assert self_link == f"{BASE_URL}/topics/science/atom.xml"


def test_unknown_topic_is_404(corpus: Path, scan, make_app) -> None:
    scan()
    response = make_app().test_client().get("/topics/atlantis/atom.xml")
    assert response.status_code == 404
    assert b"atlantis" in response.data


def test_etag_and_conditional_get(corpus: Path, scan, make_app) -> None:
    report = scan()
    client = make_app().test_client()
    first = client.get("/feeds/atom.xml")
    etag = first.headers["ETag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    # when the scan committed the catalog, not the newest article's date (2023)
    modified = parsedate_to_datetime(first.headers["Last-Modified"])
    assert report.started.replace(microsecond=0) <= modified <= datetime.now(UTC)
    again = client.get("/feeds/atom.xml", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == etag
    assert again.headers["Cache-Control"] == first.headers["Cache-Control"]
    other = client.get("/feeds/atom.xml", headers={"If-None-Match": '"something-else"'})
    assert other.status_code == 200
    # If-None-Match wins over If-Modified-Since (RFC 9110 §13.2.2)
    both = client.get("/feeds/atom.xml", headers={
        "If-None-Match": '"something-else"', "If-Modified-Since": first.headers["Last-Modified"]})
    assert both.status_code == 200
    since = client.get("/feeds/atom.xml", headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert since.status_code == 304
    assert client.get("/feeds/rss.xml").headers["ETag"] != etag


def test_rescan_and_restart_give_identical_bytes(corpus: Path, scan, make_app) -> None:
    scan()
    paths = ["/feeds/atom.xml", "/feeds/rss.xml", "/topics/russia/atom.xml", "/topics/economy/rss.xml"]
    before = {path: make_app().test_client().get(path) for path in paths}
    scan()
    scan()
    after = {path: make_app().test_client().get(path) for path in paths}
    for path in paths:
        assert after[path].data == before[path].data, path
        assert after[path].headers["ETag"] == before[path].headers["ETag"]


def test_undated_article_keeps_its_first_seen_date(content: Path, scan, make_app) -> None:
    write(content, "undated.md", "---\ntitle: No date given\n---\nText.\n")
    report = scan()
    assert [w.reason for w in report.warnings] == ["no date: using the time the file was first seen"]
    client = make_app().test_client()
    first = parse_feed(client.get("/feeds/atom.xml").data).entries[0]
    published = datetime.fromisoformat(first.published)
    assert abs((datetime.now(UTC) - published).total_seconds()) < 60
    scan()
    again = parse_feed(make_app().test_client().get("/feeds/atom.xml").data).entries[0]
    assert (again.id, again.published) == (first.id, first.published)


def test_broken_file_is_reported_and_others_published(content: Path, scan, make_app) -> None:
    write(content, "good.md", "---\ntitle: Good\ndate: 2020-01-01\n---\nFine.\n")
    write(content, "broken.md", "---\ntitle: [oops\ndate: 2020-01-02\n---\nBroken.\n")
    report = scan()
    assert [(e.path, e.reason.split(":")[0]) for e in report.errors] == [("broken.md", "front matter")]
    feed = parse_feed(make_app().test_client().get("/feeds/atom.xml").data)
    assert [entry.title for entry in feed.entries] == ["Good"]


def test_readyz_waits_for_the_first_scan(corpus: Path, scan, make_app) -> None:
    client = make_app().test_client()
    assert client.get("/readyz").status_code == 503
    scan()
    assert client.get("/readyz").status_code == 200
    assert client.get("/healthz").status_code == 200


def test_article_page_is_the_entry_link(corpus: Path, scan, make_app) -> None:
    scan()
    client = make_app().test_client()
    feed = parse_feed(client.get("/feeds/atom.xml").data)
    for entry in feed.entries:
        path = entry.link.removeprefix(BASE_URL)
        page = client.get(path)
        assert page.status_code == 200, path
        assert entry.title.encode() in page.data.replace(b"&#39;", b"'")
    assert client.get("/articles/nothing-here").status_code == 404
