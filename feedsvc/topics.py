"""Topic assignment: the article's metadata, its first folder, and content/topics.toml rules.

    [topics.kazakhstan]
    label = "Kazakhstan"
    match = ["Kazakhstan", "Almaty"]   # whole words, case-insensitive, title and body
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .model import Entry, ReadError, Topic
from .normalize import ensure_list, html_to_text, slugify

RULES_FILE = "topics.toml"
MAX_TOPICS_PER_ARTICLE = 50
MAX_LABEL_CHARS = 100


@dataclass(frozen=True)
class TopicRule:
    topic: Topic
    pattern: re.Pattern[str]


def load_rules(content_dir: Path) -> list[TopicRule]:
    """Read content/topics.toml; a missing file means no rules."""
    path = content_dir / RULES_FILE
    if not path.is_file():
        return []
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ReadError(f"{RULES_FILE}: {exc}") from None
    rules = []
    for key, table in sorted(data.get("topics", {}).items()):
        if not isinstance(table, dict):
            raise ReadError(f"{RULES_FILE}: [topics.{key}] must be a table")
        slug = slugify(str(key))
        label = str(table.get("label") or key)
        words = [str(word) for word in table.get("match", []) if str(word).strip()]
        if not slug:
            raise ReadError(f"{RULES_FILE}: topic {key!r} has no usable slug")
        if words:
            alternatives = "|".join(re.escape(word.strip()) for word in words)
            pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)
            rules.append(TopicRule(Topic(slug, label), pattern))
    return rules


def _folder_topic(path: str) -> str | None:
    """The first folder, unless it is a site generator's own (Jekyll's `_posts`)."""
    parts = path.split("/")
    return parts[0] if len(parts) > 1 and not parts[0].startswith("_") else None


def assign_topics(entry: Entry, metadata: dict[str, Any], rules: list[TopicRule]) -> Entry:
    """Return the entry with its topics: metadata first, then folder, then rules; no duplicates.

    A topic that has a rule is labelled as the rules file spells it.
    """
    labels = ensure_list(metadata.get("topics"))[: MAX_TOPICS_PER_ARTICLE - 1]  # room for the folder
    folder = _folder_topic(entry.path)
    if folder:
        labels.append(folder)
    ruled = {rule.topic.slug: rule.topic for rule in rules}
    found: dict[str, Topic] = {}
    for label in labels:
        slug = slugify(label)
        if slug:
            found.setdefault(slug, ruled.get(slug) or Topic(slug, label[:MAX_LABEL_CHARS]))
    if rules:
        text = entry.title + "\n" + html_to_text(entry.content_html)
        for rule in rules:
            if rule.topic.slug not in found and rule.pattern.search(text):
                found[rule.topic.slug] = rule.topic
    kept = list(found.values())[:MAX_TOPICS_PER_ARTICLE]  # in order of precedence: the folder stays
    topics = sorted(kept, key=lambda topic: topic.slug)
    return replace(entry, topics=tuple(topics))
