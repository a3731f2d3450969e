"""Real-shaped inputs for bench/readers.py and the saved-page tests: a saved news page of
about 200 KB (navigation, teasers in several <article> elements, scripts, JSON-LD, a long
story, comments, a footer), and posts in each generator's form."""

from __future__ import annotations

import json
import random

WORDS = (
    "harbour council tram budget river bridge winter market school library museum station "
    "festival orchestra farmers harvest rainfall forecast election turnout parliament mayor "
    "hospital nurses vaccine research telescope comet glacier forest wildfire drought flood"
).split()


def sentence(rng: random.Random, words: int = 18) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def paragraph(rng: random.Random, sentences: int = 5) -> str:
    return " ".join(sentence(rng) for _ in range(sentences))


def teaser(rng: random.Random, number: int) -> str:
    return (f'<article class="teaser"><a href="/news/{number}"><img src="/t/{number}.jpg" alt="">'
            f"<h3>{sentence(rng, 6)}</h3></a><p>{sentence(rng, 12)}</p>"
            f'<a href="/news/{number}#comments">{number} comments</a></article>\n')


def news_page(seed: int = 1, story_paragraphs: int = 45, target_bytes: int = 200_000) -> str:
    """A saved news page: the story is the one long article among many teasers."""
    rng = random.Random(seed)
    metadata = {"@context": "https://schema.org", "@type": "NewsArticle",
                "headline": "The harbour reopens after the storm",
                "datePublished": "2024-03-05T08:30:00+01:00", "dateModified": "2024-03-05T11:00:00+01:00",
                "author": [{"@type": "Person", "name": "Ada Berg"}],
                "keywords": "harbour, storm, city"}
    head = ("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<title>The harbour reopens after the storm | City Paper</title>"
            '<meta property="og:title" content="The harbour reopens after the storm">'
            '<meta property="og:description" content="Three days after the storm, the piers are open again.">'
            '<meta property="article:published_time" content="2024-03-05T08:30:00+01:00">'
            f'<script type="application/ld+json">{json.dumps(metadata)}</script>'
            "<style>" + "body{margin:0}.teaser{float:left}" * 200 + "</style>"
            "<script>" + "window.dataLayer=window.dataLayer||[];" * 300 + "</script></head><body>")
    nav = "<header><nav><ul>" + "".join(
        f'<li><a href="/section/{i}">{rng.choice(WORDS).title()}</a></li>' for i in range(60))
    nav += "</ul></nav></header>"
    sidebar = "<aside class=\"most-read\">" + "".join(teaser(rng, i) for i in range(12)) + "</aside>"
    story = ('<main><article class="story"><h1>The harbour reopens after the storm</h1>'
             '<p class="byline">By <a href="/authors/ada">Ada Berg</a>, '
             '<time datetime="2024-03-05T08:30:00+01:00">'
             "5 March 2024</time></p>"
             + "".join(f"<p>{paragraph(rng)}</p>\n" + (f"<h2>{sentence(rng, 5)}</h2>" if i % 9 == 8 else "")
                       for i in range(story_paragraphs))
             + "</article>")
    comments = "<section id=\"comments\">" + "".join(
        f'<div class="comment"><a href="/u/{i}">user{i}</a><p>{sentence(rng, 10)}</p></div>'
        for i in range(40)
    ) + "</section></main>"
    related = "<section class=\"related\">" + "".join(teaser(rng, 100 + i) for i in range(20)) + "</section>"
    links = "".join(f'<a href="/f/{i}">{rng.choice(WORDS)}</a> ' for i in range(120))
    footer = f"<footer>{links}</footer>"
    page = head + nav + sidebar + story + comments + related
    filler = []
    number = 200
    while len(page) + len(footer) + sum(map(len, filler)) < target_bytes:  # more teasers, as real pages carry
        filler.append(f'<div class="promo"><span>{number}</span>' + teaser(rng, number) + "</div>")
        number += 1
    return page + "".join(filler) + footer + "</body></html>"
