"""Markdown with YAML front matter between `---` lines, rendered as CommonMark."""

from __future__ import annotations

import re
from typing import Any

import yaml
from markdown_it import MarkdownIt

from ..model import RawArticle, ReadError

FRONT_MATTER = re.compile(r"---[ \t]*\n(.*?\n)?---[ \t]*(?:\n|$)", re.DOTALL)
FIRST_H1 = re.compile(r"\A\s*#[ \t]+(.+?)[ \t#]*(?:\n|\Z)")
MAX_FRONT_MATTER = 64 * 1024

_markdown = MarkdownIt("commonmark")


class _NoAliasLoader(yaml.SafeLoader):
    """SafeLoader without anchors and aliases, so a small header cannot expand into a huge one."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            raise ReadError("front matter: YAML aliases (*name) are not supported")
        return super().compose_node(parent, index)


def _front_matter(text: str) -> tuple[dict[str, Any], str]:
    if not text.startswith("---"):
        return {}, text
    match = FRONT_MATTER.match(text)
    if not match:
        raise ReadError("front matter: opening '---' has no closing '---' line")
    source = match.group(1) or ""
    if len(source) > MAX_FRONT_MATTER:
        raise ReadError(f"front matter: larger than {MAX_FRONT_MATTER} bytes")
    try:
        data = yaml.load(source, Loader=_NoAliasLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        raise ReadError(f"front matter: invalid YAML: {str(exc).splitlines()[0]}") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ReadError("front matter: expected 'key: value' pairs")
    return {str(key).strip().lower(): value for key, value in data.items()}, text[match.end():]


def read(text: str, path: str) -> RawArticle:
    """Read a Markdown article."""
    metadata, body = _front_matter(text)
    title = str(metadata.pop("title", "") or "").strip()
    if not title:
        heading = FIRST_H1.match(body)
        if not heading:
            raise ReadError("no title: add 'title:' to the front matter or start with '# Title'")
        title, body = heading.group(1).strip(), body[heading.end():]
    return RawArticle(path=path, title=title, body_html=_markdown.render(body), metadata=metadata)
