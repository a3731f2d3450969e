"""The site generator's own configuration, when the content folder is (or is in) a site.

    Jekyll   _config.yml, or none in a folder holding _posts/ and _layouts/ or _includes/
    Hugo     hugo.toml|yaml|json or config.toml|yaml|json, with the folders config/_default/
             and config/production/ merged over it as `hugo` builds (hugo_config.py)
    Pelican  pelicanconf.py (read as data: literal assignments only, never run)

looked for in the content folder, then its parent. What feeds need from it (time zone,
title, description, author, base URL) are defaults below feedsvc.toml and FEEDSVC_*
settings; the rest says which files are posts (Jekyll: `_posts/`; Hugo: regular pages of
its content folders, one a language, not `_index` list pages nor pages in a disabled
language; Pelican: its content path but `pages/`), which front matter keys are topics
(Hugo's declared taxonomies, per language), and gives templates in
content their `site.*` (Jekyll) and `.Site.Params` (Hugo).
"""

from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from ..dates import go_wall_clock, is_zone_name
from ..urls import is_http_url
from ..errors import NotAnArticle
from . import canonify, hugo_config, hugo_sections, jekyll_dates, jekyll_excludes, pelican
from .config_files import fingerprint, parse_config
from .highlight import Highlight, site_highlight
from .hugo_config import Language
from .hugo_sections import Sections
from .hugo_terms import TermTitles, as_listed, term_key
from .jekyll_data import data_stamp
from .jekyll_collections import collections_stamp
from .jekyll_topics import jekyll_topics
from .template_stamp import template_stamp
from .metadata import ensure_list

JEKYLL_FILES = ("_config.yml", "_config.yaml")
JEKYLL_POSTS = "_posts"
JEKYLL_DATA = "_data"
# With _posts/, one of these makes a folder without configuration a Jekyll site: a plain
# content folder may keep posts in a _posts/ folder too, its other files being articles.
JEKYLL_FOLDERS = ("_layouts", "_includes")
HUGO_FILES = tuple(f"{name}.{ext}" for name in ("hugo", "config") for ext in ("toml", "yaml", "yml", "json"))
PELICAN_FILES = ("pelicanconf.py",)
RECENT_NS = 2_000_000_000
MAX_REMEMBERED = 64
_found: dict[tuple[str, int, int, int], tuple[str, Path] | None] = {}  # by folder and its stat
BUNDLE_INDEX_TYPES = ("md", "markdown", "html", "htm", "rst", "txt")
# The files each generator reads as content (by their readers' extensions): a robots.txt or
# notes.txt in a Hugo or Pelican site is a static file to them, not a post.
CONTENT_TYPES = {
    "hugo": (".md", ".mdown", ".markdown", ".html", ".htm", ".rst"),
    "pelican": (".md", ".markdown", ".mkd", ".mdown", ".html", ".htm", ".rst"),
}
# Settings a site's configuration may supply, by the names each generator gives them.
SETTING_KEYS = {
    "jekyll": {"timezone": "timezone", "title": "title", "subtitle": "description", "author": "author"},
    "hugo": {"timezone": "timezone", "title": "title"},
    "pelican": {"timezone": "TIMEZONE", "title": "SITENAME", "author": "AUTHOR", "base_url": "SITEURL"},
}


@dataclass(frozen=True)
class Site:
    """A site's configuration as feedsvc uses it; kind "" means no site generator found."""

    kind: str = ""
    root: Path = Path()  # the folder holding the configuration
    content_dir: Path = Path()  # feedsvc's content folder
    config_path: str = ""  # relative to the content folder ("../hugo.toml" when in its parent)
    content_prefix: str = ""  # where articles are, within the content folder ("content/")
    languages: tuple[Language, ...] = ()  # Hugo's, the default first; each may have its own folder
    settings: dict[str, str] = field(default_factory=dict)  # feedsvc settings it supplies
    default_category: str = ""  # Pelican's, for an article with none ("": it has none)
    data: dict[str, Any] = field(default_factory=dict)  # the whole configuration, for templates
    fingerprint: str = ""  # changes when the configuration does (then every file is read again)
    term_titles: TermTitles = field(default_factory=dict)  # Hugo's, from its term pages
    sections: Sections = field(default_factory=dict)  # Hugo's that cascade or hide (hugo_sections.py)

    @property
    def content_prefixes(self) -> tuple[str, ...]:
        """Where articles are: the content folder, and each Hugo language's own."""
        own = tuple(language.content_prefix for language in self.languages if language.content_prefix)
        return (self.content_prefix, *own)

    def in_content_folder(self, top: str) -> bool:
        """Whether a name at the top of feedsvc's content folder holds articles."""
        return any(not prefix or top == prefix.split("/")[0] for prefix in self.content_prefixes)

    def language(self, path: str) -> Language | None:
        """The Hugo language of a file (relative to the content folder); None outside Hugo."""
        return hugo_config.language_of(path, self.languages) if self.languages else None

    def not_an_article(self, path: str) -> str | None:
        """Why a file (relative to the content folder) is not an article, or None."""
        language = self.language(path)
        prefix = language.content_prefix if language and language.content_prefix else self.content_prefix
        if self.kind and not path.startswith(prefix):
            return f"outside the {self.kind} site's content folder {prefix.rstrip('/')}/"
        if language and language.disabled:
            return f"a page in a language the Hugo site disables ({language.code})"
        inner = path[len(prefix):]
        parts = inner.split("/")
        if self.kind in CONTENT_TYPES and not parts[-1].lower().endswith(CONTENT_TYPES[self.kind]):
            return f"a file {self.kind.capitalize()} does not read as content (a static file to it)"
        if self.kind == "jekyll":
            return jekyll_dates.not_a_post(parts) or jekyll_excludes.excluded(self.data, self.root, self.content_dir / path)
        if self.kind == "hugo" and any(pattern.search(str(self.content_dir / path)) for pattern in self.ignored):
            return "a file the Hugo site's ignoreFiles leaves out"
        if self.kind == "hugo" and parts[-1].startswith("_index."):
            return "a Hugo list page (_index)"
        if self.kind == "hugo" and (bundle := hugo_sections.bundled(self.content_dir / prefix, parts,
                                                                    BUNDLE_INDEX_TYPES)):
            return bundle
        if self.kind == "hugo" and hugo_sections.shadowed_by_case(self.content_dir / prefix, parts):
            return "a Hugo page another file's path differs from only in case replaces"
        if self.kind == "pelican":
            return pelican.not_an_article(inner, self.data)
        return None

    @property
    def raw_html_allowed(self) -> bool:
        """Hugo leaves raw HTML out of Markdown unless markup.goldmark.renderer.unsafe is set."""
        value: Any = self.data
        for key in ("markup", "goldmark", "renderer", "unsafe"):
            value = value.get(key) if isinstance(value, dict) else None
        return value is True

    @property
    def emoji(self) -> bool:
        """Hugo writes `:smile:` as 😄 when the site sets enableEmoji."""
        return self.kind == "hugo" and hugo_config.lowered(self.data).get("enableemoji") is True

    @property
    def definition_lists(self) -> bool:
        """Hugo reads `Term` / `: definition` lines as a definition list unless
        markup.goldmark.extensions.definitionList is false."""
        return self.goldmark_extension("definitionlist") is not False

    @property
    def heading_attributes(self) -> bool:
        """Hugo reads `{#id}` at the end of a heading as its attributes unless
        markup.goldmark.parser.attribute.title is false."""
        return self._goldmark_attribute("title") is not False

    @property
    def block_attributes(self) -> bool:
        """Hugo reads a `{.class}` line as the attributes of the block before it when
        markup.goldmark.parser.attribute.block is true."""
        return self._goldmark_attribute("block") is True

    def _goldmark_attribute(self, name: str) -> Any:
        value: Any = self.data
        for key in ("markup", "goldmark", "parser", "attribute", name):
            value = hugo_config.lowered(value).get(key) if isinstance(value, dict) else None
        return value

    @property
    def linkify_protocol(self) -> str:
        """The protocol Hugo gives bare `www.` links (markup.goldmark.extensions.linkifyProtocol,
        https by default); "" when linkify is off."""
        if self.goldmark_extension("linkify") is False:
            return ""
        return str(self.goldmark_extension("linkifyprotocol") or "https")

    def goldmark_extension(self, name: str) -> Any:
        value: Any = self.data
        for key in ("markup", "goldmark", "extensions", name):
            value = hugo_config.lowered(value).get(key) if isinstance(value, dict) else None
        return value

    @property
    def typographer(self) -> bool:
        """Hugo turns quotes, dashes and dots into typographic ones unless
        markup.goldmark.extensions.typographer is false (or, since 0.112, has disable = true)."""
        value = self.goldmark_extension("typographer")
        if isinstance(value, dict):
            return hugo_config.lowered(value).get("disable") is not True
        return value is not False

    @cached_property
    def canonify_base(self) -> str:
        """What Hugo puts before root-relative URLs when the site sets canonifyURLs, else ""."""
        return canonify.base_of(self.data) if self.kind == "hugo" else ""

    @cached_property
    def ignored(self) -> tuple[Any, ...]:
        """Hugo's ignoreFiles: RE2 patterns its files' full paths are matched with."""
        return hugo_config.ignore_patterns(self.data) if self.kind == "hugo" else ()

    @cached_property
    def date_keys(self) -> tuple[str, ...]:
        """Where Hugo takes a page's date from, in order (hugo_config.date_keys)."""
        return hugo_config.date_keys(self.data)

    def hugo_front_matter(self, raw: dict[str, Any], path: str) -> dict[str, Any]:
        """A Hugo page's front matter with `date` the value Hugo dates it by (and the slug
        `:filename` gives, unless it has one), not a draft when the site sets buildDrafts;
        NotAnArticle when Hugo lists it nowhere."""
        keys = {str(key).lower(): value for key, value in raw.items()}
        reason = hugo_config.unlisted(keys)
        if reason:
            raise NotAnArticle(f"not an article: {reason}")
        if hugo_config.lowered(self.data).get("builddrafts") is True:  # drafts are published
            raw = {key: value for key, value in raw.items() if str(key).lower() != "draft"}
        found = hugo_config.page_date(keys, path, self.date_keys)
        if found is None:
            return raw
        value, slug = found
        dated = {key: item for key, item in raw.items() if str(key).lower() != "date"}
        if slug and "slug" not in keys:
            dated["slug"] = slug
        return {**dated, "date": go_wall_clock(hugo_config.go_long_offset(value))}

    @cached_property
    def highlight(self) -> Highlight:
        """How Hugo numbers the lines of code blocks here (highlight.py)."""
        return site_highlight(self.data)

    def topics(self, raw: dict[str, Any], path: str) -> Any:
        """The topics the site's generator gives a post, from its raw front matter and path:
        Jekyll's categories (with the folders above `_posts/`) and tags, Hugo's declared
        taxonomies, Pelican's category (else the default) and tags (readers.pelican gives
        the category of the file's folder)."""
        def values(*keys: str) -> list[str]:
            return [item for key in keys for item in ensure_list(raw.get(key))]

        folders = path[len(self.content_prefix):].split("/")[:-1]
        if self.kind == "jekyll":
            return jekyll_topics(raw, folders[: folders.index("_posts")] if "_posts" in folders else [])
        language = self.language(path)
        if language:  # a term is named by its page's title when it has one ("" lists it nowhere)
            accents = bool(hugo_config.lowered(self.data).get("removepathaccents"))
            named = [self.term_titles.get((language.code, key, term_key(str(item), accents)), item)
                     for key in language.topic_keys for item in as_listed(raw.get(key))]
            return [name for name in named if name != ""]
        category = raw.get("category")  # one name to Pelican, commas and all (tags are a list)
        named = [category.strip()] if isinstance(category, str) and category.strip() else values("category")[:1]
        return (named or [self.default_category] * bool(self.default_category)) + values("tags")


def _author(value: Any) -> str:
    if isinstance(value, dict):
        value = value.get("name", "")
    if isinstance(value, list):
        value = ", ".join(str(item) for item in value)
    return str(value or "").strip()


def find_config(folder: Path) -> tuple[str, Path] | None:
    """(generator, its configuration file or Hugo config folder) of a site's root folder; a
    folder with `_posts/` and `_layouts/` or `_includes/` but no configuration is a Jekyll
    site of default settings, its `_posts/` standing for the configuration (jekyll builds it
    just the same)."""
    for kind, names in (("jekyll", JEKYLL_FILES), ("hugo", HUGO_FILES), ("pelican", PELICAN_FILES)):
        for name in names:
            if (folder / name).is_file():
                return kind, folder / name
    if (folder / hugo_config.CONFIG_FOLDERS[0]).is_dir():
        return "hugo", folder / "config"
    if (folder / JEKYLL_POSTS).is_dir() and any((folder / name).is_dir() for name in JEKYLL_FOLDERS):
        return "jekyll", folder / JEKYLL_POSTS
    return None


def _settings(kind: str, data: dict[str, Any]) -> dict[str, str]:
    settings = {ours: _author(data[theirs]) if ours == "author" else str(data[theirs]).strip()
                for ours, theirs in SETTING_KEYS[kind].items() if data.get(theirs)}
    params: dict[str, Any] = data["params"] if isinstance(data.get("params"), dict) else {}
    if kind == "jekyll" and not is_zone_name(settings.get("timezone", "UTC")):
        settings["timezone"] = "UTC"  # Jekyll's TZ: Ruby reads a zone it does not know (+0100) as UTC
    if kind == "jekyll" and data.get("future") is True:  # Jekyll publishes future-dated posts at once
        settings["publish_future"] = "true"
    if kind == "jekyll" and data.get("url"):
        settings["base_url"] = str(data["url"]).rstrip("/") + ("/" + str(data.get("baseurl") or "").strip("/")).rstrip("/")
    if kind == "hugo":
        lowered = {str(key).lower(): value for key, value in data.items()}
        settings["base_url"] = str(lowered.get("baseurl") or "").rstrip("/")  # kept if absolute (below)
        if lowered.get("timezone"):
            settings["timezone"] = str(lowered["timezone"])
        if params.get("description"):
            settings["subtitle"] = str(params["description"])
        author = _author(params.get("author") or lowered.get("author"))
        if author:
            settings["author"] = author
        if lowered.get("buildfuture") is True:  # Hugo publishes future-dated pages at once
            settings["publish_future"] = "true"
    return {name: value for name, value in settings.items() if value and (name != "base_url" or is_http_url(value))}


def _content_prefix(kind: str, data: dict[str, Any], in_parent: bool) -> str:
    if in_parent or kind == "jekyll":
        return ""
    if kind == "pelican":
        return _as_prefix(str(data.get("PATH") or "."))
    mounted = hugo_config.mounted(data, "content")  # Hugo reads no contentDir then
    folder = mounted[0] if mounted else hugo_config.lowered(data).get("contentdir") or "content"
    return _as_prefix(str(folder))


def _as_prefix(folder: str) -> str:
    folder = folder.strip("/").removeprefix("./")
    return "" if folder in ("", ".") else folder + "/"


def _hugo_languages(data: dict[str, Any], content_dir: Path, in_parent: bool) -> tuple[Language, ...]:
    """Hugo's languages, each language's content folder relative to feedsvc's (when the
    configuration is in its parent, a language folder outside it is left out)."""
    def relative(folder: str) -> str | None:
        prefix = _as_prefix(folder)
        if not in_parent:
            return prefix
        return prefix.removeprefix(content_dir.name + "/") if prefix.startswith(content_dir.name + "/") else None

    return hugo_config.languages(data, relative)


def load_site(content_dir: Path) -> Site:
    """The site configuration for a content folder (Site() when there is none). A Hugo site's
    term titles and sections are read each time (pages, not configuration) and count in its
    fingerprint: a term renamed or a cascade changed makes the scan read every page again
    (hugo_sections.py); so do a Jekyll site's `_data/`, collections and newest post's day
    (site.data, site.<name>, site.time) and the templates pages are written with."""
    site = _load(content_dir, _stamp(content_dir))
    if site.kind == "jekyll":  # the posts' Liquid reads `_data/`, the collections and site.time
        site = replace(site, data=jekyll_dates.with_site_time(site.data, site.root))
        site = _stamped(site, data_stamp(site.root / JEKYLL_DATA) + collections_stamp(site.root, site.data)
                        + str(site.data.get("time")))
    site = _stamped(site, template_stamp(site))
    return hugo_sections.with_pages(site) if site.kind == "hugo" and site.languages else site


def _stamped(site: Site, stamp: str) -> Site:
    """The site with a stamp of files its pages are read with counted in its fingerprint:
    one of them edited makes the scan read every page again."""
    if not stamp:
        return site
    return replace(site, fingerprint=hashlib.sha256(f"{site.fingerprint} {stamp}".encode()).hexdigest()[:16])


def _config_in(folder: Path) -> tuple[str, Path] | None:
    """find_config, remembered while the folder's entries stay the same: every file read
    asks, and a folder's modification time changes whenever a name in it is added, removed
    or renamed. A folder changed in the last RECENT_NS is looked at again (the clock's
    granularity could hide a second change)."""
    try:
        stat = os.stat(folder)
    except OSError:
        return None
    key = (str(folder), stat.st_dev, stat.st_ino, stat.st_mtime_ns)
    if key not in _found:
        found = find_config(folder)
        if time.time_ns() - stat.st_mtime_ns < RECENT_NS:
            return found
        if len(_found) >= MAX_REMEMBERED:
            _found.clear()
        _found[key] = found
    return _found[key]


def _stamp(content_dir: Path) -> tuple[str, str, int, int] | None:
    for folder, in_parent in ((content_dir, False), (content_dir.parent, True)):
        found = _config_in(folder)
        if found:
            kind, path = found
            files = ([] if path.is_dir() else [path]) + (
                hugo_config.folder_files(path.parent) if kind == "hugo" else [])
            stats = [item.stat() for item in files]
            return (kind, str(path) + ("\0parent" if in_parent else ""), sum(stat.st_size for stat in stats),
                    max((stat.st_mtime_ns for stat in stats), default=0))
    return None


@lru_cache(maxsize=8)
def _load(content_dir: Path, stamp: tuple[str, str, int, int] | None) -> Site:
    if stamp is None:
        return Site()
    kind, where = stamp[0], stamp[1]
    in_parent = where.endswith("\0parent")
    path = Path(where.removesuffix("\0parent"))
    data = (hugo_config.load(path, parse_config) if kind == "hugo"
            else parse_config(path) if path.is_file() else {})
    languages = _hugo_languages(data, content_dir, in_parent) if kind == "hugo" else ()
    return Site(
        kind=kind,
        root=path.parent,
        content_dir=content_dir,
        config_path=("../" if in_parent else "") + path.name,
        content_prefix=_content_prefix(kind, data, in_parent),
        settings=_settings(kind, data),
        languages=languages,
        default_category=pelican.default_category(data) if kind == "pelican" else "",
        data=data,
        fingerprint=fingerprint(data),
    )
