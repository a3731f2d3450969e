"""What Pelican makes of an article, where it differs from the other generators.

- Markdown metadata is read as Python-Markdown's `meta` extension (Pelican's) reads it:
  `Key: value` lines, optionally between a `---` line and a `---` or `...` line, never as
  YAML (`Title: uMap sync #1` keeps its `#1`; quotes stay), ended by a blank line or by
  the first line that is neither a key nor an indented continuation.
- Metadata the site gives every file, below the file's own (Pelican's order, lowest first):
  DEFAULT_METADATA, DEFAULT_DATE, EXTRA_PATH_METADATA, then what FILENAME_METADATA and
  PATH_METADATA match in the file's name and path, and the folder the file is in as its
  category (USE_FOLDER_AS_CATEGORY).
- An article without a title or a date is skipped, as Pelican skips it (its Markdown reader
  takes no `# heading` for a title; a title the settings give, FILENAME_METADATA's say, is one).
- Markdown is rendered by cmark, rewritten first where Python-Markdown reads it otherwise
  (readers.pelican_markdown).

Settings come from pelicanconf.py read as data (readers.site). FILENAME_METADATA and
PATH_METADATA are the site's own patterns, run as Pelican runs them, on a file's name and
path only, by RE2 (readers.patterns); one RE2 cannot read is ignored.
"""

from __future__ import annotations

import fnmatch
import html
import re
from datetime import datetime
from pathlib import PurePosixPath
from typing import Any

from typing import TYPE_CHECKING

from dateutil import parser as dateutil_parser

from ..dates import MAX_DATE_CHARS, parse_datetime
from ..errors import NotAnArticle, ReadError
from ..text import FALSE_WORDS, TRUE_WORDS
from .patterns import compile_site_pattern

if TYPE_CHECKING:  # site.py asks this module which files are articles
    from .site import Site

_KEY = re.compile(r"[ ]{0,3}([A-Za-z0-9_-]+):\s*(.*)")
_MORE = re.compile(r"[ ]{4,}(.*)")
_BEGIN = re.compile(r"-{3}(\s.*)?")
_END = re.compile(r"(-{3}|\.{3})(\s.*)?")
MAX_META_LINES = 1000
# Python-Markdown's meta keeps every line of a key; Pelican takes the first for these.
SINGLE_VALUED = {"tags", "date", "modified", "status", "category", "author", "save_as", "url",
                 "authors", "slug"}
FILENAME_METADATA = r"(?P<date>\d{4}-\d{2}-\d{2}).*"


def split_meta(text: str) -> tuple[dict[str, Any], str]:
    """(metadata with lowercased keys, body) as Python-Markdown's meta extension splits them."""
    lines = text.removeprefix("\ufeff").split("\n", MAX_META_LINES)
    position = 1 if lines and _BEGIN.match(lines[0]) else 0
    values: dict[str, list[str]] = {}
    key = ""
    while position < len(lines) and position < MAX_META_LINES:
        line = lines[position]
        if not line.strip() or _END.match(line):
            position += 1
            break
        if match := _KEY.match(line):
            key = match.group(1).lower()
            values.setdefault(key, []).append(match.group(2).strip())
        elif (more := _MORE.match(line)) and key:
            values[key].append(more.group(1).strip())
        else:
            break
        position += 1
    metadata = {name: parts[0] if name in SINGLE_VALUED or len(parts) == 1 else " ".join(parts)
                for name, parts in values.items()}
    return metadata, "\n".join(lines[position:])


def _match(pattern: Any, value: str) -> dict[str, str]:
    compiled, _why = compile_site_pattern(pattern)
    found = compiled.match(value) if compiled is not None and value else None
    return {key.lower(): text for key, text in found.groupdict().items() if text is not None} if found else {}


def _default_date(value: Any) -> Any:
    """DEFAULT_DATE: a date string, or a tuple of datetime's arguments ('fs', the file's
    modification time, is require_date's)."""
    if isinstance(value, (tuple, list)):
        try:
            return datetime(*value)
        except (TypeError, ValueError):
            return None
    return value if isinstance(value, str) and value != "fs" else None


def _paths(value: Any, default: list[str]) -> list[str]:
    paths = [value] if isinstance(value, str) else value if isinstance(value, (list, tuple)) else default
    return [str(path).strip().removeprefix("./").strip("/") for path in paths]


def _under(source: str, folders: list[str]) -> bool:
    return any(source == folder or source.startswith(folder + "/") for folder in folders if folder)


def not_an_article(source: str, data: dict[str, Any]) -> str | None:
    """Why Pelican reads no article from source (a path within its content folder), or None:
    articles are what ARTICLE_PATHS hold (all by default), but for ARTICLE_EXCLUDES, the
    pages of PAGE_PATHS, files or folders whose names IGNORE_FILES matches (fnmatch), and
    files whose reader READERS turns off (`{'html': None}`)."""
    ignores = data.get("IGNORE_FILES")
    names = PurePosixPath(source).parts
    if isinstance(ignores, (list, tuple)) and any(
            isinstance(pattern, str) and fnmatch.fnmatch(name, pattern) for name in names for pattern in ignores):
        return "a file Pelican's IGNORE_FILES leaves out"
    readers = data.get("READERS")
    if isinstance(readers, dict) and PurePosixPath(source).suffix[1:] in readers and (
            readers[PurePosixPath(source).suffix[1:]] is None):
        return "a file Pelican reads no article from: READERS turns its reader off"
    pages = _paths(data.get("PAGE_PATHS"), ["pages"])
    articles = _paths(data.get("ARTICLE_PATHS"), [""])
    if _under(source, [page for page in pages if page not in articles]):
        return "a Pelican page (PAGE_PATHS), not an article"
    if _under(source, _paths(data.get("ARTICLE_EXCLUDES"), [])):
        return "left out of Pelican's articles by ARTICLE_EXCLUDES"
    if "" not in articles and not _under(source, articles):
        return "outside Pelican's ARTICLE_PATHS"
    return None


def site_metadata(path: str, site: Site) -> dict[str, Any]:
    """What Pelican's settings give the file at path (relative to feedsvc's content folder)."""
    data = site.data
    source = path[len(site.content_prefix):]
    metadata: dict[str, Any] = {}
    try:  # a dict, or pairs as dict() takes them (Pelican calls dict() on it)
        defaults = dict(data.get("DEFAULT_METADATA") or {})
    except (TypeError, ValueError):
        defaults = {}
    metadata.update({str(key).lower(): value for key, value in defaults.items()})
    if (date := _default_date(data.get("DEFAULT_DATE"))) is not None:
        metadata["date"] = date
    extra = data.get("EXTRA_PATH_METADATA")
    for prefix, values in sorted(extra.items() if isinstance(extra, dict) else []):
        if isinstance(values, dict) and (source == prefix or source.startswith(str(prefix).rstrip("/") + "/")):
            metadata.update({str(key).lower(): value for key, value in values.items()})
    found: dict[str, Any] = {}
    folder = PurePosixPath(source).parent.name
    checks = [(data.get("FILENAME_METADATA", FILENAME_METADATA), PurePosixPath(source).stem),
              (data.get("PATH_METADATA", ""), source)]
    if data.get("USE_FOLDER_AS_CATEGORY", True) and data.get("CATEGORY_SAVE_AS", True):
        checks.append((r"(?P<category>.*)", folder))
    for pattern, value in checks:
        for key, text in _match(pattern, value).items():
            found.setdefault(key, text)
    metadata.update(found)
    return metadata


# Keys whose empty value Pelican discards (its METADATA_PROCESSORS' _DISCARD): what the
# settings or the folder give stands then (`Category:` left empty in a template).
_DISCARDED_WHEN_EMPTY = frozenset({"category", "author", "status", "slug", "tags"})


def without_empty_values(metadata: dict[str, Any]) -> dict[str, Any]:
    """A file's own metadata (its keys lowercased, as the readers give them) without the
    empty values Pelican discards; most files have none: a look-up per key."""
    empty = [key for key in _DISCARDED_WHEN_EMPTY
             if isinstance(value := metadata.get(key), str) and not value.strip()]
    return {key: value for key, value in metadata.items() if key not in empty} if empty else metadata


# The statuses Pelican knows; it skips an article with any other (`draft, published`), with an error
_STATUSES = frozenset({"published", "hidden", "draft", "skip"})


def known_status(metadata: dict[str, Any]) -> dict[str, Any]:
    """metadata with its status as Pelican reads it: lowercased (`Draft` is a draft), and
    `skip` for one Pelican does not know, which it leaves out of the site. A `draft` key is
    none of Pelican's (a Hugo habit): it publishes such an article, so the key is left out."""
    if "draft" in metadata:
        metadata = {key: value for key, value in metadata.items() if key != "draft"}
    status = metadata.get("status")
    if not isinstance(status, str) or status in _STATUSES:
        return metadata
    lowered = status.strip().lower()
    return {**metadata, "status": lowered if lowered in _STATUSES else "skip"}


def default_category(data: dict[str, Any]) -> str:
    """The category of an article that names none: DEFAULT_CATEGORY ('misc'); none when the
    site turns category pages off (CATEGORY_SAVE_AS = ''), as Pelican gives it then.
    USE_FOLDER_AS_CATEGORY names one either way (site_metadata)."""
    if "CATEGORY_SAVE_AS" in data and not data["CATEGORY_SAVE_AS"]:
        return ""
    return str(data.get("DEFAULT_CATEGORY", "misc"))


def site_title(path: str, site: Site) -> str:
    """The title the site's settings give the file at path (FILENAME_METADATA's or
    PATH_METADATA's `title` group, DEFAULT_METADATA, EXTRA_PATH_METADATA), "" without one:
    Pelican takes it when the file names none."""
    return " ".join(str(site_metadata(path, site).get("title") or "").split())


def feed_title(title: str) -> str:
    """A title as Pelican's feeds write it (MarkupSafe's Markup.striptags): Markdown's
    `Title:` is HTML to its templates, so comments and tags are taken out and character
    references read (`&#8220;Quoted&#8221;` is “Quoted”, `<em>x</em>` is x). An unclosed
    tag or comment keeps the rest as it is, as striptags does."""
    if "<" not in title and "&" not in title:
        return title
    parts, position = [], 0
    while (start := title.find("<", position)) != -1:
        comment = title.startswith("<!--", start)
        end = title.find("-->", start + 4) if comment else title.find(">", start)
        if end == -1:
            break
        parts.append(title[position:start])
        position = end + (3 if comment else 1)
    parts.append(title[position:])
    return html.unescape(" ".join("".join(parts).split()))


def no_title() -> NotAnArticle:
    """Pelican skips an article without a title (a Markdown heading is not one)."""
    return NotAnArticle("not an article: Pelican skips an article without a title "
                        "(add 'Title: ...' to its metadata)")


# Two days on which no date is written: a date read the same with either names its day whole.
_DEFAULT_DAYS = (datetime(2000, 1, 1), datetime(2001, 2, 2))


def read_date(metadata: dict[str, Any]) -> None:
    """A date Pelican reads (dateutil, its get_date, `_` as a space) but none of feedsvc's
    forms takes, `08-02-21 15:00` (month first, a two-digit year), given as the datetime it
    reads. One that leaves out its year, month or day (Pelican takes them from today) is
    left as written. One dateutil cannot read at all (`2021-(TODO: MM-DD)`) makes Pelican
    give up the file ("Could not process"): NotAnArticle."""
    value = metadata.get("date")
    if not isinstance(value, str) or len(value) > MAX_DATE_CHARS:
        return
    try:
        parse_datetime(value)
        return
    except ReadError:
        pass
    text = " ".join(value.replace("_", " ").split())
    first, second = _dateutil_date(text, _DEFAULT_DAYS[0]), _dateutil_date(text, _DEFAULT_DAYS[1])
    if first is None:  # on a leap year's first day: no day Pelican fills in would read it either
        raise NotAnArticle(f"not an article: Pelican cannot read its date {value[:80]!r} and skips it")
    if first == second:
        metadata["date"] = first


def _dateutil_date(text: str, default: datetime) -> datetime | None:
    try:
        return dateutil_parser.parse(text, default=default)
    except (ValueError, OverflowError, TypeError):
        return None


def require_date(metadata: dict[str, Any], site: Site, mtime: float | None = None) -> None:
    """Pelican skips an article without a date, unless DEFAULT_DATE gives every file one;
    'fs' gives the file's modification time (mtime, when known), as Pelican reads it: the
    local time of this machine, taken to be in the site's TIMEZONE."""
    fs = site.data.get("DEFAULT_DATE") == "fs"
    if not metadata.get("date") and fs and mtime is not None:
        metadata["date"] = datetime.fromtimestamp(mtime)
    if not metadata.get("date") and not fs:
        raise NotAnArticle("not an article: Pelican skips an article without a date "
                           "(add 'Date: YYYY-MM-DD', or set DEFAULT_DATE in pelicanconf.py)")


CODE_END = "</code></pre>"


CODE_START = "<pre><code"
# Python-Markdown's parseBoolValue words: ours and "y"/"n"; "none" is false to it too.
_TRUE = TRUE_WORDS | {"y"}
_FALSE_OR_NONE = FALSE_WORDS | {"n", "none"}


def markdown_extension(data: dict[str, Any], name: str) -> dict[str, Any] | None:
    """The configuration the MARKDOWN setting gives Python-Markdown's extension `name`
    (`toc`: under markdown.extensions.toc or toc in extension_configs, or named in
    extensions: {}); None when the setting does not turn it on."""
    markdown = data.get("MARKDOWN")
    if not isinstance(markdown, dict):
        return None
    names = (f"markdown.extensions.{name}", name)
    configs = markdown.get("extension_configs")
    configs = configs if isinstance(configs, dict) else {}
    found = next((configs[key] for key in names if key in configs), None)
    if isinstance(found, dict):
        return found
    listed = markdown.get("extensions")
    return {} if isinstance(listed, (list, tuple)) and any(key in listed for key in names) else None


def smarty(data: dict[str, Any]) -> bool:
    """Whether the MARKDOWN setting turns on Python-Markdown's smarty with its quotes, dashes
    and ellipses (cmark's smart punctuation writes the same; its angled quotes are off)."""
    config = markdown_extension(data, "smarty")
    parts = ("smart_quotes", "smart_dashes", "smart_ellipses")
    return config is not None and all(bool_value(config.get(part, True)) is not False for part in parts)


def extra_part(data: dict[str, Any], name: str) -> bool:
    """Whether Python-Markdown reads the part `name` of its `extra` (def_list, ...): Pelican's
    default MARKDOWN turns extra on; a site's own MARKDOWN replaces it and turns on only the
    extensions it names (extra, or the part by itself)."""
    if not isinstance(data.get("MARKDOWN"), dict):
        return True
    return markdown_extension(data, "extra") is not None or markdown_extension(data, name) is not None


def bool_value(value: Any) -> bool | None:
    """A setting as Python-Markdown's parseBoolValue reads it: None for None or a string it
    does not know (its caller then takes the string as it is)."""
    if not isinstance(value, str):
        return None if value is None else bool(value)
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    return False if lowered in _FALSE_OR_NONE else None


def code_line_numbers(data: dict[str, Any]) -> tuple[str | None, int]:
    """How the site's codehilite numbers code blocks' lines (linenos, or linenums, in the
    MARKDOWN setting's extension_configs), and the first number (linenostart): None, its
    default, numbers only an indented block under a `#!` line; "table" or "inline" (as
    Pygments writes them) numbers every block, fenced or indented; "" none."""
    config = markdown_extension(data, "codehilite")
    if not config:
        return None, 1
    value = config["linenos"] if "linenos" in config else config.get("linenums")
    if isinstance(value, str) and value.strip().lower() in _FALSE_OR_NONE:
        value = None if value.strip().lower() == "none" else False
    start = config.get("linenostart", 1)
    start = abs(start) if isinstance(start, int) and not isinstance(start, bool) and abs(start) < 10**9 else 1
    if value is None:
        return None, start
    return ("inline" if value == "inline" else "table" if value else ""), start


def numbered_blocks(html: str, numbers: str, start: int = 1) -> str:
    """Every code block of html with its lines numbered: numbers "table" or "inline"."""
    first, *blocks = html.split(CODE_START)
    number = numbered_code if numbers == "table" else inline_numbered_code
    return first + "".join(number(CODE_START + block, start) for block in blocks)


def inline_numbered_code(code: str, start: int = 1) -> str:
    """A code block (from its <pre><code> on) with each line's number before it, as
    Pygments' `linenos='inline'` writes them (right-aligned to the widest)."""
    opened, end = code.find(">", len(CODE_START)) + 1, code.find(CODE_END)
    if opened <= 0 or end < opened:
        return code
    lines = code[opened:end].split("\n")
    count = len(lines) - 1 if lines[-1] == "" else len(lines)
    width = len(str(start + count - 1))
    numbered = [f'<span class="linenos">{start + index:>{width}}</span>{line}'
                for index, line in enumerate(lines[:count])]
    return code[:opened] + "\n".join(numbered + lines[count:]) + code[end:]


def numbered_code(code: str, start: int = 1) -> str:
    """A code block (from its <pre><code> on) in a table with its line numbers beside it."""
    end = code.find(CODE_END)
    if end < 0:
        return code
    numbers = "\n".join(str(number) for number in range(start, start + code.count("\n", 0, end)))
    return (f'<table class="codehilitetable"><tr><td class="linenos"><pre>{numbers}</pre></td>'
            f'<td class="code">{code[:end + len(CODE_END)]}</td></tr></table>{code[end + len(CODE_END):]}')
