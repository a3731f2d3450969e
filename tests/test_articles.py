"""Data-driven: every file in tests/data/articles/ beside its <scenario>.expected.json.

Each case states what the file itself says (title, dates, topics, summary start,
warnings, or the error); invariants that hold for every published entry are checked on
all of them.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from helpers.entries import check_invariants

from feedsvc.config import load_settings
from feedsvc.errors import NotAnArticle, ReadError
from feedsvc.reading import read_file
from feedsvc.topics import RULES_FILE, load_rules

DATA = Path(__file__).parent / "data" / "articles"
EXPECTED = ".expected.json"
NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
SETTINGS = load_settings(
    overrides={"base_url": "https://news.example.org", "timezone": "Europe/Rome"}, environ={},
    config_file=DATA / "no-such-config.toml",
)
CASES = sorted(
    path for path in DATA.rglob("*")
    if path.is_file() and not path.name.endswith(EXPECTED) and path.name != RULES_FILE
)


def expectation(path: Path) -> dict[str, Any]:
    scenario = path.name.split(".")[0]
    return json.loads(path.with_name(scenario + EXPECTED).read_text(encoding="utf-8"))


def test_every_case_has_an_expectation() -> None:
    assert len(CASES) >= 25
    expected = {path for path in DATA.rglob("*" + EXPECTED)}
    assert {path.with_name(path.name.split(".")[0] + EXPECTED) for path in CASES} == expected


@pytest.mark.parametrize("path", CASES, ids=lambda path: path.relative_to(DATA).as_posix())
def test_article(path: Path) -> None:
    expected = expectation(path)
    rel = path.relative_to(DATA).as_posix()
    rules = load_rules(DATA)
    if "error" in expected or "skipped" in expected:
        kind = NotAnArticle if "skipped" in expected else ReadError
        with pytest.raises(kind) as raised:
            read_file(rel, path, SETTINGS, rules, None, NOW)
        assert isinstance(raised.value, NotAnArticle) == ("skipped" in expected)
        assert (expected.get("error") or expected["skipped"]) in str(raised.value)
        return
    result = read_file(rel, path, SETTINGS, rules, None, NOW)
    entry = result.entry
    check_invariants(entry)
    assert (result.publication.state == "draft") == expected.get("draft", False)
    assert entry.title == expected["title"]
    for key in ("published", "updated"):
        if key in expected:
            assert getattr(entry, key).isoformat() == expected[key]
    for key in ("id", "link", "slug"):
        if key in expected:
            assert getattr(entry, key) == expected[key]
    if "topics" in expected:
        assert [topic.slug for topic in entry.topics] == expected["topics"]
    labels = {topic.slug: topic.label for topic in entry.topics}
    for slug, label in expected.get("topic_labels", {}).items():
        assert labels[slug] == label
    if "authors" in expected:
        assert list(entry.authors) == expected["authors"]
    assert entry.summary.startswith(expected.get("summary_start", ""))
    assert entry.summary.endswith(expected.get("summary_end", ""))
    for fragment in expected.get("content_contains", []):
        assert fragment in entry.content_html
    for fragment in expected.get("content_excludes", []):
        assert fragment not in entry.content_html
    if "warnings" in expected:
        assert len(result.warnings) == len(expected["warnings"]), result.warnings
        for warning, fragment in zip(result.warnings, expected["warnings"], strict=True):
            assert fragment in warning
