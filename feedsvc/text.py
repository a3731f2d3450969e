"""Text helpers every stage uses: slugs, file extensions, counting markup, within limits.

Imports nothing of the pipeline (only errors), so readers, normalize and the web layer
can all use it.
"""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Collection

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
TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)")  # a start or end tag: its "/" and its name, as cmark reads them
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


# Elements deep: HTML parsers slow down with the square of the depth.
MAX_NESTING = 512
# Tags of a saved page, or written in Markdown: a parse tree holds objects per tag (a 5 MB file
# of bare tags took 1.3 GB), and the site generators' rewritings of Markdown go over each raw
# tag in Python at a few microseconds (50,000 end tags took 0.8-0.9 s). A heavy saved news page
# has a few thousand elements; a tag counts each start and end, comment and declaration.
MAX_TAGS = 30_000
TAG_START = re.compile(r"<[A-Za-z/!?]")  # what an HTML parser reads as a tag, a comment or a declaration


def check_tags(source: str, markup: str) -> None:
    """Refuse markup with more tags than MAX_TAGS."""
    if markup.count("<") > MAX_TAGS:  # else under the limit: every tag starts with one
        check_count(source, count_matches(TAG_START, markup), "tags", MAX_TAGS)


# Links and images (href and src attributes, counted as the words): the sanitizer resolves and
# checks each address at about 40 µs (16,650 took 0.65 s); an article has at most a few thousand
# (Wikipedia's saved page 2,453 once read).
MAX_LINKS = 10_000
# The sanitizer (nh3's html5ever) copies the text read so far at each ampersand, and at each
# character U+00A0 to U+00BF (the no-break space, ©, °, «, », ...), of a text or attribute
# value: its time grows with their count times the text's length. 16,000 of them in one text
# of 5 MB took 1.2 s, 100,000 in 5 MB 9.5 s; an article holds a few thousand in short texts.
# Bounded by their count, and by the sum of count x length over texts between tags longer
# than _LONG_TEXT (shorter ones cost at most MAX_COSTLY_CHARACTERS x _LONG_TEXT in all).
MAX_COSTLY_CHARACTERS = 100_000
MAX_SANITIZING_COST = 20_000_000_000  # 3,800 in a text of 5 MB: 0.3 to 0.5 s
_LONG_TEXT = 10_000
_COSTLY = "&" + "".join(map(chr, range(0xA0, 0xC0)))
_LINEAR_REFERENCES = ("&quot;", "&lt;", "&gt;")  # read at no such cost: ", < and > copy nothing
_COSTLY_DESCRIPTION = "ampersands and characters U+00A0 to U+00BF (no-break spaces, ©, ...)"


def _costly(text: str) -> int:
    # ASCII text (known without a look) holds none of U+00A0 to U+00BF: one count, not 33
    costly = text.count("&") if text.isascii() else sum(map(text.count, _COSTLY))
    return costly - sum(map(text.count, _LINEAR_REFERENCES))


def check_links(html: str) -> None:
    """Refuse an article's HTML with more links and images than MAX_LINKS."""
    if len(html) > 10 * MAX_LINKS:  # else too short to hold more: each takes 10 characters or more
        lowered = html.lower()
        check_count("The article's HTML", lowered.count("href") + lowered.count("src"),
                    "links and images (href and src)", MAX_LINKS)


def check_sanitizable(html: str, uncounted: Collection[str] = ()) -> None:
    """Refuse HTML too costly to sanitize: nested deeper than MAX_NESTING (elements named in
    uncounted aside), or with too many ampersands and characters U+00A0 to U+00BF (in all, or
    for the length of their texts)."""
    check_costly_characters(html)
    check_nesting(html, MAX_NESTING, uncounted)


def check_costly_characters(html: str) -> None:
    """Refuse HTML with too many ampersands and characters U+00A0 to U+00BF to sanitize, in
    all or for the length of their texts."""
    costly = _costly(html) if len(html) > _LONG_TEXT else 0  # else cheap, whatever it holds
    check_count("The article's HTML", costly, _COSTLY_DESCRIPTION, MAX_COSTLY_CHARACTERS)
    if costly * len(html) > MAX_SANITIZING_COST:  # else no text can cost more: no need to look
        long_texts = [(_costly(text), len(text)) for text in html.split("<") if len(text) > _LONG_TEXT]
        if sum(count * length for count, length in long_texts) > MAX_SANITIZING_COST:
            count, length = map(sum, zip(*long_texts))
            raise ReadError(f"The article's HTML has {count:,} {_COSTLY_DESCRIPTION} in texts of "
                            f"{length:,} characters without a tag, too many for their length to sanitize")


def check_nesting(html: str, limit: int, uncounted: Collection[str] = (), closed_by_slash: bool = False) -> None:
    """Refuse HTML nested deeper than limit (see nesting_depth)."""
    if html.count("<") > limit:  # else too few tags to nest past the limit: no need to count
        depth = nesting_depth(html, uncounted, closed_by_slash)
        if depth > limit:
            raise ReadError(f"HTML nested {depth} elements deep; at most {limit} are read")


# A tag to its end, and the "/>" that ends it if any (linear: no character is read twice).
_TAG_TO_END = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)[^<>/]*+(?:/(?!>)[^<>/]*+)*+(/>)?")


def nesting_depth(html: str, uncounted: Collection[str] = (), closed_by_slash: bool = False) -> int:
    """How deep elements nest, counted from tags, those named in uncounted aside (a guard, not
    a parser: HTML parsers slow down with the square of the depth); closed_by_slash: `<x/>`
    holds nothing (libxml2 reads it so, where HTML's parsers do only in SVG and MathML)."""
    depth = deepest = skip_until = 0
    for match in _TAG_TO_END.finditer(html):
        if match.start() < skip_until:
            continue
        name = match.group(2).lower()
        if name in _RAW_TEXT_END and not match.group(1):  # its text holds no elements, whatever it says
            end = _RAW_TEXT_END[name].search(html, match.end())
            skip_until = end.end() if end else len(html)
            continue
        if name in VOID_OR_OPTIONAL_END or name in uncounted or (closed_by_slash and match.group(3)):
            continue
        depth = max(0, depth - 1) if match.group(1) else depth + 1
        deepest = max(deepest, depth)
    return deepest
