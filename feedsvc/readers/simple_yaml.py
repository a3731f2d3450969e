"""The usual shape of YAML front matter, read without a YAML parser: the same values, faster.

Most front matter is one `key: value` line per key, the value a plain, single- or double-quoted
scalar, or a flow sequence of them (`tags: [a, "b c"]`). libyaml parses such a header in C,
but PyYAML then builds its values in Python, node by node: about 0.1 ms a file, a fifth of
reading one. Here each line is matched by a regex, and each plain scalar is typed by PyYAML's
own resolver and built by the loader's own constructors, so the values are those the loader
gives. Anything else (indented or multi-line values, escapes, comments after a value,
anchors, tags, a key twice, a carriage return) is left to the YAML parser: load returns None.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from typing import Any

from yaml.constructor import SafeConstructor
from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

STR_TAG = "tag:yaml.org,2002:str"
# A plain scalar: starts with a word character (never an indicator), holds no comment (" #"),
# no ": " and no character YAML treats apart; in a flow sequence, no ",", brackets nor ":".
# Spaces only before another character, so that no two parts of a pattern can take the same
# spaces (the time to match stays linear in the line).
_PLAIN = r"\w(?: *(?:[\w.,/()+'!?&@$%=~-]|:(?=[^\s])))*"
_FLOW_PLAIN = r"\w(?: *[\w.'/()+!?&@$%=~-])*"
_DOUBLE = r'"[^"\\]*"'
_SINGLE = r"'(?:[^']|'')*'"
ITEM = re.compile(rf"{_DOUBLE}|{_SINGLE}|{_FLOW_PLAIN}")
# One line, its trailing spaces cut off.
LINE = re.compile(
    rf"(?P<key>[A-Za-z_][\w-]{{0,127}}): +(?P<value>{_DOUBLE}|{_SINGLE}|{_PLAIN}"
    rf"|\[ *(?:(?:{ITEM.pattern}) *(?:, *(?:{ITEM.pattern}) *)*)?\])")
# What the value of an unquoted scalar is: PyYAML's resolver, as the loader uses it.
_resolver = Resolver()
_constructor = SafeConstructor()
# The first characters of a scalar the resolver may type: any other is text (unless a resolver
# applies to every first character, which PyYAML's do not).
_TYPED_FIRST = (None if None in _resolver.yaml_implicit_resolvers
                else frozenset(_resolver.yaml_implicit_resolvers))

Constructors = Mapping[str, Callable[[Any, Any], Any]]


@functools.lru_cache(maxsize=4096)  # keys and many values repeat from file to file
def _implicit_tag(text: str) -> str:
    """The tag the resolver gives a plain scalar (its regexes tried in turn)."""
    return _resolver.resolve(ScalarNode, text, (True, False))


def load(source: str, constructors: Constructors) -> dict[Any, Any] | None:
    """The mapping of source when every line of it is a `key: value` of the usual shape (or
    blank); None otherwise. constructors: the loader's, by tag (its timestamps)."""
    if "\r" in source or "\t" in source:
        return None
    data: dict[Any, Any] = {}
    try:
        for line in source.split("\n"):
            if not line:
                continue
            match = LINE.fullmatch(line.rstrip(" "))
            if match is None:
                return None
            key, value = _scalar(match["key"], constructors), match["value"]
            if key in data:  # the loader keeps the last: rare enough to leave to it
                return None
            data[key] = ([_scalar(item, constructors) for item in ITEM.findall(value)]
                         if value.startswith("[") else _scalar(value, constructors))
    except _NotSimple:
        return None
    return data or None


class _NotSimple(Exception):
    """A scalar this module does not build: the YAML parser reads the source."""


def _scalar(text: str, constructors: Constructors) -> Any:
    """The value of one scalar as written (quotes included), as the loader builds it."""
    first = text[0]
    if first == '"' or first == "'":
        if not text.isprintable():
            raise _NotSimple
        return text[1:-1] if first == '"' else text[1:-1].replace("''", "'")
    if _TYPED_FIRST is not None and first not in _TYPED_FIRST:
        return text
    tag = _implicit_tag(text)
    if tag == STR_TAG:
        return text
    construct = constructors.get(tag)
    if construct is None:
        raise _NotSimple
    try:
        return construct(_constructor, ScalarNode(tag, text))
    except (ValueError, OverflowError):  # left to the loader, which says what is wrong
        raise _NotSimple from None
