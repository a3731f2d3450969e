"""Text helpers every stage uses: slugs, file extensions, counting markup, within limits.

Imports nothing of the pipeline (only errors), so readers, normalize and the web layer
can all use it.
"""

from __future__ import annotations

import functools
import re
import sys

from anyascii import anyascii

from .errors import ReadError

SLUG_CHARS = 64
CACHED_SLUG_INPUT = 200  # longer values are slugged without the cache, which holds 4,096
# How metadata and settings say yes and no.
TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off"})
# Markup in text, as several stages recognize it: an end tag (`</b>`) marks text as pasted
# HTML; any tag is what is stripped from generated HTML to get its words.
END_TAG = re.compile(r"</\w+>")
ANY_TAG = re.compile(r"<[^<>]*>")  # not [^>]*: each unclosed "<" would scan to the end
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)")
# Elements whose text is not markup (a script's strings may hold tags), to their end tag.
_RAW_TEXT_END = {name: re.compile(rf"</{name}", re.IGNORECASE) for name in ("script", "style")}
# Elements that never hold others, or whose end tag may be left out (HTML §13.1.2.4).
VOID_OR_OPTIONAL_END = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr", "p", "li", "dt", "dd", "tr", "td", "th", "thead", "tbody", "tfoot",
    "option", "optgroup", "rt", "rp", "colgroup", "caption", "html", "head", "body",
}


def yes_no(word: str) -> bool | None:
    """A yes or no written as settings and front matter write them; None for any other word."""
    word = word.strip().lower()
    return True if word in TRUE_WORDS else False if word in FALSE_WORDS else None


def slugify(value: str, max_chars: int = SLUG_CHARS) -> str:
    """Lowercase ASCII slug: 'Central Asia' and 'central-asia' are the same topic."""
    if len(value) <= CACHED_SLUG_INPUT:  # topics repeat from article to article
        return _cached_slug(value, max_chars)
    return _slug(value, max_chars)


_NOT_SLUG = re.compile(r"[^a-z0-9]+")  # compiled once: re.sub looked the pattern up each time


def _slug(value: str, max_chars: int) -> str:
    # anyascii transliterates every script (Москва -> Moskva, Straße -> Strasse, Ørsted ->
    # Orsted); NFKD decomposition alone drops such letters and leaves Cyrillic slugs empty.
    ascii_text = anyascii(value[: max_chars * 4])
    slug = _NOT_SLUG.sub("-", ascii_text.lower()).strip("-")
    return slug[:max_chars].rstrip("-")


_cached_slug = functools.lru_cache(maxsize=4096)(_slug)


def extension(path: str) -> str:
    """`world/a.MD` -> `.md`; '' when the name has none (`.hidden` has none)."""
    dot = path.rfind(".")
    return path[dot:].lower() if dot > path.rfind("/") + 1 else ""


# Jekyll keeps its articles in `_posts`: a folder read, though its name starts with '_'.
ARTICLE_FOLDERS = {"_posts"}


def is_hidden_name(name: str, kind: str = "") -> bool:
    """Files and folders named `.x` or `_x` are not published (`_posts` is read). Hugo (kind
    "hugo") leaves alone only `.x`, `#x` and `x~`: it publishes a `_x` folder's pages.
    Here, not with the readers: the web app's media route needs it, and importing the readers
    cost it 0.1 s."""
    if kind == "hugo":
        return name.startswith((".", "#")) or name.endswith("~")
    return name.startswith((".", "_")) and name not in ARTICLE_FOLDERS


def without_extension(path: str) -> str:
    """`world/a.md` -> `world/a` (string slicing: pathlib took a third of normalize's own time)."""
    return path[: len(path) - len(extension(path))]


def count_matches(pattern: re.Pattern[str], text: str, start: int = 0, end: int = sys.maxsize) -> int:
    """How many times pattern matches, in constant memory (findall and subn build lists)."""
    return sum(1 for _match in pattern.finditer(text, start, end))


def check_count(source: str, count: int, things: str, limit: int) -> None:
    """Refuse a file with more of something costly to parse than its limit."""
    if count > limit:
        raise ReadError(f"{source} has {count:,} {things}, over the limit of {limit:,}")


def nesting_depth(html: str) -> int:
    """How deep elements nest, counted from tags (a guard, not a parser: HTML parsers slow
    down with the square of the depth)."""
    depth = deepest = skip_until = 0
    for match in _TAG.finditer(html):
        if match.start() < skip_until:
            continue
        name = match.group(2).lower()
        if name in _RAW_TEXT_END and not match.group(1):  # its text holds no elements, whatever it says
            end = _RAW_TEXT_END[name].search(html, match.end())
            skip_until = end.end() if end else len(html)
            continue
        if name in VOID_OR_OPTIONAL_END:
            continue
        depth = max(0, depth - 1) if match.group(1) else depth + 1
        deepest = max(deepest, depth)
    return deepest
