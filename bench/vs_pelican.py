"""feedsvc against Pelican: the same 10,000 Markdown articles to the same Atom feeds.

Generates articles with Pelican-style `Key: value` headers (Title, Date, Category, Tags,
Author; 2-4 KB of text each), which both tools read. Installs Pelican in a throwaway
virtual environment, then times, in the same run, as separate processes from start to exit:

- Pelican building its Atom feeds (all, one per category, one per tag; FEED_MAX_ITEMS = 50),
  with every HTML output switched off, so it does only what feedsvc is compared on;
- feedsvc's first full scan into a new catalog, then rendering the same feeds through the
  real app (/feeds/atom.xml and /topics/<slug>/atom.xml for every category and tag).

DESIGN §9 target: feedsvc at least 5 times faster (ratio = pelican / feedsvc).

    .venv/bin/python bench/vs_pelican.py [--articles 10000] [--pelican-venv DIR]
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BASE_URL = "https://news.example.org"
FEED_MAX_ITEMS = 50
CATEGORIES = ("World", "Science", "Economy", "Culture", "Sport", "Health", "Travel", "Media")
WORDS = (
    "harbour council tram budget river bridge winter market school library museum station "
    "festival orchestra farmers harvest rainfall forecast election turnout parliament mayor "
    "hospital nurses vaccine research telescope comet glacier forest wildfire drought flood "
    "airport railway freight shipping prices inflation wages exports factory battery solar "
    "wind grid cyclists marathon stadium league coach season archive gallery theatre novel"
).split()
TAG_WORDS = (
    "transport energy climate food books music film health schools housing water trade "
    "jobs taxes science space oceans birds cities villages islands mountains coasts roads"
).split()


def tag_pool(size: int = 120) -> list[str]:
    """Tag names distinct from every category, so tags and categories never share a slug."""
    pool = [f"{a} {b}" for a in TAG_WORDS for b in TAG_WORDS if a != b]
    return sorted(random.Random(3).sample(pool, size))


def article_fields(rng: random.Random, number: int, tags: list[str]) -> dict[str, Any]:
    """Title, date, category, tags, author and 2-4 KB of body of one article."""
    title = " ".join(rng.choice(WORDS) for _ in range(6)).capitalize() + f" ({number})"
    day = f"{2015 + number % 10}-{1 + number % 12:02d}-{1 + number % 28:02d}"
    chosen = rng.sample(tags, rng.randint(2, 4))
    body: list[str] = []
    size, target = 0, rng.randint(2048, 4096)
    while size < target:
        sentence = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 16))).capitalize() + "."
        paragraph = " ".join([sentence] * 3)
        body.append(paragraph)
        size += len(paragraph) + 2
    return {"title": title, "day": day, "time": f"{number % 24:02d}:{number % 60:02d}",
            "category": CATEGORIES[number % len(CATEGORIES)], "tags": chosen,
            "author": f"Desk {number % 7}", "body": "\n\n".join(body) + "\n"}


def article_text(fields: dict[str, Any]) -> str:
    """One article with a Pelican-style `Key: value` header."""
    return (f"Title: {fields['title']}\nDate: {fields['day']} {fields['time']}\n"
            f"Category: {fields['category']}\nTags: {', '.join(fields['tags'])}\n"
            f"Author: {fields['author']}\n\n{fields['body']}")


def generate(content: Path, count: int, text: Callable[[dict[str, Any]], str] = article_text) -> None:
    """count articles in content/<category>/part-NN/, each written by text(fields)."""
    rng = random.Random(11)
    tags = tag_pool()
    for number in range(count):
        fields = article_fields(rng, number, tags)
        folder = content / fields["category"].lower() / f"part-{number // 500:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"article-{number:05d}.md").write_text(text(fields), encoding="utf-8")


PELICAN_CONF = f"""
AUTHOR = "Desk"
SITENAME = "Bench"
SITEURL = "{BASE_URL}"
FEED_DOMAIN = SITEURL
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
FEED_MAX_ITEMS = {FEED_MAX_ITEMS}
FEED_ALL_ATOM = "feeds/all.atom.xml"
CATEGORY_FEED_ATOM = "feeds/category-{{slug}}.atom.xml"
TAG_FEED_ATOM = "feeds/tag-{{slug}}.atom.xml"
FEED_ATOM = FEED_RSS = FEED_ALL_RSS = CATEGORY_FEED_RSS = TAG_FEED_RSS = None
AUTHOR_FEED_ATOM = AUTHOR_FEED_RSS = TRANSLATION_FEED_ATOM = TRANSLATION_FEED_RSS = None
# Feeds only: every HTML page Pelican would write is switched off.
ARTICLE_SAVE_AS = ARTICLE_LANG_SAVE_AS = DRAFT_SAVE_AS = DRAFT_LANG_SAVE_AS = ""
PAGE_SAVE_AS = PAGE_LANG_SAVE_AS = DRAFT_PAGE_SAVE_AS = DRAFT_PAGE_LANG_SAVE_AS = ""
CATEGORY_SAVE_AS = TAG_SAVE_AS = AUTHOR_SAVE_AS = ARCHIVES_SAVE_AS = ""
YEAR_ARCHIVE_SAVE_AS = MONTH_ARCHIVE_SAVE_AS = DAY_ARCHIVE_SAVE_AS = ""
AUTHORS_SAVE_AS = CATEGORIES_SAVE_AS = TAGS_SAVE_AS = INDEX_SAVE_AS = ""
DIRECT_TEMPLATES = []
STATIC_PATHS = []
THEME_STATIC_PATHS = []
LOAD_CONTENT_CACHE = False
CACHE_CONTENT = False
RELATIVE_URLS = False
"""


def install_pelican(venv: Path) -> Path:
    """Create a virtual environment with Pelican and Markdown; return its pelican command."""
    pelican = venv / "bin" / "pelican"
    if not pelican.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "pelican", "markdown"], check=True)
    return pelican


def run_pelican(pelican: Path, content: Path, work: Path) -> tuple[float, list[Path]]:
    conf = work / "pelicanconf.py"
    conf.write_text(PELICAN_CONF, encoding="utf-8")
    output = work / "pelican-output"
    start = time.perf_counter()
    subprocess.run([str(pelican), str(content), "-s", str(conf), "-o", str(output), "-q"],
                   check=True, cwd=work)
    seconds = time.perf_counter() - start
    return seconds, sorted((output / "feeds").glob("*.atom.xml"))


def feedsvc_build(content: Path, database: Path, feed_file: str) -> None:
    """Child process: first full scan, then every feed (feed_file: atom.xml or rss.xml)
    through the app; prints counts."""
    sys.path.insert(0, str(ROOT))
    from feedsvc.config import load_settings
    from feedsvc.scan import scan_once
    from feedsvc.web import create_app

    config = {"content_dir": content, "database": database, "base_url": BASE_URL, "title": "Bench"}
    start = time.perf_counter()
    settings = load_settings(overrides=config, environ={})
    report = scan_once(settings)
    scanned = time.perf_counter()
    app = create_app(settings)
    client = app.test_client()
    topics = [topic.slug for topic, _count in app.extensions["feedsvc"].store.topics()]
    sizes = []
    for path in [f"/feeds/{feed_file}"] + [f"/topics/{slug}/{feed_file}" for slug in topics]:
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        sizes.append(len(response.data))
    print(json.dumps({"published": report.published, "errors": len(report.errors),
                      "feeds": len(sizes), "bytes": sum(sizes), "scan": scanned - start,
                      "render": time.perf_counter() - scanned}))


def run_feedsvc(content: Path, work: Path, feed_file: str = "atom.xml") -> tuple[float, dict[str, int]]:
    """Seconds of feedsvc's first scan plus every feed, in a process of its own; its counts."""
    database = work / "feedsvc.db"
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, __file__, "--feedsvc-only", str(content), str(database), feed_file],
        check=True, capture_output=True, text=True,
    )
    seconds = time.perf_counter() - start
    return seconds, json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--pelican-venv", type=Path, help="reuse (or create) Pelican's venv here")
    parser.add_argument("--feedsvc-only", nargs=3, metavar=("CONTENT", "DB", "FEED"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.feedsvc_only:
        content, database, feed_file = args.feedsvc_only
        feedsvc_build(Path(content), Path(database), feed_file)
        return

    with tempfile.TemporaryDirectory(prefix="feedsvc-vs-pelican-") as folder:
        work = Path(folder)
        venv = args.pelican_venv or work / "pelican-venv"
        print(f"installing Pelican in {venv} ...", flush=True)
        pelican = install_pelican(venv)
        version = subprocess.run([str(pelican), "--version"], capture_output=True, text=True).stdout.strip()
        content = work / "content"
        start = time.perf_counter()
        generate(content, args.articles)
        size = sum(path.stat().st_size for path in content.rglob("*.md"))
        print(f"generated {args.articles} articles, {size / 1e6:.1f} MB, "
              f"in {time.perf_counter() - start:.1f}s")

        pelican_seconds, pelican_feeds = run_pelican(pelican, content, work)
        print(f"pelican {version}: {len(pelican_feeds)} Atom feeds in {pelican_seconds:.2f}s")
        feedsvc_seconds, counts = run_feedsvc(content, work)
        print(f"feedsvc: scan of {counts['published']} articles ({counts['errors']} errors) and "
              f"{counts['feeds']} Atom feeds ({counts['bytes'] / 1e6:.1f} MB) in {feedsvc_seconds:.2f}s "
              f"(scan {counts['scan']:.2f}s, feeds {counts['render']:.2f}s, the rest start-up)")
        if counts["feeds"] != len(pelican_feeds) or counts["published"] != args.articles:
            print("WARNING: the two tools did not produce the same number of feeds or articles")
        if args.pelican_venv is None:
            shutil.rmtree(venv, ignore_errors=True)
    ratio = pelican_seconds / feedsvc_seconds
    print(f"RESULT vs_pelican ratio={ratio:.2f} target=>=5")


if __name__ == "__main__":
    main()
