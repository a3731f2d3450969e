"""Turn a RawArticle into an Entry: ids, dates, slugs, summary, sanitized HTML."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import UTC, date, datetime, time
from email.utils import parsedate_to_datetime
from html import unescape
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import quote, urljoin

import nh3
from bs4 import BeautifulSoup

from .config import Settings
from .model import Entry, Identity, RawArticle, ReadError
from .readers import strip_illegal_xml

SUMMARY_CHARS = 300
SLUG_CHARS = 64
ARTICLE_SLUG_CHARS = 128
FILE_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})[-_ ]")
DATE_ONLY = re.compile(r"\d{4}-\d{2}-\d{2}")
DRAFT_STATUSES = {"draft", "hidden"}

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


def slugify(value: str, max_chars: int = SLUG_CHARS) -> str:
    """Lowercase ASCII slug: 'Central Asia' and 'central-asia' are the same topic."""
    ascii_text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:max_chars].rstrip("-")


def ensure_list(value: Any) -> list[str]:
    """Split a metadata value into a list: YAML lists, else ';'-separated, else ','-separated."""
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        items = [str(item) for item in value if item is not None]
    else:
        text = str(value)
        items = text.split(";") if ";" in text else text.split(",")
    seen: dict[str, None] = {}
    for item in items:
        item = " ".join(item.split())
        if item:
            seen.setdefault(item, None)
    return list(seen)


def parse_date(value: Any, tz: Any) -> datetime:
    """Parse a metadata date; a date without time is midnight in the configured zone."""
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, date):
        parsed = datetime.combine(value, time())
    else:
        text = str(value).strip()
        parsed = _parse_date_text(text)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=tz)
    return parsed.replace(microsecond=0)


def _parse_date_text(text: str) -> datetime:
    candidate = text.replace("Z", "+00:00").replace("z", "+00:00")
    try:
        return datetime.fromisoformat(candidate)
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(text)  # RFC 822 / 2822
    except (TypeError, ValueError, IndexError):
        raise ReadError(
            f"unrecognized date {text[:40]!r}: use YYYY-MM-DD, ISO 8601 or RFC 822"
        ) from None


def tag_uri(authority: str, published: datetime, path: str) -> str:
    """An RFC 4151 tag URI: tag:<authority>,<date>:/<path-without-extension>."""
    stem = str(PurePosixPath(path).with_suffix(""))
    return f"tag:{authority},{published.date().isoformat()}:/{quote(stem, safe='/-._~')}"


def article_slug(path: str) -> str:
    stem = str(PurePosixPath(path).with_suffix(""))
    return slugify(stem.replace("/", " "), ARTICLE_SLUG_CHARS) or "article"


def article_url(settings: Settings, slug: str) -> str:
    return f"{settings.base_url}/articles/{slug}"


def is_draft(metadata: dict[str, Any]) -> bool:
    draft = metadata.get("draft")
    if draft is True or str(draft).strip().lower() in {"true", "yes", "1"}:
        return True
    return str(metadata.get("status", "")).strip().lower() in DRAFT_STATUSES


def sanitize_html(html: str, base_url: str) -> str:
    """Allowlist sanitizer; relative links and images become absolute against base_url."""

    def absolutize(_tag: str, attribute: str, value: str) -> str | None:
        if attribute in URL_ATTRIBUTES:
            return urljoin(base_url, value.strip())
        return value

    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        attribute_filter=absolutize,
        link_rel="noopener noreferrer",
    )
    return strip_illegal_xml(cleaned)


def html_to_text(html: str) -> str:
    text = BeautifulSoup(html, "html.parser").get_text(" ")
    return " ".join(unescape(text).split())


def cut_at_word(text: str, limit: int = SUMMARY_CHARS) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit]
    if " " in cut:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,;:.-–—") + "…"


def make_summary(metadata: dict[str, Any], body_html: str) -> str:
    explicit = metadata.get("summary") or metadata.get("description")
    if explicit:
        return cut_at_word(html_to_text(str(explicit)))
    first = BeautifulSoup(body_html, "html.parser").find("p")
    source = first.get_text(" ") if first is not None else html_to_text(body_html)
    return cut_at_word(" ".join(source.split()))


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _published(
    article: RawArticle, remembered: Identity | None, now: datetime, tz: Any
) -> tuple[datetime, list[str]]:
    if article.metadata.get("date"):
        return parse_date(article.metadata["date"], tz), []
    file_date = FILE_DATE.match(PurePosixPath(article.path).name)
    if file_date:
        return parse_date(file_date.group(1), tz), []
    first_seen = (remembered.first_seen if remembered else now).replace(microsecond=0)
    return first_seen, ["no date: using the time the file was first seen"]


def _updated(
    article: RawArticle, published: datetime, remembered: Identity | None,
    digest: str, now: datetime, tz: Any,
) -> datetime:
    for key in ("updated", "modified", "lastmod"):
        if article.metadata.get(key):
            return max(parse_date(article.metadata[key], tz), published)
    if remembered is None:
        return published
    if remembered.content_hash != digest:
        return max(now, published)
    return max(remembered.updated, published)


def normalize(
    article: RawArticle,
    data: bytes,
    settings: Settings,
    remembered: Identity | None,
    now: datetime,
) -> tuple[Entry, list[str]]:
    """Build the entry for one article; returns it with the warnings it raised."""
    tz = settings.tz
    now = now.astimezone(UTC).replace(microsecond=0)
    digest = content_hash(data)
    published, warnings = _published(article, remembered, now, tz)
    updated = _updated(article, published, remembered, digest, now, tz)
    explicit_id = str(article.metadata.get("id") or "").strip()
    entry_id = explicit_id or (
        remembered.entry_id if remembered else tag_uri(settings.authority, published, article.path)
    )
    slug = article_slug(article.path)
    link = str(article.metadata.get("link") or article.metadata.get("canonical") or "").strip()
    page_url = article_url(settings, slug)
    entry = Entry(
        id=entry_id,
        path=article.path,
        slug=slug,
        title=" ".join(strip_illegal_xml(article.title).split()),
        summary=make_summary(article.metadata, article.body_html),
        content_html=sanitize_html(article.body_html, link or page_url),
        published=published,
        updated=updated,
        authors=tuple(ensure_list(article.metadata.get("authors") or article.metadata.get("author"))),
        link=link if link.startswith(("http://", "https://")) else "",
        content_hash=digest,
    )
    return entry, list(article.warnings) + warnings
