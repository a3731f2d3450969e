"""The property suite: whatever a file holds, the scan gives an entry or a clear error; every
entry satisfies what every published entry does (helpers.entries) and renders to a feed that
parses strictly (lxml) and cleanly (feedparser); queries are canonical or a clear error.

Each example runs the real pipeline on a one-file content folder: walk, read, normalize,
topics (with tests/data/articles/topics.toml), then the renderers. Example counts are bounded
so the suite stays fast (FUZZ_EXAMPLES raises them).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from datetime import UTC
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

import pytest
import yaml
from helpers.content import BASE_URL, write
from helpers.entries import check_invariants
from helpers.feeds import ATOM, STRICT, atom_text, parse_feed
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from lxml import etree

from feedsvc import query as feed_query
from feedsvc import render
from feedsvc.config import load_settings
from feedsvc.model import Entry
from feedsvc.normalize import text_blocks
from feedsvc.readers import READERS
from feedsvc.scan import scan_once
from feedsvc.store import Store

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "40"))  # raise it for a deep run
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,  # other test runs share the machine; timing is bench/'s business
    database=None,  # no .hypothesis folder in the working tree
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Any Unicode text, surrogates excluded (a file cannot hold them), control characters included.
ANY_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=300)
ONE_LINE = ANY_TEXT.map(lambda value: " ".join(value.split()))
NASTY = st.sampled_from([
    "<script>alert(1)</script>", "]]>", "<![CDATA[x]]>", "&amp;", "&bogus;", "&#0;", "\x00", "\x0b",
    "\ufffe", "\U0001f600", "</title>", '"><img src=x onerror=alert(1)>', "<svg onload=alert(1)>",
    "javascript:alert(1)", "\u202e", "\r\n", "<!--", "<?xml version='1.0'?>", "--->",
])
MIXED_TEXT = st.lists(st.one_of(ANY_TEXT, NASTY), max_size=6).map("".join)
# Text shaped like each format, so the examples reach past the first check of every reader.
_words = st.text(alphabet=st.characters(codec="utf-8"), max_size=80)
SHAPED_TEXT = st.one_of(
    st.builds(lambda title, body: f"date 2021-01-01 {title}\n\n{body}", _words, _words),
    st.builds(lambda key, value, body: f"Title: x\n{key}: {value}\n\n{body}",
              st.sampled_from(["Date", "Tags", "Author", "Status", "Updated", "Link"]), _words, _words),
    st.builds(lambda front, body: f"---\n{front}\n---\n{body}", _words, _words),
    st.builds(lambda key, value: f"---\ntitle: t\n{key}: {value}\n---\nbody",
              st.sampled_from(["date", "tags", "lastmod", "draft", "published", "author", "slug"]),
              _words),
    st.builds(lambda front: f"+++\n{front}\n+++\nbody", _words),
    st.builds(lambda head, body: f"<html><head><title>t</title>{head}</head><body>{body}</body></html>",
              _words, _words),
    st.builds(lambda name, value: f'<title>t</title><meta name="{name}" content="{value}"><p>x</p>',
              st.sampled_from(["date", "modified", "keywords", "author", "status"]), _words),
)
ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1"])
# One extension per reader: the others (.markdown, .htm, ...) name the same reader.
EXTENSIONS = sorted({reader: extension for extension, reader in reversed(READERS.items())}.values())
TOPIC_RULES = Path(__file__).parent / "data" / "articles" / "topics.toml"


def legible(value: str) -> bool:
    """True when the text has a visible character, which every article title needs."""
    return any(ch.isprintable() and not ch.isspace() for ch in value)


def publish(name: str, data: bytes) -> tuple[list[Entry], list[str]]:
    """Scan a content folder holding only this file; return the catalog's entries and errors."""
    return publish_all({name: data})


def publish_all(files: dict[str, bytes]) -> tuple[list[Entry], list[str]]:
    """Scan a content folder holding these files, in one topic folder."""
    with tempfile.TemporaryDirectory() as folder:
        content = Path(folder) / "content"
        (content / "topic").mkdir(parents=True)
        for name, data in files.items():
            (content / "topic" / name).write_bytes(data)
        shutil.copy(TOPIC_RULES, content / TOPIC_RULES.name)
        config = load_settings(
            overrides={"content_dir": content, "database": Path(folder) / "catalog.db", "base_url": BASE_URL},
            environ={}, config_file=Path(folder) / "none.toml",
        )
        store = Store(config.database)
        report = scan_once(config, store)
        entries = store.entries(None, 500)
        store.close()
    return entries, [problem.reason for problem in report.errors]


def feed_info(entries: list[Entry]) -> render.FeedInfo:
    return render.FeedInfo(
        title="Fuzzed", subtitle="Every kind of text", self_url=BASE_URL + "/feeds/atom.xml",
        site_url=BASE_URL + "/", author="Desk", language="en", ttl_minutes=1,
    )


def assert_feeds_valid(entries: list[Entry]) -> None:
    """Atom and RSS parse strictly with lxml, feedparser reads them with bozo == 0; JSON Feed
    parses; ids and titles survive in all three."""
    info = feed_info(entries)
    atom = render.atom(entries, info, BASE_URL)
    for body in (atom, render.rss(entries, info, BASE_URL)):
        etree.fromstring(body, STRICT)
        parsed = parse_feed(body)
        assert [item.id for item in parsed.entries] == [entry.id for entry in entries]
    # feedparser rewrites C1 controls as cp1252; the XML itself must carry the exact text
    titles = etree.fromstring(atom, STRICT).findall(f"{ATOM}entry/{ATOM}title")
    assert [atom_text(title) for title in titles] == [entry.title for entry in entries]
    items = json.loads(render.json_feed(entries, info, BASE_URL))["items"]
    assert [(item["id"], item["title"]) for item in items] == [(e.id, e.title) for e in entries]


def assert_entry_or_clear_error(entries: list[Entry], errors: list[str]) -> None:
    assert len(entries) + len(errors) <= 1
    for reason in errors:
        assert reason and not reason.startswith("internal error"), reason
    for entry in entries:
        check_invariants(entry)
    assert_feeds_valid(entries)


@pytest.mark.parametrize("extension", EXTENSIONS)
@FUZZ
@given(data=st.binary(max_size=2000))
@example(data=b"\xff\xfe\x00\x00")
@example(data=b"---\n&a [1]\n---\n")
def test_any_bytes(extension: str, data: bytes) -> None:
    assert_entry_or_clear_error(*publish("article" + extension, data))


@pytest.mark.parametrize("extension", EXTENSIONS)
@FUZZ
@given(text=st.one_of(MIXED_TEXT, SHAPED_TEXT), encoding=ENCODINGS)
@example(text="http:", encoding="utf-8")
@example(text="<?xml version='1.0'?><article><h1>T</h1></article>", encoding="utf-8")
def test_any_text(extension: str, text: str, encoding: str) -> None:
    assert_entry_or_clear_error(*publish("article" + extension, text.encode(encoding, errors="replace")))


@FUZZ
@given(title=MIXED_TEXT, body=MIXED_TEXT, author=MIXED_TEXT, tags=st.lists(MIXED_TEXT, max_size=4),
       summary=st.one_of(st.none(), MIXED_TEXT))
@example(title="\b", body="", author="", tags=[], summary=None)
@example(title="A", body="", author="\b", tags=["\x1b"], summary="\x08")
@example(title="A", body="<?xml version='1.0'?><p>x</p>", author="", tags=[], summary="<?XML ><A>")
@example(title="A", body="https://example.org/", author="", tags=[], summary="https://example.org/a")
def test_markdown_with_any_metadata_publishes(title, body, author, tags, summary) -> None:
    front = {"title": title, "date": "2024-05-06", "author": author, "tags": tags, "summary": summary}
    data = f"---\n{yaml.safe_dump(front, allow_unicode=True)}---\n\n{body}\n".encode()
    entries, errors = publish("article.md", data)
    if legible(title) and "\0" not in body:  # a NUL byte marks a binary file, refused by design
        assert len(entries) == 1, errors
    assert_entry_or_clear_error(entries, errors)


@FUZZ
@given(title=ONE_LINE.filter(str.strip), paragraphs=st.lists(MIXED_TEXT, max_size=5),
       topics=st.lists(ONE_LINE, max_size=4))
def test_text_article_with_any_content_publishes(title, paragraphs, topics) -> None:
    header = f"Title: {title}\nDate: 2024-05-06\nTopics: {', '.join(topics)}\n\n"
    data = (header + "\n\n".join(paragraphs)).encode("utf-8")
    entries, errors = publish("article.txt", data)
    if legible(title) and b"\0" not in data:
        assert len(entries) == 1, errors
    assert_entry_or_clear_error(entries, errors)


@FUZZ
@given(items=st.lists(st.tuples(MIXED_TEXT, MIXED_TEXT), min_size=1, max_size=8))
def test_many_entries_render_in_order(items) -> None:
    """Several fuzzed articles in one scan and one feed: newest first, every one present, still valid."""
    files = {}
    for index, (title, body) in enumerate(items):
        front = {"title": title or "untitled", "date": f"2024-01-{index + 1:02d}"}
        files[f"a{index}.md"] = f"---\n{yaml.safe_dump(front, allow_unicode=True)}---\n\n{body}\n".encode()
    entries, _errors = publish_all(files)
    assert_feeds_valid(render.sort_entries(entries))


PARAMETER_NAMES = st.sampled_from(["topic", "exclude", "q", "author", "since", "until", "limit", "page",
                                   "utm_source", "Topic", ""])
PARAMETER_VALUES = st.one_of(
    MIXED_TEXT, st.sampled_from(["world", "World,science", "2024-01-01", "2024-01-01T10:00:00+02:00",
                                 "1", "500", "501", "0", "-1", "1e3", "９", "world,,", "*", '"', "%00"]),
)


@FUZZ
@given(pairs=st.lists(st.tuples(PARAMETER_NAMES, PARAMETER_VALUES), max_size=10))
def test_any_query_is_canonical_or_a_clear_error(pairs) -> None:
    """parse() gives a query whose canonical form parses to itself, or names the bad parameter."""
    try:
        query = feed_query.parse(pairs, default_limit=50, tz=UTC)
    except feed_query.QueryError as error:
        assert str(error).startswith(f"{error.parameter}: ")
        assert error.parameter in {name for name, _ in pairs} | {"query string"}
        return
    canonical = query.query_string()
    again = feed_query.parse(parse_qsl(canonical.removeprefix("?"), keep_blank_values=True),
                             default_limit=50, tz=UTC)
    assert again == query
    names = [name for name, _ in query.params]
    assert names == sorted(set(names))


@FUZZ
@given(raw=st.one_of(
    st.lists(st.tuples(PARAMETER_NAMES, PARAMETER_VALUES), max_size=8).map(
        lambda pairs: urlencode(pairs)),
    st.text(st.characters(codec="ascii"), max_size=200),
))
def test_any_query_string_gets_a_feed_or_a_clear_answer(raw: str, content: Path, scan, make_app) -> None:
    """Through the real app: 200 with a valid feed whose self link is canonical, or a 400/404."""
    if not (content / "world").exists():
        for index, topic in enumerate(("world", "science", "world")):
            write(content, f"{topic}/a{index}.md", f"---\ntitle: Article {index}\n"
                  f"date: 2024-01-0{index + 1}\nauthor: Desk\n---\n\nText {index}.\n")
        scan()
    client = make_app().test_client()
    for path in ("/feeds/atom.xml", "/topics/world/rss.xml", "/feeds/feed.json"):
        response = client.get(path + "?" + raw)
        assert response.status_code in {200, 400, 404}, (path, raw, response.data[:300])
        if response.status_code != 200:
            assert response.data.strip(), raw
            continue
        if path.endswith(".json"):
            self_url = response.get_json()["feed_url"]
        else:
            etree.fromstring(response.data, STRICT)
            feed = parse_feed(response.data)
            self_url = next(link.href for link in feed.feed.links if link.rel == "self")
        assert self_url.startswith(BASE_URL + path)
        again = client.get(self_url.removeprefix(BASE_URL))  # the canonical URL is its own self link
        assert again.status_code == 200 and again.data == response.data


HTML_PIECES = st.sampled_from([
    "<p>", "</p>", "</P >", "<p class='x'>", "<p/>", "text ", "word", " ", "\n", "\u00a0", "&amp;",
    "&", "<br>", "<div>", "</div>", "<li>", "<ul>", "</ul>", "<h2>", "</h2>", "<em>", "</em>",
    "<script>", "</script>", "<style>p{}</style>", "<!-- </p> -->", "<!--", "-->", "<", ">",
    "</p", "<!DOCTYPE html>", "<![CDATA[x]]>", "<pre>", "</pre>", "ü",
])


@settings(FUZZ, max_examples=max(150, EXAMPLES))  # no scan: cheap
@given(html=st.lists(HTML_PIECES, max_size=30).map("".join))
def test_summary_parsing_stops_early_with_the_same_blocks(html: str) -> None:
    """Parsing up to the first paragraph gives the blocks a full parse gives up to there."""
    full, early = text_blocks(html), text_blocks(html, until_paragraph=True)
    first_paragraph = next((number for number, (tag, _text) in enumerate(full) if tag == "p"), None)
    if first_paragraph is None:
        assert early == full
    else:
        assert early[: first_paragraph + 1] == full[: first_paragraph + 1]
