"""Plain text that looks like markup (titles, summaries, names, labels) keeps its meaning in
every feed format, passes the strict validators without warnings, and is never markup.

Plain text carries "&", "<" and ">" as hexadecimal references; Atom declares text holding an
end tag as type="html" escaped once more; RSS writes text that readers would take for HTML as
HTML showing the text; names and labels cannot be declared, so end tags pasted into them are
reduced to their text when read.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import lxml.html
import pytest
from helpers.content import BASE_URL, write
from helpers.feeds import ATOM, assert_strictly_valid, atom_text, parse_feed, shown_text
from lxml import etree

from feedsvc.readers.metadata import process_metadata

STATIC = Path(__file__).resolve().parents[1] / "feedsvc" / "static"
TITLES = [
    "Why <script> tags matter",
    "a < b && c > d",
    "Attacks <script>alert('title')</script>",
    "Bold </b> move",
    "Use &amp; for ampersands",
    "Issue &#1 fixed, &copy 2024",
    "AT&T and R&D; x &bogus; y",
    "Closing </title> and ]]> and <![CDATA[",
    "Plain title",
]
SUMMARY = "Why <script> tags matter: <p>not a paragraph</p> & &lt;"  # plain text, as titles
SUMMARY_TEXT = SUMMARY  # what readers show: exactly what was written
FEED_TITLE = "Notes on <em>emphasis</em> & co"


@pytest.fixture
def site(content: Path, scan, make_app):
    for index, title in enumerate(TITLES):
        front = json.dumps({  # JSON is YAML: exact strings, whatever they hold
            "title": title, "date": f"2024-03-{index + 1:02d}", "summary": SUMMARY,
            "author": "Ana Ruiz <ana@example.org>", "tags": ["C++ </b>", "R&D", "x < y"],
        })
        write(content, f"notes/a{index}.md", f"---\n{front}\n---\n\nBody {index}.\n")
    scan()
    return make_app(title=FEED_TITLE, subtitle="Tips <b>&</b> tricks").test_client()


@pytest.mark.parametrize("path", ["/feeds/atom.xml", "/feeds/rss.xml", "/topics/notes/atom.xml",
                                  "/topics/notes/rss.xml"])
def test_readers_get_the_exact_text_back(site, path: str) -> None:
    feed = parse_feed(site.get(path).data)
    titles = {shown_text(entry.title, entry.title_detail) for entry in feed.entries}
    assert titles == set(TITLES)
    assert shown_text(feed.feed.title, feed.feed.title_detail).startswith(FEED_TITLE)
    assert shown_text(feed.feed.subtitle, feed.feed.subtitle_detail).startswith("Tips <b>&</b> tricks")
    for entry in feed.entries:
        if path.endswith("atom.xml"):
            assert shown_text(entry.summary, entry.summary_detail) == SUMMARY_TEXT
            assert [(a.name, a.get("email")) for a in entry.authors] == [("Ana Ruiz", "ana@example.org")]
            assert sorted(tag.label for tag in entry.tags) == ["C++", "R&D", "notes", "x < y"]
            assert sorted(tag.term for tag in entry.tags) == ["C++", "R&D", "notes", "x < y"]
        else:
            assert entry.author == "Ana Ruiz <ana@example.org>" or entry.author_detail.name == "Ana Ruiz"
            assert sorted(tag.term for tag in entry.tags) == ["C++", "R&D", "notes", "x < y"]


def test_atom_declares_html_only_for_end_tags(site) -> None:
    """Readers that ignore type="html" (sfeed) still show every other title exactly."""
    body = site.get("/feeds/atom.xml").data
    for title in etree.fromstring(body).iter(f"{ATOM}title"):
        declared = title.get("type") == "html"
        text = atom_text(title)
        assert declared == bool(re.search(r"</\w+>", text)), text
        assert not declared or "<" not in title.text  # the HTML holds no element, only text
    for line in body.splitlines():  # plain text: "&", "<", ">" as hexadecimal references
        if line.strip().startswith((b"<title>", b"<summary>", b"<name>", b"<category ")):
            assert not re.search(rb"&(amp|lt|gt);", line), line


def test_json_feed_titles_are_plain_text(site) -> None:
    document = site.get("/feeds/feed.json").get_json()
    assert document["title"] == FEED_TITLE
    assert {item["title"] for item in document["items"]} == set(TITLES)
    assert {item["summary"] for item in document["items"]} == {SUMMARY_TEXT}


@pytest.mark.parametrize("path", ["/feeds/atom.xml", "/feeds/rss.xml"])
def test_the_browser_view_shows_the_same_text(site, path: str) -> None:
    transform = etree.XSLT(etree.parse(str(STATIC / "feed.xsl")))
    page = lxml.html.fromstring(str(transform(etree.fromstring(site.get(path).data))))
    assert {link.text_content() for link in page.xpath("//ol/li/a")} == set(TITLES)
    assert page.xpath("string(//h1)") == FEED_TITLE
    assert not page.xpath("//ol//script | //ol//b | //h1/*")  # text stays text


@pytest.mark.parametrize(("path", "kind"), [
    ("/feeds/atom.xml", "atom"), ("/feeds/rss.xml", "rss"), ("/feeds/feed.json", "json"),
])
def test_markup_looking_text_passes_strict_validators(site, path: str, kind: str,
                                                      tmp_path: Path) -> None:
    feed_file = tmp_path / f"feed.{kind}"
    feed_file.write_bytes(site.get(path).data)
    assert_strictly_valid(feed_file, kind, base=BASE_URL + path, min_entries=len(TITLES))


@pytest.mark.parametrize(("raw", "names"), [
    ("C++ </b>", ["C++"]),
    ("<b>Ana</b> Ruiz; Bo", ["Ana Ruiz", "Bo"]),
    ("</i>", None),
    ("x < y; R&D; Ana <ana@example.org>", ["x < y", "R&D", "Ana <ana@example.org>"]),
])
def test_names_holding_end_tags_keep_only_their_text(raw: str, names: list[str] | None) -> None:
    assert process_metadata({"author": raw})[0].get("authors") == names
    assert process_metadata({"tags": raw})[0].get("topics") == names
