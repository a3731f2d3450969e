"""Front matter of the usual shape is read without the YAML parser (readers/simple_yaml.py),
with the very values the parser gives, and anything else is left to the parser."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime

import pytest
import yaml

from feedsvc.readers import simple_yaml
from feedsvc.readers.front_matter import _FastLoader, load_yaml

CONSTRUCTORS = _FastLoader.yaml_constructors


def parsed(source: str) -> object:
    return yaml.load(source, Loader=_FastLoader)  # noqa: S506 - a SafeLoader's kind


SIMPLE = [
    'title: "Tram river (839)"\ndate: 2015-01-01T00:00:00Z\ncategories: [World]\n'
    'tags: ["birds space", "film music"]\nauthor: Desk 3\n',
    "title: It's here\nday: 2023-02-01\nbad_day: 2023-02-30\ndraft: false\nweight: 10\nratio: 0.5\n",
    "on: yes\nOff: No\nalso: null\nhex: 0x1F\nsexagesimal: 1:30\nunder: 1_000\n",
    "title: 'it''s quoted'\ntags: [a, 'b''c', \"d e\", 5, true, 2020-01-02]\nempty: []\nspaced: [ a , b ]\n",
    "url: https://example.org/a/b?c=d&e=f\ntitle: Re:Zero and 10:30 today\nkey-name: x\n\n\nlast: z   \n",
    "date: 2023-01-29 18:30:22 -08:00\nother: 2001-12-14t21:59:43.10-05:00\ntitle: Ünïcödé wörds\n",
]

LEFT_TO_THE_PARSER = [
    "title: a # a comment\n",  # a comment after a value
    "tags:\n  - a\n  - b\n",  # a block sequence
    "title: >\n  folded\n",  # a block scalar
    'title: "escaped \\" quote"\n',  # an escape
    "a: 1\na: 2\n",  # a key twice
    "title: x\r\n",  # a carriage return
    "title:\tx\n",  # a tab
    "title: &anchor x\n",  # an anchor
    "title: !!str 5\n",  # a tag
    "title: -5\n",  # not a word character first
    "title: .inf\n",
    "key: =\n",  # the value tag, which no safe constructor builds
    "title: a: b\n",  # a mapping in a value
    "list: [a, [b]]\n",  # nested
    "title: \"non\u00a0breaking\"\n",  # not printable by Python's measure
    "",
    "# only a comment\n",
    "x" * 200 + ": long key\n",
]


@pytest.mark.parametrize("source", SIMPLE)
def test_the_usual_shape_gives_the_values_of_the_parser(source: str) -> None:
    simple = simple_yaml.load(source, CONSTRUCTORS)
    assert simple is not None
    assert simple == parsed(source)
    assert [type(value) for value in simple.values()] == [type(value) for value in parsed(source).values()]
    assert load_yaml(source) == parsed(source)


def test_dates_and_times_are_those_of_the_parser() -> None:
    simple = simple_yaml.load("a: 2015-01-01T00:00:00Z\nb: 2015-01-01\nc: 2023-02-30\n", CONSTRUCTORS)
    assert simple == {"a": datetime(2015, 1, 1, tzinfo=UTC), "b": date(2015, 1, 1), "c": "2023-02-30"}


@pytest.mark.parametrize("source", LEFT_TO_THE_PARSER)
def test_anything_else_is_left_to_the_parser(source: str) -> None:
    assert simple_yaml.load(source, CONSTRUCTORS) is None


def test_random_lines_read_alike_or_are_left_to_the_parser() -> None:
    """Lines built from the characters that matter to YAML: whatever is read without the
    parser has the parser's values."""
    rng = random.Random(5)
    pieces = ["a", "b", "Z", "1", "0", " ", "  ", ":", ",", "#", "'", '"', "[", "]", "-", ".", "é",
              "yes", "null", "~", "2020-01-01", "12:30", "true", "&", "!", "?", "x: y", "\\", "%", "@"]
    read_here = 0
    for _ in range(20_000):
        value = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 6)))
        source = f"key: {value}\nother: [{value}, {value}]\n"
        simple = simple_yaml.load(source, CONSTRUCTORS)
        if simple is None:
            continue
        read_here += 1
        assert simple == parsed(source), source
    assert read_here > 1000  # the test would prove nothing if nothing were read here


def test_long_runs_of_spaces_are_refused() -> None:
    """No two parts of a pattern take the same spaces: 60,000 of them, then a character that
    fails the match, are refused (at once: bench/hostile.py's markdown-yaml-* shapes)."""
    for source in ("k: a" + " " * 60_000 + "#\n", "k: [a" + " " * 60_000 + "#]\n",
                   "k: ''" + "''" * 30_000 + "x\n"):
        assert simple_yaml.load(source, CONSTRUCTORS) is None
