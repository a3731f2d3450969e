"""What a person sees: headless Chromium against a real `feedsvc serve` on 127.0.0.1.

Chromium is the Debian package `chromium`. When it is missing, the test installs it with
apt-get if it runs as root (as CI does); otherwise it skips and says why.
"""

from __future__ import annotations

import functools
import os
import shutil
import struct
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from helpers.server import LiveServer, exchange, free_port, raw_request
from helpers.site import ARTICLES, newest_first, write_articles

from feedsvc.config import load_settings
from feedsvc.export import build
from feedsvc.scan import scan_once

BROWSER_NAMES = ("chromium", "chromium-browser")
INSTALL = ["apt-get", "install", "-y", "-q", "--no-install-recommends", "-o", "DPkg::Lock::Timeout=600",
           "chromium", "fonts-liberation"]
PHONE = (390, 844)  # CSS pixels of a common phone screen


def _find_browser() -> str | None:
    return next((path for name in BROWSER_NAMES if (path := shutil.which(name))), None)


@pytest.fixture(scope="session")
def chromium() -> str:
    """The Chromium executable, installed from Debian when absent and allowed."""
    found = _find_browser()
    if found:
        return found
    if not hasattr(os, "geteuid") or os.geteuid() != 0 or not shutil.which("apt-get"):
        pytest.skip("Chromium is not installed and cannot be installed here (needs root and apt-get): "
                    "install the Debian package 'chromium' to run the browser test")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (["apt-get", "update", "-q"], INSTALL):
        result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=1200)
        if result.returncode != 0:
            pytest.skip(f"could not install Chromium ({' '.join(command)} exited "
                        f"{result.returncode}): {(result.stdout + result.stderr)[-500:]}")
    found = _find_browser()
    if not found:
        pytest.skip("apt-get installed 'chromium' but no chromium executable is on PATH")
    return found


class Browser:
    """One headless Chromium run per page, each with a fresh profile."""

    def __init__(self, executable: str, folder: Path):
        self.executable = executable
        self.folder = folder

    def _run(self, url: str, *arguments: str) -> subprocess.CompletedProcess[str]:
        profile = self.folder / f"profile-{len(list(self.folder.glob('profile-*')))}"
        command = [
            self.executable, "--headless", "--no-sandbox", "--disable-gpu",
            "--disable-background-networking", "--no-first-run", "--disable-dev-shm-usage",
            "--hide-scrollbars", f"--user-data-dir={profile}", f"--window-size={PHONE[0]},{PHONE[1]}",
            *arguments, url,
        ]
        result = subprocess.run(command, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr[-2000:]
        return result

    def dom(self, url: str) -> BeautifulSoup:
        """The document as the browser built it, after stylesheets and transforms."""
        return BeautifulSoup(self._run(url, "--dump-dom").stdout, "html.parser")

    def screenshot(self, url: str, name: str) -> Path:
        path = self.folder / "screenshots" / f"{name}.png"
        path.parent.mkdir(exist_ok=True)
        self._run(url, f"--screenshot={path}")
        return path


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR", path
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def visible_text(node) -> str:
    return node.get_text(" ", strip=True)


def raw_status(base: str, raw_path: str) -> int:
    """Send a path exactly as given, without the normalization an HTTP client library applies."""
    return exchange(int(base.rsplit(":", 1)[1]), raw_request(raw_path))[0].status


def test_a_person_reads_the_site_in_chromium(chromium: str, content: Path, tmp_path: Path) -> None:
    write_articles(content)
    browser = Browser(chromium, tmp_path)
    with LiveServer(content, tmp_path / "site.db", tmp_path / "serve.log", scan_interval=60,
                    extra_env={"FEEDSVC_TITLE": "Harbour Gazette", "FEEDSVC_LANGUAGE": "en-GB"}) as server:
        base = server.base
        home = browser.dom(base + "/")
        assert home.html["lang"] == "en-GB"
        assert home.title.get_text() == "Harbour Gazette"
        items = home.select("ol.entries > li")
        expected = newest_first(ARTICLES)
        assert [visible_text(item.h3) for item in items] == [article.title for article in expected]
        for item, article in zip(items, expected, strict=True):
            assert visible_text(item.select_one("time")) == article.published.isoformat()
            assert article.text.split(".")[0] in visible_text(item)
        topic_names = [visible_text(li.a) for li in home.select("ul.topics > li")]
        assert "Coastal Towns" in topic_names and "science" in topic_names
        assert home.find("script") is None

        topic_url = base + home.find("a", string="Coastal Towns")["href"]
        topic = browser.dom(topic_url)
        assert topic.title.get_text() == "\u2068Coastal Towns\u2069 · Harbour Gazette"  # isolated
        assert visible_text(topic.h1) == "Coastal Towns"
        in_topic = [a.title for a in expected if "coastal-towns" in a.topic_slugs]
        assert [visible_text(li.h3) for li in topic.select("ol.entries > li")] == in_topic
        assert visible_text(topic.select_one("main p.feeds")) == "Atom · RSS · JSON Feed"

        article = ARTICLES[0]
        article_url = base + topic.find("a", string=article.title)["href"]
        page = browser.dom(article_url)
        assert page.title.get_text() == f"\u2068{article.title}\u2069 · Harbour Gazette"
        assert visible_text(page.h1) == article.title
        meta = " ".join(page.select_one("p.meta").get_text().split())  # authors are <bdi>s
        assert meta == (f"Published {article.published.isoformat()} · updated "
                        f"{article.updated.isoformat()} · by {', '.join(article.authors)}")
        assert [visible_text(a) for a in page.select("p.topics a")] == ["Coastal Towns", "harbour"]
        assert "Tickets sold out within the hour." in visible_text(page.select_one("div.content"))
        assert page.find("script") is None

        feed = browser.dom(base + "/feeds/atom.xml")  # Chromium applies the XSL stylesheet
        assert "This is a feed." in visible_text(feed.select_one("div.note"))
        assert [visible_text(li.a) for li in feed.select("ol > li")] == [a.title for a in expected]

        for name, url in [("home", base + "/"), ("topic", topic_url), ("article", article_url)]:
            assert png_size(browser.screenshot(url, name)) == PHONE

        for raw_path in ["/articles/../../etc/passwd", "/articles/%2e%2e", "/topics/..%2F..%2F/",
                         "/static/../../pyproject.toml", "/articles/" + "x" * 300]:
            assert raw_status(base, raw_path) == 404, raw_path


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """Keep the test output clean."""


@contextmanager
def static_server(folder: Path, port: int) -> Iterator[str]:
    """A plain static file server, as a static host would be: no feedsvc code involved."""
    handler = functools.partial(QuietHandler, directory=str(folder))
    with ThreadingHTTPServer(("127.0.0.1", port), handler) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{port}"
        finally:
            server.shutdown()
            thread.join(timeout=10)


def test_the_static_export_reads_the_same_in_chromium(chromium: str, content: Path,
                                                       tmp_path: Path) -> None:
    write_articles(content)
    port = free_port()
    settings = load_settings(overrides={
        "content_dir": content, "database": tmp_path / "static.db",
        "base_url": f"http://127.0.0.1:{port}", "title": "Harbour Gazette"})
    scan_once(settings)
    build(settings, tmp_path / "site")
    browser = Browser(chromium, tmp_path)
    with static_server(tmp_path / "site", port) as base:
        home = browser.dom(base + "/")
        expected = newest_first(ARTICLES)
        assert [visible_text(li.h3) for li in home.select("ol.entries > li")] == [
            article.title for article in expected]
        article = expected[0]
        page = browser.dom(base + home.find("a", string=article.title)["href"])  # a redirect to /…/
        assert visible_text(page.h1) == article.title
        assert article.text.split(".")[0] in visible_text(page.select_one("div.content"))
        topic = browser.dom(base + page.select_one("p.topics a")["href"])
        assert topic.title.get_text().endswith(" · Harbour Gazette")
        feed = browser.dom(base + "/feeds/rss.xml")  # served as XML by the static host
        assert "This is a feed." in visible_text(feed.select_one("div.note"))
        assert [visible_text(li.a) for li in feed.select("ol > li")] == [a.title for a in expected]
        assert png_size(browser.screenshot(base + "/feeds/rss.xml", "static-rss")) == PHONE
