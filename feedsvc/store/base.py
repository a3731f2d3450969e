"""What the catalog's backends share: every query the service asks, written once.

A backend (sqlite.SqliteStore, postgres.PgStore) runs SQL with ? placeholders through
_all/_one/_run/_many, holds the transactions and answers the few questions whose SQL
differs: full-text search, the author filter, the entries' insert and the row key that
orders a page. Everything else (ids, slugs, times, versions) is the same code on both,
so both give the same feeds, byte for byte.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any

from ..catalog import EPOCH, ScanCommit
from ..database_url import is_postgres_url, shown_url
from ..errors import CatalogError
from ..model import Entry, FileState, Identity, ScanReport, Topic, media_fields
from .writes import SCAN_HISTORY, CatalogWrites, in_lists

ENTRY_COLUMNS = (
    "id, path, slug, title, summary, content, published, updated, authors, link, content_hash, media, "
    "status"
)


def entry_from_row(row: Any, topics: tuple[Topic, ...]) -> Entry:
    return Entry(
        id=row["id"], path=row["path"], slug=row["slug"], title=row["title"],
        summary=row["summary"], content_html=row["content"],
        published=datetime.fromisoformat(row["published"]),
        updated=datetime.fromisoformat(row["updated"]),
        authors=tuple(json.loads(row["authors"])), topics=topics, link=row["link"],
        content_hash=row["content_hash"], status=row["status"], **media_fields(row["media"]),
    )


class Store(CatalogWrites):
    """A catalog. Store(database) opens the backend database names, as Path(...) gives a
    PosixPath: a postgresql:// (or postgres://) URL a PgStore, anything else a SqliteStore."""

    # the column that identifies a row cheapest, to choose a page's rows before reading them
    ROW_KEY = "id"
    # the entries a page's rows are chosen from, newest first (a backend may name an index)
    NEWEST_FIRST = "entries e"

    def __new__(cls, database: Path | str, check_pages: bool = False) -> Store:
        if cls is Store:
            if is_postgres_url(database):
                try:
                    from .postgres import PgStore
                except ImportError as exc:
                    raise CatalogError(f"FEEDSVC_DATABASE={shown_url(str(database))}: a PostgreSQL catalog "
                                       f"needs psycopg ({exc}): pip install 'feedsvc[postgres]'") from None
                cls = PgStore
            else:
                from .sqlite import SqliteStore

                cls = SqliteStore
        return super().__new__(cls)

    def __init__(self, database: Path | str, check_pages: bool = False) -> None:
        # The file states as of a catalog generation: a scanning process keeps them between
        # scans and patches them with its own commits instead of loading every row again.
        self._states: dict[str, FileState] = {}
        self._states_generation = -1

    # -- what a backend provides (besides CatalogWrites' _all, _run, _many, transactions) --

    def _one(self, sql: str, params: Sequence[Any] = ()) -> Any:
        raise NotImplementedError

    def snapshot(self) -> Any:
        """Read inside one transaction: every query sees the same committed scan."""
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    def unavailable_reason(self) -> str | None:
        """Why the catalog's database cannot be reached now (only a server can be out of
        reach: PostgreSQL); None when it can."""
        return None

    def _words_condition(self, words: Sequence[str]) -> tuple[str, list[Any]]:
        """The condition on entries e holding every word, and its parameters."""
        raise NotImplementedError

    def _author_condition(self, author: str) -> tuple[str, list[Any]]:
        """The condition on entries e with this author (case-insensitive)."""
        raise NotImplementedError

    # -- reading -------------------------------------------------------------------------

    def meta(self, key: str) -> str | None:
        row = self._one("SELECT value FROM meta WHERE key = ?", (key,))
        return row[0] if row else None

    def version(self) -> str:
        return self.meta("version") or ""

    def last_report(self) -> dict[str, Any] | None:
        value = self.meta("last_scan")
        return json.loads(value) if value else None

    def context(self) -> str:
        """The scan context (settings, rules) the catalog was built with."""
        return self.meta("context") or ""

    def file_states(self) -> Mapping[str, FileState]:
        """What the last scans saw of every known file, by path."""
        generation = self.generation()
        if generation != self._states_generation:  # another process committed since
            rows = self._all(
                "SELECT path, size, mtime_ns, entry_id, slug, warnings, media, due_ts FROM files")
            self._states = {
                path: FileState(size, mtime_ns, entry_id, slug,
                                () if warnings == "[]" else tuple(json.loads(warnings)),
                                () if media == "[]" else tuple(map(tuple, json.loads(media))), due_ts)
                for path, size, mtime_ns, entry_id, slug, warnings, media, due_ts in rows
            }
            self._states_generation = generation
        return MappingProxyType(self._states)

    def generation(self) -> int:
        """A number that grows with every commit of a scan, whichever process made it."""
        return int(self.meta("generation") or 0)

    def identity(self, path: str) -> Identity | None:
        """The id and times remembered for a file, if it was ever published."""
        row = self._one("SELECT * FROM files WHERE path = ? AND entry_id != ''", (path,))
        if row is None:
            return None
        return Identity(
            entry_id=row["entry_id"],
            first_seen=datetime.fromisoformat(row["first_seen"]),
            content_hash=row["content_hash"],
            published=datetime.fromisoformat(row["published"]),
            updated=datetime.fromisoformat(row["updated"]),
        )

    def scan_history(self, limit: int = SCAN_HISTORY) -> list[dict[str, Any]]:
        """The latest scans, newest first, with the process that ran each."""
        rows = self._all(
            "SELECT pid, started, finished, duration, published, read, errors, version, committed "
            "FROM scans ORDER BY id DESC LIMIT ?", (limit,))
        return [{**dict(row), "committed": bool(row["committed"])} for row in rows]

    def scan_counts(self) -> dict[str, int]:
        """How many scans committed and how many failed, over the catalog's life."""
        return {outcome: int(self.meta(f"scans_{outcome}") or 0) for outcome in ("committed", "failed")}

    def topics(self) -> list[tuple[Topic, int]]:
        """Every topic with a published article and its number of entries, by slug (a topic
        whose articles are all gone keeps its feeds, empty, but is listed nowhere)."""
        rows = self._all(
            "SELECT t.slug, t.label, COUNT(et.entry_id) AS n FROM topics t "
            "JOIN entry_topics et ON et.topic = t.slug GROUP BY t.slug ORDER BY t.slug")
        return [(Topic(row["slug"], row["label"]), row["n"]) for row in rows]

    def all_topic_slugs(self) -> list[str]:
        """Every topic ever seen, with articles or not: each keeps answering with its feeds."""
        return [row[0] for row in self._all("SELECT slug FROM topics ORDER BY slug")]

    def changed(self, topics: Sequence[str] = ()) -> datetime:
        """When a scan last changed the feeds of these topics (of any topic when none given):
        the commit time of that scan, in whole seconds."""
        stamps = [self.meta("changed") or ""]
        if topics:
            rows = self._all(f"SELECT changed FROM topics WHERE slug IN ({', '.join('?' * len(topics))})",
                             topics)
            # a topic of a catalog older than change times has none: the catalog's stands for it
            stamps = [row[0] or stamps[0] for row in rows] or stamps
        return max((datetime.fromisoformat(stamp) for stamp in stamps if stamp), default=EPOCH)

    def next_due(self) -> datetime | None:
        """The next time an article is published or expires, if any is waiting."""
        row = self._one("SELECT MIN(due_ts) FROM files WHERE due_ts > 0")
        return datetime.fromtimestamp(row[0], UTC) if row[0] else None

    def due(self) -> list[dict[str, str]]:
        """Articles waiting for their time: path, what happens ('publish' or 'expire') and when."""
        rows = self._all("SELECT path, due_kind, due_ts FROM files WHERE due_ts > 0 ORDER BY due_ts, path")
        return [{"path": path, "action": kind, "at": datetime.fromtimestamp(ts, UTC).isoformat()}
                for path, kind, ts in rows]

    def topic(self, slug: str) -> Topic | None:
        row = self._one("SELECT slug, label FROM topics WHERE slug = ?", (slug,))
        return Topic(row["slug"], row["label"]) if row else None

    def entries(self, topic: str | None = None, limit: int = 50) -> list[Entry]:
        """Entries newest first (ties by id), optionally of one topic."""
        return self.find_entries(topic=topic, limit=limit)[0]

    def find_entries(
        self, *, topic: str | None = None, any_topics: Sequence[str] = (),
        exclude: Sequence[str] = (), words: Sequence[str] = (), author: str = "",
        since: datetime | None = None, until: datetime | None = None,
        limit: int = 50, offset: int = 0,
    ) -> tuple[list[Entry], int]:
        """One page of the entries matching every filter, newest first, and how many match.

        topic: in this topic; any_topics: in at least one; exclude: in none; words: all in the
        title, summary or content; author: one of the authors (case-insensitive);
        since <= published < until.
        """
        where: list[str] = []
        params: list[Any] = []
        in_topics = "e.id {} (SELECT entry_id FROM entry_topics WHERE topic IN ({}))"
        for negate, slugs in ((False, [topic] if topic else []), (False, any_topics), (True, exclude)):
            if slugs:
                where.append(in_topics.format("NOT IN" if negate else "IN", ", ".join("?" * len(slugs))))
                params.extend(slugs)
        searched = [self._words_condition(words)] if words else []
        for sql, values in searched + ([self._author_condition(author)] if author else []):
            where.append(sql)
            params.extend(values)
        if since is not None:
            where.append("e.published_ts >= ?")
            params.append(int(since.timestamp()))
        if until is not None:
            where.append("e.published_ts < ?")
            params.append(int(until.timestamp()))
        condition = " WHERE " + " AND ".join(where) if where else ""
        count = f"SELECT COUNT(*) FROM entries e{condition}"
        if topic and len(where) == 1:  # a topic's own feed: its rows in entry_topics, which come
            # and go with their entries (writes.py), are counted in its index alone, as topics()
            # counts them: 0.05 ms, against 0.4 ms looking each entry up
            count = "SELECT COUNT(*) FROM entry_topics WHERE topic = ?"
        return self._page(condition, params, count, limit, offset)

    def _page(self, condition: str, params: list[Any], count: str, limit: int,
              offset: int) -> tuple[list[Entry], int]:
        columns = ", ".join("e." + column for column in ENTRY_COLUMNS.split(", "))
        # The page's rows are chosen first and read after: sorting whole rows (3 KB of content
        # each) of every entry in a topic made topic feeds several times slower.
        order = "ORDER BY e.published_ts DESC, e.id"
        key = self.ROW_KEY
        rows = self._all(
            f"SELECT {columns} FROM entries e JOIN (SELECT e.{key} AS page_row FROM {self.NEWEST_FIRST}"
            f"{condition} {order} LIMIT ? OFFSET ?) page ON e.{key} = page.page_row {order}",
            (*params, limit, offset))
        total = self._one(count, params)[0]
        topics = self._topics_of_entries([row["id"] for row in rows])
        return [entry_from_row(row, topics.get(row["id"], ())) for row in rows], total

    def entry_by_slug(self, slug: str) -> Entry | None:
        row = self._one(f"SELECT {ENTRY_COLUMNS} FROM entries WHERE slug = ?", (slug,))
        return entry_from_row(row, self._topics_of(row["id"])) if row else None

    def article_slugs(self) -> list[str]:
        """The slug of every entry, in slug order."""
        return [row[0] for row in self._all("SELECT slug FROM entries ORDER BY slug")]

    def newest_updated(self) -> datetime | None:
        row = self._one("SELECT updated FROM entries ORDER BY updated_ts DESC, id LIMIT 1")
        return datetime.fromisoformat(row[0]) if row else None

    def _topics_of_entries(self, entry_ids: Sequence[str]) -> dict[str, tuple[Topic, ...]]:
        """The topics of each of these entries, by slug (one query per SQL_BATCH entries)."""
        found: dict[str, list[Topic]] = {}
        for chunk, marks in in_lists(entry_ids):
            rows = self._all(
                "SELECT et.entry_id, t.slug, t.label FROM entry_topics et "
                f"JOIN topics t ON t.slug = et.topic WHERE et.entry_id IN ({marks}) ORDER BY t.slug",
                chunk)
            for entry_id, slug, label in rows:
                found.setdefault(entry_id, []).append(Topic(slug, label))
        return {entry_id: tuple(topics) for entry_id, topics in found.items()}

    def _topics_of(self, entry_id: str) -> tuple[Topic, ...]:
        return self._topics_of_entries([entry_id]).get(entry_id, ())

    # -- for the tables whose SQL lives elsewhere (hub_catalog): SQL both backends run ------

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        return self._all(sql, params)

    def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run one statement; return the number of rows it changed."""
        return self._run(sql, params)

    def execute_many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        self._many(sql, rows)

    # -- a scan's transaction --------------------------------------------------------------

    def begin_scan(self) -> ScanCommit:
        """Open the one transaction of a scan; its files are written as they are read."""
        return ScanCommit(self)

    def save_report(self, report: ScanReport) -> None:
        """Record a scan that committed nothing (the catalog stays as it was)."""
        with self.write_transaction():
            self.write_report(report, self.version(), committed=False)
        self._after_commit()

    @contextmanager
    def write_transaction(self) -> Iterator[None]:
        """One write transaction: committed when the block ends, rolled back if it raises."""
        self.begin_write()
        try:
            yield
            self.commit()
        except BaseException:
            self.rollback()
            raise
