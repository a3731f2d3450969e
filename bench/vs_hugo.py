"""feedsvc against Hugo: the same 10,000 Markdown articles with YAML front matter to the same RSS feeds.

Generates the articles of bench/vs_pelican.py (same titles, dates, sections, tags and 2-4 KB
of text) with YAML front matter instead of Pelican's header, in content/<section>/, and
times, in the same run, as separate processes from start to exit:

- Hugo (the `hugo` on PATH; Debian's package) building only RSS: the home feed, one per
  section, one per tag (rssLimit = 50); regular pages are listed but never rendered
  (`_build.render = never`), and the taxonomy list, sitemap, robots.txt and 404 page are
  disabled, so it writes nothing but the feeds;
- feedsvc's first full scan into a new catalog, then the same feeds through the real app
  (/feeds/rss.xml and /topics/<slug>/rss.xml for every section, which is each article's
  `categories`, and every tag).

Hugo's configuration is passed with --config from outside the site, so feedsvc reads the
content folder as plain front matter (the categories and tags keys) and both tools publish
the same 129 feeds. Target: feedsvc at least as fast (ratio = hugo / feedsvc).

    .venv/bin/python bench/vs_hugo.py [--articles 10000] [--profile FILE]

--profile FILE also runs feedsvc's first scan once more under cProfile (after the timed
runs, into another catalog) and writes its statistics to FILE (read with pstats).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from vs_pelican import BASE_URL, FEED_MAX_ITEMS, ROOT, generate, run_feedsvc  # noqa: E402

HUGO_CONFIG = f"""
baseURL = "{BASE_URL}/"
title = "Bench"
languageCode = "en"
timeZone = "UTC"
rssLimit = {FEED_MAX_ITEMS}
disableKinds = ["taxonomy", "sitemap", "robotsTXT", "404"]
ignoreErrors = ["error-disable-taxonomy"]  # "taxonomy" is the list of terms, which is meant
[taxonomies]
  tag = "tags"
[outputs]
  home = ["RSS"]
  section = ["RSS"]
  term = ["RSS"]
# Regular pages are in every list (and feed) but never written as HTML.
[[cascade]]
  [cascade._build]
    render = "never"
    list = "always"
  [cascade._target]
    kind = "page"
"""


def hugo_text(fields: dict[str, Any]) -> str:
    """One article with YAML front matter; its category is also its section's name."""
    tags = ", ".join(json.dumps(tag) for tag in fields["tags"])
    return (f"---\ntitle: {json.dumps(fields['title'])}\ndate: {fields['day']}T{fields['time']}:00Z\n"
            f"categories: [{fields['category']}]\ntags: [{tags}]\nauthor: {fields['author']}\n---\n\n"
            f"{fields['body']}")


def run_hugo(site: Path, work: Path) -> tuple[float, list[Path]]:
    config = work / "hugo-bench.toml"
    config.write_text(HUGO_CONFIG, encoding="utf-8")
    output = work / "hugo-output"
    start = time.perf_counter()
    subprocess.run(["hugo", "--quiet", "--source", str(site), "--config", str(config),
                    "--destination", str(output), "--cacheDir", str(work / "hugo-cache")],
                   check=True, cwd=work)
    seconds = time.perf_counter() - start
    written = sorted(path for path in output.rglob("*") if path.is_file())
    return seconds, written


def profile_scan(content: Path, work: Path, out: Path) -> None:
    """feedsvc's first scan once more, under cProfile, into a catalog of its own."""
    code = ("import cProfile, sys; sys.path.insert(0, sys.argv[1]);"
            "from feedsvc.config import load_settings; from feedsvc.scan import scan_once;"
            "settings = load_settings(overrides={'content_dir': sys.argv[2], 'database': sys.argv[3],"
            f"'base_url': {BASE_URL!r}, 'title': 'Bench'}}, environ={{}});"
            "cProfile.run('scan_once(settings)', sys.argv[4])")
    subprocess.run([sys.executable, "-c", code, str(ROOT), str(content), str(work / "profile.db"), str(out)],
                   check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--profile", type=Path, help="write cProfile statistics of a first scan here")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="feedsvc-vs-hugo-") as folder:
        work = Path(folder)
        version = subprocess.run(["hugo", "version"], capture_output=True, text=True,
                                 check=True).stdout.strip()
        site = work / "site"
        content = site / "content"
        start = time.perf_counter()
        generate(content, args.articles, hugo_text)
        size = sum(path.stat().st_size for path in content.rglob("*.md"))
        print(f"generated {args.articles} articles, {size / 1e6:.1f} MB, "
              f"in {time.perf_counter() - start:.1f}s")

        hugo_seconds, hugo_files = run_hugo(site, work)
        feeds = [path for path in hugo_files if path.name == "index.xml"]
        print(f"{version.split(' BuildDate')[0]}: {len(feeds)} RSS feeds in {hugo_seconds:.2f}s")
        if len(feeds) != len(hugo_files):
            print(f"WARNING: Hugo wrote {len(hugo_files) - len(feeds)} files that are not feeds")
        feedsvc_seconds, counts = run_feedsvc(content, work, "rss.xml")
        print(f"feedsvc: scan of {counts['published']} articles ({counts['errors']} errors) and "
              f"{counts['feeds']} RSS feeds ({counts['bytes'] / 1e6:.1f} MB) in {feedsvc_seconds:.2f}s "
              f"(scan {counts['scan']:.2f}s, feeds {counts['render']:.2f}s, the rest start-up)")
        if counts["feeds"] != len(feeds) or counts["published"] != args.articles:
            print("WARNING: the two tools did not produce the same number of feeds or articles")
        if args.profile:
            profile_scan(content, work, args.profile)
            print(f"profile of a first scan written to {args.profile}")
    ratio = hugo_seconds / feedsvc_seconds
    print(f"RESULT vs_hugo ratio={ratio:.2f} target=>=1")


if __name__ == "__main__":
    main()
