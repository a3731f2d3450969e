"""Jekyll's `exclude` and `include` settings: the folders its walk does not enter and the posts
it does not read (Jekyll::EntryFilter of jekyll 4.3).

Jekyll walks the site from its root, filtering each folder's entries, and reads the posts of
every `_posts/` folder of a folder it entered. An entry is skipped when a pattern of `exclude`
(with Jekyll's own DEFAULT_EXCLUDES added, less the patterns `include` names) matches its path
from the root, unless a pattern of `include` matches the entry as named in its folder (or by its
base name). A pattern matches a path as Ruby's File.fnmatch does without flags (`*` crosses
`/`), as a plain prefix of it (`img` leaves out `img2/` too), or as a folder named with a
trailing `/`. The patterns come from the site, so they run as RE2 expressions (linear time),
combined into one per use, and only so many are read.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from .patterns import compile_site_pattern

DEFAULT_EXCLUDES = (".sass-cache", ".jekyll-cache", "gemfiles", "Gemfile", "Gemfile.lock", "node_modules",
                    "vendor/bundle/", "vendor/cache/", "vendor/gems/", "vendor/ruby/")
MAX_PATTERNS = 100  # of each list; real sites name a dozen or two
MAX_PATTERN_CHARS = 200
MAX_COMBINED_CHARS = MAX_PATTERNS * MAX_PATTERN_CHARS * 6  # a pattern, escaped, written three ways
POSTS = "_posts"
_NOTHING = "[^\\x00-\\x{10FFFF}]"  # an RE2 expression that matches no text


def excluded(data: dict[str, Any], root: Path, path: Path) -> str | None:
    """Why Jekyll does not read the post at path (within the site's root folder), or None."""
    try:
        parts = path.relative_to(root).parts
    except ValueError:
        return None
    if POSTS not in parts[:-1]:
        return None
    exclude, include = _patterns(data)
    if not exclude:
        return None
    posts = len(parts) - 2 - parts[-2::-1].index(POSTS)  # the innermost _posts/ holds the post
    for depth in range(posts):  # each folder the walk enters on the way, an entry of its parent
        if _skipped("/".join(parts[: depth + 1]), parts[depth], exclude, include, folder=True):
            return f"in a folder Jekyll's exclude setting leaves out ({'/'.join(parts[: depth + 1])}/)"
    if _skipped("/".join(parts), "/".join(parts[posts + 1:]), exclude, include, folder=False):
        return "a post Jekyll's exclude setting leaves out"
    return None


def _skipped(from_root: str, entry: str, exclude: tuple[str, ...], include: tuple[str, ...],
             folder: bool) -> bool:
    if not _matcher(exclude, folder).fullmatch(from_root):
        return False
    matcher = _matcher(include, folder)
    return not (matcher.fullmatch(entry) or matcher.fullmatch(entry.rpartition("/")[2]))


def _patterns(data: dict[str, Any]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(exclude less include, include) as Jekyll reads them: strings, each relative to the root."""
    include = _strings(data.get("include", [".htaccess"]))
    written = _strings(data.get("exclude"))
    exclude = tuple(dict.fromkeys(written + DEFAULT_EXCLUDES))
    return tuple(pattern for pattern in exclude if pattern not in include), include


def _strings(value: Any) -> tuple[str, ...]:
    items = value if isinstance(value, list) else []
    # Ruby's File.join drops the slashes between the root and a pattern beginning with one
    return tuple(item.lstrip("/") for item in items[:MAX_PATTERNS]
                 if isinstance(item, str) and len(item) <= MAX_PATTERN_CHARS)


@lru_cache(maxsize=32)  # the same lists for every file of a scan
def _matcher(patterns: tuple[str, ...], folder: bool) -> Any:
    """One expression matching a path any of the patterns match (a folder also as `name/`)."""
    ways = []
    for pattern in patterns:
        glob = _glob(pattern)
        if compile_site_pattern(glob)[0] is not None:  # a glob RE2 refuses ([z-a]) matches nothing
            ways.append(glob)
        ways.append(re.escape(pattern) + ".*")
        if folder and pattern.endswith("/"):
            ways.append(re.escape(pattern[:-1]))
    compiled, _why = compile_site_pattern("(?s)(?:" + "|".join(ways or [_NOTHING]) + ")", MAX_COMBINED_CHARS)
    if compiled is None:  # over RE2's memory bound together: none is used rather than a subset
        compiled, _why = compile_site_pattern(_NOTHING)
    return compiled


def _glob(pattern: str) -> str:
    """Ruby's File.fnmatch pattern (no flags) as an RE2 expression: `*` any text, `?` one
    character, `[...]` a class (`!` or `^` negating), `\\` escaping the next character."""
    out, index = [], 0
    while index < len(pattern):
        char = pattern[index]
        index += 1
        if char == "*":
            out.append(".*")
        elif char == "?":
            out.append(".")
        elif char == "\\" and index < len(pattern):
            out.append(re.escape(pattern[index]))
            index += 1
        elif char == "[" and (end := pattern.find("]", index + 1)) > index and (
                members := _members(pattern[index:end])):
            out.append(members)
            index = end + 1
        else:
            out.append(re.escape(char))
    return "".join(out)


def _members(body: str) -> str:
    """A bracket's class as RE2 writes it, or "" when it has no members (then `[` is itself)."""
    negated = body[:1] in ("!", "^")
    members = "".join("\\" + char if char in "\\]^[" else char for char in body[negated:])
    return f"[{'^' if negated else ''}{members}]" if members else ""
