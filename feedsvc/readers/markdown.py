"""Markdown, rendered as CommonMark by cmark-gfm, with its metadata in one of three conventions.

- YAML front matter between `---` lines (Jekyll, Hugo),
- TOML front matter between `+++` lines (Hugo),
- `Key: value` lines at the top, ended by a blank line (Pelican).
"""

from __future__ import annotations

import ctypes
import html
import re
import string
import tomllib
from pathlib import PurePosixPath
from typing import Any

import yaml
from cmarkgfm import _cmark
from cmarkgfm.cmark import Options

from ..model import ANY_TAG, RawArticle, ReadError, check_count, count_matches
from .metadata import file_name_date, split_header_block

FRONT_MATTER = {
    "---": re.compile(r"---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|$)", re.DOTALL),
    "+++": re.compile(r"\+\+\+[ \t]*\n(.*?\n)?\+\+\+[ \t]*(?:\n|$)", re.DOTALL),
}
MAX_FRONT_MATTER = 64 * 1024
# Jekyll splits these on spaces when written as one string (`categories: news local`).
SPACE_SEPARATED = ("categories", "tags")
# Raw HTML is kept (cmark's default drops it): it goes through the allowlist sanitizer
# (normalize.sanitize_html) like every HTML article. Plain CommonMark, no GFM extensions.
RENDER_OPTIONS = Options.CMARK_OPT_UNSAFE
# Safe mode (raw HTML replaced by a comment) with source lines, to find a leading heading.
HEADING_OPTIONS = Options.CMARK_OPT_SOURCEPOS
_LEADING_H1 = re.compile(r'<h1 data-sourcepos="(\d+):\d+-\d+:\d+">(.*?)</h1>', re.DOTALL)
_ATX_HEADING = re.compile(r" {0,3}#{1,6}(?:[ \t]|$)")
_SETEXT_H1_UNDERLINE = re.compile(r" {0,3}=+[ \t]*")
_ORDERED_LIST_DIGITS = re.compile(r"\d*")
ASCII_PUNCTUATION = frozenset(string.punctuation)
# cmark builds a node for each block and inline element, and aborts the whole process when it
# cannot allocate: 5 MB of `[` took 1.2 GB. A node starts at a line or at a character that
# is markup somewhere (list items also at `1.` or `1)`), so their count bounds the tree. At
# the limit rendering and cleaning take at most about 60 MB and a second
# (bench/parse_limits.py); a 300 KB essay with thousands of links counts about 30,000.
MAX_MARKUP = 100_000
MARKUP_CHARACTERS = "[]*_`<>!&\\#+=~\n-"
_ORDERED_LIST_MARKER = re.compile(r"\d[.)]")
# cmark returns a buffer from the C allocator that cmarkgfm's own wrapper never frees.
_free = ctypes.CDLL(None).free
_free.argtypes = [ctypes.c_void_p]
_free.restype = None


def render(markdown: str, options: int = RENDER_OPTIONS) -> str:
    """CommonMark to HTML; refused before cmark sees it when its tree would be too large."""
    if len(markdown) > MAX_MARKUP:  # else under the limit: each thing counted is a character
        markup = sum(map(markdown.count, MARKUP_CHARACTERS)) + count_matches(_ORDERED_LIST_MARKER, markdown)
        check_count("Markdown", markup, "lines and markup characters", MAX_MARKUP)
    data = markdown.encode("utf-8")
    buffer = _cmark.lib.cmark_markdown_to_html(data, len(data), options)
    try:
        return _cmark.ffi.string(buffer).decode("utf-8")
    finally:
        _free(int(_cmark.ffi.cast("uintptr_t", buffer)))


def render_inline(line: str) -> str:
    """One line of Markdown as the inside of a paragraph: a line that would open a block
    (`# `, `- `, `1. `, `> `, a fence, a rule, a link definition, an HTML block) keeps its text."""
    line = line.strip()
    rendered = render(line)
    if line and not rendered.startswith("<p>"):
        if line.startswith("<"):  # an HTML block: a letter in front makes it inline HTML
            return render(f"x{line}").removeprefix("<p>x").removesuffix("</p>\n")
        # A backslash makes the block's first punctuation literal (CommonMark §2.4).
        digits = _ORDERED_LIST_DIGITS.match(line).end()  # type: ignore[union-attr]
        if line[digits:digits + 1] in ASCII_PUNCTUATION:
            rendered = render(f"{line[:digits]}\\{line[digits:]}")
    return rendered.removeprefix("<p>").removesuffix("</p>\n")


class _NoAliasLoader(yaml.SafeLoader):
    """SafeLoader without anchors and aliases, so a small header cannot expand into a huge one."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            raise ReadError("front matter: YAML aliases (*name) are not supported")
        return super().compose_node(parent, index)

    def construct_yaml_timestamp(self, node: Any) -> Any:
        """An impossible date (`2024-02-30`) stays text, so the error names its field and value."""
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            return self.construct_scalar(node)


_NoAliasLoader.add_constructor("tag:yaml.org,2002:timestamp", _NoAliasLoader.construct_yaml_timestamp)


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
            metadata["summary"] = render_inline(metadata["summary"])
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
    match = _LEADING_H1.match(render(body, HEADING_OPTIONS))
    if not match:
        return None
    lines = body.split("\n")
    start = int(match.group(1)) - 1
    end = start + 1  # cmark's end position of an underlined heading is not reliable
    if not _ATX_HEADING.match(lines[start]):
        while end < len(lines) and not _SETEXT_H1_UNDERLINE.fullmatch(lines[end]):
            end += 1
        end += 1
    # Safe mode wrote raw HTML as a comment, so the heading holds only cmark's own tags.
    title = html.unescape(ANY_TAG.sub("", match.group(2)))
    return " ".join(title.split()), "\n".join(lines[end:])


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
    return RawArticle(path=path, title=title, body_html=render(body), metadata=metadata,
                      warnings=warnings)
