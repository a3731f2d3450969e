"""Readers: the seed's text format, Key: value headers, Markdown with front matter."""

from __future__ import annotations

from pathlib import Path

import pytest

from feedsvc.model import ReadError
from feedsvc.readers import read_article, reader_for

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
    assert article.metadata["date"] == "2021-02-03"


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
    assert article.metadata == {"date": "2022-05-01 09:30", "tags": "politics; city"}
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
    assert article.metadata["tags"] == ["a", "b"]
    assert str(article.metadata["date"]) == "2023-04-05"
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
        ("no title here\n", "no title"),
    ],
)
def test_markdown_errors_say_what_is_wrong(text: str, reason: str) -> None:
    with pytest.raises(ReadError, match=reason):
        read("bad.md", text)


def test_unknown_extension_has_no_reader() -> None:
    assert reader_for("photo.jpg") is None
    assert reader_for("folder.md/readme") is None
    assert reader_for("notes.MD") is not None


def test_binary_and_empty_files_are_errors() -> None:
    with pytest.raises(ReadError, match="binary"):
        read_article("x.txt", b"\x00\x01\x02")
    with pytest.raises(ReadError, match="empty"):
        read_article("x.txt", b"  \n\n")


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


def test_reads_the_seed_articles(seeds: list[Path]) -> None:
    for seed in seeds:
        article = read_article(seed.name, seed.read_bytes())
        assert article.title and article.body_html.startswith("<p>")
        if seed.name == "000_0c7551087dfcb249.txt":
            assert article.metadata["date"] == "2022-01-06"
            assert article.title.startswith("Kazakhstan, dozens of protesters killed")
            assert "<h2>Kazakhstan, Csto: “Disorders linked" in article.body_html
