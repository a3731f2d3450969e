"""Front matter, as Jekyll, Hugo and Pelican accept it, split from the text after it.

- YAML between `---` lines (Jekyll, Hugo), TOML between `+++` lines (Hugo), a JSON object
  (`{ ... }`, Hugo), each possibly after blank lines, spaces or a byte order mark (Hugo
  skips them; so do we, whatever the site);
- `Key: value` lines at the top, ended by a blank line (Pelican), when the caller accepts them.

Keys come out lowercased (Hugo's and Pelican's are case-insensitive), or as written for
Jekyll, whose `Date:` and `Category:` are variables of their own and not the post's date
and category; Jekyll's space-separated `categories`/`tags` strings are split (not Hugo's:
to Hugo 0.111 `categories: android lib` is the one term "android lib").
"""

from __future__ import annotations

import json
import re
import tomllib
from typing import Any

import yaml

from ..errors import ReadError
from . import simple_yaml
from .metadata import split_header_block

FRONT_MATTER = {
    "---": re.compile(r"---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|$)", re.DOTALL),
    # Hugo's lexer ends TOML at the first line that starts with +++, what follows on it being
    # the content ('+++##### A heading'); TOML front matter is Hugo's only.
    "+++": re.compile(r"\+\+\+[ \t]*\n(.*?\n)?\+\+\+(?:[ \t]*(?:\n|$))?", re.DOTALL),
}
# Hugo ends YAML as it ends TOML: at the first line that starts with ---, what follows on it
# being the content ('---Some text'); Jekyll wants the line to hold nothing else (or '...').
# Hugo's lexer opens it with the first three dashes alone: the rest of the opening line is
# the YAML's first line (`------` gives `---`, a document start, then the keys).
HUGO_YAML = re.compile(r"---([^\n]*+\n(?:.*?\n)?)---(?:[ \t]*(?:\n|$))?", re.DOTALL)
MAX_FRONT_MATTER = 64 * 1024
# What may come before the opening fence: whitespace and byte order marks.
LEADING = " \t\n\ufeff"
# Jekyll splits these on spaces when written as one string (`categories: news local`).
SPACE_SEPARATED = ("categories", "tags")
# A JSON object opens with `{` and then a key or `}`: a Liquid tag (`{%`) or a Hugo
# shortcode (`{{<`) at the top of a file is text.
_JSON_START = re.compile(r"\{\s*[\"}]")


def _timestamp(loader: Any, node: Any) -> Any:
    """An impossible date (2023-02-30) stays text: the date field reports it, and the post
    keeps the rest of its front matter."""
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError):
        return loader.construct_scalar(node)


class _NoAliasLoader(yaml.SafeLoader):
    """SafeLoader without anchors and aliases, so a small header cannot expand into a huge one."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            raise ReadError("front matter: YAML aliases (*name) are not supported")
        return super().compose_node(parent, index)


# libyaml's parser (when PyYAML was built with it) reads front matter about 8 times faster;
# it composes in C, where aliases cannot be refused, so it only reads sources without `*`.
_FastLoader: Any = type("_FastLoader", (getattr(yaml, "CSafeLoader", _NoAliasLoader),), {})
for _loader in (_NoAliasLoader, _FastLoader):
    _loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)


def load_yaml(source: str, what: str = "front matter") -> Any:
    """Parse YAML safely; an error names what was being read."""
    try:
        if "*" not in source:
            simple = simple_yaml.load(source, _FastLoader.yaml_constructors)
            if simple is not None:  # the usual shape: the same values, about 5 times faster
                return simple
            try:
                return yaml.load(source, Loader=_FastLoader)  # noqa: S506 - a SafeLoader's kind
            except yaml.YAMLError:
                pass  # read again below, for the error's wording (or what libyaml refused)
        return yaml.load(source, Loader=_NoAliasLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        raise ReadError(f"{what}: invalid YAML: {str(exc).splitlines()[0]}") from None
    except (ValueError, RecursionError) as exc:  # impossible timestamps, absurd nesting
        raise ReadError(f"{what}: invalid value: {exc}") from None


def _parse(fence: str, source: str) -> Any:
    if fence == "+++":
        try:
            return tomllib.loads(source)
        except tomllib.TOMLDecodeError as exc:
            raise ReadError(f"front matter: invalid TOML: {exc}") from None
    return load_yaml(source)


def _json(text: str) -> tuple[Any, str]:
    """A JSON object at the start of text (Hugo), and the text after it."""
    try:
        data, end = json.JSONDecoder().raw_decode(text[:MAX_FRONT_MATTER])
    except json.JSONDecodeError as exc:
        if len(text) > MAX_FRONT_MATTER and exc.pos >= MAX_FRONT_MATTER - 1:
            raise ReadError(f"front matter: larger than {MAX_FRONT_MATTER} bytes") from None
        raise ReadError(f"front matter: invalid JSON: {exc}") from None
    except RecursionError:
        raise ReadError("front matter: JSON nested too deeply") from None
    return data, text[end:].lstrip(" \t").removeprefix("\n")


def _fenced(fence: str, text: str, unclosed_is_text: bool = False, hugo: bool = False
            ) -> tuple[Any, str] | None:
    match = (HUGO_YAML if hugo and fence == "---" else FRONT_MATTER[fence]).match(text)
    if not match:
        if unclosed_is_text:
            return None
        raise ReadError(f"front matter: opening '{fence}' has no closing '{fence}' line")
    source = match.group(1) or ""
    if len(source) > MAX_FRONT_MATTER:
        raise ReadError(f"front matter: larger than {MAX_FRONT_MATTER} bytes")
    return _parse(fence, source), text[match.end():]


def _key(key: Any, exact: bool) -> str:
    return str(key).strip() if exact else str(key).strip().lower()


def has_front_matter(text: str, hugo: bool = False) -> bool:
    """True when text opens (after whitespace) with a YAML, TOML or JSON front matter (to
    Hugo, a first line starting with `---` opens YAML: `------`, `---title: x`)."""
    start = text.lstrip(LEADING)
    return (start[:3] in FRONT_MATTER and (start[3:4] in ("\n", " ", "\t") or hugo and start[:3] == "---")
            or bool(_JSON_START.match(start)))


def split(text: str, headers: bool = True, jekyll: bool = False, hugo: bool = False
          ) -> tuple[dict[str, Any], str, str]:
    """(metadata with lowercased keys, body, kind): kind is yaml, toml, json, header or ''.

    headers: also accept Pelican's `Key: value` lines (Markdown and text, not HTML).
    jekyll: as Jekyll reads it: keys keep their case, and a `---` that no line closes opens
    nothing (Jekyll publishes the whole file, its first lines too, where Hugo stops).
    hugo: the file is a Hugo site's (its YAML ends as Hugo ends it)."""
    start = text.lstrip(LEADING)
    if not has_front_matter(text, hugo):
        header = split_header_block(text) if headers else None
        if header is None:
            return {}, text, ""
        values, body, _ended = header
        return values, body, "header"
    fence = start[:3]
    if fence in FRONT_MATTER:
        fenced = _fenced(fence, start, unclosed_is_text=jekyll, hugo=hugo)
        if fenced is None:
            return {}, text, ""
        data, body = fenced
        kind = "yaml" if fence == "---" else "toml"
    else:
        data, body = _json(start)
        kind = "json"
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ReadError("front matter: expected 'key: value' pairs")
    metadata: dict[str, Any] = {_key(key, jekyll): value for key, value in data.items()}
    for key in SPACE_SEPARATED if not hugo else ():
        value = metadata.get(key)
        if kind == "yaml" and isinstance(value, str) and not any(sep in value for sep in ",;"):
            metadata[key] = value.split()
    return metadata, body, kind
