"""Readers: the seed's text format, Key: value headers, Markdown with front matter."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from feedsvc.config import load_settings
from feedsvc.encodings import SEPARATORS, strip_illegal_xml
from feedsvc.errors import NotAnArticle, ReadError
from feedsvc.readers import pelican, read_article, reader_for
from feedsvc.readers.site import load_site

SEED_STYLE = (
    " date 2021-02-03 Harbour reopens after the storm\n\n"
    "The harbour reopened on Tuesday, three days after the storm.\n\n"
    "Damage to the piers\n\n"
    "Two piers need repairs. “It could have been worse,” said the harbour master.\n"
)


def read(path: str, text: str):
    return read_article(path, text.encode("utf-8"))


def test_seed_first_line_gives_date_and_title() -> None:
    article = read("news/harbour.txt", SEED_STYLE)
    assert article.title == "Harbour reopens after the storm"
    assert article.metadata["date"] == datetime(2021, 2, 3)


def test_text_paragraphs_and_subheading() -> None:
    article = read("harbour.txt", SEED_STYLE)
    assert article.body_html.split("\n") == [
        "<p>The harbour reopened on Tuesday, three days after the storm.</p>",
        "<h2>Damage to the piers</h2>",
        "<p>Two piers need repairs. “It could have been worse,” said the harbour master.</p>",
    ]


def test_text_cannot_inject_markup() -> None:
    article = read("x.txt", "date 2021-02-03 A <b>bold</b> title\n\n<script>alert(1)</script> & more\n")
    assert "<script>" not in article.body_html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in article.body_html
    assert article.title == "A <b>bold</b> title"  # a title is plain text, escaped when rendered


def test_text_key_value_header() -> None:
    article = read("x.txt", "Title: Council votes\nDate: 2022-05-01 09:30\nTags: politics; city\n\nBody.\n")
    assert article.title == "Council votes"
    assert article.metadata == {"date": datetime(2022, 5, 1, 9, 30), "topics": ["politics", "city"]}
    assert article.body_html == "<p>Body.</p>"


def test_text_without_header_is_an_error() -> None:
    with pytest.raises(ReadError, match="first line must be 'date YYYY-MM-DD Title'"):
        read("x.txt", "Just a paragraph with no header.\n")


def test_markdown_front_matter() -> None:
    article = read(
        "a.md",
        "---\nTitle: Hello\ndate: 2023-04-05\ntags: [a, b]\n---\n\nSome *text*.\n",
    )
    assert article.title == "Hello"
    assert article.metadata["topics"] == ["a", "b"]
    assert article.metadata["date"] == datetime(2023, 4, 5)
    assert article.body_html.strip() == "<p>Some <em>text</em>.</p>"


def test_markdown_title_from_heading() -> None:
    article = read("a.md", "# A heading title\n\nBody.\n")
    assert article.title == "A heading title"
    assert "heading title" not in article.body_html


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("---\ntitle: [unclosed\n---\nbody\n", "invalid YAML"),
        ("---\ntitle: x\nbody without end\n", "no closing '---'"),
        ("---\n- a\n- b\n---\nbody\n", "expected 'key: value' pairs"),
        ("---\na: &x [1]\nb: *x\n---\nbody\n", "aliases"),
    ],
)
def test_markdown_errors_say_what_is_wrong(text: str, reason: str) -> None:
    with pytest.raises(ReadError, match=reason):
        read("bad.md", text)


def test_unknown_extension_has_no_reader() -> None:
    assert reader_for("photo.jpg") is None
    assert reader_for("folder.md/readme") is None
    assert reader_for("notes.MD") is not None


def test_binary_is_an_error_and_empty_is_not_an_article() -> None:
    with pytest.raises(ReadError, match="binary") as binary:
        read_article("x.txt", b"\x00\x01\x02")
    assert not isinstance(binary.value, NotAnArticle)
    with pytest.raises(NotAnArticle, match="empty"):
        read_article("x.txt", b"  \n\n")
    with pytest.raises(NotAnArticle, match="unsupported file type .png"):
        read_article("x.png", b"\x89PNG")


def test_cp1252_is_decoded_with_a_warning() -> None:
    data = "date 2020-01-01 Caf\u00e9 prices\n\n\u201cCoffee\u201d costs more.\n".encode("cp1252")
    article = read_article("x.txt", data)
    assert article.title == "Caf\u00e9 prices"
    assert any("not UTF-8" in warning for warning in article.warnings)


def test_utf8_bom_and_illegal_xml_characters() -> None:
    data = "\ufeffdate 2020-01-01 Bell\x07 rings\n\nText\x0b here.\n".encode()
    article = read_article("x.txt", data)
    assert article.title == "Bell rings"
    assert "\x0b" not in article.body_html


def _kept_in_xml(code: int) -> bool:
    """XML 1.0 §2.2 Char, without what it discourages and U+FFFD (the readers' rule)."""
    if code in (0x9, 0xA, 0xD) or 0x20 <= code <= 0x7E or 0xA0 <= code <= 0xD7FF:
        return True
    if 0xE000 <= code <= 0xFFFC:
        return not 0xFDD0 <= code <= 0xFDEF  # noncharacters
    return code >= 0x10000 and code & 0xFFFE != 0xFFFE  # each plane's last two are noncharacters


def test_strip_illegal_xml_keeps_exactly_the_characters_xml_allows() -> None:
    every = "".join(chr(code) for code in range(0x110000))
    kept = (char if _kept_in_xml(ord(char)) else " " if char in SEPARATORS else "" for char in every)
    assert strip_illegal_xml(every) == "".join(kept)


def test_reads_the_seed_articles(seeds: list[Path]) -> None:
    for seed in seeds:
        article = read_article(seed.name, seed.read_bytes())
        assert article.title and article.body_html.startswith("<p>")
        if seed.name == "000_0c7551087dfcb249.txt":
            assert article.metadata["date"] == datetime(2022, 1, 6)
            assert article.title.startswith("Kazakhstan, dozens of protesters killed")
            assert "<h2>Kazakhstan, Csto: “Disorders linked" in article.body_html


PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8">
<title>Ferry timetable changes</title>
<meta name="date" content="2023-03-01 07:45">
<meta property="article:modified_time" content="2023-03-02T10:00:00+01:00">
<meta name="keywords" content="Transport; Islands">
<meta name="author" content="Ana Ruiz, Ben Okafor">
<meta name="description" content="Winter sailings start a week early.">
<link rel="canonical" href="https://ferries.example.com/news/timetable">
</head><body><header>Site name</header><nav><a href="/">Home</a></nav>
<main><article><h1>Ferry timetable changes</h1><p>Sailings change on <a href="/t">Monday</a>.</p>
<script>track()</script><style>p{}</style></article></main><footer>Contact</footer></body></html>"""


def test_html_reader_takes_title_metadata_and_article() -> None:
    article = read("page.html", PAGE)
    assert article.title == "Ferry timetable changes"
    assert article.metadata == {
        "date": datetime(2023, 3, 1, 7, 45),
        "updated": datetime.fromisoformat("2023-03-02T10:00:00+01:00"),
        "topics": ["Transport", "Islands"],
        "authors": ["Ana Ruiz", "Ben Okafor"],
        "summary": "Winter sailings start a week early.",
        "link": "https://ferries.example.com/news/timetable",
    }
    body = article.body_html
    assert '<p>Sailings change on <a href="/t">Monday</a>.</p>' in body
    for chrome in ("<h1>", "Site name", "Home", "Contact", "track()", "<style>"):
        assert chrome not in body


def test_html_reader_falls_back_to_h1_main_body_and_time() -> None:
    article = read("x.htm", "<body><h1>Only a heading</h1><p>Text <time datetime='2020-02-02'>then"
                            "</time>.</p><meta name=author content=A><meta name=author content=B></body>")
    assert article.title == "Only a heading"
    assert article.metadata["date"] == datetime(2020, 2, 2)
    assert article.metadata["authors"] == ["A", "B"]
    assert article.body_html.startswith("<p>Text <time")


def test_html_without_title_is_an_error() -> None:
    with pytest.raises(ReadError, match="no title: add a <title> element or an <h1>"):
        read("x.html", "<p>No heading anywhere.</p>")


def test_html_page_of_a_site_without_title_takes_the_file_name() -> None:
    """A page with front matter is a site's (Jekyll, Hugo), which publishes it untitled: it is
    titled as a Markdown page of the site would be, not refused."""
    article = read("_posts/2021-05-06-open-day.html", "---\nlayout: post\n---\n<p>Doors at nine.</p>\n")
    assert article.title == "Open Day"
    assert article.warnings == ("no title: using the file name",)
    assert article.body_html.strip() == "<p>Doors at nine.</p>"


def test_pelican_markdown_header_lines() -> None:
    article = read("2019-04-01-pelican.md", "Title: My super title\nDate: 2010-12-02 10:14\n"
                   "Modified: 2010-12-31 23:59\nCategory: Python\nTags: pelican, publishing\n"
                   "Authors: Alexis Métaireau; Conan Doyle\nSummary: Short version\n"
                   "    for the index.\nStatus: hidden\n\nThis is the *content*.\n")
    assert article.title == "My super title"
    assert article.metadata == {
        "date": datetime(2010, 12, 2, 10, 14),
        "updated": datetime(2010, 12, 31, 23, 59),
        "topics": ["pelican", "publishing", "Python"],
        "authors": ["Alexis Métaireau", "Conan Doyle"],
        "summary": "Short version for the index.",
        "status": "hidden",
    }
    assert article.body_html.strip() == "<p>This is the <em>content</em>.</p>"


def test_markdown_that_merely_starts_with_a_colon_line_is_body() -> None:
    article = read("note.md", "# Notice\n\nWarning: the road is closed.\n")
    assert article.metadata == {}
    assert "Warning: the road is closed." in article.body_html


def test_jekyll_and_hugo_front_matter_keys() -> None:
    jekyll = read("_posts/2011-12-31-new-years-eve.md", "---\nlayout: post\ntitle: Party\n"
                  "date: 2011-12-31 23:59:59 -0500\ncategories: [events]\ntags: [party, night]\n"
                  "published: false\n---\nFun.\n")
    assert jekyll.metadata["date"] == datetime.fromisoformat("2011-12-31T23:59:59-05:00")
    assert jekyll.metadata["topics"] == ["party", "night", "events"]
    assert jekyll.metadata["published"] is False
    hugo = read("post.md", '+++\ntitle = "Spring"\ndate = 2019-03-26T08:47:11+01:00\n'
                'lastmod = "2019-04-01"\ndraft = true\nslug = "spring-is-here"\n+++\nBody.\n')
    assert hugo.title == "Spring"
    assert hugo.metadata["updated"] == datetime(2019, 4, 1)
    assert hugo.metadata["draft"] is True
    assert hugo.metadata["slug"] == "spring-is-here"


def test_markdown_without_any_title_takes_the_file_name() -> None:
    article = read("2020-01-02-quiet-street_names.md", "Just a body.\n")
    assert article.title == "Quiet Street Names"
    assert article.warnings == ("no title: using the file name",)


def test_pelican_reads_a_date_as_dateutil_does_only_when_it_names_the_whole_day() -> None:
    short = {"date": "03-23-24 16:30"}  # month first, a two-digit year, as Pelican reads it
    pelican.read_date(short)
    assert short["date"] == datetime(2024, 3, 23, 16, 30)
    for partial in ("March 23", "16:30"):  # Pelican fills these from today: not here
        metadata = {"date": partial}
        pelican.read_date(metadata)
        assert metadata["date"] == partial
    for unread in ("23 2024", "soon", "2024-02-30 10:00"):  # dateutil reads none: Pelican skips the file
        with pytest.raises(NotAnArticle, match="Pelican cannot read its date"):
            pelican.read_date({"date": unread})
    written = {"date": "2024-03-23 16:30"}  # feedsvc's own forms stay as they are
    pelican.read_date(written)
    assert written["date"] == "2024-03-23 16:30"


@pytest.mark.parametrize(("settings", "topics"), [
    ("", ["misc", "ice"]),  # Pelican's default category
    ('DEFAULT_CATEGORY = "notes"\n', ["notes", "ice"]),
    ('DEFAULT_CATEGORY = "notes"\nCATEGORY_SAVE_AS = ""\n', ["ice"]),  # categories off: none
])
def test_pelican_default_category_unless_the_site_turns_categories_off(
        tmp_path: Path, settings: str, topics: list[str]) -> None:
    (tmp_path / "pelicanconf.py").write_text('PATH = "content"\n' + settings)
    (tmp_path / "content").mkdir()
    article = read_article("moraine.md", b"Title: Moraine\nDate: 2024-03-02\nTags: ice\n\nText.\n",
                           load_site(tmp_path / "content"))
    assert article.metadata["topics"] == topics


@pytest.mark.parametrize(("written", "base_url"), [
    ('SITEURL = "https://moraine.example.org"\n', "https://moraine.example.org"),
    ('SITEURL = "moraine.example.org"\n', None),  # Pelican writes it as given; no base for feeds
    ('SITEURL = ""\n', None),
])
def test_a_site_url_that_is_no_absolute_http_url_is_no_base_url(tmp_path: Path, written: str,
                                                                 base_url: str | None) -> None:
    (tmp_path / "pelicanconf.py").write_text('PATH = "content"\n' + written)
    (tmp_path / "content").mkdir()
    assert load_site(tmp_path / "content").settings.get("base_url") == base_url
    assert load_settings(environ={"FEEDSVC_CONTENT_DIR": str(tmp_path / "content")}).base_url  # starts


@pytest.mark.parametrize(("written", "base_url"), [
    ('url: "https://dunes.example.org"\nbaseurl: blog\n', "https://dunes.example.org/blog"),  # as relative_url
    ('url: "https://dunes.example.org/"\nbaseurl: "/blog/"\n', "https://dunes.example.org/blog"),
    ('url: "http://[::1"\n', None),  # no URL: not one, and no traceback
])
def test_a_jekyll_base_url_is_its_url_and_baseurl_as_jekyll_joins_them(tmp_path: Path, written: str,
                                                                      base_url: str | None) -> None:
    (tmp_path / "_config.yml").write_text(written)
    assert load_site(tmp_path).settings.get("base_url") == base_url
    assert load_settings(environ={"FEEDSVC_CONTENT_DIR": str(tmp_path)}).base_url  # starts


def test_text_encoded_twice_as_utf8_is_repaired_with_a_warning() -> None:
    """A CMS that read UTF-8 as Latin-1 and wrote it again gives "Ã©" for "é" (the W3C feed
    validator flags it): each such pair is decoded once more, and a German »Straße« stays."""
    article = read_article("posts/quests.md", "Title: NPCÂ´s quests\n\nInfogrÃ¡fico, »Straße«, Â«citéÂ».".encode())
    assert article.title == "NPC´s quests"
    assert "Infográfico, »Straße«, «cité»." in article.body_html
    assert any("repaired 4 characters encoded twice" in warning for warning in article.warnings)
    untouched = read_article("posts/plain.md", "Title: Café\n\nÀ la carte, »Fuß«.".encode())
    assert not any("encoded twice" in warning for warning in untouched.warnings)
