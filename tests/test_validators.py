"""Validation of every feed kind: RFC 4287's RELAX NG schema and feedparser for Atom,
feedparser for RSS, the JSON Feed 1.1 rules, everywhere; the W3C feedvalidator and the other
strict checks of ../shared/tools/validate_feed.py where they are present (not in a user's
clone). The checks themselves are shown to catch what they are for.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers.content import BASE_URL, write
from helpers.feeds import assert_strictly_valid, assert_valid_atom, check_json_feed


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("/feeds/atom.xml", "atom"),
        ("/feeds/rss.xml", "rss"),
        ("/topics/world/atom.xml", "atom"),
        ("/topics/world/rss.xml", "rss"),
        ("/feeds/feed.json", "json"),
        ("/topics/world/feed.json", "json"),
        # filtered and paged, at their canonical URLs (the self link must equal the URL)
        ("/feeds/atom.xml?limit=1&page=2&topic=science,world", "atom"),
        ("/feeds/rss.xml?limit=1&page=2&topic=science,world", "rss"),
        ("/feeds/feed.json?limit=1&q=text&since=2022-01-01", "json"),
        ("/topics/science/atom.xml?author=ana+ruiz&q=west", "atom"),
    ],
)
def test_feed_passes_strict_validators(path: str, kind: str, content: Path, scan, make_app,
                                       tmp_path: Path) -> None:
    write(content, "world/unrest.txt", " date 2022-01-06 Unrest: “troops” arrive\n\nText & more.\n")
    write(content, "science/comet.md", (
        "---\ntitle: Comet <at> dusk\ndate: 2023-02-01T20:00:00+01:00\nauthor: Ana Ruiz\n"
        "tags: [Astronomy]\n---\n\nLook [west](/sky) after *sunset*.\n"
    ))
    scan()
    response = make_app().test_client().get(path)
    assert response.status_code == 200, response.data
    body = response.data
    feed_file = tmp_path / f"feed.{kind}"
    feed_file.write_bytes(body)
    assert_strictly_valid(feed_file, kind, base=BASE_URL + path)


@pytest.mark.parametrize(("path", "kind"), [
    ("/feeds/atom.xml", "atom"), ("/feeds/rss.xml", "rss"), ("/feeds/feed.json", "json"),
])
def test_a_feed_without_entries_passes_strict_validators(path: str, kind: str, content: Path, scan,
                                                          make_app, tmp_path: Path) -> None:
    """An empty content folder (a site just set up): no entry gives the feed its date."""
    scan()
    response = make_app().test_client().get(path)
    assert response.status_code == 200, response.data
    if kind == "atom":
        assert b"<updated>2000-01-01T00:00:00" in response.data
    feed_file = tmp_path / f"feed.{kind}"
    feed_file.write_bytes(response.data)
    assert_strictly_valid(feed_file, kind, base=BASE_URL + path, min_entries=0)


VALID_ATOM = """<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><id>urn:x:feed</id>
<updated>2024-01-01T00:00:00Z</updated><author><name>A</name></author>
<entry><title>e</title><id>urn:x:e</id><updated>2024-01-01T00:00:00Z</updated>
<link href="https://example.org/e"/></entry></feed>"""


@pytest.mark.parametrize(("before", "after", "why"), [
    ("<id>urn:x:feed</id>", "", "a feed without an id"),
    ("<updated>2024-01-01T00:00:00Z</updated><author>", "<updated>2024-01-01</updated><author>",
     "a date without a time"),
    ('<link href="https://example.org/e"/>', "", "an entry without a link or content (Schematron rule)"),
    ("<author><name>A</name></author>", "", "no author for the feed or the entry (Schematron rule)"),
    ("<title>e</title>", '<title type="markdown">e</title>', "a text construct of an unknown type"),
])
def test_the_atom_schema_refuses_what_rfc_4287_forbids(before: str, after: str, why: str) -> None:
    assert_valid_atom(VALID_ATOM.encode())
    broken = VALID_ATOM.replace(before, after, 1)
    assert broken != VALID_ATOM
    with pytest.raises(AssertionError):
        assert_valid_atom(broken.encode())


def test_the_json_feed_rules_refuse_a_broken_feed() -> None:
    item = {"id": "1", "url": "https://example.org/1", "title": "t", "content_text": "x",
            "date_published": "2024-01-01T00:00:00Z", "date_modified": "2024-01-01T00:00:00Z"}
    feed = {"version": "https://jsonfeed.org/version/1.1", "title": "t", "items": [item]}
    check_json_feed(json.loads(json.dumps(feed)))
    for broken in ({**feed, "version": "1.1"}, {**feed, "items": [item, item]},
                   {**feed, "items": [{**item, "date_published": "2024-01-01"}]}):
        with pytest.raises(AssertionError):
            check_json_feed(broken)

