"""The Markdown renderer (cmark-gfm, plain CommonMark) and the rules the readers rely on.

Generated ordinary Markdown is checked against HTML the generator builds itself from the
CommonMark rules each construct follows; the cases below pin what is ours to decide: raw
HTML goes on to the sanitizer, host names become IDNA, a leading heading becomes the title,
a Pelican summary is plain text, and deep nesting is refused, not truncated.
"""

from __future__ import annotations

import html
import resource
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from feedsvc.errors import ReadError
from feedsvc.normalize import sanitize_html
from feedsvc.readers import read_article
from feedsvc.readers.goldmark import MAX_LINKIFIED, linkify
from feedsvc.readers.kramdown import (
    _STAR_AFTER_WORD, _STAR_BEFORE_WORD, MAX_STAR_RUNS_TRIED, _rewrites_a_run, as_kramdown,
)
from feedsvc.readers.kramdown_links import MAX_LINKS as KRAMDOWN_MAX_LINKS
from feedsvc.readers.kramdown_math import MAX_MATH
from feedsvc.readers.kramdown_tables import MAX_TABLE_BLOCKS
from feedsvc.readers.markdown_code import MAX_BACKTICKS, MAX_TABLE_CELLS
from feedsvc.readers.markdown_html import LineTags, _start_tags, block_end
from feedsvc.readers.markdown import _leading_h1, render
from feedsvc.readers.site import load_site
from feedsvc.urls import ascii_host

BASE = "https://news.example.org/articles/a"
PROPERTY = settings(max_examples=200, deadline=None, database=None)

# Words that are never Markdown syntax, and inline constructs with the HTML they give.
_word = st.text(alphabet="abcdefghijklmnopqrstuvwxyzäöéßжπ日本", min_size=1, max_size=8)
_url = st.builds(lambda host, path: f"https://{host}.example.org/{path}", _word.filter(str.isascii), _word)


def _inline(kind: str, text: str, url: str) -> tuple[str, str]:
    """(Markdown, HTML) of one inline construct."""
    escaped = html.escape(text, quote=False)
    return {
        "text": (text, escaped),
        "em": (f"*{text}*", f"<em>{escaped}</em>"),
        "strong": (f"**{text}**", f"<strong>{escaped}</strong>"),
        "code": (f"`{text} <b>`", f"<code>{escaped} &lt;b&gt;</code>"),
        # The renderer percent-encodes what a URL may not hold (a non-ASCII path).
        "link": (f"[{text}]({url})", f'<a href="{quote(url, safe=":/")}">{escaped}</a>'),
        "amp": (f"{text} & {text}", f"{escaped} &amp; {escaped}"),
    }[kind]


_inline_pair = st.builds(_inline, st.sampled_from(["text", "em", "strong", "code", "link", "amp"]),
                         _word, _url)
_line = st.lists(_inline_pair, min_size=1, max_size=6).map(
    lambda pairs: (" ".join(md for md, _ in pairs), " ".join(h for _, h in pairs)))


def _block(kind: str, lines: list[tuple[str, str]], level: int) -> tuple[str, str]:
    """(Markdown, HTML) of one block; a paragraph's lines are joined by soft breaks."""
    text_md = "\n".join(md for md, _ in lines)
    text_html = "\n".join(h for _, h in lines)
    first_md, first_html = lines[0]
    if kind == "heading":
        return f"{'#' * level} {first_md}", f"<h{level}>{first_html}</h{level}>"
    if kind == "list":
        items = "".join(f"<li>{h}</li>\n" for _, h in lines)
        marker = "-+*"[level % 3]  # a list right after another needs another marker (§5.3)
        return "\n".join(f"{marker} {md}" for md, _ in lines), f"<ul>\n{items}</ul>"
    if kind == "quote":
        prefix = "> " * level
        return (f"{prefix}{text_md}",
                "<blockquote>\n" * level + f"<p>{text_html}</p>\n" + "</blockquote>\n" * level)
    if kind == "code":
        code = "\n".join(html.escape(md, quote=False) for md, _ in lines)
        return f"```\n{text_md}\n```", f"<pre><code>{code}\n</code></pre>"
    return text_md, f"<p>{text_html}</p>"


_blocks = st.lists(
    st.builds(_block, st.sampled_from(["paragraph", "heading", "list", "quote", "code"]),
              st.lists(_line, min_size=1, max_size=3), st.integers(1, 6)),
    min_size=1, max_size=6)


def _clean(markup: str) -> str:
    """Sanitized, with the whitespace between blocks left out (it is not content)."""
    return "".join(line.strip() for line in sanitize_html(markup, BASE).split("\n"))


@PROPERTY
@given(blocks=_blocks)
def test_ordinary_markdown_renders_as_commonmark_says(blocks: list[tuple[str, str]]) -> None:
    markers = [md[:2] for md, _ in blocks]
    assume(not any(a == b and a[0] in "-+*" for a, b in zip(markers, markers[1:], strict=False)))
    markdown = "\n\n".join(md for md, _ in blocks) + "\n"
    expected = "\n".join(h for _, h in blocks)
    assert _clean(render(markdown)) == _clean(expected)


@pytest.mark.parametrize(("markdown", "expected"), [
    # Raw HTML reaches the sanitizer, which keeps what it allows and drops the rest.
    ("Some <b>bold</b> and <span onclick=\"x()\">span</span>.",
     "<p>Some <b>bold</b> and <span>span</span>.</p>"),
    ("<div>\n<script>alert(1)</script>\n</div>\n\nAfter.", "<div>\n\n</div>\n<p>After.</p>"),
    ("[click](javascript:alert(1)) <a href=\"javascript:x()\">raw</a>",
     '<p><a rel="noopener noreferrer">click</a> <a rel="noopener noreferrer">raw</a></p>'),
    ("<svg><script>alert(1)</script></svg>", "<p></p>"),
    # Relative links become absolute; non-ASCII host names become IDNA.
    ("[page](other) ![pic](/img/a.png)",
     '<p><a href="https://news.example.org/articles/other" rel="noopener noreferrer">page</a> '
     '<img src="https://news.example.org/img/a.png" alt="pic"></p>'),
    ("[shop](https://Bücher.de/ä?q=ü) <https://münchen.de>",
     '<p><a href="https://xn--bcher-kva.de/%C3%A4?q=%C3%BC" rel="noopener noreferrer">shop</a> '
     '<a href="https://xn--mnchen-3ya.de" rel="noopener noreferrer">https://münchen.de</a></p>'),
    # Soft breaks stay newlines; two trailing spaces make a line break (CommonMark §6.7, §6.8).
    ("one\ntwo  \nthree", "<p>one\ntwo<br>\nthree</p>"),
    # Emphasis needs flanking runs; intraword underscores are text (§6.2).
    ("snake_case_name and *a*b and __x__", "<p>snake_case_name and <em>a</em>b and <strong>x</strong></p>"),
    ("1. one\n2. two\n\n7) seven",
     '<ol>\n<li>one</li>\n<li>two</li>\n</ol>\n<ol start="7">\n<li>seven</li>\n</ol>'),
    ("[ref] and [Ref][]\n\n[ref]: https://example.com/r \"Title\"",
     '<p><a href="https://example.com/r" title="Title" rel="noopener noreferrer">ref</a> and '
     '<a href="https://example.com/r" title="Title" rel="noopener noreferrer">Ref</a></p>'),
    ("&copy; &#x41; &bogus; \\*not em\\*", "<p>© A &amp;bogus; *not em*</p>"),
])
def test_rendered_and_sanitized(markdown: str, expected: str) -> None:
    assert sanitize_html(render(markdown), BASE).strip() == expected


def test_every_url_attribute_gets_an_ascii_host_in_html_articles_too() -> None:
    article = read_article("page.html", "<title>T</title><p><a href='https://bücher.de/x'>b</a>"
                           "<img src='//例え.jp/a.png'></p>".encode())
    cleaned = sanitize_html(article.body_html, BASE)
    assert 'href="https://xn--bcher-kva.de/x"' in cleaned
    assert 'src="https://xn--r8jz45g.jp/a.png"' in cleaned


@pytest.mark.parametrize("url", [
    "https://" + "ü" * 64 + ".de/",  # a label over 63 characters
    "https://a..ü.de/",  # an empty label
    "https://bü cher.de/",  # a space
    "https://ü.de%2F/x",  # a slash, percent-encoded
    "https://b%FF.de/",  # not UTF-8
    "https://-ü.de/",  # a hyphen at a label's start
    "https://[::1]/ü",
    "mailto:ü@bücher.de",
])
def test_a_host_idna_refuses_is_left_as_written(url: str) -> None:
    assert ascii_host(url) == url
    cleaned = sanitize_html(f'<a href="{html.escape(url)}">x</a>', BASE)
    assert cleaned.startswith("<a")  # neither an exception nor a lost link text


def test_host_with_user_and_port_keeps_both() -> None:
    assert ascii_host("https://me:pw@BÜCHER.de:8443/a?b#c") == "https://me:pw@xn--bcher-kva.de:8443/a?b#c"
    assert ascii_host("https://b%C3%BCcher.de/%C3%BC") == "https://xn--bcher-kva.de/%C3%BC"


@pytest.mark.parametrize(("body", "title", "rest"), [
    ("# The title\n\nBody.\n", "The title", "\nBody.\n"),
    ("\n\n  # Indented, closed ##\nBody.", "Indented, closed", "Body."),
    ("Two lines\nof title\n===\nBody.", "Two lines of title", "Body."),
    ("#hashtag\n=====\n\nBody.", "#hashtag", "\nBody."),
    ("# A *fine* `<day>` &amp; <b>raw</b> ![pic](x.png)\nBody.", "A fine <day> & raw", "Body."),
    ("# Stop </h1> here\nBody.", "Stop here", "Body."),
])
def test_leading_heading_gives_title_and_leaves_the_body(body: str, title: str, rest: str) -> None:
    assert _leading_h1(body) == (title, rest)


@pytest.mark.parametrize("body", ["## Second level\n", "Text\n\n# Later\n", "> # Quoted\n",
                                  "<h1>Raw</h1>\n", "    # code\n", "Title\n---\n"])
def test_no_leading_level_one_heading(body: str) -> None:
    assert _leading_h1(body) is None


@pytest.mark.parametrize(("config", "path", "title", "heading_kept"), [
    (None, "notes/kiln.md", "Kiln log", False),  # feedsvc's own articles: the heading is the title
    ("hugo.toml", "content/notes/kiln.md", "Kiln log", True),  # Hugo: no title, the heading published
    ("_config.yml", "_posts/2023-04-22-kiln.md", "Kiln", True),  # Jekyll: titled from the file name
])
def test_an_untitled_page_with_a_leading_heading(config: str | None, path: str, title: str,
                                                 heading_kept: bool, tmp_path: Path) -> None:
    if config:
        (tmp_path / config).write_text("title: Kiln\n" if config.endswith(".yml") else 'title = "Kiln"\n')
    article = read_article(path, b"---\ndate: 2023-04-22\n---\n\n# Kiln log\n\nCone 6 reached.\n",
                           load_site(tmp_path))
    assert article.title == title
    assert ("<h1>Kiln log</h1>" in article.body_html) is heading_kept
    assert "Cone 6 reached." in article.body_html


def test_summary_metadata_is_plain_text_in_a_pelican_header() -> None:
    article = read_article("a.md", b"Title: T\nSummary: 1. *First* <script> of all\n\nBody.\n")
    assert article.metadata["summary"] == "1. *First* <script> of all"


@pytest.mark.parametrize(("marker", "depth"), [("> ", 90_000), ("> ", 600), ("* ", 90_000),
                                               ("1. ", 90_000), ("- ", 90_000)])
def test_deep_nesting_is_refused_or_kept_whole(marker: str, depth: int) -> None:
    """Quotes nest as deep as written, and are then refused by the depth check; lists stop
    nesting at cmark's limit and keep the rest as text. Nothing is silently dropped."""
    text = f"Title: Deep\nDate: 2024-01-01\n\n{marker * depth}end of text\n".encode()
    article = read_article("deep.md", text)
    if marker == "> ":
        with pytest.raises(ReadError, match=f"HTML nested {depth} elements deep; at most 512"):
            sanitize_html(article.body_html, BASE)
    else:
        cleaned = sanitize_html(article.body_html, BASE)
        assert "end of text" in cleaned
        assert cleaned.count("<li>") < 512


def _resident_bytes() -> int:
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * resource.getpagesize()


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="needs /proc to read resident memory")
def test_rendering_frees_what_cmark_returns() -> None:
    """cmark's output buffer is freed (cmarkgfm's own wrapper leaks it: 40 MB here)."""
    text = "A paragraph with *some* words.\n\n" * 256  # 8 KB of Markdown, 9 KB of HTML
    render(text)
    before = _resident_bytes()
    for _ in range(4000):
        render(text)
    assert _resident_bytes() - before < 10 * 1024 * 1024


_STAR_LINE_PIECES = st.sampled_from(["*", "**", "***", "****", "a", "é", "1", " ", "\u00a0", ".", "_", ",", "(", "\t"])


@settings(max_examples=300)
@given(pieces=st.lists(_STAR_LINE_PIECES, max_size=60))
def test_stars_are_looked_at_run_by_run_as_the_patterns_find_them(pieces: list[str]) -> None:
    """kramdown's star rewriting tries each run of `*` alone: it must find what a search of the
    whole line finds."""
    line = "".join(pieces)
    for pattern in (_STAR_BEFORE_WORD, _STAR_AFTER_WORD):
        assert _rewrites_a_run(pattern, line) == bool(pattern.search(line))


def test_a_line_of_more_star_runs_than_tried_is_rewritten() -> None:
    tried = "a* " * MAX_STAR_RUNS_TRIED  # none before punctuation
    assert not _rewrites_a_run(_STAR_AFTER_WORD, tried)
    assert _rewrites_a_run(_STAR_AFTER_WORD, tried + "a* ")  # one more run: taken to match
    assert _rewrites_a_run(_STAR_AFTER_WORD, "a* " * (MAX_STAR_RUNS_TRIED - 1) + "a*.")


def test_start_tags_on_a_line_end_at_the_first_closing_bracket_after_them() -> None:
    """The `>` closing each start tag is looked for once per stretch of tags before it; a tag
    ends with `/>` only if the first `>` after its name does."""
    assert list(_start_tags('<div a <p/> <DIV class="x"/> <span>')) == [
        ("div", 0), ("p", 0), ("div", 0), ("span", 1)]
    assert list(_start_tags("<div <div <div")) == [("div", 1)] * 3
    tags = LineTags(["<div>", "<div <div/>", "</div>", "</div>"])
    assert block_end(tags, 0, "DIV") == 2  # the second line's tags both end at its `/>`


def test_past_the_backtick_bound_kramdown_backtick_rules_are_left_to_cmark() -> None:
    """kramdown's lone backtick (` x ` starts no span) and spaced code spans are emulated run
    by run in Python: past MAX_BACKTICKS a text's backticks are cmark's (bench/hostile.py's
    jekyll-spaced-backticks)."""
    lone = "a ` b\n\n"
    spaced = "a` x `b\n\n"
    within = lone * (MAX_BACKTICKS - 2) + spaced
    assert as_kramdown(within, {}).startswith("a \\` b") and "a`  x  `b" in as_kramdown(within, {})
    over = within + lone
    assert as_kramdown(over, {}) == over


def test_kramdown_math_past_its_bound_is_left_as_written() -> None:
    """Each `$$` span is looked at in Python: past MAX_MATH a text's are left as written
    (bench/hostile.py's jekyll-math-spans)."""
    within = "x $$a$$ y\n\n" * MAX_MATH
    assert as_kramdown(within, {}).count("\\\\(a\\\\)") == MAX_MATH
    assert as_kramdown(within + "$$b$$\n", {}) == within + "$$b$$\n"


def test_a_kramdown_table_of_more_pipes_than_table_cells_is_left_to_cmark() -> None:
    """Each cell of a kramdown table is split and written in Python: a block of more pipes
    than MAX_TABLE_CELLS stays a paragraph (bench/hostile.py's jekyll-table-pipes)."""
    row = "|" + "a|" * (MAX_TABLE_CELLS // 2 - 1)
    within = f"Intro\n\n{row}\n{row}\n\nEnd\n"  # MAX_TABLE_CELLS pipes
    assert "| --- |" in as_kramdown(within, {})
    over = within.replace("\n\nEnd", "\n|b|\n\nEnd")
    assert as_kramdown(over, {}) == over


def test_past_the_table_blocks_bound_kramdown_tables_are_left_to_cmark() -> None:
    """Each block holding a `|` is looked at as a kramdown table in Python: past MAX_TABLE_BLOCKS
    of them, blocks are left as written (cmark makes no table of a lone `a | b`)."""
    blocks = ["a | b"] * MAX_TABLE_BLOCKS + ["c | d"]
    written = as_kramdown("\n\n".join(blocks) + "\n", {})
    assert written.count("| a | b |") == MAX_TABLE_BLOCKS
    assert written.endswith("\n\nc | d\n")


def test_links_looked_at_for_emphasis_across_them_are_counted_over_the_whole_text() -> None:
    """kramdown's emphasis across a link's text is looked for in MAX_LINKS links of a text, not
    of each piece between blocks of HTML (each piece had a budget of its own)."""
    text = "[_a](b_) x\n\n<div></div>\n\n" * (KRAMDOWN_MAX_LINKS + 5)
    assert as_kramdown(text, {}).count("\\[_a]") == KRAMDOWN_MAX_LINKS


def test_hugo_links_past_the_linkify_bound_stay_text() -> None:
    """Each bare address made a link is then checked by the sanitizer: past MAX_LINKIFIED they
    are left as text (bench/hostile.py's hugo-linkify-addresses)."""
    html = linkify("<p>" + "a@b.example " * (MAX_LINKIFIED + 5) + "</p>", "https")
    assert html.count('<a href="mailto:a@b.example">') == MAX_LINKIFIED
    assert html.endswith("a@b.example a@b.example </p>")


def test_goldmark_makes_no_links_in_comments_and_processing_instructions() -> None:
    from feedsvc.readers.goldmark import raw_regions

    page = '<p>a http://x.example</p>\n<!-- http://y.example -->\n<?php see http://z.example/a)\n<p>b</p>'
    assert linkify(page, "https").count("<a ") == 1  # a `<?php` not closed is read to its first >
    assert raw_regions("<!-- a <? b --> c <? d > e <!-- f") == [(0, 15), (18, 24), (27, 33)]


def test_raw_html_paragraphs_starting_with_a_colon_are_no_definitions() -> None:
    from feedsvc.readers.goldmark import definition_lists, raw_paragraph_colons

    source = "Term\n: meaning\n\n<p>Mean</p>\n<p class='x'>: the sum</p>\n\n```\n<p>: code</p>\n```\n    <p>: indented\n"
    rewritten = raw_paragraph_colons(source)
    assert rewritten == source.replace("<p class='x'>: ", "<p class='x'>&#58; ")  # code as written
    assert definition_lists("<p>Mean</p>\n<p>: the sum</p>", "<p>Mean</p>\n<p>: the sum</p>") == (
        "<p>Mean</p>\n<p>: the sum</p>")  # no line of the source starts a definition
    assert "<dd>" in definition_lists("<p>Term\n: meaning</p>", "Term\n: meaning")


def test_kramdown_autolinks_holding_spaces_are_links_as_written() -> None:
    from feedsvc.readers.kramdown_autolinks import spaced_autolinks

    text = "(<https://x.example/a_b 1 >) <https://x.example/c> `<https://x.example/d e>` \\<http://f g> <mailto:a@b.c >"
    assert spaced_autolinks(text) == ("([https://x.example/a\\_b 1 ](<https://x.example/a_b 1 >)) <https://x.example/c> "
                                      "`<https://x.example/d e>` \\<http://f g> [a@b.c ](<mailto:a@b.c >)")
    assert spaced_autolinks("<http: " * 3) == "<http: " * 3  # no end: text


def test_kramdown_autolinks_holding_spaces_are_rewritten_up_to_their_limit() -> None:
    from feedsvc.readers.kramdown_autolinks import MAX_REWRITTEN, spaced_autolinks

    text = spaced_autolinks("<https://x.example/a b> " * (MAX_REWRITTEN + 2))
    assert text.count("](<https://x.example/a b>)") == MAX_REWRITTEN and text.endswith("<https://x.example/a b> " * 2)
