"""Conditional requests and negotiation as pure functions of header values (no app, no clock)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from feedsvc.web.conditional import (
    accepts_gzip,
    last_modified_header,
    not_modified,
    prefers_html,
    variant_etag,
)

ETAG = '"0123456789abcdef"'
MODIFIED = datetime(2025, 3, 4, 5, 6, 7, 890_000, tzinfo=UTC)  # sub-second: HTTP dates have none
MODIFIED_HTTP = "Tue, 04 Mar 2025 05:06:07 GMT"
NOW = datetime(2025, 6, 1, tzinfo=UTC).timestamp()


@pytest.mark.parametrize(("if_none_match", "expected"), [
    (ETAG, True),
    ('"other"', False),
    (f'"other", {ETAG}', True),
    (f"W/{ETAG}", True),  # weak comparison (RFC 9110 §8.8.3.2)
    ("*", True),
    ("", False),
])
def test_if_none_match_decides_alone(if_none_match: str, expected: bool) -> None:
    # If-Modified-Since says "not modified" here, and must be ignored (RFC 9110 §13.2.2)
    assert not_modified(if_none_match, MODIFIED_HTTP, ETAG, MODIFIED, NOW) is expected


@pytest.mark.parametrize(("if_modified_since", "expected"), [
    (MODIFIED_HTTP, True),  # the same second: the fraction does not make it newer
    ("Wed, 05 Mar 2025 00:00:00 GMT", True),
    ("Mon, 03 Mar 2025 00:00:00 GMT", False),
    ("Fri, 01 Jan 2100 00:00:00 GMT", False),  # after the server's now: ignored (§13.1.3)
    ("yesterday", False),
    (None, False),
])
def test_if_modified_since_without_if_none_match(if_modified_since: str | None, expected: bool) -> None:
    assert not_modified(None, if_modified_since, ETAG, MODIFIED, NOW) is expected


@pytest.mark.parametrize(("accept", "expected"), [
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", True),  # a browser
    ("application/atom+xml, application/rss+xml, */*;q=0.5", False),  # a feed reader
    ("*/*", False),
    ("", False),
    (None, False),
])
def test_only_clients_ranking_html_first_get_the_browser_copy(accept: str | None, expected: bool) -> None:
    assert prefers_html(accept, "application/atom+xml") is expected


@pytest.mark.parametrize(("accept_encoding", "expected"), [
    ("gzip", True), ("gzip, br", True), ("br;q=1, gzip;q=0.5", True),
    ("gzip;q=0", False), ("identity", False), ("", False),
])
def test_gzip_only_when_accepted_with_a_weight(accept_encoding: str, expected: bool) -> None:
    assert accepts_gzip(accept_encoding) is expected


def test_each_variant_has_its_own_strong_etag() -> None:
    etags = {
        variant_etag("abc", preview=preview, xml_for_browser=xml, gzipped=gzipped)
        for preview in (False, True) for xml in (False, True) for gzipped in (False, True)
    }
    assert len(etags) == 8
    assert variant_etag("abc", preview=False, xml_for_browser=False, gzipped=False) == '"abc"'
    assert variant_etag("abc", preview=True, xml_for_browser=True, gzipped=True) == '"abc-drafts-xml-gzip"'


def test_last_modified_is_never_after_now() -> None:
    assert last_modified_header(MODIFIED, MODIFIED_HTTP, NOW) == MODIFIED_HTTP
    earlier = MODIFIED.timestamp() - 60  # the clock was set back after the document was made
    assert last_modified_header(MODIFIED, MODIFIED_HTTP, earlier) == "Tue, 04 Mar 2025 05:05:07 GMT"
