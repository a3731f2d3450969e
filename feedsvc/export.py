"""Write the site as static files for any static host or CDN: `feedsvc build OUT/`.

Every file is what the server sends for its URL: the app's own routes, templates and
render module answer each path through Flask's test client, so there is no second copy of
the feed or page logic. One difference: a static host ignores query strings, so feeds
carry no paging links (each holds the newest FEEDSVC_FEED_LIMIT entries). Each URL path
becomes a file under OUT:

    /                          index.html
    /topics/<slug>/            topics/<slug>/index.html
    /page/2/, /topics/<slug>/page/2/, ...   page/2/index.html, ...  (older articles)
    /articles/<slug>           articles/<slug>/index.html  (hosts redirect /x to /x/)
    /feeds/atom.xml, ...       feeds/atom.xml, ...    (and every topic's feeds)
    /feeds.opml                feeds.opml
    /static/style.css, ...     static/style.css, ...
    /media/<path>              media/<path>  (files beside articles, copied from the content folder)
    (any unknown path)         404.html

Rebuilding into the same folder: a file whose bytes are unchanged is not touched (a sync
tool uploads only what changed); a changed or new file is written to a temporary name and
renamed over the old one, so no reader ever sees half a file; files the previous build
wrote that this one does not (a deleted article) are removed and reported. The manifest
.feedsvc-build.json records what a build wrote. Files feedsvc never wrote are left alone
and reported; a non-empty folder without a manifest is refused, so a mistyped path can't
be filled or pruned.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import BinaryIO

from flask import Flask

from .config import Settings
from .errors import ExportError, MediaError
from .media import MEDIA_PREFIX, MediaFile, find_media, open_media
from .model import ScanReport
from .outfolder import OutputFolder
from .scan import Progress
from .store import Store
from .urls import article_path
from .walk import walk
from .web import create_app
from .web.meta import feed_links, listing_paths
from .web.paths import FEED_FORMATS

MANIFEST = ".feedsvc-build.json"
NOT_FOUND_PAGE = "404.html"
COPY_CHUNK = 1024 * 1024


@dataclass
class BuildReport:
    """What a build did to the output folder, by relative file path."""

    written: list[str] = field(default_factory=list)  # new or changed
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)  # written by the last build, not by this one
    foreign: list[str] = field(default_factory=list)  # never written by feedsvc, left in place

    @property
    def files(self) -> int:
        return len(self.written) + len(self.unchanged)


def file_for(url_path: str) -> str:
    """The file a static host serves for a URL path: a path without an extension is a folder."""
    relative = url_path.lstrip("/")
    if "." in relative.rsplit("/", 1)[-1]:
        return relative
    return f"{relative.rstrip('/')}/index.html".lstrip("/")


def site_paths(app: Flask, settings: Settings, store: Store) -> list[str]:
    """Every URL path of the site, in the order that writes a page's targets before the page."""
    static = Path(app.static_folder or "")
    paths = sorted(f"/static/{p.relative_to(static).as_posix()}" for p in static.rglob("*") if p.is_file())
    slugs = store.article_slugs()
    paths += [article_path(slug) for slug in slugs]
    for slug in store.all_topic_slugs():  # a topic without articles keeps its (empty) feeds
        paths += [f"/topics/{slug}/{name}" for name in FEED_FORMATS]
    for topic, count in store.topics():  # and has no page
        paths += listing_paths(f"/topics/{topic.slug}/", count, settings.feed_limit)
    paths += [link.url.removeprefix(settings.base_url) for link in feed_links(settings)]
    paths += ["/feeds.opml", *listing_paths("/", len(slugs), settings.feed_limit)]
    return paths


def render_site(settings: Settings, progress: Progress | None = None) -> Iterator[tuple[str, bytes]]:
    """(relative file, bytes) of every file of the site, as the server would send them."""
    # A static host runs no hub: the files advertise none (feedsvc build publishes to none).
    app = create_app(replace(settings, websub_hub=""), export=True)
    store = app.extensions["feedsvc"].store
    client = app.test_client()
    with store.snapshot():  # one committed scan for every file, even if a server scans meanwhile
        paths = site_paths(app, settings, store)
        for done, path in enumerate(paths, 1):
            with client.get(path) as response:
                if response.status_code != 200:
                    raise ExportError(f"{path}: the app answered {response.status}, not 200 OK")
                yield file_for(path), response.get_data()
            if progress is not None:
                progress(done, len(paths))
        with client.get("/" + NOT_FOUND_PAGE) as response:  # no route: the site's 404 page
            yield NOT_FOUND_PAGE, response.get_data()


def _previous_files(folder: OutputFolder) -> set[str]:
    manifest = folder.read(MANIFEST)
    if manifest is not None:
        try:
            return set(json.loads(manifest.decode("utf-8"))["files"])
        except (ValueError, KeyError, TypeError) as exc:
            raise ExportError(f"{folder.out / MANIFEST}: unreadable manifest ({exc}); remove the "
                              "folder's files or choose an empty folder") from None
    if not folder.is_empty():
        raise ExportError(f"{folder.out} is not empty and holds no {MANIFEST} from an earlier build: "
                          "choose a new or empty folder")
    return set()


def published_media(settings: Settings) -> Iterator[MediaFile]:
    """Every media file the server publishes under /media/, in path order."""
    for rel in sorted(walk(settings.content_dir, ScanReport()).media):
        try:
            yield find_media(settings.content_dir, rel, settings.max_media_size)
        except MediaError:  # empty, too large, a symlink out: the server does not serve it either
            continue


def _copy_if_changed(folder: OutputFolder, relative: str, media: MediaFile) -> tuple[bool, str]:
    """Copy a media file over relative by rename, unless it holds the same bytes; return
    whether it was written and the SHA-256 of its bytes."""
    with open_media(media) as source:
        digest = hashlib.sha256()
        while chunk := source.read(COPY_CHUNK):
            digest.update(chunk)

        def copy(target: BinaryIO) -> None:
            source.seek(0)
            shutil.copyfileobj(source, target, COPY_CHUNK)

        written = folder.replace_unless_same(relative, digest.hexdigest(), media.size, copy)
    return written, digest.hexdigest()


def check_output(out: Path) -> None:
    """Refuse at once a folder build would refuse (not empty, and no manifest of ours)."""
    if out.is_dir():
        folder = OutputFolder(out)
        try:
            _previous_files(folder)
        finally:
            folder.close()


def build(settings: Settings, out: Path, progress: Progress | None = None) -> BuildReport:
    """Write every page, feed and stylesheet of the catalog under out; return what changed."""
    out.mkdir(parents=True, exist_ok=True)
    report = BuildReport()
    folder = OutputFolder(out)
    try:
        fcntl.flock(folder.fd, fcntl.LOCK_EX)  # one build at a time per output folder
        previous = _previous_files(folder)
        digests: dict[str, str] = {}
        for media in published_media(settings):  # before the pages that show them
            relative = MEDIA_PREFIX.lstrip("/") + media.path
            changed, digests[relative] = _copy_if_changed(folder, relative, media)
            (report.written if changed else report.unchanged).append(relative)
        for relative, data in render_site(settings, progress):
            changed = folder.write_if_changed(relative, data)
            (report.written if changed else report.unchanged).append(relative)
            digests[relative] = hashlib.sha256(data).hexdigest()
        for relative in sorted(previous - digests.keys()):
            folder.remove(relative)
            report.removed.append(relative)
        manifest = {"generator": "feedsvc build", "files": dict(sorted(digests.items()))}
        folder.write_if_changed(MANIFEST, json.dumps(manifest, indent=1).encode() + b"\n")
        report.foreign = folder.sweep(digests.keys() | {MANIFEST})
    finally:
        folder.close()  # closing releases the lock
    return report
