"""Saved news pages: the main article as a reading mode picks it, metadata from JSON-LD."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path

import lxml.html
import pytest

from feedsvc.errors import ReadError
from feedsvc.readers import html as html_reader
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


def test_a_story_written_as_one_div_per_paragraph_is_the_story() -> None:
    """Some pages write a story as a <div> per paragraph (readability reads each as one):
    it is the story, not a box of author notes written with <p>."""
    story = "".join(f"<div><span>Line {n} of the chapter, where the rowers reach the far shore.</span></div>"
                    for n in range(30))
    notes = "".join(f"<p>Note {n}: thanks for reading, and see you next week for more.</p>" for n in range(3))
    page = (f"<html><head><title>Chapter</title></head><body><div class='chapter'>{story}</div>"
            f"<div class='notes'>{notes}</div></body></html>")
    body = read(page).body_html
    assert "Line 0 of the chapter" in body and "Line 29 of the chapter" in body
    assert "Note 0" not in body


def test_scripts_and_menus_are_not_text_that_makes_a_story() -> None:
    """A script's text (an advertisement's code) and a country menu's options are no story."""
    code = "var slot = 'leaderboard'; document.write(ad(slot, 728, 90, keywords, random));" * 40
    countries = "".join(f"<option>Country number {n} of the world</option>" for n in range(200))
    story = "".join(f"<p>Paragraph {n} of the story about the new library.</p>" for n in range(8))
    page = (f"<html><head><title>Library</title></head><body>"
            f"<div id='ads'><div class='slot'><script>{code}</script></div></div>"
            f"<div class='signup'><div><select>{countries}</select></div></div>"
            f"<div class='story'>{story}</div></body></html>")
    body = read(page).body_html
    assert "Paragraph 0 of the story" in body and "Paragraph 7 of the story" in body
    assert "Country number" not in body


def test_class_names_hint_at_the_story_as_in_readability() -> None:
    """Two blocks of equal text: the one whose class says story wins over a sidebar."""
    side = "".join(f"<p>Item {n} of the list of things we also wrote about last year.</p>" for n in range(6))
    story = "".join(f"<p>Step {n} of the plan for the town square and its fountain.</p>" for n in range(6))
    page = (f"<html><head><title>Square</title></head><body>"
            f"<div class='sidebar'>{side}</div><div class='post-body'>{story}</div></body></html>")
    body = read(page).body_html
    assert "Step 0 of the plan" in body and "Item 0 of the list" not in body


def test_markup_inside_scripts_neither_nests_nor_counts_as_attributes() -> None:
    """A script's strings may hold tags (self-closed XML, `<![CDATA[` JSON of thousands of
    words): they are no elements of the page, for the depth and attribute limits."""
    xml = "".join(f'<tabItem rank="{n}" team="T{n}" score="3:2"/>' for n in range(1200))
    words = " ".join(f"word{n}" for n in range(3000))
    page = (f"<html><head><title>Scores</title><script><![CDATA[ var data = '{words}'; ]]></script>"
            f"<script>var table = '{xml}';</script></head>"
            "<body><article><p>The home team won the final by one goal.</p></article></body></html>")
    assert "home team won" in read(page).body_html


def test_a_story_in_blocks_wrapped_alike_is_read_whole_but_not_a_live_feed_beside_it() -> None:
    """Parts of one story, each wrapped as the others, are read together even when the later
    ones are short; blocks of another kind that score as much (a live feed) are not."""
    def lines(label: str, count: int) -> str:
        return "".join(f"<p>{label} line {n} of the report on the dam and the river.</p>" for n in range(count))

    parts = "".join(f'<div class="body-text"><div class="content">{lines(f"Part {part}", count)}</div></div>'
                    '<div class="ad"><a href="/x">Advertisement</a></div>'
                    for part, count in enumerate((24, 9, 8)))  # the later parts a third of the first
    live = "".join(f'<div class="live-item">{lines(f"Live {n}", 14)}</div>' for n in range(3))

    def page(story: str) -> str:
        return (f"<html><head><title>Dam</title></head><body><div class='main'><div class='story'>{story}</div>"
                f"<div class='live'>{live}</div></div></body></html>")

    body = read(page(parts)).body_html
    assert all(f"Part {part} line 0 of" in body for part in range(3)) and "Live 0" not in body
    alone = read(page(f'<div class="body-text"><div class="content">{lines("Part 0", 24)}</div></div>')).body_html
    assert "Part 0 line 23 of" in alone and "Live 0" not in alone


def test_chrome_and_unwrapped_tags_leave_the_text_around_them_in_place() -> None:
    """Chrome (meta, script, nav, ...) goes with what it holds; svg, object, iframe lose their
    tags only. Either way the text around them stays where it was, in order, however many
    there are (each once made the text before it copied again)."""
    container = lxml.html.fragment_fromstring(
        "<div>a<meta name=x content=y>b<script>no</script>c<p>d</p>e<nav>menu</nav>f"
        "<object>g<i>h</i>i<svg>j</svg>k</object>l</div>")
    html_reader._drop_chrome(container)
    assert lxml.html.tostring(container, encoding="unicode") == "<div>abc<p>d</p>efg<i>h</i>ijkl</div>"
    many = "<div>" + "<meta name=x content=y>text " * 3_000 + "</div>"
    container = lxml.html.fragment_fromstring(many)
    html_reader._drop_chrome(container)
    assert container.text == "text " * 3_000 and len(container) == 0


def test_a_story_in_blocks_between_headings_is_read_whole() -> None:
    """A story written as a <div> of paragraphs under each heading: the best block's siblings that score a good share of it, and paragraphs of prose beside it,
    are read with it (readability's sibling rule); a sidebar among them and the headings'
    navigation are not."""
    first = "".join(f"<p>Morning {n}: the bakers light the ovens before the square wakes up.</p>"
                    for n in range(8))
    second = "".join(f"<p>Noon {n}: the loaves go out to the cafés along the river, still warm.</p>"
                     for n in range(4))
    side = "".join(f"<p>Also read {n}: the bakery that closed last spring, and why.</p>" for n in range(4))
    page = (f"<html><head><title>Bakers</title></head><body><div class='column'><h1>Bakers</h1>"
            f"<div>{first}</div><h2>Noon</h2><div>{second}</div>"
            "<p>By evening the ovens are cold again, and the square is quiet.</p>"
            f"<div class='sidebar'>{side}</div></div></body></html>")
    body = read(page).body_html
    assert "Morning 0:" in body and "Noon 3:" in body and "By evening the ovens" in body
    assert body.index("Morning 7:") < body.index("Noon 0:") < body.index("By evening")
    assert "Also read" not in body


def test_what_the_page_hides_is_neither_the_story_nor_in_it() -> None:
    """What a browser would not show (hidden, aria-hidden, display: none, visibility:
    hidden) is no story, however long, and leaves the story; the text after it stays."""
    hidden_story = "".join(f"<p>Draft {n} of a story the editors never showed anyone at all.</p>"
                           for n in range(20))
    story = "".join(f"<p>Line {n} of the ferry timetable change, explained for the islanders.</p>"
                    for n in range(6))
    page = (f"<html><head><title>Ferry</title></head><body>"
            f"<div style='display: none'>{hidden_story}</div>"
            f"<div class='story'>{story}<p>Fares<span aria-hidden='true'> (icon)</span> stay the same."
            "<span hidden>secret</span> Boats<em style='visibility:hidden'> ghost</em> run hourly.</p>"
            "</div></body></html>")
    body = read(page).body_html
    assert "Line 0 of the ferry" in body and "Line 5 of the ferry" in body
    assert "Draft" not in body
    assert "Fares stay the same. Boats run hourly." in body
    many = "<html><body><div>" + "<span hidden>a</span>word " * 3_000 + "</div></body></html>"
    root = lxml.html.document_fromstring(many)
    html_reader._drop_hidden(root.find("body"))
    assert root.find("body/div").text == "word " * 3_000 and len(root.find("body/div")) == 0


def test_a_story_in_two_parts_wrapped_alike_by_name_is_read_whole() -> None:
    """Two blocks of the same tag and class, each in a section of its own with an
    advertisement between them: one story (the second part a third of the first), read from
    their nearest common ancestor; the teasers beside it are not."""
    def lines(label: str, count: int) -> str:
        return "".join(f"<p>{label} {n}: the orchard's new cider press, row by row.</p>"
                       for n in range(count))

    teasers = "".join(f'<div class="teaser"><a href="/t/{n}">Teaser {n} about something else</a></div>'
                      for n in range(12))
    page = (f"<html><head><title>Cider</title></head><body><div class='wrap'>"
            f"<section><div class='post-text'>{lines('First', 15)}</div></section>"
            "<aside><a href='/ad'>Advertisement</a></aside>"
            f"<section><div class='post-text'>{lines('Second', 5)}</div></section></div>"
            f"<div class='more'>{teasers}</div></body></html>")
    body = read(page).body_html
    assert "First 0:" in body and "First 14:" in body and "Second 0:" in body and "Second 4:" in body
    assert "Teaser 0" not in body


def test_the_site_name_after_the_headline_is_not_the_title() -> None:
    """`Headline - Site` is titled `Headline` when og:site_name names the site (or the JSON-LD
    headline shows where the headline ends); a title that merely ends with the site's name,
    or holds nothing before the separator, stays whole."""
    def title(page_title: str, site_name: str) -> str:
        return read(f"<html><head><title>{page_title}</title><meta property='og:site_name' "
                    f"content='{site_name}'></head><body><p>The pier reopened.</p></body></html>").title

    assert title("Pier reopens after repairs – Harbour Post", "Harbour Post") == \
        "Pier reopens after repairs"
    assert title("Pier reopens after repairs | Harbour Post", " Harbour  Post") == \
        "Pier reopens after repairs"
    assert title("Pier reopens after repairs at Harbour Post", "Harbour Post") == \
        "Pier reopens after repairs at Harbour Post"
    assert title("| Harbour Post", "Harbour Post") == "| Harbour Post"
    assert title("Pier reopens – Harbour Post", "Other Paper") == "Pier reopens – Harbour Post"


def test_json_ld_wrapped_in_cdata_gives_the_date_and_headline() -> None:
    """Pages written as XHTML put their JSON-LD in <![CDATA[ ... ]]>: it is read as without."""
    data = {"@type": "BlogPosting", "headline": "Night ferry returns",
            "datePublished": "2023-11-02T21:15:00Z"}
    page = ("<html><head><title>Night ferry returns | Harbour Post</title>"
            f"<script type='application/ld+json'>\n  <![CDATA[\n  {json.dumps(data)}\n  ]]>\n</script></head>"
            "<body><main><p>The night ferry is back on the timetable.</p></main></body></html>")
    article = read(page)
    assert article.metadata["date"] == datetime.fromisoformat("2023-11-02T21:15:00+00:00")
    assert article.title == "Night ferry returns"


def test_the_byline_names_the_author_when_no_metadata_does() -> None:
    """Without an author in <meta> or JSON-LD, the page's byline gives it, as a reading mode
    finds it: rel="author", itemprop="author" (its itemprop="name"), a class or id saying
    byline or author; not a sign-in box classed "authorization", not a line holding a date.
    Open Graph's article:author is a profile's address, no name."""
    def authors(head: str, body: str) -> object:
        page = (f"<html><head><title>Kiln</title>{head}</head><body><div class='authorization'>Sign in</div>"
                f"{body}<div class='story'><p>The kiln was fired for the first time this spring.</p></div>"
                "</body></html>")
        return read(page).metadata.get("authors")

    assert authors("", "<p class='byline'>By Mara Lind</p>") == ["Mara Lind"]
    assert authors("", "<p class='post-Author'>Posted by Mara Lind</p>") == ["Mara Lind"]
    assert authors("", "<a rel='author' href='/m'>Mara Lind</a>") == ["Mara Lind"]
    assert authors("", "<div itemprop='author'><img alt=''><span itemprop='name'>Mara Lind</span> "
                       "<span>Potter</span></div>") == ["Mara Lind"]
    assert authors("", "<p class='byline'>Mara Lind, 3 May 2024</p><span class='author'>Tom Ash</span>") \
        == ["Tom Ash"]
    assert authors("<meta property='article:author' content='https://social.example/mara'>",
                   "<p class='byline'>By Mara Lind</p>") == ["Mara Lind"]
    assert authors("<meta name='author' content='Ida Wren'>", "<p class='byline'>By Mara Lind</p>") == \
        ["Ida Wren"]
    assert authors("", "<p class='writers'>Mara Lind</p>") is None


def _story(count: int = 12) -> str:
    return "".join(f"<p>Part {n} of the report on the river's new lock, with figures, dates and names.</p>"
                   for n in range(count))


def test_what_follows_the_story_in_its_container_is_cleaned_out() -> None:
    """Inside the chosen story, readability's cleaning: related links, share buttons,
    comments, a sign-up form, an aside and a strip of thumbnails go; a list of the story's
    points, a table of data full of links and code stay."""
    points = "<ul><li>The lock opens in May.</li><li>Boats pay by the metre.</li></ul>"
    related = "".join(f"<a href='/r{n}'>Another story number {n}</a> " for n in range(6))
    table = ("<table><tr><th>Gate</th><th>Source</th></tr>"
             + "".join(f"<tr><td>{n}</td><td><a href='/g{n}'>gate log {n}</a></td></tr>" for n in range(4))
             + "</table>")
    page = ("<html><head><title>River lock</title></head><body><article class='story'>"
            f"{_story()}{points}{table}<pre><code><a href='/x'>link in code</a></code></pre>"
            f"<div class='more'><h3>More</h3><p>{related}</p></div>"
            "<div class='related'><p>A sister paper's story, long enough to read as prose here.</p></div>"
            "<div class='share-tools'><a href='/s'>Share on a network</a></div>"
            "<div id='comments'><p>A reader wrote something, at length, about this story.</p></div>"
            "<form><p>Your address:</p><input name='mail'><button>Sign up</button></form>"
            "<aside><p>Advertisement</p></aside>"
            "<div><img src='t1.jpg'><img src='t2.jpg'><img src='t3.jpg'></div>"
            "</article></body></html>")
    body = read(page).body_html
    assert "Part 0 of the report" in body and "Part 11 of the report" in body
    assert "Boats pay by the metre." in body and "gate log 3" in body and "link in code" in body
    for gone in ("Another story number", "sister paper", "Share on a network", "A reader wrote", "Your address",
                 "Advertisement", "t1.jpg"):
        assert gone not in body, gone


def test_a_site_whose_every_block_says_widget_keeps_its_story() -> None:
    """When the class hints would leave less than a short story (page builders class every
    block "widget"), they are not weighed, as readability tries again; what is mostly
    links still goes."""
    blocks = "".join(f"<div class='builder-widget'><div class='builder-widget-box'><p>{paragraph}</p></div></div>"
                     for paragraph in (_story(4), _story(4)))
    links = "<div class='box'><div><a href='/a'>Home</a> <a href='/b'>Shop</a></div></div>"
    page = f"<html><head><title>Lock</title></head><body><main>{blocks}{links}</main></body></html>"
    body = read(page).body_html
    assert body.count("Part 2 of the report") == 2 and "Shop" not in body



def test_self_closed_icons_do_not_count_as_nesting_and_what_libxml2_would_drop_is_refused() -> None:
    """`<use .../>` closes itself as libxml2 reads it: a page of 600 icons is no 600
    elements deep. A page nested past libxml2's 255 levels is refused, not published without
    what lies deeper."""
    icons = "<svg><use href='#share'/></svg> " * 600
    page = f"<html><head><title>Icons</title></head><body><article>{_story()}{icons}</article></body></html>"
    assert "Part 11 of the report" in read(page).body_html
    deep = "<html><head><title>Deep</title></head><body>" + "<div><span>" * 150 + "the end</body></html>"
    with pytest.raises(ReadError, match="HTML nested 300 elements deep; at most 255 are read"):
        read(deep)


def test_comments_longer_than_the_story_are_left_out_before_it_is_looked_for() -> None:
    """Readability's unlikely parts (class or id saying comments, menu, sidebar... unless
    it also says article or content; menus and dialogs by role) are left out before the
    story is looked for: 60 comments do not outweigh the story, and the story holds none
    of them. A story that is itself inside such a part (a site's "site_header" wrapping
    everything) is found again among all the page, and what <noscript> holds is no story."""
    comments = "".join(f"<p>Reader {n} thinks the lock, the fees and the council are all wrong, and "
                       "says so at length, twice over.</p>" for n in range(60))
    page = ("<html><head><title>Lock</title></head><body>"
            f"<div class='post'>{_story()}<div class='disqus-replies'>{comments}</div></div></body></html>")
    body = read(page).body_html
    assert "Part 11 of the report" in body and "Reader" not in body
    consent = "".join("<p>We would like to share data about your visit, with many partners, for years.</p>"
                      for _ in range(8))
    wrapped = ("<html><head><title>Lock</title></head><body>"
               f"<noscript><div class='fullscreen'>{consent}</div></noscript>"
               f"<div class='row site_header'><div class='story'>{_story()}</div></div></body></html>")
    body = read(wrapped).body_html
    assert "Part 11 of the report" in body and "share data" not in body


def test_the_byline_and_time_in_a_story_header_are_read_before_the_header_leaves() -> None:
    """A story's header is one of readability's unlikely parts, and it leaves the story;
    the byline and the <time> in it still name the author and date the article."""
    page = ("<html><head><title>Lock</title></head><body><article class='post'>"
            "<header class='entry-header'><address><a rel='author' href='/u/ines'>Ines Moreau</a></address>"
            "<time datetime='2025-04-02T09:15:00+02:00'>2 April</time></header>"
            f"{_story()}</article></body></html>")
    article = read(page)
    assert article.metadata["authors"] == ["Ines Moreau"]
    assert article.metadata["date"] == datetime.fromisoformat("2025-04-02T09:15:00+02:00")
    assert "Part 11 of the report" in article.body_html and "2 April" not in article.body_html


def test_a_date_at_the_unix_epoch_is_no_date() -> None:
    """1970-01-01T00:00:00Z is what systems write for a date they do not have (a real page's
    JSON-LD gave it for both dates): left out with a warning, as an unreadable date is."""
    page = ("<html><head><title>Trade</title><script type='application/ld+json'>"
            '{"@type": "NewsArticle", "datePublished": "1970-01-01T01:00:00+01:00", '
            '"dateModified": "1970-01-01T00:00:00Z"}</script></head>'
            f"<body><article>{_story()}</article></body></html>")
    article = read(page)
    assert "date" not in article.metadata and "updated" not in article.metadata
    assert any("modified: the Unix epoch" in warning for warning in article.warnings)
    assert read(page.replace("1970-01-01T01:00:00+01:00", "1970-01-01T01:00:01+01:00")).metadata["date"] \
        == datetime.fromisoformat("1970-01-01T01:00:01+01:00")


def test_a_story_written_as_text_beside_blocks_in_its_div_is_the_story() -> None:
    """A story written as the text of its <div>, between blocks of its own (a title, images,
    spacer <div>s): readability wraps each run of such text in a paragraph of the div's; it
    is the story, not the shorter footer."""
    runs = [f"The town council voted on item {n}, the new ferry timetable, after a long debate." * 2
            for n in range(3)]
    story = "".join(f"{run}<div class='spacer'></div>" for run in runs)
    page = (f"<html><head><title>Council</title></head><body>"
            f"<div class='news'><p class='title'>Council votes</p><small>Monday</small><br>{story}</div>"
            f"<div class='address'><p>Town Hall, Market Square 1, open weekdays from nine to five.</p></div>"
            f"</body></html>")
    body = read(page).body_html
    assert "item 0, the new ferry timetable" in body and "item 2, the new ferry timetable" in body
    assert "Town Hall" not in body


def test_a_self_closed_script_hides_what_follows_it_as_a_browser_does() -> None:
    """`<script/>`: the slash means nothing in HTML; what follows is the script, not text."""
    story = "".join(f"<p>Paragraph {n} of the story about the harbour festival.</p>" for n in range(8))
    page = (f"<html><head><title>Festival</title></head><body><div class='story'>{story}"
            f"<script type='text/javascript'/>window.setup({{slot: 'festival'}}); loadWidgets();</script>"
            f"<style/>.story {{ color: red }}</style></div></body></html>")
    body = read(page).body_html
    assert "Paragraph 7 of the story" in body
    assert "loadWidgets" not in body and "color: red" not in body


def test_a_short_post_above_long_comments_is_the_story_not_the_comments() -> None:
    """A post shorter than a reading mode's 500 characters is looked for again among all the
    page; its comments still hold no text then (a class or id saying comments, disqus or
    replies): the post is the story, not the comments, nor the post with its comments. A post
    classed `commented` (it has comments) is no comment."""
    comments = "".join(f"<li class='comment'><div class='comment-body'><p>Reader {n} writes a long "
                       "answer about the photograph, the light over the bay and the old pier, twice over."
                       "</p></div></li>" for n in range(40))
    post = "<p>The first snow fell on the harbour last night; here is the view from the pier.</p>"
    page = ("<html><head><title>Snow</title></head><body><div id='content'>"
            f"<div class='post'><h2>Snow on the harbour</h2><div class='entry'>{post}</div>"
            f"<div id='comments'><ol class='commentlist'>{comments}</ol></div></div></div></body></html>")
    body = read(page).body_html
    assert "The first snow fell" in body and "Reader" not in body
    story = "".join(f"<p>Part {n} of the story of the pier, the bay and the boats that used them.</p>"
                    for n in range(12))
    commented = (f"<html><head><title>Pier</title></head><body><article class='post commented'>{story}</article>"
                 f"<div class='comment-list'>{comments}</div></body></html>")
    body = read(commented).body_html
    assert "Part 0 of the story" in body and "Part 11 of the story" in body and "Reader" not in body


def test_a_story_laid_out_in_table_cells_or_unknown_elements_is_found() -> None:
    """Paragraphs score the block that holds them and, by half, the one above; a table's rows
    and the table itself are no such block, nor is what HTML does not know. A story written
    as the text of a cell (lines parted by <br>), or as a table of one paragraph a cell, is
    held by its cell and by the cell or block holding its table; one in elements of a
    publishing system's own (`<story><bodytext><p>…`) by those elements: each is the story,
    not the page's shorter notes."""
    lines = "<br><br>".join(f"The ferry to the island ran again on day {n}, after the storm had "
                            "closed the harbour for most of the week." for n in range(8))
    menu = "".join(f"<tr><td><a href='/s{n}'>Section {n}</a></td></tr>" for n in range(12))
    note = "<div class='note'><p>Printed from the harbour office's website, where more news is.</p></div>"
    cell = (f"<html><head><title>Ferry</title></head><body><table><tr><td><table>{menu}</table></td>"
            f"<td><table><tr><td><b>Ferry back</b></td></tr><tr><td>{lines}</td></tr></table>"
            f"{note}</td></tr></table></body></html>")
    body = read(cell).body_html
    assert "on day 0, after" in body and "on day 7, after" in body and "Section 3" not in body
    rows = "".join(f"<tr><td class='text'>The ferry to the island ran again on day {n}, after the storm "
                   "had closed the harbour.</td></tr>" for n in range(6))
    table = (f"<html><head><title>Ferry</title></head><body><table><tr><td><table>{menu}</table></td>"
             f"<td><table><tr><td><table>{rows}</table></td></tr></table></td></tr></table>{note}</body></html>")
    body = read(table).body_html
    assert "on day 0, after" in body and "on day 5, after" in body and "Section 3" not in body
    paragraphs = "".join(f"<p>The ferry to the island ran again on day {n}, after the storm.</p>" for n in range(8))
    unknown = (f"<html><head><title>Ferry</title></head><body><div class='wrap'><div class='story'>"
               f"<story><bodytext>{paragraphs}</bodytext></story></div>{note}{note}</div></body></html>")
    body = read(unknown).body_html
    assert "on day 0, after" in body and "on day 7, after" in body and "harbour office" not in body


def test_a_title_of_headline_section_and_paper_gives_the_headline_the_page_shows() -> None:
    """`Headline - Section - Paper` with nothing saying where the headline ends (no JSON-LD,
    og:title or og:site_name): the longest part before or after a separator that the page
    shows as a text of its own is the headline. A title whose parts the page does not show,
    or shows a one-word part of only, stays whole."""
    story = "".join(f"<p>Paragraph {n} of the story about the ferry and the storm over the bay.</p>"
                    for n in range(8))

    def page(title: str, shown: str) -> str:
        return (f"<html><head><title>{title}</title></head><body><div class='top'><a href='/'>Home</a></div>"
                f"<table><tr><td><font size='4'><b>{shown}</b></font><br>{story}</td></tr></table></body></html>")

    article = read(page("Ferry runs again after the storm - Local - Bay Gazette", "Ferry runs again after the storm"))
    assert article.title == "Ferry runs again after the storm"
    assert read(page("Bay Gazette : Local : Ferry runs again", "Ferry runs again")).title == "Ferry runs again"
    assert read(page("Ferry runs again - Bay Gazette", "Ferry news")).title == "Ferry runs again - Bay Gazette"
    assert read(page("Home - Bay Gazette", "Ferry news")).title == "Home - Bay Gazette"


def test_a_page_saved_without_its_head_is_titled_by_the_headline_above_its_story() -> None:
    """No <title>, JSON-LD headline or og:title (a page saved without its head): the headline
    is the first heading in the story before its first paragraph, else the last heading or
    element classed as a headline before the story, outside the navigation; a link classed
    as a title (`Print version`) is none. A page without any is still refused."""
    story = "".join(f"<p>Line {n} of the story about the ferry that runs again after the storm.</p>"
                    for n in range(8))
    before = ("<body><nav><h2>Sections</h2></nav><table><tr><td class='story-headline'>Ferry back on the "
              "timetable</td></tr><tr><td><a class='titlelink' href='/print'>Print version</a></td></tr>"
              f"<tr><td><div class='text'>{story}</div></td></tr></table></body>")
    article = read(before)
    assert article.title == "Ferry back on the timetable" and "Line 7 of the story" in article.body_html
    inside = f"<body><h1>Harbour Gazette</h1><div class='story'><h2>Ferry back</h2>{story}</div></body>"
    assert read(inside).title == "Ferry back"
    with pytest.raises(ReadError, match="no title"):
        read(f"<body><div class='story'>{story}</div></body>")


def test_what_an_iframe_holds_is_neither_the_story_nor_in_it() -> None:
    """An <iframe> shows the page its src names; the markup it holds (read as text, as a
    browser reads it) is shown nowhere: it is no story, however long, and leaves the story."""
    fallback = "<a href='https://ads.example/click'><img src='https://ads.example/banner.gif' alt=''></a> " * 12
    frame = f"<iframe src='https://ads.example/slot' width='120' height='600'>{fallback}</iframe>"
    story = "".join(f"<p>Line {n} of the story of the ferry and the storm over the bay.</p>" for n in range(5))
    page = (f"<html><head><title>Ferry</title></head><body><div class='slot'>{frame}</div>"
            f"<div class='story'>{story}{frame}</div></body></html>")
    body = read(page).body_html
    assert "Line 0 of the story" in body and "Line 4 of the story" in body
    assert "ads.example" not in body and "&lt;a" not in body


def test_a_story_in_paragraphs_wrapped_in_font_tags_is_found() -> None:
    """Old pages wrap a story's paragraphs in <font> (and <span>, <b>, <center>), which
    libxml2 nests as written: the paragraphs' text is held past the wrappers by the cell or
    block around them, as readability's scores reach past them; it is the story, not a
    shorter block of notes beside it."""
    story = "".join(f"<p>Line {n} of the report on the harbour wall and the winter storms.</p>" for n in range(10))
    notes = "<p>Note 0: the harbour office is open on weekdays from nine to five.</p>"
    wrapped = f"<div>By Ada Berg</div><font size='2'><font face='arial'><span>{story}</span></font></font>"
    cell = (f"<html><head><title>Harbour</title></head><body><table><tr><td><div>{notes}</div></td>"
            f"<td>{wrapped}</td></tr></table></body></html>")
    block = f"<html><head><title>Harbour</title></head><body><div>{notes}</div><div>{wrapped}</div></body></html>"
    for page in (cell, block):
        body = read(page).body_html
        assert "Line 0 of the report" in body and "Line 9 of the report" in body and "Note 0" not in body


def test_a_story_written_in_font_elements_beside_an_image_is_the_story() -> None:
    """<font> (and <u>, <tt>, <big>, <strike>, <nobr>) is inline, as <b> is: a story written
    as the text of <font> elements in a cell or <div> beside its blocks (a picture) is a run of
    the cell's text, as a reading mode wraps it in a paragraph; it is the story, not the note."""
    lines = "<br><br>".join(f"The ferry to the island ran again on day {n}, after the storm had closed "
                            "the harbour for most of the week." for n in range(8))
    note = "<p>Note: the harbour office is open on weekdays from nine to five.</p>"
    page = (f"<html><head><title>Ferry</title></head><body><table><tr><td><div>{note}</div></td>"
            f"<td><img src='/ferry.jpg'><font class='story'>{lines}</font></td></tr></table></body></html>")
    body = read(page).body_html
    assert "on day 0, after" in body and "on day 7, after" in body and "Note:" not in body


def test_rows_of_headlines_laid_out_in_a_table_leave_the_story() -> None:
    """A table of many cells is data (readability's test), and stays in the story; one whose
    text is mostly links, without headers, is a list of other stories laid out in rows, and
    is cleaned out as such a list is. A table of data stays."""
    story = "".join(f"<p>Line {n} of the match report, with the goals, the saves and the weather.</p>"
                    for n in range(10))
    rows = "".join(f"<tr><td><img src='/arrow.gif'></td><td><a href='/s/{n}'>Other headline number {n}</a></td></tr>"
                   for n in range(8))
    scores = "".join(f"<tr><td>Team {n}</td><td>{n} points</td></tr>" for n in range(8))
    page = (f"<html><head><title>Match</title></head><body><div class='story'>{story}"
            f"<table>{scores}</table><table><tr><td></td><td>Latest stories</td></tr>{rows}</table>"
            "</div></body></html>")
    body = read(page).body_html
    assert "Line 9 of the match report" in body and "Team 7" in body
    assert "Other headline" not in body


def test_the_headline_may_be_the_middle_of_a_title_of_parts() -> None:
    """`Section: Headline | News | Paper` gives the part between separators that the page
    shows; `>`, `/` and `--` separate parts too (`Paper > Local -- Headline`)."""
    story = "".join(f"<p>Paragraph {n} of the story about the ferry and the storm over the bay.</p>"
                    for n in range(8))

    def title(page_title: str) -> str:
        return read(f"<html><head><title>{page_title}</title></head><body><div class='top'><a href='/'>Home</a>"
                    f"</div><h2>Ferry runs again after the storm</h2><div>{story}</div></body></html>").title

    assert title("Sport: Ferry runs again after the storm | News | Bay Gazette") == "Ferry runs again after the storm"
    assert title("Bay Gazette &gt; Local -- Ferry runs again after the storm") == "Ferry runs again after the storm"
    assert title("Ferry runs again after the storm / Online News @ Bay Gazette") == "Ferry runs again after the storm"
    assert title("Local Ferry News | Bay Gazette") == "Local Ferry News | Bay Gazette"


def test_a_title_too_short_for_a_headline_gives_way_to_the_one_h1() -> None:
    """A <title> under 15 characters (the paper's name on every page) or over 150, with
    nothing else naming the headline, gives way to the page's one <h1> of five words or
    more (readability's rule); a shorter <h1>, or one of two, does not."""
    story = "".join(f"<p>Paragraph {n} of the story about the ferry and the storm over the bay.</p>"
                    for n in range(8))

    def title(page_title: str, headings: str) -> str:
        return read(f"<html><head><title>{page_title}</title></head><body>{headings}"
                    f"<div class='story'>{story}</div></body></html>").title

    assert title("Bay Star", "<h1>Ferry runs again after the storm</h1>") == "Ferry runs again after the storm"
    assert title("Bay Star", "<h1>Ferry runs again</h1>") == "Bay Star"
    assert title("Bay Star", "<h1>Ferry runs again after the storm</h1><h1>Weather</h1>") == "Bay Star"
    assert title("Bay Star ferry news", "<h1>Ferry runs again after the storm</h1>") == "Bay Star ferry news"


def test_a_page_dated_in_microdata_or_parsely_tags_is_dated_so() -> None:
    """Without the metadata table's keys, Open Graph's or JSON-LD's, a saved page's date is
    its schema.org microdata (`<meta itemprop="datePublished dateCreated">`), Parse.ly's
    `parsely-pub-date` and the like, before the first <time> of its story."""
    story = "".join(f"<p>Part {n} of the report on the lock gates and the river traffic.</p>" for n in range(8))

    def metadata(tags: str) -> dict:
        return read(f"<html><head><title>Lock</title>{tags}</head><body><article><time datetime='2020-01-01'>"
                    f"then</time>{story}</article></body></html>").metadata

    found = metadata("<meta itemprop='datePublished dateCreated' content='2024-05-01T10:00:00Z'>"
                     "<meta itemprop='dateModified' content='2024-05-02T09:00:00Z'>")
    assert found["date"] == datetime.fromisoformat("2024-05-01T10:00:00+00:00")
    assert found["updated"] == datetime.fromisoformat("2024-05-02T09:00:00+00:00")
    assert metadata("<meta name='parsely-pub-date' content='2024-04-20T04:20:00Z'>")["date"] == \
        datetime.fromisoformat("2024-04-20T04:20:00+00:00")
    assert metadata("<meta property='article:published_time' content='2024-03-03T03:00:00Z'>"
                    "<meta itemprop='datePublished' content='2024-05-01T10:00:00Z'>")["date"] == \
        datetime.fromisoformat("2024-03-03T03:00:00+00:00")
