"""A Jekyll post's categories and tags as Jekyll's reader makes them (Document#populate_categories,
populate_tags, Utils.pluralized_array_from_hash).

- Categories: the folders above `_posts/`, then `categories`, then `category` (or, without
  one, `categories` again), each once.
- Tags: `tag` when the front matter has it, else `tags`.
- A singular key's text is one name, commas and all (`tag: SVD, PCA` is the tag "SVD, PCA");
  a plural key's text is split on white space only (`categories: Web Development, CSS` is
  "Web", "Development," and "CSS"); a list's items are names as written.
"""

from __future__ import annotations

from typing import Any

from .metadata import MAX_LIST_ITEMS, MAX_VALUE_CHARS


def jekyll_topics(raw: dict[str, Any], folders: list[str]) -> list[str]:
    """The post's categories (folders: those above `_posts/`) and then its tags."""
    plural_categories = _plural(raw.get("categories"))
    categories = folders + plural_categories + (_singular(raw, "category") or plural_categories)
    tags = _singular(raw, "tag") or _plural(raw.get("tags"))
    return list(dict.fromkeys(name for name in categories + tags if name))[:MAX_LIST_ITEMS]


def _singular(raw: dict[str, Any], key: str) -> list[str] | None:
    """A singular key's value as names, None when the key is absent, empty or false (Ruby's
    `||=` then reads the plural key)."""
    value = raw.get(key)
    if value is None or value is False:
        return None
    return _names(value if isinstance(value, list) else [value])


def _plural(value: Any) -> list[str]:
    """A plural key's value as names: text split on white space, a list's items, else none."""
    if isinstance(value, str):
        return value[:MAX_VALUE_CHARS].split()[:MAX_LIST_ITEMS]
    return _names(value) if isinstance(value, list) else []


def _names(items: list[Any]) -> list[str]:
    """Items as Ruby's to_s writes them (nil left out), white space collapsed."""
    return [" ".join(_text(item)[:MAX_VALUE_CHARS].split()) for item in items[:MAX_LIST_ITEMS] if item is not None]


def _text(item: Any) -> str:
    if isinstance(item, bool):
        return "true" if item else "false"
    return str(item)
