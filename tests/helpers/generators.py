"""Compare what feedsvc publishes for a site with what the site's own tool published.

A recording (scripts/record_sites.py) lists, per source file the tool published, its title,
date to the minute in UTC, topics and body text. An entry matches when feedsvc publishes the
same file with the same title, date, topics (as slugs) and text; a file feedsvc publishes
that the tool did not is a mismatch too (the publish-or-hide decision). Typography is
compared loosely: Jekyll and Hugo turn quotes and dashes into curly ones, CommonMark does not.
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass, field
from datetime import UTC
from pathlib import Path
from typing import Any

from feedsvc.config import load_settings
from feedsvc.model import Entry, ScanReport
from feedsvc.encodings import strip_illegal_xml
from feedsvc.normalize import html_to_text
from feedsvc.scan import scan_once
from feedsvc.store import Store
from feedsvc.text import slugify

TYPOGRAPHY = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-",
                            "…": "...", "\u00a0": " ", "\ufe0e": None})
ALL_ENTRIES = 1_000_000


def comparable(text: str) -> str:
    """The text as compared: typography loosely, and without the characters XML 1.0 forbids (a
    backspace or a DEL the source holds, which the tool writes and no feed can carry)."""
    text = strip_illegal_xml(text).translate(TYPOGRAPHY).replace("--", "-").replace("---", "-")
    return " ".join(text.split())


def entry_record(entry: Entry) -> dict[str, Any]:
    return {
        "title": entry.title,
        "date": entry.published.astimezone(UTC).strftime("%Y-%m-%dT%H:%MZ"),
        "topics": sorted(topic.slug for topic in entry.topics),
        "text": html_to_text(entry.content_html),
    }


def differences(expected: dict[str, Any], actual: dict[str, Any]) -> list[str]:
    found = []
    if comparable(expected["title"] or "") != comparable(actual["title"]):
        found.append(f"title {actual['title']!r} != {expected['title']!r}")
    if expected["date"] != actual["date"]:
        found.append(f"date {actual['date']} != {expected['date']}")
    topics = sorted({slugify(topic) for topic in expected["topics"]} - {""})
    if topics != actual["topics"]:
        found.append(f"topics {actual['topics']} != {topics}")
    if comparable(expected["text"]) != comparable(actual["text"]):
        found.append(f"text {comparable(actual['text'])[:300]!r} != {comparable(expected['text'])[:300]!r}")
    return found


@dataclass
class Comparison:
    matched: list[str] = field(default_factory=list)
    mismatched: dict[str, list[str]] = field(default_factory=dict)
    report: ScanReport | None = None
    published: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return len(self.matched) + len(self.mismatched)

    @property
    def ratio(self) -> float:
        return len(self.matched) / self.total if self.total else 1.0


def publish(site: Path, database: Path, **settings: Any) -> tuple[dict[str, dict[str, Any]], ScanReport]:
    """Scan the site with feedsvc; every entry it publishes, by source path."""
    config = {"content_dir": site, "database": database, **settings}
    report = scan_once(load_settings(overrides=config, environ={}))
    store = Store(database)
    try:
        return {entry.path: entry_record(entry) for entry in store.entries(limit=ALL_ENTRIES)}, report
    finally:
        store.close()


def compare(site: Path, recording: dict[str, Any], **settings: Any) -> Comparison:
    with tempfile.TemporaryDirectory() as folder:
        published, report = publish(site, Path(folder) / "catalog.db", **settings)
    result = Comparison(report=report, published=published)
    expected = recording["entries"]
    for path in sorted(set(expected) | set(published)):
        if path not in published:
            result.mismatched[path] = ["published by the tool, not by feedsvc"]
        elif path not in expected:
            result.mismatched[path] = ["published by feedsvc, not by the tool"]
        elif problems := differences(expected[path], published[path]):
            result.mismatched[path] = problems
        else:
            result.matched.append(path)
    return result


def load_recording(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))
