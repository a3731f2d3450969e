"""A first paragraph of plain text is summarized without parsing the HTML (normalize.make_summary),
into the very summary the parser gives."""

from __future__ import annotations

import random

import pytest

from feedsvc.normalize import make_summary

PARAGRAPHS = [
    "<p>Short one.</p>\n<p>Second.</p>",
    "<p>  Spaced\n words\u2003and\ttabs  </p>",
    "<p>" + "word " * 200 + "</p>",  # cut near the summary's length
    "<p>" + "x" * 400 + "</p>",  # one long word
    "<p>Quotes \"and\" 'these' stay.</p><h2>Next</h2>",
    "<p>Ünïcödé, 東京, Москва.</p>",
]
NOT_PLAIN = [
    "<p>   </p><p>Second paragraph.</p>",  # a first paragraph without text
    "<p>With <em>markup</em> inside.</p>",
    "<p>An &amp; reference.</p>",
    "<h1>Heading</h1><p>Then text.</p>",
    "\n<p>After a newline.</p>",
    "<p>Unclosed paragraph",
    "",
]


@pytest.mark.parametrize("html", PARAGRAPHS + NOT_PLAIN)
def test_a_plain_first_paragraph_gives_the_parsers_summary(html: str) -> None:
    """The same HTML with an attribute on its first <p> takes the parser's way."""
    parsed = make_summary({}, html.replace("<p>", '<p class="x">', 1))
    assert make_summary({}, html) == parsed


def test_random_paragraphs_summarize_alike() -> None:
    rng = random.Random(7)
    pieces = ["a", "word", " ", "  ", "\n", "\t", "\u00a0", "\u2003", ".", ",", "—", "é",
              "<", ">", "&", "'", '"']
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 40)))
        html = f"<p>{text}</p>\n<p>Next one.</p>"
        assert make_summary({}, html) == make_summary({}, html.replace("<p>", '<p class="x">', 1)), html


def test_the_summary_metadata_still_wins() -> None:
    assert make_summary({"summary": "Given"}, "<p>Text.</p>") == "Given"
