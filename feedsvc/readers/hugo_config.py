"""Hugo's configuration as Hugo assembles it, and what it says about languages and code.

    files      hugo.* or config.* at the root, then config/_default/ and config/production/
               merged over it, key by key (`hugo` builds for production); in a config folder
               hugo.* and config.* are the root, any other file the key its name says
               (`params.toml` is [params], `params.fr.toml` is [languages.fr.params],
               `languages.fr.toml` is [languages.fr])
    languages  each language's content folder (`contentDir`) and taxonomies; a file's
               language is the one whose content folder holds it, else its name's suffix
               (`post.fr.md`), else defaultContentLanguage
    highlight  how code blocks are numbered: markup.highlight, or the older pygments* keys
    dates      which front matter keys (or `:filename`) date a page: [frontmatter] date
    mounts     module.mounts that put another folder where Hugo looks for content or
               layouts (`source = "src/content"`, `target = "content"`)

Hugo reads its configuration keys in any case (`contentDir`, `contentdir`): so does this.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path, PurePosixPath
from typing import Any

from ..dates import file_name_date
from ..errors import ReadError
from .go_dates import hugo_reads
from .patterns import compile_site_pattern

CONFIG_FOLDERS = ("config/_default", "config/production")  # later ones win
ROOT_NAMES = ("hugo", "config")  # files of a config folder that hold the root keys
LANGUAGE_TABLES = ("params", "menu", "menus")  # `params.fr.toml` is [languages.fr.params]
CONFIG_TYPES = (".toml", ".yaml", ".yml", ".json")
MAX_CONFIG_FILES = 64
DEFAULT_TAXONOMIES = {"tag": "tags", "category": "categories"}
DEFAULT_LANGUAGE = "en"
# disableKinds with `term` leaves pages without terms; `taxonomy` alone disables only the list
# of a taxonomy's terms (/tags/), and pages keep theirs. Beside `taxonomyTerm`, Hugo's name for
# that list before 0.73, `taxonomy` is the old name of `term` (Hugo reads the pair so).
TERM_KIND, LEGACY_KINDS = "term", {"taxonomy", "taxonomyterm"}
MAX_IGNORE_PATTERNS = 100
# Hugo's own keys for a page's date, and the other names it reads them by.
DATE_KEYS = {"date": ("date",), "publishdate": ("publishdate", "pubdate", "published"),
             "lastmod": ("lastmod", "modified")}
DEFAULT_DATE_KEYS = ("date", "publishdate", "lastmod")


def lowered(data: Any) -> dict[str, Any]:
    """A table with its keys lowercased (Hugo's keys are case-insensitive); {} for a non-table."""
    return {str(key).lower(): value for key, value in data.items()} if isinstance(data, dict) else {}


def folder_files(root: Path) -> list[Path]:
    """The files of a site's config folder, in the order they apply (at most MAX_CONFIG_FILES)."""
    found: list[Path] = []
    for name in CONFIG_FOLDERS:
        folder = root / name
        if folder.is_dir():
            found += sorted(path for path in folder.iterdir() if path.suffix in CONFIG_TYPES and path.is_file())
    if len(found) > MAX_CONFIG_FILES:
        raise ReadError(f"config/: more than {MAX_CONFIG_FILES} configuration files")
    return found


def merge(into: dict[str, Any], data: dict[str, Any]) -> None:
    """Hugo's merge of configuration: tables merge key by key (in any case), other values replace."""
    for key, value in data.items():
        same = next((known for known in into if str(known).lower() == str(key).lower()), key)
        if isinstance(value, dict) and isinstance(into.get(same), dict):
            merge(into[same], value)
        else:
            into[same] = value


def _placed(path: Path, values: dict[str, Any]) -> dict[str, Any]:
    """A config folder file's values where its name puts them: `params.fr` and `menus.fr`
    under [languages.fr], any other `name.fr` (`languages.fr`) as [languages.fr] itself."""
    name, _dot, language = path.stem.partition(".")
    if name in ROOT_NAMES:
        return values
    if not language:
        return {name: values}
    return {"languages": {language: {name: values} if name in LANGUAGE_TABLES else values}}


def load(found: Path, parse: Callable[[Path], dict[str, Any]]) -> dict[str, Any]:
    """The configuration of a site whose root file or config folder is `found`."""
    root = found.parent
    data: dict[str, Any] = parse(found) if found.is_file() else {}
    for path in folder_files(root):
        merge(data, _placed(path, parse(path)))
    return data


@dataclass(frozen=True)
class Language:
    code: str
    content_prefix: str  # its own content folder within the site's, "" when it shares the site's
    topic_keys: tuple[str, ...]
    disabled: bool


def _topic_keys(declared: Any) -> tuple[str, ...]:
    taxonomies = declared if isinstance(declared, dict) else DEFAULT_TAXONOMIES
    return tuple(str(plural).lower() for plural in taxonomies.values())


def default_language(data: dict[str, Any]) -> str:
    return str(lowered(data).get("defaultcontentlanguage") or DEFAULT_LANGUAGE).lower()


def theme_names(data: dict[str, Any]) -> list[str]:
    """The themes a site's configuration names, in its order."""
    named = lowered(data).get("theme") or []
    return [named] if isinstance(named, str) else [str(theme) for theme in named if isinstance(theme, str)]


def mounted(data: dict[str, Any], target: str) -> list[str] | None:
    """The folders the site's module.mounts mount at `target` ("content", "layouts"), for
    every language; None without such a mount (Hugo then mounts its default folder there:
    a mount replaces the default of its target only)."""
    mounts = lowered(lowered(data).get("module")).get("mounts")
    found = [str(own["source"]) for own in map(lowered, mounts if isinstance(mounts, list) else [])
             if str(own.get("target") or "").strip("/") == target and own.get("source")
             and not own.get("lang")]
    return found or None


def languages(data: dict[str, Any], relative: Callable[[str], str | None]) -> tuple[Language, ...]:
    """The site's languages, the default first; relative: a language's contentDir as a prefix
    within feedsvc's content folder (None when outside it)."""
    top = lowered(data)
    disabled = {str(code).lower() for code in top.get("disablelanguages") or []}
    # Without term pages (disableKinds) a page has no terms, only front matter values.
    kinds = {str(kind).lower() for kind in top.get("disablekinds") or []}
    no_terms = TERM_KIND in kinds or LEGACY_KINDS <= kinds
    default = default_language(data)
    found = {default: Language(default, "", _topic_keys({} if no_terms else top.get("taxonomies")),
                               default in disabled)}
    for code, settings in lowered(top.get("languages")).items():
        own = lowered(settings)
        folder = relative(str(own["contentdir"])) if own.get("contentdir") else ""
        if folder is None:
            continue
        taxonomies = {} if no_terms else own.get("taxonomies", top.get("taxonomies"))
        found[code.lower()] = Language(code.lower(), folder, _topic_keys(taxonomies),
                                       code.lower() in disabled or own.get("disabled") is True)
    return tuple(found.values())


def language_of(path: str, site_languages: tuple[Language, ...]) -> Language:
    """The language of a file (its path within feedsvc's content folder)."""
    for language in site_languages:
        if language.content_prefix and path.startswith(language.content_prefix):
            return language
    parts = path.rpartition("/")[2].split(".")
    by_code = {language.code: language for language in site_languages}
    return by_code.get(parts[-2].lower() if len(parts) > 2 else "", site_languages[0])


def date_keys(data: dict[str, Any]) -> tuple[str, ...]:
    """Where a page's date comes from, in order: [frontmatter] date, `:default` being
    Hugo's own keys (date, publishDate, lastmod); `:fileModTime` and `:git` are not read
    (a page dated by them alone is dated as one without a date)."""
    written = lowered(lowered(data).get("frontmatter")).get("date")
    if not isinstance(written, list):
        return DEFAULT_DATE_KEYS
    keys: list[str] = []
    for key in (str(item).lower() for item in written):
        keys += DEFAULT_DATE_KEYS if key == ":default" else (key,)
    return tuple(keys)


def page_date(raw: dict[str, Any], path: str, keys: tuple[str, ...]) -> tuple[Any, str] | None:
    """The value that dates a page (raw front matter, lowercased keys) and the slug the file
    name gives with `:filename` ("" otherwise); a string Hugo reads no date in is passed over
    (go_dates.hugo_reads), as Hugo passes it over. When no key has one Hugo reads, Hugo dates
    the page 0001-01-01, which feed validators refuse (dates before 1990 are implausible to the
    W3C's) and which sorts below every post: the first value written is read as feedsvc reads
    dates (`23 March 2020`), else None (the page is dated when its file is first seen)."""
    for key in keys:
        if key == ":filename":
            folder, _slash, name = path.rpartition("/")
            if name.startswith("index.") and folder:
                name = folder.rpartition("/")[2] + ".md"  # a bundle is named by its folder
            dated = file_name_date(name)
            if dated:
                return dated[0], dated[1].lstrip("-_")
            continue
        found = next((raw[alias] for alias in DATE_KEYS.get(key, (key,))
                      if raw.get(alias) not in (None, "") and hugo_reads(raw[alias])), None)
        if found is not None:
            return found, ""
    written = next((raw[alias] for key in keys for alias in DATE_KEYS.get(key, (key,))
                    if raw.get(alias) not in (None, "")), None)
    return None if written is None else (written, "")


# An RFC 3339 time whose offset has 24 hours or more (`+50:00`, a slip for +08:00): Hugo 0.111,
# built with Go 1.19, whose time.Parse checked no offset's range, reads it as written (Go 1.20
# refuses it); Python's time zones stop below 24 hours.
_LONG_OFFSET = re.compile(r"(\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:\.\d{1,9})?)([+-])(\d\d):?(\d\d)")


def go_long_offset(value: Any) -> Any:
    """A date string whose offset is 24 hours or more as the UTC time Hugo reads from it; any
    other value as it is."""
    if not isinstance(value, str) or len(value) > 40:
        return value
    found = _LONG_OFFSET.fullmatch(value.strip())
    if not found or int(found[3]) < 24:
        return value
    try:
        local = datetime.fromisoformat(found[1].replace(" ", "T"))
    except ValueError:
        return value
    offset = timedelta(hours=int(found[3]), minutes=int(found[4]))
    moment = local - offset if found[2] == "+" else local + offset
    return moment.replace(tzinfo=UTC) if 1 < moment.year < 9999 else value


# A line ending in more than one carriage return (`\r\r\n`, a file converted to CRLF twice):
# Goldmark ends a line at its line feed alone, the returns before it being white space (a
# paragraph, a table, a fence's info string go on on the next line); only in a fenced block's
# code are they line ends, as Chroma (its EnsureLF) and a browser reading the <pre> take them.
# A fence: its run of ``` or ~~~ after spaces and quote marks (in a list item, a quote).
_FENCE = re.compile(rb"[ >]*+(`{3,}+|~{3,}+)")


def goldmark_line_ends(data: bytes) -> bytes:
    """A Hugo page's bytes with the carriage returns before each line feed outside fenced
    code taken out (one pass over its lines)."""
    if b"\r\r" not in data:
        return data
    lines = data.split(b"\n")
    fence, nested = b"", False  # the open fence's run (b"" outside one); whether it is indented
    for number, line in enumerate(lines):
        bare = line.rstrip(b"\r")
        found = _FENCE.match(bare)
        if not fence:
            fence, nested = (found[1], found.start(1) > 0) if found else (b"", False)
            lines[number] = bare
        elif found and found[1].startswith(fence) and not bare[found.end():].strip():
            fence, lines[number] = b"", bare
        elif nested and not bare.strip():  # a blank line of code in a list item: blank to Goldmark
            lines[number] = bare
    return b"\n".join(lines)


def data_folder(root: Path, data: dict[str, Any]) -> Path:
    """The site's data folder (dataDir, `data` unless set): .Site.Data in its templates. One
    named outside the site (an absolute path, `..`) is the default's: none of its data."""
    named = PurePosixPath(str(lowered(data).get("datadir") or "data"))
    return root / ("data" if named.is_absolute() or ".." in named.parts else named)


def unlisted(raw: dict[str, Any]) -> str | None:
    """Why Hugo lists a page in no site-wide collection (so in no site feed), from its front
    matter: `headless: true`, or `_build` / `build` with `list: never` (or false), or with
    `list: local`, which lists it among its own section's pages only (.Site.RegularPages,
    the home feed's pages, leaves it out). Hugo compares the words as written: any other
    value (`Never`, `"false"`) lists the page everywhere, as `always` does. `build` is a
    newer Hugo's name, which 0.111 ignores: its `never` still hides the page (its author
    hid it), its `local` lists it, as 0.111 does."""
    if raw.get("headless") is True:
        return "a Hugo headless bundle (headless: true)"
    for key, hidden in (("_build", ("never", "local", "0")), ("build", ("never", "0"))):
        listed = lowered(raw.get(key)).get("list")
        if listed is False or listed == 0 or str(listed) in hidden:
            return f"a Hugo page listed nowhere site-wide ({key}: list: {listed})"
    return None


def ignore_patterns(data: dict[str, Any]) -> tuple[Any, ...]:
    """The site's ignoreFiles, compiled by RE2 as Hugo's Go compiles them (at most
    MAX_IGNORE_PATTERNS; one RE2 cannot read is left out, as Hugo would refuse the site)."""
    written = lowered(data).get("ignorefiles")
    compiled = (compile_site_pattern(pattern)[0]
                for pattern in (written if isinstance(written, list) else [])[:MAX_IGNORE_PATTERNS])
    return tuple(pattern for pattern in compiled if pattern is not None)
