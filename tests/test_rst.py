"""reStructuredText, read as Pelican reads it, with file insertion and raw markup off."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from feedsvc.errors import NotAnArticle, ReadError
from feedsvc.normalize import sanitize_html
from feedsvc.readers import read_article
from feedsvc.readers.rst import MAX_ADORNMENTS, MAX_CHARACTERS, MAX_LINES
from feedsvc.readers.site import load_site

ARTICLE = """\
Harbour news
############

:date: 2021-12-12 19:30
:modified: 2021-12-13
:tags: music, winter
:category: Culture
:author: Ola Nord
:summary: A concert.
:status: published
:slug: winter-concert

The choir sang *three* songs.
"""


def read(text: str):
    return read_article("news/a.rst", text.encode())


def test_pelican_metadata_and_body() -> None:
    article = read(ARTICLE)
    assert article.title == "Harbour news"
    assert article.metadata == {
        "date": datetime(2021, 12, 12, 19, 30), "updated": datetime(2021, 12, 13),
        "topics": ["music", "winter", "Culture"], "authors": ["Ola Nord"], "summary": "A concert.",
        "status": "published", "slug": "winter-concert",
    }
    assert article.body_html.strip() == "<p>The choir sang <em>three</em> songs.</p>"
    assert "docinfo" not in article.body_html and "Ola Nord" not in article.body_html


@pytest.mark.parametrize("directive", [
    ".. include:: /etc/passwd\n",
    ".. raw:: html\n   :file: /etc/passwd\n",
    ".. csv-table:: x\n   :file: /etc/passwd\n",
    ".. include:: {outside}\n",
])
def test_directives_that_read_files_are_off(directive: str, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-LINE")
    article = read(ARTICLE + "\n" + directive.format(outside=secret))
    assert "<script>" not in article.body_html and "root:" not in article.body_html
    assert "TOP-SECRET" not in article.body_html
    assert article.warnings and article.warnings[0].startswith("reStructuredText: ")


def test_raw_html_passes_through_to_the_sanitizer() -> None:
    """`.. raw:: html` is published as Pelican publishes it, then sanitized as any HTML is."""
    article = read(ARTICLE + "\n.. raw:: html\n\n   <div class=\"box\">In a <b>box</b></div>\n"
                   "   <script>alert(1)</script>\n\n.. raw:: latex\n\n   \\textbf{latex only}\n")
    assert '<div class="box">In a <b>box</b></div>' in article.body_html
    assert "latex only" not in article.body_html and article.warnings == ()
    published = sanitize_html(article.body_html, "https://example.org/")
    assert "In a <b>box</b>" in published and "<script>" not in published and "alert" not in published


def test_without_a_title_the_file_name_is_used() -> None:
    article = read_article("news/2021-01-02-plain-words.rst", b"Just a paragraph.\n")
    assert article.title == "Plain Words"
    assert article.warnings == ("no title: using the file name",)


@pytest.mark.parametrize(("text", "outcome"), [
    ("- " * 3000 + "x\n", "reStructuredText nested too deeply to read"),
    ("> " * 3000 + "x\n", "&gt; &gt; &gt;"),
    ("`" * 200_000, "reStructuredText: (ERROR/3) Line 4 exceeds the line-length-limit."),
    ("*a " * 100_000, "reStructuredText: (ERROR/3) Line 4 exceeds the line-length-limit."),
    ("x\n" * (MAX_LINES - 3), "x\nx"),  # with the title's three lines, MAX_LINES
    ("x\n" * (MAX_LINES - 2), f"reStructuredText has {MAX_LINES + 1:,} lines, over the limit of {MAX_LINES:,}"),
    ("x" * 9_000 + "\n", "x" * 9_000),
    (("x" * 9_000 + "\n") * (MAX_CHARACTERS // 9_001 + 1),
     f"reStructuredText has {(MAX_CHARACTERS // 9_001 + 1) * 9_001 + 13:,} characters, over the limit of {MAX_CHARACTERS:,}"),
    ("a\n\n----\n\n" * (MAX_ADORNMENTS - 1) + "a\n", "<hr"),  # with the title's, MAX_ADORNMENTS
    ("a\n\n----\n\n" * MAX_ADORNMENTS + "a\n",
     f"reStructuredText has {MAX_ADORNMENTS + 1} title adornments and transitions, over the limit of {MAX_ADORNMENTS}"),
])
def test_hostile_rst_is_an_error_or_text(text: str, outcome: str) -> None:
    """Each is refused with a reason, or read; how long they take is bench/hostile.py's (rst-*)."""
    try:
        article = read("Title\n#####\n\n" + text)
    except ReadError as exc:
        assert str(exc) == outcome
    else:
        assert outcome in article.body_html or outcome in article.warnings

@pytest.mark.parametrize(("settings", "skipped"), [
    ("", {"warned.rst", "unknown.rst"}),  # halt_level 2, Pelican's own: a warning stops it
    ("DOCUTILS_SETTINGS = {'halt_level': 3}\n", {"unknown.rst"}),  # an error (level 3) only
    ("DOCUTILS_SETTINGS = {'halt_level': 'severe'}\n", set()),
])
def test_pelican_skips_what_docutils_warns_about(settings: str, skipped: set[str], tmp_path: Path) -> None:
    (tmp_path / "pelicanconf.py").write_text("SITENAME = 'Halts'\n" + settings)
    files = {"warned.rst": "A title\n####\n\n:date: 2024-01-01\n\nText.\n",  # underline too short
             "unknown.rst": "Title\n#####\n\n:date: 2024-01-01\n\n.. youtube:: abc\n",
             "plain.rst": "Title\n#####\n\n:date: 2024-01-01\n\nText.\n"}
    site = load_site(tmp_path)
    refused = set()
    for name, text in files.items():
        try:
            read_article(name, text.encode(), site)
        except NotAnArticle as exc:
            assert str(exc).startswith("not an article: Pelican skips a file docutils warns about: ")
            refused.add(name)
    assert refused == skipped
    assert read_article("warned.rst", files["warned.rst"].encode()).warnings  # no site: published
