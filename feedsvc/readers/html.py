"""HTML pages, as saved from a CMS or written by hand, parsed with lxml (libxml2's HTML
parser: a 200 KB news page in a few milliseconds, where BeautifulSoup's html.parser took a
hundred times as long; bench/readers.py).

Title (page_title.py) from `<title>` (without a site name after the headline, or the part of
it the page shows), else the JSON-LD `headline` or `og:title`, else the first `<h1>`.
Metadata from JSON-LD (json_ld.py: `datePublished`, `dateModified`, `author`, `keywords`,
`description`), every `<meta name|property|itemprop>` (date, modified, keywords, tags,
category, author, description, article:*, og:*), `<link rel="canonical">` and, when none
gives a date, the first `<time datetime>` of the article. The content is the page's main
article as a reading mode picks it (extract.py), without page chrome, what the page hides
from its readers, or what a reading mode cleans out of a story (story_cleanup.py). A file that opens with front matter (Jekyll, Hugo) is a fragment of
content with its metadata and title there.
"""

from __future__ import annotations

import html
import itertools
import re
from typing import Any

from ..errors import NotAnArticle, ReadError
from ..foreign_tags import unframed
from ..model import RawArticle
from ..text import check_costly_characters, check_count, check_nesting, check_tags, count_matches
from . import front_matter, hugo_toc, pelican, templates
from .extract import MIN_STORY, comments, joined, story_parts, unlikely
from .json_ld import json_ld
from .html_tree import remove_elements
from .story_cleanup import removable
from .story_headline import shown_headline
from .markdown import title_from_file_name
from .metadata import FIELDS
from .page_title import title as page_title, words as _words

SHOWN_NOWHERE = {"head", "title", "meta", "link", "script", "style", "noscript", "template"}
# On a saved page an <iframe>'s text is the markup a browser would show if it could not show
# frames (libxml2 reads it as text): shown nowhere, it goes with the chrome.
CHROME = SHOWN_NOWHERE | {"nav", "header", "footer", "form", "iframe"}
CHROME_ROLES = {"navigation", "banner", "contentinfo", "search"}
# What a browser would not show: the hidden attribute, aria-hidden="true" and inline styles.
_MAYBE_HIDDEN = ".//*[@hidden or @aria-hidden or @style]"
_HIDING_STYLE = re.compile(r"display\s*+:\s*+none|visibility\s*+:\s*+hidden", re.IGNORECASE)
# Class and id words of a byline, as readability's (not "authorization" nor "AUTHORING").
_BYLINE_NAMES = re.compile(r"(?<![a-z])(?:byline|authors?|writtenby)(?![a-z])", re.IGNORECASE)
_BY = re.compile(r"^(?:(?:posted|written)\s++)?by\b\s*+:?\s*+", re.IGNORECASE)
MAX_BYLINE = 100  # characters; a byline with a digit holds a date, which would be taken for names
MAX_BYLINE_CANDIDATES = 20
# libxml2 reads HTML as HTML 4: what follows an <svg>, <math> or an unclosed <embed> ends up
# inside it. Their tags go (the sanitizer allows none of them), what they hold stays.
UNWRAPPED = ("svg", "math", "embed", "object", "iframe")
MAX_META = 500
# Keys of a saved page's <meta> tags that date it (or its changes) when none of the metadata
# table's keys do, first met first.
OTHER_DATES = {"date": ("datepublished", "datecreated", "uploaddate", "article:published", "parsely-pub-date",
                        "sailthru.date", "dc.date.issued"),
               "modified": ("datemodified", "article:modified")}
LIBXML2_MAX_DEPTH = 255  # elements deep
XML_DECLARATION_START = re.compile(r"<\?xml", re.IGNORECASE)
# A parse tree holds objects per attribute too. At these limits and text.MAX_TAGS reading and
# cleaning one page takes at most about 60 MB and a second (bench/parse_limits.py).
MAX_ATTRIBUTES = 100_000
# libxml2 compares each attribute of an element with the ones before it: 10,000 on one element
# take 0.3 s, 100,000 over two minutes. A real element has a few dozen.
MAX_ATTRIBUTES_PER_ELEMENT = 1_000
# `<` and `>` outside tags are written as references, each read by the sanitizer (5 MB of `<`
# took 2.5 s); a heavy page holds tens of thousands, most in its tags.
MAX_ANGLE_BRACKETS = 400_000
# A start or end tag (a comment, CDATA or declaration holds no attributes: a script's JSON
# in <![CDATA[ ... ]]> counted thousands).
_TAG_MARKUP = re.compile(r"<[A-Za-z/][^>]*")
# A name after a space or slash, with its value if any (so words of a quoted value do not count).
# Linear: a match starts only where a run of spaces or slashes starts (the lookbehind), and
# possessive quantifiers give nothing back, so no run is scanned twice (`<a` and 120,000
# spaces took 70 s with a plain `[\s/]+`, which every position of the run retried).
_ATTRIBUTE = re.compile(r"""(?<![\s/])[\s/]++[^\s/>=]++(?:\s*+=\s*+(?:"[^"]*+"|'[^']*+'|[^\s>]*+))?""")


def check_markup_size(markup: str) -> None:
    """Refuse markup whose parse tree would be too large or too deep, before building it."""
    check_tags("HTML", markup)
    check_count("HTML", markup.count("<") + markup.count(">"), "angle brackets (< and >)", MAX_ANGLE_BRACKETS)
    per_element = [count_matches(_ATTRIBUTE, markup, tag.start() + 2, tag.end())
                   for tag in _TAG_MARKUP.finditer(markup)]
    check_count("HTML", sum(per_element), "attributes", MAX_ATTRIBUTES)
    check_count("One HTML element", max(per_element, default=0), "attributes", MAX_ATTRIBUTES_PER_ELEMENT)
    check_costly_characters(markup)  # before parsing, as the sanitizer will check what is kept
    # libxml2 closes `<x/>` (a page's SVG icons held 649 `<use .../>`) and drops what it
    # would nest deeper than its limit: refused, not published in part.
    check_nesting(markup, LIBXML2_MAX_DEPTH, closed_by_slash=True)


def without_xml_declarations(markup: str) -> str:
    """Each `<?xml …>` replaced by a space, in one pass. A space, not nothing, so that the
    pieces around one cannot join into another (`<?x<?xml>ml>`), which removing until none
    was left took quadratic time for."""
    parts, done = [], 0
    while match := XML_DECLARATION_START.search(markup, done):
        end = markup.find(">", match.end())
        if end < 0:  # no '>' after this one, so none after any later one: no more declarations
            break
        parts += [markup[done:match.start()], " "]
        done = end + 1
    return "".join(parts) + markup[done:] if parts else markup


# `</body>` or `</html>` in a site's page of HTML (a whole document pasted into it, say).
_DOCUMENT_END = re.compile(r"</(?:body|html)\s*+>", re.IGNORECASE)
# `<script …/>`: the slash means nothing in HTML, a browser reads what follows as the script
# up to `</script>` (`<style/>` the same); libxml2 closed it, and a page's code showed as its
# text. Linear: a try from one `<script` ends at the next `<` or `>`.
_SELF_CLOSED_RAW_TEXT = re.compile(r"(<(?:script|style)\b[^<>]*?)/>", re.IGNORECASE)


def parse_html(markup: str, fragment: bool = False) -> Any:
    """The parsed document (or a fragment in a <div>); XML declarations are dropped: they
    mean nothing in HTML, and lxml refuses them in text."""
    import lxml.html

    markup = without_xml_declarations(markup)
    if "/>" in markup:
        markup = _SELF_CLOSED_RAW_TEXT.sub(r"\1>", markup)
    if fragment and "</" in markup:  # a stray end of the document ends nothing in a browser,
        markup = _DOCUMENT_END.sub("", markup)  # but libxml2 dropped what came after it
    if fragment:  # libxml2 reads what an <iframe> holds as text: its fallback markup showed as
        markup = unframed(markup)  # tags; it is read as markup, as in the other readers' HTML
    if fragment or not markup.strip():
        return lxml.html.fragment_fromstring(markup, create_parent="div")
    return lxml.html.document_fromstring(markup)


def _saved_story(body: Any, metadata: dict[str, Any]) -> Any:
    """The story of a saved page as a reading mode finds it (the body when no element holds
    text), without what the page hides. The byline, and when nothing gave a date the first
    <time> of the story, go into metadata before the story's unlikely parts leave it
    (readability reads the byline first too: it is often in a story's header)."""
    _drop_hidden(body)
    if not any(key in metadata for key in FIELDS["authors"].sources) and (byline := _byline(body)):
        metadata["author"] = byline
    parts, left_out = _story(body)
    if not parts:
        return body
    if not any(key in metadata for key in FIELDS["date"].sources) and (found := next(filter(None, map(_time, parts)), None)):
        metadata["date"] = found
    remove_elements(left_out, [])
    return parts[0] if len(parts) == 1 else joined(parts)


def _story(body: Any) -> tuple[list[Any], list[Any]]:
    """The story's parts and the unlikely parts inside them: looked for without the page's
    unlikely parts (comments, menus, sidebars...); when what a reading mode's cleaning leaves
    of it is under MIN_STORY characters, looked for again among all the page, and the longer
    wins (readability's first attempt and its next)."""
    left_out = unlikely(body)
    chosen: tuple[list[Any], list[Any], int] = ([], [], -1)
    # looked for again, the page's comments still hold no text: a short post above long
    # comments is the story, not the comments, nor the post with its comments
    for ignored in (left_out, comments(left_out)) if left_out else (set(),):
        parts, inside, length = story_parts(body, ignored)
        # cleaning only shortens: what it leaves is needed when the story is long enough before it
        cleaned = ignored is left_out and length >= MIN_STORY
        left = sum(removable(part, set(inside))[1] for part in parts) if cleaned else length
        if left > chosen[2]:
            chosen = (parts, inside, left)
        if left >= MIN_STORY:
            break
    return chosen[0], chosen[1]


def _profile_address(key: str, content: str) -> bool:
    """Open Graph's article:author is the address of the author's profile, no name."""
    return key.strip().lower() == "article:author" and content.strip().lower().startswith(("http:", "https:"))


def _meta(root: Any) -> dict[str, Any]:
    """Every named meta value; a name given several times (author, article:tag) is a list."""
    values: dict[str, list[str]] = {}
    for count, tag in enumerate(root.iter("meta")):
        if count >= MAX_META:
            break
        key = tag.get("name") or tag.get("property") or tag.get("itemprop")
        content = tag.get("content") or tag.get("contents")  # a misspelling Pelican accepts
        if key and content and key.strip() and content.strip() and not _profile_address(key, content):
            values.setdefault(key.strip().lower(), []).append(content.strip())
    for link in root.iter("link"):
        if (link.get("rel") or "").lower() == "canonical" and link.get("href"):
            values.setdefault("canonical", []).append(link.get("href").strip())
            break
    found = {key: items[0] if len(items) == 1 else items for key, items in values.items()}
    scripts = (script.text or "" for script in root.iter("script")
               if (script.get("type") or "").lower() == "application/ld+json")
    for key, value in json_ld(scripts).items():  # a <meta> of the same name wins
        found.setdefault(key if key != "title" else "jsonld:headline", value)
    return found


def _other_dates(metadata: dict[str, Any]) -> None:
    """A saved page dated, or its changes dated, only in other ways than a generator's keys and
    Open Graph's: schema.org microdata (`<meta itemprop="datePublished">`, whose itemprop may
    name several properties), Parse.ly's and Sailthru's tags, `article:published`, Dublin
    Core's date of issue. The first of OTHER_DATES met gives the date (or modified)."""
    for field, key in (("date", "date"), ("updated", "modified")):
        if any(source in metadata for source in FIELDS[field].sources):
            continue
        named = {name: value for keys, value in metadata.items() for name in keys.split()}
        if found := next((named[name] for name in OTHER_DATES[key] if name in named), None):
            metadata[key] = found


def _drop_hidden(body: Any) -> None:
    """What a browser would not show goes with all it holds before the story is looked for
    (a reading mode does the same): the text around it stays in its place."""
    hidden = [element for element in body.xpath(_MAYBE_HIDDEN) if element is not body and _hidden(element)]
    remove_elements(hidden, [])


def _hidden(element: Any) -> bool:
    return (element.get("hidden") is not None or (element.get("aria-hidden") or "").strip().lower() == "true"
            or _HIDING_STYLE.search(element.get("style") or "") is not None)


def _drop_chrome(container: Any, whole_body: bool = False) -> None:
    """Chrome goes with all it holds, and UNWRAPPED elements lose their tags only; the text
    around either stays in its place. whole_body: a Pelican article's body, which Pelican's
    HTML reader keeps whole: only what no page shows goes (scripts, styles, head elements),
    its header, navigation, footer and forms stay."""
    chrome = SHOWN_NOWHERE if whole_body else CHROME
    dropped = [element for element in container.iter()
               if isinstance(element.tag, str) and element is not container
               and (element.tag in chrome or (not whole_body and (element.get("role") or "").lower() in CHROME_ROLES))]
    unwrapped = [element for element in container.iter(*UNWRAPPED) if element is not container]
    remove_elements(dropped, unwrapped)


def inner_html(element: Any) -> str:
    import lxml.html

    parts = [html.escape(element.text or "", quote=False)]
    parts.extend(lxml.html.tostring(child, encoding="unicode", with_tail=True) for child in element)
    return "".join(parts)


def _byline(body: Any) -> str | None:
    """The author's name as the page shows it: the first element marked as the author's
    (rel="author", itemprop="author", a class or id saying byline or author) holding a
    short text, without a leading "By"."""
    from lxml.etree import Element

    candidates = (element for element in body.iter(Element) if _marked_as_byline(element.attrib))
    for element in itertools.islice(candidates, MAX_BYLINE_CANDIDATES):  # each reads all it holds
        named = next(iter(element.xpath(".//*[@itemprop='name']")), element)
        text = _BY.sub("", _words(named.text_content()))
        if 0 < len(text) <= MAX_BYLINE and not any(character.isdigit() for character in text):
            return text
    return None


def _marked_as_byline(attributes: Any) -> bool:
    if not attributes:
        return False
    names = f"{attributes.get('class') or ''} {attributes.get('id') or ''}"
    return (attributes.get("rel") == "author" or "author" in (attributes.get("itemprop") or "")
            or _BYLINE_NAMES.search(names) is not None)


def _time(container: Any) -> str | None:
    for time in container.iter("time"):
        if time.get("datetime"):
            return str(time.get("datetime"))
    return None


def read(text: str, path: str) -> RawArticle:
    """Read an HTML article; one with front matter (Jekyll, Hugo) is a fragment of content
    whose metadata and title are in the front matter."""
    from lxml.etree import ParserError

    generator = templates.site().kind
    front, text, kind = front_matter.split(text, headers=False, jekyll=generator == "jekyll",
                                           hugo=generator == "hugo")
    if not kind and generator == "hugo":
        raise NotAnArticle("not an article: an HTML file without front matter (Hugo copies it as it is, "
                           "or makes an untitled, undated page of its text)")
    warnings: list[str] = []
    if kind:  # a fragment of a Jekyll or Hugo site: its templates are expanded as theirs are
        expanded = templates.expand(text, path, front)
        # An HTML page's table of contents is empty: Hugo lists the headings Goldmark made
        filled = hugo_toc.filled(expanded.fill(expanded.text), "", templates.site().data)
        text, warnings = templates.published(filled), expanded.warnings
    check_markup_size(text)
    try:
        root = parse_html(text, fragment=bool(kind))
    except (ParserError, ValueError) as exc:
        raise ReadError(f"HTML could not be parsed: {exc}") from None
    metadata = {**_meta(root), **front}
    body = next(root.iter("body"), root)
    pelican_page = not kind and generator == "pelican"  # Pelican's HTML reader: all the body, <title>
    saved_page = not kind and not pelican_page  # read as a reading mode reads it
    if saved_page:
        _other_dates(metadata)
    container = root if kind else body if pelican_page else _saved_story(body, metadata)
    if pelican_page and not " ".join(root.findtext(".//title", "").split()):
        raise pelican.no_title()
    title = " ".join(str(front.get("title") or "").split()) or page_title(root, metadata, container, saved_page)
    if not title and saved_page:  # a page saved without its head: the headline above its story
        title = shown_headline(body, container)
    # A site's page is dated by its first <time> when nothing else dates it (a saved page was,
    # in _saved_story); Pelican's HTML reader dates an article by its <meta> tags alone (a
    # theme's <time> in a saved copy of its own page is no date to it: it is skipped without one).
    if kind and not any(key in metadata for key in FIELDS["date"].sources) and (found := _time(container)):
        metadata["date"] = found
    _drop_chrome(container, whole_body=pelican_page)
    if saved_page:
        remove_elements(removable(container)[0], [])
    if not title and kind:  # a site's page: titled as its Markdown pages are (Jekyll's rule)
        title = title_from_file_name(path)
        warnings.append("no title: using the file name")
    if not title:
        raise ReadError("no title: add a <title> element or an <h1> heading")
    return RawArticle(path=path, title=title, body_html=inner_html(container), metadata=metadata,
                      warnings=tuple(warnings))
