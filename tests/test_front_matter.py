"""Front matter as Jekyll and Hugo accept it, dates they read, and what a bad date costs."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from feedsvc.config import load_settings
from feedsvc.errors import ReadError
from feedsvc.normalize import normalize
from feedsvc.readers import front_matter, read_article
from feedsvc.urls import article_slug

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)


def read(path: str, text: str):
    return read_article(path, text.encode("utf-8"))


@pytest.mark.parametrize("prefix", ["\n\n", "  \n\t\n", "\ufeff\n", "\ufeff"])
def test_front_matter_after_blank_lines_whitespace_and_bom(prefix: str) -> None:
    for text in (f"{prefix}---\ntitle: Ferry\ndate: 2021-03-04\ntags: [sea]\n---\nBody.\n",
                 f"{prefix}+++\ntitle = 'Ferry'\ndate = 2021-03-04\ntags = ['sea']\n+++\nBody.\n"):
        article = read("posts/ferry.md", text)
        assert article.title == "Ferry"
        assert article.metadata["date"].date().isoformat() == "2021-03-04"
        assert article.metadata["topics"] == ["sea"]
        assert article.body_html.strip() == "<p>Body.</p>"


def test_json_front_matter() -> None:
    article = read("posts/ferry.md", '\n{\n  "title": "Ferry",\n  "date": "2021-03-04T10:00:00Z",\n'
                   '  "tags": ["sea", "boats"]\n}\n\nBody with {braces}.\n')
    assert article.title == "Ferry"
    assert article.metadata["topics"] == ["sea", "boats"]
    assert article.body_html.strip() == "<p>Body with {braces}.</p>"


@pytest.mark.parametrize(("text", "reason"), [
    ('{\n"title": "x",\n', "invalid JSON"),
    ('{"title": "x", "tags": [' + "1," * 40_000 + "1]}\nbody", "larger than"),
    ("[1, 2]\nbody", None),  # not an object: ordinary text
])
def test_json_front_matter_errors(text: str, reason: str | None) -> None:
    if reason is None:
        assert read("a.md", "# T\n" + text).title == "T"
        return
    with pytest.raises(ReadError, match=reason):
        read("a.md", text)


def test_liquid_or_shortcode_at_the_top_is_not_json() -> None:
    assert read("a.md", "{%- comment -%}x{% endcomment %}\n").body_html.startswith("<p>{%- comment")
    article = read("b.md", "{{< note >}}x{{< /note >}}\n\n# Title\n")
    assert article.body_html.startswith("<p>x</p>")  # the unknown shortcode removed, its content kept
    assert "line 1: shortcode 'note'" in article.warnings[0]


def test_html_with_front_matter_is_a_fragment_with_metadata() -> None:
    article = read("2021-04-01-note.html", "---\ntitle: A note in HTML\ncategories: town hall\n---\n"
                   "<p>The <em>council</em> met.</p>\n")
    assert article.title == "A note in HTML"
    assert article.metadata["topics"] == ["town", "hall"]
    assert article.body_html.strip() == "<p>The <em>council</em> met.</p>"


def test_hugo_and_jekyll_keys() -> None:
    article = read("posts/a.md", "---\ntitle: A\ndate: 2021-03-04\npublishDate: 2021-03-05\n"
                   "expiryDate: 2031-01-01\nlastmod: 2021-04-01\nslug: the-a\nurl: /x/y/\n"
                   "aliases: [/old/a/]\nimages: [a.jpg, b.jpg]\nsummary: Short.\ndraft: false\n---\nBody.\n")
    metadata = article.metadata
    assert metadata["publish_date"] == datetime(2021, 3, 5)
    assert metadata["expiry_date"] == datetime(2031, 1, 1)
    assert metadata["updated"] == datetime(2021, 4, 1)
    assert (metadata["slug"], metadata["permalink"]) == ("the-a", "/x/y/")
    assert metadata["aliases"] == ["/old/a/"]
    assert metadata["summary"] == "Short." and metadata["draft"] is False


@pytest.mark.parametrize(("path", "metadata", "slug"), [
    ("posts/trip/index.md", {}, "posts-trip"),
    ("posts/trip.md", {"permalink": "/2021/harbour-news/"}, "harbour-news"),
    ("posts/trip.md", {"permalink": "/:year/:title/"}, "posts-trip"),
    ("posts/trip.md", {"permalink": "/a/b.html", "slug": "own"}, "own"),
    ("posts/trip.md", {"permalink": "/a/b.html"}, "b"),
])
def test_slugs_of_bundles_and_permalinks(path: str, metadata: dict, slug: str) -> None:
    assert article_slug(path, metadata) == slug


@pytest.mark.parametrize(("name", "value", "published", "fallback"), [
    ("2020-12-24-eve.md", "sometime in December", "2020-12-24T00:00:00+00:00", "the file name's date"),
    ("eve.md", "2023-02-30", "2025-06-01T12:00:00+00:00", "the time the file was first seen"),
])
def test_unreadable_date_falls_back_and_warns(name: str, value: str, published: str, fallback: str) -> None:
    settings = load_settings(environ={}, config_file=None)
    article = read(name, f"---\ntitle: Eve\ndate: {value}\ntags: [x]\n---\nBody.\n")
    entry, warnings = normalize(article, b"", settings, None, NOW)
    assert entry.published.isoformat() == published
    assert article.metadata["topics"] == ["x"]  # the rest of the front matter is kept
    assert len(warnings) == 1 and warnings[0].startswith("date: ")  # the field
    assert warnings[0].endswith(f": using {fallback}, got {value!r}")  # the fallback and the value


@pytest.mark.parametrize("opening", ["------", "------   ", "---title: Minutes"])
def test_hugo_yaml_opens_at_its_first_three_dashes(opening: str) -> None:
    title = "" if "title" in opening else "title: Minutes\n"
    text = f"{opening}\n{title}date: 2022-03-14\n---\nThe committee met.\n"
    metadata, body, kind = front_matter.split(text, headers=False, hugo=True)
    assert (metadata["title"], body, kind) == ("Minutes", "The committee met.\n", "yaml")
    assert front_matter.split(text, headers=False)[2] == ""  # elsewhere such a line opens nothing
