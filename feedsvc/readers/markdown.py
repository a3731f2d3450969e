"""Markdown, rendered as CommonMark, with its metadata in one of three conventions.

- YAML front matter between `---` lines (Jekyll, Hugo),
- TOML front matter between `+++` lines (Hugo),
- `Key: value` lines at the top, ended by a blank line (Pelican).
"""

from __future__ import annotations

import re
import tomllib
from pathlib import PurePosixPath
from typing import Any

import yaml
from markdown_it import MarkdownIt

from ..model import RawArticle, ReadError
from .metadata import file_name_date, split_header_block

FRONT_MATTER = {
    "---": re.compile(r"---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|$)", re.DOTALL),
    "+++": re.compile(r"\+\+\+[ \t]*\n(.*?\n)?\+\+\+[ \t]*(?:\n|$)", re.DOTALL),
}
MAX_FRONT_MATTER = 64 * 1024
# Jekyll splits these on spaces when written as one string (`categories: news local`).
SPACE_SEPARATED = ("categories", "tags")
PLAIN_TOKENS = {"text", "code_inline", "softbreak"}

_markdown = MarkdownIt("commonmark")


class _NoAliasLoader(yaml.SafeLoader):
    """SafeLoader without anchors and aliases, so a small header cannot expand into a huge one."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            raise ReadError("front matter: YAML aliases (*name) are not supported")
        return super().compose_node(parent, index)


def _parse_front_matter(fence: str, source: str) -> Any:
    if fence == "+++":
        try:
            return tomllib.loads(source)
        except tomllib.TOMLDecodeError as exc:
            raise ReadError(f"front matter: invalid TOML: {exc}") from None
    try:
        return yaml.load(source, Loader=_NoAliasLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        raise ReadError(f"front matter: invalid YAML: {str(exc).splitlines()[0]}") from None
    except (ValueError, RecursionError) as exc:  # impossible timestamps, absurd nesting
        raise ReadError(f"front matter: invalid value: {exc}") from None


def _front_matter(text: str) -> tuple[dict[str, Any], str]:
    fence = text[:3]
    if fence not in FRONT_MATTER:
        header = split_header_block(text)
        if header is None:
            return {}, text
        metadata, body, _ended = header
        if "summary" in metadata:  # Pelican writes the summary in Markdown too
            metadata["summary"] = _markdown.renderInline(metadata["summary"])
        return metadata, body
    match = FRONT_MATTER[fence].match(text)
    if not match:
        raise ReadError(f"front matter: opening '{fence}' has no closing '{fence}' line")
    source = match.group(1) or ""
    if len(source) > MAX_FRONT_MATTER:
        raise ReadError(f"front matter: larger than {MAX_FRONT_MATTER} bytes")
    data = _parse_front_matter(fence, source)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ReadError("front matter: expected 'key: value' pairs")
    metadata = {str(key).strip().lower(): value for key, value in data.items()}
    for key in SPACE_SEPARATED:
        value = metadata.get(key)
        if fence == "---" and isinstance(value, str) and not any(sep in value for sep in ",;"):
            metadata[key] = value.split()
    return metadata, text[match.end():]


def title_from_file_name(path: str) -> str:
    """Jekyll's rule: the file name without date prefix, words capitalized."""
    dated = file_name_date(path)
    stem = dated[1] if dated else PurePosixPath(path).stem
    return " ".join(word.capitalize() for word in re.split(r"[-_\s]+", stem) if word)


def _leading_h1(body: str) -> tuple[str, str] | None:
    """A first block that is a level-one heading (`# Title` or underlined with `===`):
    its text, and the body without it."""
    tokens = _markdown.parse(body)
    if len(tokens) < 2 or tokens[0].type != "heading_open" or tokens[0].tag != "h1":
        return None
    end = tokens[0].map[1] if tokens[0].map else 0
    words = [child.content for child in tokens[1].children or [] if child.type in PLAIN_TOKENS]
    return "".join(words).strip(), "\n".join(body.split("\n")[end:])


def read(text: str, path: str) -> RawArticle:
    """Read a Markdown article."""
    metadata, body = _front_matter(text)
    title = " ".join(str(metadata.get("title") or "").split())
    warnings: tuple[str, ...] = ()
    if not title:
        heading = _leading_h1(body)
        if heading:
            title, body = heading
        else:
            title = title_from_file_name(path)
            warnings = ("no title: using the file name",)
        if not title:
            raise ReadError("no title: add 'title:' to the front matter or start with '# Title'")
    return RawArticle(path=path, title=title, body_html=_markdown.render(body), metadata=metadata,
                      warnings=warnings)
