"""What feeds and listings say about themselves: titles, links, feed metadata and paging."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from .. import render
from ..config import Settings
from ..model import Topic
from ..podcast import Show, podcast_for
from ..query import FeedQuery
from ..store import Store
from .paths import FEED_FORMATS


@dataclass(frozen=True)
class FeedLink:
    """One feed as pages show it: a visible link and an autodiscovery <link>."""

    label: str
    title: str
    type: str
    url: str


def feed_title(settings: Settings, topic: Topic | None) -> str:
    return f"{settings.title}: {topic.label}" if topic else settings.title


def feed_links(settings: Settings, topic: Topic | None = None) -> list[FeedLink]:
    """The absolute URLs of the site's feeds, or of one topic's."""
    folder = f"/topics/{topic.slug}" if topic else "/feeds"
    title = feed_title(settings, topic)
    return [
        FeedLink(feed.label, f"{title} ({feed.label})", feed.media_type.split(";")[0],
                 f"{settings.base_url}{folder}/{feed.file_name}")
        for feed in FEED_FORMATS.values()
    ]


def site_path_of(settings: Settings, path: str) -> str:
    """A link between our own pages: the base URL's path and the route, without the host.

    Host-free links keep working whatever name the site is reached by, on the server and
    in a static export; the base URL's path keeps them right under a prefix.
    """
    return urlsplit(settings.base_url).path + path


def _show(settings: Settings, topic: Topic | None, folder: str) -> Show | None:
    """The podcast a feed is part of, if its topic (or the site) is declared one."""
    podcast = podcast_for(settings.podcast, topic.slug if topic else None)
    if podcast is None:
        return None
    return Show(podcast, podcast.author or settings.author, podcast.artwork_url(settings.base_url),
                podcast.guid(f"{settings.base_url}{folder}/rss.xml"))


def feed_info(settings: Settings, store: Store, path: str, topic: Topic | None, query: FeedQuery,
              last_page: int, paging: bool) -> render.FeedInfo:
    """The metadata of the feed at path (below the base URL) for one query; paging: whether
    it links its other pages (not where query strings are not served)."""
    subtitle = f"{settings.subtitle} about {topic.label}" if topic else settings.subtitle
    feed_url = settings.base_url + path
    show = _show(settings, topic, path.rpartition("/")[0])
    podcast = show.podcast if show else None
    return render.FeedInfo(
        title=(podcast and podcast.title) or feed_title(settings, topic),
        subtitle=subtitle,
        self_url=feed_url + query.query_string(),
        site_url=settings.base_url + (f"/topics/{topic.slug}/" if topic else "/"),
        author=show.author if show else settings.author,
        language=(podcast and podcast.language) or settings.language,
        ttl_minutes=max(1, -(-settings.scan_interval // 60)),
        fallback_updated=store.newest_updated() or render.EMPTY_FEED_UPDATED,
        stylesheet=site_path_of(settings, "/static/feed.xsl"),
        feed_id=feed_url + query.query_string(page=1),
        pages=paging_links(feed_url, query, last_page) if paging else (),
        show=show,
        hub=settings.websub_hub_url,
    )


def paging_links(feed_url: str, query: FeedQuery, last_page: int) -> tuple[tuple[str, str], ...]:
    """RFC 5005 §3 links of a feed with more than one page (none for a single page)."""
    if last_page == 1:
        return ()
    pages = {"first": 1, "previous": query.page - 1, "next": query.page + 1, "last": last_page}
    return tuple(
        (rel, feed_url + query.query_string(page=page))
        for rel, page in pages.items() if 1 <= page <= last_page
    )


@dataclass(frozen=True)
class Pager:
    """Where one page of a listing sits among the others; paths are site paths."""

    number: int
    last: int
    total: int  # entries in the whole listing
    newer: str | None
    older: str | None


def page_count(total: int, per_page: int) -> int:
    """Pages of a listing or feed of total entries; an empty one still has its first page."""
    return max(1, -(-total // per_page))


def listing_path(folder: str, number: int) -> str:
    """Page 1 of a listing is its folder ('/' or '/topics/<slug>/'); later pages are below it."""
    return folder if number == 1 else f"{folder}page/{number}/"


def listing_paths(folder: str, total: int, per_page: int) -> list[str]:
    """Every page of a listing of total entries, oldest page first."""
    return [listing_path(folder, number) for number in range(page_count(total, per_page), 0, -1)]
