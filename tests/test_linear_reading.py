"""What the linear rewrites of once quadratic reading steps give (their speed is measured by
bench/hostile.py, not here): the same results as before on ordinary input, and the same
meaning browsers give to hostile input."""

from __future__ import annotations

import re

import pytest

from feedsvc.errors import ReadError
from feedsvc.normalize import cut_at_word, html_to_text, make_summary
from feedsvc.readers.html import _ATTRIBUTE, without_xml_declarations
from feedsvc.readers.metadata import split_header_block
from feedsvc.text import count_matches

COMPLETE_DECLARATION = re.compile(r"<\?xml[^>]*>", re.IGNORECASE)


def attributes(tag: str) -> int:
    return count_matches(_ATTRIBUTE, tag, 2, len(tag) - 1)


def test_attributes_are_counted_by_name() -> None:
    assert attributes("<a" + " " * 10_000 + ">") == 0
    assert attributes("<a" + " /" * 5_000 + ">") == 0
    assert attributes("""<p a b="x y  z" c='w v' d=e / f>""") == 5
    assert attributes("<p  a   =   '1'   b\n=\n\"2\"   c>") == 3


def test_xml_declarations_go_and_none_is_left_by_joining() -> None:
    assert without_xml_declarations("<?xml version='1.0'?><p>a</p>") == " <p>a</p>"
    assert without_xml_declarations("<p>a<?XML x?>b</p>") == "<p>a b</p>"
    nested = "<?x" * 300 + "<?xml>" + "ml>" * 300
    assert COMPLETE_DECLARATION.search(without_xml_declarations(nested)) is None
    unclosed = "<p>a</p>" + "<?xml" * 100
    assert without_xml_declarations(unclosed) == unclosed


def test_what_html_parser_cannot_complete_is_dropped_from_a_summary() -> None:
    assert html_to_text("x <b>y</b> <a z") == "x y"
    assert html_to_text("a < b & c <3") == "a < b & c <3"


def test_header_continuation_lines_are_joined_in_order() -> None:
    lines = "".join(f"    line {k}\n" for k in range(900))
    header = f"Title: A\nSummary: first\n{lines}Tags: x\n\nBody"
    result = split_header_block(header)
    assert result is not None
    metadata, body, ended = result
    assert metadata["summary"] == "first " + " ".join(f"line {k}" for k in range(900))
    assert metadata == {"title": "A", "summary": metadata["summary"], "tags": "x"}
    assert (body, ended) == ("Body", True)
    assert split_header_block("Title: A\n    more\nTitle: B\n    again\n\nx") == (
        {"title": "A more again"}, "x", True)
    with pytest.raises(ReadError, match="header: more than 1,000 'Key: value' lines at the top"):
        split_header_block("Title: A\n" + "    more\n" * 1_000 + "\nBody")
    long_line = "Topics: " + ", ".join(f"t{k}" for k in range(20_000))  # one line: read
    assert split_header_block(f"Title: A\n{long_line}\n\nBody")[0]["topics"] == long_line[8:]  # type: ignore[index]


def test_a_summary_is_taken_from_the_start_of_a_long_first_paragraph() -> None:
    words = " ".join(f"word{k}" for k in range(200_000))  # 1.5 MB in one paragraph
    html = f"<p>{words.replace(' ', ' <b>x</b> ', 1000)}</p><p>second</p>"
    summary = make_summary({}, html)
    assert summary == cut_at_word(html_to_text(html.split("</p>")[0]))
    assert summary.startswith("word0 x word1 x") and summary.endswith("…")
