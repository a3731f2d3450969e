"""FeedQuery: canonical form and validation, without HTTP."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from feedsvc.errors import QueryError
from feedsvc.query import parse

TZ = ZoneInfo("Europe/Rome")


def canonical(pairs: list[tuple[str, str]], default_limit: int = 50) -> str:
    return parse(pairs, default_limit=default_limit, tz=TZ).query_string()


def test_design_example() -> None:
    pairs = [("topic", "Science"), ("topic", "economy"), ("limit", "50"), ("utm_source", "x")]
    assert canonical(pairs) == "?topic=economy,science"


@pytest.mark.parametrize(("pairs", "expected"), [
    ([], ""),
    ([("page", "1"), ("q", "  "), ("topic", ""), ("limit", "")], ""),
    ([("exclude", "B,a"), ("topic", "c, a ,C")], "?exclude=a,b&topic=a,c"),
    ([("topic", "Central Asia")], "?topic=central-asia"),
    ([("limit", "20")], "?limit=20"),
    ([("page", "3"), ("limit", "5")], "?limit=5&page=3"),
    ([("q", " tea  and\tbread ")], "?q=tea+and+bread"),
    ([("q", "a&b=c")], "?q=a%26b%3Dc"),
    ([("author", "Ana  Ruiz")], "?author=Ana+Ruiz"),
    ([("since", "2024-05-01")], "?since=2024-05-01"),
    ([("since", "2024-05-01T12:00:00+02:00")], "?since=2024-05-01T10:00:00Z"),
    ([("until", "2024-05-01T12:00")], "?until=2024-05-01T10:00:00Z"),  # local time in TZ
])
def test_canonical_form(pairs: list[tuple[str, str]], expected: str) -> None:
    assert canonical(pairs) == expected
    again = parse(pairs, default_limit=50, tz=TZ)
    assert canonical(list(again.params)) == expected  # the canonical form is a fixed point


def test_default_limit_comes_from_settings() -> None:
    assert canonical([("limit", "50")], default_limit=20) == "?limit=50"
    assert canonical([("limit", "20")], default_limit=20) == ""
    assert parse([], default_limit=20, tz=TZ).limit == 20


def test_parsed_values() -> None:
    query = parse([("since", "2024-05-01"), ("page", "2"), ("limit", "10"), ("q", "sea salt")],
                  default_limit=50, tz=TZ)
    assert query.since == datetime(2024, 4, 30, 22, tzinfo=UTC)  # midnight in Rome
    assert (query.offset, query.words) == (10, ("sea", "salt"))
    assert query.query_string(page=1) == "?limit=10&q=sea+salt&since=2024-05-01"
    assert query.query_string(page=4) == "?limit=10&page=4&q=sea+salt&since=2024-05-01"


def test_error_names_parameter() -> None:
    with pytest.raises(QueryError) as caught:
        parse([("page", "x")], default_limit=50, tz=TZ)
    assert caught.value.parameter == "page"
    assert str(caught.value) == "page: must be an integer from 1 to 100000, got 'x'"
