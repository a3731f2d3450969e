"""HTML pages, as saved from a CMS or written by hand, parsed with BeautifulSoup.

Title from `<title>`, else the first `<h1>`. Metadata from every `<meta name|property>`
(date, modified, keywords, tags, category, author, description, article:*, og:*),
`<link rel="canonical">` and, when no meta gives a date, the first `<time datetime>`.
Content from `<article>`, else `<main>`, else `<body>`, without page chrome. A file that
opens with front matter (Jekyll, Hugo) takes its metadata and title from there.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ..model import NotAnArticle, RawArticle, ReadError, check_count, count_matches
from . import front_matter, templates
from .metadata import FIELDS

# bs4 is imported on first use: with soupsieve it takes about a tenth of a second to import,
# in every process that scans (the pool's too), and a site of Markdown never needs it.
if TYPE_CHECKING:
    from bs4 import BeautifulSoup, Tag

# Named, so every machine parses alike: html.parser ships with Python.
PARSER = "html.parser"
CHROME = [
    "head", "title", "meta", "link", "script", "style", "noscript", "template",
    "nav", "header", "footer", "form",
]
CHROME_ROLES = {"navigation", "banner", "contentinfo", "search"}
MAX_META = 500
XML_DECLARATION = re.compile(r"<\?xml[^>]*>", re.IGNORECASE)
# BeautifulSoup keeps Python objects of about 0.7 KB per tag and 0.5 KB per attribute: a
# 5 MB file of bare tags took 1.3 GB and 40 seconds. At these limits reading and cleaning
# one page takes at most about 60 MB and a second (bench/parse_limits.py); a heavy saved
# news page has a few thousand elements (a tag counts each start and end, comment and
# declaration).
MAX_TAGS = 30_000
MAX_ATTRIBUTES = 100_000
_TAG_START = re.compile(r"<[A-Za-z/!?]")  # what html.parser reads as a tag, a comment or a declaration
_TAG_MARKUP = re.compile(r"<[A-Za-z/!?][^>]*")
# A name after a space or slash, with its value if any (so words of a quoted value do not count).
_ATTRIBUTE = re.compile(r"""[\s/]+[^\s/>=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]*))?""")


def parse_html(markup: str) -> BeautifulSoup:
    """Parse with the named parser; short text without '<' gets a newline, or BeautifulSoup
    warns that a lone 'http://...' looks like a URL to fetch (it is text to us). XML
    declarations are dropped: they mean nothing in HTML, and bs4 would warn about them."""
    from bs4 import BeautifulSoup

    stripped = XML_DECLARATION.sub("", markup)
    while stripped != markup:  # removing one may join the pieces of another
        markup, stripped = stripped, XML_DECLARATION.sub("", stripped)
    return BeautifulSoup(markup if "<" in markup else markup + "\n", PARSER)


def check_markup_size(markup: str) -> None:
    """Refuse markup whose parse tree would be too large, before building it."""
    check_count("HTML", count_matches(_TAG_START, markup), "tags", MAX_TAGS)
    attributes = sum(count_matches(_ATTRIBUTE, markup, tag.start() + 2, tag.end())
                     for tag in _TAG_MARKUP.finditer(markup))
    check_count("HTML", attributes, "attributes", MAX_ATTRIBUTES)


def _meta(soup: BeautifulSoup) -> dict[str, Any]:
    """Every named meta value; a name given several times (author, article:tag) is a list."""
    values: dict[str, list[str]] = {}
    for tag in soup.find_all("meta", limit=MAX_META):
        key = tag.get("name") or tag.get("property") or tag.get("itemprop")
        content = tag.get("content") or tag.get("contents")  # a misspelling Pelican accepts
        if isinstance(key, str) and isinstance(content, str) and key.strip() and content.strip():
            values.setdefault(key.strip().lower(), []).append(content.strip())
    canonical = soup.find("link", rel="canonical", href=True)
    if canonical is not None:
        values.setdefault("canonical", []).append(str(canonical["href"]).strip())
    if not any(key in values for key in FIELDS["date"].sources):
        time = soup.find("time", datetime=True)
        if time is not None:
            values["date"] = [str(time["datetime"])]
    return {key: items[0] if len(items) == 1 else items for key, items in values.items()}


def _container(soup: BeautifulSoup) -> Tag:
    from bs4 import Tag

    for name in ("article", "main", "body"):
        found = soup.find(name)
        if isinstance(found, Tag):
            return found
    return soup


def _drop_chrome(container: Tag) -> None:
    for tag in container.find_all(CHROME):
        tag.decompose()
    for tag in container.find_all(attrs={"role": True}):
        if not tag.decomposed and str(tag.get("role", "")).lower() in CHROME_ROLES:
            tag.decompose()


def _title(soup: BeautifulSoup, container: Tag) -> str:
    """The page title, else the first h1; an h1 repeating the title leaves the content."""
    title_tag = soup.find("title")
    title = " ".join(title_tag.get_text(" ").split()) if title_tag is not None else ""
    heading = container.find("h1")
    heading_text = " ".join(heading.get_text(" ").split()) if heading is not None else ""
    if heading is not None and heading_text and heading_text == (title or heading_text):
        heading.decompose()
    return title or heading_text


def read(text: str, path: str) -> RawArticle:
    """Read an HTML article; one with front matter (Jekyll, Hugo) is a fragment of content
    whose metadata and title are in the front matter."""
    from bs4.exceptions import ParserRejectedMarkup

    front, text, kind = front_matter.split(text, headers=False)
    if not kind and templates.site().kind == "hugo":
        raise NotAnArticle("not an article: an HTML file without front matter (Hugo copies it as it is)")
    warnings: list[str] = []
    if kind:  # a fragment of a Jekyll or Hugo site: its templates are expanded as theirs are
        expanded = templates.expand(text, path, front)
        text, warnings = expanded.fill(expanded.text), expanded.warnings
    check_markup_size(text)
    try:
        soup = parse_html(text)
        metadata = {**_meta(soup), **front}
        container = _container(soup)
        title = " ".join(str(front.get("title") or "").split()) or _title(soup, container)
        _drop_chrome(container)
        body = container.decode_contents()
    except ParserRejectedMarkup as exc:
        raise ReadError(f"HTML could not be parsed: {exc}") from None
    except RecursionError:
        raise ReadError("HTML nested too deeply to read") from None
    if not title:
        raise ReadError("no title: add a <title> element or an <h1> heading")
    return RawArticle(path=path, title=title, body_html=body, metadata=metadata, warnings=tuple(warnings))
