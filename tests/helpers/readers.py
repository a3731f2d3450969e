"""Articles as feed-reader tests write them and a LiveServer serves them, and newsboat as a
subscriber (one urls file, config and cache per subscription)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from helpers.server import served_guid


@dataclass(frozen=True)
class Article:
    path: str
    date: str
    title: str
    text: str
    author: str = ""
    tags: tuple[str, ...] = ()

    @property
    def guid(self) -> str:
        return served_guid(self.path, self.date)

    @property
    def timestamp(self) -> str:
        return str(int(datetime.fromisoformat(self.date).replace(tzinfo=UTC).timestamp()))

    @property
    def folder(self) -> str:
        return self.path.split("/", 1)[0]

    def source(self) -> str:
        """A .txt file's first line, or Markdown front matter (the title quoted: it may hold ': ')."""
        if self.path.endswith(".txt"):
            return f"date {self.date} {self.title}\n\n{self.text}\n"
        title = self.title.replace("'", "''")
        lines = [f"title: '{title}'", f"date: {self.date}"]
        lines += [f"author: {self.author}"] if self.author else []
        lines += [f"tags: [{', '.join(self.tags)}]"] if self.tags else []
        return "---\n" + "\n".join(lines) + f"\n---\n\n{self.text}\n"


class Newsboat:
    """One newsboat subscription with its own urls, config and cache files."""

    def __init__(self, binary: str, home: Path, name: str, url: str):
        self.binary, self.home, self.url = binary, home, url
        self.urls, self.cache, self.config = home / f"{name}.urls", home / f"{name}.db", home / f"{name}.conf"
        self.urls.write_text(url + "\n", encoding="utf-8")
        self.config.write_text("reload-threads 1\ndownload-timeout 20\n", encoding="utf-8")

    def reload(self) -> None:
        env = {**os.environ, "HOME": str(self.home), "XDG_CONFIG_HOME": str(self.home / "config"),
               "XDG_DATA_HOME": str(self.home / "data"), "TERM": "dumb"}
        command = [self.binary, "-u", self.urls, "-c", self.cache, "-C", self.config, "-x", "reload"]
        result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stdout + result.stderr

    def items(self) -> list[tuple[str, str, str]]:
        """(guid, title, feed url) of every item newsboat stored."""
        with sqlite3.connect(self.cache) as db:
            return db.execute("SELECT guid, title, feedurl FROM rss_item ORDER BY guid").fetchall()

    def feed_title(self) -> str:
        with sqlite3.connect(self.cache) as db:
            return str(db.execute("SELECT title FROM rss_feed WHERE rssurl = ?", (self.url,)).fetchone()[0])
