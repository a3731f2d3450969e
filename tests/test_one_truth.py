"""Every format tells the same: topic names, authors, plain-text summaries; topics follow the
articles; Accept is read as RFC 9110 writes it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers.content import BASE_URL, write
from helpers.feeds import ATOM, assert_strictly_valid, parse_feed, shown_text
from lxml import etree

SUMMARY = "Why <script> tags matter"
ARTICLE = (
    "---\ntitle: Script tags\ndate: 2024-05-02\nauthors: [Ana Ruiz, Bo Li]\n"
    f"tags: [Central Asia, Web Security]\nsummary: {SUMMARY}\n---\n\nBody text.\n"
)
EMPTY_BODY = "# Only a heading\n"  # the heading becomes the title; nothing is left


@pytest.fixture
def client(content: Path, scan, make_app):
    write(content, "web/script.md", ARTICLE)
    write(content, "web/heading.md", EMPTY_BODY)
    scan()
    return make_app().test_client()


def test_topic_names_authors_and_summary_agree_in_every_format(client) -> None:
    atom = parse_feed(client.get("/feeds/atom.xml").data)
    rss = parse_feed(client.get("/feeds/rss.xml").data)
    document = json.loads(client.get("/feeds/feed.json").data)
    names = ["Central Asia", "Web Security", "web"]
    (atom_entry,) = [e for e in atom.entries if e.title == "Script tags"]
    (rss_entry,) = [e for e in rss.entries if e.title == "Script tags"]
    (item,) = [i for i in document["items"] if i["title"] == "Script tags"]
    assert sorted(tag.term for tag in atom_entry.tags) == names
    assert sorted(tag.label for tag in atom_entry.tags) == names
    assert sorted(tag.term for tag in rss_entry.tags) == names
    assert sorted(item["tags"]) == names
    assert [a.name for a in atom_entry.authors] == ["Ana Ruiz", "Bo Li"]
    rss_body = etree.fromstring(client.get("/feeds/rss.xml").data)
    creators = rss_body.findall(".//item[title='Script tags']/{http://purl.org/dc/elements/1.1/}creator")
    assert [creator.text for creator in creators] == ["Ana Ruiz", "Bo Li"]
    assert item["author"] == {"name": "Ana Ruiz, Bo Li"}  # the one author object validators take
    assert shown_text(atom_entry.summary, atom_entry.summary_detail) == SUMMARY
    assert shown_text(rss_entry.summary, rss_entry.summary_detail) == SUMMARY
    assert item["summary"] == SUMMARY


def test_an_empty_body_has_no_blank_content(client) -> None:
    atom = etree.fromstring(client.get("/feeds/atom.xml").data)
    (entry,) = [e for e in atom.iter(f"{ATOM}entry") if e.findtext(f"{ATOM}title") == "Only a heading"]
    assert entry.find(f"{ATOM}content") is None
    rss = client.get("/feeds/rss.xml").data
    assert b"<content:encoded></content:encoded>" not in rss and b"<content:encoded/>" not in rss
    (item,) = [i for i in client.get("/feeds/feed.json").json["items"] if i["title"] == "Only a heading"]
    assert "content_html" not in item and item["content_text"] == "Only a heading"


@pytest.mark.parametrize(("path", "kind"), [("/feeds/atom.xml", "atom"), ("/feeds/rss.xml", "rss"),
                                            ("/feeds/feed.json", "json")])
def test_feeds_pass_strict_validation(client, path: str, kind: str, tmp_path: Path) -> None:
    feed_file = tmp_path / f"feed.{kind}"
    feed_file.write_bytes(client.get(path).data)
    assert_strictly_valid(feed_file, kind, base=BASE_URL + path, min_entries=2)


def topics_listed(make_app) -> dict[str, str]:
    client = make_app().test_client()
    listed = {topic["slug"]: topic["label"] for topic in client.get("/api/topics").json["topics"]}
    opml = client.get("/feeds.opml").text
    home = client.get("/").text
    for slug in listed:
        assert f"/topics/{slug}/atom.xml" in opml and f"/topics/{slug}/" in home
    return listed


def test_topics_follow_the_articles(content: Path, scan, make_app) -> None:
    first = write(content, "a.md", "---\ntitle: A\ndate: 2024-01-01\ntags: [central asia]\n---\n\nX.\n")
    scan()
    assert topics_listed(make_app) == {"central-asia": "central asia"}
    write(content, "b.md", "---\ntitle: B\ndate: 2024-02-01\ntags: [Central Asia]\n---\n\nY.\n")
    scan()  # the newest article's spelling
    assert topics_listed(make_app) == {"central-asia": "Central Asia"}
    write(content, "topics.toml", '[topics.central-asia]\nlabel = "Central Asia (region)"\n')
    scan()  # the rules file wins, even without match words, over every label seen before
    assert topics_listed(make_app) == {"central-asia": "Central Asia (region)"}
    entry = parse_feed(make_app().test_client().get("/feeds/atom.xml").data).entries[0]
    assert [tag.term for tag in entry.tags] == ["Central Asia (region)"]
    (content / "topics.toml").unlink()
    (content / "b.md").unlink()
    first.unlink()
    scan()
    assert topics_listed(make_app) == {}  # no published article: listed nowhere
    client = make_app().test_client()
    assert client.get("/topics/central-asia/").status_code == 404
    for name in ("atom.xml", "rss.xml", "feed.json"):
        response = client.get(f"/topics/central-asia/{name}")
        assert response.status_code == 200, name  # subscribers get an empty feed, not an error
    assert parse_feed(client.get("/topics/central-asia/rss.xml").data).entries == []


def test_many_topics_take_their_newest_articles_spelling(content: Path, scan, make_app) -> None:
    """A scan touching many topics finds their labels in one walk over the entries (store.writes)."""
    tags = [f"area {number}" for number in range(12)]
    for name, date, spell in (("a.md", "2024-02-01", str.title), ("b.md", "2024-03-01", str.upper),
                              ("c.md", "2023-05-01", str.lower)):
        listed = ", ".join(spell(tag) for tag in tags)
        write(content, name, f"---\ntitle: {name}\ndate: {date}\ntags: [{listed}]\n---\n\nX.\n")
    scan()
    assert topics_listed(make_app) == {f"area-{number}": f"AREA {number}" for number in range(12)}


@pytest.mark.parametrize(("accept", "content_type"), [
    ("text/html ; q=0.2, application/rss+xml", "application/rss+xml; charset=utf-8"),
    ("text/html\t;\tq=0.2 ,application/rss+xml", "application/rss+xml; charset=utf-8"),
    ("TEXT/HTML ; Q=0.2 , Application/RSS+XML", "application/rss+xml; charset=utf-8"),
    (", text/html ; q=0.2 , , application/rss+xml ,", "application/rss+xml; charset=utf-8"),
    ("application/rss+xml ; q=0.5 , text/html ; q=0.9", "application/xml; charset=utf-8"),
    ("text/html, application/xhtml+xml, */*;q=0.8", "application/xml; charset=utf-8"),
])
def test_accept_with_optional_whitespace(client, accept: str, content_type: str) -> None:
    assert client.get("/feeds/rss.xml", headers={"Accept": accept}).headers["Content-Type"] == content_type
