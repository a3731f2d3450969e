"""Articles dated the same day: their Atom <updated> values differ (the W3C validator warns
DuplicateUpdated on two equal ones), stay within the same second, and are the same for an
entry in every feed, whether or not other entries share its date there."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from helpers.content import BASE_URL, write
from helpers.feeds import ATOM, assert_strictly_valid, parse_feed
from lxml import etree

from feedsvc.encodings import strip_illegal_xml
from feedsvc.web import service

SAME_DAY = "2024-05-06"
ARTICLES = {  # path: (date, tags)
    "world/a.md": (SAME_DAY, ["sea"]),
    "world/b.md": (SAME_DAY, ["sea"]),
    "science/c.md": (SAME_DAY, []),
    "science/d.md": ("2024-05-07", ["sea"]),
}


@pytest.fixture
def client(content: Path, scan, make_app):
    for path, (date, tags) in ARTICLES.items():
        write(content, path, f"---\ntitle: Article {path}\ndate: {date}\ntags: {tags}\n---\n\nText.\n")
    scan()
    return make_app().test_client()


def updated_by_id(body: bytes) -> dict[str, str]:
    root = etree.fromstring(body)
    return {entry.findtext(f"{ATOM}id"): entry.findtext(f"{ATOM}updated")
            for entry in root.iter(f"{ATOM}entry")}


def test_same_day_entries_have_distinct_updated_values(client) -> None:
    feeds = {path: updated_by_id(client.get(path).data)
             for path in ("/feeds/atom.xml", "/topics/sea/atom.xml", "/topics/world/atom.xml",
                          "/topics/science/atom.xml")}
    for path, updated in feeds.items():
        assert len(set(updated.values())) == len(updated), (path, updated)
    same_day = datetime.fromisoformat(SAME_DAY).replace(tzinfo=UTC)
    everything = feeds["/feeds/atom.xml"]
    assert len(everything) == len(ARTICLES)
    for entry_id, value in everything.items():
        moment = datetime.fromisoformat(value)
        assert moment.replace(microsecond=0) in {same_day, same_day.replace(day=7)}
        for updated in feeds.values():  # c shares its day in one feed and not in another
            assert updated.get(entry_id, value) == value
    parsed = parse_feed(client.get("/feeds/atom.xml").data)
    feed_updated = datetime.fromisoformat(parsed.feed.updated)
    assert all(datetime.fromisoformat(entry.updated) <= feed_updated for entry in parsed.entries)


def test_an_entry_keeps_its_value_when_another_comes_to_share_its_day(
        client, content: Path, scan, monkeypatch) -> None:
    monkeypatch.setattr(service, "VERSION_CHECK_SECONDS", 0.0)  # the next request sees the new scan
    before = updated_by_id(client.get("/topics/science/atom.xml").data)
    write(content, "science/e.md", f"---\ntitle: Article e\ndate: {SAME_DAY}\n---\n\nText.\n")
    scan()
    after = updated_by_id(client.get("/topics/science/atom.xml").data)
    assert len(after) == len(before) + 1
    assert {entry_id: after[entry_id] for entry_id in before} == before


def test_same_day_feeds_pass_strict_validators(client, tmp_path: Path) -> None:
    for path in ("/feeds/atom.xml", "/topics/sea/atom.xml"):
        feed_file = tmp_path / "feed.atom"
        feed_file.write_bytes(client.get(path).data)
        assert_strictly_valid(feed_file, "atom", base=BASE_URL + path, min_entries=2)


@pytest.mark.parametrize("character", ["\ufffd", "\ufdd0", "\ufdef", "\ufffe", "\uffff", "\U0001fffe",
                                       "\U0010ffff", "\x7f", "\x08", "\x1b", "\x9f"])
def test_noncharacters_and_the_replacement_character_are_removed(character: str) -> None:
    assert strip_illegal_xml(f"a{character}b") == "ab"
    assert strip_illegal_xml(f"\u00e9{character}b") == "\u00e9b"


@pytest.mark.parametrize("character", ["\x0b", "\x0c", "\x1c", "\x1f", "\x85"])
def test_illegal_characters_that_separate_words_become_spaces(character: str) -> None:
    assert strip_illegal_xml(f"a{character}b") == "a b"  # ASCII text, translated
    assert strip_illegal_xml(f"\u00e9{character}b") == "\u00e9 b"  # other text, by the regex


@pytest.mark.parametrize("character", ["\ufdcf", "\ufdf0", "\ufffc", "\U0001fffd", "\U00010000", "\ue000"])
def test_their_neighbours_are_kept(character: str) -> None:
    assert strip_illegal_xml(f"a{character}b") == f"a{character}b"
