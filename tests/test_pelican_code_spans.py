"""Code spans as Python-Markdown (Pelican's) pairs them: the expectations are what
Python-Markdown 3.11 writes for each text (its BacktickInlineProcessor)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from feedsvc.readers import pelican_markdown
from feedsvc.readers.markdown_code import MAX_BACKTICKS
from feedsvc.readers.pelican_code_spans import code_spans, finish, placeholders, usable
from feedsvc.readers.pelican_just_table import tables
from feedsvc.readers.pelican_references import titles_escaped
from feedsvc.readers.pelican_tables import rule_as_text

PAIRED = [  # text, then each span Python-Markdown finds: (whole span, its code)
    ("`a` b", [("`a`", "a")]),
    ("``a`", [("``a`", "`a")]),  # no closing run of two: the longest shorter one closes
    ("```a`` b`", [("```a``", "`a")]),
    ("` ``", []),  # only longer runs: none
    ("\\`a` b`", [("` b`", "b")]),  # a backslash before a backtick: it opens nothing
    ("\\\\`a` b`", [("`a`", "a")]),  # two are an escaped backslash: it opens
    ("x `a ``b`` c` d", [("`a ``b`` c`", "a ``b`` c")]),
    ("`impl `{x}` for T`", [("`impl `", "impl"), ("` for T`", "for T")]),
    ("a `span that\ngoes on` here", [("`span that\ngoes on`", "span that\ngoes on")]),
]


@pytest.mark.parametrize(("text", "spans"), PAIRED)
def test_code_spans_pair_as_python_markdown_pairs_them(text: str, spans: list[tuple[str, str]]) -> None:
    found = [(text[start:end], text[code_start:code_end].strip())
             for start, code_start, code_end, end in code_spans(text)]
    assert found == spans


def test_placeholders_become_the_code_and_other_backticks_stay_text() -> None:
    text = "one `a <b>\n& c` two\nthree ` four"
    rewritten, starts = placeholders(text)
    assert rewritten.endswith("\nthree \\` four")  # the unpaired one escaped for cmark
    assert starts == [0, text.index("three")]  # the span's newline is in its placeholder
    assert finish(rewritten.replace("\\`", "`")) == "one <code>a &lt;b&gt;\n&amp; c</code> two\nthree ` four"


@given(st.text(alphabet="`\\a \n", max_size=60))
def test_spans_are_in_order_and_inside_the_text(text: str) -> None:
    position = 0
    for start, code_start, code_end, end in code_spans(text):
        assert position <= start < code_start <= code_end < end <= len(text)
        assert text[start] == "`" and text[end - 1] == "`"
        position = end


def test_past_the_backtick_bound_spans_are_left_to_cmark() -> None:
    """Pairing as Python-Markdown does is Python work for each run: past MAX_BACKTICKS a text's
    spans are cmark's (bench/hostile.py's pelican-backticks)."""
    within = "a `x\ny` b " * (MAX_BACKTICKS // 2)
    assert usable(within) and not usable(within + "`c`")
    assert "\ue000" in pelican_markdown.as_python_markdown(within)  # spans made placeholders
    assert "\ue000" not in pelican_markdown.as_python_markdown(within + "`c`")  # left as written


def test_a_definitions_label_is_marked_as_its_links_are_and_its_address_is_not() -> None:
    """Emphasis marks (readers.pelican_emphasis) in a link's label and not in its definition's
    would keep cmark from matching them; in an address they would be part of the URL."""
    text = "See the [**tap.key**][] here.\n[**tap.key**]: https://example.no/*a*-b\n"
    link, definition = pelican_markdown.as_python_markdown(text).split("\n")[0::2]
    assert link == "See the [\ue002**tap.key**\ue002][] here."
    assert definition == "[\ue002**tap.key**\ue002]: https://example.no/*a*-b"


def test_a_delimiter_row_inside_a_paragraph_is_text() -> None:
    """Under a paragraph's line, a table's rows are the paragraph's text to Python-Markdown."""
    assert rule_as_text("---|:--:") == "---\\|:--:"
    assert rule_as_text("| --- | --- |") == "\\| --- | --- |"
    assert rule_as_text("a | b") is None and rule_as_text("-----") is None


def test_a_definitions_title_runs_to_the_lines_last_closing_mark() -> None:
    assert titles_escaped("[c]: # (done (twice))") == "[c]: # (done \\(twice\\))"
    assert titles_escaped('[a]: http://a.example "say "hi""') == '[a]: http://a.example "say \\"hi\\""'
    assert titles_escaped("[c]: # (plain)") == "[c]: # (plain)"
    assert titles_escaped("[^1]: a (b (c))") == "[^1]: a (b (c))"  # a footnote's, left alone


def test_just_table_tables_only_where_the_site_turns_the_plugin_on() -> None:
    html = "<p>[jtable]\na,b\nc,d,e\n[/jtable]</p>"
    assert tables(html, {}) == html
    written = tables(html, {"PLUGINS": ["just_table"]})
    assert "<th>a</th><th>b</th>" in written and "<td>c</td><td>d,e</td>" in written  # split as the head
    assert tables("<p>[jtable\na\n[/jtable]</p>", {"PLUGINS": ["just_table"]}) == "<p>[jtable\na\n[/jtable]</p>"
    numbered = '<p>[jtable ai="1"]\na\nb\n[/jtable]</p>'
    assert "No." not in tables(numbered, {"PLUGINS": ["just_table"]})  # the collection's pattern wants `ai="1 "`
    assert "No." in tables(numbered, {"PLUGINS": ["pelican_just_table"]})
