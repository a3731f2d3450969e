"""Topic assignment: the article's metadata, its first folder, and content/topics.toml rules.

    [topics.kazakhstan]
    label = "Kazakhstan"
    match = ["Kazakhstan", "Almaty"]   # whole words, case-insensitive, title and body
"""

from __future__ import annotations

import difflib
import functools
import json
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import ReadError
from .model import Topic
from .normalize import html_to_text
from .text import slugify

RULES_FILE = "topics.toml"
MAX_TOPICS_PER_ARTICLE = 200  # a monthly digest may list 120 tags; the site generators keep all
MAX_LABEL_CHARS = 100
RULE_KEYS = ("label", "match")
MAX_RULES_BYTES = 1024 * 1024  # the file is read whole, and its words make one pattern per topic
MAX_WORD_CHARS = 200
EXAMPLE = '[topics.trains] with label = "Trains" and match = ["train", "railway"]'


@dataclass(frozen=True)
class TopicRule:
    """A topic of topics.toml: its label always wins; its words (if any) add it to articles."""

    topic: Topic
    pattern: re.Pattern[str] | None  # None: the table only gives the topic its label


def _read_rules_file(path: Path) -> dict[str, Any]:
    if path.stat().st_size > MAX_RULES_BYTES:
        raise ReadError(f"larger than {MAX_RULES_BYTES:,} bytes")
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ReadError(f"not valid TOML: {exc}") from None


def _unknown(key: str, known: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(key, known, n=1)
    return f"unknown key {key!r}" + (f" (did you mean {close[0]!r}?)" if close else "")


def _words(where: str, value: Any) -> list[str]:
    """The match words of one topic: a list of non-empty strings."""
    if isinstance(value, str):
        quoted = json.dumps(value[:40], ensure_ascii=False)  # as TOML writes a string
        raise ReadError(f"{where} match: must be a list of words, such as match = [{quoted}]; "
                        f"got the string {quoted}")
    if not isinstance(value, list) or not all(isinstance(word, str) for word in value):
        raise ReadError(f'{where} match: must be a list of words in quotes, such as match = ["train"]; '
                        f"got {value!r}"[:300])
    words = [word.strip() for word in value]
    if not all(words):
        raise ReadError(f"{where} match: an empty word would match nothing; remove it")
    too_long = next((word for word in words if len(word) > MAX_WORD_CHARS), None)
    if too_long:
        raise ReadError(f"{where} match: {too_long[:40]!r}... is over {MAX_WORD_CHARS} characters")
    return words


def _rule(key: str, table: Any) -> TopicRule:
    where = f"[topics.{key}]"
    if not isinstance(table, dict):
        raise ReadError(f"topics.{key} must be a table with label and match, such as {EXAMPLE}")
    for name in table:
        if name not in RULE_KEYS:
            raise ReadError(f"{where} {_unknown(name, RULE_KEYS)}; the keys of a topic are label and match")
    label = table.get("label", key)
    if not isinstance(label, str) or not label.strip() or len(label) > MAX_LABEL_CHARS:
        raise ReadError(f"{where} label: must be text of 1 to {MAX_LABEL_CHARS} characters in quotes, "
                        f'such as label = "Trains"; got {label!r}'[:300])
    slug = slugify(key)
    if not slug:
        raise ReadError(f"{where} has no usable slug: name the table with letters or digits, "
                        "such as [topics.trains]")
    words = _words(where, table.get("match", []))
    pattern = None
    if words:
        alternatives = "|".join(re.escape(word) for word in words)
        pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)
    return TopicRule(Topic(slug, " ".join(label.split())), pattern)


def load_rules(content_dir: Path) -> list[TopicRule]:
    """Read content/topics.toml; a missing file means no rules.

    A mistake is a ReadError whose message names the topic, the key and the fix (the
    caller names the file).
    """
    path = content_dir / RULES_FILE
    if not path.is_file():
        return []
    data = _read_rules_file(path)
    for key in data:
        if key != "topics":
            raise ReadError(f"{_unknown(key, ('topics',))}: each topic is a table, such as {EXAMPLE}")
    topics = data.get("topics", {})
    if not isinstance(topics, dict):
        raise ReadError(f"topics must be tables, such as {EXAMPLE}")
    rules: dict[str, TopicRule] = {}
    for key, table in sorted(topics.items()):
        rule = _rule(key, table)
        if rule.topic.slug in rules:
            raise ReadError(f"[topics.{key}] is the same topic as another table (slug "
                            f"{rule.topic.slug!r}); merge the two")
        rules[rule.topic.slug] = rule
    return list(rules.values())


def rule_labels(rules: list[TopicRule]) -> dict[str, str]:
    """The label topics.toml gives each of its topics, by slug."""
    return {rule.topic.slug: rule.topic.label for rule in rules}


def _folder_topic(path: str) -> str | None:
    """The first folder, unless it is a site generator's own (Jekyll's `_posts`)."""
    parts = path.split("/")
    return parts[0] if len(parts) > 1 and not parts[0].startswith("_") else None


# One Topic (immutable) for each slug and label: articles share a site's few topics.
_topic = functools.lru_cache(maxsize=4096)(Topic)


def assign_topics(
    path: str, metadata: dict[str, Any], rules: list[TopicRule], folder_topic: bool, title: str, content_html: str,
) -> tuple[Topic, ...]:
    """The topics of an article: metadata first, then folder, then rules; no duplicates.

    metadata: as process_metadata left it, its topics names already. A topic that has a rule
    is labelled as the rules file spells it. folder_topic: False in a site generator's site,
    whose own rules for folders were applied by its reader. title and content_html: what
    the rules' words are looked for in.
    """
    labels = list(metadata.get("topics", ()))[: MAX_TOPICS_PER_ARTICLE - 1]  # room for the folder
    folder = _folder_topic(path) if folder_topic else None
    if folder:
        labels.append(folder)
    ruled = {rule.topic.slug: rule.topic for rule in rules}
    found: dict[str, Topic] = {}
    for label in labels:
        slug = slugify(label)
        if slug and slug not in found:
            found[slug] = ruled.get(slug) or _topic(slug, label[:MAX_LABEL_CHARS])
    if any(rule.pattern for rule in rules):
        text = title + "\n" + html_to_text(content_html)
        for rule in rules:
            if rule.pattern and rule.topic.slug not in found and rule.pattern.search(text):
                found[rule.topic.slug] = rule.topic
    kept = list(found.values())[:MAX_TOPICS_PER_ARTICLE]  # in order of precedence: the folder stays
    return tuple(sorted(kept, key=lambda topic: topic.slug))
