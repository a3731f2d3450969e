"""Turn a RawArticle into an Entry: ids, dates, slugs, summary, sanitized HTML."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

import nh3

from . import foreign_tags
from .config import Settings
from .dates import file_name_date, parse_date
from .encodings import strip_illegal_xml
from .errors import ReadError, with_value
from .links import ArticleLinks
from .media import duration_seconds, media_type
from .model import Attachment, Entry, Episode, Identity, RawArticle, Topic
from .readers.metadata import UNREADABLE_DATE
from .text import check_links, check_sanitizable
from .urls import (
    ALLOWED_SCHEMES, article_slug, article_url, has_active_scheme, id_uri, page_url, tag_uri,
)

SUMMARY_CHARS = 300
MAX_ATTACHMENTS = 16  # enclosures per article: each is opened to read its size and duration
EPISODE_TYPES = {"full", "trailer", "bonus"}
PIECE_CHARS = 64 * 1024  # of a long paragraph, parsed at a time for its summary

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "details",
    "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6",
    "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "samp", "small",
    "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead",
    "time", "tr", "u", "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "abbr": {"title"},
    "time": {"datetime"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start"},
}
URL_ATTRIBUTES = {"href", "src"}
_P_END = re.compile(r"</p\s*>", re.IGNORECASE)
# A first paragraph of text alone: no markup, no references (the sanitizer writes ">" as one)
_PLAIN_FIRST_PARAGRAPH = re.compile(r"<p>([^<>&]*)</p>")
HIDDEN_TEXT_TAGS = {"script", "style", "template"}
BLOCK_TAGS = {
    "blockquote", "caption", "dd", "div", "dl", "dt", "figcaption", "figure", "h1", "h2",
    "h3", "h4", "h5", "h6", "hr", "li", "ol", "p", "pre", "table", "td", "th", "tr", "ul",
}


# How an article's relative links and images resolve (links.py): the cleaner below is built
# once (building one per article took half of sanitizing) and reads it per call.
_links: ContextVar[ArticleLinks] = ContextVar("links")


def _absolutize(_tag: str, attribute: str, value: str) -> str | None:
    """A link or image URL made absolute, or None (the attribute is dropped) unless it is
    http, https or mailto. nh3 checks the scheme of the value as written, before this
    rewrite, and not again: the check that counts is safe_url's, in ArticleLinks.resolve."""
    return _links.get().resolve(value) if attribute in URL_ATTRIBUTES else value


_CLEANER = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes=set(ALLOWED_SCHEMES),
    attribute_filter=_absolutize,
    link_rel="noopener noreferrer",
    clean_content_tags={"script", "style", *foreign_tags.ANNOTATIONS},
)


def plain_paragraphs(html: str) -> bool:
    """True for HTML that is paragraphs of text alone, each `<p>...</p>` and a line end, as
    Markdown renders prose: the sanitizer would write it back unchanged (its parser reads a
    carriage return as a line end and writes &, <, > and the no-break space as references;
    nothing else of a text changes), and it took a third of normalizing such an article."""
    if "&" in html or "\xa0" in html or "\r" in html:
        return False
    *paragraphs, after = html.split("</p>\n")
    return not after and all(
        paragraph.startswith("<p>") and paragraph.find("<", 3) < 0 and paragraph.find(">", 3) < 0
        for paragraph in paragraphs)


def sanitize_html(html: str, base_url: str, links: ArticleLinks | None = None) -> str:
    """Allowlist sanitizer; relative links and images become absolute against base_url
    (or as links resolves them: media and articles in the content folder), with ASCII host
    names; a link whose scheme is not http, https or mailto is left out."""
    if plain_paragraphs(html):
        return strip_illegal_xml(html)
    check_sanitizable(html, foreign_tags.CHEAP_TO_NEST)
    check_links(html)  # an article's, not a whole page's: each is resolved
    token = _links.set(links or ArticleLinks(base_url))
    try:
        cleaned = _CLEANER.clean(foreign_tags.prepared(html))
    finally:
        _links.reset(token)
    return strip_illegal_xml(cleaned)


class _TextBlocks(HTMLParser):
    """Plain text of HTML block by block; inline markup joins its words as written.

    A streaming parser, so time stays linear however deeply the markup nests."""

    def __init__(self, without_paragraphs: bool = False) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[str, list[str]]] = [("", [])]
        self._hidden = 0  # depth inside script or style, whose text is not text
        self.paragraph_done = False  # a paragraph with text is complete
        self.paragraph_letters = 0  # characters but white space in the paragraph open now
        self.without_paragraphs = without_paragraphs  # the HTML has no <p>: its summary is its text's start
        self.letters_done = 0  # characters but white space in the blocks complete (without_paragraphs)

    def _new_block(self, tag: str) -> None:
        last_tag, parts = self.blocks[-1]
        if last_tag == "p" and _words("".join(parts)):
            self.paragraph_done = True
        elif self.without_paragraphs:
            self.letters_done += sum(map(len, "".join(parts).split()))
        self.blocks.append((tag, []))
        self.paragraph_letters = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in HIDDEN_TEXT_TAGS:
            self._hidden += 1
        elif tag == "br":
            self.blocks[-1][1].append(" ")
        elif tag in BLOCK_TAGS:
            self._new_block(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in HIDDEN_TEXT_TAGS:
            self._hidden = max(0, self._hidden - 1)
        elif tag in BLOCK_TAGS:
            self._new_block("")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.blocks[-1][1].append(data)
            if self.blocks[-1][0] == "p":
                self.paragraph_letters += sum(map(len, data.split()))

    def summary_known(self) -> bool:
        """True once the summary cannot change: a paragraph with text is complete, or the
        first one has more text than a summary takes (its start is all make_summary uses),
        or, in HTML without paragraphs, the complete blocks hold more than that: the text's
        first SUMMARY_CHARS + 1 characters are then known (a list of 33,000 items was parsed
        whole for its first 300 characters)."""
        return (self.paragraph_done or self.paragraph_letters > SUMMARY_CHARS
                or self.letters_done > SUMMARY_CHARS + 1)


def _words(text: str) -> str:
    return " ".join(text.split())


def _after_each_paragraph(html: str) -> Iterator[str]:
    """Sanitized HTML in pieces, each ending with a paragraph's end tag or, in a paragraph
    longer than PIECE_CHARS, with a tag's end (the last piece with the rest): a summary is
    known after the first few of a long paragraph (5 MB in one took a second to parse)."""
    start = 0
    for match in _P_END.finditer(html):
        yield from _tag_ended_pieces(html, start, match.end())
        start = match.end()
    yield from _tag_ended_pieces(html, start, len(html))


def _tag_ended_pieces(html: str, start: int, end: int) -> Iterator[str]:
    # In sanitized HTML '>' only ends a tag (the sanitizer escapes it in text and values),
    # so no tag is cut in two: a cut tag would be read again from its start at each piece.
    while end - start > PIECE_CHARS:
        cut = html.find(">", start + PIECE_CHARS, end)
        if cut < 0:
            break
        yield html[start:cut + 1]
        start = cut + 1
    yield html[start:end]


def text_blocks(html: str, until_paragraph: bool = False) -> list[tuple[str, str]]:
    """(tag, plain text) of every block of the HTML that holds text, in order.

    until_paragraph: stop parsing once the summary is known (a paragraph with text is
    complete, or the first is longer than a summary): make_summary needs no more, and
    the blocks up to there are the same."""
    parser = _TextBlocks(until_paragraph and "<p>" not in html and "<p " not in html)  # as sanitized
    try:
        for piece in _after_each_paragraph(html) if until_paragraph else (html,):
            parser.feed(piece)
            if until_paragraph and parser.summary_known():
                break
        else:
            # What feed could not complete (a tag or comment open until the end) is dropped,
            # as browsers drop it: html.parser takes quadratic time over it at close (see
            # readers.html.parseable).
            if parser.rawdata.startswith("<"):
                parser.rawdata = ""
            parser.close()
    except AssertionError:  # malformed declarations in old Pythons' parser: keep what was read
        pass
    blocks = ((tag, _words("".join(parts))) for tag, parts in parser.blocks)
    return [(tag, text) for tag, text in blocks if text]


def html_to_text(html: str) -> str:
    return " ".join(text for _tag, text in text_blocks(html))


def cut_at_word(text: str, limit: int = SUMMARY_CHARS) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit]
    if " " in cut:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,;:.-–—") + "…"


def make_summary(metadata: dict[str, Any], content_html: str) -> str:
    """The summary metadata, else the first paragraph with text, cut near SUMMARY_CHARS."""
    explicit = metadata.get("summary")
    if explicit:  # plain text, as written: `Why <script> tags matter` shows just so
        return cut_at_word(" ".join(str(explicit).split()))
    plain = _PLAIN_FIRST_PARAGRAPH.match(content_html)
    if plain and plain[1].strip():  # what text_blocks finds there, without parsing (the usual case)
        return cut_at_word(_words(plain[1]))
    blocks = text_blocks(content_html, until_paragraph=True)
    first = next((text for tag, text in blocks if tag == "p"), None)
    return cut_at_word(first if first is not None else " ".join(text for _tag, text in blocks))


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _published(
    article: RawArticle, remembered: Identity | None, now: datetime, tz: Any
) -> tuple[datetime, list[str]]:
    if article.metadata.get("date"):
        return parse_date(article.metadata["date"], tz), []
    # A date that could not be read is named, field and value, in the fallback's warning.
    problem, value = article.metadata.get(UNREADABLE_DATE) or ("no date", None)

    def warning(fallback: str) -> list[str]:
        message = f"{problem}: using {fallback}"
        return [message if value is None else with_value(message, value)]

    # Jekyll and Pelican: a YYYY-MM-DD prefix of the file name is the date.
    file_date = file_name_date(article.path)
    if file_date:
        return parse_date(file_date[0], tz), warning("the file name's date") if value is not None else []
    if article.metadata.get("updated"):  # it was published by then at the latest
        return parse_date(article.metadata["updated"], tz), warning("the updated date")
    first_seen = (remembered.first_seen if remembered else now).replace(microsecond=0)
    return first_seen, warning("the time the file was first seen")


def _updated(
    article: RawArticle, published: datetime, remembered: Identity | None,
    digest: str, now: datetime, tz: Any, warnings: list[str],
) -> datetime:
    if article.metadata.get("updated"):
        updated = parse_date(article.metadata["updated"], tz)
        if updated > now:  # no feed may claim a time that has not come
            warnings.append(f"updated date {updated.isoformat()} is in the future: "
                            "using the publication date")
            return published
        return max(updated, published)
    if remembered is None:
        return published
    if remembered.content_hash != digest:
        return max(now, published)
    return max(remembered.updated, published)


def _explicit_id(metadata: dict[str, Any], warnings: list[str], tag: str) -> str:
    """The id the article gives itself as a URI (urls.id_uri), unless it reads as a script URL."""
    explicit = str(metadata.get("id") or "").strip()
    if explicit and has_active_scheme(explicit):  # most articles give none
        warnings.append("id is a script or data URL; ignored")
        return ""
    return id_uri(explicit, tag) if explicit else ""


def _page_link(metadata: dict[str, Any], warnings: list[str]) -> str:
    """The article's own address from `link` or canonical metadata, if it is one."""
    written = str(metadata.get("link") or "")
    link = page_url(written) if written else ""
    if link is None:
        warnings.append(with_value("link: not an absolute http(s) URL; ignored", written))
        return ""
    return link


# An entry's topics from its title and sanitized HTML (topics.assign_topics, its other
# arguments given): the entry is built once, with them.
TopicsOf = Callable[[str, str], tuple[Topic, ...]]


def normalize(
    article: RawArticle,
    data: bytes,
    settings: Settings,
    remembered: Identity | None,
    now: datetime,
    topics: TopicsOf | None = None,
) -> tuple[Entry, list[str]]:
    """Build the entry for one article; returns it with the warnings it raised.
    topics: what gives the entry its topics (None: it has none)."""
    tz = settings.tz
    now = now.astimezone(UTC).replace(microsecond=0)
    digest = content_hash(data)
    published, warnings = _published(article, remembered, now, tz)
    updated = _updated(article, published, remembered, digest, now, tz, warnings)
    explicit_id = _explicit_id(article.metadata, warnings, f"tag:{settings.authority},{published.date()}:id:")
    entry_id = explicit_id or (
        remembered.entry_id if remembered else tag_uri(settings.authority, published, article.path)
    )
    slug = article_slug(article.path, article.metadata)
    link = _page_link(article.metadata, warnings)
    links = ArticleLinks(
        link or article_url(settings.base_url, slug), settings.base_url, settings.content_dir, article.path,
        settings.max_media_size, lambda path: article_url(settings.base_url, article_slug(path, {})))
    content_html = sanitize_html(article.body_html, links.page_url, links)
    entry = Entry(
        id=entry_id,
        path=article.path,
        slug=slug,
        title=article.title,  # cleaned by read_article
        summary=strip_illegal_xml(make_summary(article.metadata, content_html)),
        content_html=content_html,
        published=published,
        updated=updated,
        authors=tuple(article.metadata.get("authors", ())),
        topics=topics(article.title, content_html) if topics else (),
        link=link,
        content_hash=digest,
        image=_cover_image(article.metadata, links),
        attachments=_attachments(article.metadata, links),
        episode=_episode(article.metadata),
    )
    return entry, list(article.warnings) + warnings + links.warnings


def _cover_image(metadata: dict[str, Any], links: ArticleLinks) -> str:
    """The URL of the cover image named in metadata ('' without one, or when it is no image)."""
    reference = metadata.get("image")
    found = links.media_file("image", reference) if reference else None
    if found is None:
        return ""
    url, media = found
    if media is not None and not media.type.startswith("image/"):
        links.warn(with_value(f"image: a {media.type} file, not an image; ignored", reference, 80))
        return ""
    return url


def _attachments(metadata: dict[str, Any], links: ArticleLinks) -> tuple[Attachment, ...]:
    """The files named as enclosures: size and type from the file (duration too, for audio
    and video); a URL elsewhere with the type its extension gives and an unknown size."""
    references = metadata.get("attachments", [])
    if len(references) > MAX_ATTACHMENTS:
        links.warn(f"{len(references)} enclosures; the first {MAX_ATTACHMENTS} are used")
    attachments = []
    for reference in references[:MAX_ATTACHMENTS]:
        found = links.media_file("enclosure", reference)
        if found is None:
            continue
        url, media = found
        if media is None:
            kind = media_type(urlsplit(url).path) or "application/octet-stream"
            attachments.append(Attachment(url, kind, 0))
        else:
            attachments.append(Attachment(url, media.type, media.size, duration_seconds(media)))
    return tuple(attachments)


def _episode(metadata: dict[str, Any]) -> Episode:
    kind = metadata.get("episode_type") or "full"
    return Episode(metadata.get("episode"), metadata.get("season"),
                   kind if kind in EPISODE_TYPES else "full", metadata.get("explicit"))
