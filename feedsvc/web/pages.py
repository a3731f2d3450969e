"""The pages blueprint: the home page, topic pages and article pages, in HTML."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, render_template

from .. import render
from ..model import Entry
from ..urls import article_path
from .meta import Pager, feed_links, listing_path, page_count, site_path_of
from .service import service, topic_or_404

LAST_PAGE = 1_000_000  # of a listing: bounds the offset a URL can ask the catalog for
PAGE_NUMBER = f"<int(min=2, max={LAST_PAGE}):number>"  # page 1 is the listing's own folder

bp = Blueprint("pages", __name__)


@bp.app_context_processor
def _page_globals() -> dict[str, Any]:
    settings = service().settings
    return {
        "settings": settings,
        "site_feeds": feed_links(settings),
        "link": lambda path: site_path_of(settings, path),
    }


@bp.app_template_filter("isolated")
def isolated(text: str) -> str:
    """Text for where no markup may go (a page's <title>): between U+2068 FIRST STRONG ISOLATE
    and U+2069 POP DIRECTIONAL ISOLATE, the plain-text <bdi>. A title's bidirectional controls
    (U+202E and the like) then cannot reorder the text around it."""
    return f"\u2068{text}\u2069"


def _listing(folder: str, topic_slug: str | None, number: int) -> tuple[list[Entry], Pager]:
    per_page = service().settings.feed_limit
    entries, total = service().store.find_entries(
        topic=topic_slug, limit=per_page, offset=(number - 1) * per_page)
    last = page_count(total, per_page)
    if number > last:
        abort(404, f"page {number} is past the last page, {last}")
    return entries, Pager(
        number, last, total,
        newer=listing_path(folder, number - 1) if number > 1 else None,
        older=listing_path(folder, number + 1) if number < last else None,
    )


@bp.get("/")
@bp.get(f"/page/{PAGE_NUMBER}/")
def home(number: int = 1) -> str:
    """Latest entries (older ones on later pages) and every topic with its count and feeds."""
    svc = service()
    entries, pager = _listing("/", None, number)
    topics = svc.store.topics()
    return render_template(
        "index.html",
        entries=entries,
        pager=pager,
        topics=topics,
        topic_feeds={topic.slug: feed_links(svc.settings, topic) for topic, _ in topics},
        feeds=feed_links(svc.settings),
    )


@bp.get("/topics/<slug:slug>/")
@bp.get(f"/topics/<slug:slug>/page/{PAGE_NUMBER}/")
def topic_page(slug: str, number: int = 1) -> str:
    """One topic's entries and feeds; its own feeds come first in autodiscovery."""
    svc = service()
    topic = topic_or_404(slug)
    topic_feeds = feed_links(svc.settings, topic)
    entries, pager = _listing(f"/topics/{slug}/", slug, number)
    if not pager.total:  # its feeds answer, empty; the site lists it nowhere
        abort(404, f"topic {slug!r} has no published article")
    return render_template(
        "topic.html",
        topic=topic,
        count=pager.total,
        entries=entries,
        pager=pager,
        page_feeds=topic_feeds,
        feeds=topic_feeds + feed_links(svc.settings),
    )


@bp.get("/articles/<slug:slug>")
def article_page(slug: str) -> str:
    """One article, the target of every entry's link."""
    svc = service()
    entry: Entry | None = svc.store.entry_by_slug(slug)
    if entry is None:
        abort(404, f"unknown article {slug!r}")
    return render_template(
        "article.html",
        entry=entry,
        canonical=render.entry_link(entry, svc.settings.base_url),
        feeds=feed_links(svc.settings),
    )


@bp.get("/articles/<slug:slug>/")
def article_folder(slug: str) -> Response:
    """The address a static export serves an article at: send it to the article's own URL."""
    location = site_path_of(service().settings, article_path(slug))
    return Response(status=308, headers={"Location": location})
