"""Hostile input: each case gets a clear error or safe output, everything else keeps being
served, and nothing outside the content folder is read.

The corpus is tests/data/hostile/ (small files, committed); the large cases (a 50 MB file,
10,000 topics, symlinks) are made by the tests. Reads are watched with an audit hook: every
file opened or folder listed during a scan and during the requests is recorded.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import lxml.html
import pytest
from helpers.content import BASE_URL, write
from helpers.feeds import assert_strictly_valid, parse_feed, shown_text
from helpers.server import LiveServer, exchange, raw_request
from lxml import etree

from feedsvc.errors import ReadError
from feedsvc.readers import html as html_reader
from feedsvc.readers import read_article
from feedsvc.readers.html import MAX_ANGLE_BRACKETS, MAX_ATTRIBUTES, MAX_ATTRIBUTES_PER_ELEMENT
from feedsvc.readers.markdown import MAX_MARKUP, MAX_QUOTES
from feedsvc.readers.text import MAX_PARAGRAPH_BREAKS
from feedsvc.text import MAX_COSTLY_CHARACTERS, MAX_LINKS, MAX_SANITIZING_COST, MAX_TAGS

HOSTILE = Path(__file__).parent / "data" / "hostile"
MARKER = "Kept-Outside-7f3a"  # text only the files outside the content folder hold
GOOD = {
    "world/harbour.md": ("Harbour reopens after the storm", "---\ntitle: Harbour reopens after the storm\n"
                         "date: 2024-03-01\n---\n\nFishing boats left at dawn.\n"),
    "science/comet.txt": ("A comet brightens near the horizon", "date 2024-01-20 A comet brightens "
                          "near the horizon\n\nBinoculars show its tail.\n"),
    "economy/bread.html": ("Bread prices hold steady", "<html><head><title>Bread prices hold steady</title>"
                           '<meta name="date" content="2024-02-28"></head>'
                           "<body><article><p>Bakers signed a contract.</p></article></body></html>\n"),
}
SAFE_SCHEMES = ("http://", "https://", "mailto:")
FORBIDDEN_TAGS = {"script", "style", "iframe", "object", "embed", "svg", "math", "form", "input",
                  "base", "meta", "link", "frame", "frameset", "applet"}

# -- watching reads -------------------------------------------------------------------------

_reads: list[str] | None = None


def _audit(event: str, args: tuple[object, ...]) -> None:
    if _reads is not None and event in {"open", "os.listdir", "os.scandir"} and args:
        target = args[0]
        # only what exists can be read (feedparser offers the XML it parses to open() first)
        if isinstance(target, (str, bytes, os.PathLike)) and os.path.lexists(target):
            _reads.append(os.path.abspath(os.fsdecode(target)))


sys.addaudithook(_audit)


@contextmanager
def watching_reads() -> Iterator[list[str]]:
    global _reads
    _reads = []
    try:
        yield _reads
    finally:
        _reads = None


@dataclass
class Site:
    content: Path
    outside: Path
    tmp: Path


@pytest.fixture
def site(content: Path, tmp_path: Path) -> Site:
    """Good articles in three topics, and a folder beside the content holding secrets."""
    for path, (_title, text) in GOOD.items():
        write(content, path, text)
    outside = tmp_path / "outside"
    write(outside, "secret.md", f"---\ntitle: {MARKER}\ndate: 2024-01-01\n---\n\n{MARKER}\n")
    write(outside, "notes/secret.txt", f"date 2024-01-01 {MARKER}\n\n{MARKER}\n")
    return Site(content, outside, tmp_path)


def scan_watched(site: Site, scan, **overrides: object):
    with watching_reads() as reads:
        report = scan(**overrides)
    assert_read_only_inside(site, reads)
    return report


def assert_read_only_inside(site: Site, reads: list[str]) -> None:
    """Every file opened or folder listed under the test's folder is content or catalog."""
    allowed = (os.path.realpath(site.content), os.path.realpath(site.tmp / "instance"))
    for path in reads:
        real = os.path.realpath(path)
        if real.startswith(os.path.realpath(site.tmp) + os.sep):
            assert real.startswith(allowed), f"read outside the content folder: {path} -> {real}"
        assert not real.startswith(os.path.realpath(site.outside)), path


def errors_by_path(report) -> dict[str, str]:
    return {problem.path: problem.reason for problem in report.errors}


def assert_safe_html(fragment: str) -> None:
    """No active content: no scripts or plugins, no event handlers, no script URLs."""
    if not fragment.strip():
        return
    for element in lxml.html.fragment_fromstring(fragment, create_parent="div").iter():
        if not isinstance(element.tag, str):
            continue
        assert element.tag.lower() not in FORBIDDEN_TAGS, lxml.html.tostring(element)[:200]
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), (element.tag, name, value)
            assert name.lower() != "style", (element.tag, value)
            if name.lower() in {"href", "src", "action", "formaction", "xlink:href"}:
                assert value.strip().lower().startswith(SAFE_SCHEMES), (element.tag, name, value)


def assert_page_safe(body: bytes) -> None:
    """A page of ours: no script at all, no handlers, only safe link schemes."""
    document = lxml.html.document_fromstring(body)
    assert document.xpath("//script") == []
    for element in document.iter():
        if isinstance(element.tag, str):
            assert not any(name.lower().startswith("on") for name in element.attrib), element.tag
    for href in document.xpath("//@href | //@src"):
        assert href.startswith(("/", "http://", "https://", "mailto:", "#")), href


def assert_everything_else_served(client) -> dict[str, object]:
    """The good articles are in every feed and page; nothing from outside shows anywhere.

    Returns the Atom entries by title, for checks on what the hostile files became.
    """
    titles = {title for title, _text in GOOD.values()}
    bodies = []
    atom = None
    for path in ("/feeds/atom.xml", "/feeds/rss.xml", "/feeds/feed.json"):
        response = client.get(path)
        assert response.status_code == 200, (path, response.data[:300])
        bodies.append(response.data)
        if path.endswith(".json"):
            found = {item["title"] for item in response.get_json()["items"]}
        else:
            etree.fromstring(response.data, etree.XMLParser(recover=False, resolve_entities=False))
            feed = parse_feed(response.data)
            found = {shown_text(entry.title, entry.title_detail) for entry in feed.entries}
            if path.endswith("atom.xml"):
                atom = feed
        assert titles <= found, (path, titles - found)
    for topic, (title, _text) in zip(("world", "science", "economy"), GOOD.values(), strict=True):
        response = client.get(f"/topics/{topic}/atom.xml")
        assert response.status_code == 200
        assert title in {entry.title for entry in parse_feed(response.data).entries}
        bodies.append(response.data)
    assert atom is not None
    for entry in atom.entries:
        page = client.get(entry.link.removeprefix(BASE_URL))
        assert page.status_code == 200, entry.link
        assert_page_safe(page.data)
        bodies.append(page.data)
        assert_safe_html(entry.content[0].value)
    for path in ("/", "/feeds.opml", "/api/topics"):
        response = client.get(path)
        assert response.status_code == 200, path
        bodies.append(response.data)
    assert_page_safe(bodies[-3])
    for body in bodies:
        assert MARKER.encode() not in body
    return {shown_text(entry.title, entry.title_detail): entry for entry in atom.entries}


# -- the committed corpus -------------------------------------------------------------------

@dataclass(frozen=True)
class Refused:
    reason: str  # start of the error the scan reports


@dataclass(frozen=True)
class Published:
    title: str
    text: str  # text the sanitized content still holds
    warning: str = ""  # start of a warning the scan reports, if any


EXPECTED = {
    "script.md": Published("Attacks in Markdown <script>alert('title')</script>", "After the attacks."),
    "script.html": Published("Attacks in HTML", "After the attacks."),
    "control-chars.md": Published("Bell and backspace in a title", "Body with raw controls:",
                                  "removed characters that XML 1.0 does not allow"),
    "control-title.md": Refused("no title"),
    "noncharacters.md": Published("Noncharacters and a lost character", "After the noncharacters.",
                                  "removed characters that XML 1.0 does not allow"),
    # mostly invalid UTF-8: decoded as a legacy code page, as a whole, with a warning
    "invalid-utf8.txt": Published("Caf", "continuations and a good", "not UTF-8; decoded as"),
    "nul.txt": Refused("binary file"),
    "nul-inside.md": Refused("binary file"),
    # a few stray NULs in a saved page: removed, as a browser ignores them; many: binary
    "nul-in-page.html": Published("Stray NUL bytes in a saved page", "the kiosk on the ferry reopens",
                                  "removed 3 NUL bytes"),
    "nul-many.html": Refused("binary file"),
    "yaml-bomb.md": Refused("front matter: YAML aliases"),
    "nested.html": Refused("HTML nested 12001 elements deep; at most 255 are read"),
    "nested.md": Refused("HTML nested 10000 elements deep; at most 512 are read"),
    "xml-declaration.html": Published("Declared as XML", "Still read as HTML."),
}


def test_every_corpus_file_has_an_expectation() -> None:
    assert sorted(EXPECTED) == sorted(path.name for path in HOSTILE.iterdir())


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_hostile_file(name: str, site: Site, scan, make_app) -> None:
    shutil.copy(HOSTILE / name, site.content / "world" / name)
    report = scan_watched(site, scan)
    path = f"world/{name}"
    expected = EXPECTED[name]
    client = make_app().test_client()
    with watching_reads() as reads:
        entries = assert_everything_else_served(client)
    assert_read_only_inside(site, reads)
    if isinstance(expected, Refused):
        assert errors_by_path(report)[path].startswith(expected.reason), report.errors
        assert report.published == len(GOOD)
        return
    assert errors_by_path(report) == {}
    assert report.published == len(GOOD) + 1
    if expected.warning:
        assert any(w.path == path and w.reason.startswith(expected.warning) for w in report.warnings)
    title = next(title for title in entries if title.startswith(expected.title))
    entry = entries[title]
    assert expected.text in entry.content[0].value
    assert_safe_html(entry.content[0].value)
    for kind in ("atom.xml", "rss.xml"):
        body = client.get(f"/topics/world/{kind}").data
        for item in parse_feed(body).entries:
            html_summary = [item.summary] if item.summary_detail.type == "text/html" else []
            for html in [content.value for content in item.get("content", [])] + html_summary:
                assert_safe_html(html)  # a plain-text summary is shown as text, never as HTML


def test_attacks_are_neutralized_but_safe_links_kept(site: Site, scan, make_app) -> None:
    shutil.copy(HOSTILE / "script.md", site.content / "world" / "script.md")
    scan_watched(site, scan)
    client = make_app().test_client()
    feed = parse_feed(client.get("/topics/world/atom.xml").data)
    content = next(e for e in feed.entries if e.title.startswith("Attacks")).content[0].value
    for needle in ("alert(", "javascript:", "vbscript:", "data:text", "evil.example", "onerror", "onload"):
        assert needle not in content.lower(), needle
    assert f'href="{BASE_URL}/local/page"' in content  # relative links become absolute
    page = client.get("/articles/world-script")
    assert page.status_code == 200
    assert_page_safe(page.data)
    shown_as_text = (b"alert(&#39;title&#39;)", b"onerror=alert(&#39;summary&#39;)&gt;")  # title, summary
    assert b"alert(" not in page.data.replace(shown_as_text[0], b"").replace(shown_as_text[1], b"")


@pytest.mark.parametrize(("path", "kind"), [
    ("/feeds/atom.xml", "atom"), ("/feeds/rss.xml", "rss"), ("/feeds/feed.json", "json"),
])
def test_hostile_corpus_feeds_pass_strict_validators(path: str, kind: str, site: Site, scan,
                                                     make_app) -> None:
    """What the hostile files become still satisfies the strictest validators."""
    for name in sorted(EXPECTED):
        shutil.copy(HOSTILE / name, site.content / "world" / name)
    scan()
    feed_file = site.tmp / f"feed.{kind}"
    feed_file.write_bytes(make_app().test_client().get(path).data)
    assert_strictly_valid(feed_file, kind, base=BASE_URL + path, cwd=site.tmp)


def test_control_characters_are_removed_from_every_field(site: Site, scan, make_app) -> None:
    shutil.copy(HOSTILE / "control-chars.md", site.content / "world" / "control-chars.md")
    scan_watched(site, scan)
    client = make_app().test_client()
    feed = parse_feed(client.get("/feeds/atom.xml").data)
    entry = next(e for e in feed.entries if e.title.startswith("Bell"))
    assert entry.title == "Bell and backspace in a title"
    assert entry.author == "Esc Author"
    assert entry.summary == "Form feed summary"  # those that separate words become spaces
    assert {tag.term for tag in entry.tags} == {"world", "tab bed", "sep"}
    # DEL and C1 controls, allowed by XML 1.0 but discouraged, are gone too (NEL is a space)
    assert entry.content[0].value == "<p>Body with raw controls:     and C1   done.</p>"


# -- generated cases ------------------------------------------------------------------------

def test_symlinks_out_of_the_content_folder_are_refused(site: Site, scan, make_app) -> None:
    (site.content / "world" / "leak.md").symlink_to(site.outside / "secret.md")
    (site.content / "escape").symlink_to(site.outside)
    (site.content / "science" / "notes").symlink_to(site.outside / "notes")
    (site.content / "absolute.txt").symlink_to("/etc/hostname")
    report = scan_watched(site, scan)
    errors = errors_by_path(report)
    for path in ("world/leak.md", "escape", "science/notes", "absolute.txt"):
        assert errors[path] == "symlink points outside the content folder", errors
    assert report.published == len(GOOD)
    with watching_reads() as reads:
        assert_everything_else_served(make_app().test_client())
    assert_read_only_inside(site, reads)


def test_symlinks_inside_the_folder_are_followed(site: Site, scan, make_app) -> None:
    (site.content / "culture").mkdir()
    (site.content / "culture" / "harbour.md").symlink_to(site.content / "world" / "harbour.md")
    report = scan_watched(site, scan)
    assert errors_by_path(report) == {}
    assert report.published == len(GOOD) + 1  # each path is an article of its own
    feed = parse_feed(make_app().test_client().get("/topics/culture/atom.xml").data)
    assert [entry.title for entry in feed.entries] == [GOOD["world/harbour.md"][0]]


def test_articles_keep_their_real_path_beside_folder_symlinks(site: Site, scan, make_app) -> None:
    """However scandir orders names, a folder's alias never takes its articles' paths and ids."""
    aliases = ("aaa", "mmm", "world2", "zzz")
    for alias in aliases:
        (site.content / alias).symlink_to("world")
    report = scan_watched(site, scan)
    assert errors_by_path(report) == {alias: "symlink loop: folder already visited" for alias in aliases}
    feed = parse_feed(make_app().test_client().get("/topics/world/atom.xml").data)
    assert [entry.id for entry in feed.entries] == ["tag:news.example.org,2024-03-01:/world/harbour"]


def test_symlink_loops_are_reported_not_followed(site: Site, scan, make_app) -> None:
    (site.content / "world" / "again").symlink_to(site.content / "world")
    (site.content / "loop").symlink_to(".")
    (site.content / "self.md").symlink_to("self.md")
    (site.content / "ping.md").symlink_to("pong.md")
    (site.content / "pong.md").symlink_to("ping.md")
    report = scan_watched(site, scan)
    errors = errors_by_path(report)
    assert errors["world/again"] == errors["loop"] == "symlink loop: folder already visited"
    for path in ("self.md", "ping.md", "pong.md"):
        assert errors[path] == "cannot follow: Too many levels of symbolic links", errors
    assert report.published == len(GOOD)
    assert_everything_else_served(make_app().test_client())


def test_fifty_megabyte_file_is_refused_unread(site: Site, scan, make_app) -> None:
    big = site.content / "world" / "huge.md"
    with big.open("w", encoding="utf-8") as handle:
        handle.write("---\ntitle: Too big\ndate: 2024-01-01\n---\n\n")
        line = "All work and no play makes a very long article. " * 20 + "\n"
        while handle.tell() < 50 * 1024 * 1024:
            handle.write(line)
    size = big.stat().st_size
    with watching_reads() as reads:
        report = scan()
    assert errors_by_path(report)["world/huge.md"] == (
        f"file is {size} bytes, over the limit of {5 * 1024 * 1024}")
    assert str(big) not in reads  # refused from its size alone, never opened
    assert_everything_else_served(make_app().test_client())


TEN_THOUSAND = [f"t{number}" for number in range(10_000)]


@pytest.mark.parametrize("name,text", [
    ("many.md", f"---\ntitle: Ten thousand topics\ndate: 2024-04-01\ntags: [{','.join(TEN_THOUSAND)}]\n"
                "---\n\nEvery topic at once.\n"),
    ("many.txt", f"Title: Ten thousand topics\nDate: 2024-04-01\nTopics: {', '.join(TEN_THOUSAND)}\n\n"
                 "Every topic at once.\n"),
    ("many.html", "<html><head><title>Ten thousand topics</title><meta name=date content=2024-04-01>"
                  + "".join(f'<meta name="article:tag" content="{tag}">' for tag in TEN_THOUSAND)
                  + "</head><body><p>Every topic at once.</p></body></html>"),
])
def test_ten_thousand_topics_are_bounded(name: str, text: str, site: Site, scan, make_app) -> None:
    write(site.content, f"world/{name}", text)
    report = scan_watched(site, scan)
    assert errors_by_path(report) == {}
    client = make_app().test_client()
    entries = assert_everything_else_served(client)
    kept = {tag.term for tag in entries["Ten thousand topics"].tags}
    assert "world" in kept
    assert 1 < len(kept) <= 200  # bounded: some of the 10,000, not all of them
    topics = {topic["slug"] for topic in client.get("/api/topics").get_json()["topics"]}
    assert topics == kept | {"science", "economy"}
    assert client.get("/topics/t9999/atom.xml").status_code == 404


def test_front_matter_over_its_limit_is_refused(site: Site, scan, make_app) -> None:
    tags = ", ".join(f"topic number {number}" for number in range(10_000))
    write(site.content, "world/many.md", f"---\ntitle: Too many\ndate: 2024-04-01\ntags: [{tags}]\n---\n")
    report = scan_watched(site, scan)
    assert errors_by_path(report) == {"world/many.md": "front matter: larger than 65536 bytes"}
    assert_everything_else_served(make_app().test_client())


MARKUP = "lines and markup characters"
# Within the size limit, but each would take from 0.3 to 1.3 GB to parse, or a second or more to
# rewrite: refused by count, before parsing. name: (text, source, count, things, limit)
HUGE_TREES = {
    "bare-tags.html": (lambda: "<html><body>" + "<b>" * 1_600_000, "HTML", 2 + 1_600_000, "tags", MAX_TAGS),
    "paragraphs.html": (lambda: "<p>x</p>" * 600_000, "HTML", 2 * 600_000, "tags", MAX_TAGS),
    "attributes.html": (lambda: "<html><title>Many</title><body><p" + " a" * 2_400_000 + ">x</p>",
                        "HTML", 2_400_000, "attributes", MAX_ATTRIBUTES),
    "brackets.md": (lambda: "[" * 5_000_000, "Markdown", 5_000_000, MARKUP, MAX_MARKUP),
    "quotes.md": (lambda: "> " * 2_500_000, "Markdown", 2_500_000, MARKUP, MAX_MARKUP),
    "emphasis.md": (lambda: "*a " * 1_600_000, "Markdown", 1_600_000, MARKUP, MAX_MARKUP),
    "lines.md": (lambda: "a\n" * 2_500_000, "Markdown", 2_500_000, MARKUP, MAX_MARKUP),
    "list.md": (lambda: "- a\n" * 1_200_000, "Markdown", 2 * 1_200_000, MARKUP, MAX_MARKUP),
    "ordered.md": (lambda: "1. " * 1_600_000 + "deep", "Markdown", 1_600_000, MARKUP, MAX_MARKUP),
    # within the markup limit, but each raw tag and footnote is gone over in Python more than once
    "end-tags.md": (lambda: "</p> " * 40_000, "Markdown", 40_000, "tags", MAX_TAGS),
    "footnotes.md": (lambda: "[^1]: a\n" * 20_000, "Markdown", 20_000, "footnote marks ([^)", MAX_LINKS),
    "paragraphs.txt": (lambda: "Title: Many\n\n" + "a\n\n" * 1_600_000, "text", 1_600_000,
                       "paragraph breaks", MAX_PARAGRAPH_BREAKS),
}


@pytest.mark.parametrize("name", sorted(HUGE_TREES))
def test_files_too_costly_to_parse_are_refused(name: str, site: Site, scan, make_app) -> None:
    make, source, count, things, limit = HUGE_TREES[name]
    write(site.content, f"world/{name}", make())
    report = scan_watched(site, scan)
    assert errors_by_path(report) == {
        f"world/{name}": f"{source} has {count:,} {things}, over the limit of {limit:,}"}
    assert report.published == len(GOOD)
    assert_everything_else_served(make_app().test_client())


def essay_at_the_markup_limit() -> str:
    """A long Markdown essay (10,000 links, 1,000 sections) of exactly MAX_MARKUP units."""
    line = "Pier {k} was rebuilt in [stone](https://example.org/piers/{k}/stone) with *iron* and **steel**.\n"
    sections = []
    for number in range(MAX_MARKUP // 100):
        links = "".join(line.format(k=number * 10 + index) for index in range(10))  # 10 x 9 units
        # heading 4 units, paragraph end 1, two list items 4, list end 1: 100 in all
        sections.append(f"## Part {number}\n\n{links}\n- one more pier\n- and a quay\n\n")
    return "---\ntitle: Piers of the old harbour\ndate: 2024-05-01\n---\n" + "".join(sections)


def page_at_the_tag_limit() -> str:
    """A saved news page with chrome and 4,800 paragraphs, of exactly MAX_TAGS tags."""
    head = ('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Quays of the old harbour'
            '</title><meta name="date" content="2024-05-02"><meta name="author" '
            'content="Harbour desk"></head><body>')
    links = "".join(f'<li><a href="/s/{k}">Section {k}</a></li>' for k in range(295))
    nav = f"<nav><ul>{links}</ul></nav>"
    paragraphs = "".join(f'<p class="para">Quay {k} has <a href="https://example.org/quays/{k}" class="ref" '
                         f'rel="nofollow">its story</a>, <em>told</em>.</p>' for k in range(4_800))
    # tags: head 10, nav 4 + 4 x 295, article and heading 3, paragraphs 6 x 4,800, ends 3
    return f"{head}{nav}<article><h1>Quays of the old harbour</h1>{paragraphs}</article></body></html>"


def dialogue_at_the_quote_limit() -> str:
    """A Markdown dialogue of exactly MAX_QUOTES quotation marks and apostrophes."""
    lines = "".join(f'"Pier {k}?" "It\'s {k}." ' for k in range(MAX_QUOTES // 5))  # 5 marks a pair
    return f"---\ntitle: Talk on the quay\ndate: 2024-05-04\n---\n\n{lines}\n"


def recipe_at_the_costly_character_limit() -> str:
    """Plain text of exactly MAX_COSTLY_CHARACTERS ampersands and no-break spaces, in short paragraphs."""
    return ("Title: Salt and pepper\nDate: 2024-05-05\n\n"
            + "Salt & pepper\u00a0& oil.\n\n" * (MAX_COSTLY_CHARACTERS // 3) + "Salt & oil.\n")


def text_at_the_paragraph_limit() -> str:
    return "Title: Many short paragraphs\nDate: 2024-05-03\n\n" + "".join(
        f"Paragraph {k} of the record.\n\n" for k in range(MAX_PARAGRAPH_BREAKS)) + "The end.\n"


@pytest.mark.parametrize(("name", "make", "title", "needle", "times", "one_more", "refusal"), [
    ("essay.md", essay_at_the_markup_limit, "Piers of the old harbour",
     '<a href="https://example.org/piers/', MAX_MARKUP // 10, "!",
     f"Markdown has {MAX_MARKUP + 1:,} {MARKUP}, over the limit of {MAX_MARKUP:,}"),
    ("page.html", page_at_the_tag_limit, "Quays of the old harbour",
     '<a href="https://example.org/quays/', 4_800, "<br>",
     f"HTML has {MAX_TAGS + 1:,} tags, over the limit of {MAX_TAGS:,}"),
    ("record.txt", text_at_the_paragraph_limit, "Many short paragraphs", " of the record.</p>",
     MAX_PARAGRAPH_BREAKS, "\n\nOne more.",
     f"text has {MAX_PARAGRAPH_BREAKS + 1:,} paragraph breaks, over the limit of {MAX_PARAGRAPH_BREAKS:,}"),
    ("dialogue.md", dialogue_at_the_quote_limit, "Talk on the quay", "It's", MAX_QUOTES // 5, "'",
     f"Markdown has {MAX_QUOTES + 1:,} quotation marks, over the limit of {MAX_QUOTES:,}"),
    ("recipe.txt", recipe_at_the_costly_character_limit, "Salt and pepper", "Salt &amp; pepper&nbsp;&amp; oil.",
     MAX_COSTLY_CHARACTERS // 3, " ©", f"The article's HTML has {MAX_COSTLY_CHARACTERS + 1:,} ampersands "
     f"and characters U+00A0 to U+00BF (no-break spaces, ©, ...), over the limit of {MAX_COSTLY_CHARACTERS:,}"),
], ids=["essay.md", "page.html", "record.txt", "dialogue.md", "recipe.txt"])
def test_long_articles_at_the_limits_are_published_whole(
    name: str, make, title: str, needle: str, times: int, one_more: str, refusal: str,
    site: Site, scan, make_app,
) -> None:
    text = make()
    write(site.content, f"world/{name}", text)
    report = scan_watched(site, scan)
    assert errors_by_path(report) == {}
    entries = assert_everything_else_served(make_app().test_client())
    assert entries[title].content[0].value.count(needle) == times
    write(site.content, f"world/{name}", text + one_more)  # one over the limit
    assert errors_by_path(scan()) == {f"world/{name}": refusal}


@pytest.mark.parametrize("name", ["one-text.html", "one-paragraph.txt"])
def test_ampersands_in_one_long_text_are_bounded_by_its_length(name: str, site: Site, scan, make_app) -> None:
    """The sanitizer copies a text at each ampersand (or no-break space, ©, ...) in it: a few
    thousand in one text of megabytes are refused, the same spread over paragraphs are read."""
    length, count = 2_000_000, MAX_SANITIZING_COST // 2_000_000 + 1_000
    words = ("a" * (length // count - 1) + "&") * count
    texts = {"one-text.html": f"<html><head><title>Long</title></head><body><p>{words}</p></body></html>",
             "one-paragraph.txt": f"Title: Long\nDate: 2024-05-06\n\n{words}\n"}
    write(site.content, f"world/{name}", texts[name])
    reason = errors_by_path(scan_watched(site, scan))[f"world/{name}"]
    assert re.fullmatch(  # the text's length as written, &amp; for each & of the plain text
        rf"The article's HTML has {count:,} ampersands and characters U\+00A0 to U\+00BF \(no-break spaces, ©, "
        r"\.\.\.\) in texts of (1,99|2,03)\d,\d{3} characters without a tag, too many for their length to sanitize",
        reason)
    paragraph_end = {"one-text.html": "</p><p>", "one-paragraph.txt": "\n\n"}[name]
    write(site.content, f"world/{name}", texts[name].replace("&", "&" + paragraph_end))
    assert errors_by_path(scan()) == {}
    assert "Long" in assert_everything_else_served(make_app().test_client())


def test_angle_brackets_in_html_text_are_bounded(site: Site, scan, make_app) -> None:
    """Each `<` or `>` outside a tag is a reference for the sanitizer to read: past
    MAX_ANGLE_BRACKETS a page is refused, at the limit it is read (bench/hostile.py's html-angle-brackets)."""
    def page(signs: int) -> str:  # its 10 tags hold 20 brackets
        return "<html><head><title>Signs</title></head><body><p>" + "a > b " * signs + "</p></body></html>"
    write(site.content, "world/signs.html", page(MAX_ANGLE_BRACKETS - 20))
    assert errors_by_path(scan_watched(site, scan)) == {}
    assert "Signs" in assert_everything_else_served(make_app().test_client())
    write(site.content, "world/signs.html", page(MAX_ANGLE_BRACKETS - 19))
    assert errors_by_path(scan()) == {"world/signs.html": (
        f"HTML has {MAX_ANGLE_BRACKETS + 1:,} angle brackets (< and >), over the limit of {MAX_ANGLE_BRACKETS:,}")}


def test_links_of_an_article_are_bounded(site: Site, scan, make_app) -> None:
    """Each link's address is resolved and checked by the sanitizer: an article of MAX_LINKS
    links is published whole, one more is refused (bench/hostile.py's jekyll-spaced-references)."""
    def article(links: int) -> str:
        return "---\ntitle: Link hoard\ndate: 2024-05-07\n---\n\n" + "".join(
            f"[pier {k}](https://example.org/piers/{k}) " for k in range(links)) + "\n"
    write(site.content, "world/hoard.md", article(MAX_LINKS))
    assert errors_by_path(scan_watched(site, scan)) == {}
    entries = assert_everything_else_served(make_app().test_client())
    assert entries["Link hoard"].content[0].value.count('<a href="https://example.org/piers/') == MAX_LINKS
    write(site.content, "world/hoard.md", article(MAX_LINKS + 1))
    assert errors_by_path(scan()) == {"world/hoard.md": (
        f"The article's HTML has {MAX_LINKS + 1:,} links and images (href and src), over the limit of {MAX_LINKS:,}")}


def test_attributes_are_counted_by_name_not_by_the_words_of_their_values(monkeypatch) -> None:
    # A lower limit checks the same counting: at 100,000 attributes on one element lxml's parser
    # alone takes minutes (it compares each attribute with the ones before it).
    limit = 2_000
    monkeypatch.setattr(html_reader, "MAX_ATTRIBUTES", limit)
    monkeypatch.setattr(html_reader, "MAX_ATTRIBUTES_PER_ELEMENT", limit)
    words = " ".join(f"w{k}" for k in range(2 * limit))  # a class list, an alt text
    names = "".join(f" data-n{k}=x" for k in range(limit - 2))
    page = f'<html><title>Attributes</title><body><p class="{words}" alt=\'{words}\'{names}>kept</p>'
    assert "kept" in read_article("at-limit.html", page.encode()).body_html  # exactly the limit
    with pytest.raises(ReadError, match=f"^HTML has {limit + 1:,} attributes, over the limit"):
        read_article("over.html", page.replace("<p ", "<p hidden ").encode())


def test_attributes_on_one_element_are_bounded_below_the_whole_page() -> None:
    element = "<p" + "".join(f" data-n{k}=x" for k in range(MAX_ATTRIBUTES_PER_ELEMENT)) + ">{}</p>"
    page = "<html><title>Attributes</title><body>" + "".join(element.format(k) for k in range(3))
    assert f'data-n{MAX_ATTRIBUTES_PER_ELEMENT - 1}="x"' in read_article("at-limit.html", page.encode()).body_html
    with pytest.raises(ReadError, match=f"^One HTML element has {MAX_ATTRIBUTES_PER_ELEMENT + 1:,} "
                                        f"attributes, over the limit of {MAX_ATTRIBUTES_PER_ELEMENT:,}$"):
        read_article("over.html", page.replace("<p ", "<p hidden ", 1).encode())


# -- HTTP -----------------------------------------------------------------------------------

TRICKS = [
    "/topics/../../outside/secret/atom.xml",
    "/topics/..%2F..%2Foutside/atom.xml",
    "/topics/%2e%2e/atom.xml",
    "/topics/world/..%2F..%2F..%2Foutside%2Fsecret.md",
    "/articles/..%2F..%2Foutside%2Fsecret",
    "/articles/../../outside/secret.md",
    "/articles/%2e%2e%2f%2e%2e%2foutside%2fsecret",
    "/static/../../outside/secret.md",
    "/static/..%2F..%2F..%2Foutside%2Fsecret.md",
    "/static/%2e%2e/%2e%2e/web.py",
    "/feeds/..%2Fatom.xml",
    "/..%2F..%2Foutside%2Fsecret.md",
]


@pytest.mark.parametrize("path", TRICKS)
def test_dot_dot_in_routes_is_a_404(path: str, site: Site, scan, make_app) -> None:
    scan()
    client = make_app().test_client()
    with watching_reads() as reads:
        response = client.get(path)
    assert response.status_code == 404, response.data[:200]
    assert MARKER.encode() not in response.data
    assert_read_only_inside(site, reads)
    assert client.get("/feeds/atom.xml").status_code == 200


@pytest.mark.parametrize(("query", "parameter"), [
    ("q=" + "a" * 10 * 1024, "query string"),  # a 10 KB query string
    ("topic=world&" * 1000, "query string"),  # 1,000 topic parameters
    ("topic=" + ",".join(f"t{n}" for n in range(1000)), "query string"),
    ("&" * 1000, "query string"),
    ("q=%00", "q"),
    ("q=bread%00and", "q"),
    ("author=%01x", "author"),
    ("limit=-1", "limit"),
    ("page=99999999999999999999", "page"),
    ("since=%ff%fe", "since"),
])
def test_hostile_queries_are_clear_errors(query: str, parameter: str, site: Site, scan, make_app) -> None:
    scan()
    client = make_app().test_client()
    for feed in ("/feeds/atom.xml", "/topics/world/rss.xml", "/feeds/feed.json"):
        response = client.get(f"{feed}?{query}")
        assert response.status_code == 400, (feed, response.data[:300])
        assert response.data.decode().startswith(f"400 Bad Request: {parameter}: "), response.data[:300]
        assert len(response.data) < 1024  # the answer does not echo the whole input
    assert_everything_else_served(client)


def test_dot_dot_in_a_topic_parameter_is_an_unknown_topic(site: Site, scan, make_app) -> None:
    scan()
    response = make_app().test_client().get("/feeds/atom.xml?topic=..%2F..%2Foutside")
    assert response.status_code == 404
    assert b"unknown topic &#39;outside&#39;" in response.data


def test_many_repeated_topics_within_bounds_are_one_topic(site: Site, scan, make_app) -> None:
    scan()
    client = make_app().test_client()
    response = client.get("/feeds/atom.xml?" + "&".join(["topic=World"] * 90))
    assert response.status_code == 200
    feed = parse_feed(response.data)
    self_link = next(link.href for link in feed.feed.links if link.rel == "self")
    assert self_link == f"{BASE_URL}/feeds/atom.xml?topic=world"
    assert [entry.title for entry in feed.entries] == [GOOD["world/harbour.md"][0]]


def raw_get(port: int, target: str) -> tuple[int, bytes]:
    """Send the request target exactly as given: no client-side normalization of '..'."""
    answer = exchange(port, raw_request(target), timeout=20)[0]
    return answer.status, answer.body


def test_hostile_requests_against_real_gunicorn(site: Site, tmp_path: Path) -> None:
    """Through gunicorn itself: traversal, an oversized request line, too many parameters."""
    with LiveServer(site.content, tmp_path / "live.db", tmp_path / "live.log", workers=2) as server:
        for target in TRICKS:
            status, body = raw_get(server.port, target)
            assert status == 404, (target, status, body[:200])
            assert MARKER.encode() not in body
        status, body = raw_get(server.port, "/feeds/atom.xml?q=" + "a" * 10 * 1024)
        assert (status, b"Request Line is too large" in body) == (414, True)  # gunicorn's own limit
        status, body = raw_get(server.port, "/feeds/atom.xml?" + "topic=world&" * 150)
        assert (status, body) == (400, b"400 Bad Request: query string: may have at most 100 parameters\n")
        status, body = raw_get(server.port, "/topics/world/atom.xml")
        assert status == 200
        assert GOOD["world/harbour.md"][0] in {entry.title for entry in parse_feed(body).entries}
    assert not server.traceback(), server.traceback()
