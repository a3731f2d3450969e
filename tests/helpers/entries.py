"""What every published entry satisfies, whatever its file looked like."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup

from feedsvc.model import Entry

XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
TOPIC_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def check_invariants(entry: Entry) -> None:
    """What every published entry satisfies, whatever the file looked like."""
    assert entry.published.tzinfo is not None and entry.updated.tzinfo is not None
    assert entry.updated >= entry.published
    assert entry.id and entry.title and entry.title == " ".join(entry.title.split())
    assert len(entry.summary) <= 301 and "\n" not in entry.summary
    for value in (entry.title, entry.summary, entry.content_html, *entry.authors):
        assert not XML_ILLEGAL.search(value)
    for topic in entry.topics:
        assert TOPIC_SLUG.fullmatch(topic.slug) and len(topic.slug) <= 64 and topic.label
    soup = BeautifulSoup(entry.content_html, "html.parser")
    assert not soup.find_all(["script", "style", "iframe", "object", "embed", "form", "svg"])
    for tag in soup.find_all(True):
        for name, value in tag.attrs.items():
            assert not name.lower().startswith("on") and name != "style", (tag.name, name)
            if name in {"href", "src"}:
                assert re.match(r"(https?://[^/\s]+|mailto:)", value), (tag.name, value)
