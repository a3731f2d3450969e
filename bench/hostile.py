"""Hostile files: the largest file of each shape that once took super-linear time to read,
within the size limits, must read (or be refused) in under a second.

Each shape is grown to FEEDSVC_MAX_FILE_SIZE (5 MiB) by default, or as far as the readers'
count limits allow and then padded, so that it is read rather than refused from a count
where a larger count would be refused. Each runs in its own process: the file is written
to a temporary folder, then read the way a scan reads it (`reading.read_file`: read, clean,
topics) and timed; a shape still running after --timeout seconds is reported as such.

    .venv/bin/python bench/hostile.py [--only NAME] [--timeout 120]

Ends with `RESULT hostile_read ratio=<slowest seconds / 1> target=<=1`.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from feedsvc.config import Settings  # noqa: E402
from feedsvc.errors import ReadError  # noqa: E402
from feedsvc.readers.front_matter import MAX_FRONT_MATTER  # noqa: E402
from feedsvc.readers.html import MAX_ANGLE_BRACKETS  # noqa: E402
from feedsvc.readers.kramdown_lazy_items import MAX_LINES_READ  # noqa: E402
from feedsvc.readers.kramdown_math import MAX_MATH  # noqa: E402
from feedsvc.readers.markdown import MAX_MARKUP, MAX_QUOTES  # noqa: E402
from feedsvc.readers.metadata import MAX_VALUE_CHARS  # noqa: E402
from feedsvc.readers.rst import MAX_ADORNMENTS, MAX_CHARACTERS, MAX_LINES  # noqa: E402
from feedsvc.readers.shortcodes import MAX_NESTED, MAX_SHORTCODES  # noqa: E402
from feedsvc.readers.text import MAX_ESCAPED  # noqa: E402
from feedsvc.readers.site import load_site  # noqa: E402
from feedsvc.reading import read_file  # noqa: E402
from feedsvc.readers import liquid  # noqa: E402
from feedsvc.text import MAX_LINKS, MAX_SANITIZING_COST, MAX_TAGS  # noqa: E402

TARGET_SECONDS = 1.0
SIZE = Settings().max_file_size
PAGE = "<html><head><title>Hostile</title></head><body><p>x</p>"
FRONT = "---\ntitle: Hostile\ndate: 2024-01-01\n---\n\n"
YAML_RUN = MAX_FRONT_MATTER - 100  # the front matter's own limit, far below SIZE
PELICAN = "Title: Hostile\nDate: 2024-01-01\n\n"
RST_TITLE = "Hostile\n#######\n\n:date: 2024-01-01\n\n"


def repeat(unit: str, count: int, prefix: str = "", suffix: str = "") -> str:
    return prefix + unit * count + suffix


def fill(unit: str, prefix: str = "", suffix: str = "") -> str:
    """prefix, unit as many times as fit in SIZE bytes, suffix."""
    return repeat(unit, (SIZE - len(prefix) - len(suffix)) // len(unit.encode()), prefix, suffix)


def padded(construct: str, pad: str, prefix: str, count: int, suffix: str = "") -> str:
    """count constructs (under a count limit), each padded so that the file fills SIZE."""
    width = (SIZE - len(prefix) - len(suffix)) // count - len(construct)
    return repeat(construct + pad * width, count, prefix, suffix)


def marked_items(count: int) -> str:
    """A list of count items marked markdown="1", each of emphasis and a link padded to fill SIZE."""
    prefix, suffix, item = FRONT + "<ol>\n", "</ol>\n", '<li markdown="1">\n*a* [b](c) {}\n</li>\n'
    width = (SIZE - len(prefix) - len(suffix)) // count - len(item)
    return repeat(item.format("a" * width), count, prefix, suffix)


def nested(opening: str, closing: str, prefix: str) -> str:
    """Shortcodes nested as deep as the readers take them, again and again up to their count
    limit, text filling SIZE inside the innermost of each."""
    depth = MAX_NESTED - 1
    count = MAX_SHORTCODES // (2 * depth) - 1
    width = (SIZE - len(prefix)) // count - depth * (len(opening) + len(closing)) - 2
    return prefix + (opening * depth + "a" * width + closing * depth + "\n\n") * count


TEXT = "Title: Hostile\nDate: 2024-01-01\n\n"
PROSE = "The harbour council met again to talk about moorings, fees and the new quay. " * 25 + (
    "The [minutes](https://example.org/minutes) say *little* about it.\n\n")
IN_ONE_TEXT = MAX_SANITIZING_COST // SIZE - 10  # ampersands in one text of SIZE the sanitizer still takes
TAGS = MAX_TAGS - 10  # starts of tags left for hostile ones beside the page's own
SHAPES: dict[str, tuple[str, Callable[[], str]]] = {
    # HTML: the attribute count before parsing (`<a` and spaces: 70 s for 120,000)
    "html-attribute-spaces": ("a.html", lambda: fill(" ", PAGE + "<a", ">x</a></body></html>")),
    "html-attribute-slashes": ("a.html", lambda: fill(" /", PAGE + "<a", ">x</a></body></html>")),
    # `<script/>` opened as a browser opens it (html.parse_html): all that follows is then script
    "html-self-closed-scripts": ("a.html", lambda: padded("<script a/>", " ", PAGE, TAGS - 10, "</body></html>")),
    # HTML: a <title> of parts the page may show, beside headings nested around one long text
    # (each heading's text is read to see whether it is a part: the long text once, not per heading)
    "html-title-parts-nested-headings": ("a.html", lambda: fill(
        "y", "<html><head><title>" + " - ".join(f"Part {n} of it" for n in range(12)) + "</title></head><body>"
        + "<h2>Part 1 of it" * 250, "</h2>" * 250 + "</body></html>")),
    # HTML: a page without a <title>, whose headline is looked for above its story: elements
    # classed as titles nested around thousands of links (a candidate's text and links are read
    # only when it holds a headline's few elements)
    "html-headline-candidates-nested": ("a.html", lambda: padded(
        "<a>x</a>", " ", "<html><body>" + "<div class='title'>" * 250, TAGS // 2 - 300,
        "</div>" * 250 + "<p>The story.</p></body></html>")),
    # HTML: paragraphs under 250 nested <font>, whose text is held past the wrappers (each
    # wrapper passed once, not once per paragraph)
    "html-paragraphs-in-nested-fonts": ("a.html", lambda: padded(
        "<p>x</p>", "y", PAGE + "<div>" + "<font>" * 250, TAGS // 2 - 300, "</font>" * 250 + "</div></body></html>")),
    # HTML: tables of many cells in a story, each asked whether its text is mostly links (each
    # table's text read once: they hold no tables)
    "html-tables-of-links": ("a.html", lambda: padded(
        "<table>" + "<tr><td><a href='/s'>headline</a></td></tr>" * 11 + "</table>", "y", PAGE + "<div>",
        (TAGS // 2 - 300) // 34, "</div></body></html>")),
    "html-foreign-names": ("a.html", lambda: padded("<set>x</set>", " ", PAGE, TAGS // 2, "</body></html>")),
    "html-attribute-spaces-unclosed": ("a.html", lambda: fill(" ", PAGE + "<a")),
    # HTML: page chrome (dropped) between long texts, each text copied again at each drop
    "html-meta-between-texts": ("a.html", lambda: padded('<meta property="og:title" content="x">', "a", PAGE, TAGS)),
    "html-json-ld-between-texts": ("a.html", lambda: padded(
        '<script type="application/ld+json">{"@type":"NewsArticle"}</script>', "a", PAGE, TAGS // 2)),
    # HTML: elements whose tags are taken out (what they hold stays) between long texts
    "html-objects-between-texts": ("a.html", lambda: padded("<object></object>", "a", PAGE, TAGS // 2)),
    "html-iframes-between-texts": ("a.html", lambda: padded('<iframe src="https://example.org/v"></iframe>', "a",
                                                            PAGE, TAGS // 2)),
    # HTML: a story's blocks that all go, so that every attempt of the cleaning runs
    "html-blocks-cleaned-out": ("a.html", lambda: padded(
        "<div class='share'><img src=a.png><img src=b.png></div>", " ", PAGE, TAGS // 4)),
    "html-link-lists-kept": ("a.html", lambda: padded("<div><ul><li><a href=x>a</a></li></ul></div>", " ", PAGE,
                                                      TAGS // 8)),
    # HTML: XML declarations whose removal joins the pieces of another
    "html-xml-declarations-nested": ("a.html", lambda: (
        lambda k: PAGE + "<?x" * k + "<?xml>" + "ml>" * k)((SIZE - len(PAGE) - 6) // 6)),
    "html-xml-declarations-unclosed": ("a.html", lambda: fill("<?xml", PAGE)),
    # HTML: constructs html.parser cannot complete, which it handled in quadratic time at the end
    "html-unclosed-start-tags": ("a.html", lambda: padded("<a", " ", PAGE, TAGS)),
    "html-unclosed-quoted-values": ("a.html", lambda: padded("<a x='", "y", PAGE, TAGS)),
    "html-unclosed-comments": ("a.html", lambda: padded("<!--", "x", PAGE, TAGS, ">")),
    "html-comments-without-end": ("a.html", lambda: padded("<!--x>", "y", PAGE, TAGS)),
    # Ampersands in one long text, which the sanitizer copies at each; plain text's references
    "html-ampersands-in-one-text": ("a.html", lambda: padded("&amp;", "a", PAGE, IN_ONE_TEXT, "</p></body></html>")),
    "text-ampersands-in-one-paragraph": ("a.txt", lambda: padded("&", "a", TEXT, IN_ONE_TEXT)),
    "html-angle-brackets": ("a.html", lambda: padded(">", "a", PAGE, MAX_ANGLE_BRACKETS - 100, "</p></body></html>")),
    "text-angle-brackets": ("a.txt", lambda: padded("<", "a", TEXT, MAX_ESCAPED - 100)),
    # Markdown: a summary of unclosed tags (read to text by html.parser)
    "markdown-summary-unclosed-tags": ("a.md", lambda: (
        f"---\ntitle: Hostile\ndate: 2024-01-01\nsummary: \"{'<a ' * (MAX_VALUE_CHARS // 3)}\"\n---\n\nx\n")),
    "markdown-front-matter-unclosed": ("a.md", lambda: fill("a: b\n", "---\n")),
    "markdown-backticks": ("a.md", lambda: padded("`", "a", FRONT, MAX_MARKUP - 100)),
    "markdown-open-brackets": ("a.md", lambda: padded("[", "a", FRONT, MAX_MARKUP - 100)),
    "markdown-link-openers": ("a.md", lambda: padded("![", "a", FRONT, (MAX_MARKUP - 100) // 2)),
    "markdown-emphasis-openers": ("a.md", lambda: padded("*", "a", FRONT, MAX_MARKUP - 100)),
    # Markdown: quotation marks, each a character reference to clean (and in Jekyll and Hugo a node)
    "markdown-quotes": ("a.md", lambda: padded('"', "a", FRONT, MAX_QUOTES - 100)),
    "jekyll-quotes": ("_posts/2024-01-01-a.md", lambda: padded('"', "a", FRONT, MAX_QUOTES - 100)),
    "hugo-quotes": ("content/a.md", lambda: padded('"', "a", FRONT, MAX_QUOTES - 100)),
    # Markdown: raw SVG and MathML elements, which the nesting guard does not count
    "markdown-svg-nested": ("a.md", lambda: padded("<g>", "a", FRONT + "<svg>\n", TAGS)),
    "markdown-foreign-names-then-divs": ("a.md", lambda: padded(
        "<path>", "a", FRONT + "<div>\n", TAGS - 600, "<div>" * 500 + "x\n")),
    # Plain text: header continuation lines, each joined onto the value so far
    "text-header-continuations": ("a.txt", lambda: fill("    a\n", "Title: Hostile\nSummary: a\n")),
    "text-paragraph-break-spaces": ("a.txt", lambda: padded("\n", " ", "Title: Hostile\n\nx", 40_000, "x")),
    # Site generators' Markdown (the site's configuration in SITE_FILES)
    # Ordinary prose, as long as a file may be: a line of it with a link and an emphasis
    # once went through kramdown's star rewriting as slowly as any hostile shape
    "jekyll-prose": ("_posts/2024-01-01-a.md", lambda: fill(PROSE, FRONT)),
    "hugo-prose": ("content/a.md", lambda: fill(PROSE, FRONT)),
    "pelican-prose": ("content/a.md", lambda: fill(PROSE, PELICAN)),
    "jekyll-kramdown-extension-unclosed": ("_posts/2024-01-01-a.md", lambda: fill("a", FRONT + "{::")),
    "jekyll-backticks": ("_posts/2024-01-01-a.md", lambda: padded("`", "a", FRONT, MAX_MARKUP - 100)),
    "jekyll-spaced-backticks": ("_posts/2024-01-01-a.md", lambda: padded(" ` ", "a", FRONT, MAX_MARKUP - 100)),
    "jekyll-code-spans": ("_posts/2024-01-01-a.md", lambda: padded("`a` b\n", "", FRONT, (MAX_MARKUP - 100) // 3)),
    # each code span cuts the text into a piece, read for indented code where the last one left off
    "jekyll-item-code-spans": ("_posts/2024-01-01-a.md", lambda: padded(
        "* `a`\n\n    ~~~\n    **b**\n    ~~~\n    ", "c", FRONT, (MAX_MARKUP - 100) // 40)),
    "jekyll-toc-unclosed-footnote-refs": ("_posts/2024-01-01-a.md", lambda: FRONT + "Contents:\n\n* x\n{:toc}\n\n# H"
                                          + '<sup class="footnote-ref">a</sup >' * ((MAX_MARKUP - 100) // 6) + "\n"),
    "jekyll-long-tag-name": ("_posts/2024-01-01-a.md", lambda: fill("a", FRONT + "<q")),
    "hugo-linkify-underscores": ("content/a.md", lambda: padded("_", "a", FRONT, MAX_MARKUP - 100)),
    "hugo-unsafe-unclosed-tag": ("content/a.md", lambda: fill("a", FRONT + "<div>\n\n<")),
    "hugo-unsafe-footnote-backrefs": ("content/a.md", lambda: padded(
        'class="footnote-backref"', " ", FRONT + "<div ", (MAX_MARKUP - 100) // 2)),
    "hugo-many-shortcodes": ("content/a.md", lambda: padded("{{%youtube a%}}", " ", FRONT, MAX_SHORTCODES)),
    "hugo-placeholder-lookalike": ("content/a.md", lambda: fill("X", FRONT + "{{%youtube a%}} FEEDSVCSHORTCODE")),
    "hugo-unpaired-backtick-paragraphs": ("content/a.md", lambda: padded(
        "\n\n``x `a` `b` ", "a", FRONT, (MAX_MARKUP - 100) // 9)),
    "hugo-long-definition": ("content/a.md", lambda: fill("x" * 59 + "\n", FRONT + "Term\n: d\n")),
    "hugo-fence-returns": ("content/a.md", lambda: fill("```a" + "\r" * 1000 + "x\r\r\n", FRONT)),
    "hugo-footnote-labels-unclosed": ("content/a.md", lambda: padded("[^*", "a", FRONT, (MAX_MARKUP - 100) // 3)),
    "hugo-footnote-labels-undefined": ("content/a.md", lambda: padded("[^*a] ", "b", FRONT, (MAX_MARKUP - 100) // 4)),
    "hugo-canonify-unclosed-srcsets": ("content/a.md", lambda: padded(
        "srcset='/", "a", FRONT + "<div>\n", (MAX_MARKUP - 100) // 4)),
    # Liquid in Jekyll posts: loops and captures bounded by their output, tags never closed
    "jekyll-table-one-wide-row": ("_posts/2024-01-01-a.md", lambda: (
        lambda rows: FRONT + "|" + "a|" * ((SIZE - len(FRONT) - 2 - 6 * rows) // 2) + "\n" + "|a|b|\n" * rows)(40_000)),
    "jekyll-table-many-rows": ("_posts/2024-01-01-a.md", lambda: padded("|a|b|\n", " ", FRONT, MAX_MARKUP - 100)),
    "jekyll-one-row-tables": ("_posts/2024-01-01-a.md", lambda: padded("\n\n|a|b", "c", FRONT, MAX_MARKUP // 4)),
    "jekyll-emphasis-links-between-html": ("_posts/2024-01-01-a.md", lambda: FRONT + (
        "[_a](b) " * 50 + "x" * 2000 + "\n\n<div></div>\n\n") * 190),
    "jekyll-liquid-link-output-spaces": ("_posts/2024-01-01-a.md", lambda: fill(" ", FRONT + "{% link {{", "x %}")),
    "jekyll-table-dash-run": ("_posts/2024-01-01-a.md", lambda: FRONT + "Intro.\n\n|a|b|\n|" + "-" * (MAX_MARKUP - 200) + "x|\n\nText.\n"),
    "jekyll-strikethrough-punctuation": ("_posts/2024-01-01-a.md", lambda: padded("a~~(b.~~c ", "d", FRONT, MAX_MARKUP // 5)),
    "jekyll-escaped-references": ("_posts/2024-01-01-a.md", lambda: padded(
        "[a\\_b][] [", "c", FRONT, MAX_MARKUP // 8, "\n\n[a_b]: https://example.org/\n")),
    # math after quote markers and white space, each looked back from for a blank line in the quote
    "jekyll-math-in-quotes": ("_posts/2024-01-01-a.md", lambda: padded("> \t>\n> \t $$x\n> > y$$\n", " ", FRONT, 4_000)),
    # rows of pipes, each block run into fenced code (its rows' pipes escaped)
    "jekyll-rows-before-fences": ("_posts/2024-01-01-a.md", lambda: padded("a|b\n```\nc\n```\n", "d", FRONT,
                                                                            (MAX_MARKUP - 100) // 48)),
    # nested lists, each with a lazy item of the other kind read as text, past the lines read in lists
    "jekyll-lazy-item-markers": ("_posts/2024-01-01-a.md", lambda: padded(
        "\n" + "".join(" " * 2 * depth + "- a\n" for depth in range(3)) + "1. b", "b", FRONT, MAX_LINES_READ // 3)),
    # `_` after digits with no closer, each looked for one in what follows (as many as looked at)
    "jekyll-digit-underscores": ("_posts/2024-01-01-a.md", lambda: padded("1_a ", "b", FRONT, 50_000)),
    "jekyll-math-spans": ("_posts/2024-01-01-a.md", lambda: padded("$$a$$ ", "b", FRONT, MAX_MATH)),
    # table rows whose pipes are in HTML elements, each element's end looked for on its row
    "jekyll-table-element-pipes": ("_posts/2024-01-01-a.md", lambda: padded(
        "<code>a | b</code> <i>c | d</i> <b>e | f | g</b> " * 16 + "| h\n", " ", FRONT + "Intro.\n\n", 100)),
    "jekyll-table-pipes": ("_posts/2024-01-01-a.md", lambda: fill("|", FRONT + "Intro.\n\n")),
    "jekyll-liquid-long-loop": ("_posts/2024-01-01-a.md", lambda: FRONT + "{% for i in (1..100000000) %}x{% endfor %}"),
    "jekyll-liquid-nested-loops": ("_posts/2024-01-01-a.md", lambda: FRONT + "{% for a in (1..1000) %}"
                                   "{% for b in (1..1000) %}{% for c in (1..1000) %}x{% endfor %}{% endfor %}{% endfor %}"),
    "jekyll-liquid-doubling-capture": ("_posts/2024-01-01-a.md", lambda: FRONT + "{% assign s = 'xxxxxxxxxx' %}"
                                       + "{% capture s %}{{ s }}{{ s }}{% endcapture %}" * 40 + "{{ s }}"),
    "jekyll-liquid-unclosed-tags": ("_posts/2024-01-01-a.md", lambda: fill("{%", FRONT)),
    "jekyll-liquid-unclosed-outputs": ("_posts/2024-01-01-a.md", lambda: fill("{{", FRONT, "}}")),
    # outputs strict Liquid refuses, each parsed alone and read as lax Liquid reads it
    "jekyll-liquid-lax-literals": ("_posts/2024-01-01-a.md", lambda: padded("{{1 + 1}} ", "a", FRONT, MAX_MARKUP - 100)),
    # each `{%` or `{{` that nothing closes looked for its end to the end of the post, by
    # python-liquid's lexer (a `{%` before a word, once per character of the word)
    "jekyll-liquid-unclosed-before-words": ("_posts/2024-01-01-a.md", lambda: padded(
        "{%", "a", FRONT, liquid.MAX_MARKUP - 10)),
    "jekyll-liquid-unclosed-raw-tags": ("_posts/2024-01-01-a.md", lambda: padded(
        "{% raw %}", "a", FRONT, liquid.MAX_MARKUP - 10)),
    # tags and outputs up to both Liquid limits, each parsed by python-liquid
    "jekyll-liquid-filter-chains": ("_posts/2024-01-01-a.md", lambda: padded(
        "{{ page.title" + " | append: 'x'" * 10 + " }}", "a", FRONT,
        min(liquid.MAX_MARKUP, liquid.MAX_MARKUP_CHARACTERS // 160) - 10)),
    "jekyll-liquid-highlight-blocks": ("_posts/2024-01-01-a.md", lambda: padded(
        "{% highlight ruby %}x{% endhighlight %}", "a", FRONT, liquid.MAX_MARKUP // 2 - 10)),
    "jekyll-marked-in-html-block": ("_posts/2024-01-01-a.md", lambda: padded(
        '\n<div markdown="1">', "a", FRONT + "<section>", (MAX_MARKUP - 100) // 5, "\n</section>\n")),
    # a list whose every item is marked markdown="1": each read as Markdown, its end looked for
    "jekyll-marked-list-items": ("_posts/2024-01-01-a.md", lambda: marked_items(MAX_MARKUP // 12 - 10)),
    # start tags left open on one line of a block of HTML: each looked for its `>` to the end
    "jekyll-open-tags-in-html-block": ("_posts/2024-01-01-a.md", lambda: padded(
        "<div ", "a", FRONT + "<div>\n", (MAX_MARKUP - 100) // 2, "\n</div>\n")),
    # blocks of HTML each closed on the next line, or past a fence: each one's end and the next fence looked for
    "jekyll-html-blocks-closed": ("_posts/2024-01-01-a.md", lambda: padded(
        "\n<div>\n</div>\n", "a", FRONT, (MAX_MARKUP - 100) // 8)),
    # autolinks holding spaces, each written as a link; openers never closed, spaces after each
    "jekyll-spaced-autolinks": ("_posts/2024-01-01-a.md", lambda: padded("<https://a b_c> x", " ", FRONT,
                                                                         MAX_LINKS - 100)),
    "jekyll-spaced-autolinks-unclosed": ("_posts/2024-01-01-a.md", lambda: padded("<http: ", " ", FRONT, TAGS)),
    # a paragraph's lines starting with `<`, each looked at for a block's start tag
    "jekyll-html-after-paragraph": ("_posts/2024-01-01-a.md", lambda: FRONT + "a" + ("\n<b " + "x" * 180) * 25_000 + "\n<div>\n"),
    # named references kramdown lacks, each looked up and escaped, between tags passed over
    "jekyll-html5-entities": ("_posts/2024-01-01-a.md", lambda: padded("&pm; &check; <br x='&pm;'> ", "a", FRONT, 15_000)),
    # lines starting with block elements' tags whose quotes never close, each read on for its end
    "jekyll-refused-block-tags": ("_posts/2024-01-01-a.md", lambda: padded("\n<div a=b%>\n", "c", FRONT, 1_000)),
    "jekyll-html-blocks-past-fences": ("_posts/2024-01-01-a.md", lambda: padded(
        "\n<div>\n```\n</div>\n```\n", "a", FRONT, (MAX_MARKUP - 100) // 16)),
    # emphases opened inside emphases: each paragraph's stars looked at (as many as looked at in a text)
    "jekyll-nested-stars": ("_posts/2024-01-01-a.md", lambda: FRONT + (
        "*a *b](*c)* d*\n" + ("x" * 60 + "\n") * 280 + "\n") * 300),
    # fences right after list items' text, each one's item looked back to and its end looked for
    "jekyll-lazy-item-fences": ("_posts/2024-01-01-a.md", lambda: padded(
        "- a\nb\n```\nc\n", "c", FRONT, (MAX_MARKUP - 100) // 16, "\n```\n")),
    "pelican-open-tags-in-html-block": ("content/a.md", lambda: padded(
        "<div ", "a", PELICAN + "<div>\n", (MAX_MARKUP - 100) // 2, "\n</div>\n")),
    # raw HTML written as cmark writes a code block: each one unclosed searched to the end
    "hugo-unclosed-code-blocks-like-cmark": ("content/a.md", lambda: padded(
        '\n<pre data-sourcepos="1:1-1:2"><code>', "a", FRONT, (MAX_MARKUP - 100) // 10, "\n")),
    "jekyll-escaped-underscore-runs": ("_posts/2024-01-01-a.md", lambda: padded(
        "\\__a", "b", FRONT, (MAX_MARKUP - 100) // 3, "__")),
    "jekyll-table-list-items": ("_posts/2024-01-01-a.md", lambda: padded("\n- a|", "b", FRONT, (MAX_MARKUP - 100) // 4)),
    "jekyll-raw-tags-in-list-items": ("_posts/2024-01-01-a.md", lambda: padded(
        "\n- <t> ", "a", FRONT, (MAX_MARKUP - 100) // 4)),
    "jekyll-spaced-references": ("_posts/2024-01-01-a.md", lambda: padded(
        "[a] [b] ", "c", FRONT + "[b]: /b\n\n", (MAX_MARKUP - 100) // 6)),
    "jekyll-links-at-limit": ("_posts/2024-01-01-a.md", lambda: padded("[a](/x) ", "b", FRONT, MAX_LINKS - 10)),
    "jekyll-destination-parentheses": ("_posts/2024-01-01-a.md", lambda: padded(
        "[a](x\\)(", "b", FRONT, (MAX_MARKUP - 100) // 6)),
    "jekyll-destination-open-parentheses": ("_posts/2024-01-01-a.md", lambda: padded(
        "](\\)", "(", FRONT, (MAX_MARKUP - 100) // 3)),
    "jekyll-comments-before-text": ("_posts/2024-01-01-a.md", lambda: padded(
        "<!--x-->", " ", FRONT, (MAX_MARKUP - 100) // 7, "t")),
    "jekyll-comment-lines-unclosed": ("_posts/2024-01-01-a.md", lambda: padded(
        "\n<!-- a", "a", FRONT, (MAX_MARKUP - 100) // 5, "-->\n")),
    # Hugo shortcodes never closed, and Goldmark's code fence attributes, linkify and heading ids
    "hugo-shortcode-openers": ("content/a.md", lambda: fill("{{<", FRONT)),
    "hugo-shortcode-unclosed-bodies": ("content/a.md", lambda: padded(
        "{{< /x >}}", " ", FRONT + "{{< highlight go >}}" * (MAX_NESTED - 1), MAX_SHORTCODES - MAX_NESTED)),
    "hugo-shortcode-nested-deep": ("content/a.md", lambda: nested("{{< box >}}*a*", "{{< /box >}}", FRONT)),
    # highlighted blocks of blank lines written into the Markdown (`{{% %}}`), each line given an element
    "hugo-percent-highlight-blank-lines": ("content/a.md", lambda: padded(
        "{{% /highlight %}}{{% highlight go %}}", "\n", FRONT + "{{% highlight go %}}", MAX_SHORTCODES // 2 - 1,
        "{{% /highlight %}}")),
    # a site shortcode reading an address's parts and making addresses, each use a long address:
    # as many uses as a page may hold, writing what a page's shortcodes may write in all (MAX_PAGE_WRITTEN)
    "hugo-shortcode-url-parts": ("content/a.md", lambda: repeat('" >}}{{< card "https://a.example/' + "b" * 240,
                                                                MAX_SHORTCODES - 1, FRONT + '{{< card "', '" >}}')),
    "hugo-emoji-unclosed-code": ("content/a.md", lambda: fill("a", FRONT + ":")),
    "hugo-emoji-codes-unknown": ("content/a.md", lambda: fill(":a:", FRONT)),
    "hugo-shortcode-unclosed-arguments": ("content/a.md", lambda: fill("{{< a ", FRONT, ">}}")),
    "hugo-shortcode-backslashes": ("content/a.md", lambda: fill("\\", FRONT + '{{< a "', ">}}")),
    "hugo-fence-attributes": ("content/a.md", lambda: fill("a=[,", FRONT + "```go {", "}\nx\n```\n")),
    "hugo-numbered-code-blocks": ("content/a.md", lambda: padded("```go {linenos=table}\nx\n```\n", "\n", FRONT, 5_000)),
    "hugo-highlight-options": ("content/a.md", lambda: fill(
        "linenos", FRONT + '{{< highlight go "', '" >}}x{{< /highlight >}}')),
    "hugo-linkify-lookalikes": ("content/a.md", lambda: FRONT + "see http://a.example/" + ")" * 30_000 + " "
                                + "www.a" * 100_000 + " " + "a.b@" * 100_000 + "&quot" * 50_000),
    "hugo-linkify-addresses": ("content/a.md", lambda: fill("a@b.example ", FRONT)),
    "hugo-linkify-url-underscores": ("content/a.md", lambda: padded("http://a.example/__b__ ", "c", FRONT, (MAX_MARKUP - 100) // 8)),
    "hugo-link-label-urls": ("content/a.md", lambda: padded("[ http://a.example/_b_ ", "c", FRONT, (MAX_MARKUP - 100) // 8)),
    "hugo-lone-tildes": ("content/a.md", lambda: padded(" ~**", "a", FRONT, (MAX_MARKUP - 100) // 3)),
    # `[^` runs after a label holding a space, each try ending at the next `[` (footnote_labels)
    "hugo-footnote-references-open": ("content/a.md", lambda: padded(
        "[^", "e", FRONT + "a[^b c]\n\n[^b c]: d\n\n", MAX_LINKS - 100)),
    "hugo-heading-id-dots": ("content/a.md", lambda: fill(".", FRONT + "## Heading {#", "\n")),
    # reStructuredText: nesting refused, inline markup openers never closed
    "rst-nested-lists": ("a.rst", lambda: fill("- ", RST_TITLE, "x\n")),
    "rst-nested-quotes": ("a.rst", lambda: fill("> ", RST_TITLE, "x\n")),
    "rst-backticks": ("a.rst", lambda: fill("`", RST_TITLE)),
    "rst-lines": ("a.rst", lambda: repeat("x\n", MAX_LINES - 10, RST_TITLE)),
    "rst-long-paragraph": ("a.rst", lambda: repeat("x" * 79 + "\n", (MAX_CHARACTERS - 100) // 80, RST_TITLE)),
    "rst-transitions": ("a.rst", lambda: RST_TITLE + "a\n\n----\n\n" * (MAX_ADORNMENTS - 1)),
    "rst-emphasis-openers": ("a.rst", lambda: fill("*a ", RST_TITLE)),
    # YAML front matter: runs of spaces before a character that fails the match
    "markdown-yaml-spaces": ("a.md", lambda: f"---\ntitle: Hostile\nk: a{' ' * YAML_RUN}#\n---\nx\n"),
    "markdown-yaml-quotes": ("a.md", lambda: "---\ntitle: Hostile\nk: ''" + "''" * (YAML_RUN // 2) + "x\n---\nx\n"),
    # Hugo: block attribute lines never closed (each read to its end once), escaped shortcodes never closed
    "hugo-attribute-lines-unclosed": ("content/a.md", lambda: padded('\n{.a #b c="d', " ", FRONT, 20_000)),
    "hugo-escaped-shortcodes-unclosed": ("content/a.md", lambda: padded("{{</* a ", "b", FRONT, MAX_SHORTCODES)),
    # Hugo tables: rows of a few bytes padded to a wide delimiter row (refused past MAX_TABLE_CELLS), and just under
    "hugo-table-short-header": ("content/a.md", lambda: FRONT + "| a\n" + "|-" * ((MAX_MARKUP - 100) // 2) + "\n| b\n"),
    "hugo-table-wide-rows": ("content/a.md", lambda: FRONT + "|a" * 300 + "\n" + "|-" * 300 + "\n" + "|b\n" * 30_000),
    "hugo-table-cells-at-limit": ("content/a.md", lambda: FRONT + "|a" * 19 + "\n" + "|-" * 19 + "\n" + "|b\n" * 1000),
    # Hugo: tables on list items' lazy lines (each given the item's indentation), fences indented by tabs
    "hugo-lazy-table-items": ("content/a.md", lambda: padded("a\n|b|c|\n|-|-|\n- ", "a", FRONT + "- ", 3000)),
    "hugo-lazy-table-rows": ("content/a.md", lambda: padded("\n|", "c", FRONT + "> a\n|b|\n|-|", 15_000)),
    "hugo-tab-fences": ("content/a.md", lambda: FRONT + ("- a\n" + "\t" * 70 + "```\n") * ((MAX_MARKUP - 100) // 76)),
    "hugo-task-boxes": ("content/a.md", lambda: padded("[x] ", "a", FRONT + "* ", (MAX_MARKUP - 100) // 2)),
    # Hugo: runs of tildes paired as Goldmark pairs them (MAX_RUNS of a page), and runs the rule of three keeps apart
    "hugo-tilde-runs": ("content/a.md", lambda: padded("a~~~b ", "c", FRONT, (MAX_MARKUP - 100) // 6)),
    "hugo-tilde-runs-unpaired": ("content/a.md", lambda: padded("a~~b c~~~~ ", "d", FRONT, (MAX_MARKUP - 100) // 12)),
    # Pelican's Python-Markdown: code spans paired across a paragraph or list item
    "pelican-list-items-with-backticks": ("content/a.md", lambda: padded("* `a\n", "", PELICAN, (MAX_MARKUP - 100) // 3)),
    "pelican-list-items": ("content/a.md", lambda: padded("* a\n", "", PELICAN, (MAX_MARKUP - 100) // 2)),
    "pelican-paragraph-lines-with-backticks": ("content/a.md", lambda: padded("`a\n", "", PELICAN, (MAX_MARKUP - 100) // 2)),
    "pelican-backticks": ("content/a.md", lambda: padded("`", "a", PELICAN, MAX_MARKUP - 100)),
    "pelican-emphasis-by-punctuation": ("content/a.md", lambda: padded("a**-", "b", PELICAN, (MAX_MARKUP - 100) // 3)),
    # `_` runs beside symbols, each given a punctuation mark (pelican_emphasis._underscores_marked)
    "pelican-underscores-by-symbols": ("content/a.md", lambda: fill(
        "→_" + "b" * (SIZE // (MAX_MARKUP * 9 // 10) - 4), PELICAN)),
    # Links by reference whose labels go on over lines, one in two escaped, under definitions
    # (pelican_references: the labels looked up as Python-Markdown and cmark look them up)
    "pelican-reference-labels": ("content/a.md", lambda: padded("[a\\_\nb][] [a\nb] [c] ", "x", PELICAN
                                                                 + "[a\\_ b]: x\n[a b]: y\n[c]: z\n\n",
                                                                 (MAX_MARKUP - 100) // 16)),
    # Star runs starting lines after hard line breaks (pelican_emphasis marks each)
    "pelican-runs-after-breaks": ("content/a.md", lambda: padded("a  \n** ", "b", PELICAN, (MAX_MARKUP - 100) // 4)),
    # Headings and [TOC] markers, the site's toc extension on: each marker is the whole table
    "pelican-toc-markers-and-headings": ("content/a.md", lambda: padded("## a\n\n[TOC]\n\n", "", PELICAN,
                                                                        (MAX_MARKUP - 100) // 8)),
    # Items, each under a blank line with a paragraph 2 columns in (no item's: _paragraph_line)
    # and a `#` line 4 columns in under it (a heading in an item's paragraph block: list_line)
    "pelican-list-outdented-paragraphs": ("content/a.md", lambda: padded("- a\n\n  b\n\n    #c\n\n", "",
                                                                         PELICAN, (MAX_MARKUP - 100) // 8)),
    # Blocks of HTML with text after their end tag on their line, `<br />` and references in it
    # (markdown_html._tail_apart); one line of many such elements too
    "pelican-html-block-tails": ("content/a.md", lambda: padded("<h2>a</h2>b<br />&amp;<pre>c</pre>d\n", "",
                                                                PELICAN, TAGS // 5)),
    "pelican-html-block-tails-one-line": ("content/a.md", lambda: PELICAN + "<div>a</div>"
                                          + "b<br />&amp;<p>c</p>" * (TAGS // 3)),
    # Blocks of HTML each holding a fence, their element's end then a line (pelican_fences._apart)
    "pelican-fences-in-html-ended": ("content/a.md", lambda: padded("<div>\n<div>\n```\nx\n```\n</div>\n</div>\n-\n\n",
                                                                    "", PELICAN, (MAX_MARKUP - 100) // 32)),
    # Headings written as HTML, the toc extension on: each start tag marked (pelican_toc.raw_headings_marked)
    "pelican-toc-raw-headings": ("content/a.md", lambda: padded("<h2>a</h2>\n", "", PELICAN,
                                                                (MAX_MARKUP - 100) // 8)),
    # Boxes of the admonition extension, each title read as Markdown; boxes in boxes
    "pelican-admonitions": ("content/a.md", lambda: padded('!!! a "*t*"\n    x\n\n', "", PELICAN, (MAX_MARKUP - 100) // 9)),
    "pelican-admonitions-nested": ("content/a.md", lambda: PELICAN + "".join(
        f"{'    ' * level}!!! a\n" for level in range(1000))),
    # A fenced block whose lines cmark would close it at but Python-Markdown does not; fences never closed
    "pelican-fence-indented-closers": ("content/a.md", lambda: PELICAN + "```\n" + " ```\n" * ((MAX_MARKUP - 200) // 5)
                                       + "```\n"),
    "pelican-fences-unclosed": ("content/a.md", lambda: PELICAN + "```a\n" * ((MAX_MARKUP - 200) // 5)),
    # Tags starting a block quote's lines, each marked as a paragraph's text (pelican_escapes)
    "pelican-quoted-tags": ("content/a.md", lambda: PELICAN + "> <div>*a* `b\n" * ((MAX_MARKUP - 200) // 15)),
    # Tables whose delimiter rows cmark-gfm refuses, each written again (pelican_tables)
    "pelican-table-delimiter-rows": ("content/a.md", lambda: PELICAN + "a | b\n- | -\n\n" * ((MAX_MARKUP - 200) // 13)),
    # Fence lines Python-Markdown refuses (an info string of two words), text then (pelican_fences)
    "pelican-fences-refused": ("content/a.md", lambda: PELICAN + "```a b\nc `d`\n" * ((MAX_MARKUP - 200) // 14)),
    "pelican-numbered-code-lines": ("content/a.md", lambda: padded("    a\n", "", PELICAN, (MAX_MARKUP - 100) // 2)),
    # Markers alone on their lines, and an item's paragraph block full of item lines (pelican_lists)
    "pelican-bare-markers": ("content/a.md", lambda: padded("-\n1.\n\n", "", PELICAN, (MAX_MARKUP - 100) // 6)),
    "pelican-item-paragraph-block": ("content/a.md", lambda: PELICAN + "- a\n\n    b\n"
                                     + "- c\n" * ((MAX_MARKUP - 200) // 2)),
    # Paragraphs ending in a long brace list, read as attributes (pelican_attributes), escaped braces
    "pelican-attribute-lists": ("content/a.md", lambda: repeat("a \\{x\\}\n{" + "d e " * 600 + "}\n\n", 2000, PELICAN)),
    # Fenced blocks under tags' lines, set apart from their blocks of HTML (pelican_fences)
    "pelican-fences-in-html": ("content/a.md", lambda: padded("<div>\n```\na\n```\n\t</div>\n", "", PELICAN,
                                                              (MAX_MARKUP - 100) // 16)),
    # Tags of the liquid_tags plugin, removed, between tags left open (pelican_liquid_tags)
    "pelican-liquid-tags": ("content/a.md", lambda: padded("{% img a %}{% notebook ", "b", PELICAN, 5000)),
    # Footnotes defined, none referred to, each then referred to from an added paragraph and
    # all renumbered in their definitions' order (pelican_footnotes)
    # A table's rows of backtick runs of many lengths between pipes, paired within each row
    # (pelican_code_spans.table_row_pipes)
    "pelican-table-code-pipes": ("content/a.md", lambda: padded("|`a|``b|```c", "d", PELICAN + "a|b\n-|-\n",
                                                                (MAX_MARKUP - 200) // 9)),
    # include_code tags, each writing a file of the site's as code, up to their count and size limits
    "pelican-include-code": ("content/a.md", lambda: padded("{% include_code a.txt %}\n\n", "b", PELICAN, 5000)),
    "pelican-footnotes-unreferenced": ("content/a.md", lambda: PELICAN + "".join(
        f"[^{number}]: a\n" for number in range(9_900))),
    # just_table's tables (pelican_just_table): many small ones, some in code spans; tags without a `]`
    # on one long line; tags without an end
    "pelican-just-tables": ("content/a.md", lambda: PELICAN + '`a"b` [jtable caption="c"]\na,b\n[/jtable]\n\n'
                            * ((MAX_MARKUP - 200) // 40)),
    "pelican-just-table-open-tags": ("content/a.md", lambda: PELICAN + "[jtable " * ((MAX_MARKUP - 200) // 8)),
    # Table rows of escaped backslashes before pipes, each rewritten (pelican_tables.backslash_pipes)
    "pelican-table-backslash-pipes": ("content/a.md", lambda: PELICAN + "a | b\n--|--\n" + "\\\\\\\\|\\\\\\| x\n" * (
        (MAX_MARKUP - 200) // 12)),
    # TeX quotes between code spans and tags left open, TYPOGRIFY on (pelican_typogrify)
    "pelican-typogrify-quotes": ("content/a.md", lambda: PELICAN + "``a'' `b` <kbd>c</kbd> <i\n" * ((MAX_MARKUP - 200) // 28)),
    # Definitions of the empty label and uses of it, each rewritten (pelican_references.empty_label_read)
    "pelican-empty-labels": ("content/a.md", lambda: PELICAN + "[]: a\n![][] [][] `[][]`\n" * ((MAX_MARKUP - 200) // 23)),
    # Bare `[]` after labels none defines, each looked back from (pelican_references.bare_empty_read)
    "pelican-empty-label-shorts": ("content/a.md", lambda: PELICAN + "[]: a\n\n" + ("[x [y][] ![]" * 20 + "\n") * (
        (MAX_MARKUP - 200) // 241)),
    # One long label line, with `][]` after it many times (a long look back each)
    "pelican-empty-label-lookback": ("content/a.md", lambda: PELICAN + "[]: a\n\n[" + "x" * 1500 + "]" + "][]" * (
        (MAX_MARKUP - 2000) // 3)),
    "pelican-just-table-unended": ("content/a.md", lambda: PELICAN + "[jtable]\na,b\n\n" * ((MAX_MARKUP - 200) // 14)),
}
# The configuration files of the site a shape's file is in, by the shape name's first word.
SITE_FILES = {
    "pelican": {"pelicanconf.py": "SITENAME = 'Hostile'\nMARKDOWN = {'extension_configs': {"
                                  "'markdown.extensions.toc': {'permalink': True}, "
                                  "'markdown.extensions.codehilite': {'linenos': 'inline'}, "
                                  "'markdown.extensions.admonition': {}}}\n"
                                  "PLUGINS = ['liquid_tags', 'just_table']\n"
                                  "LIQUID_TAGS = ['img', 'notebook', 'include_code']\nTYPOGRIFY = True\n",
                "content/code/a.txt": "x = [1, 2]\n" * 2_000},
    "jekyll": {"_config.yml": "title: Hostile\n"},
    "hugo": {"hugo.toml": 'title = "Hostile"\nbaseURL = "https://example.org/"\ncanonifyURLs = true\n'
                          'enableEmoji = true\n'
                          '[markup.goldmark.renderer]\nunsafe = true\n[markup.highlight]\nlineNos = true\n'
                          '[markup.goldmark.parser.attribute]\nblock = true\n',
             # a site shortcode marking down what it encloses (hugo-shortcode-nested-deep)
             "layouts/shortcodes/box.html": "<div>{{ .Inner | markdownify }}</div>",
             "layouts/shortcodes/card.html": '{{ $u := urls.Parse (.Get 0) }}<a href="{{ .Get 0 | relURL }}">'
                                             '{{ (urls.Parse (.Get 0)).Host }}{{ $u.Path }}</a>{{ absURL $u.Path }}'},
}


def run_one(name: str) -> None:
    """In the child: write the file, read it as a scan does; print seconds, size, outcome."""
    path, make = SHAPES[name]
    text = make()
    with tempfile.TemporaryDirectory() as folder:
        for config, written in SITE_FILES.get(name.split("-")[0], {}).items():
            (Path(folder) / config).parent.mkdir(parents=True, exist_ok=True)
            (Path(folder) / config).write_text(written, encoding="utf-8")
        real = Path(folder) / path
        real.parent.mkdir(parents=True, exist_ok=True)
        real.write_text(text, encoding="utf-8")
        settings = Settings(content_dir=Path(folder))
        site = load_site(Path(folder))
        start, cpu = time.perf_counter(), time.process_time()
        try:
            read_file(path, real, settings, [], None, datetime.now(UTC), site=site)
            outcome = "read"
        except ReadError as exc:
            outcome = f"refused: {exc}"
        seconds = time.process_time() - cpu
        print(f"{seconds:.3f} {time.perf_counter() - start:.3f} {len(text.encode())} {outcome}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", choices=sorted(SHAPES), help="run one shape")
    parser.add_argument("--timeout", type=float, default=120, help="seconds before a shape is given up")
    args = parser.parse_args()
    slowest = 0.0
    for name in [args.only] if args.only else SHAPES:
        try:
            result = subprocess.run([sys.executable, __file__, name], capture_output=True, text=True,
                                    check=True, timeout=args.timeout)
        except subprocess.TimeoutExpired:
            print(f"{name:32} still reading after {args.timeout:g} s")
            slowest = max(slowest, args.timeout)
            continue
        seconds, wall, size, outcome = result.stdout.split(" ", 3)
        slowest = max(slowest, float(seconds))
        print(f"{name:32} {int(size):>9,} bytes  {float(seconds):6.3f} s ({float(wall):6.3f} s wall)  "
              f"{outcome.strip()[:80]}")
    print(f"RESULT hostile_read ratio={slowest / TARGET_SECONDS:.2f} target=<=1")


if __name__ == "__main__":
    run_one(sys.argv[1]) if len(sys.argv) > 1 and not sys.argv[1].startswith("-") else main()
