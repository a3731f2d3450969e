"""Saved news pages: the main article as a reading mode picks it, metadata from JSON-LD."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path

from feedsvc.readers import read_article

sys.path.insert(0, str(Path(__file__).parents[1] / "bench"))
from pages import news_page  # noqa: E402


def read(text: str):
    return read_article("saved/story.html", text.encode())


def test_a_news_page_gives_its_story_not_a_teaser() -> None:
    article = read(news_page(seed=4))
    assert article.title == "The harbour reopens after the storm"  # <title> without the paper's name
    assert article.metadata["date"] == datetime.fromisoformat("2024-03-05T08:30:00+01:00")
    assert article.metadata["updated"] == datetime.fromisoformat("2024-03-05T11:00:00+01:00")
    assert article.metadata["authors"] == ["Ada Berg"]
    assert article.metadata["topics"] == ["harbour", "storm", "city"]
    body = article.body_html
    assert body.count("<p>") >= 45 and "class=\"teaser\"" not in body and "user1<" not in body
    assert "<h1>" not in body and "dataLayer" not in body


def test_the_first_article_element_is_not_simply_taken() -> None:
    story = "".join(f"<p>Paragraph {n} of the council's story about the new bridge.</p>" for n in range(20))
    page = ("<html><head><title>Bridge</title></head><body>"
            "<article><h3><a href='/a'>Teaser one</a></h3><p><a href='/a'>Read more</a></p></article>"
            f"<div class='wrap'><article class='story'>{story}</article>"
            "<section class='comments'><p><a href='/u'>anna</a> great</p></section></div>"
            "<article><h3><a href='/b'>Teaser two</a></h3></article></body></html>")
    body = read(page).body_html
    assert "Paragraph 0 of" in body and "Paragraph 19 of" in body
    assert "Teaser" not in body and "anna" not in body


def test_json_ld_in_a_graph_gives_headline_dates_and_authors() -> None:
    data = {"@context": "https://schema.org", "@graph": [
        {"@type": "WebSite", "name": "Paper"},
        {"@type": ["NewsArticle"], "headline": "Tram line opens", "datePublished": "2024-05-01T10:00:00Z",
         "author": [{"@type": "Person", "name": "Jo Li"}, "Sam Ode"], "keywords": ["trams", "city"]},
    ]}
    page = (f"<html><head><script type='application/ld+json'>{json.dumps(data)}</script>"
            "<script type='application/ld+json'>{broken</script></head>"
            "<body><main><p>The first tram ran at dawn.</p></main></body></html>")
    article = read(page)
    assert article.title == "Tram line opens"
    assert article.metadata["date"] == datetime.fromisoformat("2024-05-01T10:00:00+00:00")
    assert article.metadata["authors"] == ["Jo Li", "Sam Ode"]
    assert article.metadata["topics"] == ["trams", "city"]
    assert "first tram" in article.body_html


def test_a_story_split_into_wrapped_blocks_is_read_whole() -> None:
    """Some publishers wrap every few paragraphs of a story in blocks of their own, with
    share buttons and teasers between them: the story is all of its blocks."""
    parts = [f"Part {number} of the ferry story. " + "The crossing took longer than planned, " * 12
             for number in range(1, 7)]
    blocks = "".join(
        f'<div class="block"><div class="grid"><div class="cell"><div class="text">'
        f"<p>{part}</p><p>{part[::-1]}</p></div></div></div></div>"
        '<div class="share"><a href="/s/1">Share</a> <a href="/s/2">Post</a></div>'
        for part in parts)
    teasers = "".join(f'<li><a href="/n/{i}">Another story {i}</a></li>' for i in range(30))
    page = (f"<html><head><title>Ferry</title></head><body><nav><ul>{teasers}</ul></nav>"
            f'<div class="page"><div class="story">{blocks}</div>'
            f'<div class="more"><ul>{teasers}</ul></div></div></body></html>')
    body = read(page).body_html
    assert all(f"Part {number} of the ferry story." in body for number in range(1, 7))
    assert "Another story 3" not in body
